import { randomInt } from 'node:crypto';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../domain/errors';
import { addFigures, planReport, type ReportInput, type ReportPlan, type UsageMonth } from '../domain/usage';
import { backoffMs, sleep, TRANSACTION_MAX } from './batching';
import { dynamo } from './dynamo';
import { logger } from './logger';
import type { TransactItem } from './transactions';
import { correctionPut, counterUpdate, COUNTER_SHARDS, monthPut, usageRepository } from './usage-repository';

/**
 * Writes accepted reports in as few round-trips as DynamoDB allows: transactions of up to 100 items, each
 * holding the months it writes, their corrections and, once per region and month, the counter shard they
 * move — so figures and aggregates never disagree. Months are assumed new (no read first); a failed
 * condition means one existed (or moved), so those are read and planned again. Conflicts and throttling are
 * retried with back-off.
 */
export interface ReportToWrite {
  /** The caller's handle on this report (its index in the batch). */
  readonly id: number;
  readonly input: ReportInput;
}

export type WriteOutcome =
  | { readonly status: 'written' | 'unchanged'; readonly month: UsageMonth }
  | { readonly status: 'refused'; readonly error: DomainError };

type Planned = { readonly id: number; readonly input: ReportInput; readonly plan: Extract<ReportPlan, { kind: 'write' }> };

const MAX_ROUNDS = 5;
const MAX_ATTEMPTS = 8;

const keyOf = (input: Pick<ReportInput, 'pilot' | 'month'>): string => `${input.pilot.finess}#${input.pilot.campaignId}#${input.month}`;
const groupOf = (plan: Planned['plan']): string => `${plan.next.campaignId}#${plan.next.ars}#${plan.next.month}`;

/** Reports sorted by campaign, region and month, packed so that each transaction touches few counters. */
export function pack(planned: readonly Planned[]): Planned[][] {
  const sorted = [...planned].sort((a, b) => groupOf(a.plan).localeCompare(groupOf(b.plan)) || a.plan.next.finess.localeCompare(b.plan.next.finess));
  const transactions: Planned[][] = [];
  let current: Planned[] = [];
  let size = 0;
  let groups = new Set<string>();
  for (const write of sorted) {
    const cost = (write.plan.correction ? 2 : 1) + (groups.has(groupOf(write.plan)) ? 0 : 1);
    if (size + cost > TRANSACTION_MAX) {
      transactions.push(current);
      current = [];
      size = 0;
      groups = new Set();
    }
    current.push(write);
    size += write.plan.correction ? 2 : 1;
    if (!groups.has(groupOf(write.plan))) {
      groups.add(groupOf(write.plan));
      size += 1;
    }
  }
  if (current.length > 0) transactions.push(current);
  return transactions;
}

function transactionItems(writes: readonly Planned[], shard: number): { items: TransactItem[]; owners: (number | undefined)[] } {
  const items: TransactItem[] = [];
  const owners: (number | undefined)[] = [];
  const counters = new Map<string, { campaignId: string; ars: string; month: string; delta: Record<string, number>; newPilots: number }>();
  for (const { id, plan } of writes) {
    items.push(monthPut(plan.next, plan.previous));
    owners.push(id);
    if (plan.correction) {
      items.push(correctionPut(plan.correction));
      owners.push(id);
    }
    const group = counters.get(groupOf(plan)) ?? { campaignId: plan.next.campaignId, ars: plan.next.ars, month: plan.next.month, delta: {}, newPilots: 0 };
    addFigures(group.delta, plan.delta);
    if (plan.newMonth) group.newPilots += 1;
    counters.set(groupOf(plan), group);
  }
  for (const group of counters.values()) {
    const update = counterUpdate(group.campaignId, group.ars, group.month, shard, group.delta, group.newPilots);
    if (update) {
      items.push(update);
      owners.push(undefined);
    }
  }
  return { items, owners };
}

const RETRYABLE_REASONS = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded']);
const RETRYABLE_ERRORS = new Set(['TransactionConflictException', 'TransactionInProgressException', 'ThrottlingException', 'ProvisionedThroughputExceededException', 'RequestLimitExceeded', 'InternalServerError']);

/** One transaction, retried on conflicts and throttling; returns the reports whose assumed state was stale. */
async function runTransaction(writes: readonly Planned[], shard: number): Promise<{ stale: Set<number> }> {
  const { items, owners } = transactionItems(writes, shard);
  for (let attempt = 0; ; attempt += 1) {
    try {
      await dynamo.send(new TransactWriteCommand({ TransactItems: items }));
      return { stale: new Set() };
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
      const stale = new Set(reasons.flatMap((reason, index) => (reason.Code === 'ConditionalCheckFailed' && owners[index] !== undefined ? [owners[index]!] : [])));
      if (stale.size > 0) return { stale };
      const retryable = RETRYABLE_ERRORS.has(name) || (name === 'TransactionCanceledException' && reasons.some((reason) => RETRYABLE_REASONS.has(reason.Code ?? '')));
      if (!retryable || attempt + 1 >= MAX_ATTEMPTS) throw error;
      logger.warn('usage transaction retried', { attempt, reason: name, items: items.length });
      await sleep(backoffMs(attempt));
    }
  }
}

/**
 * Writes the reports and says, for each, whether it was written, unchanged (same figures again) or refused
 * (If-Match not met). `known` holds the current state of months already read (undefined: known absent).
 */
export async function writeReports(reports: readonly ReportToWrite[], known: Map<string, UsageMonth | undefined> = new Map()): Promise<Map<number, WriteOutcome>> {
  const outcomes = new Map<number, WriteOutcome>();
  let pending = [...reports];
  // Each call moves one counter shard, drawn at random: concurrent calls rarely meet on one item.
  const shard = randomInt(COUNTER_SHARDS);
  for (let round = 0; round < MAX_ROUNDS && pending.length > 0; round += 1) {
    const planned: Planned[] = [];
    for (const report of pending) {
      try {
        const plan = planReport(known.get(keyOf(report.input)), report.input);
        if (plan.kind === 'unchanged') outcomes.set(report.id, { status: 'unchanged', month: plan.current });
        else planned.push({ id: report.id, input: report.input, plan });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        outcomes.set(report.id, { status: 'refused', error });
      }
    }
    const transactions = pack(planned);
    // One transaction at a time: concurrent ones would meet on the counter shard (and DynamoDB Local runs
    // them one after the other anyway; measured slower with two or three lanes).
    const results: { stale: Set<number> }[] = [];
    for (const writes of transactions) results.push(await runTransaction(writes, shard));
    const retry: ReportToWrite[] = [];
    const stale: ReportInput[] = [];
    transactions.forEach((writes, index) => {
      const result = results[index]!;
      for (const write of writes) {
        if (result.stale.size === 0) outcomes.set(write.id, { status: 'written', month: write.plan.next });
        else {
          retry.push({ id: write.id, input: write.input });
          if (result.stale.has(write.id)) stale.push(write.input);
        }
      }
    });
    if (stale.length > 0) {
      const current = await usageRepository.getMany(stale.map((input) => ({ finess: input.pilot.finess, campaignId: input.pilot.campaignId, month: input.month })));
      for (const input of stale) known.set(keyOf(input), undefined);
      for (const month of current) known.set(keyOf({ pilot: month, month: month.month }), month);
    }
    pending = retry;
  }
  for (const report of pending) {
    outcomes.set(report.id, { status: 'refused', error: new DomainError('version_conflict', 'Ces chiffres ont été modifiés en même temps par un autre envoi : renvoyez la déclaration.') });
  }
  return outcomes;
}

export const reportKey = keyOf;
