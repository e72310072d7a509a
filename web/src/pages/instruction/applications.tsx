import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { DataTable as Table } from '../../components/console/data-table';
import { applicationStatuses, type ApplicationStatus } from '@domain/application';
import { categoryOf, esmsCategories, type Mode, type Sector } from '@domain/categories';
import { formatFiness } from '@domain/finess';
import { applicationStatusTitles, modeTitles, sectorTitles } from '@domain/labels';
import { arsName } from '@domain/regions';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useQuery } from '../../components/console/use-query';
import { api, read, type Application } from '../../api/client';
import { Loading } from '../../components/loading';
import { PageHeading } from '../../components/page-heading';
import { ProblemAlert } from '../../components/problem-alert';
import { StatusBadge } from '../../components/status-badge';
import { useResource } from '../../components/use-resource';
import { plural, quotaText, shownCount } from '../../components/console/figures';
import { useCursorPages } from '../../components/console/paging';
import { useRegion } from '../../components/console/region-context';
import { consolePaths } from '../../components/console/staff';

const PAGE_SIZE = 50;

interface Filters {
  status?: ApplicationStatus;
  sector?: Sector;
  mode?: Mode;
  category?: string;
  q?: string;
  sort?: 'score';
}

function filtersOf(params: URLSearchParams): Filters {
  const status = params.get('statut') ?? '';
  const sector = params.get('secteur') ?? '';
  const mode = params.get('mode') ?? '';
  const category = params.get('categorie') ?? '';
  const q = (params.get('recherche') ?? '').trim();
  return {
    ...((applicationStatuses as readonly string[]).includes(status) ? { status: status as ApplicationStatus } : {}),
    ...(sector === 'PA' || sector === 'PH' ? { sector } : {}),
    ...(mode === 'etablissement' || mode === 'domicile' ? { mode } : {}),
    ...(categoryOf(category) ? { category } : {}),
    ...(q ? { q } : {}),
    ...(params.get('tri') === 'note' ? { sort: 'score' as const } : {}),
  };
}

/** The region's files: counts per status, the quota, filters and the API's pages. */
export default function ApplicationsPage() {
  const { campaign, ars } = useRegion();
  const [params, setParams] = useQuery();
  const filters = filtersOf(params);
  const key = params.toString();
  const dashboard = useResource(() => read(api.GET('/v1/campaigns/{campaignId}/dashboard', { params: { path: { campaignId: campaign.id }, query: { ars } } })), [campaign.id, ars]);
  const pages = useCursorPages<Application>(
    (cursor) =>
      read(
        api.GET('/v1/campaigns/{campaignId}/applications', {
          params: {
            path: { campaignId: campaign.id },
            query: {
              ars,
              limit: PAGE_SIZE,
              ...(cursor ? { cursor } : {}),
              ...(filters.status ? { status: filters.status } : {}),
              ...(filters.category ? { category: filters.category } : {}),
              ...(filters.q ? { q: filters.q } : {}),
              ...(filters.sort ? { sort: filters.sort } : {}),
            },
          },
        }),
      ),
    [campaign.id, ars, key],
    {
      screenSize: PAGE_SIZE,
      // The API filters on the category; the sector and mode (derived from it) are kept here.
      keep: (application) => (!filters.sector || application.sector === filters.sector) && (!filters.mode || application.mode === filters.mode),
    },
  );
  const quota = (campaign.quotas as Record<string, number | undefined>)[ars];
  // After "Page suivante" or "Page précédente", the focus goes to the new page's count, which is read out.
  const results = useRef<HTMLDivElement>(null);
  const shownPage = useRef(pages.number);
  useEffect(() => {
    if (shownPage.current === pages.number || !pages.items) return;
    shownPage.current = pages.number;
    results.current?.focus();
  }, [pages.number, pages.items]);

  return (
    <>
      <PageHeading title={`Dossiers — ${arsName(ars)}`}>Dossiers de candidature</PageHeading>
      <ProblemAlert error={dashboard.error} title="Les chiffres de la région n'ont pas pu être chargés" />
      {dashboard.data && (
        <section aria-labelledby="titre-chiffres" className="fr-mb-4w">
          <h2 id="titre-chiffres" className="fr-h4">
            Où en est la sélection
          </h2>
          <p className="fr-text--lead fr-mb-1w">
            Quota de la région : <strong>{quotaText(dashboard.data.retained, quota)}</strong>
          </p>
          <ul className="app-status-counts">
            {applicationStatuses.map((status) => (
              <li key={status}>
                {applicationStatusTitles[status]} : <strong>{shownCount(dashboard.data!.applications.byStatus[status] ?? 0, false)}</strong>
              </li>
            ))}
            <li>
              Total : <strong>{shownCount(dashboard.data.applications.total, false)}</strong>
            </li>
          </ul>
        </section>
      )}
      <FilterForm key={key} filters={filters} onApply={(next) => setParams(next)} />
      <ProblemAlert error={pages.error} title="Les dossiers n'ont pas pu être chargés" />
      {pages.loading && <Loading what="Chargement des dossiers…" />}
      <div ref={results} tabIndex={-1}>
        {pages.items && <FilesTable items={pages.items} campaignId={campaign.id} ars={ars} sorted={filters.sort === 'score'} />}
      </div>
      <div className="app-pager fr-mt-2w" role="group" aria-label="Pages de résultats">
        <Button priority="secondary" iconId="fr-icon-arrow-left-line" disabled={!pages.hasPrevious || pages.loading} onClick={pages.previous}>
          Page précédente
        </Button>
        <span className="fr-mx-2w">Page {pages.number}</span>
        <Button priority="secondary" iconId="fr-icon-arrow-right-line" iconPosition="right" disabled={!pages.hasNext || pages.loading} onClick={pages.next}>
          Page suivante
        </Button>
      </div>
    </>
  );
}

function FilterForm({ filters, onApply }: { filters: Filters; onApply: (params: URLSearchParams) => void }) {
  const [sector, setSector] = useState<string>(filters.sector ?? '');
  const [mode, setMode] = useState<string>(filters.mode ?? '');
  const categories = esmsCategories.filter((category) => (!sector || category.sector === sector) && (!mode || category.mode === mode));

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    for (const name of ['statut', 'secteur', 'mode', 'categorie', 'recherche', 'tri']) {
      const value = String(form.get(name) ?? '').trim();
      if (value) next.set(name, value);
    }
    onApply(next);
  }

  return (
    <form onSubmit={apply} className="app-filters fr-mb-3w" aria-labelledby="titre-filtres">
      <h2 id="titre-filtres" className="fr-h4">
        Filtrer les dossiers
      </h2>
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-4">
          <Select label="Statut" nativeSelectProps={{ name: 'statut', defaultValue: filters.status ?? '' }}>
            <option value="">Tous les statuts</option>
            {applicationStatuses.map((status) => (
              <option key={status} value={status}>
                {applicationStatusTitles[status]}
              </option>
            ))}
          </Select>
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <Select label="Secteur" nativeSelectProps={{ name: 'secteur', value: sector, onChange: (event) => setSector(event.target.value) }}>
            <option value="">Tous les secteurs</option>
            {(Object.keys(sectorTitles) as Sector[]).map((code) => (
              <option key={code} value={code}>
                {sectorTitles[code]}
              </option>
            ))}
          </Select>
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <Select label="Mode d'accompagnement" nativeSelectProps={{ name: 'mode', value: mode, onChange: (event) => setMode(event.target.value) }}>
            <option value="">Tous les modes</option>
            {(Object.keys(modeTitles) as Mode[]).map((code) => (
              <option key={code} value={code}>
                {modeTitles[code]}
              </option>
            ))}
          </Select>
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <Select label="Catégorie FINESS" nativeSelectProps={{ name: 'categorie', defaultValue: filters.category ?? '' }}>
            <option value="">Toutes les catégories</option>
            {categories.map((category) => (
              <option key={category.code} value={category.code}>
                {category.label} ({category.code})
              </option>
            ))}
          </Select>
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <Input label="Nom ou numéro FINESS" nativeInputProps={{ name: 'recherche', type: 'search', defaultValue: filters.q ?? '', autoComplete: 'off' }} />
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <Select label="Trier par" hint="La note ne classe que les dossiers évalués." nativeSelectProps={{ name: 'tri', defaultValue: filters.sort === 'score' ? 'note' : '' }}>
            <option value="">Date de création</option>
            <option value="note">Note moyenne, la meilleure d'abord</option>
          </Select>
        </div>
      </div>
      <Button type="submit" iconId="fr-icon-search-line">
        Filtrer
      </Button>
    </form>
  );
}

function FilesTable({ items, campaignId, ars, sorted }: { items: readonly Application[]; campaignId: string; ars: string; sorted: boolean }) {
  if (items.length === 0) return <p role="status">Aucun dossier ne correspond à ces critères.</p>;
  return (
    <>
      <p role="status" className="fr-mb-1w">
        {plural(items.length, 'dossier affiché', 'dossiers affichés')}
        {sorted ? ', du mieux noté au moins bien noté' : ''}.
      </p>
      <Table
        caption="Dossiers de la région"
        headers={['Établissement', 'FINESS', 'Catégorie', 'Statut', 'Note moyenne sur 5', 'Décision notifiée']}
        data={items.map((application) => [
          <Link key="name" to={consolePaths.file(campaignId, ars, application.id)}>
            {application.name ?? 'Sans nom'}
            <span className="fr-sr-only"> (dossier {application.id})</span>
          </Link>,
          formatFiness(application.finess),
          categoryOf(application.category ?? '')?.label ?? 'Non renseignée',
          <StatusBadge key="status" status={application.status} />,
          application.review ? application.review.average.toLocaleString('fr-FR') : 'Non évalué',
          application.decision?.notifiedAt ? 'Oui' : application.decision ? 'Pas encore' : '—',
        ])}
      />
    </>
  );
}
