import { DataTable as Table } from '../../components/console/data-table';
import { Link } from 'react-router';
import { api, read } from '../../api/client';
import { when } from '../../components/format';
import { Loading } from '../../components/loading';
import { PageHeading } from '../../components/page-heading';
import { PhaseBadge } from '../../components/phase-badge';
import { ProblemAlert } from '../../components/problem-alert';
import { useResource } from '../../components/use-resource';
import { RequireStaff } from '../../components/console/require-staff';
import { consolePaths } from '../../components/console/staff';
import '../../components/console/console.css';

/** The national team's entry: every campaign, its calendar and its dashboard, and a new campaign. */
export default function NationalHome() {
  return <RequireStaff national>{() => <Campaigns />}</RequireStaff>;
}

function Campaigns() {
  const campaigns = useResource(() => read(api.GET('/v1/campaigns', { params: { query: { limit: 200 } } })), []);
  return (
    <div className="fr-container fr-my-6w">
      <PageHeading>Vue nationale</PageHeading>
      <p>Les campagnes de l'appel à projets, leurs calendriers et leurs chiffres dans les dix-huit régions.</p>
      <Link className="fr-btn fr-mb-4w" to={consolePaths.newCampaign}>
        Créer une campagne
      </Link>
      <ProblemAlert error={campaigns.error} title="Les campagnes n'ont pas pu être chargées" />
      {campaigns.loading && !campaigns.data && <Loading />}
      {campaigns.data && (
        <Table
          caption="Campagnes"
          headers={['Campagne', 'Phase', 'Créée le', 'Tableau de bord']}
          data={campaigns.data.items.map((campaign) => [
            <Link key="link" to={consolePaths.campaign(campaign.id)}>
              {campaign.title}
            </Link>,
            <PhaseBadge key="phase" phase={campaign.phase} />,
            when(campaign.createdAt),
            <Link key="dashboard" to={consolePaths.nationalDashboard(campaign.id)}>
              Tableau de bord<span className="fr-sr-only"> de {campaign.title}</span>
            </Link>,
          ])}
        />
      )}
    </div>
  );
}
