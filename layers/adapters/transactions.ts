import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { dynamo } from './dynamo';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Which items of a cancelled transaction failed their condition (by position). */
export function failedConditions(error: unknown): number[] {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return [];
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.flatMap((reason, index) => (reason.Code === 'ConditionalCheckFailed' ? [index] : []));
}

/**
 * Runs the items as one transaction. On a failed condition, `onConflict` receives the positions that failed
 * and returns the error to throw (a domain error naming the rule), so callers never parse SDK errors.
 */
export async function transact(items: TransactItem[], onConflict: (failed: number[]) => Error): Promise<void> {
  try {
    await dynamo.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    const failed = failedConditions(error);
    if (failed.length > 0) throw onConflict(failed);
    throw error;
  }
}

/** A transaction item with the name of what its condition guards ('version', 'finess', 'quota'…). */
export interface NamedItem {
  readonly name: string;
  readonly item: TransactItem;
}

export const named = (name: string, item: TransactItem): NamedItem => ({ name, item });

/**
 * One transaction of named items: a failed condition is explained from the names of the items that failed,
 * never from their positions, so adding or reordering items cannot change which error a caller sees.
 */
export async function transactNamed(items: readonly NamedItem[], explain: (failed: ReadonlySet<string>) => Error): Promise<void> {
  await transact(
    items.map(({ item }) => item),
    (positions) => explain(new Set(positions.map((position) => items[position]!.name))),
  );
}
