/**
 * The ARS console in Chromium against the local stack, on a campaign of its own holding 2,000 submitted files in
 * Nouvelle-Aquitaine: the gzip bytes its first page loads (the app's files and the API's answers, apart), and the
 * time until the files list is usable (first page of files shown, filters enabled), cache off. Run alone with
 * `npx tsx test/bench/web-console.ts` (it starts its own stack; `--origin http://localhost:3407` uses a running one).
 */
import type { Page } from 'playwright-core';
import { withCheckKey } from '../../layers/domain/finess';
import type { StackInfo } from '../../infra/local/spawn';
import { median } from './stats';
import { isFont, responsesOfLoad } from './web';

const FILES = Number(process.env.BENCH_CONSOLE_FILES ?? 2000);
const RUNS = Number(process.env.BENCH_WEB_RUNS ?? 7);
const CONCURRENCY = 16;
const NAQ_DEPARTMENTS = ['16', '17', '19', '23', '24', '33', '40', '47', '64', '79', '86', '87'];
const CATEGORIES = ['500', '354', '255', '182', '460', '437'];

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

async function api(origin: string, method: string, path: string, token: string | undefined, body?: unknown): Promise<any> {
  const response = await fetch(`${origin}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

const tokenFor = async (origin: string, sub: string, email: string, groups: string[]): Promise<string> => (await api(origin, 'POST', '/local/token', undefined, { sub, email, groups })).token;

/** 2,000 submitted files in NAQ, by 40 applicant accounts (at most 50 drafts each), then the intake closed. */
async function seed(origin: string, campaignId: string, log: (line: string) => void): Promise<void> {
  const national = await tokenFor(origin, 'bench-console-national', 'bench@national.local', ['national']);
  await api(origin, 'PUT', '/local/clock', undefined, { now: '2043-02-01T10:00:00+01:00' });
  await api(origin, 'POST', '/v1/campaigns', national, {
    id: campaignId,
    title: 'Banc d’essai de la console',
    intakeOpensAt: '2043-01-01T00:00:00+01:00',
    intakeClosesAt: '2043-03-01T00:00:00+01:00',
    selectionEndsAt: '2043-05-01T00:00:00+02:00',
    conventionsDueAt: '2043-07-01T00:00:00+02:00',
    experimentationStart: '2043-07-01',
    experimentationEnd: '2043-12-31',
    quotas: { NAQ: 40 },
  });
  const owners = await Promise.all(Array.from({ length: Math.ceil(FILES / 50) }, (_, n) => tokenFor(origin, `bench-console-owner-${n}`, `owner-${n}@bench-console.local`, ['candidat'])));
  const base = Math.floor(Math.random() * 900) * 1000;
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < FILES; index = next++) {
      const token = owners[Math.floor(index / 50)]!;
      const department = NAQ_DEPARTMENTS[index % NAQ_DEPARTMENTS.length]!;
      const finess = withCheckKey(`${department}${String(base + index).padStart(6, '0')}`);
      const created = await api(origin, 'POST', `/v1/campaigns/${campaignId}/applications`, token, {
        finess,
        name: `Structure ${index + 1}`,
        category: CATEGORIES[index % CATEGORIES.length],
        contact: { email: `owner-${Math.floor(index / 50)}@bench-console.local` },
        dui: { segurReferenced: true },
        pathways: ['personnes_agees'],
        exchanges: 'Documents vers le DMP.',
        awarenessMeans: 'Réunions.',
      });
      await api(origin, 'POST', `/v1/applications/${created.id}/submit`, token);
      if ((index + 1) % 500 === 0) log(`web console: ${index + 1} files submitted…`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  await api(origin, 'PUT', '/local/clock', undefined, { now: '2043-03-10T10:00:00+01:00' });
  await api(origin, 'POST', '/local/milestones/run', undefined, { campaignId });
}

/** A page load's bytes, gzipped as a CDN would serve them: the app's files and the API's answers apart, fonts aside. */
async function bytesOfLoad(page: Page, open: () => Promise<unknown>): Promise<{ assets: number; api: number; files: number }> {
  const loaded = (await responsesOfLoad(page, open)).filter((entry) => !isFont(entry.url));
  const apiBytes = loaded.filter((entry) => new URL(entry.url).pathname.startsWith('/v1/')).reduce((sum, entry) => sum + entry.bytes, 0);
  return { assets: loaded.reduce((sum, entry) => sum + entry.bytes, 0) - apiBytes, api: apiBytes, files: loaded.length };
}

async function timeToUsableList(page: Page, path: string): Promise<number> {
  const started = performance.now();
  await page.goto(path);
  await page.getByRole('table', { name: 'Dossiers de la région' }).getByRole('link').first().waitFor();
  await (await page.getByRole('button', { name: 'Filtrer' }).elementHandle())?.waitForElementState('enabled');
  return performance.now() - started;
}

export async function benchWebConsole(options: { stack: Pick<StackInfo, 'apiUrl'> & { oidcIssuer?: string }; log: (line: string) => void }): Promise<{ rows: { name: string; value: string }[] }> {
  const origin = options.stack.apiUrl;
  process.env.MES_BROWSER_STACK ??= JSON.stringify({ ...options.stack, webUrl: origin, oidcIssuer: options.stack.oidcIssuer ?? `${origin}/local/oidc` });
  const { launchChromium, signIn } = await import('../browser/support/browser');
  const campaignId = `bench-console-${Date.now().toString(36)}`;
  options.log(`web console: seeding ${FILES} files in NAQ…`);
  const seeding = performance.now();
  await seed(origin, campaignId, options.log);
  const seconds = (performance.now() - seeding) / 1000;
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ baseURL: origin, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const listPath = `/instruction/${campaignId}/NAQ`;
    await signIn(page, { email: 'bench-instruction@ars-naq.local', profile: 'ars-NAQ' });

    options.log('web console: bytes of the files list…');
    const first = await bytesOfLoad(page, () => page.goto(listPath));
    const home = await bytesOfLoad(page, () => page.goto('/'));
    options.log(`web console: time to a usable files list, ${RUNS} loads…`);
    await timeToUsableList(page, listPath);
    const times: number[] = [];
    for (let run = 0; run < RUNS; run += 1) times.push(await timeToUsableList(page, listPath));
    const table = page.getByRole('table', { name: 'Dossiers de la région' });
    const shown = await table.locator('tbody tr').count();
    // The next screen comes from the API's cursor, never from everything read at once.
    const firstOfPage1 = await table.getByRole('link').first().textContent();
    const paging = performance.now();
    await page.getByRole('button', { name: 'Page suivante' }).click();
    await page.getByText('Page 2', { exact: true }).waitFor();
    await table.getByRole('link').first().waitFor();
    const nextMs = performance.now() - paging;
    if ((await table.getByRole('link').first().textContent()) === firstOfPage1) throw new Error('the second page shows the first page again');
    return {
      rows: [
        { name: `files list, ${FILES} files in the region: app files gzip`, value: `${kib(first.assets)} (${first.files} responses)` },
        { name: 'files list: API answers gzip (one page of files, the figures)', value: kib(first.api) },
        { name: 'the applicant first page (/) for comparison, gzip', value: kib(home.assets) },
        { name: 'files list usable (signed in, cache off), median', value: `${median(times).toFixed(0)} ms (${shown} files on the first page)` },
        { name: 'next page of files (the API cursor), one load', value: `${nextMs.toFixed(0)} ms` },
        { name: 'seeding through the API', value: `${seconds.toFixed(0)} s` },
      ],
    };
  } finally {
    await browser.close();
    await fetch(`${origin}/local/clock`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ now: null }) });
  }
}

if (require.main === module) {
  void (async () => {
    const at = process.argv.indexOf('--origin');
    const log = (line: string) => process.stderr.write(`bench: ${line}\n`);
    const print = (rows: { name: string; value: string }[]) => {
      for (const row of rows) console.log(`${row.name.padEnd(64)} ${row.value}`);
    };
    if (at > 0) {
      print((await benchWebConsole({ stack: { apiUrl: process.argv[at + 1]! }, log })).rows);
      return;
    }
    const { spawnLocalStack } = await import('../../infra/local/spawn');
    const stack = await spawnLocalStack({ LOCAL_TABLE_PREFIX: 'bench-web-console', LOCAL_WEB_BUILD: '0' });
    try {
      print((await benchWebConsole({ stack: stack.info, log })).rows);
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
