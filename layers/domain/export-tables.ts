import type { Application } from './application';
import { parseInstant } from './calendar';
import type { Campaign } from './campaign';
import { categoryOf } from './categories';
import type { Cell } from './csv';
import { fundingOutcome } from './funding';
import { indicatorLabel } from './indicators';
import type { Pilot } from './pilot';
import { arsName } from './regions';
import { publishable } from './statistical-secrecy';
import { monthsDue, pilotTotals, type UsageMonth } from './usage';

/**
 * The three exports, defined once: each column's header, what kind of value it holds, and how a row gets it.
 * The CSV writer formats the typed rows (layers/domain/csv.ts), the XLSX writer keeps their types
 * (functions/exports/xlsx.ts), so both files always have the same rows and columns.
 *
 * Kinds: `count` is a number of things or people counted (usage figures): the one kind statistical secrecy
 * applies to. `integer`, `decimal` and `euros` are numbers that are not counts (capacity, version, a score,
 * amounts, targets set by the campaign). `instant` cells are Dates (instants), shown in Paris time.
 */
export type ColumnKind = 'text' | 'integer' | 'count' | 'decimal' | 'euros' | 'boolean' | 'instant';

export interface Column<Source> {
  readonly header: string;
  readonly kind: ColumnKind;
  readonly value: (source: Source) => Cell;
}

export interface ExportTable {
  /** The worksheet's name in the XLSX (at most 31 characters). */
  readonly sheet: string;
  readonly columns: readonly Pick<Column<unknown>, 'header' | 'kind'>[];
  readonly rows: readonly (readonly Cell[])[];
}

export function tableOf<Source>(sheet: string, columns: readonly Column<Source>[], sources: readonly Source[]): ExportTable {
  return {
    sheet,
    columns: columns.map(({ header, kind }) => ({ header, kind })),
    rows: sources.map((source) => columns.map((column) => column.value(source))),
  };
}

/** The table as published: counts of 1 to 4 in `count` columns become "NS" (statistical secrecy); nothing else changes. */
export function publishableTable(table: ExportTable): ExportTable {
  const counts = table.columns.map((column) => column.kind === 'count');
  return { ...table, rows: table.rows.map((row) => row.map((cell, index) => (counts[index] && typeof cell === 'number' ? publishable(cell) : cell))) };
}

/** An instant of the data (ISO 8601) as the Date cell of an export; none when absent or unreadable. */
const instant = (iso: string | undefined): Date | undefined => (iso ? parseInstant(iso) : undefined);

// ---- applications ----------------------------------------------------------------------------------

export const applicationColumns: readonly Column<Application>[] = [
  { header: 'Dossier', kind: 'text', value: (a) => a.id },
  { header: 'Campagne', kind: 'text', value: (a) => a.campaignId },
  // The 9 characters, as stored: what lookups and joins with the FINESS directory match on.
  { header: 'FINESS', kind: 'text', value: (a) => a.finess },
  { header: 'Nom', kind: 'text', value: (a) => a.name },
  { header: 'Catégorie', kind: 'text', value: (a) => a.category },
  { header: 'Libellé catégorie', kind: 'text', value: (a) => (a.category ? categoryOf(a.category)?.label : undefined) },
  { header: 'Secteur', kind: 'text', value: (a) => a.sector },
  { header: 'Mode', kind: 'text', value: (a) => a.mode },
  { header: 'Département', kind: 'text', value: (a) => a.department },
  { header: 'ARS', kind: 'text', value: (a) => arsName(a.ars) },
  { header: 'Statut', kind: 'text', value: (a) => a.status },
  { header: 'Contact', kind: 'text', value: (a) => a.contact?.name },
  { header: 'Courriel', kind: 'text', value: (a) => a.contact?.email },
  { header: 'Téléphone', kind: 'text', value: (a) => a.contact?.phone },
  { header: 'Éditeur DUI', kind: 'text', value: (a) => a.dui?.editor },
  { header: 'Produit DUI', kind: 'text', value: (a) => a.dui?.product },
  { header: 'Référencé Ségur', kind: 'boolean', value: (a) => a.dui?.segurReferenced },
  { header: 'Compatible MES', kind: 'boolean', value: (a) => a.dui?.mesCapable },
  { header: 'DMP', kind: 'text', value: (a) => a.readiness?.dmp },
  { header: 'MSSanté', kind: 'text', value: (a) => a.readiness?.mss },
  { header: 'INS', kind: 'text', value: (a) => a.readiness?.ins },
  { header: 'Parcours', kind: 'text', value: (a) => a.pathways?.join(', ') },
  { header: 'Échanges prévus', kind: 'text', value: (a) => a.exchanges },
  { header: 'Information et formation', kind: 'text', value: (a) => a.awarenessMeans },
  // A structure's places, public in the FINESS directory: not a count statistical secrecy protects.
  { header: 'Capacité', kind: 'integer', value: (a) => a.capacity },
  { header: 'Créé le', kind: 'instant', value: (a) => instant(a.createdAt) },
  { header: 'Déposé le', kind: 'instant', value: (a) => instant(a.submittedAt) },
  { header: 'Note moyenne', kind: 'decimal', value: (a) => a.review?.average },
  { header: 'Décision', kind: 'text', value: (a) => a.decision?.decision },
  { header: 'Motivation', kind: 'text', value: (a) => a.decision?.motivation },
  { header: 'Notifiée le', kind: 'instant', value: (a) => instant(a.decision?.notifiedAt) },
];

/** One row per application, by region then creation. */
export const applicationsTable = (applications: readonly Application[]): ExportTable => tableOf('Candidatures', applicationColumns, applications);

// ---- usage ---------------------------------------------------------------------------------------

export interface UsageLine {
  readonly campaign: Pick<Campaign, 'id'>;
  readonly pilot: Pick<Pilot, 'ars' | 'finess' | 'name'>;
  readonly month: UsageMonth;
  readonly indicator: string;
}

export const usageColumns: readonly Column<UsageLine>[] = [
  { header: 'Campagne', kind: 'text', value: (line) => line.campaign.id },
  { header: 'ARS', kind: 'text', value: (line) => arsName(line.pilot.ars) },
  { header: 'FINESS', kind: 'text', value: (line) => line.pilot.finess },
  { header: 'Structure', kind: 'text', value: (line) => line.pilot.name },
  { header: 'Mois', kind: 'text', value: (line) => line.month.month },
  { header: 'Indicateur', kind: 'text', value: (line) => line.indicator },
  { header: 'Libellé', kind: 'text', value: (line) => indicatorLabel(line.indicator) },
  { header: 'Valeur', kind: 'count', value: (line) => line.month.indicators[line.indicator] },
  { header: 'Version', kind: 'integer', value: (line) => line.month.version },
  { header: 'Déclaré le', kind: 'instant', value: (line) => instant(line.month.reportedAt) },
  { header: 'Déclaré par', kind: 'text', value: (line) => line.month.reportedBy },
];

/**
 * One row per pilot × reported month × indicator of the campaign (empty value: not reported that month).
 * `months` holds each pilot's reported months, oldest first.
 */
export function usageTable(campaign: Pick<Campaign, 'id' | 'indicators'>, pilots: readonly Pilot[], months: ReadonlyMap<string, readonly UsageMonth[]>): ExportTable {
  const lines = pilots.flatMap((pilot) => (months.get(pilot.finess) ?? []).flatMap((month) => campaign.indicators.map((indicator) => ({ campaign, pilot, month, indicator }))));
  return tableOf('Usage', usageColumns, lines);
}

// ---- funding -------------------------------------------------------------------------------------

export interface FundingLine {
  readonly campaign: Pick<Campaign, 'id'>;
  readonly pilot: Pilot;
  readonly outcome: ReturnType<typeof fundingOutcome>;
  readonly reportedMonths: readonly string[];
  readonly missingMonths: readonly string[];
}

/** The fixed columns, then per target (sorted by code) its total (a count) and the campaign's objective. */
export function fundingColumns(targetCodes: readonly string[]): Column<FundingLine>[] {
  const targetOf = (line: FundingLine, code: string) => line.outcome.progress.find((target) => target.indicator === code);
  return [
    { header: 'Campagne', kind: 'text', value: (line) => line.campaign.id },
    { header: 'ARS', kind: 'text', value: (line) => arsName(line.pilot.ars) },
    { header: 'FINESS', kind: 'text', value: (line) => line.pilot.finess },
    { header: 'Structure', kind: 'text', value: (line) => line.pilot.name },
    { header: 'Convention', kind: 'text', value: (line) => line.pilot.conventionId },
    { header: 'Signée le', kind: 'instant', value: (line) => instant(line.pilot.signedAt) },
    { header: 'Montant (€)', kind: 'euros', value: (line) => line.outcome.amountEur },
    { header: '1re tranche (€)', kind: 'euros', value: (line) => line.outcome.firstInstalmentEur },
    { header: '2e tranche (€)', kind: 'euros', value: (line) => line.outcome.secondInstalmentEur },
    { header: 'Statut 2e tranche', kind: 'text', value: (line) => line.outcome.secondInstalmentStatus },
    { header: 'Objectifs atteints', kind: 'text', value: (line) => `${line.outcome.progress.filter((target) => target.met).length}/${line.outcome.progress.length}` },
    { header: 'Mois déclarés', kind: 'integer', value: (line) => line.reportedMonths.length },
    { header: 'Mois manquants', kind: 'text', value: (line) => line.missingMonths.join(', ') },
    ...targetCodes.flatMap((code): Column<FundingLine>[] => [
      { header: `${code} : total`, kind: 'count', value: (line) => targetOf(line, code)?.total },
      { header: `${code} : objectif`, kind: 'integer', value: (line) => targetOf(line, code)?.target },
    ]),
  ];
}

/** One row per pilot: the instalments, the second's status and, per target, the total against it. */
export function fundingTable(campaign: Campaign, pilots: readonly Pilot[], months: ReadonlyMap<string, readonly UsageMonth[]>, now: Date): ExportTable {
  const due = monthsDue(campaign, now);
  const lines = pilots.map((pilot): FundingLine => {
    const reported = months.get(pilot.finess) ?? [];
    const reportedMonths = reported.map((month) => month.month);
    return {
      campaign,
      pilot,
      outcome: fundingOutcome({ campaign, pilot, totals: pilotTotals(reported), now }),
      reportedMonths,
      missingMonths: due.filter((month) => !reportedMonths.includes(month)),
    };
  });
  return tableOf('Financement', fundingColumns(Object.keys(campaign.targets).sort()), lines);
}
