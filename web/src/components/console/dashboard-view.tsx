import { Select } from '@codegouvfr/react-dsfr/Select';
import { DataTable as Table } from './data-table';
import { ToggleSwitch } from '@codegouvfr/react-dsfr/ToggleSwitch';
import { applicationStatuses } from '@domain/application';
import { applicationStatusTitles } from '@domain/labels';
import { indicatorLabel } from '@domain/indicators';
import { useState } from 'react';
import type { Campaign, Schemas } from '../../api/client';
import { when } from '../format';
import { BarChart, LineChart } from './charts';
import { hiddenCount, monthText, shownCount, type ApiCount } from './figures';

export type Dashboard = Schemas['Dashboard'];

/** The "publishable" switch: counts of 1 to 4 become "NS" (statistical secrecy); where, the helper text says. */
export function PublishableSwitch({
  checked,
  onChange,
  helperText = 'Les effectifs de 1 à 4 sont remplacés par « NS » (non significatif), dans les graphiques comme dans les tableaux.',
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  helperText?: string;
}) {
  return (
    <ToggleSwitch
      label="Chiffres publiables (secret statistique)"
      helperText={helperText}
      checked={checked}
      onChange={onChange}
      showCheckedHint={false}
      className="fr-mb-3w"
    />
  );
}

/** A chart's values when figures must be publishable: a secret count draws nothing, and its label says NS. */
export function chartSeries(labels: readonly string[], values: readonly ApiCount[], publishableOnly: boolean): { labels: string[]; values: number[] } {
  return {
    labels: labels.map((label, index) => (hiddenCount(values[index] ?? 0, publishableOnly) ? `${label} (NS)` : label)),
    values: values.map((value) => (value === 'NS' || hiddenCount(value, publishableOnly) ? 0 : value)),
  };
}

/** The key figures of one region or of the country: files by status, pilots reporting per month, indicator totals. */
export function DashboardFigures({ dashboard, campaign, publishableOnly }: { dashboard: Dashboard; campaign: Campaign; publishableOnly: boolean }) {
  const count = (value: ApiCount): string => shownCount(value, publishableOnly);
  const [indicator, setIndicator] = useState(campaign.indicators[0] ?? '');
  const statusLabels = applicationStatuses.map((status) => applicationStatusTitles[status]);
  const statusValues = applicationStatuses.map((status) => dashboard.applications.byStatus[status] ?? 0);
  const byStatus = chartSeries(statusLabels, statusValues, publishableOnly);
  const months = dashboard.months.map((entry) => monthText(entry.month));
  const reporting = chartSeries(months, dashboard.months.map((entry) => entry.pilotsReporting), publishableOnly);
  const indicatorSeries = chartSeries(months, dashboard.months.map((entry) => entry.totals[indicator] ?? 0), publishableOnly);

  return (
    <>
      <p className="fr-text--sm">Chiffres calculés le {when(dashboard.generatedAt)}.</p>
      <h2>Chiffres clés</h2>
      <Table
        hideCaption
        caption="Chiffres clés"
        headers={['Chiffre', 'Valeur']}
        data={[
          ['Dossiers', count(dashboard.applications.total)],
          ['Dossiers retenus', count(dashboard.retained)],
          ['Conventions signées', count(dashboard.conventionsSigned)],
          ['Structures pilotes', count(dashboard.pilots)],
          [dashboard.reportingMonth ? `Pilotes ayant déclaré ${monthText(dashboard.reportingMonth)}` : 'Pilotes ayant déclaré le mois attendu', count(dashboard.pilotsReporting)],
        ]}
      />
      <h2>Dossiers par statut</h2>
      <BarChart title="Dossiers par statut" labels={byStatus.labels} values={byStatus.values} series="Dossiers" />
      <Table hideCaption caption="Dossiers par statut" headers={['Statut', 'Dossiers']} data={applicationStatuses.map((status, index) => [applicationStatusTitles[status], count(statusValues[index] ?? 0)])} />
      <h2>Pilotes déclarant chaque mois</h2>
      {dashboard.months.length === 0 ? (
        <p>Aucun mois déclaré pour l'instant.</p>
      ) : (
        <>
          <BarChart title="Pilotes ayant déclaré, par mois" labels={reporting.labels} values={reporting.values} series="Pilotes" />
          <Table caption="Pilotes ayant déclaré, par mois" headers={['Mois', 'Pilotes']} data={dashboard.months.map((entry) => [monthText(entry.month), count(entry.pilotsReporting)])} />
        </>
      )}
      <h2>Indicateurs d'usage</h2>
      {dashboard.months.length > 0 && campaign.indicators.length > 0 && (
        <>
          <Select label="Indicateur du graphique" className="app-region-picker" nativeSelectProps={{ value: indicator, onChange: (event) => setIndicator(event.target.value) }}>
            {campaign.indicators.map((code) => (
              <option key={code} value={code}>
                {indicatorLabel(code)}
              </option>
            ))}
          </Select>
          <LineChart title={`${indicatorLabel(indicator)}, par mois`} labels={indicatorSeries.labels} values={indicatorSeries.values} series={indicatorLabel(indicator)} />
          <Table
            caption={`${indicatorLabel(indicator)}, par mois`}
            headers={['Mois', 'Total déclaré']}
            data={dashboard.months.map((entry) => [monthText(entry.month), count(entry.totals[indicator] ?? 0)])}
          />
        </>
      )}
      <Table
        caption="Totaux par indicateur sur l'expérimentation"
        headers={['Indicateur', 'Total']}
        data={campaign.indicators.map((code) => [indicatorLabel(code), count(dashboard.totals[code] ?? 0)])}
      />
    </>
  );
}
