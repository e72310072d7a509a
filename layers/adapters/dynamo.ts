import { AsyncLocalStorage } from 'node:async_hooks';
import { DynamoDBClient, type ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../domain/errors';
import { requiredEnv } from './config';
import { tracer } from './observability';
import { mainTable } from './tables';

/** Set only by the local stack, to reach DynamoDB Local. */
const endpoint = process.env.DYNAMODB_ENDPOINT;

// Each call a subsegment of the X-Ray trace; returns the client untouched where tracing is off (local stack, tests).
export const dynamoClient = tracer.captureAWSv3Client(new DynamoDBClient(endpoint ? { endpoint, maxAttempts: 5 } : { maxAttempts: 5 }));

export interface CapacityUsed {
  read: number;
  write: number;
}

const meters = new AsyncLocalStorage<CapacityUsed>();

/**
 * Runs `work` while adding up the capacity units its DynamoDB calls consume (the milestone function reports
 * them, to show its reads follow the work due rather than the size of the tables).
 */
export async function meterCapacity<T>(work: () => Promise<T>): Promise<{ result: T; capacity: CapacityUsed }> {
  const capacity: CapacityUsed = { read: 0, write: 0 };
  const result = await meters.run(capacity, work);
  return { result, capacity: { read: Math.round(capacity.read * 10) / 10, write: Math.round(capacity.write * 10) / 10 } };
}

dynamoClient.middlewareStack.add(
  (next, context) => async (args) => {
    const meter = meters.getStore();
    if (!meter) return next(args);
    (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
    const result = await next(args);
    const consumed = (result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }).ConsumedCapacity;
    const units = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []).reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0);
    if (/^(Get|BatchGet|Query|Scan|TransactGet)/.test(context.commandName ?? '')) meter.read += units;
    else meter.write += units;
    return result;
  },
  { step: 'initialize', name: 'meterConsumedCapacity' },
);

export const dynamo = DynamoDBDocumentClient.from(dynamoClient, {
  marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
});

export const mainTableName = requiredEnv(mainTable.envVar);

/** A query's items page by page (DynamoDB pages of at most 1 MB), for work that must see every match. */
export async function* queryPages(input: QueryCommandInput): AsyncGenerator<Record<string, unknown>[]> {
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    yield (page.Items ?? []) as Record<string, unknown>[];
    start = page.LastEvaluatedKey;
  } while (start);
}

/** Every item a query matches. */
export async function queryAll(input: QueryCommandInput): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for await (const page of queryPages(input)) items.push(...page);
  return items;
}

/**
 * The key condition of a "campaign (+ region) (+ status)" list: one region's partition of gsi1, or the
 * campaign's partition of gsi2 for every region; a status narrows the sort key (`<status>#…`).
 */
export function regionalListKey(prefix: string, campaignId: string, ars: string | undefined, status: string | undefined) {
  const [IndexName, pkName, skName] = ars !== undefined ? ['gsi1', 'gsi1pk', 'gsi1sk'] : ['gsi2', 'gsi2pk', 'gsi2sk'];
  const values: Record<string, unknown> = { ':pk': ars !== undefined ? `${prefix}#${campaignId}#${ars}` : `${prefix}#${campaignId}` };
  if (status) values[':status'] = `${status}#`;
  return {
    IndexName,
    KeyConditionExpression: status ? `${pkName} = :pk AND begins_with(${skName}, :status)` : `${pkName} = :pk`,
    ExpressionAttributeValues: values,
  };
}

/** Opaque list cursors: the DynamoDB LastEvaluatedKey, base64url JSON. */
export function encodeCursor(key: Record<string, unknown> | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : null;
}

export function decodeCursor(cursor: string | undefined): Record<string, unknown> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const entries = Object.entries(value as Record<string, unknown>);
      const known = /^(pk|sk|gsi[1-4](pk|sk))$/;
      if (entries.length > 0 && entries.length <= 4 && entries.every(([name, v]) => known.test(name) && typeof v === 'string' && v.length <= 1024)) {
        return value as Record<string, unknown>;
      }
    }
  } catch {
    // fall through
  }
  throw new DomainError('validation_failed', 'Le curseur de pagination est invalide.', [{ path: 'query.cursor', message: 'Curseur invalide' }]);
}

export const isConditionalCheckFailed = (error: unknown): boolean =>
  error instanceof Error && (error.name === 'ConditionalCheckFailedException' || error.name === 'TransactionCanceledException');

/**
 * A cursor is opaque to clients but they can still forge one: when DynamoDB refuses the start key it was
 * handed, the list answers 400 rather than 500.
 */
dynamoClient.middlewareStack.add(
  (next) => async (args) => {
    try {
      return await next(args);
    } catch (error) {
      const input = args.input as { ExclusiveStartKey?: unknown };
      if (input.ExclusiveStartKey !== undefined && error instanceof Error && error.name === 'ValidationException') {
        throw new DomainError('validation_failed', 'Le curseur de pagination ne correspond pas à cette liste.', [{ path: 'query.cursor', message: 'Curseur invalide' }]);
      }
      throw error;
    }
  },
  { step: 'initialize', name: 'refusedCursorIsBadRequest' },
);
