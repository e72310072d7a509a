import * as z from 'zod/mini';
import { addMonths, formatDeadline, formatParisDate, isIsoMonth, parisMonth, toParisIso } from './calendar';
import { campaignIdSchema, experimentationText, milestoneInstants, type Campaign, type MilestoneField } from './campaign';
import { ConcurrentModificationError, DomainError, type FieldError } from './errors';
import { indicatorLabel } from './indicators';
import type { ArsCode } from './regions';

/**
 * Monthly usage figures of a pilot: aggregate counts only (DOMAIN.md). Nothing here, nor anywhere in the
 * API, accepts or stores patient-level data: no INS, no names, no addresses, only integers per indicator.
 */
export const MAX_FIGURE = 1_000_000;
export const MAX_REPORTS_PER_BATCH = 500;

export type Figures = Readonly<Record<string, number>>;

/** The figures of one pilot for one month, as they stand (the replaced ones live in its corrections). */
export interface UsageMonth {
  readonly finess: string;
  readonly campaignId: string;
  readonly ars: ArsCode;
  readonly month: string;
  readonly indicators: Figures;
  readonly version: number;
  readonly reportedAt: string;
  readonly reportedBy: string;
  readonly createdAt: string;
}

/** One replacement of a month's figures: append-only, who and when, old → new. */
export interface UsageCorrection {
  readonly finess: string;
  readonly campaignId: string;
  readonly month: string;
  /** The version this correction produced. */
  readonly version: number;
  readonly at: string;
  readonly actor: string;
  readonly from: Figures;
  readonly to: Figures;
  /** Who had reported the figures that were replaced, and when. */
  readonly replacedReportedAt: string;
  readonly replacedReportedBy: string;
}

/**
 * Indicators that count what is in service at the end of the month (mailboxes) rather than what happened
 * during it: their "total" is the latest month's value, never a sum over months (project decision).
 */
export const STOCK_INDICATORS: ReadonlySet<string> = new Set(['bal.nominatives', 'bal.organisationnelles']);
export const isStock = (code: string): boolean => STOCK_INDICATORS.has(code);

export const monthSchema = z.string().check(z.maxLength(7), z.refine(isIsoMonth, { message: 'Mois AAAA-MM attendu, par ex. 2024-03' }));

const figureSchema = z
  .number({ error: 'Nombre entier attendu' })
  .check(
    z.int({ error: 'Nombre entier attendu (pas de décimales)' }),
    z.gte(0, { error: 'Nombre positif ou nul attendu' }),
    // A function: the French number format is built when a figure is too large, not at every cold start.
    z.lte(MAX_FIGURE, { error: () => `Au plus ${MAX_FIGURE.toLocaleString('fr-FR')}` }),
  );

/** `{ "<indicator code>": count }`; which codes are known depends on the campaign (checked after parsing). */
export const figuresSchema = z
  .record(z.string().check(z.minLength(1), z.maxLength(80)), figureSchema)
  .check(
    z.refine((figures) => Object.keys(figures).length > 0, { message: 'Au moins un indicateur attendu' }),
    z.refine((figures) => Object.keys(figures).length <= 100, { message: 'Au plus 100 indicateurs' }),
  );

export const usagePutSchema = z.strictObject({ indicators: figuresSchema });
export type UsagePut = z.output<typeof usagePutSchema>;

/** One report of the DUI batch; each is checked on its own so that one bad report refuses only itself. */
export const usageReportSchema = z.strictObject({ finess: z.string().check(z.maxLength(20)), month: monthSchema, indicators: figuresSchema });
export type UsageReport = z.output<typeof usageReportSchema>;

const isFigure = (value: unknown): boolean => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_FIGURE;
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Exactly what usageReportSchema accepts, checked without building issues: a batch holds hundreds of reports
 * and nearly all are well formed, so only the others go through zod (for its field messages). The unit tests
 * hold the two to the same answer.
 */
export function isWellFormedReport(value: unknown): value is UsageReport {
  if (!isObject(value) || Object.keys(value).length !== 3) return false;
  const { finess, month, indicators } = value;
  if (typeof finess !== 'string' || finess.length > 20 || typeof month !== 'string' || !isIsoMonth(month) || !isObject(indicators)) return false;
  const codes = Object.keys(indicators);
  // zod drops a `__proto__` key (it cannot be an own property of its output): leave those reports to zod.
  return codes.length >= 1 && codes.length <= 100 && codes.every((code) => code.length >= 1 && code.length <= 80 && code !== '__proto__' && isFigure(indicators[code]));
}

export const usageBatchSchema = z.strictObject({
  campaignId: campaignIdSchema,
  reports: z
    .array(z.unknown())
    .check(z.minLength(1, { error: 'Au moins une déclaration attendue' }), z.maxLength(MAX_REPORTS_PER_BATCH, { error: `Au plus ${MAX_REPORTS_PER_BATCH} déclarations par appel` })),
});

export const reportingClientSchema = z.strictObject({
  clientId: z.string().check(z.regex(/^[A-Za-z0-9._:-]{1,128}$/, 'Identifiant de client : lettres, chiffres, « . », « _ », « : » ou « - » (128 au plus)')),
});

/** "mars 2024" from "2024-03". */
export const monthText = (month: string): string => formatParisDate(`${month}-01`).replace(/^1er /, '');

/** Codes outside the campaign's indicator set, each named as a field. */
export function unknownIndicatorErrors(campaign: Pick<Campaign, 'indicators'>, figures: Figures, prefix = 'indicators'): FieldError[] {
  return Object.keys(figures)
    .filter((code) => !campaign.indicators.includes(code))
    .map((code) => ({ path: `${prefix}.${code}`, message: 'Indicateur inconnu pour cette campagne' }));
}

export function assertKnownIndicators(campaign: Pick<Campaign, 'indicators'>, figures: Figures): void {
  const errors = unknownIndicatorErrors(campaign, figures);
  if (errors.length > 0) throw new DomainError('validation_failed', 'Certains indicateurs ne font pas partie de ceux de la campagne.', errors);
}

type Calendar = Pick<Campaign, MilestoneField>;

/**
 * The instants of the experimentation window. Going through the time-zone database costs about a millisecond
 * per calendar, and a batch asks hundreds of times about the same few campaigns: keep each answer.
 */
const windows = new Map<string, { readonly start: number; readonly end: number; readonly closesAt: number }>();

function windowOf(campaign: Calendar): { readonly start: number; readonly end: number; readonly closesAt: number } {
  const key = `${campaign.experimentationStart}#${campaign.experimentationEnd}#${campaign.reportingGraceDays}`;
  let window = windows.get(key);
  if (!window) {
    const at = milestoneInstants(campaign);
    window = { start: at.experimentationStart.getTime(), end: at.experimentationEnd.getTime(), closesAt: at.reportingClosesAt.getTime() };
    if (windows.size >= 1_000) windows.clear();
    windows.set(key, window);
  }
  return window;
}

/** The months a pilot reports: every month the experimentation touches; reporting closes after the grace days. */
export function reportingPeriod(campaign: Calendar): { firstMonth: string; lastMonth: string; closesAt: Date } {
  return {
    firstMonth: campaign.experimentationStart.slice(0, 7),
    lastMonth: campaign.experimentationEnd.slice(0, 7),
    closesAt: new Date(windowOf(campaign).closesAt),
  };
}

export const monthMeetsExperimentation = (campaign: Pick<Campaign, 'experimentationStart' | 'experimentationEnd'>, month: string): boolean =>
  month >= campaign.experimentationStart.slice(0, 7) && month <= campaign.experimentationEnd.slice(0, 7);

/** A month of the window, already begun, before reporting closes (API.md window rules). */
export function assertReportable(campaign: Campaign, month: string, now: Date): void {
  const { closesAt } = reportingPeriod(campaign);
  if (!monthMeetsExperimentation(campaign, month)) {
    throw new DomainError(
      'period_outside_experimentation',
      `Le mois de ${monthText(month)} est en dehors de l'expérimentation (${experimentationText(campaign)}) : aucun chiffre ne peut être déclaré pour ce mois.`,
      [{ path: 'month', message: "Mois hors de la période d'expérimentation" }],
    );
  }
  if (now.getTime() >= closesAt.getTime()) {
    throw new DomainError('reporting_closed', `Les remontées de cette campagne sont closes : elles étaient possibles jusqu'au ${formatDeadline(closesAt)}.`);
  }
  if (month > parisMonth(now)) {
    throw new DomainError('period_outside_experimentation', `Le mois de ${monthText(month)} n'a pas encore commencé : ses chiffres ne peuvent pas encore être déclarés.`, [
      { path: 'month', message: 'Mois pas encore commencé' },
    ]);
  }
}

/**
 * The month whose figures are expected now: last month, kept within the window (the last one is due as soon
 * as the experimentation has ended); null before the first one.
 */
export function reportingMonth(campaign: Calendar, now: Date): string | null {
  const { firstMonth, lastMonth } = reportingPeriod(campaign);
  if (now.getTime() >= windowOf(campaign).end) return lastMonth;
  // Before the end, this month is at most the last one: last month is within the window unless before it.
  const previous = addMonths(parisMonth(now), -1);
  return previous < firstMonth ? null : previous;
}

/** The months that should have been reported by now, oldest first. */
export function monthsDue(campaign: Calendar, now: Date): string[] {
  const last = reportingMonth(campaign, now);
  const months: string[] = [];
  if (last === null) return months;
  for (let month = reportingPeriod(campaign).firstMonth; month <= last; month = addMonths(month, 1)) months.push(month);
  return months;
}

export function sameFigures(a: Figures, b: Figures): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((code) => Object.prototype.hasOwnProperty.call(b, code) && b[code] === a[code]);
}

/** What a counter must add to go from `from` to `to` (codes that do not move are left out). */
export function figuresDelta(from: Figures, to: Figures): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const code of new Set([...Object.keys(from), ...Object.keys(to)])) {
    const change = (to[code] ?? 0) - (from[code] ?? 0);
    if (change !== 0) delta[code] = change;
  }
  return delta;
}

export function addFigures(into: Record<string, number>, figures: Figures): Record<string, number> {
  for (const [code, value] of Object.entries(figures)) into[code] = (into[code] ?? 0) + value;
  return into;
}

/** A pilot's totals over its months: flows add up, stocks are the latest month's value. */
export function pilotTotals(months: readonly Pick<UsageMonth, 'month' | 'indicators'>[]): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const { indicators } of [...months].sort((a, b) => a.month.localeCompare(b.month))) {
    for (const [code, value] of Object.entries(indicators)) totals[code] = isStock(code) ? value : (totals[code] ?? 0) + value;
  }
  return totals;
}

export interface ReportInput {
  readonly pilot: { readonly finess: string; readonly campaignId: string; readonly ars: ArsCode };
  readonly month: string;
  readonly indicators: Figures;
  readonly actor: string;
  readonly now: Date;
  /** From If-Match: the version the caller read (0: the month must not exist yet). */
  readonly expectedVersion?: number;
}

export type ReportPlan =
  | { readonly kind: 'unchanged'; readonly current: UsageMonth }
  | {
      readonly kind: 'write';
      readonly next: UsageMonth;
      readonly previous: UsageMonth | undefined;
      readonly correction: UsageCorrection | undefined;
      /** What the aggregates move by. */
      readonly delta: Record<string, number>;
      readonly newMonth: boolean;
    };

/** A batch stamps hundreds of reports with the same instant: format it once. */
let lastStamp: { readonly time: number; readonly text: string } | undefined;
function stampOf(now: Date): string {
  if (lastStamp?.time !== now.getTime()) lastStamp = { time: now.getTime(), text: toParisIso(now) };
  return lastStamp.text;
}

/**
 * Replacing a month's figures: the first report creates version 1; a different one replaces it and keeps the
 * replaced figures in a correction; the same figures again change nothing (so a retried call writes nothing).
 */
export function planReport(previous: UsageMonth | undefined, input: ReportInput): ReportPlan {
  if (input.expectedVersion !== undefined && input.expectedVersion !== (previous?.version ?? 0)) throw new ConcurrentModificationError();
  const indicators = Object.fromEntries(Object.entries(input.indicators).map(([code, value]) => [code, value + 0]));
  if (previous && sameFigures(previous.indicators, indicators)) return { kind: 'unchanged', current: previous };
  const at = stampOf(input.now);
  const next: UsageMonth = {
    finess: input.pilot.finess,
    campaignId: input.pilot.campaignId,
    ars: input.pilot.ars,
    month: input.month,
    indicators,
    version: (previous?.version ?? 0) + 1,
    reportedAt: at,
    reportedBy: input.actor,
    createdAt: previous?.createdAt ?? at,
  };
  const correction: UsageCorrection | undefined = previous
    ? {
        finess: next.finess,
        campaignId: next.campaignId,
        month: next.month,
        version: next.version,
        at,
        actor: input.actor,
        from: previous.indicators,
        to: indicators,
        replacedReportedAt: previous.reportedAt,
        replacedReportedBy: previous.reportedBy,
      }
    : undefined;
  return { kind: 'write', next, previous, correction, delta: figuresDelta(previous?.indicators ?? {}, indicators), newMonth: previous === undefined };
}

export function usageMonthView(month: UsageMonth, corrections: readonly UsageCorrection[] = []) {
  return {
    month: month.month,
    indicators: month.indicators,
    version: month.version,
    reportedAt: month.reportedAt,
    reportedBy: month.reportedBy,
    corrections: corrections.map((correction) => ({
      version: correction.version,
      at: correction.at,
      actor: correction.actor,
      from: correction.from,
      to: correction.to,
      replacedReportedAt: correction.replacedReportedAt,
      replacedReportedBy: correction.replacedReportedBy,
    })),
  };
}

export const indicatorsView = (codes: readonly string[]) => codes.map((code) => ({ code, label: indicatorLabel(code), kind: isStock(code) ? 'stock' : 'flux' }));
