import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { ButtonsGroup } from '@codegouvfr/react-dsfr/ButtonsGroup';
import { applicationStatusTitles, historyActionTitles } from '@domain/labels';
import { useEffect, useRef, useState } from 'react';
import { useParams } from 'react-router';
import { api, call, ifMatch, read, type Application, type HistoryEntry } from '../../api/client';
import { when } from '../../components/format';
import { Loading } from '../../components/loading';
import { PageHeading } from '../../components/page-heading';
import { ProblemAlert } from '../../components/problem-alert';
import { RequireSession } from '../../components/require-session';
import { StatusBadge } from '../../components/status-badge';
import { useResource } from '../../components/use-resource';
import { DocumentDownload, receiptPath } from '../../components/document-download';
import { ApplicationSummary } from './application-summary';
import { Collaborators } from './collaborators';
import { ApplicationAttachments } from '../../components/attachments';
import { useSession } from '../../components/session';

export default function ApplicationFilePage() {
  return (
    <RequireSession>
      <ApplicationFile />
    </RequireSession>
  );
}

function ApplicationFile() {
  const { id = '' } = useParams();
  const application = useResource(() => read(api.GET('/v1/applications/{id}', { params: { path: { id } } })), [id]);
  const history = useResource(() => read(api.GET('/v1/applications/{id}/history', { params: { path: { id } } })), [id]);
  const campaignId = application.data?.campaignId;
  const campaign = useResource(() => (campaignId ? read(api.GET('/v1/campaigns/{campaignId}', { params: { path: { campaignId } } })) : Promise.resolve(undefined)), [campaignId]);
  const data = application.data;
  const session = useSession();
  // A collaborator sees the attachments; the owner alone adds or removes them (the API answers 403 otherwise).
  const isOwner = !(data?.collaborators ?? []).some((collaborator) => collaborator.email.toLowerCase() === session?.email?.toLowerCase());
  const refresh = (next: Application) => {
    application.set(next);
    void history.reload();
  };
  return (
    <div className="fr-container fr-my-6w">
      <Breadcrumb currentPageLabel={data?.name ?? 'Dossier'} homeLinkProps={{ to: '/' }} segments={[{ label: 'Mes dossiers', linkProps: { to: '/mes-dossiers' } }]} />
      <PageHeading title={data?.name ? `Dossier : ${data.name}` : 'Mon dossier'}>{data?.name ?? 'Mon dossier'}</PageHeading>
      {application.loading && !data && <Loading />}
      <ProblemAlert error={application.error} title="Le dossier n'a pas pu être chargé" />
      {data && (
        <>
          <p>
            <StatusBadge status={data.status} />
          </p>
          <p>
            Dossier n° <strong>{data.id}</strong>
            {campaign.data && <> — campagne « {campaign.data.title} »</>}
          </p>
          {data.submittedAt && (
            <p>
              <DocumentDownload path={receiptPath(data.id)} fileName={`recepisse-${data.id}.pdf`} label="Télécharger le récépissé (PDF)" />
            </p>
          )}
          <DecisionPanel application={data} />
          <Actions application={data} intakeOpen={campaign.data?.phase === 'candidatures'} />
          <Withdraw application={data} onDone={refresh} />

          <h2 className="fr-mt-6w">Historique</h2>
          <ProblemAlert error={history.error} title="L'historique n'a pas pu être chargé" />
          {history.data && <Timeline entries={history.data.items} />}

          <Collaborators application={data} onChange={refresh} />

          <ApplicationAttachments applicationId={data.id} editable={isOwner && (data.status === 'brouillon' || data.status === 'deposee') && campaign.data?.phase === 'candidatures'} />

          <h2 className="fr-mt-6w">Votre candidature</h2>
          <ApplicationSummary application={data} />
        </>
      )}
    </div>
  );
}

/** The decision, once notified (the API shows nothing before). */
function DecisionPanel({ application }: { application: Application }) {
  const decision = application.decision;
  if (!decision) return null;
  const retained = decision.decision === 'retenue';
  return (
    <Alert
      className="fr-mb-4w"
      severity={retained ? 'success' : 'info'}
      as="h2"
      title={retained ? 'Votre candidature est retenue' : "Votre candidature n'est pas retenue"}
      description={
        <>
          {decision.notifiedAt && <p>Décision notifiée le {when(decision.notifiedAt)}.</p>}
          <p className="fr-text--bold fr-mb-0">Motivation de l'ARS :</p>
          <p className="app-pre-line">{decision.motivation}</p>
        </>
      }
    />
  );
}

function Actions({ application, intakeOpen }: { application: Application; intakeOpen: boolean }) {
  const conventionId = application.conventionId;
  const convention = useResource(() => (conventionId ? read(api.GET('/v1/conventions/{id}', { params: { path: { id: conventionId } } })) : Promise.resolve(undefined)), [conventionId]);
  const buttons: Parameters<typeof ButtonsGroup>[0]['buttons'][number][] = [];
  const id = encodeURIComponent(application.id);
  if ((application.status === 'brouillon' || application.status === 'deposee') && intakeOpen) {
    buttons.push({ children: application.status === 'brouillon' ? 'Continuer ma candidature' : 'Modifier ma candidature', linkProps: { to: `/dossiers/${id}/candidature` } });
  }
  if (application.conventionId) buttons.push({ children: 'Voir la convention', linkProps: { to: `/conventions/${encodeURIComponent(application.conventionId)}` } });
  // A pilot once both parties signed its convention.
  if (application.status === 'retenue' && convention.data?.status === 'signee') {
    buttons.push({ children: 'Déclarer mes usages', priority: 'secondary', linkProps: { to: `/campagnes/${encodeURIComponent(application.campaignId)}/pilotes/${encodeURIComponent(application.finess)}` } });
  }
  if (buttons.length === 0) return null;
  return <ButtonsGroup inlineLayoutWhen="md and up" buttons={buttons as Parameters<typeof ButtonsGroup>[0]['buttons']} />;
}

/** Withdrawal, while allowed (before a decision is notified), after an explicit confirmation. */
function Withdraw({ application, onDone }: { application: Application; onDone: (next: Application) => void }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>();
  const [sending, setSending] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (confirming) box.current?.focus();
  }, [confirming]);
  if (!['brouillon', 'deposee', 'en_instruction'].includes(application.status) || application.decision) return null;

  async function withdraw() {
    setSending(true);
    setError(undefined);
    try {
      const { data } = await call(api.POST('/v1/applications/{id}/withdraw', { params: { path: { id: application.id }, header: ifMatch(application.version) } }));
      setConfirming(false);
      onDone(data);
    } catch (caught) {
      setError(caught);
    } finally {
      setSending(false);
    }
  }

  return (
    <div className="fr-mt-4w">
      <ProblemAlert error={error} title="Le retrait n'a pas abouti" />
      {confirming ? (
        <div ref={box} tabIndex={-1}>
          <Alert
            severity="warning"
            as="h2"
            title="Retirer votre candidature ?"
            description={
              <>
                <p>Le dossier sera classé sans suite et ne pourra plus être déposé ni instruit. Cette action est définitive.</p>
                <ButtonsGroup
                  inlineLayoutWhen="md and up"
                  buttons={[
                    { children: sending ? 'Retrait en cours…' : 'Confirmer le retrait', onClick: () => void withdraw(), disabled: sending },
                    { children: 'Annuler', priority: 'secondary', onClick: () => setConfirming(false) },
                  ]}
                />
              </>
            }
          />
        </div>
      ) : (
        <Button priority="tertiary" iconId="fr-icon-delete-line" onClick={() => setConfirming(true)}>
          Retirer ma candidature
        </Button>
      )}
    </div>
  );
}

// Lines whose `motivation` is a reason; on the others (collaborators) it names who.
const MOTIVATED = new Set(['decision', 'fin_selection', 'transfert', 'retrait', 'notification']);

/** The history, oldest first; successive saves of the form read as one line. */
function Timeline({ entries }: { entries: readonly HistoryEntry[] }) {
  const lines: { entry: HistoryEntry; count: number }[] = [];
  for (const entry of entries) {
    const last = lines[lines.length - 1];
    if (last && entry.action === 'modification' && last.entry.action === 'modification') {
      lines[lines.length - 1] = { entry, count: last.count + 1 };
    } else {
      lines.push({ entry, count: 1 });
    }
  }
  return (
    <ol className="fr-mb-4w">
      {lines.map(({ entry, count }, index) => (
        <li key={`${entry.at}-${index}`} className="fr-mb-2w">
          <p className="fr-mb-0">
            <strong>{historyActionTitles[entry.action] ?? applicationStatusTitles[entry.to]}</strong>
            {count > 1 && ` (${count} enregistrements)`} — le {when(entry.at)}
          </p>
          {entry.from !== entry.to && entry.from !== null && (
            <p className="fr-text--sm fr-mb-0">
              {applicationStatusTitles[entry.from]} → {applicationStatusTitles[entry.to]}
            </p>
          )}
          {entry.motivation && (
            <p className="fr-text--sm fr-mb-0 app-pre-line">
              {MOTIVATED.has(entry.action) ? 'Motif : ' : ''}
              {entry.motivation}
            </p>
          )}
        </li>
      ))}
    </ol>
  );
}
