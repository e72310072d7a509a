import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Convention, ConventionStatus } from '../domain/convention';
import type { Conventions, QueuedEmail, SignatureRecord } from '../domain/ports';
import { ConcurrentModificationError } from '../domain/errors';
import { pilotOf } from '../domain/pilot';
import { pilotItem } from './pilot-item';
import { historyItem } from './application-repository';
import { enqueue } from './outbox';
import type { ArsCode } from '../domain/regions';
import type { Page } from './campaign-repository';
import { decodeCursor, dynamo, encodeCursor, mainTableName, regionalListKey } from './dynamo';
import { transact, type TransactItem } from './transactions';

const conventionKey = (id: string) => ({ pk: `CONV#${id}`, sk: 'CONV' });

function toItem(convention: Convention) {
  return {
    ...conventionKey(convention.id),
    type: 'convention',
    ...convention,
    gsi1pk: `CONVS#${convention.campaignId}#${convention.ars}`,
    gsi1sk: `${convention.status}#${convention.id}`,
    gsi2pk: `CONVS#${convention.campaignId}`,
    gsi2sk: `${convention.status}#${convention.id}`,
  };
}

const STORAGE_ONLY = new Set(['pk', 'sk', 'type', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk']);
const strip = <T>(item: Record<string, unknown>): T => Object.fromEntries(Object.entries(item).filter(([name]) => !STORAGE_ONLY.has(name))) as T;

export interface ConventionFilter {
  readonly campaignId: string;
  readonly ars?: ArsCode;
  readonly status?: ConventionStatus;
  readonly limit: number;
  readonly cursor?: string;
}

export const conventionRepository = {
  /** The convention as a transaction item: created once per retained application, whoever notifies. */
  createItem(convention: Convention): TransactItem {
    return { Put: { TableName: mainTableName, Item: toItem(convention), ConditionExpression: 'attribute_not_exists(pk)' } };
  },

  async get(id: string): Promise<Convention | undefined> {
    const { Item } = await dynamo.send(new GetCommand({ TableName: mainTableName, Key: conventionKey(id), ConsistentRead: true }));
    return Item ? strip<Convention>(Item) : undefined;
  },

  saveItem(convention: Convention, expectedVersion: number): TransactItem {
    return {
      Put: {
        TableName: mainTableName,
        Item: toItem(convention),
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':expected': expectedVersion },
      },
    };
  },

  /** Optimistic locking, plus whatever the change causes (the pilot record, emails), in one transaction. */
  async save(convention: Convention, expectedVersion: number, extra: TransactItem[] = []): Promise<void> {
    await transact([this.saveItem(convention, expectedVersion), ...extra], () => new ConcurrentModificationError());
  },

  /** A lapsed convention and the emails telling its parties, in one transaction. */
  async saveLapse(lapsed: Convention, previous: Convention, emails: readonly QueuedEmail[], at: Date): Promise<void> {
    await this.save(lapsed, previous.version, emails.map((email) => enqueue(email, at)));
  },

  /** Conventions of a campaign still waiting for a signature, every page. */
  async *toSign(campaignId: string): AsyncGenerator<Convention> {
    let cursor: string | undefined;
    do {
      const page = await this.list({ campaignId, status: 'a_signer', limit: 200, cursor });
      yield* page.items;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  },

  /**
   * A signature, in one transaction: the convention, its line in the application's history and, with the
   * second signature, the pilot, a "signed" line and the emails to queue. Convention events sort after the
   * notification in the application's history, in the order of the convention's versions.
   */
  async saveSignature(signed: Convention, previous: Convention, by: SignatureRecord, emails: readonly QueuedEmail[]): Promise<void> {
    const line = (action: string, step: number) =>
      historyItem(previous.applicationId, previous.applicationVersion, { at: signed.updatedAt, actor: by.actor, action, from: 'retenue', to: 'retenue' }, `CONV#${String(signed.version).padStart(4, '0')}#${step}`);
    const items = [line(`signature_${by.party}`, 1)];
    if (signed.status === 'signee') {
      items.push(
        { Put: { TableName: mainTableName, Item: pilotItem(pilotOf(signed)), ConditionExpression: 'attribute_not_exists(pk)' } },
        line('convention_signee', 2),
        ...emails.map((email) => enqueue(email, by.at)),
      );
    }
    await this.save(signed, previous.version, items);
  },

  async list(filter: ConventionFilter): Promise<Page<Convention>> {
    const result = await dynamo.send(
      new QueryCommand({
        TableName: mainTableName,
        ...regionalListKey('CONVS', filter.campaignId, filter.ars, filter.status),
        Limit: filter.limit,
        ExclusiveStartKey: decodeCursor(filter.cursor),
      }),
    );
    return { items: (result.Items ?? []).map((item) => strip<Convention>(item)), nextCursor: encodeCursor(result.LastEvaluatedKey) };
  },
};

export const dynamoConventions: Conventions = {
  get: (id) => conventionRepository.get(id),
  toSign: (campaignId) => conventionRepository.toSign(campaignId),
  saveSignature: (signed, previous, by, emails) => conventionRepository.saveSignature(signed, previous, by, emails),
  saveLapse: (lapsed, previous, emails, at) => conventionRepository.saveLapse(lapsed, previous, emails, at),
};
