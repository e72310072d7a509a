import { toParisIso } from './calendar';
import type { Campaign, MilestoneField } from './campaign';
import { indicatorLabel } from './indicators';
import type { Pilot } from './pilot';
import { reportingPeriod, type Figures } from './usage';

/**
 * Usage-based funding (DOMAIN.md, the ESMS numérique pattern): the first half is paid at the convention's
 * signature; the second half is earned when, at the end of reporting, every target of the campaign is met.
 */
export const secondInstalmentStatuses = ['en_attente', 'acquis', 'non_acquis'] as const;
export type SecondInstalmentStatus = (typeof secondInstalmentStatuses)[number];

export interface TargetProgress {
  readonly indicator: string;
  readonly label: string;
  readonly target: number;
  readonly total: number;
  readonly met: boolean;
  /** Whole percent of the target reached (100 and more once met). */
  readonly percent: number;
}

export interface FundingOutcome {
  readonly amountEur: number;
  readonly firstInstalmentEur: number;
  readonly secondInstalmentEur: number;
  readonly secondInstalmentStatus: SecondInstalmentStatus;
  /** Whether every target is met with the figures as they stand (final once reporting is closed). */
  readonly targetsMet: boolean;
  readonly progress: readonly TargetProgress[];
  /** When the second instalment is decided: the end of reporting. */
  readonly decidedAt: string;
}

export function targetProgress(targets: Readonly<Record<string, number>>, totals: Figures): TargetProgress[] {
  return Object.entries(targets)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([indicator, target]) => {
      const total = totals[indicator] ?? 0;
      return {
        indicator,
        label: indicatorLabel(indicator),
        target,
        total,
        met: total >= target,
        percent: target === 0 ? 100 : Math.floor((total * 100) / target),
      };
    });
}

/**
 * The funding of one pilot at `now`, from its totals (flows summed over the months, stocks at their latest
 * value: see pilotTotals). Pure: the milestone engine calls it at the end of reporting to tell the outcome.
 */
export function fundingOutcome(input: {
  readonly campaign: Pick<Campaign, 'targets' | MilestoneField>;
  readonly pilot: Pick<Pilot, 'amountEur' | 'firstInstalmentEur'>;
  readonly totals: Figures;
  readonly now: Date;
}): FundingOutcome {
  const progress = targetProgress(input.campaign.targets, input.totals);
  const targetsMet = progress.every((target) => target.met);
  const { closesAt } = reportingPeriod(input.campaign);
  const decided = input.now.getTime() >= closesAt.getTime();
  return {
    amountEur: input.pilot.amountEur,
    firstInstalmentEur: input.pilot.firstInstalmentEur,
    secondInstalmentEur: input.pilot.amountEur - input.pilot.firstInstalmentEur,
    secondInstalmentStatus: decided ? (targetsMet ? 'acquis' : 'non_acquis') : 'en_attente',
    targetsMet,
    progress,
    decidedAt: toParisIso(closesAt),
  };
}
