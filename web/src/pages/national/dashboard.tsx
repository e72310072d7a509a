import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { DataTable as Table } from '../../components/console/data-table';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, read } from '../../api/client';
import { Loading } from '../../components/loading';
import { PageHeading } from '../../components/page-heading';
import { ProblemAlert } from '../../components/problem-alert';
import { useResource } from '../../components/use-resource';
import { RegionMap } from '../../components/console/charts';
import { DashboardFigures, PublishableSwitch } from '../../components/console/dashboard-view';
import { hiddenCount, shownCount, type ApiCount } from '../../components/console/figures';
import { inseeRegionCode } from '../../components/console/insee-regions';
import { RequireStaff } from '../../components/console/require-staff';
import { consolePaths } from '../../components/console/staff';
import '../../components/console/console.css';

export default function NationalDashboardPage() {
  return <RequireStaff national>{() => <NationalDashboard />}</RequireStaff>;
}

/** The country's figures, then one row per region with activity, and the map of the regions. */
function NationalDashboard() {
  const { campaignId = '' } = useParams();
  const [publishableOnly, setPublishableOnly] = useState(false);
  const campaign = useResource(() => read(api.GET('/v1/campaigns/{campaignId}', { params: { path: { campaignId } } })), [campaignId]);
  const dashboard = useResource(() => read(api.GET('/v1/campaigns/{campaignId}/dashboard', { params: { path: { campaignId } } })), [campaignId]);
  const count = (value: ApiCount) => shownCount(value, publishableOnly);
  const mapped = (value: ApiCount): number => (value === 'NS' || hiddenCount(value, publishableOnly) ? 0 : value);
  const regions = dashboard.data?.regions ?? [];
  return (
    <div className="fr-container fr-my-6w">
      <Breadcrumb
        currentPageLabel="Tableau de bord national"
        homeLinkProps={{ to: '/' }}
        segments={[
          { label: 'Vue nationale', linkProps: { to: consolePaths.national } },
          ...(campaign.data ? [{ label: campaign.data.title, linkProps: { to: consolePaths.campaign(campaignId) } }] : []),
        ]}
      />
      <PageHeading title={`Tableau de bord national${campaign.data ? ` — ${campaign.data.title}` : ''}`}>Tableau de bord national</PageHeading>
      <PublishableSwitch checked={publishableOnly} onChange={setPublishableOnly} />
      <ProblemAlert error={dashboard.error ?? campaign.error} title="Le tableau de bord n'a pas pu être chargé" />
      {(dashboard.loading || campaign.loading) && !dashboard.data && <Loading what="Calcul des chiffres…" />}
      {dashboard.data && campaign.data && (
        <>
          <h2>Par région</h2>
          {regions.length === 0 ? (
            <p>Aucune région n'a encore d'activité dans cette campagne.</p>
          ) : (
            <>
              <RegionMap
                title="Dossiers déposés par région"
                name="Dossiers"
                value={mapped(dashboard.data.applications.total)}
                data={Object.fromEntries(regions.map((region) => [inseeRegionCode[region.ars], mapped(region.applications.total)]))}
              />
              <Table
                caption="Chiffres par région"
                headers={['Région', 'Dossiers', 'Retenus', 'Conventions signées', 'Pilotes', 'Pilotes ayant déclaré']}
                data={regions.map((region) => [
                  <Link key="region" to={consolePaths.section(campaignId, region.ars, 'tableau-de-bord')}>
                    {region.name}
                  </Link>,
                  count(region.applications.total),
                  count(region.retained),
                  count(region.conventionsSigned),
                  count(region.pilots),
                  count(region.pilotsReporting),
                ])}
              />
            </>
          )}
          <DashboardFigures dashboard={dashboard.data} campaign={campaign.data} publishableOnly={publishableOnly} />
        </>
      )}
    </div>
  );
}
