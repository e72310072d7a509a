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
 * - a region's month ....... pk CAMPAIGN#<campaign> sk USAGESUM#<ars>#<YYYY-MM>
 *     the aggregate counters (`pilots`, and `n:<code>` per indicator, moved by ADD), the FINESS that reported
 *     that month (`reported`), a `version` every write moves, and the last write plan committed to it (`plan`).
 *     Every write to the region's month commits here first, on the version it read: writes never cross.
 * - a write plan ........... pk USAGEPLAN#<id>  sk PLAN; gsi1pk USAGEPLANS gsi1sk <leaseUntil>#<id> while it exists
 *     the months and corrections of a large write (gzipped JSON), committed with the counters and then put by
 *     BatchWriteItem; deleted once they are all in. See usage-writer.ts.
 */
const COUNTER_PREFIX = 'n:';

export const usageMonthKey = (finess: string, campaignId: string, month: string) => ({ pk: `PILOT#${finess}`, sk: `USAGE#${campaignId}#${month}` });
const correctionKey = (correction: Pick<UsageCorrection, 'finess' | 'campaignId' | 'month' | 'version'>) => ({
  pk: `PILOT#${correction.finess}`,
  sk: `USAGEHIST#${correction.campaignId}#${correction.month}#${String(correction.version).padStart(6, '0')}`,
});
export const usageGroupKey = (group: UsageGroupRef) => ({ pk: `CAMPAIGN#${group.campaignId}`, sk: `USAGESUM#${group.ars}#${group.month}` });

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

export const correctionItem = (correction: UsageCorrection) => ({ ...correctionKey(correction), type: 'usage_correction', ...correction });

export function correctionPut(correction: UsageCorrection): TransactItem {
  return { Put: { TableName: mainTableName, Item: correctionItem(correction), ConditionExpression: 'attribute_not_exists(pk)' } };
}

/** A region's month of one campaign: where its writes commit and its counters live. */
export interface UsageGroupRef {
  readonly campaignId: string;
  readonly ars: string;
  readonly month: string;
}

export interface UsageGroup extends UsageGroupRef {
  /** 0 before the first write. */
  readonly version: number;
  /** The last write plan committed here (its item is gone once applied). */
  readonly plan: string | undefined;
  /** The FINESS whose month exists. */
  readonly reported: ReadonlySet<string>;
}

export const groupId = (group: UsageGroupRef): string => `${group.campaignId}#${group.ars}#${group.month}`;

export interface GroupChange {
  /** What the counters move by. */
  readonly delta: Record<string, number>;
  /** FINESS reporting this month for the first time. */
  readonly newFiness: readonly string[];
  /** The plan this write commits, or none when its items are in the same transaction. */
  readonly plan: string | undefined;
}

/**
 * A write's commit on a region's month: holds only over the version read, moves it, the counters and the
 * list of FINESS, and records the write's plan (or that none is pending).
 */
export function groupCommit(group: UsageGroup, change: GroupChange): TransactItem {
  const names: Record<string, string> = { '#type': 'type', '#month': 'month', '#version': 'version' };
  const values: Record<string, unknown> = {
    ':type': 'usage_counter',
    ':campaign': group.campaignId,
    ':ars': group.ars,
    ':month': group.month,
    ':next': group.version + 1,
    ':pilots': change.newFiness.length,
  };
  const sets = ['#type = :type', 'campaignId = :campaign', 'ars = :ars', '#month = :month', '#version = :next'];
  const adds = ['pilots :pilots'];
  Object.entries(change.delta)
    .filter(([, value]) => value !== 0)
    .forEach(([code, value], index) => {
      names[`#n${index}`] = `${COUNTER_PREFIX}${code}`;
      values[`:n${index}`] = value;
      adds.push(`#n${index} :n${index}`);
    });
  if (change.newFiness.length > 0) {
    values[':reported'] = new Set(change.newFiness);
    adds.push('reported :reported');
  }
  if (change.plan) {
    values[':plan'] = change.plan;
    sets.push('#plan = :plan');
  }
  names['#plan'] = 'plan';
  if (group.version > 0) values[':version'] = group.version;
  return {
    Update: {
      TableName: mainTableName,
      Key: usageGroupKey(group),
      UpdateExpression: `SET ${sets.join(', ')} ADD ${adds.join(', ')}${change.plan ? '' : ' REMOVE #plan'}`,
      ConditionExpression: group.version > 0 ? '#version = :version' : 'attribute_not_exists(pk)',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

const groupFromItem = (ref: UsageGroupRef, item: Record<string, unknown> | undefined): UsageGroup => ({
  campaignId: ref.campaignId,
  ars: ref.ars,
  month: ref.month,
  version: Number(item?.version ?? 0),
  plan: (item?.plan as string | undefined) ?? undefined,
  reported: (item?.reported as Set<string> | undefined) ?? new Set(),
});

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

  /** The regions' months where writes commit (consistent reads), in the order asked. */
  async groups(refs: readonly UsageGroupRef[]): Promise<UsageGroup[]> {
    const items = await batchGetAll(refs.map(usageGroupKey));
    const byKey = new Map(items.map((item) => [`${item.pk as string}#${item.sk as string}`, item]));
    return refs.map((ref) => {
      const key = usageGroupKey(ref);
      return groupFromItem(ref, byKey.get(`${key.pk}#${key.sk}`));
    });
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

  /** The aggregate counters of a campaign (or one region): one item per region and month. */
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
