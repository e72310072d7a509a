import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { DataTable as Table } from '../../components/console/data-table';
import { formatFiness } from '@domain/finess';
import { formatCount, formatEuros, secondInstalmentTitles } from '@domain/labels';
import { useState, type FormEvent } from 'react';
import { useParams } from 'react-router';
import { ApiProblem, api, call, read, type Schemas } from '../../api/client';
import { when } from '../../components/format';
import { Loading } from '../../components/loading';
import { PageHeading } from '../../components/page-heading';
import { ProblemAlert, fieldMessages } from '../../components/problem-alert';
import { useResource } from '../../components/use-resource';
import { deadlineText, monthText } from '../../components/console/figures';
import { useRegion } from '../../components/console/region-context';
import { consolePaths } from '../../components/console/staff';

type Pilot = Schemas['Pilot'];

/** The pilot of this FINESS in the region's list (the usage view does not carry its reporting clients). */
async function findPilot(campaignId: string, ars: Pilot['ars'], finess: string): Promise<Pilot | undefined> {
  let cursor: string | undefined;
  do {
    const page = await read(api.GET('/v1/campaigns/{campaignId}/pilots', { params: { path: { campaignId }, query: { ars, limit: 200, ...(cursor ? { cursor } : {}) } } }));
    const found = page.items.find((pilot) => pilot.finess === finess);
    if (found) return found;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return undefined;
}

/** One pilot: its months, totals, progress against the targets, its funding, and its reporting clients. */
export default function PilotPage() {
  const { campaign, ars } = useRegion();
  const { finess = '' } = useParams();
  const usage = useResource(() => read(api.GET('/v1/campaigns/{campaignId}/pilots/{finess}/usage', { params: { path: { campaignId: campaign.id, finess } } })), [campaign.id, finess]);
  const pilot = useResource(() => findPilot(campaign.id, ars, finess), [campaign.id, ars, finess]);
  const data = usage.data;
  // The region guard: a pilot of another region is not shown under this region's address.
  const belongs = data && data.ars === ars;
  return (
    <>
      <Breadcrumb currentPageLabel={belongs ? data.name : 'Pilote'} homeLinkProps={{ to: '/' }} segments={[{ label: 'Pilotes', linkProps: { to: consolePaths.section(campaign.id, ars, 'pilotes') } }]} />
      {usage.loading && !data && <Loading what="Chargement du suivi…" />}
      {(!data && usage.error instanceof ApiProblem && usage.error.status === 404) || (data && !belongs) ? (
        <>
          <PageHeading>Pilote introuvable</PageHeading>
          <p>Cet établissement n'est pas une structure pilote de votre région pour cette campagne.</p>
        </>
      ) : (
        !data && <ProblemAlert error={usage.error} title="Le suivi n'a pas pu être chargé" />
      )}
      {belongs && (
        <>
          <PageHeading title={`Pilote ${data.name}`}>{data.name}</PageHeading>
          <p>
            FINESS {formatFiness(data.finess)} — mois de l'expérimentation : de {monthText(data.period.firstMonth)} à {monthText(data.period.lastMonth)}. Remontées acceptées
            jusqu'au {deadlineText(data.period.reportingClosesAt)}.
          </p>
          <h2>Financement</h2>
          <ul>
            <li>Montant de la convention : {formatEuros(data.funding.amountEur)}</li>
            <li>Premier versement, à la signature : {formatEuros(data.funding.firstInstalmentEur)}</li>
            <li>
              Second versement : {formatEuros(data.funding.secondInstalmentEur)} — {secondInstalmentTitles[data.funding.secondInstalmentStatus]}
            </li>
          </ul>
          <h2>Progression vers les objectifs</h2>
          {data.progress.length === 0 ? (
            <p>La campagne ne fixe pas d'objectif d'usage.</p>
          ) : (
            <Table
              caption="Objectifs d'usage de la campagne"
              headers={['Indicateur', 'Total déclaré', 'Objectif', 'Progression', 'Atteint']}
              data={data.progress.map((entry) => [entry.label, formatCount(entry.total), formatCount(entry.target), `${formatCount(entry.percent)} %`, entry.met ? 'Oui' : 'Non'])}
            />
          )}
          <h2>Mois déclarés</h2>
          {data.missingMonths.length > 0 && (
            <Alert severity="warning" small className="fr-mb-2w" description={`Mois attendus non déclarés : ${data.missingMonths.map(monthText).join(', ')}.`} />
          )}
          {data.months.length === 0 ? (
            <p>Aucun mois déclaré pour l'instant.</p>
          ) : (
            <Table
              caption="Chiffres déclarés par mois"
              headers={['Mois', ...data.indicators.map((indicator) => indicator.label), 'Déclaré le', 'Corrections']}
              data={data.months.map((month) => [
                monthText(month.month),
                ...data.indicators.map((indicator) => formatCount(month.indicators[indicator.code] ?? 0)),
                when(month.reportedAt),
                formatCount(month.corrections.length),
              ])}
            />
          )}
          <h2>Totaux</h2>
          <Table
            caption="Totaux par indicateur"
            headers={['Indicateur', 'Total']}
            data={data.indicators.map((indicator) => [indicator.label, formatCount(data.totals[indicator.code] ?? 0)])}
          />
          <ReportingClients campaignId={campaign.id} finess={data.finess} pilot={pilot.data} onRegistered={pilot.set} />
        </>
      )}
    </>
  );
}

function ReportingClients({ campaignId, finess, pilot, onRegistered }: { campaignId: string; finess: string; pilot: Pilot | undefined; onRegistered: (pilot: Pilot) => void }) {
  const [clientId, setClientId] = useState('');
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const [sending, setSending] = useState(false);
  const messages = fieldMessages(error);

  async function register(event: FormEvent) {
    event.preventDefault();
    setSending(true);
    setError(undefined);
    setDone(undefined);
    try {
      const { data } = await call(api.POST('/v1/campaigns/{campaignId}/pilots/{finess}/reporting-clients', { params: { path: { campaignId, finess } }, body: { clientId } }));
      onRegistered(data);
      setDone(clientId);
      setClientId('');
    } catch (caught) {
      setError(caught);
    } finally {
      setSending(false);
    }
  }

  return (
    <form onSubmit={register} aria-labelledby="titre-clients" className="fr-mt-4w" noValidate>
      <h2 id="titre-clients">Logiciels autorisés à déclarer</h2>
      <p>
        L'éditeur du DUI peut déclarer les chiffres à la place de l'établissement, avec son client technique (identifiant <span lang="en">client_id</span> fourni par
        l'éditeur).
      </p>
      <p>{pilot ? (pilot.reportingClients.length > 0 ? `Autorisés : ${pilot.reportingClients.join(', ')}.` : 'Aucun logiciel autorisé pour l’instant.') : ''}</p>
      <ProblemAlert error={error} title="L'autorisation n'a pas abouti" />
      {done && <Alert severity="success" small className="fr-mb-2w" description={`Le client ${done} peut désormais déclarer pour ce pilote.`} />}
      <Input
        label="Identifiant du client de l'éditeur"
        state={messages.clientId ? 'error' : 'default'}
        stateRelatedMessage={messages.clientId}
        nativeInputProps={{ value: clientId, onChange: (event) => setClientId(event.target.value), autoComplete: 'off', spellCheck: false }}
      />
      <Button type="submit" priority="secondary" disabled={sending}>
        Autoriser ce logiciel
      </Button>
    </form>
  );
}
