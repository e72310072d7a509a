import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { DataTable as Table } from '../../components/console/data-table';
import { conventionStatuses, type ConventionStatus } from '@domain/convention';
import { conventionStatusTitles, formatEuros } from '@domain/labels';
import { formatFiness } from '@domain/finess';
import { arsName } from '@domain/regions';
import { useState } from 'react';
import { api, call, ifMatch, read, type Convention } from '../../api/client';
import { when } from '../../components/format';
import { Loading } from '../../components/loading';
import { PageHeading } from '../../components/page-heading';
import { ProblemAlert } from '../../components/problem-alert';
import { useCursorPages } from '../../components/console/paging';
import { deadlineText } from '../../components/console/figures';
import { useRegion } from '../../components/console/region-context';
import { useQuery } from '../../components/console/use-query';
import { conventionDocumentPath, DocumentDownload } from '../../components/document-download';

const severity: Record<ConventionStatus, 'warning' | 'success' | 'error'> = { a_signer: 'warning', signee: 'success', caduque: 'error' };

/** The region's conventions: status, due date, who signed, and the ARS's own signature. */
export default function ConventionsPage() {
  const { campaign, ars } = useRegion();
  const [params, setParams] = useQuery();
  const statusParam = params.get('statut') ?? '';
  const status = (conventionStatuses as readonly string[]).includes(statusParam) ? (statusParam as ConventionStatus) : undefined;
  const [outcome, setOutcome] = useState<{ error?: unknown; signed?: string }>({});
  const pages = useCursorPages<Convention>(
    (cursor) =>
      read(
        api.GET('/v1/campaigns/{campaignId}/conventions', {
          params: { path: { campaignId: campaign.id }, query: { ars, limit: 50, ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) } },
        }),
      ),
    [campaign.id, ars, status],
  );

  async function sign(convention: Convention) {
    setOutcome({});
    let result: typeof outcome;
    try {
      await call(api.POST('/v1/conventions/{id}/signatures', { params: { path: { id: convention.id }, header: ifMatch(convention.version) }, body: { party: 'ars' } }));
      result = { signed: convention.name };
    } catch (caught) {
      result = { error: caught };
    }
    // The list is read again before the outcome shows: "signée" never stands beside a row still "à signer".
    await pages.reload();
    setOutcome(result);
  }

  return (
    <>
      <PageHeading title={`Conventions — ${arsName(ars)}`}>Conventions</PageHeading>
      <p>
        Une convention est créée pour chaque dossier retenu lors de la notification. Elle doit être signée par l'établissement et par l'ARS avant la date limite ; les parties
        qui n'ont pas signé reçoivent des rappels automatiques, et une convention non signée à la date limite devient caduque.
      </p>
      <Select
        label="Statut"
        className="app-region-picker"
        nativeSelectProps={{
          value: status ?? '',
          onChange: (event) => setParams(event.target.value ? { statut: event.target.value } : {}),
        }}
      >
        <option value="">Toutes les conventions</option>
        {conventionStatuses.map((code) => (
          <option key={code} value={code}>
            {conventionStatusTitles[code]}
          </option>
        ))}
      </Select>
      <ProblemAlert error={outcome.error} title="La signature n'a pas abouti" />
      {outcome.signed && <Alert severity="success" small className="fr-mb-2w" description={`Convention de « ${outcome.signed} » signée pour l'ARS.`} />}
      <ProblemAlert error={pages.error} title="Les conventions n'ont pas pu être chargées" />
      {pages.loading && !pages.items && <Loading what="Chargement des conventions…" />}
      {pages.items && pages.items.length === 0 && <p role="status">Aucune convention pour l'instant.</p>}
      {pages.items && pages.items.length > 0 && (
        <Table
          caption="Conventions de la région"
          headers={['Établissement', 'Montant', 'Statut', 'Date limite de signature', 'Établissement signataire', 'ARS signataire']}
          data={pages.items.map((convention) => [
            <>
              {convention.name} <span className="fr-text--xs">FINESS {formatFiness(convention.finess)}</span>
              <br />
              <DocumentDownload size="small" path={conventionDocumentPath(convention.id)} fileName={`convention-${convention.id}.pdf`} label="Télécharger la convention (PDF)" name={convention.name} />
            </>,
            formatEuros(convention.amountEur),
            <Badge key="status" noIcon severity={severity[convention.status]}>
              {conventionStatusTitles[convention.status]}
            </Badge>,
            deadlineText(convention.dueAt),
            convention.signatures.esms ? `Signée le ${when(convention.signatures.esms.at)}` : 'Pas encore',
            convention.signatures.ars ? (
              `Signée le ${when(convention.signatures.ars.at)}`
            ) : convention.status === 'a_signer' ? (
              <SignButton key="sign" convention={convention} onSign={sign} />
            ) : (
              'Non signée'
            ),
          ])}
        />
      )}
      <div className="app-pager fr-mt-2w" role="group" aria-label="Pages de conventions">
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

function SignButton({ convention, onSign }: { convention: Convention; onSign: (convention: Convention) => Promise<void> }) {
  const [confirming, setConfirming] = useState(false);
  const [sending, setSending] = useState(false);
  if (!confirming) {
    return (
      <Button size="small" onClick={() => setConfirming(true)}>
        Signer pour l'ARS<span className="fr-sr-only"> la convention de {convention.name}</span>
      </Button>
    );
  }
  return (
    <span role="group" aria-label={`Confirmer la signature de la convention de ${convention.name}`}>
      <Button
        size="small"
        disabled={sending}
        onClick={() => {
          setSending(true);
          void onSign(convention).finally(() => setSending(false));
        }}
      >
        Confirmer la signature<span className="fr-sr-only"> de la convention de {convention.name}</span>
      </Button>{' '}
      <Button size="small" priority="secondary" onClick={() => setConfirming(false)}>
        Annuler
      </Button>
    </span>
  );
}

