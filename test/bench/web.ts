/**
 * The web app's figures, in Chromium against the local stack: the gzip bytes the first page loads (fonts
 * aside; budget 250 KiB), and the time until the application form is usable, beside a static page holding the
 * DSFR stylesheet and the same text, measured in the same run. Run alone with `npx tsx test/bench/web.ts`
 * (it starts its own stack), or as a section of `npm run bench`.
 */
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { localSub } from '../../infra/local/local-identity';
import { buildWebApp, webBuildState } from '../../infra/local/web-static';
import type { StackInfo } from '../../infra/local/spawn';
import { median } from './stats';

const BUDGET_KIB = 250;
const RUNS = Number(process.env.BENCH_WEB_RUNS ?? 7);
const APPLICANT = 'bench-web@esms.local';
const FORM_FIELD = 'Nom de l’établissement ou du service';

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
/** Every response a page load brings (what `open` does, to network idle), gzipped as a CDN would serve it (the local server sends them plain). */
export async function responsesOfLoad(page: Page, open: () => Promise<unknown>): Promise<{ url: string; bytes: number }[]> {
  const sizes: Promise<{ url: string; bytes: number }>[] = [];
  const listener = (response: import('playwright-core').Response) => {
    sizes.push(
      response
        .body()
        .then((body) => ({ url: response.url(), bytes: gzipSync(body).byteLength }))
        .catch(() => ({ url: response.url(), bytes: 0 })),
    );
  };
  page.on('response', listener);
  await open();
  await page.waitForLoadState('networkidle');
  page.off('response', listener);
  return Promise.all(sizes);
}

export const isFont = (url: string): boolean => /\.(woff2?|ttf|otf)(\?|$)/.test(url);

async function bytesOfLoad(page: Page, path: string): Promise<{ total: number; fonts: number; files: number; largest: string }> {
  const loaded = await responsesOfLoad(page, () => page.goto(path));
  const fonts = loaded.filter((entry) => isFont(entry.url)).reduce((sum, entry) => sum + entry.bytes, 0);
  const largest = loaded
    .filter((entry) => !isFont(entry.url))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 4)
    .map((entry) => `${new URL(entry.url).pathname.split('/').pop()} ${kib(entry.bytes)}`)
    .join(', ');
  return { total: loaded.reduce((sum, entry) => sum + entry.bytes, 0) - fonts, fonts, files: loaded.length, largest };
}

/** Milliseconds from navigation to the form's first field being visible and enabled, cache off. */
async function timeToField(page: Page, open: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await open();
  const field = page.getByLabel(FORM_FIELD).first();
  await field.waitFor({ state: 'visible' });
  await (await field.elementHandle())?.waitForElementState('enabled');
  return performance.now() - started;
}

export async function benchWeb(options: { stack: StackInfo & { oidcIssuer?: string }; log: (line: string) => void }): Promise<{ rows: { name: string; value: string }[] }> {
  const state = webBuildState();
  if (state === 'missing' || state === 'stale') {
    options.log('building the web app…');
    const build = await buildWebApp();
    if (!build.ok) throw new Error(`the web app did not build (${build.logFile})`);
  }
  const origin = options.stack.apiUrl;
  // Real time: the demo campaign's intake is open today (the scenario before may have moved the clock).
  await fetch(`${origin}/local/clock`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ now: null }) });
  process.env.MES_BROWSER_STACK ??= JSON.stringify({ ...options.stack, webUrl: origin, oidcIssuer: options.stack.oidcIssuer ?? `${origin}/local/oidc` });
  const { launchChromium, signIn } = await import('../browser/support/browser');
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ baseURL: origin });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });

    options.log('web: bytes of the first page…');
    const home = await bytesOfLoad(page, '/');

    // A draft of the demo campaign (intake open today), owned by the person who signs in.
    const minted = await fetch(`${origin}/local/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sub: localSub(APPLICANT), email: APPLICANT, groups: ['candidat'] }) });
    const token = ((await minted.json()) as { token: string }).token;
    const created = await fetch(`${origin}/v1/campaigns/demo/applications`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ finess: '330000043' }) });
    if (created.status !== 201) throw new Error(`draft: ${created.status} ${await created.text()}`);
    const id = ((await created.json()) as { id: string }).id;
    await signIn(page, { email: APPLICANT });
    const formPath = `/dossiers/${id}/candidature`;

    options.log(`web: time to a usable form, ${RUNS} loads each of the app and of the static page…`);
    await timeToField(page, () => page.goto(formPath));
    const html = (await page.content()).replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '').replace(/<link\b[^>]*rel="modulepreload"[^>]*>/gi, '');
    await page.route('**/bench-static-form.html', (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
    const app: number[] = [];
    const staticPage: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      // Alternate, so that both see the machine in the same state.
      app.push(await timeToField(page, () => page.goto(formPath)));
      staticPage.push(await timeToField(page, () => page.goto('/bench-static-form.html')));
    }
    const appMedian = median(app);
    const staticMedian = median(staticPage);
    return {
      rows: [
        { name: 'first page (/) gzip, fonts aside', value: `${kib(home.total)} (budget ${BUDGET_KIB} KiB: ${home.total <= BUDGET_KIB * 1024 ? 'within' : 'OVER'}), ${home.files} files` },
        { name: 'largest files of the first page, gzip', value: home.largest },
        { name: 'fonts the first page loads, gzip', value: kib(home.fonts) },
        { name: 'application form usable (signed in, cache off), median', value: `${appMedian.toFixed(0)} ms` },
        { name: 'static page, DSFR stylesheet and the same text, median', value: `${staticMedian.toFixed(0)} ms` },
        { name: 'app / static page', value: `${(appMedian / staticMedian).toFixed(2)}×` },
      ],
    };
  } finally {
    await browser.close();
  }
}

if (require.main === module) {
  void (async () => {
    const { spawnLocalStack } = await import('../../infra/local/spawn');
    const stack = await spawnLocalStack({ LOCAL_TABLE_PREFIX: 'bench-web', LOCAL_DEMO: '1', LOCAL_WEB_BUILD: '0' });
    try {
      const { rows } = await benchWeb({ stack: stack.info, log: (line) => process.stderr.write(`bench: ${line}\n`) });
      for (const row of rows) console.log(`${row.name.padEnd(58)} ${row.value}`);
    } finally {
      await stack.stop();
    }
  })().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
