import { gunzipSync, gzipSync } from 'node:zlib';
import { DeleteCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { UsageCorrection, UsageMonth } from '../domain/usage';
import { batchGetAll, batchWriteAll, WriteFenced } from './batching';
import { now } from './clock';
import { dynamo, isConditionalCheckFailed, mainTableName } from './dynamo';
import { logger } from './logger';
import type { TransactItem } from './transactions';
import { correctionItem, usageMonthItem } from './usage-repository';

/** Leased write plans: the protocol is told once, at the top of usage-writer.ts (steps 3 and 4). */
export interface UsagePlan {
  readonly id: string;
  readonly leaseUntil: string;
  readonly months: readonly UsageMonth[];
  readonly corrections: readonly UsageCorrection[];
}

/** Longer than any invocation of the usage function (15 s timeout), so a live writer never loses its plan. */
const PLAN_LEASE_MS = 120_000;
/** A writer sends nothing more once its lease has less than this left. */
const FENCE_MARGIN_MS = 30_000;
/** Under DynamoDB's 400 KB item limit, with room for the other attributes. */
export const PLAN_MAX_BYTES = 350_000;
const PLANS_INDEX_KEY = 'USAGEPLANS';

const planKey = (id: string) => ({ pk: `USAGEPLAN#${id}`, sk: 'PLAN' });
const leaseFrom = (at: Date): string => new Date(at.getTime() + PLAN_LEASE_MS).toISOString();

export const encodePlanBody = (months: readonly UsageMonth[], corrections: readonly UsageCorrection[]): Uint8Array =>
  gzipSync(JSON.stringify({ months, corrections }), { level: 1 });

function planFromItem(item: Record<string, unknown>): UsagePlan {
  const body = JSON.parse(gunzipSync(item.body as Uint8Array).toString('utf8')) as Pick<UsagePlan, 'months' | 'corrections'>;
  return { id: item.id as string, leaseUntil: item.leaseUntil as string, months: body.months, corrections: body.corrections };
}

/** A new plan, leased to its writer from now; fails if the id exists (it never does: ids are random). */
export function planPut(id: string, body: Uint8Array): { item: TransactItem; leaseUntil: string } {
  const leaseUntil = leaseFrom(now());
  return {
    leaseUntil,
    item: {
      Put: {
        TableName: mainTableName,
        Item: { ...planKey(id), type: 'usage_plan', id, leaseUntil, body, gsi1pk: PLANS_INDEX_KEY, gsi1sk: `${leaseUntil}#${id}` },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  };
}

/** A commit holds only once the region's month's previous plan has landed. */
export const planLanded = (id: string): TransactItem => ({
  ConditionCheck: { TableName: mainTableName, Key: planKey(id), ConditionExpression: 'attribute_not_exists(pk)' },
});

const mayWriteUntil = (leaseUntil: string) => () => now().getTime() < Date.parse(leaseUntil) - FENCE_MARGIN_MS;

/**
 * Puts the plan's items and deletes it, as the holder of the lease `leaseUntil`. Returns false when the lease
 * ended first (the plan is left for whoever takes it over).
 */
export async function applyPlan(plan: Pick<UsagePlan, 'id' | 'months' | 'corrections'>, leaseUntil: string): Promise<boolean> {
  try {
    await batchWriteAll([...plan.months.map(usageMonthItem), ...plan.corrections.map(correctionItem)], { mayWrite: mayWriteUntil(leaseUntil) });
    await dynamo.send(
      new DeleteCommand({ TableName: mainTableName, Key: planKey(plan.id), ConditionExpression: 'leaseUntil = :mine', ExpressionAttributeValues: { ':mine': leaseUntil } }),
    );
    return true;
  } catch (error) {
    if (error instanceof WriteFenced || isConditionalCheckFailed(error)) {
      logger.warn('usage plan left to be taken over', { plan: plan.id, reason: error instanceof WriteFenced ? 'lease ending' : 'taken over' });
      return false;
    }
    throw error;
  }
}

/** Takes over a plan whose lease has ended and finishes it; false if another writer took it first. */
async function takeOverAndApply(item: Record<string, unknown>): Promise<boolean> {
  const id = item.id as string;
  const leaseUntil = leaseFrom(now());
  try {
    const { Attributes } = await dynamo.send(
      new UpdateCommand({
        TableName: mainTableName,
        Key: planKey(id),
        UpdateExpression: 'SET leaseUntil = :lease, gsi1sk = :sort',
        ConditionExpression: 'leaseUntil = :seen',
        ExpressionAttributeValues: { ':lease': leaseUntil, ':sort': `${leaseUntil}#${id}`, ':seen': item.leaseUntil },
        ReturnValues: 'ALL_NEW',
      }),
    );
    logger.warn('usage plan taken over after its lease ended', { plan: id, leaseEnded: item.leaseUntil });
    return await applyPlan(planFromItem(Attributes!), leaseUntil);
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}

/**
 * Of these plans, finishes those whose writer's lease has ended and returns the ids still being applied by
 * their writer (those regions' months must wait). Plans already gone are done.
 */
export async function settlePlans(ids: readonly string[]): Promise<{ busy: Set<string>; finished: number }> {
  const busy = new Set<string>();
  let finished = 0;
  if (ids.length === 0) return { busy, finished };
  const items = await batchGetAll(ids.map(planKey));
  for (const item of items) {
    const ended = Date.parse(item.leaseUntil as string) <= now().getTime();
    if (ended && (await takeOverAndApply(item))) finished += 1;
    else busy.add(item.id as string);
  }
  return { busy, finished };
}

/** The sweep: finishes every plan whose writer's lease has ended (a writer died). Returns how many. */
export async function settleAbandonedPlans(): Promise<number> {
  const { Items = [] } = await dynamo.send(
    new QueryCommand({
      TableName: mainTableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :plans AND gsi1sk < :now',
      ExpressionAttributeValues: { ':plans': PLANS_INDEX_KEY, ':now': now().toISOString() },
    }),
  );
  return (await settlePlans(Items.map((item) => item.id as string))).finished;
}
