import { Button } from '@codegouvfr/react-dsfr/Button';
import { formatDeadline } from '@domain/calendar';
import { Link } from 'react-router';
import { api, read, type Campaign } from '../../api/client';
import { CalendarDownload, CampaignCalendar, campaignInstants } from '../../components/campaign-calendar';
import { HowFundingWorks, WhoMayApply } from '../../components/eligibility-rules';
import { Loading } from '../../components/loading';
import { PageHeading } from '../../components/page-heading';
import { PhaseBadge } from '../../components/phase-badge';
import { ProblemAlert } from '../../components/problem-alert';
import { useResource } from '../../components/use-resource';

export default function Home() {
  const campaigns = useResource(() => read(api.GET('/v1/campaigns', { params: { query: { limit: 50 } } })), []);
  const items = campaigns.data?.items ?? [];
  const open = items.filter((campaign) => campaign.phase === 'candidatures');
  return (
    <div className="fr-container fr-my-6w">
      <PageHeading title="Accueil">Mon espace santé en ESMS : l'appel à projets</PageHeading>
      <p className="fr-text--lead">
        Les agences régionales de santé accompagnent les établissements et services médico-sociaux qui font entrer Mon espace santé dans le quotidien
        des personnes accompagnées. Déposez votre candidature, suivez votre dossier, signez votre convention et déclarez vos usages, ici.
      </p>

      <h2 className="fr-mt-6w">Les campagnes</h2>
      {campaigns.loading && !campaigns.data && <Loading what="Chargement des campagnes…" />}
      <ProblemAlert error={campaigns.error} title="Les campagnes n'ont pas pu être chargées" />
      {campaigns.data && items.length === 0 && <p>Aucune campagne n'est publiée pour le moment.</p>}
      {items.map((campaign) => (
        <CampaignSummary key={campaign.id} campaign={campaign} />
      ))}

      <h2 className="fr-mt-6w">Qui peut candidater ?</h2>
      <WhoMayApply />

      <h2 className="fr-mt-6w">Comment fonctionne le financement ?</h2>
      <HowFundingWorks amountEur={(open[0] ?? items[0])?.fundingPerPilotEur} />
    </div>
  );
}

function CampaignSummary({ campaign }: { campaign: Campaign }) {
  const closes = formatDeadline(campaignInstants(campaign).intakeClosesAt);
  return (
    <section className="fr-mb-6w" aria-labelledby={`campagne-${campaign.id}`}>
      <h3 id={`campagne-${campaign.id}`} className="fr-mb-1w">
        <Link to={`/campagnes/${encodeURIComponent(campaign.id)}`}>{campaign.title}</Link>
      </h3>
      <p className="fr-mb-2w">
        <PhaseBadge phase={campaign.phase} />
      </p>
      {campaign.phase === 'candidatures' && (
        <p>
          Candidatures ouvertes jusqu'au <strong>{closes}</strong>.
        </p>
      )}
      <CampaignCalendar campaign={campaign} />
      <p>
        <CalendarDownload campaign={campaign} />
      </p>
      {campaign.phase === 'candidatures' && (
        <Button linkProps={{ to: `/campagnes/${encodeURIComponent(campaign.id)}/candidater` }} iconId="fr-icon-file-add-line">
          Déposer une candidature
        </Button>
      )}
    </section>
  );
}
