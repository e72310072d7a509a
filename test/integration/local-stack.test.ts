import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { root, spawnLocalStack, type RunningStack } from './support/spawn';

/**
 * The local stack a newcomer meets: a taken port is said by name and leaves nothing running; SIGTERM stops
 * every child as Ctrl-C does, saying what it stops.
 */
const portOf = (url: string) => new URL(url).port;
const dynamoDbLocals = (): number => execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((line) => line.includes('DynamoDBLocal.jar')).length;
const javaListeningOn = (port: string): boolean => {
  const processes = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  return processes.split('\n').some((line) => line.includes('DynamoDBLocal.jar') && new RegExp(`-port ${port}\\b`).test(line));
};

/** `npm start`'s code with these settings, to its exit; its output and exit code. */
function startExpectingFailure(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolveExit) => {
    const child = spawn(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'infra', 'local', 'start.ts')], {
      cwd: root,
      env: { ...process.env, LOCAL_IN_MEMORY: '1', LOCAL_TICKER: '0', LOCAL_WEB_BUILD: '0', LOCAL_DEMO: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => resolveExit({ code, output }));
  });
}

let first: RunningStack;
beforeAll(async () => {
  first = await spawnLocalStack({ LOCAL_TABLE_PREFIX: 'local-stack-test' });
}, 90_000);
afterAll(() => first?.stop());

describe('starting a second local stack on a taken port', () => {
  it.each([
    ['SES_PORT', () => portOf(first.info.sesUrl)],
    ['PORT', () => portOf(first.info.apiUrl)],
    ['DYNAMODB_PORT', () => portOf(first.info.dynamodbEndpoint)],
  ])('stops at once when %s is taken, names the setting, and leaves no DynamoDB Local behind', async (setting, taken) => {
    const free = { PORT: '0', DYNAMODB_PORT: '0', SES_PORT: '0' };
    const running = dynamoDbLocals();
    const { code, output } = await startExpectingFailure({ ...free, [setting]: taken() });
    expect(dynamoDbLocals()).toBe(running);
    expect(code).toBe(1);
    expect(output).toContain(`Port ${taken()} is already in use`);
    expect(output).toContain(`set ${setting} to another port`);
    expect(output).not.toContain('LOCAL_STACK_READY');
    // The first stack is untouched: its inbox and API still answer.
    expect((await fetch(`${first.info.sesUrl}/store`)).status).toBe(200);
    expect((await fetch(`${first.info.apiUrl}/v1/campaigns`)).status).toBe(200);
  }, 60_000);
});

describe('SIGTERM', () => {
  it('stops every child as Ctrl-C does and says what it stops', async () => {
    const stack = await spawnLocalStack({ LOCAL_TABLE_PREFIX: 'local-stack-sigterm' });
    const dynamoPort = portOf(stack.info.dynamodbEndpoint);
    expect(javaListeningOn(dynamoPort)).toBe(true);
    let output = '';
    stack.child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await stack.stop();
    expect(output).toMatch(/SIGTERM: stopping .*DynamoDB Local/);
    expect(javaListeningOn(dynamoPort)).toBe(false);
  }, 90_000);
});
