import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { ButtonsGroup } from '@codegouvfr/react-dsfr/ButtonsGroup';
import { arsName } from '@domain/regions';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { api, call, read, type Application } from '../../api/client';
import { Loading } from '../../components/loading';
import { PageHeading } from '../../components/page-heading';
import { ProblemAlert } from '../../components/problem-alert';
import { useResource } from '../../components/use-resource';
import { plural } from '../../components/console/figures';
import { useRegion } from '../../components/console/region-context';
import { consolePaths } from '../../components/console/staff';

type Decided = 'retenue' | 'non_retenue';

/** The decided files not yet notified, read page by page (a region decides a few dozen files). */
async function awaitingNotification(campaignId: string, ars: Application['ars'], decision: Decided): Promise<Application[]> {
  const found: Application[] = [];
  let cursor: string | undefined;
  do {
    const page = await read(api.GET('/v1/campaigns/{campaignId}/applications', { params: { path: { campaignId }, query: { ars, decision, limit: 200, ...(cursor ? { cursor } : {}) } } }));
    found.push(...page.items.filter((application) => application.decision && !application.decision.notifiedAt));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return found;
}

/** Sends the region's decisions: a summary of what will go out, a confirmation, then what the API did. */
export default function NotifyPage() {
  const { campaign, ars } = useRegion();
  const summary = useResource(async () => {
    const [retained, notRetained] = await Promise.all([awaitingNotification(campaign.id, ars, 'retenue'), awaitingNotification(campaign.id, ars, 'non_retenue')]);
    return { retained, notRetained };
  }, [campaign.id, ars]);
  const [confirming, setConfirming] = useState(false);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<unknown>();
  const [result, setResult] = useState<{ notified: number; conventionsCreated: number }>();
  const box = useRef<HTMLDivElement>(null);
  const outcome = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (confirming) box.current?.focus();
  }, [confirming]);
  useEffect(() => {
    if (result) outcome.current?.focus();
  }, [result]);

  async function notify() {
    setSending(true);
    setError(undefined);
    try {
      const { data } = await call(api.POST('/v1/campaigns/{campaignId}/regions/{ars}/notify', { params: { path: { campaignId: campaign.id, ars } } }));
      setResult(data);
      setConfirming(false);
      await summary.reload();
    } catch (caught) {
      setError(caught);
    } finally {
      setSending(false);
    }
  }

  const retained = summary.data?.retained.length ?? 0;
  const notRetained = summary.data?.notRetained.length ?? 0;
  return (
    <>
      <PageHeading title={`Notification — ${arsName(ars)}`}>Notifier les décisions</PageHeading>
      <p>
        Chaque établissement dont le dossier est décidé et pas encore notifié reçoit sa décision et sa motivation par courriel ; une convention est créée pour
        chaque dossier retenu. Une décision notifiée ne peut plus être changée. Notifier deux fois n'envoie rien en double.
      </p>
      {result && (
        <div ref={outcome} tabIndex={-1} className="fr-mb-4w">
          <Alert
            severity="success"
            as="h2"
            title="Notification envoyée"
            description={
              <>
                {plural(result.notified, 'établissement notifié', 'établissements notifiés')}, {plural(result.conventionsCreated, 'convention créée', 'conventions créées')}.{' '}
                <Link to={consolePaths.section(campaign.id, ars, 'conventions')}>Voir les conventions</Link>
              </>
            }
          />
        </div>
      )}
      <ProblemAlert error={error} title="La notification n'a pas abouti" />
      <ProblemAlert error={summary.error} title="Les décisions en attente n'ont pas pu être lues" />
      {summary.loading && !summary.data && <Loading what="Lecture des décisions en attente…" />}
      {summary.data && (
        <section aria-labelledby="titre-resume">
          <h2 id="titre-resume">Ce qui sera envoyé</h2>
          <ul>
            <li>{plural(retained, 'dossier retenu', 'dossiers retenus')} (une convention pour chacun)</li>
            <li>{plural(notRetained, 'dossier non retenu', 'dossiers non retenus')}</li>
          </ul>
          {retained + notRetained === 0 ? (
            <p>Aucune décision n'attend d'être notifiée.</p>
          ) : confirming ? (
            <div ref={box} tabIndex={-1}>
              <Alert
                severity="warning"
                as="h3"
                title={`Envoyer ${plural(retained + notRetained, 'décision', 'décisions')} ?`}
                description={
                  <>
                    <p>
                      {plural(retained, 'établissement retenu', 'établissements retenus')} et {plural(notRetained, 'établissement non retenu', 'établissements non retenus')}{' '}
                      recevront leur décision. Les décisions ne pourront plus être modifiées.
                    </p>
                    <ButtonsGroup
                      inlineLayoutWhen="md and up"
                      buttons={[
                        { children: sending ? 'Envoi en cours…' : 'Confirmer la notification', onClick: () => void notify(), disabled: sending },
                        { children: 'Annuler', priority: 'secondary', onClick: () => setConfirming(false) },
                      ]}
                    />
                  </>
                }
              />
            </div>
          ) : (
            <Button iconId="fr-icon-mail-line" onClick={() => setConfirming(true)}>
              Notifier les décisions
            </Button>
          )}
        </section>
      )}
    </>
  );
}
