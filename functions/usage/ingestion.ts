import { mapPool } from '../../layers/adapters/batching';
import { campaignRepository } from '../../layers/adapters/campaign-repository';
import { pilotRepository } from '../../layers/adapters/pilot-repository';
import { writeReports, type ReportToWrite } from '../../layers/adapters/usage-writer';
import type { Campaign } from '../../layers/domain/campaign';
import { DomainError } from '../../layers/domain/errors';
import { checkFiness } from '../../layers/domain/finess';
import type { Pilot } from '../../layers/domain/pilot';
import { assertReportable, choosePilotCampaign, monthMeetsExperimentation, unknownIndicatorErrors, usageReportSchema, type Figures } from '../../layers/domain/usage';
import { actorOf, type Principal } from '../../layers/http/auth';
import { issuesToFieldErrors } from '../../layers/http/request';
import { allCampaigns, notAPilot, recentPilots, reportingRefusal } from './pilots';

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
    const parsed = usageReportSchema.safeParse(raw);
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

/**
 * The pilot each report is about, with as few reads as possible: the campaigns whose window holds its month
 * give the candidate keys, read by BatchGetItem; only reports that match none are looked up by FINESS (to
 * tell "not a pilot" from "month outside the window").
 */
async function pilotsOf(reports: readonly CheckedReport[], now: Date, fresh = false): Promise<Map<number, { pilot: Pilot; campaign: Campaign } | undefined>> {
  const campaigns = await allCampaigns();
  const candidates = reports.flatMap((report) =>
    campaigns.filter((campaign) => monthMeetsExperimentation(campaign, report.month)).map((campaign) => ({ finess: report.finess, campaignId: campaign.id })),
  );
  const found = await recentPilots(candidates, fresh);
  const byId = new Map(campaigns.map((campaign) => [campaign.id, campaign]));
  const resolved = new Map<number, { pilot: Pilot; campaign: Campaign } | undefined>();
  const unmatched: CheckedReport[] = [];
  for (const report of reports) {
    const options = campaigns
      .filter((campaign) => found.has(`${report.finess}#${campaign.id}`))
      .map((campaign) => ({ pilot: found.get(`${report.finess}#${campaign.id}`)!, campaign }));
    const chosen = choosePilotCampaign(options, report.month, now);
    if (chosen) resolved.set(report.index, chosen);
    else unmatched.push(report);
  }
  const others = new Map<string, Pilot[]>();
  await mapPool([...new Set(unmatched.map((report) => report.finess))], 8, async (finess) => others.set(finess, await pilotRepository.forFiness(finess)));
  for (const report of unmatched) {
    const options = await Promise.all(
      (others.get(report.finess) ?? []).map(async (pilot) => ({ pilot, campaign: byId.get(pilot.campaignId) ?? (await campaignRepository.get(pilot.campaignId)) })),
    );
    resolved.set(report.index, choosePilotCampaign(options.filter((option): option is { pilot: Pilot; campaign: Campaign } => option.campaign !== undefined), report.month, now));
  }
  return resolved;
}

/**
 * The DUI batch: each report accepted or refused on its own (a refused one writes nothing), the accepted
 * ones written together in transactions of the right size.
 */
export async function ingestBatch(principal: Principal, reports: readonly unknown[], now: Date): Promise<ReportResult[]> {
  const results = new Map<number, ReportResult>();
  const checked = checkShapes(reports, results);
  const recent = await pilotsOf(checked, now);
  // Records from the cache may predate a registration: whatever they refuse is read again from the table.
  const doubtful = checked.filter((report) => {
    const target = recent.get(report.index);
    return !target || reportingRefusal(principal, target.pilot) !== undefined;
  });
  const reread = doubtful.length > 0 ? await pilotsOf(doubtful, now, true) : new Map<number, undefined>();
  const actor = actorOf(principal);
  const toWrite: ReportToWrite[] = [];
  for (const report of checked) {
    const target = reread.has(report.index) ? reread.get(report.index) : recent.get(report.index);
    try {
      if (!target) throw notAPilot(report.finess);
      const refusal = reportingRefusal(principal, target.pilot);
      if (refusal) throw refusal;
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
  for (const [index, outcome] of outcomes) {
    results.set(
      index,
      outcome.status === 'refused'
        ? refused(index, outcome.error)
        : { index, status: 'acceptee', finess: outcome.month.finess, month: outcome.month.month, version: outcome.month.version, unchanged: outcome.status === 'unchanged' },
    );
  }
  return reports.map((_, index) => results.get(index)!);
}
