import { mapPool } from '../../layers/adapters/batching';
import { campaignRepository } from '../../layers/adapters/campaign-repository';
import { pilotRepository, type ClientGrant } from '../../layers/adapters/pilot-repository';
import { writeReports, type ReportToWrite } from '../../layers/adapters/usage-writer';
import type { Campaign } from '../../layers/domain/campaign';
import { DomainError, notFound } from '../../layers/domain/errors';
import { checkFiness } from '../../layers/domain/finess';
import { assertReportable, choosePilotCampaign, isWellFormedReport, unknownIndicatorErrors, usageReportSchema, type Figures } from '../../layers/domain/usage';
import { actorOf, type Principal } from '../../layers/http/auth';
import { issuesToFieldErrors } from '../../layers/http/request';
import { clientGrants, notAPilot } from './pilots';

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

/** Shape, FINESS and duplicates, each report on its own. */
function checkShapes(reports: readonly unknown[], results: Map<number, ReportResult>): CheckedReport[] {
  const checked: CheckedReport[] = [];
  const seen = new Map<string, number>();
  reports.forEach((raw, index) => {
    const parsed = isWellFormedReport(raw) ? { success: true as const, data: raw } : usageReportSchema.safeParse(raw);
    if (!parsed.success) {
      results.set(index, refused(index, new DomainError('validation_failed', 'La déclaration contient des champs invalides.', issuesToFieldErrors(parsed.error.issues))));
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

type Target = { readonly pilot: ClientGrant; readonly campaign: Campaign };

/** The pilot and campaign each report is about, among those the client may report for. */
async function targetsOf(clientId: string, reports: readonly CheckedReport[], now: Date, fresh: boolean): Promise<Map<number, Target | undefined>> {
  const grants = await clientGrants(clientId, fresh);
  const ids = [...new Set(reports.flatMap((report) => (grants.get(report.finess) ?? []).map((grant) => grant.campaignId)))];
  const byId = new Map((await Promise.all(ids.map((id) => campaignRepository.get(id)))).flatMap((campaign) => (campaign ? [[campaign.id, campaign] as const] : [])));
  const targets = new Map<number, Target | undefined>();
  for (const report of reports) {
    const options = (grants.get(report.finess) ?? []).flatMap((grant) => {
      const campaign = byId.get(grant.campaignId);
      return campaign ? [{ pilot: grant, campaign }] : [];
    });
    targets.set(report.index, choosePilotCampaign(options, report.month, now));
  }
  return targets;
}

/** Why a report names a FINESS the client may not report for: not a pilot at all, or another's pilot. */
async function refusalsFor(finesses: readonly string[]): Promise<Map<string, DomainError>> {
  const refusals = new Map<string, DomainError>();
  await mapPool([...new Set(finesses)], 8, async (finess) => {
    refusals.set(finess, (await pilotRepository.forFiness(finess)).length > 0 ? notFound('Le pilote demandé') : notAPilot(finess));
  });
  return refusals;
}

/**
 * The DUI batch: each report accepted or refused on its own (a refused one writes nothing), the accepted
 * ones written together in transactions of the right size.
 */
export async function ingestBatch(principal: Principal, reports: readonly unknown[], now: Date): Promise<{ results: ReportResult[]; figuresWritten: number }> {
  const results = new Map<number, ReportResult>();
  const checked = checkShapes(reports, results);
  const clientId = principal.clientId ?? '';
  const cached = await targetsOf(clientId, checked, now, false);
  // A cached list may predate a registration: reports it does not cover are looked up again in the table.
  const uncovered = checked.filter((report) => cached.get(report.index) === undefined);
  const reread = uncovered.length > 0 ? await targetsOf(clientId, uncovered, now, true) : new Map<number, Target | undefined>();
  const refusals = await refusalsFor(uncovered.filter((report) => reread.get(report.index) === undefined).map((report) => report.finess));
  const actor = actorOf(principal);
  const toWrite: ReportToWrite[] = [];
  for (const report of checked) {
    const target = cached.get(report.index) ?? reread.get(report.index);
    try {
      if (!target) throw refusals.get(report.finess) ?? notAPilot(report.finess);
      assertReportable(target.campaign, report.month, now);
      const unknown = unknownIndicatorErrors(target.campaign, report.indicators);
      if (unknown.length > 0) throw new DomainError('validation_failed', 'Certains indicateurs ne font pas partie de ceux de la campagne.', unknown);
      toWrite.push({ id: report.index, input: { pilot: target.pilot, month: report.month, indicators: report.indicators, actor, now } });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      results.set(report.index, refused(report.index, error));
    }
  }
  const outcomes = await writeReports(toWrite);
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
  return { results: reports.map((_, index) => results.get(index)!), figuresWritten };
}
