import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { formatDeadline } from '@domain/calendar';
import { checkFiness } from '@domain/finess';
import { arsName } from '@domain/regions';
import { useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import { campaignInstants } from '../../components/campaign-calendar';
import { api, call, read } from '../../api/client';
import { Loading } from '../../components/loading';
import { PageHeading } from '../../components/page-heading';
import { fieldId, fieldMessages, ProblemAlert } from '../../components/problem-alert';
import { RequireSession } from '../../components/require-session';
import { useResource } from '../../components/use-resource';

export default function NewApplicationPage() {
  return (
    <RequireSession>
      <NewApplication />
    </RequireSession>
  );
}

const FINESS_LABEL = 'Numéro FINESS de l’établissement ou du service';

function NewApplication() {
  const { campaignId = '' } = useParams();
  const navigate = useNavigate();
  const campaign = useResource(() => read(api.GET('/v1/campaigns/{campaignId}', { params: { path: { campaignId } } })), [campaignId]);
  const [finess, setFiness] = useState('');
  const [touched, setTouched] = useState(false);
  const [error, setError] = useState<unknown>();
  const [sending, setSending] = useState(false);
  // One key per attempt at this page: a double click or a retry after a lost answer creates one draft only.
  const [idempotencyKey] = useState(() => crypto.randomUUID());

  const check = checkFiness(finess);
  const typedEnough = finess.replace(/\s/g, '').length >= 9 || touched;
  const serverMessage = fieldMessages(error).finess;
  const state = serverMessage ? 'error' : !finess || !typedEnough ? 'default' : check.ok ? 'success' : 'error';
  const message = serverMessage ?? (check.ok ? `Département ${check.department} — région et ARS ${arsName(check.ars)} (${check.ars})` : check.message);

  async function create(event: FormEvent) {
    event.preventDefault();
    setTouched(true);
    if (!check.ok) return;
    setSending(true);
    setError(undefined);
    try {
      const { data } = await call(
        api.POST('/v1/campaigns/{campaignId}/applications', {
          params: { path: { campaignId }, header: { 'Idempotency-Key': idempotencyKey } },
          body: { finess: check.finess },
        }),
      );
      navigate(`/dossiers/${encodeURIComponent(data.id)}/candidature`);
    } catch (caught) {
      setError(caught);
    } finally {
      setSending(false);
    }
  }

  const title = campaign.data?.title;
  return (
    <div className="fr-container fr-my-6w">
      <Breadcrumb
        currentPageLabel="Déposer une candidature"
        homeLinkProps={{ to: '/' }}
        segments={title ? [{ label: title, linkProps: { to: `/campagnes/${encodeURIComponent(campaignId)}` } }] : []}
      />
      <PageHeading>Déposer une candidature</PageHeading>
      {campaign.loading && !campaign.data && <Loading />}
      <ProblemAlert error={campaign.error ?? error} fieldLabels={{ finess: FINESS_LABEL }} />
      {campaign.data && (
        <>
          <p className="fr-text--lead">{campaign.data.title}</p>
          {campaign.data.phase === 'candidatures' ? (
            <p>
              Les candidatures sont ouvertes jusqu'au <strong>{formatDeadline(campaignInstants(campaign.data).intakeClosesAt)}</strong>. Commencez par
              le numéro FINESS : il désigne l'établissement ou le service et son ARS. Vous compléterez ensuite le dossier, enregistré au fur et à
              mesure.
            </p>
          ) : (
            <p>Les candidatures de cette campagne ne sont pas ouvertes en ce moment.</p>
          )}
          <form onSubmit={create} noValidate className="fr-mt-4w">
            <Input
              label={FINESS_LABEL}
              hintText="9 caractères, tels qu'inscrits au répertoire FINESS, par exemple 330780119 (2A ou 2B en tête pour la Corse)"
              state={state}
              stateRelatedMessage={message}
              nativeInputProps={{
                id: fieldId('finess'),
                value: finess,
                onChange: (event) => {
                  setFiness(event.target.value);
                  setError(undefined);
                },
                onBlur: () => setTouched(finess.length > 0),
                autoComplete: 'off',
                spellCheck: false,
                maxLength: 20,
                inputMode: 'text',
              }}
            />
            {check.ok && typedEnough && (
              <p className="fr-text--sm">
                Numéro reconnu : <strong>{check.finess}</strong>.
              </p>
            )}
            <Button type="submit" disabled={sending}>
              {sending ? 'Création en cours…' : 'Créer mon brouillon'}
            </Button>
          </form>
        </>
      )}
    </div>
  );
}
