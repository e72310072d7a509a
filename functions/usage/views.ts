import { toParisIso } from '../../layers/domain/calendar';
import type { Campaign } from '../../layers/domain/campaign';
import { fundingOutcome } from '../../layers/domain/funding';
import type { Pilot } from '../../layers/domain/pilot';
import { indicatorsView, monthsDue, pilotTotals, reportingMonth, reportingPeriod, usageMonthView, type UsageCorrection, type UsageMonth } from '../../layers/domain/usage';

/** GET /v1/pilots/{finess}/usage: months with their corrections, totals, progress against targets, funding. */
export function pilotUsageView(pilot: Pilot, campaign: Campaign, months: readonly UsageMonth[], corrections: readonly UsageCorrection[], now: Date) {
  const { firstMonth, lastMonth, closesAt } = reportingPeriod(campaign);
  const reported = new Set(months.map((month) => month.month));
  const computed = pilotTotals(months);
  const totals = Object.fromEntries(campaign.indicators.map((code) => [code, computed[code] ?? 0]));
  const funding = fundingOutcome({ campaign, pilot, totals, now });
  return {
    finess: pilot.finess,
    campaignId: campaign.id,
    name: pilot.name,
    ars: pilot.ars,
    period: { firstMonth, lastMonth, reportingClosesAt: toParisIso(closesAt), reportingMonth: reportingMonth(campaign, now) },
    indicators: indicatorsView(campaign.indicators),
    months: months.map((month) => usageMonthView(month, corrections.filter((correction) => correction.month === month.month))),
    missingMonths: monthsDue(campaign, now).filter((month) => !reported.has(month)),
    totals,
    progress: funding.progress,
    funding: {
      amountEur: funding.amountEur,
      firstInstalmentEur: funding.firstInstalmentEur,
      secondInstalmentEur: funding.secondInstalmentEur,
      secondInstalmentStatus: funding.secondInstalmentStatus,
      targetsMet: funding.targetsMet,
      decidedAt: funding.decidedAt,
    },
  };
}
