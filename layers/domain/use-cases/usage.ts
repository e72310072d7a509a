import { authorize, type Action, type Caller, type Holding, type Relation } from '../access';
import type { Campaign } from '../campaign';
import type { core } from 'zod';
import { DomainError, notFound, type FieldError } from '../errors';
import { checkFiness } from '../finess';
import type { Pilot } from '../pilot';
import type { Applications, Campaigns, Pilots, Receipt, ReportToWrite, UsageReports, WriteOutcome } from '../ports';
import { assertKnownIndicators, assertReportable, isWellFormedReport, unknownIndicatorErrors, usageReportSchema, type Figures, type UsageCorrection, type UsageMonth } from '../usage';
import { campaignOf, type Acting } from './context';

export interface UsagePorts {
  readonly applications: Pick<Applications, 'get'>;
  readonly campaigns: Campaigns;
  readonly pilots: Pilots;
  readonly usage: UsageReports;
}

/**
 * What anyone not entitled to a pilot is told, whether the FINESS is not a pilot of the campaign or is
 * someone else's pilot: the two must look the same.
 */
export const pilotNotFound = (): DomainError => notFound("Ce FINESS n'est pas pilote de cette campagne, ou son pilote");

/** The pilot of this FINESS in this campaign, or 404 (an unknown campaign included). */
async function pilotInCampaign(ports: UsagePorts, campaignId: string, finess: string): Promise<{ pilot: Pilot; campaign: Campaign }> {
  const [campaign, pilot] = await Promise.all([ports.campaigns.get(campaignId), ports.pilots.get(finess, campaignId)]);
  if (!campaign || !pilot) throw pilotNotFound();
  return { campaign, pilot };
}

/**
 * Who holds a pilot is who holds its application (a transfer or a collaborator changes it), plus the
 * machine clients registered for it. A machine client needs only the pilot itself.
 */
async function holdingOf(ports: UsagePorts, caller: Caller, pilot: Pilot): Promise<Holding> {
  if (caller.roles.has('client')) return { ars: pilot.ars, reportingClients: pilot.reportingClients };
  const application = await ports.applications.get(pilot.applicationId);
  return { ...(application ?? {}), ars: pilot.ars, reportingClients: pilot.reportingClients };
}

/** The access policy on a pilot; a stranger's 404 is the same as for a FINESS that is no pilot. */
async function authorizePilot(ports: UsagePorts, caller: Caller, pilot: Pilot, action: Action): Promise<Relation> {
  try {
    return authorize(caller, await holdingOf(ports, caller, pilot), action);
  } catch (error) {
    if (error instanceof DomainError && error.code === 'not_found') throw pilotNotFound();
    throw error;
  }
}

interface OnPilot extends Acting {
  readonly campaignId: string;
  readonly finess: string;
}

/** A pilot the caller may act on, in its campaign. */
export async function pilotFor(ports: UsagePorts, command: Pick<OnPilot, 'caller' | 'campaignId' | 'finess'>, action: Action): Promise<{ pilot: Pilot; campaign: Campaign }> {
  const found = await pilotInCampaign(ports, command.campaignId, command.finess);
  await authorizePilot(ports, command.caller, found.pilot, action);
  return found;
}

/** A pilot's months and corrections, for whoever may read its usage. */
export async function pilotUsage(ports: UsagePorts, command: Pick<OnPilot, 'caller' | 'campaignId' | 'finess'>): Promise<{ pilot: Pilot; campaign: Campaign; months: UsageMonth[]; corrections: UsageCorrection[] }> {
  const { pilot, campaign } = await pilotFor(ports, command, 'read_usage');
  const [months, corrections] = await Promise.all([ports.usage.monthsOf(pilot.finess, campaign.id), ports.usage.correctionsOf(pilot.finess, campaign.id)]);
  return { pilot, campaign, months, corrections };
}

export interface ReportMonthCommand extends OnPilot {
  readonly month: string;
  readonly indicators: Figures;
  /** From If-Match: the version the caller read (0: the month must not exist yet). */
  readonly expectedVersion?: number;
}

/** One month's figures of a pilot, within its reporting window: written, unchanged (the same again) or refused. */
export async function reportMonth(ports: UsagePorts, command: ReportMonthCommand): Promise<{ outcome: Exclude<WriteOutcome, { status: 'refused' }>; pilot: Pilot; campaign: Campaign; corrections: UsageCorrection[] }> {
  const { pilot, campaign } = await pilotFor(ports, command, 'report_usage');
  assertReportable(campaign, command.month, command.at);
  assertKnownIndicators(campaign, command.indicators);
  const input = { pilot, month: command.month, indicators: command.indicators, actor: command.actor, now: command.at, expectedVersion: command.expectedVersion };
  const outcome = (await ports.usage.write([{ id: 0, input }])).get(0)!;
  if (outcome.status === 'refused') throw outcome.error;
  // A replaced month answers with its corrections, oldest first, this one included.
  // Stryker disable next-line ConditionalExpression,EqualityOperator: a first version has no correction, so asking the store for them would answer [] as well
  const corrections = outcome.month.version > 1 ? await ports.usage.correctionsOf(pilot.finess, campaign.id, command.month) : [];
  return { outcome, pilot, campaign, corrections };
}

/** What the batch answers for each report, in the order sent. */
export type ReportResult =
  | { readonly index: number; readonly status: 'acceptee'; readonly finess: string; readonly month: string; readonly version: number; readonly unchanged: boolean }
  | { readonly index: number; readonly status: 'refusee'; readonly code: string; readonly detail: string; readonly errors?: readonly { path: string; message: string }[] };

interface CheckedReport {
  readonly index: number;
  readonly finess: string;
  readonly month: string;
  readonly indicators: Figures;
}

const refused = (index: number, error: DomainError): ReportResult => ({
  index,
  status: 'refusee',
  code: error.code,
  detail: error.detail,
  ...(error.errors && error.errors.length > 0 ? { errors: error.errors } : {}),
});

export type FieldIssues = (issues: readonly core.$ZodIssue[]) => FieldError[];

/** Shape, FINESS and duplicates, each report on its own. */
function checkShapes(reports: readonly unknown[], results: Map<number, ReportResult>, fieldErrors: FieldIssues): CheckedReport[] {
  const checked: CheckedReport[] = [];
  const seen = new Map<string, number>();
  reports.forEach((raw, index) => {
    const parsed = isWellFormedReport(raw) ? { success: true as const, data: raw } : usageReportSchema.safeParse(raw);
    if (!parsed.success) {
      results.set(index, refused(index, new DomainError('validation_failed', 'La déclaration contient des champs invalides.', fieldErrors(parsed.error.issues))));
      return;
    }
    const finess = checkFiness(parsed.data.finess);
    if (!finess.ok) {
      results.set(index, refused(index, new DomainError('finess_invalid', finess.message, [{ path: 'finess', message: finess.message }])));
      return;
    }
    const key = `${finess.finess}#${parsed.data.month}`;
    const first = seen.get(key);
    if (first !== undefined) {
      results.set(index, refused(index, new DomainError('validation_failed', `Ce lot contient déjà une déclaration pour ce FINESS et ce mois (déclaration n° ${first}).`, [{ path: 'month', message: 'Déclaration en double dans le lot' }])));
      return;
    }
    seen.set(key, index);
    checked.push({ index, finess: finess.finess, month: parsed.data.month, indicators: parsed.data.indicators });
  });
  return checked;
}

export interface ReportBatchCommand extends Acting {
  readonly campaignId: string;
  readonly reports: readonly unknown[];
  /** How a schema's issues read as field errors (the HTTP layer's form). */
  readonly fieldErrors: FieldIssues;
}

/**
 * The DUI batch: each report accepted or refused on its own (a refused one writes nothing), the accepted
 * ones written together. A machine client reports for the pilots registered for it in the campaign.
 */
export async function reportBatch(ports: UsagePorts, command: ReportBatchCommand): Promise<{ results: ReportResult[]; figuresWritten: number }> {
  const campaign = await campaignOf(ports.campaigns, command.campaignId);
  const results = new Map<number, ReportResult>();
  const checked = checkShapes(command.reports, results, command.fieldErrors);
  const clientId = command.caller.clientId ?? '';
  const cached = await ports.pilots.grantsOf(clientId, campaign.id, false);
  // A cached list may predate a registration: reports it does not cover are looked up again.
  const uncovered = checked.some((report) => !cached.has(report.finess));
  const reread = uncovered ? await ports.pilots.grantsOf(clientId, campaign.id, true) : cached;
  const toWrite: ReportToWrite[] = [];
  for (const report of checked) {
    const pilot = cached.get(report.finess) ?? reread.get(report.finess);
    try {
      // Not a pilot of the campaign, or another vendor's: the same refusal.
      if (!pilot) throw pilotNotFound();
      assertReportable(campaign, report.month, command.at);
      const unknown = unknownIndicatorErrors(campaign, report.indicators);
      if (unknown.length > 0) throw new DomainError('validation_failed', 'Certains indicateurs ne font pas partie de ceux de la campagne.', unknown);
      toWrite.push({ id: report.index, input: { pilot, month: report.month, indicators: report.indicators, actor: command.actor, now: command.at } });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      results.set(report.index, refused(report.index, error));
    }
  }
  const outcomes = await ports.usage.write(toWrite);
  let figuresWritten = 0;
  for (const [index, outcome] of outcomes) {
    if (outcome.status === 'written') figuresWritten += Object.keys(outcome.month.indicators).length;
    results.set(
      index,
      outcome.status === 'refused'
        ? refused(index, outcome.error)
        : { index, status: 'acceptee', finess: outcome.month.finess, month: outcome.month.month, version: outcome.month.version, unchanged: outcome.status === 'unchanged' },
    );
  }
  return { results: command.reports.map((_, index) => results.get(index)!), figuresWritten };
}

export interface RegisterClientCommand extends OnPilot {
  readonly clientId: string;
  /** The machine clients the deployment's authorizer accepts: registering another would authorise no one. */
  readonly knownClients: ReadonlySet<string>;
  readonly receiptFor?: (registered: Pilot) => Receipt | undefined;
}

/** Staff let a DUI vendor's client report for a pilot; `registered` is false when it already was. */
export async function registerReportingClient(ports: UsagePorts, command: RegisterClientCommand): Promise<{ pilot: Pilot; registered: boolean }> {
  const { pilot } = await pilotFor(ports, command, 'register_client');
  // After the access check: who may not register learns nothing of the vendors.
  if (!command.knownClients.has(command.clientId)) {
    throw new DomainError('validation_failed', "Ce client n'est celui d'aucun éditeur de DUI de ce déploiement.", [{ path: 'clientId', message: 'Client inconnu' }]);
  }
  if (pilot.reportingClients.includes(command.clientId)) return { pilot, registered: false };
  const registered = { ...pilot, reportingClients: [...pilot.reportingClients, command.clientId] };
  if (await ports.pilots.registerClient(pilot, command.clientId, command.actor, command.at, command.receiptFor?.(registered))) return { pilot: registered, registered: true };
  // Registered meanwhile by someone else: the outcome the caller wants already holds.
  return { pilot: (await ports.pilots.get(pilot.finess, pilot.campaignId)) ?? registered, registered: false };
}
