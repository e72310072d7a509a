import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { ButtonsGroup } from '@codegouvfr/react-dsfr/ButtonsGroup';
import { formatDeadline, parseInstant } from '@domain/calendar';
import { conventionStatusTitles, formatEuros } from '@domain/labels';
import { arsName } from '@domain/regions';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { useEffect, useRef, useState } from 'react';
import { useParams } from 'react-router';
import { ApiProblem, api, call, ifMatch, read, type Convention } from '../../api/client';
import { when } from '../../components/format';
import { Loading } from '../../components/loading';
import { PageHeading } from '../../components/page-heading';
import { ProblemAlert } from '../../components/problem-alert';
import { RequireSession } from '../../components/require-session';
import { useResource } from '../../components/use-resource';
import { conventionDocumentPath, DocumentDownload } from '../../components/document-download';

export default function ConventionPage() {
  return (
    <RequireSession>
      <ConventionView />
    </RequireSession>
  );
}

function ConventionView() {
  const { id = '' } = useParams();
  const convention = useResource(() => read(api.GET('/v1/conventions/{id}', { params: { path: { id } } })), [id]);
  const data = convention.data;
  return (
    <div className="fr-container fr-my-6w">
      <Breadcrumb
        currentPageLabel="Convention"
        homeLinkProps={{ to: '/' }}
        segments={[
          { label: 'Mes dossiers', linkProps: { to: '/mes-dossiers' } },
          ...(data ? [{ label: data.name, linkProps: { to: `/dossiers/${encodeURIComponent(data.applicationId)}` } }] : []),
        ]}
      />
      <PageHeading title={data ? `Convention : ${data.name}` : 'Convention'}>Convention de financement</PageHeading>
      {convention.loading && !data && <Loading />}
      <ProblemAlert error={convention.error} title="La convention n'a pas pu être chargée" />
      {data && <ConventionDetails convention={data} onSigned={convention.set} onStale={convention.reload} />}
    </div>
  );
}

function ConventionDetails({ convention, onSigned, onStale }: { convention: Convention; onSigned: (next: Convention) => void; onStale: () => Promise<void> }) {
  const due = parseInstant(convention.dueAt);
  const second = convention.amountEur - convention.firstInstalmentEur;
  const rows: [string, string, boolean][] = [
    ['Établissement', `${convention.name} (FINESS ${convention.finess})`, false],
    ['ARS', arsName(convention.ars), false],
    ['Montant', formatEuros(convention.amountEur), true],
    ['Premier versement, à la signature', formatEuros(convention.firstInstalmentEur), true],
    ['Second versement, si chaque objectif d’usage est atteint', formatEuros(second), true],
    ['Date limite de signature', due ? formatDeadline(due) : convention.dueAt, false],
  ];
  return (
    <>
      <p className="fr-mb-4w">
        <Badge noIcon severity={convention.status === 'signee' ? 'success' : convention.status === 'caduque' ? 'error' : 'warning'}>
          {conventionStatusTitles[convention.status]}
        </Badge>
      </p>
      <dl>
        {rows.map(([term, value, money]) => (
          <div key={term} className="fr-mb-2w">
            <dt className="fr-text--bold">{term}</dt>
            <dd className={money ? 'fr-ml-0 app-figure' : 'fr-ml-0'}>{value}</dd>
          </div>
        ))}
      </dl>
      <h2>Signatures</h2>
      <ul>
        <li>L'établissement : {convention.signatures.esms ? `signée le ${when(convention.signatures.esms.at)}` : 'pas encore signée'}</li>
        <li>L'ARS : {convention.signatures.ars ? `signée le ${when(convention.signatures.ars.at)}` : 'pas encore signée'}</li>
      </ul>
      <p>
        <DocumentDownload path={conventionDocumentPath(convention.id)} fileName={`convention-${convention.id}.pdf`} label="Télécharger la convention (PDF)" />
      </p>
      {convention.status === 'signee' && (
        <Alert severity="success" small description={`La convention est signée par les deux parties${convention.signedAt ? ` depuis le ${when(convention.signedAt)}` : ''}. Votre établissement est pilote.`} className="fr-mb-4w" />
      )}
      {convention.status === 'caduque' && <Alert severity="error" small description="La convention n'a pas été signée par les deux parties avant la date limite : elle est caduque." className="fr-mb-4w" />}
      {convention.status === 'a_signer' && !convention.signatures.esms && <SignForEsms convention={convention} onSigned={onSigned} onStale={onStale} />}
    </>
  );
}

function SignForEsms({ convention, onSigned, onStale }: { convention: Convention; onSigned: (next: Convention) => void; onStale: () => Promise<void> }) {
  const [confirming, setConfirming] = useState(false);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<unknown>();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (confirming) box.current?.focus();
  }, [confirming]);

  async function sign() {
    setSending(true);
    setError(undefined);
    try {
      const { data } = await call(api.POST('/v1/conventions/{id}/signatures', { params: { path: { id: convention.id }, header: ifMatch(convention.version) }, body: { party: 'esms' } }));
      setConfirming(false);
      onSigned(data);
    } catch (caught) {
      setError(caught);
      if (caught instanceof ApiProblem && caught.status === 412) void onStale();
    } finally {
      setSending(false);
    }
  }

  return (
    <>
      <ProblemAlert error={error} title="La signature n'a pas abouti" />
      {confirming ? (
        <div ref={box} tabIndex={-1}>
          <Alert
            severity="info"
            as="h2"
            title="Signer la convention pour l'établissement ?"
            description={
              <>
                <p>
                  En signant, vous engagez l'établissement « {convention.name} » dans l'expérimentation, aux conditions de la convention ({formatEuros(convention.amountEur)}).
                </p>
                <ButtonsGroup
                  inlineLayoutWhen="md and up"
                  buttons={[
                    { children: sending ? 'Signature en cours…' : 'Je signe la convention', onClick: () => void sign(), disabled: sending },
                    { children: 'Annuler', priority: 'secondary', onClick: () => setConfirming(false) },
                  ]}
                />
              </>
            }
          />
        </div>
      ) : (
        <Button iconId="fr-icon-draft-line" onClick={() => setConfirming(true)}>
          Signer pour l'établissement
        </Button>
      )}
    </>
  );
}
