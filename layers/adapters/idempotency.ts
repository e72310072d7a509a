import { createHash } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../domain/errors';
import { dynamo, mainTableName } from './dynamo';
import type { TransactItem } from './transactions';

const RETENTION_S = 24 * 3600;

export interface StoredResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface IdempotencyClaim {
  readonly caller: string;
  readonly key: string;
  readonly requestHash: string;
}

const itemKey = (claim: Pick<IdempotencyClaim, 'caller' | 'key'>) => ({
  pk: `IDEMP#${claim.caller}#${createHash('sha256').update(claim.key).digest('base64url')}`,
  sk: 'IDEMP',
});

export const hashRequest = (...parts: string[]): string => createHash('sha256').update(parts.join('\u0000')).digest('base64url');

/** The first answer to this key, if any; the same key with another request is refused. */
export async function findReplay(claim: IdempotencyClaim): Promise<StoredResponse | undefined> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: mainTableName, Key: itemKey(claim), ConsistentRead: true }));
  if (!Item) return undefined;
  if (Item.requestHash !== claim.requestHash) {
    throw new DomainError('idempotency_key_reused', "Cette clé d'idempotence a déjà servi pour une autre requête : utilisez une nouvelle clé.");
  }
  return Item.response as StoredResponse;
}

/** Written in the same transaction as the create, so a replay record exists exactly when the create happened. */
export function rememberResponse(claim: IdempotencyClaim, response: StoredResponse, now: Date): TransactItem {
  return {
    Put: {
      TableName: mainTableName,
      Item: { ...itemKey(claim), type: 'idempotency', requestHash: claim.requestHash, response, expiresAt: Math.floor(now.getTime() / 1000) + RETENTION_S },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** Two identical retries raced: the other one's create won, so answer with its response. */
export class IdempotencyRace extends Error {
  constructor() {
    super('idempotency race');
    this.name = 'IdempotencyRace';
  }
}
