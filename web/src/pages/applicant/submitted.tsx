import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { ButtonsGroup } from '@codegouvfr/react-dsfr/ButtonsGroup';
import { formatDeadline } from '@domain/calendar';
import { useParams } from 'react-router';
import { campaignInstants } from '../../components/campaign-calendar';
import { api, read } from '../../api/client';
import { Loading } from '../../components/loading';
import { PageHeading } from '../../components/page-heading';
import { ProblemAlert } from '../../components/problem-alert';
import { RequireSession } from '../../components/require-session';
import { useResource } from '../../components/use-resource';

export default function SubmittedPage() {
  return (
    <RequireSession>
      <Submitted />
    </RequireSession>
  );
}

/** The confirmation page, with the file number the applicant will quote. */
function Submitted() {
  const { id = '' } = useParams();
  const application = useResource(() => read(api.GET('/v1/applications/{id}', { params: { path: { id } } })), [id]);
  const campaignId = application.data?.campaignId;
  const campaign = useResource(() => (campaignId ? read(api.GET('/v1/campaigns/{campaignId}', { params: { path: { campaignId } } })) : Promise.resolve(undefined)), [campaignId]);
  const data = application.data;
  return (
    <div className="fr-container fr-my-6w">
      <PageHeading>Votre dossier a bien été déposé</PageHeading>
      {application.loading && !data && <Loading />}
      <ProblemAlert error={application.error ?? campaign.error} />
      {data && (
        <>
          <Alert
            severity="success"
            as="h2"
            title={`Dossier n° ${data.id}`}
            description={
              <p>
                La candidature {data.name ? `de « ${data.name} » ` : ''}est déposée. Un accusé de réception est envoyé à l'adresse électronique de
                votre compte. Conservez ce numéro : il vous sera demandé pour toute question.
              </p>
            }
          />
          <h2 className="fr-mt-6w">Et maintenant ?</h2>
          <ul>
            {campaign.data && (
              <>
                <li>Vous pouvez modifier votre candidature jusqu'au {formatDeadline(campaignInstants(campaign.data).intakeClosesAt)}.</li>
                <li>Votre ARS l'instruira ensuite ; la sélection se termine le {formatDeadline(campaignInstants(campaign.data).selectionEndsAt)} et sa décision vous sera alors notifiée.</li>
              </>
            )}
          </ul>
          <ButtonsGroup
            inlineLayoutWhen="md and up"
            buttons={[
              { children: 'Suivre mon dossier', linkProps: { to: `/dossiers/${encodeURIComponent(data.id)}` } },
              { children: 'Mes dossiers', priority: 'secondary', linkProps: { to: '/mes-dossiers' } },
            ]}
          />
        </>
      )}
    </div>
  );
}
