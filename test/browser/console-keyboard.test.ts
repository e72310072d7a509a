/**
 * The reviewer's grid and decision with the keyboard alone, at 320 px: Tab to each criterion, the arrow keys to a
 * score, the comment, Enter on the buttons; a decision after the selection's end refused and explained, the form
 * kept; then the files list filtered with the keyboard. axe on each state.
 */
import type { Page } from 'playwright-core';
import { arsToken, closeIntake, createCampaign, openIntake, submitFiles, type SeededFile } from './console-fixtures';
import { browserSuite, call, expectAccessible, fillLoginPage, setClock } from './support/browser';

const suite = browserSuite();
const CAMPAIGN = `console-kb-${Date.now().toString(36)}`;
let file: SeededFile;

beforeAll(async () => {
  await openIntake();
  await createCampaign(CAMPAIGN, { NAQ: 1 });
  [file] = (await submitFiles(CAMPAIGN, [{ name: 'Foyer de vie Les Landes', department: '40', category: '382' }])) as [SeededFile];
  await closeIntake(CAMPAIGN);
});

afterAll(async () => {
  await setClock(null);
});

/** What has the focus, as a person hears it: its role or tag, its accessible name. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const element = (globalThis as unknown as { document: { activeElement: any } }).document.activeElement;
    const label = element?.labels?.[0]?.textContent ?? element?.getAttribute?.('aria-label') ?? element?.textContent ?? '';
    return { tag: String(element?.tagName ?? '').toLowerCase(), type: String(element?.type ?? ''), name: String(element?.name ?? ''), label: String(label).replace(/\s+/g, ' ').trim() };
  });

/** Presses Tab until the focus is on what `wanted` accepts (at most 80 times). */
async function tabTo(page: Page, wanted: (focus: Awaited<ReturnType<typeof focused>>) => boolean): Promise<void> {
  for (let n = 0; n < 80; n += 1) {
    await page.keyboard.press('Tab');
    if (wanted(await focused(page))) return;
  }
  throw new Error(`Tab never reached the control; last focus ${JSON.stringify(await focused(page))}`);
}

test('an ARS reviewer scores and decides a file with the keyboard alone, at 320 px; a decision after the selection is refused and explained', async () => {
  const page = await suite.newPage({ viewport: { width: 320, height: 800 } });
  const path = `/instruction/${CAMPAIGN}/NAQ/dossiers/${file.id}`;
  await page.goto(path);
  await page.getByRole('main').getByRole('button', { name: 'Se connecter' }).click();
  await fillLoginPage(page, { email: 'clavier@ars-naq.local', profile: 'ars-NAQ' });
  await page.waitForURL((url) => url.pathname === path);
  await page.getByRole('heading', { level: 1, name: 'Foyer de vie Les Landes' }).waitFor();
  expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  await expectAccessible(page, 'file at 320 px');

  // Five criteria: Tab reaches each group on its first score, the arrow keys move to the score wanted.
  for (const [criterion, score] of [['maturite_dui', 3], ['parcours', 4], ['sensibilisation', 2], ['partenariats', 5], ['capacite', 1]] as const) {
    await tabTo(page, (focus) => focus.type === 'radio' && focus.name === `note-${criterion}`);
    for (let n = 0; n < score; n += 1) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Space');
  }
  await tabTo(page, (focus) => focus.tag === 'textarea');
  expect((await focused(page)).label).toBe("Commentaire de l'instruction");
  await page.keyboard.type('Évalué au clavier.');
  await tabTo(page, (focus) => focus.tag === 'button' && focus.label === "Enregistrer l'évaluation");
  await page.keyboard.press('Enter');
  await page.getByText('Évaluation enregistrée : moyenne 3 sur 5.').waitFor();
  const token = await arsToken('NAQ');
  expect((await call('GET', `/v1/applications/${file.id}`, { token })).json.review.scores).toEqual({ maturite_dui: 3, parcours: 4, sensibilisation: 2, partenariats: 5, capacite: 1 });
  await expectAccessible(page, 'review saved at 320 px');

  // The decision: the radio, the motivation, Enter.
  await tabTo(page, (focus) => focus.type === 'radio' && focus.name === 'decision');
  await page.keyboard.press('Space');
  await tabTo(page, (focus) => focus.tag === 'textarea');
  await page.keyboard.type('Retenu : projet complet.');
  await tabTo(page, (focus) => focus.tag === 'button' && focus.label === 'Enregistrer la décision');
  await page.keyboard.press('Enter');
  await page.getByText(/^Décision enregistrée : retenu\./).waitFor();
  expect((await call('GET', `/v1/applications/${file.id}`, { token })).json).toMatchObject({ status: 'retenue', decision: { motivation: 'Retenu : projet complet.' } });
  await expectAccessible(page, 'decision saved at 320 px');

  // Once the selection has ended, the API's refusal is shown in French, and what was typed stays.
  await setClock('2041-05-02T09:00:00+02:00');
  await page.getByRole('textbox', { name: /^Motivation Obligatoire/ }).fill('Motivation reprise après la date limite.');
  await page.getByRole('button', { name: 'Enregistrer la décision' }).click();
  await page.getByRole('heading', { name: "La décision n'a pas été enregistrée" }).waitFor();
  await page.getByText("La sélection était ouverte jusqu'au 30 avril 2041 à 23 h 59 (heure de Paris) : elle est close.").waitFor();
  expect(await page.getByRole('textbox', { name: /^Motivation Obligatoire/ }).inputValue()).toBe('Motivation reprise après la date limite.');
  await expectAccessible(page, 'decision refused: selection closed');
  await setClock('2041-03-10T10:00:00+01:00');

  // The files list, filtered with the keyboard.
  await page.goto(`/instruction/${CAMPAIGN}/NAQ`);
  await page.getByText('1 retenue sur 1').waitFor();
  await tabTo(page, (focus) => focus.tag === 'input' && focus.label === 'Nom ou numéro FINESS');
  await page.keyboard.type('landes');
  await page.keyboard.press('Enter');
  await page.getByRole('status').filter({ hasText: '1 dossier affiché' }).waitFor();
  await page.getByRole('link', { name: /^Foyer de vie Les Landes/ }).waitFor();
  await expectAccessible(page, 'list filtered with the keyboard at 320 px');
});
