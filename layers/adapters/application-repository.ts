import { GetCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Application, ApplicationStatus, HistoryEntry } from '../domain/application';
import { searchTextOf } from '../domain/application';
import { ConcurrentModificationError, DomainError } from '../domain/errors';
import { formatFiness } from '../domain/finess';
import type { ArsCode } from '../domain/regions';
import type { Page } from './campaign-repository';
import { decodeCursor, dynamo, encodeCursor, mainTableName, queryAll, regionalListKey } from './dynamo';
import { IdempotencyRace } from './idempotency';
import { transact, type TransactItem } from './transactions';

const appKey = (id: string) => ({ pk: `APP#${id}`, sk: 'APP' });
const finessKey = (campaignId: string, finess: string) => ({ pk: `CAMPAIGN#${campaignId}`, sk: `FINESS#${finess}` });
const historyKey = (id: string, version: number) => ({ pk: `APP#${id}`, sk: `HIST#${String(version).padStart(6, '0')}` });

const listSortKey = (application: Application) => `${application.status}#${application.createdAt}#${application.id}`;

function toItem(application: Application) {
  return {
    ...appKey(application.id),
    type: 'application',
    ...application,
    searchText: searchTextOf(application),
    gsi1pk: `APPS#${application.campaignId}#${application.ars}`,
    gsi1sk: listSortKey(application),
    gsi2pk: `APPS#${application.campaignId}`,
    gsi2sk: listSortKey(application),
    gsi3pk: `OWNER#${application.ownerId}`,
    gsi3sk: `APP#${application.campaignId}#${application.createdAt}`,
    ...(application.review
      ? { gsi4pk: `RANKED#${application.campaignId}#${application.ars}`, gsi4sk: `${String(Math.round(application.review.average * 100)).padStart(3, '0')}#${application.id}` }
      : {}),
  };
}

const STORAGE_ONLY = new Set(['pk', 'sk', 'type', 'searchText', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'gsi4pk', 'gsi4sk']);

function fromItem(item: Record<string, unknown>): Application {
  return Object.fromEntries(Object.entries(item).filter(([name]) => !STORAGE_ONLY.has(name))) as unknown as Application;
}

function historyPut(application: Application, entry: HistoryEntry): TransactItem {
  return historyItem(application.id, application.version, entry);
}

/**
 * A history line. Transitions are keyed by the version they produced; events that do not change the
 * application (a convention signature) add a suffix after the version they happened at, so the order holds.
 */
export function historyItem(applicationId: string, version: number, entry: HistoryEntry, suffix?: string): TransactItem {
  const key = historyKey(applicationId, version);
  return {
    Put: {
      TableName: mainTableName,
      Item: { ...key, ...(suffix ? { sk: `${key.sk}#${suffix}` } : {}), type: 'history', applicationId, ...entry },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export interface ApplicationFilter {
  readonly campaignId: string;
  readonly ars?: ArsCode;
  /** Best average review score first (reviewed applications of one region only). */
  readonly sortByScore?: boolean;
  readonly status?: ApplicationStatus;
  readonly category?: string;
  readonly q?: string;
  readonly limit: number;
  readonly cursor?: string;
}

export const applicationRepository = {
  async get(id: string): Promise<Application | undefined> {
    const { Item } = await dynamo.send(new GetCommand({ TableName: mainTableName, Key: appKey(id), ConsistentRead: true }));
    return Item ? fromItem(Item) : undefined;
  },

  /**
   * One transaction: the application, the FINESS uniqueness item, the first history line and (with an
   * Idempotency-Key) the recorded response. Uniqueness is the database's condition, not a read before.
   */
  async create(application: Application, entry: HistoryEntry, remembered?: TransactItem): Promise<void> {
    const items: TransactItem[] = [
      { Put: { TableName: mainTableName, Item: toItem(application), ConditionExpression: 'attribute_not_exists(pk)' } },
      {
        Put: {
          TableName: mainTableName,
          Item: { ...finessKey(application.campaignId, application.finess), type: 'finess', applicationId: application.id },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      historyPut(application, entry),
      ...(remembered ? [remembered] : []),
    ];
    await transact(items, (failed) => {
      if (remembered && failed.includes(3)) return new IdempotencyRace();
      if (failed.includes(1)) {
        return new DomainError('duplicate_finess', `Un dossier existe déjà pour le FINESS ${formatFiness(application.finess)} dans cette campagne.`, [
          { path: 'finess', message: 'Dossier déjà existant pour ce FINESS' },
        ]);
      }
      return new ConcurrentModificationError();
    });
  },

  /**
   * Optimistic locking: the new state is written only if the stored version is still `expectedVersion`, in
   * the same transaction as its history line and whatever else the change causes (emails to send, counters).
   */
  async save(
    application: Application,
    expectedVersion: number,
    entry: HistoryEntry | undefined,
    extra: TransactItem[] = [],
    /** Names the rule behind a failed condition on one of `extra` (by its position there). */
    explain: (extraIndex: number) => Error | undefined = () => undefined,
  ): Promise<void> {
    const items: TransactItem[] = [
      {
        Put: {
          TableName: mainTableName,
          Item: toItem(application),
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': expectedVersion },
        },
      },
      ...(entry ? [historyPut(application, entry)] : []),
      ...extra,
    ];
    const firstExtra = entry ? 2 : 1;
    await transact(items, (failed) => {
      if (failed.includes(0)) return new ConcurrentModificationError();
      const extraFailure = failed.filter((index) => index >= firstExtra).map((index) => explain(index - firstExtra)).find((error) => error !== undefined);
      return extraFailure ?? new ConcurrentModificationError();
    });
  },

  async history(id: string): Promise<HistoryEntry[]> {
    const items = await queryAll({
      TableName: mainTableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :hist)',
      ExpressionAttributeValues: { ':pk': `APP#${id}`, ':hist': 'HIST#' },
    });
    return items.map((item) => {
      const { at, actor, action, from, to, motivation } = item;
      return { at, actor, action, from: from ?? null, to, ...(motivation ? { motivation } : {}) } as HistoryEntry;
    });
  },

  /** The applications one account holds in a campaign (the owner index). */
  async ofOwner(ownerId: string, campaignId: string): Promise<Application[]> {
    const result = await dynamo.send(
      new QueryCommand({
        TableName: mainTableName,
        IndexName: 'gsi3',
        KeyConditionExpression: 'gsi3pk = :pk AND begins_with(gsi3sk, :campaign)',
        ExpressionAttributeValues: { ':pk': `OWNER#${ownerId}`, ':campaign': `APP#${campaignId}#` },
      }),
    );
    return (result.Items ?? []).map(fromItem);
  },

  /** Decided applications of a region whose decision is not yet notified (every page). */
  async awaitingNotification(campaignId: string, ars: string): Promise<Application[]> {
    const found: Application[] = [];
    for (const status of ['retenue', 'non_retenue'] as const) {
      const items = await queryAll({
        TableName: mainTableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :status)',
        FilterExpression: 'attribute_not_exists(decision.notifiedAt)',
        ExpressionAttributeValues: { ':pk': `APPS#${campaignId}#${ars}`, ':status': `${status}#` },
      });
      found.push(...items.map(fromItem));
    }
    return found;
  },

  /** ARS lists read their region's partition of gsi1; national lists read gsi2; a status narrows the sort key. */
  async list(filter: ApplicationFilter): Promise<Page<Application>> {
    const ranked = filter.sortByScore === true && filter.ars !== undefined;
    // Ranked lists read the region's score index (reviewed files only); the status is then a filter.
    const key = ranked
      ? { IndexName: 'gsi4', KeyConditionExpression: 'gsi4pk = :pk', ExpressionAttributeValues: { ':pk': `RANKED#${filter.campaignId}#${filter.ars}` } as Record<string, unknown> }
      : regionalListKey('APPS', filter.campaignId, filter.ars, filter.status);
    const values = key.ExpressionAttributeValues;
    const filters: string[] = [];
    if (filter.status && ranked) {
      filters.push('#status = :status');
      values[':status'] = filter.status;
    }
    if (filter.category) {
      filters.push('category = :category');
      values[':category'] = filter.category;
    }
    if (filter.q) {
      filters.push('contains(searchText, :q)');
      values[':q'] = filter.q;
    }
    const input: QueryCommandInput = {
      TableName: mainTableName,
      ...key,
      Limit: filter.limit,
      ExclusiveStartKey: decodeCursor(filter.cursor),
      ScanIndexForward: !ranked,
      ...(filters.length > 0 ? { FilterExpression: filters.join(' AND ') } : {}),
      ...(filters.length > 0 && ranked && filter.status ? { ExpressionAttributeNames: { '#status': 'status' } } : {}),
    };
    const result = await dynamo.send(new QueryCommand(input));
    return { items: (result.Items ?? []).map(fromItem), nextCursor: encodeCursor(result.LastEvaluatedKey) };
  },
};

/** The region's retained count moves with each decision; a quota makes the increment conditional. */
export function retainedCountUpdate(campaignId: string, ars: string, delta: number, quota: number | undefined): TransactItem {
  const capped = delta > 0 && quota !== undefined;
  return {
    Update: {
      TableName: mainTableName,
      Key: { pk: `CAMPAIGN#${campaignId}`, sk: `QUOTA#${ars}` },
      UpdateExpression: 'SET #type = :type ADD retained :delta',
      ...(capped ? { ConditionExpression: 'attribute_not_exists(retained) OR retained < :quota' } : {}),
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':delta': delta, ':type': 'quota', ...(capped ? { ':quota': quota } : {}) },
    },
  };
}
