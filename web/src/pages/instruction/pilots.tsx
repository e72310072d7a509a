import { Button } from '@codegouvfr/react-dsfr/Button';
import { DataTable as Table } from '../../components/console/data-table';
import { formatFiness } from '@domain/finess';
import { formatEuros } from '@domain/labels';
import { arsName } from '@domain/regions';
import { Link } from 'react-router';
import { api, read } from '../../api/client';
import { when } from '../../components/format';
import { Loading } from '../../components/loading';
import { PageHeading } from '../../components/page-heading';
import { ProblemAlert } from '../../components/problem-alert';
import { useCursorPages } from '../../components/console/paging';
import { useRegion } from '../../components/console/region-context';
import { consolePaths } from '../../components/console/staff';
import type { Schemas } from '../../api/client';

type Pilot = Schemas['Pilot'];

/** The region's pilots: retained files whose convention both parties signed. */
export default function PilotsPage() {
  const { campaign, ars } = useRegion();
  const pages = useCursorPages<Pilot>(
    (cursor) => read(api.GET('/v1/campaigns/{campaignId}/pilots', { params: { path: { campaignId: campaign.id }, query: { ars, limit: 50, ...(cursor ? { cursor } : {}) } } })),
    [campaign.id, ars],
  );
  return (
    <>
      <PageHeading title={`Pilotes — ${arsName(ars)}`}>Structures pilotes</PageHeading>
      <p>Un dossier retenu devient pilote quand sa convention est signée par les deux parties. Chaque pilote déclare ses chiffres d'usage chaque mois.</p>
      <ProblemAlert error={pages.error} title="Les pilotes n'ont pas pu être chargés" />
      {pages.loading && !pages.items && <Loading what="Chargement des pilotes…" />}
      {pages.items && pages.items.length === 0 && <p role="status">Aucune structure pilote pour l'instant.</p>}
      {pages.items && pages.items.length > 0 && (
        <Table
          caption="Pilotes de la région"
          headers={['Établissement', 'FINESS', 'Convention signée le', 'Financement', 'Logiciels déclarants']}
          data={pages.items.map((pilot) => [
            <Link key="name" to={consolePaths.pilot(campaign.id, ars, pilot.finess)}>
              {pilot.name}
            </Link>,
            formatFiness(pilot.finess),
            when(pilot.signedAt),
            formatEuros(pilot.amountEur),
            pilot.reportingClients.length > 0 ? pilot.reportingClients.join(', ') : 'Aucun',
          ])}
        />
      )}
      <div className="app-pager fr-mt-2w" role="group" aria-label="Pages de pilotes">
        <Button priority="secondary" size="small" disabled={!pages.hasPrevious} onClick={pages.previous}>
          Page précédente
        </Button>
        <span>Page {pages.number}</span>
        <Button priority="secondary" size="small" disabled={!pages.hasNext} onClick={pages.next}>
          Page suivante
        </Button>
      </div>
    </>
  );
}
