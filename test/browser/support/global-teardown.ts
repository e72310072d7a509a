import type { RunningStack } from '../../../infra/local/spawn';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __BROWSER_STACK__?: RunningStack }).__BROWSER_STACK__?.stop();
}
