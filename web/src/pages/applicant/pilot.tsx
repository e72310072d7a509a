import { Accordion } from '@codegouvfr/react-dsfr/Accordion';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { addMonths, formatDeadline, parseInstant } from '@domain/calendar';
import { indicatorLabel } from '@domain/indicators';
import { formatCount, formatEuros, secondInstalmentTitles } from '@domain/labels';
import { MAX_FIGURE, monthText } from '@domain/usage';
import { useState, type FormEvent } from 'react';
import { useParams } from 'react-router';
import { api, call, ifMatch, read, type PilotUsage } from '../../api/client';
import { when } from '../../components/format';
import { Loading } from '../../components/loading';
import { PageHeading } from '../../components/page-heading';
import { fieldId, fieldMessages, ProblemAlert } from '../../components/problem-alert';
import { RequireSession } from '../../components/require-session';
import { useResource } from '../../components/use-resource';

export default function PilotPage() {
  return (
    <RequireSession>
      <Pilot />
    </RequireSession>
  );
}

type Month = PilotUsage['months'][number];

function Pilot() {
  const { campaignId = '', finess = '' } = useParams();
  const usage = useResource(() => read(api.GET('/v1/campaigns/{campaignId}/pilots/{finess}/usage', { params: { path: { campaignId, finess } } })), [campaignId, finess]);
  const data = usage.data;
  return (
    <div className="fr-container fr-my-6w">
      <Breadcrumb currentPageLabel="Usages et financement" homeLinkProps={{ to: '/' }} segments={[{ label: 'Mes dossiers', linkProps: { to: '/mes-dossiers' } }]} />
      <PageHeading title={data ? `Usages : ${data.name}` : 'Usages et financement'}>Usages et financement</PageHeading>
      {usage.loading && !data && <Loading />}
      <ProblemAlert error={usage.error} title="Les usages n'ont pas pu être chargés" />
      {data && (
        <>
          <p>
            {data.name} — FINESS {data.finess}. Déclarez chaque mois des chiffres agrégés, jamais de donnée nominative. Remontées
            possibles jusqu'au {formatDeadline(parseInstant(data.period.reportingClosesAt) ?? new Date())}.
          </p>
          {data.missingMonths.length > 0 && (
            <p className="fr-text--bold">
              Mois à déclarer : {data.missingMonths.map(monthText).join(', ')}.
            </p>
          )}
          <ReportForm usage={data} onSaved={usage.reload} />
          <Funding usage={data} />
          <Progress usage={data} />
          <Months usage={data} />
        </>
      )}
    </div>
  );
}

function reportableMonths(usage: PilotUsage): string[] {
  const last = usage.period.reportingMonth;
  if (!last) return [];
  const months: string[] = [];
  for (let month = usage.period.firstMonth; month <= last; month = addMonths(month, 1)) months.push(month);
  return months.reverse();
}

function ReportForm({ usage, onSaved }: { usage: PilotUsage; onSaved: () => Promise<void> }) {
  const months = reportableMonths(usage);
  const [month, setMonth] = useState(usage.missingMonths[0] ?? months[0] ?? '');
  const existing = usage.months.find((entry) => entry.month === month);
  const [values, setValues] = useState<Record<string, string>>(() => valuesOf(existing));
  const [error, setError] = useState<unknown>();
  const [local, setLocal] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState('');
  const [sending, setSending] = useState(false);

  if (months.length === 0) {
    return <p>Les remontées commencent à la fin du premier mois de l'expérimentation ({monthText(usage.period.firstMonth)}).</p>;
  }

  function choose(next: string) {
    setMonth(next);
    setValues(valuesOf(usage.months.find((entry) => entry.month === next)));
    setError(undefined);
    setLocal({});
    setNotice('');
  }

  async function send(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    setNotice('');
    // Whole numbers from 0 to MAX_FIGURE, as the API accepts them; an empty field is not reported.
    const problems: Record<string, string> = {};
    const indicators: Record<string, number> = {};
    for (const { code } of usage.indicators) {
      const text = (values[code] ?? '').trim().replace(/\s/g, '');
      if (text === '') continue;
      if (!/^\d+$/.test(text) || Number(text) > MAX_FIGURE) problems[code] = `Nombre entier de 0 à ${formatCount(MAX_FIGURE)} attendu`;
      else indicators[code] = Number(text);
    }
    if (Object.keys(indicators).length === 0 && Object.keys(problems).length === 0) problems[usage.indicators[0]?.code ?? ''] = 'Renseignez au moins un indicateur';
    setLocal(problems);
    if (Object.keys(problems).length > 0) {
      document.getElementById(fieldId(`indicators.${Object.keys(problems)[0]}`))?.focus();
      return;
    }
    setSending(true);
    try {
      await call(
        api.PUT('/v1/campaigns/{campaignId}/pilots/{finess}/usage/{month}', {
          params: { path: { campaignId: usage.campaignId, finess: usage.finess, month }, ...(existing ? { header: ifMatch(existing.version) } : {}) },
          body: { indicators },
        }),
      );
      await onSaved();
      setNotice(`Les chiffres de ${monthText(month)} sont enregistrés.`);
    } catch (caught) {
      setError(caught);
    } finally {
      setSending(false);
    }
  }

  const server = fieldMessages(error);
  return (
    <section aria-labelledby="declarer" className="fr-mb-6w">
      <h2 id="declarer">{existing ? `Corriger les chiffres de ${monthText(month)}` : 'Déclarer un mois'}</h2>
      <ProblemAlert
        error={error}
        title="La déclaration n'a pas abouti"
        fieldLabels={Object.fromEntries(usage.indicators.map((indicator) => [`indicators.${indicator.code}`, indicatorLabel(indicator.code)]))}
      />
      <p role="status" className="fr-text--bold">
        {notice}
      </p>
      <form onSubmit={send} noValidate>
        <Select label="Mois déclaré" nativeSelectProps={{ id: 'mois', value: month, onChange: (event) => choose(event.target.value) }}>
          {months.map((option) => (
            <option key={option} value={option}>
              {monthText(option)}
              {usage.months.some((entry) => entry.month === option) ? ' (déjà déclaré)' : ''}
            </option>
          ))}
        </Select>
        {existing && (
          <p className="fr-text--sm">
            Déclaré le {when(existing.reportedAt)}. Les chiffres que vous enregistrez remplacent les précédents, qui restent dans l'historique des
            corrections.
          </p>
        )}
        <div className="fr-grid-row fr-grid-row--gutters">
          {usage.indicators.map(({ code }) => {
            const message = local[code] ?? server[`indicators.${code}`];
            const previous = existing?.indicators[code];
            return (
              <div key={code} className="fr-col-12 fr-col-md-6">
                <Input
                  label={indicatorLabel(code)}
                  hintText={existing ? (previous === undefined ? 'Non déclaré précédemment' : `Déclaré précédemment : ${formatCount(previous)}`) : 'Nombre entier'}
                  state={message ? 'error' : 'default'}
                  stateRelatedMessage={message}
                  nativeInputProps={{
                    id: fieldId(`indicators.${code}`),
                    inputMode: 'numeric',
                    value: values[code] ?? '',
                    onChange: (event) => setValues({ ...values, [code]: event.target.value }),
                  }}
                />
              </div>
            );
          })}
        </div>
        <Button type="submit" disabled={sending}>
          {sending ? 'Enregistrement…' : existing ? 'Enregistrer la correction' : 'Enregistrer la déclaration'}
        </Button>
      </form>
    </section>
  );
}

const valuesOf = (month: Month | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(month?.indicators ?? {}).map(([code, value]) => [code, String(value)]));

function Funding({ usage }: { usage: PilotUsage }) {
  const funding = usage.funding;
  return (
    <section aria-labelledby="financement" className="fr-mb-6w">
      <h2 id="financement">Financement</h2>
      <ul>
        <li>
          Montant de la convention : <span className="app-figure">{formatEuros(funding.amountEur)}</span>
        </li>
        <li>
          Premier versement, à la signature : <span className="app-figure">{formatEuros(funding.firstInstalmentEur)}</span>
        </li>
        <li>
          Second versement : <span className="app-figure">{formatEuros(funding.secondInstalmentEur)}</span> —{' '}
          <Badge noIcon small severity={funding.secondInstalmentStatus === 'acquis' ? 'success' : funding.secondInstalmentStatus === 'non_acquis' ? 'error' : 'info'}>
            {secondInstalmentTitles[funding.secondInstalmentStatus]}
          </Badge>
        </li>
      </ul>
      <p>
        {funding.secondInstalmentStatus === 'en_attente'
          ? `Le second versement sera décidé le ${when(funding.decidedAt)}, selon les objectifs atteints ; ${funding.targetsMet ? 'avec les chiffres actuels, chaque objectif est atteint.' : 'avec les chiffres actuels, au moins un objectif n’est pas encore atteint.'}`
          : `Décidé le ${when(funding.decidedAt)}.`}
      </p>
    </section>
  );
}

function Progress({ usage }: { usage: PilotUsage }) {
  if (usage.progress.length === 0) return null;
  return (
    <section aria-labelledby="objectifs" className="fr-mb-6w">
      <h2 id="objectifs">Objectifs d'usage</h2>
      <div className="fr-table">
        <div className="fr-table__wrapper">
          <div className="fr-table__container">
            <div className="fr-table__content">
              <table>
                <caption>Avancement vers chaque objectif de la campagne</caption>
                <thead>
                  <tr>
                    <th scope="col">Indicateur</th>
                    <th scope="col">Total déclaré</th>
                    <th scope="col">Objectif</th>
                    <th scope="col">Avancement</th>
                  </tr>
                </thead>
                <tbody>
                  {usage.progress.map((target) => (
                    <tr key={target.indicator}>
                      <th scope="row">{indicatorLabel(target.indicator)}</th>
                      <td className="app-figure">{formatCount(target.total)}</td>
                      <td className="app-figure">{formatCount(target.target)}</td>
                      <td>
                        <span className="app-figure">{Math.min(target.percent, 100)} %</span>{' '}
                        <Badge noIcon small severity={target.met ? 'success' : 'info'}>
                          {target.met ? 'Atteint' : 'En cours'}
                        </Badge>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        </div>
      </div>
    </section>
  );
}

function Months({ usage }: { usage: PilotUsage }) {
  const months = [...usage.months].sort((a, b) => b.month.localeCompare(a.month));
  return (
    <section aria-labelledby="mois" className="fr-mb-6w">
      <h2 id="mois">Mois déclarés et corrections</h2>
      {months.length === 0 && <p>Aucun mois déclaré pour le moment.</p>}
      <div className="fr-accordions-group">
        {months.map((month) => (
          <Accordion key={month.month} label={`${monthText(month.month)}${month.corrections.length > 0 ? ` — ${month.corrections.length} correction(s)` : ''}`}>
            <p>Déclaré le {when(month.reportedAt)}.</p>
            <ul>
              {Object.entries(month.indicators).map(([code, value]) => (
                <li key={code}>
                  {indicatorLabel(code)} : <span className="app-figure">{formatCount(value)}</span>
                </li>
              ))}
            </ul>
            {month.corrections.length > 0 && (
              <>
                <h3 className="fr-h6">Historique des corrections</h3>
                <ol>
                  {month.corrections.map((correction) => (
                    <li key={correction.version}>
                      Le {when(correction.at)} :{' '}
                      {changedCodes(correction.from, correction.to)
                        .map((code) => `${indicatorLabel(code)} ${correction.from[code] === undefined ? 'non déclaré' : formatCount(correction.from[code])} → ${correction.to[code] === undefined ? 'non déclaré' : formatCount(correction.to[code])}`)
                        .join(' ; ') || 'chiffres inchangés'}
                    </li>
                  ))}
                </ol>
              </>
            )}
          </Accordion>
        ))}
      </div>
    </section>
  );
}

const changedCodes = (from: Record<string, number>, to: Record<string, number>): string[] =>
  [...new Set([...Object.keys(from), ...Object.keys(to)])].filter((code) => from[code] !== to[code]).sort();
