import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';

export const root = resolve(__dirname, '..', '..');

export interface StackInfo {
  apiUrl: string;
  dynamodbEndpoint: string;
  sesUrl: string;
  s3Endpoint?: string;
  tableName: string;
  deployment: string;
}

export interface RunningStack {
  readonly info: StackInfo;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `npm start`'s code (for tests and the simulator) in memory on free ports, without the ticker, and waits for its ready line. */
export async function spawnLocalStack(env: Record<string, string> = {}): Promise<RunningStack> {
  const child = spawn(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'infra', 'local', 'start.ts')], {
    cwd: root,
    env: { ...process.env, PORT: '0', DYNAMODB_PORT: '0', SES_PORT: '0', S3_PORT: '0', LOCAL_IN_MEMORY: '1', LOCAL_TICKER: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const info = await new Promise<StackInfo>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`local stack did not start within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /LOCAL_STACK_READY (\{.*\})/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveReady(JSON.parse(match[1]) as StackInfo);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`local stack exited with code ${code}:\n${output}`));
    });
  });
  // Keep draining its output so it never blocks on a full pipe.
  child.stdout!.removeAllListeners('data');
  child.stderr!.removeAllListeners('data');
  child.removeAllListeners('exit');
  child.stdout!.resume();
  child.stderr!.on('data', (chunk: Buffer) => {
    if (process.env.LOCAL_STACK_LOGS === '1') process.stderr.write(chunk);
  });
  return {
    info,
    child,
    stop: () =>
      new Promise<void>((resolveStop) => {
        if (child.exitCode !== null) return resolveStop();
        child.once('exit', () => resolveStop());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
