import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { ButtonsGroup } from '@codegouvfr/react-dsfr/ButtonsGroup';
import { formatDeadline } from '@domain/calendar';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { campaignInstants } from '../../components/campaign-calendar';
import { ApiProblem, api, call, ifMatch, read } from '../../api/client';
import { Loading } from '../../components/loading';
import { PageHeading } from '../../components/page-heading';
import { ProblemAlert } from '../../components/problem-alert';
import { RequireSession } from '../../components/require-session';
import { useResource } from '../../components/use-resource';
import type { SubmitRefusal } from './application-form';
import { ApplicationSummary } from './application-summary';

export default function SubmitConfirmationPage() {
  return (
    <RequireSession>
      <SubmitConfirmation />
    </RequireSession>
  );
}

/** The confirmation step: what will be sent, and one button that sends it. */
function SubmitConfirmation() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const application = useResource(() => read(api.GET('/v1/applications/{id}', { params: { path: { id } } })), [id]);
  const campaignId = application.data?.campaignId;
  const campaign = useResource(() => (campaignId ? read(api.GET('/v1/campaigns/{campaignId}', { params: { path: { campaignId } } })) : Promise.resolve(undefined)), [campaignId]);
  const [error, setError] = useState<unknown>();
  const [sending, setSending] = useState(false);
  const formPath = `/dossiers/${encodeURIComponent(id)}/candidature`;

  async function submit() {
    if (!application.data) return;
    setSending(true);
    setError(undefined);
    try {
      await call(api.POST('/v1/applications/{id}/submit', { params: { path: { id }, header: ifMatch(application.data.version) } }));
      navigate(`/dossiers/${encodeURIComponent(id)}/depose`, { replace: true });
    } catch (caught) {
      if (caught instanceof ApiProblem && caught.code === 'ineligible') {
        // Back to the form, where each unmet rule is shown on its field.
        const refusal: SubmitRefusal = { detail: caught.detail, errors: caught.errors };
        navigate(formPath, { state: { refusal } });
        return;
      }
      setError(caught);
      if (caught instanceof ApiProblem && caught.status === 412) void application.reload();
    } finally {
      setSending(false);
    }
  }

  const data = application.data;
  return (
    <div className="fr-container fr-my-6w">
      <Breadcrumb
        currentPageLabel="Confirmer le dépôt"
        homeLinkProps={{ to: '/' }}
        segments={[
          { label: 'Mes dossiers', linkProps: { to: '/mes-dossiers' } },
          { label: 'Candidature', linkProps: { to: formPath } },
        ]}
      />
      <PageHeading>Confirmer le dépôt de votre candidature</PageHeading>
      {application.loading && !data && <Loading />}
      <ProblemAlert error={application.error ?? campaign.error ?? error} title="Le dépôt n'a pas abouti" />
      {data && campaign.data && (
        <>
          {data.status !== 'brouillon' ? (
            <Alert severity="info" small description="Ce dossier est déjà déposé." className="fr-mb-4w" />
          ) : (
            <p>
              Relisez votre candidature à la campagne « {campaign.data.title} ». Une fois déposée, elle sera instruite par votre ARS ; vous pourrez
              encore la modifier jusqu'au <strong>{formatDeadline(campaignInstants(campaign.data).intakeClosesAt)}</strong>.
            </p>
          )}
          <ApplicationSummary application={data} />
          {data.status === 'brouillon' ? (
            <ButtonsGroup
              inlineLayoutWhen="md and up"
              buttons={[
                { children: sending ? 'Dépôt en cours…' : 'Confirmer le dépôt', onClick: () => void submit(), disabled: sending, iconId: 'fr-icon-check-line', iconPosition: 'right' },
                { children: 'Revenir au formulaire', priority: 'secondary', linkProps: { to: formPath } },
              ]}
            />
          ) : (
            <Button linkProps={{ to: `/dossiers/${encodeURIComponent(id)}` }}>Suivre mon dossier</Button>
          )}
        </>
      )}
    </div>
  );
}
