import { itemBytes, itemWriteUnits, readUnitsOf, type Item } from './capacity';
import type { CapturedCall } from './in-process';
import type { Operation } from './scenario';
import { mean, median, percentile } from './stats';

/** The first calls of each operation load modules and open connections: left out of the latency figures. */
export const WARMUP = 5;

export interface Latency {
  readonly samples: number;
  readonly median: number;
  readonly p99: number;
}

export function latencyOf(samples: readonly number[] | undefined): Latency | undefined {
  const kept = (samples ?? []).slice(WARMUP);
  return kept.length === 0 ? undefined : { samples: kept.length, median: median(kept), p99: percentile(kept, 99) };
}

/** Per call of an operation (averaged over its calls): what DynamoDB Local reported, the AWS rules, the floor. */
export interface Capacity {
  readonly calls: number;
  /** The DynamoDB requests of one call, e.g. `GetItem, TransactWriteItems(3)`. */
  readonly requests: string;
  readonly rcu: number;
  readonly wcu: number;
  readonly wcuReported: number;
  readonly floorRcu: number;
  readonly floorWcu: number;
  /** Email ledger items (MAIL#…) written per call, and the write units they cost. */
  readonly emails: number;
  readonly emailWcu: number;
}

const shortName = (command: string): string => command.replace(/Command$/, '');

function describe(calls: readonly CapturedCall[]): string {
  const parts: string[] = [];
  for (const call of calls) {
    const name = shortName(call.command) + (call.command === 'TransactWriteItemsCommand' ? `(${call.writes.length})` : '');
    const last = parts.at(-1);
    const repeat = last !== undefined && last.replace(/ ×\d+$/, '') === name;
    if (repeat) parts[parts.length - 1] = `${name} ×${Number(/ ×(\d+)$/.exec(last)?.[1] ?? '1') + 1}`;
    else parts.push(name);
  }
  return parts.join(', ');
}

const writeUnits = (call: CapturedCall): number =>
  call.writes.reduce((sum, write) => {
    const units = itemWriteUnits(write.before, write.after, write.transactional);
    return sum + units.table + units.indexes;
  }, 0);

/**
 * The floor the data design allows for one call: every item the call leaves changed written once (in a
 * transaction where the call needed one), with its index entries; every item it read, read once, eventually
 * consistent, as if in one request.
 */
function floorOf(calls: readonly CapturedCall[]): { rcu: number; wcu: number } {
  const written = new Map<string, { before: Item | undefined; after: Item | undefined; transactional: boolean }>();
  for (const call of calls) {
    for (const write of call.writes) {
      const known = written.get(write.key);
      written.set(write.key, { before: known ? known.before : write.before, after: write.after, transactional: (known?.transactional ?? false) || write.transactional });
    }
  }
  let wcu = 0;
  for (const { before, after, transactional } of written.values()) {
    if (JSON.stringify(before) === JSON.stringify(after)) continue;
    const units = itemWriteUnits(before, after, transactional);
    wcu += units.table + units.indexes;
  }
  const read = new Map<string, number>();
  for (const call of calls) for (const { key, item } of call.reads) read.set(key, itemBytes(item));
  const bytes = [...read.values()].reduce((sum, size) => sum + size, 0);
  return { rcu: bytes === 0 ? 0 : readUnitsOf(bytes, false), wcu };
}

export function capacityOf(calls: readonly CapturedCall[], operation: Operation, perCall = 1): Capacity | undefined {
  const byInstance = new Map<number, CapturedCall[]>();
  for (const call of calls) {
    if (call.operation !== operation || !call.imaged) continue;
    byInstance.set(call.instance, [...(byInstance.get(call.instance) ?? []), call]);
  }
  if (byInstance.size === 0) return undefined;
  const instances = [...byInstance.values()];
  const figures = instances.map((list) => {
    const floor = floorOf(list);
    const emailWrites = list.flatMap((call) => call.writes.filter((write) => write.key.startsWith('MAIL#')).map((write) => ({ call, write })));
    return {
      rcu: list.reduce((sum, call) => sum + call.reported.read, 0),
      wcuReported: list.reduce((sum, call) => sum + call.reported.write, 0),
      wcu: list.reduce((sum, call) => sum + writeUnits(call), 0),
      floorRcu: floor.rcu,
      floorWcu: floor.wcu,
      emails: new Set(emailWrites.map(({ write }) => write.key)).size,
      emailWcu: emailWrites.reduce((sum, { write }) => {
        const units = itemWriteUnits(write.before, write.after, write.transactional);
        return sum + units.table + units.indexes;
      }, 0),
    };
  });
  const average = (pick: (figure: (typeof figures)[number]) => number) => mean(figures.map(pick)) / perCall;
  const typical = instances[Math.min(WARMUP, instances.length - 1)]!;
  return {
    calls: instances.length,
    requests: perCall === 1 ? describe(typical) : `${describe(typical)} (for ${perCall} applications)`,
    rcu: average((figure) => figure.rcu),
    wcu: average((figure) => figure.wcu),
    wcuReported: average((figure) => figure.wcuReported),
    floorRcu: average((figure) => figure.floorRcu),
    floorWcu: average((figure) => figure.floorWcu),
    emails: average((figure) => figure.emails),
    emailWcu: average((figure) => figure.emailWcu),
  };
}
