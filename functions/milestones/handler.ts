import { campaignRepository } from '../../layers/adapters/campaign-repository';
import { now } from '../../layers/adapters/clock';
import { logger } from '../../layers/adapters/logger';
import { phaseAt } from '../../layers/domain/campaign';
import { toParisIso } from '../../layers/domain/calendar';

/** What EventBridge Scheduler (or the local ticker) passes: one campaign's milestone, or the daily sweep of all. */
export interface MilestoneEvent {
  readonly campaignId?: string;
  readonly milestone?: string;
}

export interface MilestoneRun {
  readonly at: string;
  readonly campaigns: { id: string; phase: string }[];
  readonly done: string[];
}

/**
 * The milestone function: looks at each campaign at the current (possibly simulated) instant and applies
 * what is due. Transitions and emails arrive with the milestone engine; today it reports each campaign's phase.
 */
export async function handler(event: MilestoneEvent = {}): Promise<MilestoneRun> {
  const at = now();
  const campaigns = event.campaignId
    ? [await campaignRepository.get(event.campaignId, { fresh: true })].filter((campaign) => campaign !== undefined)
    : (await campaignRepository.list(200, undefined)).items;
  const run: MilestoneRun = { at: toParisIso(at), campaigns: campaigns.map((campaign) => ({ id: campaign.id, phase: phaseAt(campaign, at) })), done: [] };
  logger.info('milestone run', { at: run.at, campaigns: run.campaigns.length, done: run.done.length });
  return run;
}
