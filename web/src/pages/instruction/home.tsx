import { DataTable as Table } from '../../components/console/data-table';
import { arsName } from '@domain/regions';
import { Link } from 'react-router';
import { api, read } from '../../api/client';
import { Loading } from '../../components/loading';
import { PageHeading } from '../../components/page-heading';
import { PhaseBadge } from '../../components/phase-badge';
import { ProblemAlert } from '../../components/problem-alert';
import { useResource } from '../../components/use-resource';
import { RequireStaff } from '../../components/console/require-staff';
import { consolePaths, type StaffScope } from '../../components/console/staff';
import '../../components/console/console.css';

/** The console's entry: the campaigns, each opening on the region's files (the national team goes to its own view). */
export default function ConsoleHome() {
  return <RequireStaff>{(scope) => <Campaigns scope={scope} />}</RequireStaff>;
}

function Campaigns({ scope }: { scope: StaffScope }) {
  const campaigns = useResource(() => read(api.GET('/v1/campaigns', { params: { query: { limit: 200 } } })), []);
  return (
    <div className="fr-container fr-my-6w">
      <PageHeading>Instruction des candidatures</PageHeading>
      <p>
        {scope.kind === 'ars'
          ? `Vous instruisez les dossiers de l'ARS ${arsName(scope.ars)}. Choisissez la campagne.`
          : <>Vous êtes de l'équipe nationale : chaque campagne s'ouvre sur <Link to={consolePaths.national}>la vue nationale</Link>, d'où vous instruisez pour n'importe quelle région.</>}
      </p>
      <ProblemAlert error={campaigns.error} title="Les campagnes n'ont pas pu être chargées" />
      {campaigns.loading && !campaigns.data && <Loading />}
      {campaigns.data && (
        <Table
          caption="Campagnes"
          headers={['Campagne', 'Phase']}
          data={campaigns.data.items.map((campaign) => [
            <Link key="link" to={scope.kind === 'ars' ? consolePaths.region(campaign.id, scope.ars) : consolePaths.campaign(campaign.id)}>
              {campaign.title}
            </Link>,
            <PhaseBadge key="phase" phase={campaign.phase} />,
          ])}
        />
      )}
    </div>
  );
}
