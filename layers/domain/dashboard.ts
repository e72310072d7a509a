import { toParisIso } from './calendar';
import { applicationStatuses, type ApplicationStatus } from './application';
import type { Campaign } from './campaign';
import { arsName, type ArsCode } from './regions';
import { isSecret, publishable } from './statistical-secrecy';
import { addFigures, isStock, reportingMonth, type Figures } from './usage';

/** One usage counter row: what a region's pilots reported for one month (a shard of it, or the sum). */
export interface UsageCounter {
  readonly ars: ArsCode;
  readonly month: string;
  /** Pilots that reported this month. */
  readonly pilots: number;
  readonly totals: Figures;
}

/** Counts read from the indexes (a few hundred items at most) and the usage counters. */
export interface DashboardInputs {
  readonly campaign: Pick<Campaign, 'id' | 'indicators' | 'experimentationStart' | 'experimentationEnd' | 'intakeOpensAt' | 'intakeClosesAt' | 'selectionEndsAt' | 'conventionsDueAt' | 'reportingGraceDays'>;
  readonly now: Date;
  /** The region asked for, or undefined for the national view (with one entry per region). */
  readonly ars: ArsCode | undefined;
  readonly applications: ReadonlyMap<ArsCode, Partial<Record<ApplicationStatus, number>>>;
  readonly conventionsSigned: ReadonlyMap<ArsCode, number>;
  readonly pilots: ReadonlyMap<ArsCode, number>;
  readonly counters: readonly UsageCounter[];
}

export interface MonthFigures {
  readonly month: string;
  readonly pilotsReporting: number;
  readonly totals: Record<string, number>;
}

export interface KeyFigures {
  readonly applications: { readonly total: number; readonly byStatus: Record<ApplicationStatus, number> };
  readonly retained: number;
  readonly conventionsSigned: number;
  readonly pilots: number;
  /** Pilots that reported the month whose figures are expected now. */
  readonly pilotsReporting: number;
  /** Flows summed over the months; stocks (mailboxes in service) as of the latest month reported. */
  readonly totals: Record<string, number>;
  readonly months: readonly MonthFigures[];
  /** The figures people quote: "19 structures pilotes, 89 boîtes aux lettres nominatives, …". */
  readonly summary: string;
}

function monthsOf(counters: readonly UsageCounter[]): MonthFigures[] {
  const byMonth = new Map<string, { pilotsReporting: number; totals: Record<string, number> }>();
  for (const counter of counters) {
    const entry = byMonth.get(counter.month) ?? { pilotsReporting: 0, totals: {} };
    entry.pilotsReporting += counter.pilots;
    addFigures(entry.totals, counter.totals);
    byMonth.set(counter.month, entry);
  }
  return [...byMonth.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([month, entry]) => ({ month, ...entry }));
}

const withEveryCode = (totals: Record<string, number>, codes: readonly string[]): Record<string, number> => ({
  ...Object.fromEntries(codes.map((code) => [code, 0])),
  ...totals,
});

function totalsOf(months: readonly MonthFigures[], codes: readonly string[]): Record<string, number> {
  const totals: Record<string, number> = Object.fromEntries(codes.map((code) => [code, 0]));
  for (const { totals: monthTotals } of months) {
    for (const [code, value] of Object.entries(monthTotals)) {
      // Months come oldest first: a stock ends at the latest month that reported it.
      totals[code] = isStock(code) ? value : (totals[code] ?? 0) + value;
    }
  }
  return totals;
}

const plural = (count: number, one: string, many: string, secret: boolean): string =>
  secret && isSecret(count) ? `NS ${many}` : `${count.toLocaleString('fr-FR')} ${count > 1 ? many : one}`;

/**
 * Like the regional pilots' own: "19 structures pilotes, 89 boîtes aux lettres nominatives, 212 messages sécurisés";
 * for publication, a count of 1 to 4 reads "NS" ("NS structures pilotes").
 */
function summaryOf(pilots: number, totals: Record<string, number>, secret = false): string {
  const sumOf = (match: (code: string) => boolean) => Object.entries(totals).filter(([code]) => match(code)).reduce((sum, [, value]) => sum + value, 0);
  const parts: [number, string, string][] = [
    [totals['bal.nominatives'] ?? 0, 'boîte aux lettres nominative', 'boîtes aux lettres nominatives'],
    [totals['bal.organisationnelles'] ?? 0, 'boîte aux lettres organisationnelle', 'boîtes aux lettres organisationnelles'],
    [sumOf((code) => code.startsWith('mss.')), 'message sécurisé', 'messages sécurisés'],
    [sumOf((code) => code.startsWith('docs_dmp.')), 'document envoyé au DMP', 'documents envoyés au DMP'],
    [totals['mes.activations_accompagnees'] ?? 0, 'profil Mon espace santé activé', 'profils Mon espace santé activés'],
  ];
  return [plural(pilots, 'structure pilote', 'structures pilotes', secret), ...parts.filter(([count]) => count > 0).map(([count, one, many]) => plural(count, one, many, secret))].join(', ');
}

function keyFigures(inputs: DashboardInputs, regions: readonly ArsCode[], month: string | null): KeyFigures {
  const byStatus = Object.fromEntries(applicationStatuses.map((status) => [status, 0])) as Record<ApplicationStatus, number>;
  let conventionsSigned = 0;
  let pilots = 0;
  for (const ars of regions) {
    for (const [status, count] of Object.entries(inputs.applications.get(ars) ?? {})) byStatus[status as ApplicationStatus] += count ?? 0;
    conventionsSigned += inputs.conventionsSigned.get(ars) ?? 0;
    pilots += inputs.pilots.get(ars) ?? 0;
  }
  const counters = inputs.counters.filter((counter) => regions.includes(counter.ars));
  const months = monthsOf(counters);
  const totals = totalsOf(months, inputs.campaign.indicators);
  return {
    applications: { total: Object.values(byStatus).reduce((sum, count) => sum + count, 0), byStatus },
    retained: byStatus.retenue,
    conventionsSigned,
    pilots,
    pilotsReporting: months.find((entry) => entry.month === month)?.pilotsReporting ?? 0,
    totals,
    months: months.map((entry) => ({ ...entry, totals: withEveryCode(entry.totals, inputs.campaign.indicators) })),
    summary: summaryOf(pilots, totals),
  };
}

type Shown<T> = T extends number ? number | 'NS' : T extends readonly (infer Item)[] ? readonly Shown<Item>[] : T extends object ? { readonly [K in keyof T]: Shown<T[K]> } : T;
/** Key figures as published: every count may be "NS". */
export type PublishedKeyFigures = Shown<Omit<KeyFigures, 'summary'>> & { readonly summary: string };

const shownEach = <K extends string>(counts: Record<K, number>): Record<K, number | 'NS'> =>
  Object.fromEntries(Object.entries<number>(counts).map(([key, count]) => [key, publishable(count)])) as Record<K, number | 'NS'>;

/** The figures meant for publication: each count of 1 to 4 becomes "NS" (statistical secrecy), 0 stays 0. */
function publishedFigures(figures: KeyFigures): PublishedKeyFigures {
  return {
    applications: { total: publishable(figures.applications.total), byStatus: shownEach(figures.applications.byStatus) },
    retained: publishable(figures.retained),
    conventionsSigned: publishable(figures.conventionsSigned),
    pilots: publishable(figures.pilots),
    pilotsReporting: publishable(figures.pilotsReporting),
    totals: shownEach(figures.totals),
    months: figures.months.map((entry) => ({ month: entry.month, pilotsReporting: publishable(entry.pilotsReporting), totals: shownEach(entry.totals) })),
    summary: summaryOf(figures.pilots, figures.totals, true),
  };
}

/**
 * The key figures of a campaign, for one region or nationally with one entry per region that has any activity;
 * with `publishable`, as published under statistical secrecy.
 */
export function dashboardView(inputs: DashboardInputs, options: { readonly publishable?: boolean } = {}) {
  const month = reportingMonth(inputs.campaign, inputs.now);
  const active = new Set<ArsCode>([...inputs.applications.keys(), ...inputs.conventionsSigned.keys(), ...inputs.pilots.keys(), ...inputs.counters.map((counter) => counter.ars)]);
  const scope = inputs.ars ? [inputs.ars] : [...active].sort();
  const figuresOf = (regions: readonly ArsCode[]): KeyFigures | PublishedKeyFigures => {
    const figures = keyFigures(inputs, regions, month);
    return options.publishable ? publishedFigures(figures) : figures;
  };
  return {
    campaignId: inputs.campaign.id,
    ars: inputs.ars ?? null,
    generatedAt: toParisIso(inputs.now),
    reportingMonth: month,
    ...figuresOf(scope),
    ...(inputs.ars ? {} : { regions: scope.map((ars) => ({ ars, name: arsName(ars), ...figuresOf([ars]) })) }),
  };
}
