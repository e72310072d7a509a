import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Campaign } from '../domain/campaign';
import { campaignFromItem as fromItem, campaignItem as toItem, campaignKey as key, CAMPAIGNS_PARTITION as CAMPAIGNS } from './campaign-item';
import { ConcurrentModificationError, DomainError } from '../domain/errors';
import { decodeCursor, dynamo, encodeCursor, isConditionalCheckFailed, mainTableName } from './dynamo';
import { IdempotencyRace } from './idempotency';
import type { Receipt } from '../domain/ports';
import { named, transactNamed, type TransactItem } from './transactions';

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

/** Campaigns are read on almost every request: keep each one for a few seconds per warm container. */
const cache = new Map<string, { campaign: Campaign; until: number }>();
const CACHE_MS = 5_000;

export const campaignRepository = {
  async get(id: string, options: { fresh?: boolean } = {}): Promise<Campaign | undefined> {
    const cached = cache.get(id);
    if (!options.fresh && cached && cached.until > Date.now()) return cached.campaign;
    const { Item } = await dynamo.send(new GetCommand({ TableName: mainTableName, Key: key(id), ConsistentRead: options.fresh ?? false }));
    if (!Item) return undefined;
    const campaign = fromItem(Item);
    cache.set(id, { campaign, until: Date.now() + CACHE_MS });
    return campaign;
  },

  async list(limit: number, cursor: string | undefined): Promise<Page<Campaign>> {
    const result = await dynamo.send(
      new QueryCommand({
        TableName: mainTableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': CAMPAIGNS },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: decodeCursor(cursor),
      }),
    );
    return { items: (result.Items ?? []).map(fromItem), nextCursor: encodeCursor(result.LastEvaluatedKey) };
  },

  /** With an Idempotency-Key, the recorded response is written in the same transaction as the campaign. */
  /** Every campaign, page by page (the daily milestone run walks them all). */
  async *all(): AsyncGenerator<Campaign> {
    let cursor: string | undefined;
    do {
      const page = await this.list(200, cursor);
      yield* page.items;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  },

  async create(campaign: Campaign, receipt?: Receipt): Promise<void> {
    const remembered = receipt as TransactItem | undefined;
    const put = { TableName: mainTableName, Item: toItem(campaign), ConditionExpression: 'attribute_not_exists(pk)' };
    const exists = () => new DomainError('campaign_exists', `La campagne ${campaign.id} existe déjà.`);
    if (remembered) {
      await transactNamed([named('campaign', { Put: put }), named('receipt', remembered)], (failed) => (failed.has('receipt') ? new IdempotencyRace() : exists()));
    } else {
      try {
        await dynamo.send(new PutCommand(put));
      } catch (error) {
        if (isConditionalCheckFailed(error)) throw exists();
        throw error;
      }
    }
    cache.delete(campaign.id);
  },

  /** Optimistic locking: the write holds only if the stored version is still the one that was read. */
  async update(campaign: Campaign, expectedVersion: number): Promise<void> {
    try {
      await dynamo.send(
        new PutCommand({
          TableName: mainTableName,
          Item: toItem(campaign),
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': expectedVersion },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw new ConcurrentModificationError();
      throw error;
    }
    cache.delete(campaign.id);
  },
};
