/**
 * The application form completed with the keyboard alone, on the demo campaign (its intake is open today):
 * every control is reached with Tab, checkboxes toggled with Space, options chosen with the arrow keys, and
 * the form sent with Enter. Focus goes to each new page's title. axe runs on each state, and at 320 px wide
 * the page does not scroll sideways.
 */
import type { Locator, Page } from 'playwright-core';
import { withCheckKey } from '../../layers/domain/finess';
import { browserSuite, expectAccessible, setClock, signIn } from './support/browser';

const suite = browserSuite();

beforeAll(async () => {
  await setClock(null);
});

/** Presses Tab (Shift+Tab backwards) until `target` has the focus, as a keyboard user would; fails if it never does. */
async function tabTo(page: Page, target: Locator, backwards = false): Promise<void> {
  for (let presses = 0; presses < 120; presses += 1) {
    if (await target.evaluate((element) => element === (element.ownerDocument as unknown as { activeElement: unknown }).activeElement)) return;
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`The keyboard never reached ${String(target)}`);
}

async function typeInto(page: Page, target: Locator, text: string): Promise<void> {
  await tabTo(page, target);
  await page.keyboard.type(text);
}

const focusedTag = (page: Page): Promise<string | undefined> =>
  page.evaluate(() => (globalThis as unknown as { document: { activeElement: { tagName: string } | null } }).document.activeElement?.tagName);

const sideScroll = (page: Page): Promise<boolean> =>
  page.evaluate(() => {
    const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
    return root.scrollWidth > root.clientWidth;
  });

describe('the application form with the keyboard alone', () => {
  test('from the FINESS to the confirmation page, at 320 px wide', async () => {
    const page = await suite.newPage();
    await signIn(page, { email: `clavier-${Date.now()}@ssiad-clavier.local` });
    // At 320 px the header's controls live in its menu: signed in first, then the narrow screen.
    await page.setViewportSize({ width: 320, height: 720 });
    const finess = withCheckKey(`64${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`);

    await page.goto('/campagnes/demo/candidater');
    await page.getByRole('heading', { level: 1, name: 'Déposer une candidature' }).waitFor();
    await typeInto(page, page.getByLabel('Numéro FINESS de l’établissement ou du service'), finess);
    await page.getByText('Département 64 — région et ARS Nouvelle-Aquitaine (NAQ)').waitFor();
    expect(await sideScroll(page)).toBe(false);
    await expectAccessible(page, 'new application at 320 px');
    await page.keyboard.press('Enter');

    await page.waitForURL(/\/dossiers\/MES-[A-Z0-9]+\/candidature$/);
    await page.getByRole('heading', { level: 1, name: 'Ma candidature' }).waitFor();
    expect(await focusedTag(page)).toBe('H1');

    await typeInto(page, page.getByLabel('Nom de l’établissement ou du service'), 'SSIAD du Clavier');
    const category = page.getByLabel('Catégorie FINESS');
    await tabTo(page, category);
    // The arrow keys move through the options of a closed select until the SSIAD one.
    for (let step = 0; step < 60 && (await category.inputValue()) !== '354'; step += 1) await page.keyboard.press('ArrowDown');
    expect(await category.inputValue()).toBe('354');
    await typeInto(page, page.getByLabel('Adresse électronique du contact'), 'coordination@ssiad-clavier.local');
    await tabTo(page, page.getByLabel('Logiciel capable d’alimenter Mon espace santé'));
    await page.keyboard.press('Space');
    await tabTo(page, page.getByLabel('Personnes âgées', { exact: true }));
    await page.keyboard.press('Space');
    await typeInto(page, page.getByLabel('Échanges prévus'), 'Plans de soins partagés dans le DMP ; messagerie sécurisée avec les infirmiers libéraux.');
    await typeInto(page, page.getByLabel('Information et formation'), 'Visites à domicile expliquant Mon espace santé ; formation des aides-soignants.');
    await page.getByText('Toutes les conditions sont remplies : vous pouvez déposer.').waitFor();
    await page.getByRole('status').filter({ hasText: /^Enregistré le / }).waitFor();
    expect(await sideScroll(page)).toBe(false);
    await expectAccessible(page, 'the form, complete, at 320 px');

    await tabTo(page, page.getByRole('button', { name: 'Déposer ma candidature' }));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Confirmer le dépôt de votre candidature' }).waitFor();
    expect(await focusedTag(page)).toBe('H1');
    await page.getByText('SSIAD du Clavier', { exact: true }).waitFor();
    await expectAccessible(page, 'confirmation step at 320 px');
    await tabTo(page, page.getByRole('button', { name: 'Confirmer le dépôt' }));
    await page.keyboard.press('Enter');

    await page.getByRole('heading', { level: 1, name: 'Votre dossier a bien été déposé' }).waitFor();
    expect(await focusedTag(page)).toBe('H1');
    await page.getByText(/^Dossier n° MES-[A-Z0-9]+$/).waitFor();
    expect(await sideScroll(page)).toBe(false);
    await expectAccessible(page, 'submitted at 320 px');
  });
});
