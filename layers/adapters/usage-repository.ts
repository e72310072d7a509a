import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { UsageCounter } from '../domain/dashboard';
import type { ArsCode } from '../domain/regions';
import type { Figures, UsageCorrection, UsageMonth } from '../domain/usage';
import { batchGetAll } from './batching';
import { dynamo, mainTableName } from './dynamo';
import type { TransactItem } from './transactions';

/**
 * Usage figures. Keys (see tables.ts):
 * - a pilot's month ........ pk PILOT#<finess>   sk USAGE#<campaign>#<YYYY-MM>
 *     gsi1pk USAGE#<campaign>#<ars> gsi1sk <finess>#<month>; gsi2pk USAGE#<campaign> gsi2sk <ars>#<finess>#<month>
 * - its corrections ........ pk PILOT#<finess>   sk USAGEHIST#<campaign>#<YYYY-MM>#<version, 6 digits>
 * - aggregate counters ..... pk CAMPAIGN#<campaign> sk USAGESUM#<ars>#<YYYY-MM>#<shard>
 *     `pilots` (pilots that reported the month) and one number per indicator, named `n:<code>`; moved by ADD
 *     in the transaction that writes the figures, spread over a few shards so that concurrent batches do not
 *     contend for one item.
 */
export const COUNTER_SHARDS = 4;
const COUNTER_PREFIX = 'n:';

export const usageMonthKey = (finess: string, campaignId: string, month: string) => ({ pk: `PILOT#${finess}`, sk: `USAGE#${campaignId}#${month}` });
const correctionKey = (correction: Pick<UsageCorrection, 'finess' | 'campaignId' | 'month' | 'version'>) => ({
  pk: `PILOT#${correction.finess}`,
  sk: `USAGEHIST#${correction.campaignId}#${correction.month}#${String(correction.version).padStart(6, '0')}`,
});
const counterKey = (campaignId: string, ars: string, month: string, shard: number) => ({ pk: `CAMPAIGN#${campaignId}`, sk: `USAGESUM#${ars}#${month}#${shard}` });

export function usageMonthItem(month: UsageMonth) {
  return {
    ...usageMonthKey(month.finess, month.campaignId, month.month),
    type: 'usage',
    ...month,
    gsi1pk: `USAGE#${month.campaignId}#${month.ars}`,
    gsi1sk: `${month.finess}#${month.month}`,
    gsi2pk: `USAGE#${month.campaignId}`,
    gsi2sk: `${month.ars}#${month.finess}#${month.month}`,
  };
}

const monthFromItem = (item: Record<string, unknown>): UsageMonth => ({
  finess: item.finess as string,
  campaignId: item.campaignId as string,
  ars: item.ars as ArsCode,
  month: item.month as string,
  indicators: item.indicators as Figures,
  version: item.version as number,
  reportedAt: item.reportedAt as string,
  reportedBy: item.reportedBy as string,
  createdAt: item.createdAt as string,
});

const correctionFromItem = (item: Record<string, unknown>): UsageCorrection => ({
  finess: item.finess as string,
  campaignId: item.campaignId as string,
  month: item.month as string,
  version: item.version as number,
  at: item.at as string,
  actor: item.actor as string,
  from: item.from as Figures,
  to: item.to as Figures,
  replacedReportedAt: item.replacedReportedAt as string,
  replacedReportedBy: item.replacedReportedBy as string,
});

/** A new month must not exist yet; a replacement holds only over the version it replaces. */
export function monthPut(next: UsageMonth, previous: UsageMonth | undefined): TransactItem {
  return {
    Put: {
      TableName: mainTableName,
      Item: usageMonthItem(next),
      ...(previous
        ? { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': previous.version } }
        : { ConditionExpression: 'attribute_not_exists(pk)' }),
    },
  };
}

export function correctionPut(correction: UsageCorrection): TransactItem {
  return { Put: { TableName: mainTableName, Item: { ...correctionKey(correction), type: 'usage_correction', ...correction }, ConditionExpression: 'attribute_not_exists(pk)' } };
}

/** One counter shard moved by the sum of a transaction's changes for one region and month; undefined if nothing moves. */
export function counterUpdate(campaignId: string, ars: string, month: string, shard: number, delta: Record<string, number>, newPilots: number): TransactItem | undefined {
  const moves = Object.entries(delta).filter(([, value]) => value !== 0);
  if (moves.length === 0 && newPilots === 0) return undefined;
  const names: Record<string, string> = { '#type': 'type', '#month': 'month' };
  const values: Record<string, unknown> = { ':type': 'usage_counter', ':campaign': campaignId, ':ars': ars, ':month': month, ':pilots': newPilots };
  const adds = ['pilots :pilots'];
  moves.forEach(([code, value], index) => {
    names[`#n${index}`] = `${COUNTER_PREFIX}${code}`;
    values[`:n${index}`] = value;
    adds.push(`#n${index} :n${index}`);
  });
  return {
    Update: {
      TableName: mainTableName,
      Key: counterKey(campaignId, ars, month, shard),
      UpdateExpression: `SET #type = :type, campaignId = :campaign, ars = :ars, #month = :month ADD ${adds.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

async function queryAll(input: ConstructorParameters<typeof QueryCommand>[0]): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    items.push(...((page.Items ?? []) as Record<string, unknown>[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

export interface UsageMonthFilter {
  readonly campaignId: string;
  readonly ars?: ArsCode;
}

export const usageRepository = {
  async get(finess: string, campaignId: string, month: string): Promise<UsageMonth | undefined> {
    const { Item } = await dynamo.send(new GetCommand({ TableName: mainTableName, Key: usageMonthKey(finess, campaignId, month), ConsistentRead: true }));
    return Item ? monthFromItem(Item) : undefined;
  },

  /** Whether this pilot reported that month (one GetItem; for the milestone engine's reminders). */
  async hasReported(finess: string, campaignId: string, month: string): Promise<boolean> {
    const { Item } = await dynamo.send(
      new GetCommand({ TableName: mainTableName, Key: usageMonthKey(finess, campaignId, month), ProjectionExpression: 'pk', ConsistentRead: true }),
    );
    return Item !== undefined;
  },

  /** The current figures of many (pilot, month) pairs, by BatchGetItem. */
  async getMany(keys: readonly { finess: string; campaignId: string; month: string }[]): Promise<UsageMonth[]> {
    const items = await batchGetAll(keys.map((key) => usageMonthKey(key.finess, key.campaignId, key.month)));
    return items.map(monthFromItem);
  },

  /** A pilot's months in one campaign, oldest first. */
  async monthsOf(finess: string, campaignId: string): Promise<UsageMonth[]> {
    const items = await queryAll({
      TableName: mainTableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `PILOT#${finess}`, ':prefix': `USAGE#${campaignId}#` },
      ConsistentRead: true,
    });
    return items.map(monthFromItem);
  },

  /** A pilot's corrections in one campaign (or one month of it), by month then version. */
  async correctionsOf(finess: string, campaignId: string, month?: string): Promise<UsageCorrection[]> {
    const items = await queryAll({
      TableName: mainTableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `PILOT#${finess}`, ':prefix': `USAGEHIST#${campaignId}#${month ? `${month}#` : ''}` },
      ConsistentRead: true,
    });
    return items.map(correctionFromItem);
  },

  /** Every month reported in a campaign (or one region of it), by region, FINESS and month: for the exports. */
  async *months(filter: UsageMonthFilter): AsyncGenerator<UsageMonth[]> {
    const byRegion = filter.ars !== undefined;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await dynamo.send(
        new QueryCommand({
          TableName: mainTableName,
          IndexName: byRegion ? 'gsi1' : 'gsi2',
          KeyConditionExpression: `${byRegion ? 'gsi1pk' : 'gsi2pk'} = :pk`,
          ExpressionAttributeValues: { ':pk': byRegion ? `USAGE#${filter.campaignId}#${filter.ars}` : `USAGE#${filter.campaignId}` },
          ExclusiveStartKey: start,
        }),
      );
      yield (page.Items ?? []).map((item) => monthFromItem(item as Record<string, unknown>));
      start = page.LastEvaluatedKey;
    } while (start);
  },

  /** The aggregate counters of a campaign (or one region): a few items per region and month. */
  async counters(campaignId: string, ars?: ArsCode): Promise<UsageCounter[]> {
    const items = await queryAll({
      TableName: mainTableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `CAMPAIGN#${campaignId}`, ':prefix': ars ? `USAGESUM#${ars}#` : 'USAGESUM#' },
      ConsistentRead: true,
    });
    return items.map((item) => ({
      ars: item.ars as ArsCode,
      month: item.month as string,
      pilots: Number(item.pilots ?? 0),
      totals: Object.fromEntries(
        Object.entries(item)
          .filter(([name]) => name.startsWith(COUNTER_PREFIX))
          .map(([name, value]) => [name.slice(COUNTER_PREFIX.length), Number(value)]),
      ),
    }));
  },
};
