import * as dynamodb from '@aws-sdk/client-dynamodb';
import { performance } from 'node:perf_hooks';
import { createTables, localTableName } from '../../infra/local/bootstrap';
import { mainTable } from '../../layers/adapters/tables';
import type { CapturedCall } from './in-process';
import type { Operation } from './scenario';

/**
 * The baseline of the latency ratios: the very requests the handlers sent (captured in process), replayed
 * bare — one SDK client, no handler, no HTTP — against a fresh table of the same DynamoDB Local, in their
 * original order, so every condition meets the state it met the first time. The replay advances in step with
 * the HTTP run: right after the HTTP call of one operation, the bare calls of the same operation follow, so
 * both figures of a pair see the machine in the same state. A sample is the sum of an operation's round trips.
 */
type CommandClass = new (input: unknown) => Parameters<dynamodb.DynamoDBClient['send']>[0];

const idOf = (operation: Operation, instance: number): string => `${operation}#${instance}`;

export class BareReplay {
  readonly samples = new Map<Operation, number[]>();
  /** Calls whose outcome (success or failed condition) differed from the original's: should stay 0. */
  mismatches = 0;
  private cursor = 0;
  private readonly calls: CapturedCall[];
  /** Where each operation call's last DynamoDB call sits in `calls`. */
  private readonly lastIndex = new Map<string, number>();

  private constructor(
    calls: readonly CapturedCall[],
    private readonly client: dynamodb.DynamoDBClient,
    private readonly fromTable: string,
    private readonly toTable: string,
  ) {
    this.calls = [...calls].sort((a, b) => a.seq - b.seq);
    this.calls.forEach((call, index) => {
      if (call.operation !== undefined) this.lastIndex.set(idOf(call.operation, call.instance), index);
    });
  }

  static async create(calls: readonly CapturedCall[], fromTable: string, endpoint: string, tablePrefix: string): Promise<BareReplay> {
    // The same client settings as layers/adapters/dynamo.ts.
    const client = new dynamodb.DynamoDBClient({ endpoint, region: 'eu-west-3', maxAttempts: 5, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await createTables(client, tablePrefix);
    return new BareReplay(calls, client, fromTable, localTableName(mainTable, tablePrefix));
  }

  /** Replays every call up to the last one of that operation call (the set-up calls before it included). */
  async through(operation: Operation, instance: number): Promise<void> {
    const last = this.lastIndex.get(idOf(operation, instance));
    if (last === undefined) return;
    let total = 0;
    while (this.cursor <= last) {
      const call = this.calls[this.cursor]!;
      this.cursor += 1;
      const ms = await this.send(call);
      if (call.operation === operation && call.instance === instance) total += ms;
    }
    this.samples.set(operation, [...(this.samples.get(operation) ?? []), total]);
  }

  close(): void {
    this.client.destroy();
  }

  private async send(call: CapturedCall): Promise<number> {
    const Command = (dynamodb as unknown as Record<string, CommandClass>)[call.command];
    if (!Command) throw new Error(`replay: no ${call.command} in @aws-sdk/client-dynamodb`);
    const input = JSON.parse(JSON.stringify(call.input).split(JSON.stringify(this.fromTable)).join(JSON.stringify(this.toTable))) as unknown;
    const started = performance.now();
    let failed = false;
    try {
      await this.client.send(new Command(input));
    } catch {
      failed = true;
    }
    const ms = performance.now() - started;
    if (failed !== call.failed) this.mismatches += 1;
    return ms;
  }
}
