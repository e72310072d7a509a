import { Button } from '@codegouvfr/react-dsfr/Button';
import { Link } from 'react-router';
import { api, read, type Campaign } from '../../api/client';
import { Loading } from '../../components/loading';
import { PageHeading } from '../../components/page-heading';
import { ProblemAlert } from '../../components/problem-alert';
import { RequireSession } from '../../components/require-session';
import { StatusBadge } from '../../components/status-badge';
import { useResource } from '../../components/use-resource';
import { nextStep, type MyApplication } from './next-step';

export default function MyApplicationsPage() {
  return (
    <RequireSession>
      <MyApplications />
    </RequireSession>
  );
}

async function allMine(): Promise<MyApplication[]> {
  const items: MyApplication[] = [];
  let cursor: string | undefined;
  // A person holds a handful of files; the pages are read through all the same.
  do {
    const page = await read(api.GET('/v1/me/applications', { params: { query: { limit: 200, ...(cursor ? { cursor } : {}) } } }));
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

function MyApplications() {
  const mine = useResource(allMine, []);
  const campaigns = useResource(() => read(api.GET('/v1/campaigns', { params: { query: { limit: 200 } } })), []);
  const byId = new Map<string, Campaign>((campaigns.data?.items ?? []).map((campaign) => [campaign.id, campaign]));
  const open = (campaigns.data?.items ?? []).filter((campaign) => campaign.phase === 'candidatures');
  return (
    <div className="fr-container fr-my-6w">
      <PageHeading>Mes dossiers</PageHeading>
      <ProblemAlert error={mine.error ?? campaigns.error} title="Vos dossiers n'ont pas pu être chargés" />
      {mine.loading && !mine.data && <Loading what="Chargement de vos dossiers…" />}
      {mine.data && mine.data.length === 0 && <p>Vous n'avez encore aucun dossier.</p>}
      {mine.data && mine.data.length > 0 && (
        <ul className="fr-raw-list">
          {mine.data.map((item) => (
            <ApplicationCard key={item.id} item={item} campaign={byId.get(item.campaignId)} />
          ))}
        </ul>
      )}
      {open.map((campaign) => (
        <p key={campaign.id} className="fr-mt-4w">
          <Button iconId="fr-icon-add-line" priority="secondary" linkProps={{ to: `/campagnes/${encodeURIComponent(campaign.id)}/candidater` }}>
            Nouvelle candidature : {campaign.title}
          </Button>
        </p>
      ))}
    </div>
  );
}

function ApplicationCard({ item, campaign }: { item: MyApplication; campaign: Campaign | undefined }) {
  const step = nextStep(item, campaign);
  const title = item.name ?? `Établissement ${item.finess}`;
  return (
    <li className="fr-mb-3w">
      <article className="fr-p-3w" style={{ border: '1px solid var(--border-default-grey)' }} aria-labelledby={`dossier-${item.id}`}>
        <h2 id={`dossier-${item.id}`} className="fr-h5 fr-mb-1w">
          <Link to={`/dossiers/${encodeURIComponent(item.id)}`}>{title}</Link>
        </h2>
        <p className="fr-mb-1w">
          <StatusBadge status={item.status} />
        </p>
        <p className="fr-text--sm fr-mb-1w">
          Dossier n° {item.id} — FINESS {item.finess} — campagne « {item.campaign?.title ?? item.campaignId} »
        </p>
        <p className="fr-mb-2w">{step.text}</p>
        {step.action && (
          <Button size="small" linkProps={{ to: step.action.to }}>
            {step.action.label}
          </Button>
        )}
      </article>
    </li>
  );
}
