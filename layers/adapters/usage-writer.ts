/**
 * The usage write path: how accepted reports land, as fast as a bare BatchWriteItem loop allows, with the
 * figures and the aggregates never disagreeing (test/bench/ingestion.ts measures it).
 *
 * 1. Region-month commits. Every write commits on the regions' months it touches (one counter item per
 *    campaign, region and month, usage-repository `groupCommit`), on the version it read: the commit moves
 *    the counters, so two writes on the same region's month never cross. Months already reported are read
 *    before planning; first reports need no read, the counter item lists who reported. A commit that finds
 *    its region's month moved is read and planned again, with back-off; after a few rounds the report is
 *    refused (version_conflict).
 * 2. Small writes (a PUT, a short batch) put their months and corrections in the commit's own transaction.
 * 3. Leased write plans (usage-plans.ts). A large write commits a plan instead: one item holding its months
 *    and corrections, in the transaction of the counters. Its items are then put by BatchWriteItem, a few
 *    calls at a time, and the plan is deleted. While a plan exists no other write may commit on its regions'
 *    months (the commit checks the previous plan is gone), so its items can only land over the versions it
 *    was planned on, however many times they are put.
 * 4. The lease. A writer holds its plan under a lease and stops putting items before the lease ends. A writer
 *    that died leaves its plan behind: once the lease has ended, the next write on one of its regions' months
 *    (or the milestone function's sweep) takes it over and finishes it. Putting the same items again changes
 *    nothing.
 */
import { randomUUID } from 'node:crypto';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../domain/errors';
import type { ReportToWrite, UsageReports, WriteOutcome } from '../domain/ports';
import { addFigures, planReport, type ReportInput, type ReportPlan, type UsageCorrection, type UsageMonth } from '../domain/usage';
import { backoffMs, sleep, TRANSACTION_MAX } from './batching';
import { dynamo } from './dynamo';
import { logger } from './logger';
import type { TransactItem } from './transactions';
import { applyPlan, encodePlanBody, PLAN_MAX_BYTES, planLanded, planPut, settlePlans } from './usage-plans';
import { correctionPut, groupCommit, groupId, monthPut, usageRepository, type UsageGroup, type UsageGroupRef } from './usage-repository';

export type { ReportToWrite, WriteOutcome };

export type Planned = { readonly id: number; readonly input: ReportInput; readonly plan: Extract<ReportPlan, { kind: 'write' }> };

/** A commit's items: the plan (or the writes), one update per region's month, one check per previous plan. */
const GROUPS_PER_COMMIT = Math.floor((TRANSACTION_MAX - 1) / 2);
/** Up to this many months and corrections go into the commit's own transaction; more make a plan. */
const DIRECT_WRITES_MAX = 16;
const MAX_ROUNDS = 7;
const MAX_ATTEMPTS = 8;

const keyOf = (input: Pick<ReportInput, 'pilot' | 'month'>): string => `${input.pilot.finess}#${input.pilot.campaignId}#${input.month}`;
const refOf = (input: ReportInput): UsageGroupRef => ({ campaignId: input.pilot.campaignId, ars: input.pilot.ars, month: input.month });
const writesOf = (planned: Planned) => (planned.plan.correction ? 2 : 1);

export interface Commit {
  readonly groups: readonly UsageGroup[];
  readonly writes: readonly Planned[];
}

/**
 * Splits the writes into commits: all writes of a region's month in the same commit, and few enough regions'
 * months per commit for their updates and checks to fit in one transaction beside the plan.
 */
export function commitsOf(planned: readonly Planned[], groups: ReadonlyMap<string, UsageGroup>): Commit[] {
  const byGroup = new Map<string, Planned[]>();
  for (const write of planned) {
    const id = groupId(refOf(write.input));
    byGroup.set(id, [...(byGroup.get(id) ?? []), write]);
  }
  const commits: { groups: UsageGroup[]; writes: Planned[] }[] = [];
  let current: { groups: UsageGroup[]; writes: Planned[] } | undefined;
  for (const [id, writes] of [...byGroup].sort(([a], [b]) => a.localeCompare(b))) {
    if (!current || current.groups.length >= GROUPS_PER_COMMIT) {
      current = { groups: [], writes: [] };
      commits.push(current);
    }
    current.groups.push(groups.get(id)!);
    current.writes.push(...writes);
  }
  return commits;
}

type CommittedPlan = { readonly id: string; readonly leaseUntil: string; readonly months: UsageMonth[]; readonly corrections: UsageCorrection[]; readonly bytes: number };

/** A commit's transaction items, and its plan when the writes do not travel in it. */
function commitItems(commit: Commit): { items: TransactItem[]; plan?: CommittedPlan } {
  const deltas = new Map(commit.groups.map((group) => [groupId(group), { delta: {} as Record<string, number>, newFiness: [] as string[] }]));
  for (const { input, plan } of commit.writes) {
    const change = deltas.get(groupId(refOf(input)))!;
    addFigures(change.delta, plan.delta);
    if (plan.newMonth) change.newFiness.push(plan.next.finess);
  }
  const previousPlans = [...new Set(commit.groups.flatMap((group) => (group.plan ? [group.plan] : [])))].map(planLanded);
  const writeCount = commit.writes.reduce((sum, write) => sum + writesOf(write), 0);
  if (writeCount <= DIRECT_WRITES_MAX && writeCount + commit.groups.length + previousPlans.length <= TRANSACTION_MAX) {
    const items = [
      ...commit.groups.map((group) => groupCommit(group, { ...deltas.get(groupId(group))!, plan: undefined })),
      ...previousPlans,
      ...commit.writes.flatMap(({ plan }) => [monthPut(plan.next, plan.previous), ...(plan.correction ? [correctionPut(plan.correction)] : [])]),
    ];
    return { items };
  }
  const id = randomUUID();
  const months = commit.writes.map((write) => write.plan.next);
  const corrections = commit.writes.flatMap((write) => (write.plan.correction ? [write.plan.correction] : []));
  const body = encodePlanBody(months, corrections);
  const { item, leaseUntil } = planPut(id, body);
  return {
    items: [item, ...commit.groups.map((group) => groupCommit(group, { ...deltas.get(groupId(group))!, plan: id })), ...previousPlans],
    plan: { id, leaseUntil, months, corrections, bytes: body.byteLength },
  };
}

const RETRYABLE_REASONS = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded']);
const RETRYABLE_ERRORS = new Set(['TransactionConflictException', 'TransactionInProgressException', 'ThrottlingException', 'ProvisionedThroughputExceededException', 'RequestLimitExceeded', 'InternalServerError']);

/** One commit's transaction, retried on conflicts and throttling; false when a region's month had moved. */
async function runTransaction(items: TransactItem[]): Promise<boolean> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await dynamo.send(new TransactWriteCommand({ TransactItems: items }));
      return true;
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
      if (reasons.some((reason) => reason.Code === 'ConditionalCheckFailed')) return false;
      const retryable = RETRYABLE_ERRORS.has(name) || (name === 'TransactionCanceledException' && reasons.some((reason) => RETRYABLE_REASONS.has(reason.Code ?? '')));
      if (!retryable || attempt + 1 >= MAX_ATTEMPTS) throw error;
      logger.warn('usage transaction retried', { attempt, reason: name, items: items.length });
      await sleep(backoffMs(attempt));
    }
  }
}

/**
 * What a test stack may do between the steps of a write (the local stack's fault injection: a writer dying
 * once its plan is committed, before any of its figures is put). Deployed functions use the writer without.
 */
export interface WriterFaults {
  readonly afterPlanCommitted?: (planId: string) => void;
}

/** Commits (and, for a plan, applies); returns the writes whose regions' months had moved, to plan again. */
async function runCommit(commit: Commit, faults: WriterFaults): Promise<readonly Planned[]> {
  const { items, plan } = commitItems(commit);
  if (plan && plan.bytes > PLAN_MAX_BYTES) {
    if (commit.groups.length === 1) throw new Error(`usage plan of ${plan.bytes} bytes for one region's month`);
    const half = Math.ceil(commit.groups.length / 2);
    const retry: Planned[] = [];
    for (const groups of [commit.groups.slice(0, half), commit.groups.slice(half)]) {
      const ids = new Set(groups.map(groupId));
      retry.push(...(await runCommit({ groups, writes: commit.writes.filter((write) => ids.has(groupId(refOf(write.input)))) }, faults)));
    }
    return retry;
  }
  if (!(await runTransaction(items))) return commit.writes;
  if (plan) {
    faults.afterPlanCommitted?.(plan.id);
    // Committed: the figures are the pilots' from now on, whoever puts the items.
    await applyPlan(plan, plan.leaseUntil).catch((error: unknown) =>
      logger.error('usage plan committed but not applied: it will be taken over', { plan: plan.id, error: String(error) }),
    );
  }
  return [];
}

/**
 * Writes the reports and says, for each, whether it was written, unchanged (same figures again) or refused
 * (If-Match not met, or its region's month kept moving).
 */
async function writeReports(reports: readonly ReportToWrite[], faults: WriterFaults): Promise<Map<number, WriteOutcome>> {
  const outcomes = new Map<number, WriteOutcome>();
  let pending = [...reports];
  for (let round = 0; round < MAX_ROUNDS && pending.length > 0; round += 1) {
    if (round > 0) await sleep(backoffMs(round));
    const refs = [...new Map(pending.map((report) => [groupId(refOf(report.input)), refOf(report.input)])).values()];
    const groups = new Map((await usageRepository.groups(refs)).map((group) => [groupId(group), group]));
    const groupOf = (report: ReportToWrite) => groups.get(groupId(refOf(report.input)))!;
    const reported = pending.filter((report) => groupOf(report).reported.has(report.input.pilot.finess));
    // Months already reported are read once their region's month has no plan still landing; after a failed
    // commit, plans left by a writer that died are finished first.
    const watched = round === 0 ? reported : pending;
    const { busy } = await settlePlans([...new Set(watched.flatMap((report) => groupOf(report).plan ?? []))]);
    const isReady = (report: ReportToWrite) => !busy.has(groupOf(report).plan ?? '');
    const ready = pending.filter(isReady);
    const known = new Map<string, UsageMonth>();
    const toRead = reported.filter(isReady);
    if (toRead.length > 0) {
      const months = await usageRepository.getMany(toRead.map(({ input }) => ({ finess: input.pilot.finess, campaignId: input.pilot.campaignId, month: input.month })));
      for (const month of months) known.set(keyOf({ pilot: month, month: month.month }), month);
    }
    const planned: Planned[] = [];
    for (const report of ready) {
      try {
        const plan = planReport(known.get(keyOf(report.input)), report.input);
        if (plan.kind === 'unchanged') outcomes.set(report.id, { status: 'unchanged', month: plan.current });
        else planned.push({ id: report.id, input: report.input, plan });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        outcomes.set(report.id, { status: 'refused', error });
      }
    }
    const retry = pending.filter((report) => !isReady(report));
    for (const commit of commitsOf(planned, groups)) {
      const moved = new Set(await runCommit(commit, faults));
      for (const write of commit.writes) {
        if (moved.has(write)) retry.push({ id: write.id, input: write.input });
        else outcomes.set(write.id, { status: 'written', month: write.plan.next });
      }
    }
    pending = retry;
  }
  for (const report of pending) {
    outcomes.set(report.id, { status: 'refused', error: new DomainError('version_conflict', 'Ces chiffres ont été modifiés en même temps par un autre envoi : renvoyez la déclaration.') });
  }
  return outcomes;
}

/** The usage port on DynamoDB: the write path above (with a test stack's faults, if any), and the reads of usage-repository. */
export const usageReportsOn = (faults: WriterFaults = {}): UsageReports => ({
  write: (reports) => writeReports(reports, faults),
  monthsOf: (finess, campaignId) => usageRepository.monthsOf(finess, campaignId),
  correctionsOf: (finess, campaignId, month) => usageRepository.correctionsOf(finess, campaignId, month),
  hasReported: (finess, campaignId, month) => usageRepository.hasReported(finess, campaignId, month),
});

export const dynamoUsage: UsageReports = usageReportsOn();
