import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const root = resolve(__dirname, '..', '..', '..');
export const stackFile = join(root, '.local', 'test-stack.json');

/** Starts the local stack once for the whole integration project: in memory, free ports, no ticker. */
export default async function globalSetup(): Promise<void> {
  const child = spawn(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'infra', 'local', 'start.ts')], {
    cwd: root,
    env: { ...process.env, PORT: '0', DYNAMODB_PORT: '0', SES_PORT: '0', LOCAL_IN_MEMORY: '1', LOCAL_TICKER: '0', LOCAL_TABLE_PREFIX: 'mes-pilotes-test' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: false,
  });
  let output = '';
  const ready = await new Promise<Record<string, string>>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`local stack did not start within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /LOCAL_STACK_READY (\{.*\})/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveReady(JSON.parse(match[1]) as Record<string, string>);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`local stack exited with code ${code}:\n${output}`));
    });
  });
  // Keep draining the stack's output so it never blocks on a full pipe.
  child.stdout.removeAllListeners('data');
  child.stderr.removeAllListeners('data');
  child.stdout.resume();
  child.stderr.on('data', (chunk: Buffer) => {
    if (process.env.LOCAL_STACK_LOGS === '1') process.stderr.write(chunk);
  });
  child.removeAllListeners('exit');
  mkdirSync(join(root, '.local'), { recursive: true });
  writeFileSync(stackFile, JSON.stringify({ ...ready, pid: child.pid }));
  (globalThis as { __LOCAL_STACK__?: unknown }).__LOCAL_STACK__ = child;
}
