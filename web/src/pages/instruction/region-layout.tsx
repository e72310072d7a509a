import { Select } from '@codegouvfr/react-dsfr/Select';
import { arsCodes, arsName, isArsCode } from '@domain/regions';
import { Suspense } from 'react';
import { Link, Outlet, useLocation, useNavigate, useParams } from 'react-router';
import { api, read } from '../../api/client';
import { Loading } from '../../components/loading';
import { PageHeading } from '../../components/page-heading';
import { ProblemAlert } from '../../components/problem-alert';
import { useResource } from '../../components/use-resource';
import { PhaseBadge } from '../../components/phase-badge';
import type { RegionContext } from '../../components/console/region-context';
import { RequireStaff } from '../../components/console/require-staff';
import { consolePaths, mayWorkOn, type StaffScope } from '../../components/console/staff';
import '../../components/console/console.css';

/** The frame of a region's console: the campaign and region worked on, the sections, and the region guard. */
export default function RegionLayout() {
  return <RequireStaff>{(scope) => <RegionFrame scope={scope} />}</RequireStaff>;
}

const sections = [
  { path: '', label: 'Dossiers' },
  { path: 'notification', label: 'Notification' },
  { path: 'conventions', label: 'Conventions' },
  { path: 'pilotes', label: 'Pilotes' },
  { path: 'exports', label: 'Exports' },
  { path: 'tableau-de-bord', label: 'Tableau de bord' },
] as const;

function RegionFrame({ scope }: { scope: StaffScope }) {
  const { campaignId = '', ars = '' } = useParams();
  // Another region's address shows nothing of it, and asks the API nothing about it.
  if (!mayWorkOn(scope, ars)) return <OtherRegion scope={scope} campaignId={campaignId} ars={ars} />;
  return <RegionConsole scope={scope} campaignId={campaignId} ars={ars as RegionContext['ars']} />;
}

function RegionConsole({ scope, campaignId, ars }: { scope: StaffScope; campaignId: string; ars: RegionContext['ars'] }) {
  const campaign = useResource(() => read(api.GET('/v1/campaigns/{campaignId}', { params: { path: { campaignId } } })), [campaignId]);
  const location = useLocation();
  const base = consolePaths.region(campaignId, ars);
  const section = location.pathname.slice(base.length).split('/')[1] ?? '';
  if (!campaign.data) {
    return (
      <div className="fr-container fr-my-6w">
        {campaign.loading ? <Loading /> : <PageHeading>Campagne introuvable</PageHeading>}
        <ProblemAlert error={campaign.error} title="La campagne n'a pas pu être chargée" />
      </div>
    );
  }
  const context: RegionContext = { campaign: campaign.data, ars, scope, reloadCampaign: campaign.reload };
  return (
    <div className="fr-container fr-my-4w">
      <div className="app-console-context fr-mb-2w">
        <p className="fr-mb-1w">
          <span className="fr-text--bold">{campaign.data.title}</span> — {scope.kind === 'national' ? `${arsName(ars)} (vue nationale)` : `ARS ${arsName(ars)}`}{' '}
          <PhaseBadge phase={campaign.data.phase} />
        </p>
        {scope.kind === 'national' && <RegionPicker ars={ars} />}
      </div>
      <nav aria-label="Rubriques de l'instruction" className="fr-mb-4w">
        <ul className="fr-tags-group">
          {sections.map((entry) => {
            const to = entry.path ? `${base}/${entry.path}` : base;
            const current = entry.path === '' ? section === '' || section === 'dossiers' : section === entry.path;
            return (
              <li key={entry.label}>
                <Link to={to} className="fr-tag" aria-current={current ? 'page' : undefined}>
                  {entry.label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      {/* The section loads under the region's frame, which stays in place. */}
      <Suspense fallback={<Loading />}>
        <Outlet context={context} />
      </Suspense>
    </div>
  );
}

/** The national team moves from one region to another, staying on the same section. */
function RegionPicker({ ars }: { ars: string }) {
  const navigate = useNavigate();
  const location = useLocation();
  return (
    <Select
      label="Région"
      className="app-region-picker"
      nativeSelectProps={{
        value: ars,
        onChange: (event) => {
          const parts = location.pathname.split('/');
          parts[3] = event.target.value;
          // A file or a pilot belongs to one region: the other region opens on its list.
          navigate(parts.slice(0, 5).filter((part) => part !== 'dossiers').join('/'));
        },
      }}
    >
      {arsCodes.map((code) => (
        <option key={code} value={code}>
          {arsName(code)}
        </option>
      ))}
    </Select>
  );
}

function OtherRegion({ scope, campaignId, ars }: { scope: StaffScope; campaignId: string; ars: string }) {
  const own = scope.kind === 'ars' ? scope.ars : undefined;
  return (
    <div className="fr-container fr-my-6w">
      <PageHeading>{isArsCode(ars) ? 'Région non accessible' : 'Région inconnue'}</PageHeading>
      <p>
        {own
          ? `Votre compte instruit les dossiers de l'ARS ${arsName(own)} : cette adresse concerne une autre région, dont rien n'est affiché ici.`
          : "Cette adresse ne correspond à aucune région."}
      </p>
      {own && <Link to={consolePaths.region(campaignId, own)}>Aller aux dossiers de l'ARS {arsName(own)}</Link>}
    </div>
  );
}
