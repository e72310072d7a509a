import { campaignRepository } from '../../layers/adapters/campaign-repository';
import { now } from '../../layers/adapters/clock';
import { logger } from '../../layers/adapters/logger';
import { deliverPending } from '../../layers/adapters/outbox';
import { phaseAt, type Campaign } from '../../layers/domain/campaign';
import { toParisIso } from '../../layers/domain/calendar';
import { dueWork } from '../../layers/domain/milestones';
import { closeIntake, type StepReport } from './steps';

/** What EventBridge Scheduler (or the local ticker) passes: one campaign's milestone, or the daily sweep of all. */
export interface MilestoneEvent {
  readonly campaignId?: string;
  readonly milestone?: string;
  readonly trigger?: string;
}

export interface MilestoneRun {
  readonly at: string;
  readonly campaigns: { id: string; phase: string; transitions: number; emailsQueued: number }[];
  readonly emailsSent: number;
}

async function allCampaigns(): Promise<Campaign[]> {
  const campaigns: Campaign[] = [];
  let cursor: string | undefined;
  do {
    const page = await campaignRepository.list(200, cursor);
    campaigns.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return campaigns;
}

async function runCampaign(campaign: Campaign, at: Date): Promise<StepReport> {
  const report: StepReport = { transitions: 0, emailsQueued: 0 };
  const due = dueWork(campaign, at);
  if (due.closeIntake) await closeIntake(campaign, at, report);
  return report;
}

/**
 * The milestone function: applies what the calendar makes due at the current (possibly simulated) instant,
 * then delivers the emails waiting in the ledger. Safe to run twice, or after a run that died half-way.
 */
export async function handler(event: MilestoneEvent = {}): Promise<MilestoneRun> {
  const at = now();
  const campaigns = event.campaignId
    ? [await campaignRepository.get(event.campaignId, { fresh: true })].filter((campaign): campaign is Campaign => campaign !== undefined)
    : await allCampaigns();
  const results: MilestoneRun['campaigns'] = [];
  for (const campaign of campaigns) {
    const report = await runCampaign(campaign, at);
    results.push({ id: campaign.id, phase: phaseAt(campaign, at), ...report });
  }
  const emailsSent = await deliverPending(at);
  const run: MilestoneRun = { at: toParisIso(at), campaigns: results, emailsSent };
  logger.info('milestone run', { at: run.at, campaigns: results.length, emailsSent });
  return run;
}
