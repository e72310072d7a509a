import { arsName } from '@domain/regions';
import { useState } from 'react';
import { api, read } from '../../api/client';
import { Loading } from '../../components/loading';
import { PageHeading } from '../../components/page-heading';
import { ProblemAlert } from '../../components/problem-alert';
import { useResource } from '../../components/use-resource';
import { DashboardFigures, PublishableSwitch } from '../../components/console/dashboard-view';
import { useRegion } from '../../components/console/region-context';

/** The region's key figures, as the API computes them. */
export default function DashboardPage() {
  const { campaign, ars } = useRegion();
  const [publishableOnly, setPublishableOnly] = useState(false);
  const dashboard = useResource(() => read(api.GET('/v1/campaigns/{campaignId}/dashboard', { params: { path: { campaignId: campaign.id }, query: { ars } } })), [campaign.id, ars]);
  return (
    <>
      <PageHeading title={`Tableau de bord — ${arsName(ars)}`}>Tableau de bord</PageHeading>
      <PublishableSwitch checked={publishableOnly} onChange={setPublishableOnly} />
      <ProblemAlert error={dashboard.error} title="Le tableau de bord n'a pas pu être chargé" />
      {dashboard.loading && !dashboard.data && <Loading what="Calcul des chiffres…" />}
      {dashboard.data && <DashboardFigures dashboard={dashboard.data} campaign={campaign} publishableOnly={publishableOnly} />}
    </>
  );
}
