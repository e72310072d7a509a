import { BatchGetCommand, BatchWriteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo, isConditionalCheckFailed, mainTableName } from './dynamo';
import type { TransactItem } from './transactions';

export type ItemKey = { readonly pk: string; readonly sk: string };

/** DynamoDB's own limits: 100 keys per BatchGetItem, 25 puts per BatchWriteItem, 100 items per TransactWriteItems. */
export const BATCH_GET_MAX = 100;
export const BATCH_WRITE_MAX = 25;
export const TRANSACTION_MAX = 100;
const MAX_ATTEMPTS = 8;

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Exponential back-off with jitter: ~25 ms, 50 ms, 100 ms… capped at 1.6 s. */
export const backoffMs = (attempt: number): number => {
  const ceiling = Math.min(1_600, 25 * 2 ** attempt);
  return ceiling / 2 + Math.random() * (ceiling / 2);
};

/** Runs `work` over the items with at most `concurrency` at a time; `worker` tells which lane runs it. */
export async function mapPool<T, R>(items: readonly T[], concurrency: number, work: (item: T, worker: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async (_, worker) => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index]!, worker);
    }
  });
  await Promise.all(lanes);
  return results;
}

/** Reads many items by key, 100 per call, retrying the keys DynamoDB leaves unprocessed with back-off. */
export async function batchGetAll(keys: readonly ItemKey[], consistent = true): Promise<Record<string, unknown>[]> {
  const unique = [...new Map(keys.map((key) => [`${key.pk}\u0000${key.sk}`, key])).values()];
  const chunks: ItemKey[][] = [];
  for (let start = 0; start < unique.length; start += BATCH_GET_MAX) chunks.push(unique.slice(start, start + BATCH_GET_MAX));
  const pages = await mapPool(chunks, 4, async (chunk) => {
    const found: Record<string, unknown>[] = [];
    let pending: Record<string, unknown>[] = chunk.map((key) => ({ pk: key.pk, sk: key.sk }));
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt >= MAX_ATTEMPTS) throw new Error(`BatchGetItem left ${pending.length} keys unprocessed after ${MAX_ATTEMPTS} attempts`);
      if (attempt > 0) await sleep(backoffMs(attempt));
      const result = await dynamo.send(new BatchGetCommand({ RequestItems: { [mainTableName]: { Keys: pending, ConsistentRead: consistent } } }));
      found.push(...((result.Responses?.[mainTableName] ?? []) as Record<string, unknown>[]));
      pending = (result.UnprocessedKeys?.[mainTableName]?.Keys ?? []) as Record<string, unknown>[];
    }
    return found;
  });
  return pages.flat();
}

/** Stops a batch write when its writer may no longer write (a lease about to end). */
export class WriteFenced extends Error {
  constructor() {
    super('batch write stopped: the lease ends');
    this.name = 'WriteFenced';
  }
}

/**
 * Puts many items, 25 per BatchWriteItem, a few calls at a time, retrying the items DynamoDB leaves
 * unprocessed with back-off. `mayWrite` is asked before every call: when it says no, nothing more is sent.
 */
export async function batchWriteAll(items: readonly Record<string, unknown>[], options: { lanes?: number; mayWrite?: () => boolean } = {}): Promise<void> {
  const chunks: Record<string, unknown>[][] = [];
  for (let start = 0; start < items.length; start += BATCH_WRITE_MAX) chunks.push(items.slice(start, start + BATCH_WRITE_MAX));
  await mapPool(chunks, options.lanes ?? 4, async (chunk) => {
    let pending = chunk.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt >= MAX_ATTEMPTS) throw new Error(`BatchWriteItem left ${pending.length} items unprocessed after ${MAX_ATTEMPTS} attempts`);
      if (attempt > 0) await sleep(backoffMs(attempt));
      if (options.mayWrite && !options.mayWrite()) throw new WriteFenced();
      const result = await dynamo.send(new BatchWriteCommand({ RequestItems: { [mainTableName]: pending } }));
      pending = (result.UnprocessedItems?.[mainTableName] ?? []) as typeof pending;
    }
  });
}

/** A transaction item's conditional Put sent on its own (a one-item transaction costs twice as much). */
export async function putAlone(item: TransactItem, onConditionFailed: () => Error): Promise<void> {
  if (!item.Put) throw new Error('putAlone expects a Put');
  try {
    await dynamo.send(new PutCommand(item.Put));
  } catch (error) {
    if (isConditionalCheckFailed(error)) throw onConditionFailed();
    throw error;
  }
}
