import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { mainTable } from '../../layers/adapters/tables';

/**
 * DynamoDB's capacity rules, applied to the items an operation really wrote. DynamoDB Local reports reads
 * and single-item writes by these rules, but its figures for TransactWriteItems are not AWS's (the same
 * three-item transaction reports 4 units, as does a one-item one), so writes are counted here from the item
 * images before and after each call. Transactional items cost twice on the table; index entries are taken
 * at one write each (AWS documents the doubling for the table only).
 */
export type Item = Record<string, AttributeValue>;

const utf8 = (text: string): number => Buffer.byteLength(text, 'utf8');

/** DynamoDB's item size: attribute names plus values (numbers by significant digits, containers +3 bytes, +1 per element). */
export function valueBytes(value: AttributeValue): number {
  if (value.S !== undefined) return utf8(value.S);
  if (value.N !== undefined) return numberBytes(value.N);
  if (value.B !== undefined) return value.B.byteLength;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS !== undefined) return value.SS.reduce((sum, text) => sum + utf8(text), 0);
  if (value.NS !== undefined) return value.NS.reduce((sum, text) => sum + numberBytes(text), 0);
  if (value.BS !== undefined) return value.BS.reduce((sum, bytes) => sum + bytes.byteLength, 0);
  if (value.L !== undefined) return 3 + value.L.reduce((sum, element) => sum + 1 + valueBytes(element), 0);
  if (value.M !== undefined) return 3 + Object.entries(value.M).reduce((sum, [name, element]) => sum + 1 + utf8(name) + valueBytes(element), 0);
  return 0;
}

function numberBytes(text: string): number {
  const digits = text.replace(/^-/, '').replace(/[eE].*$/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
}

export const itemBytes = (item: Item): number => Object.entries(item).reduce((sum, [name, value]) => sum + utf8(name) + valueBytes(value), 0);

export const writeUnitsOf = (bytes: number): number => Math.max(1, Math.ceil(bytes / 1024));
export const readUnitsOf = (bytes: number, consistent: boolean): number => Math.max(1, Math.ceil(bytes / 4096)) * (consistent ? 1 : 0.5);

const indexKeys = mainTable.globalIndexes.map((index) => [index.partitionKey.name, index.sortKey.name] as const);

function indexEntry(item: Item | undefined, [pkName, skName]: readonly [string, string]): string | undefined {
  const pk = item?.[pkName]?.S;
  const sk = item?.[skName]?.S;
  return pk !== undefined && sk !== undefined ? `${pk}\u0000${sk}` : undefined;
}

const sameItem = (a: Item | undefined, b: Item | undefined): boolean => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sortKeys(v)]));
  return value;
}

/** Index writes of one item change (projection ALL): an update in place, or a delete and a put when the key moves. */
export function indexWriteUnits(before: Item | undefined, after: Item | undefined): number {
  let units = 0;
  for (const keys of indexKeys) {
    const old = indexEntry(before, keys);
    const now = indexEntry(after, keys);
    if (old !== undefined && now !== undefined && old === now) {
      if (!sameItem(before, after)) units += writeUnitsOf(itemBytes(after!));
    } else {
      if (old !== undefined) units += writeUnitsOf(itemBytes(before!));
      if (now !== undefined) units += writeUnitsOf(itemBytes(after!));
    }
  }
  return units;
}

/** One item written: the larger of its two images on the table (twice in a transaction), plus its index entries. */
export function itemWriteUnits(before: Item | undefined, after: Item | undefined, transactional: boolean): { table: number; indexes: number } {
  const bytes = Math.max(before ? itemBytes(before) : 0, after ? itemBytes(after) : 0);
  return { table: writeUnitsOf(bytes) * (transactional ? 2 : 1), indexes: indexWriteUnits(before, after) };
}

export const keyOf = (item: Item): Item => ({ [mainTable.partitionKey.name]: item[mainTable.partitionKey.name]!, [mainTable.sortKey.name]: item[mainTable.sortKey.name]! });
export const keyText = (key: Item): string => `${key[mainTable.partitionKey.name]?.S ?? '?'} ${key[mainTable.sortKey.name]?.S ?? '?'}`;

/** The item keys a write request touches, and whether it is transactional. */
export function writtenKeys(command: string, input: Record<string, unknown>): { keys: Item[]; transactional: boolean } {
  switch (command) {
    case 'PutItemCommand':
      return { keys: [keyOf(input.Item as Item)], transactional: false };
    case 'UpdateItemCommand':
    case 'DeleteItemCommand':
      return { keys: [input.Key as Item], transactional: false };
    case 'TransactWriteItemsCommand': {
      const items = input.TransactItems as { Put?: { Item: Item }; Update?: { Key: Item }; Delete?: { Key: Item }; ConditionCheck?: { Key: Item } }[];
      return { keys: items.map((entry) => (entry.Put ? keyOf(entry.Put.Item) : (entry.Update ?? entry.Delete ?? entry.ConditionCheck)!.Key)), transactional: true };
    }
    case 'BatchWriteItemCommand': {
      const requests = Object.values(input.RequestItems as Record<string, { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }[]>).flat();
      return { keys: requests.map((request) => (request.PutRequest ? keyOf(request.PutRequest.Item) : request.DeleteRequest!.Key)), transactional: false };
    }
    default:
      return { keys: [], transactional: false };
  }
}

/** A document-client value as DynamoDB stores it (the lib-dynamodb marshalling, for sizing only). */
export function attributeOf(value: unknown): AttributeValue {
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number' || typeof value === 'bigint') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (value === null || value === undefined) return { NULL: true };
  if (value instanceof Uint8Array) return { B: value };
  if (value instanceof Set) return [...value].every((element) => typeof element === 'number') ? { NS: [...value].map(String) } : { SS: [...value].map(String) };
  if (Array.isArray(value)) return { L: value.map(attributeOf) };
  return { M: documentItem(value as Record<string, unknown>) };
}

export const documentItem = (item: Record<string, unknown>): Item =>
  Object.fromEntries(Object.entries(item).filter(([, value]) => value !== undefined).map(([name, value]) => [name, attributeOf(value)]));

/** Items a read request returned, from the document client's output, for the floor of what an operation must read. */
export function itemsRead(command: string, output: Record<string, unknown>): Item[] {
  const documents = (() => {
    switch (command) {
      case 'GetItemCommand':
        return output.Item ? [output.Item] : [];
      case 'QueryCommand':
      case 'ScanCommand':
        return (output.Items as unknown[] | undefined) ?? [];
      case 'BatchGetItemCommand':
        return Object.values((output.Responses as Record<string, unknown[]> | undefined) ?? {}).flat();
      default:
        return [];
    }
  })();
  return documents.map((document) => documentItem(document as Record<string, unknown>));
}

/** Read units DynamoDB reported for a call (DynamoDB Local follows AWS for reads); write units it reported. */
export function reportedUnits(command: string, consumed: unknown): { read: number; write: number } {
  const entries = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) as { CapacityUnits?: number; ReadCapacityUnits?: number; WriteCapacityUnits?: number }[];
  const total = entries.reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0);
  const isRead = ['GetItemCommand', 'QueryCommand', 'ScanCommand', 'BatchGetItemCommand', 'TransactGetItemsCommand'].includes(command);
  return isRead ? { read: total, write: 0 } : { read: 0, write: total };
}
