/**
 * The browser tests' toolbox: a real Chromium (Debian's, driven by playwright-core) against the local stack of
 * the browser project, sign-in through the real OIDC login page, the simulated clock, axe, and on failure a
 * screenshot and the page's HTML under .local/browser-failures/.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { ArsCode } from '../../../layers/domain/regions';

const root = resolve(__dirname, '..', '..', '..');
const stackFile = join(root, '.local', 'browser-stack.json');

export interface BrowserStack {
  /** http://localhost:<port>: the web app, the API (/v1), the local endpoints and the OIDC provider. */
  apiUrl: string;
  webUrl: string;
  oidcIssuer: string;
  sesUrl: string;
  dynamodbEndpoint: string;
  tableName: string;
}

export const stack: BrowserStack = JSON.parse(process.env.MES_BROWSER_STACK ?? readFileSync(stackFile, 'utf8')) as BrowserStack;
export const origin = stack.apiUrl;

export const WEB_CLIENT_ID = 'mes-pilotes-web';
export const WEB_SCOPE = 'openid email profile';
export const failuresDir = join(root, '.local', 'browser-failures');

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  // As root (CI) Chromium needs --no-sandbox; a small /dev/shm in containers would crash its renderers.
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

interface CurrentTest {
  name: string;
  failed: boolean;
}
const currentTest = (): CurrentTest | undefined => (globalThis as { __BROWSER_TEST__?: CurrentTest }).__BROWSER_TEST__;

const slug = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 120)
    .toLowerCase();

export interface BrowserSuite {
  /** A page in a new browser context (own cookies and storage), its base URL the stack's origin; closed after the test. */
  newPage(options?: { viewport?: { width: number; height: number } }): Promise<Page>;
  readonly browser: () => Browser;
}

/**
 * Call once at the top of a test file: one Chromium for the file, fresh contexts per test, and the failure
 * artefacts (a full-page screenshot and the HTML of every page the failed test had open).
 */
export function browserSuite(): BrowserSuite {
  let browser: Browser | undefined;
  let contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (process.env.MES_WEB_BUILD_ERROR) throw new Error(process.env.MES_WEB_BUILD_ERROR);
    browser = await launchChromium();
  });

  afterEach(async () => {
    const test = currentTest();
    if (test?.failed) {
      mkdirSync(failuresDir, { recursive: true });
      const prefix = `${slug(basename(expect.getState().testPath ?? 'test', '.test.ts'))}--${slug(test.name)}`;
      let n = 0;
      for (const context of contexts) {
        for (const page of context.pages()) {
          n += 1;
          const file = join(failuresDir, `${prefix}-${n}`);
          await page.screenshot({ path: `${file}.png`, fullPage: true }).catch(() => undefined);
          const html = await page.content().catch((error: unknown) => `<!-- could not read the page: ${String(error)} -->`);
          writeFileSync(`${file}.html`, `<!-- ${page.url()} -->\n${html}`);
          console.error(`Browser failure artefacts: ${file}.png, ${file}.html (${page.url()})`);
        }
      }
    }
    await Promise.all(contexts.map((context) => context.close().catch(() => undefined)));
    contexts = [];
  });

  afterAll(async () => {
    await browser?.close();
  });

  return {
    browser: () => {
      if (!browser) throw new Error('browserSuite(): the browser starts in beforeAll');
      return browser;
    },
    async newPage(options = {}) {
      if (!browser) throw new Error('browserSuite(): the browser starts in beforeAll');
      const context = await browser.newContext({ baseURL: origin, locale: 'fr-FR', timezoneId: 'Europe/Paris', viewport: options.viewport ?? { width: 1280, height: 800 } });
      contexts.push(context);
      return context.newPage();
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Signing in

export type Profile = 'candidat' | 'national' | `ars-${ArsCode}`;

export interface Person {
  email: string;
  /** The Cognito group: candidat (default), ars-NAQ…, national. */
  profile?: Profile;
  /** The "Adresse vérifiée" checkbox (default checked). */
  verified?: boolean;
}

const LOGIN_PAGE = /\/local\/oidc\/interaction\//;

/** Fills and sends the local OIDC login page the page is on. */
export async function fillLoginPage(page: Page, person: Person): Promise<void> {
  await page.waitForURL(LOGIN_PAGE);
  await page.getByLabel('Adresse électronique').fill(person.email);
  // The DSFR draws the checkbox on its label, which takes the clicks, as it does a person's.
  if ((await page.getByLabel('Adresse vérifiée').isChecked()) !== (person.verified ?? true)) await page.getByText('Adresse vérifiée', { exact: true }).click();
  await page.getByLabel('Profil').selectOption(person.profile ?? 'candidat');
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

/**
 * Signs in through the web app: from its sign-in control (on the current page, else on the home page) to the
 * OIDC login page and back, until the app has left its callback route.
 */
export async function signIn(page: Page, person: Person): Promise<void> {
  if (!LOGIN_PAGE.test(page.url())) {
    let control = signInControl(page);
    if ((await control.count()) === 0) {
      await page.goto('/');
      control = signInControl(page);
    }
    await control.first().click();
  }
  await fillLoginPage(page, person);
  await page.waitForURL((url) => url.origin === origin && !url.pathname.startsWith('/local/oidc') && !url.pathname.startsWith('/connexion/retour'));
}

export const signInControl = (page: Page) => page.getByRole('link', { name: /se connecter/i }).or(page.getByRole('button', { name: /se connecter/i }));

/** The access token oidc-client-ts keeps in the page's session storage (its default store and key). */
export async function accessTokenOf(page: Page): Promise<string | undefined> {
  const key = `oidc.user:${stack.oidcIssuer}:${WEB_CLIENT_ID}`;
  const stored = await page.evaluate((name) => (globalThis as unknown as { sessionStorage: { getItem(key: string): string | null } }).sessionStorage.getItem(name), key);
  return stored ? ((JSON.parse(stored) as { access_token?: string }).access_token ?? undefined) : undefined;
}

export interface Tokens {
  accessToken: string;
  idToken: string;
  refreshToken?: string;
}

/**
 * The authorization code + PKCE flow driven by the test itself, the browser going through the real login page:
 * for what the web app does not show, and to check the provider without it.
 */
export async function signInWithoutApp(page: Page, person: Person): Promise<Tokens> {
  const verifier = randomBytes(32).toString('base64url');
  const redirectUri = `${origin}/connexion/retour`;
  const state = randomBytes(8).toString('hex');
  const query = new URLSearchParams({
    client_id: WEB_CLIENT_ID,
    response_type: 'code',
    scope: WEB_SCOPE,
    redirect_uri: redirectUri,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    state,
  });
  await page.goto(`${stack.oidcIssuer}/auth?${query}`);
  await fillLoginPage(page, person);
  await page.waitForURL((url) => url.pathname === '/connexion/retour');
  const back = new URL(page.url());
  if (back.searchParams.get('state') !== state || !back.searchParams.get('code')) throw new Error(`Unexpected sign-in redirect: ${page.url()}`);
  const response = await fetch(`${stack.oidcIssuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: back.searchParams.get('code')!, redirect_uri: redirectUri, client_id: WEB_CLIENT_ID, code_verifier: verifier }),
  });
  const body = (await response.json()) as { access_token?: string; id_token?: string; refresh_token?: string };
  if (response.status !== 200 || !body.access_token || !body.id_token) throw new Error(`Token exchange: ${response.status} ${JSON.stringify(body)}`);
  return { accessToken: body.access_token, idToken: body.id_token, ...(body.refresh_token ? { refreshToken: body.refresh_token } : {}) };
}

export function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------------------
// The stack

/** Calls the stack from the test (not the page), e.g. the API with a token read from the page. */
export async function call(method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<{ status: number; json: any; text: string }> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${origin}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text };
}

/** Moves the simulated clock of the stack (an ISO instant with its offset), or back to real time with null. */
export async function setClock(now: string | null): Promise<void> {
  const response = await call('PUT', '/local/clock', { body: { now } });
  if (response.status !== 200) throw new Error(`clock: ${response.status} ${response.text}`);
}

/** Runs the milestone function at the simulated now (what the ticker would do), for one campaign or all. */
export async function runMilestones(campaignId?: string): Promise<unknown> {
  const response = await call('POST', '/local/milestones/run', campaignId ? { body: { campaignId } } : {});
  if (response.status !== 200) throw new Error(`milestones: ${response.status} ${response.text}`);
  return response.json;
}

// ---------------------------------------------------------------------------------------------------------
// Accessibility

const FAILING_IMPACTS = new Set(['serious', 'critical']);

/** Runs axe-core on the page as it is; fails on any violation of impact serious or critical, and prints them. */
export async function expectAccessible(page: Page, what = page.url()): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const failing = results.violations.filter((violation) => FAILING_IMPACTS.has(violation.impact ?? ''));
  if (failing.length === 0) return;
  const report = failing
    .map((violation) => {
      const nodes = violation.nodes
        .slice(0, 5)
        .map((node) => `    ${node.target.join(' ')}: ${node.failureSummary?.replace(/\s+/g, ' ') ?? ''}`)
        .join('\n');
      return `  [${violation.impact}] ${violation.id}: ${violation.help} (${violation.nodes.length} element${violation.nodes.length > 1 ? 's' : ''})\n${nodes}\n    ${violation.helpUrl}`;
    })
    .join('\n');
  console.error(`axe on ${what}:\n${report}`);
  throw new Error(`axe: ${failing.length} serious or critical violation${failing.length > 1 ? 's' : ''} on ${what}:\n${report}`);
}
