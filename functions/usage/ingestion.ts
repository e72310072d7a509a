import type { ClientGrant } from '../../layers/adapters/pilot-repository';
import { writeReports, type ReportToWrite } from '../../layers/adapters/usage-writer';
import type { Campaign } from '../../layers/domain/campaign';
import { DomainError } from '../../layers/domain/errors';
import { checkFiness } from '../../layers/domain/finess';
import { assertReportable, isWellFormedReport, unknownIndicatorErrors, usageReportSchema, type Figures } from '../../layers/domain/usage';
import { actorOf, type Principal } from '../../layers/http/auth';
import { issuesToFieldErrors } from '../../layers/http/request';
import { clientGrants, pilotNotFound } from './pilots';

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

/** The pilot each report is about, among those the client may report for in the batch's campaign. */
async function grantsFor(clientId: string, campaignId: string, reports: readonly CheckedReport[], fresh: boolean): Promise<Map<number, ClientGrant | undefined>> {
  const grants = await clientGrants(clientId, campaignId, fresh);
  return new Map(reports.map((report) => [report.index, grants.get(report.finess)]));
}

/**
 * The DUI batch: each report accepted or refused on its own (a refused one writes nothing), the accepted
 * ones written together in transactions of the right size.
 */
export async function ingestBatch(principal: Principal, campaign: Campaign, reports: readonly unknown[], now: Date): Promise<{ results: ReportResult[]; figuresWritten: number }> {
  const results = new Map<number, ReportResult>();
  const checked = checkShapes(reports, results);
  const clientId = principal.clientId ?? '';
  const cached = await grantsFor(clientId, campaign.id, checked, false);
  // A cached list may predate a registration: reports it does not cover are looked up again in the table.
  const uncovered = checked.filter((report) => cached.get(report.index) === undefined);
  const reread = uncovered.length > 0 ? await grantsFor(clientId, campaign.id, uncovered, true) : new Map<number, ClientGrant | undefined>();
  const actor = actorOf(principal);
  const toWrite: ReportToWrite[] = [];
  for (const report of checked) {
    const pilot = cached.get(report.index) ?? reread.get(report.index);
    try {
      // Not a pilot of the campaign, or another vendor's: the same refusal.
      if (!pilot) throw pilotNotFound();
      assertReportable(campaign, report.month, now);
      const unknown = unknownIndicatorErrors(campaign, report.indicators);
      if (unknown.length > 0) throw new DomainError('validation_failed', 'Certains indicateurs ne font pas partie de ceux de la campagne.', unknown);
      toWrite.push({ id: report.index, input: { pilot, month: report.month, indicators: report.indicators, actor, now } });
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
