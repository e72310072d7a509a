import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, spawnLocalStack } from '../../../infra/local/spawn';
import { buildWebApp, webBuildState } from '../../../infra/local/web-static';

/**
 * One local stack for the browser project, as `npm start` runs it but in memory, on free ports, ticker off,
 * with the demo data; the web app is built first when its build is missing or older than its sources.
 */
export default async function globalSetup(): Promise<void> {
  // LOCAL_WEB_DIST: the stack serves that folder instead (the harness checked on a stub page); nothing to build.
  const state = process.env.LOCAL_WEB_DIST ? 'fresh' : webBuildState();
  if (state === 'missing' || state === 'stale') {
    const build = await buildWebApp();
    // Told by every browser test rather than thrown here, where it would stop the other projects' tests too.
    if (!build.ok) process.env.MES_WEB_BUILD_ERROR = `The web app did not build (${build.logFile}):\n${build.log.split('\n').filter((line) => !/^\s+at /.test(line)).slice(-30).join('\n')}`;
  }
  const stack = await spawnLocalStack({ LOCAL_TABLE_PREFIX: 'mes-pilotes-browser', LOCAL_DEMO: '1', LOCAL_WEB_BUILD: '0' });
  mkdirSync(join(root, '.local'), { recursive: true });
  writeFileSync(join(root, '.local', 'browser-stack.json'), JSON.stringify({ ...stack.info, pid: stack.child.pid }));
  process.env.MES_BROWSER_STACK = JSON.stringify(stack.info);
  (globalThis as { __BROWSER_STACK__?: unknown }).__BROWSER_STACK__ = stack;
}
