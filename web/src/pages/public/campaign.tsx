import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { formatDeadline } from '@domain/calendar';
import { useParams } from 'react-router';
import { api, read } from '../../api/client';
import { CalendarDownload, CampaignCalendar, campaignInstants } from '../../components/campaign-calendar';
import { HowFundingWorks, WhoMayApply } from '../../components/eligibility-rules';
import { Loading } from '../../components/loading';
import { PageHeading } from '../../components/page-heading';
import { PhaseBadge } from '../../components/phase-badge';
import { ProblemAlert } from '../../components/problem-alert';
import { useResource } from '../../components/use-resource';

export default function CampaignPage() {
  const { campaignId = '' } = useParams();
  const campaign = useResource(() => read(api.GET('/v1/campaigns/{campaignId}', { params: { path: { campaignId } } })), [campaignId]);
  const data = campaign.data;
  return (
    <div className="fr-container fr-my-6w">
      <Breadcrumb currentPageLabel={data?.title ?? 'Campagne'} homeLinkProps={{ to: '/' }} segments={[]} />
      <PageHeading title={data?.title ?? 'Campagne'}>{data?.title ?? 'Campagne'}</PageHeading>
      {campaign.loading && !data && <Loading />}
      <ProblemAlert error={campaign.error} title="La campagne n'a pas pu être chargée" />
      {data && (
        <>
          <p>
            <PhaseBadge phase={data.phase} />
          </p>
          {data.phase === 'candidatures' && (
            <>
              <p>
                Les candidatures sont ouvertes jusqu'au <strong>{formatDeadline(campaignInstants(data).intakeClosesAt)}</strong>.
              </p>
              <Button className="fr-mb-4w" linkProps={{ to: `/campagnes/${encodeURIComponent(data.id)}/candidater` }} iconId="fr-icon-file-add-line">
                Déposer une candidature
              </Button>
            </>
          )}
          <h2>Calendrier</h2>
          <CampaignCalendar campaign={data} />
          <p>
            <CalendarDownload campaign={data} />
          </p>
          <h2 className="fr-mt-6w">Qui peut candidater ?</h2>
          <WhoMayApply />
          <h2 className="fr-mt-6w">Comment fonctionne le financement ?</h2>
          <HowFundingWorks amountEur={data.fundingPerPilotEur} />
        </>
      )}
    </div>
  );
}
