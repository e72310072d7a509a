import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, spawnLocalStack } from '../../../infra/local/spawn';

/** Starts the local stack once for the whole integration project: in memory, free ports, no ticker. */
export default async function globalSetup(): Promise<void> {
  const stack = await spawnLocalStack({ LOCAL_TABLE_PREFIX: 'mes-pilotes-test' });
  mkdirSync(join(root, '.local'), { recursive: true });
  writeFileSync(join(root, '.local', 'test-stack.json'), JSON.stringify({ ...stack.info, pid: stack.child.pid }));
  // Each jest run reads its own stack, even when several run at once on one machine.
  process.env.MES_TEST_STACK = JSON.stringify(stack.info);
  (globalThis as { __LOCAL_STACK__?: unknown }).__LOCAL_STACK__ = stack;
}
