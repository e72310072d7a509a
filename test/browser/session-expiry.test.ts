/**
 * A session the API no longer accepts (API Gateway's own 401 `{"message":"Unauthorized"}`, not a problem+json):
 * the page says the session expired, keeps what it shows, and signing in again comes back to the same page.
 */
import { browserSuite, expectAccessible, fillLoginPage, signIn, stack } from './support/browser';

const suite = browserSuite();

test('an expired session is explained and the person signs in again where they were', async () => {
  const page = await suite.newPage();
  const email = `session-${Date.now()}@esms-session.local`;
  await signIn(page, { email });
  await page.goto('/mes-dossiers');
  await page.getByRole('heading', { level: 1, name: 'Mes dossiers' }).waitFor();

  // The token the tab keeps is no longer one the API accepts (as when it has expired or been revoked).
  await page.evaluate((key) => {
    const storage = (globalThis as unknown as { sessionStorage: { getItem(k: string): string | null; setItem(k: string, v: string): void } }).sessionStorage;
    const user = JSON.parse(storage.getItem(key)!) as { access_token: string };
    storage.setItem(key, JSON.stringify({ ...user, access_token: `${user.access_token.split('.').slice(0, 2).join('.')}.signature-invalide` }));
  }, `oidc.user:${stack.oidcIssuer}:mes-pilotes-web`);
  await page.reload();
  await page.getByRole('heading', { name: 'Session expirée' }).waitFor();
  await page.getByText('Votre session a expiré : reconnectez-vous pour continuer.').waitFor();
  expect(await page.getByText('Unauthorized').count()).toBe(0);
  await expectAccessible(page, 'session expired');

  // The provider may still know the person (its own session): then no login page, straight back.
  await page.getByRole('button', { name: 'Se reconnecter' }).click();
  await page.waitForURL((url) => url.pathname === '/connexion/retour' || url.pathname.startsWith('/local/oidc/interaction/'));
  if (page.url().includes('/local/oidc/interaction/')) await fillLoginPage(page, { email });
  await page.waitForURL((url) => url.pathname === '/mes-dossiers', { waitUntil: 'commit' });
  await page.getByRole('heading', { level: 1, name: 'Mes dossiers' }).waitFor();
  expect(await page.getByRole('heading', { name: 'Session expirée' }).count()).toBe(0);
});
