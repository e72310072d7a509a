/**
 * The web app is served, a person signs in through the local OpenID Connect provider in a real Chromium, and
 * the API accepts the token the browser got. Written to hold whatever the app's pages become.
 */
import { localSub } from '../../infra/local/local-identity';
import { DEMO_APPLICANT_EMAIL } from '../../infra/local/demo-campaign';
import { accessTokenOf, browserSuite, call, claimsOf, expectAccessible, fillLoginPage, origin, setClock, signIn, signInControl, signInWithoutApp, stack } from './support/browser';

const suite = browserSuite();

// The stack is shared with the other browser test files: start from the real time, whatever they left.
beforeAll(() => setClock(null));

describe('the web app on the local stack', () => {
  test('the home page has a title and a heading, passes axe, and is served with the security headers', async () => {
    const page = await suite.newPage();
    const response = await page.goto('/');
    expect(response?.status()).toBe(200);
    expect((await page.title()).trim()).not.toBe('');
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await expectAccessible(page, 'the home page');

    const headers = response!.headers();
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['content-security-policy']).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('same-origin');
  });

  test('a deep link gets the app (SPA fallback), a missing asset does not, and /config.json names the provider', async () => {
    const deep = await fetch(`${origin}/mes-dossiers/quelque-chose`, { headers: { accept: 'text/html' } });
    const home = await fetch(`${origin}/`, { headers: { accept: 'text/html' } });
    expect(deep.status).toBe(200);
    expect(await deep.text()).toBe(await home.text());

    const absent = await fetch(`${origin}/assets/absent-0123abcd.js`, { headers: { accept: '*/*' } });
    expect(absent.status).toBe(404);
    for (const path of ['/..%2fpackage.json', '/%2e%2e/package.json', '/assets/..%2f..%2f..%2fpackage.json']) {
      const outside = await fetch(`${origin}${path}`, { headers: { accept: 'text/html' } });
      expect(await outside.text()).not.toContain('"name": "mes-pilotes"');
    }

    // Hashed assets are cached for good, the page is revalidated.
    expect(home.headers.get('cache-control')).toBe('no-cache');
    const asset = /(?:src|href)="(\/assets\/[^"]+)"/.exec(await (await fetch(`${origin}/`)).text())?.[1];
    if (asset) {
      const served = await fetch(`${origin}${asset}`);
      expect(served.status).toBe(200);
      expect(served.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(served.headers.get('content-type')).toMatch(/^(text\/javascript|text\/css)/);
    }

    const config = await call('GET', '/config.json');
    expect(config.json).toEqual({ oidc: { authority: stack.oidcIssuer, clientId: 'mes-pilotes-web', scope: 'openid email profile' }, environment: 'local' });
    const discovery = await call('GET', '/local/oidc/.well-known/openid-configuration');
    expect(discovery.json.issuer).toBe(stack.oidcIssuer);
    expect(discovery.json.code_challenge_methods_supported).toEqual(['S256']);
  });

  test('the login page is French, marked local, labelled, and passes axe', async () => {
    const page = await suite.newPage();
    await page.goto(`${stack.oidcIssuer}/auth?${new URLSearchParams({ client_id: 'mes-pilotes-web', response_type: 'code', scope: 'openid email profile', redirect_uri: `${origin}/connexion/retour`, code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' })}`);
    await page.waitForURL(/\/local\/oidc\/interaction\//);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    await page.getByText('Connexion locale — environnement de démonstration').waitFor();
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.getByLabel('Adresse vérifiée').isChecked()).toBe(true);
    const profiles = await page.getByLabel('Profil').locator('option').allTextContents();
    expect(profiles).toEqual(expect.arrayContaining(['Candidat (ESMS)', 'ARS Nouvelle-Aquitaine (instruction)', 'Équipe nationale']));
    expect(profiles).toHaveLength(20);
    await expectAccessible(page, 'the local login page');

    // A wrong address is refused on the page, next to its field.
    await fillLoginPage(page, { email: 'pas-une-adresse' });
    await page.getByText('Saisissez une adresse électronique valide').waitFor();
    expect(await page.getByLabel('Adresse électronique').getAttribute('aria-describedby')).toBe('email-error');
    await expectAccessible(page, 'the local login page with an error');
  });

  test('a candidate signs in through the OIDC page and the API accepts the access token', async () => {
    const page = await suite.newPage();
    const email = 'smoke-candidat@esms-demo.local';
    await page.goto('/');
    let token: string | undefined;
    if ((await signInControl(page).count()) > 0) {
      await signIn(page, { email, profile: 'candidat' });
      token = await accessTokenOf(page);
      // Signed in: the app offers to sign out (or names the person).
      await page.getByRole('link', { name: /se déconnecter/i }).or(page.getByRole('button', { name: /se déconnecter/i })).or(page.getByText(email)).first().waitFor();
      await expectAccessible(page, 'the first page after signing in');
    } else {
      // The app has no sign-in control yet: the same flow, driven by the test.
      token = (await signInWithoutApp(page, { email, profile: 'candidat' })).accessToken;
    }
    expect(token).toBeDefined();
    expect(claimsOf(token!)).toMatchObject({
      iss: stack.oidcIssuer,
      sub: localSub(email),
      email,
      email_verified: true,
      'cognito:groups': ['candidat'],
      client_id: 'mes-pilotes-web',
      token_use: 'access',
      scope: 'openid email profile',
    });
    const mine = await call('GET', '/v1/me/applications', { token });
    expect(mine.status).toBe(200);
    expect(mine.json.items).toEqual([]);
  });

  test('the demo applicant finds her sample applications in the demo campaign, and the refresh token renews her access', async () => {
    const page = await suite.newPage();
    const { accessToken, idToken, refreshToken } = await signInWithoutApp(page, { email: DEMO_APPLICANT_EMAIL });
    expect(claimsOf(idToken)).toMatchObject({ sub: localSub(DEMO_APPLICANT_EMAIL), email: DEMO_APPLICANT_EMAIL });
    const mine = await call('GET', '/v1/me/applications', { token: accessToken });
    expect(mine.status).toBe(200);
    const demo = (mine.json.items as { campaignId: string; status: string }[]).filter((item) => item.campaignId === 'demo');
    expect(demo.map((item) => item.status).sort()).toEqual(['brouillon', 'deposee']);

    // The refresh token gives a new access token for the same person, as Cognito's does.
    const refreshed = await fetch(`${stack.oidcIssuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken!, client_id: 'mes-pilotes-web' }),
    });
    const renewed = (await refreshed.json()) as { access_token: string };
    expect(claimsOf(renewed.access_token)).toMatchObject({ sub: localSub(DEMO_APPLICANT_EMAIL), email: DEMO_APPLICANT_EMAIL, 'cognito:groups': ['candidat'], token_use: 'access' });
    expect((await call('GET', '/v1/me/applications', { token: renewed.access_token })).status).toBe(200);

    const campaign = await call('GET', '/v1/campaigns/demo');
    expect(campaign.json).toMatchObject({ title: 'Campagne de démonstration', phase: 'candidatures' });
  });

  test('through the app, the demo applicant sees her sample applications, then signs out through the provider', async () => {
    const page = await suite.newPage();
    await page.goto('/');
    if ((await signInControl(page).count()) === 0) return; // the app has no sign-in yet: covered above without it
    await signIn(page, { email: DEMO_APPLICANT_EMAIL });
    const myApplications = page.getByRole('link', { name: 'Mes dossiers' }).first();
    if (!/\/mes-dossiers/.test(page.url())) await myApplications.click();
    await page.getByText('EHPAD Les Tilleuls (démonstration)').first().waitFor();
    await page.getByText('SSIAD du Val (démonstration)').first().waitFor();
    await expectAccessible(page, 'the demo applicant’s applications');

    await page.getByRole('link', { name: /se déconnecter/i }).or(page.getByRole('button', { name: /se déconnecter/i })).first().click();
    await page.waitForURL(`${origin}/`);
    await signInControl(page).first().waitFor();
    expect(await accessTokenOf(page)).toBeUndefined();
  });

  test('an ARS reviewer with an unverified address gets those claims', async () => {
    const page = await suite.newPage();
    const { accessToken } = await signInWithoutApp(page, { email: 'instruction@ars-naq.local', profile: 'ars-NAQ', verified: false });
    expect(claimsOf(accessToken)).toMatchObject({ 'cognito:groups': ['ars-NAQ'], email_verified: false });
    const list = await call('GET', '/v1/campaigns/demo/applications', { token: accessToken });
    expect(list.status).toBe(200);
  });
});
