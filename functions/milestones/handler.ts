import { campaignRepository } from '../../layers/adapters/campaign-repository';
import { meterCapacity, type CapacityUsed } from '../../layers/adapters/dynamo';
import { now } from '../../layers/adapters/clock';
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logger } from '../../layers/adapters/logger';
import { count, metricsMiddleware, tracingMiddleware } from '../../layers/adapters/observability';
import { markStepDone, stepDone } from '../../layers/adapters/milestone-ledger';
import { deliverPending } from '../../layers/adapters/outbox';
import { settleAbandonedPlans } from '../../layers/adapters/usage-plans';
import { phaseAt, type Campaign } from '../../layers/domain/campaign';
import { toParisIso } from '../../layers/domain/calendar';
import { runDueSteps } from '../../layers/domain/use-cases/milestones';
import { dynamoPorts } from '../../layers/adapters/ports';

const milestonePorts = { ...dynamoPorts, steps: { done: stepDone, markDone: markStepDone } };

/** What EventBridge Scheduler (or the local ticker) passes: one campaign's milestone, or the daily sweep of all. */
export interface MilestoneEvent {
  readonly campaignId?: string;
  readonly milestone?: string;
  readonly trigger?: string;
}

export interface MilestoneRun {
  readonly at: string;
  readonly campaigns: { id: string; phase: string; steps: string[]; transitions: number; emailsQueued: number; capacity: CapacityUsed }[];
  readonly emailsSent: number;
  /** Usage write plans left behind by a writer that died, finished by this run. */
  readonly usagePlansFinished: number;
}


/**
 * The milestone function: applies what the calendar makes due at the current (possibly simulated) instant,
 * then delivers the emails waiting in the ledger. Safe to run twice, or after a run that died half-way.
 */
export async function runMilestones(event: MilestoneEvent = {}): Promise<MilestoneRun> {
  const at = now();
  // Figures committed by a usage write that died before putting them all land first (reminders read them).
  const usagePlansFinished = await settleAbandonedPlans();
  const campaigns: Campaign[] = [];
  if (event.campaignId) {
    const campaign = await campaignRepository.get(event.campaignId, { fresh: true });
    if (campaign) campaigns.push(campaign);
  } else {
    for await (const campaign of campaignRepository.all()) campaigns.push(campaign);
  }
  const results: MilestoneRun['campaigns'] = [];
  for (const campaign of campaigns) {
    const { result: report, capacity } = await meterCapacity(() => runDueSteps(milestonePorts, campaign, at));
    results.push({ id: campaign.id, phase: phaseAt(campaign, at), ...report, capacity });
  }
  const emailsSent = await deliverPending(at);
  count('MilestoneTransitions', results.reduce((sum, result) => sum + result.transitions, 0));
  const run: MilestoneRun = { at: toParisIso(at), campaigns: results, emailsSent, usagePlansFinished };
  logger.info('milestone run', { at: run.at, campaigns: results.length, emailsSent, usagePlansFinished });
  return run;
}

/** The Lambda entry: the run with tracing, the invocation context in logs, and business metrics flushed. */
export const handler = middy(runMilestones)
  .use(tracingMiddleware())
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(metricsMiddleware());
