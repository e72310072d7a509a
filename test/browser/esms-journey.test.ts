/**
 * The whole ESMS journey in a real Chromium on the `mes-esms-2023` campaign, with the simulated clock: sign in,
 * create a draft from a FINESS checked in the page, autosave, a conflict with another tab, the eligibility
 * refusal shown on its fields, submit with a confirmation step; after the intake closes, an ARS decision notified
 * (done through the API), the decision shown; the convention signed; a month reported then corrected; funding.
 * axe runs on every page and state visited. Controls are found by role, label and text only.
 */
import type { Page } from 'playwright-core';
import { withCheckKey } from '../../layers/domain/finess';
import { accessTokenOf, browserSuite, call, expectAccessible, fillLoginPage, origin, runMilestones, setClock } from './support/browser';

const suite = browserSuite();
const CAMPAIGN = 'mes-esms-2023';
const TITLE = 'Expérimentation Mon espace santé en établissements et services médico-sociaux (ESMS) — appel à projets 2023';

afterAll(async () => {
  await setClock(null);
});

async function arsToken(): Promise<string> {
  const response = await call('POST', '/local/token', { body: { sub: 'journey-ars-naq', email: 'instruction@ars-naq.local', groups: ['ars-NAQ'] } });
  return response.json.token as string;
}

/** Waits until the form says its last change is saved. */
async function saved(page: Page): Promise<void> {
  await page.getByRole('status').filter({ hasText: /^Enregistré le / }).waitFor();
}

describe('an ESMS applies, is retained, signs and reports usage', () => {
  test('the whole journey', async () => {
    await setClock('2023-10-15T10:00:00+02:00');
    const page = await suite.newPage();
    const email = `direction-${Date.now()}@ehpad-parcours.local`;
    // A FINESS of Gironde no other test uses: 33, six random digits, the key.
    const finess = withCheckKey(`33${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`);

    // Public home: the campaign, its phase and deadline in Paris time, the ICS link.
    await page.goto('/');
    const campaign = page.getByRole('region', { name: TITLE });
    await campaign.getByText('Candidatures ouvertes', { exact: true }).waitFor();
    await campaign.getByText('31 octobre 2023 à 23 h 59 (heure de Paris)').first().waitFor();
    expect(await campaign.getByRole('link', { name: /Ajouter le calendrier/ }).getAttribute('href')).toBe(`/v1/campaigns/${CAMPAIGN}/calendar.ics`);
    await page.getByRole('heading', { name: 'Qui peut candidater ?' }).waitFor();
    await expectAccessible(page, 'home');

    // Apply: asked to sign in, back on the page asked for.
    await campaign.getByRole('link', { name: 'Déposer une candidature' }).click();
    await page.getByRole('heading', { level: 1, name: 'Connexion requise' }).waitFor();
    await expectAccessible(page, 'sign-in required');
    await page.getByRole('main').getByRole('button', { name: 'Se connecter' }).click();
    await fillLoginPage(page, { email });
    await page.waitForURL(`**/campagnes/${CAMPAIGN}/candidater`);
    await page.getByText(email).first().waitFor();

    // The FINESS is checked as it is typed: a wrong key, then the right number with its région and ARS.
    const finessInput = page.getByLabel('Numéro FINESS de l’établissement ou du service');
    await finessInput.fill(`${finess.slice(0, 8)}${(Number(finess[8]) + 1) % 10}`);
    await page.getByText(/La clé de contrôle du numéro FINESS .* est incorrecte/).waitFor();
    expect(await finessInput.getAttribute('aria-invalid')).not.toBe('false');
    await expectAccessible(page, 'FINESS with a wrong key');
    await finessInput.fill(finess);
    await page.getByText('Département 33 — région et ARS Nouvelle-Aquitaine (NAQ)').waitFor();
    await expectAccessible(page, 'FINESS checked');
    await page.getByRole('button', { name: 'Créer mon brouillon' }).click();

    // The form, saved as you go.
    await page.waitForURL(/\/dossiers\/MES-[A-Z0-9]+\/candidature$/);
    const id = /\/dossiers\/(MES-[A-Z0-9]+)\//.exec(page.url())![1]!;
    await page.getByRole('heading', { level: 1, name: 'Ma candidature' }).waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { tagName: string } | null } }).document.activeElement?.tagName)).toBe('H1');
    await page.getByLabel('Nom de l’établissement ou du service').fill('EHPAD Les Jardins du parcours');
    await saved(page);
    const token = (await accessTokenOf(page))!;
    const stored = await call('GET', `/v1/applications/${id}`, { token });
    expect(stored.json).toMatchObject({ name: 'EHPAD Les Jardins du parcours', status: 'brouillon' });
    await expectAccessible(page, 'application form');

    // Another tab saves meanwhile: the next save is refused, explained, and nothing typed here is lost.
    const other = await fetch(`${origin}/v1/applications/${id}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'if-match': `"${stored.json.version}"` },
      body: JSON.stringify({ name: 'Nom saisi dans un autre onglet' }),
    });
    expect(other.status).toBe(200);
    await page.getByLabel('Nom du contact').fill('Claire Parcours');
    await page.getByRole('heading', { name: 'Ce dossier a été modifié ailleurs' }).waitFor();
    expect(await page.getByLabel('Nom du contact').inputValue()).toBe('Claire Parcours');
    await expectAccessible(page, 'conflict with another tab');
    await page.getByRole('button', { name: /Garder ma saisie/ }).click();
    await saved(page);
    expect((await call('GET', `/v1/applications/${id}`, { token })).json).toMatchObject({ name: 'EHPAD Les Jardins du parcours', contact: { name: 'Claire Parcours' } });

    // Submitting too early: the API's refusal, each rule on its field.
    await page.getByRole('button', { name: 'Déposer ma candidature' }).click();
    await page.getByRole('heading', { level: 1, name: 'Confirmer le dépôt de votre candidature' }).waitFor();
    await expectAccessible(page, 'submit confirmation (incomplete)');
    await page.getByRole('button', { name: 'Confirmer le dépôt' }).click();
    await page.getByRole('heading', { name: 'Votre candidature ne peut pas encore être déposée' }).waitFor();
    await page.getByText(/Le dossier ne remplit pas \d+ conditions de l'appel à projets/).waitFor();
    const category = page.getByLabel('Catégorie FINESS');
    const describedBy = (await category.getAttribute('aria-describedby')) ?? '';
    expect(describedBy).not.toBe('');
    expect(await page.locator(`[id="${describedBy.split(' ')[0]}"]`).innerText()).toContain('La catégorie doit être un ESMS');
    await expectAccessible(page, 'eligibility refusal');

    // Completing the file: the live checklist follows.
    await category.selectOption({ label: 'Établissement d’hébergement pour personnes âgées dépendantes (EHPAD) (500, en établissement)' });
    await page.getByLabel('Adresse électronique du contact').fill('contact@ehpad-parcours.local');
    await page.getByText('Logiciel référencé Ségur', { exact: true }).click();
    await page.getByText('Personnes âgées', { exact: true }).click();
    await page.getByLabel('Échanges prévus').fill('Lettres de liaison déposées dans le DMP ; messagerie sécurisée avec les médecins traitants.');
    await page.getByLabel('Information et formation').fill('Réunions avec les familles et formation des équipes soignantes.');
    await page.getByText('Toutes les conditions sont remplies : vous pouvez déposer.').waitFor();
    await saved(page);

    await page.getByRole('button', { name: 'Déposer ma candidature' }).click();
    await page.getByRole('button', { name: 'Confirmer le dépôt' }).click();
    await page.getByRole('heading', { level: 1, name: 'Votre dossier a bien été déposé' }).waitFor();
    await page.getByText(`Dossier n° ${id}`).waitFor();
    await expectAccessible(page, 'submitted');

    // My applications: status in words and what comes next.
    await page.getByRole('link', { name: 'Mes dossiers' }).first().click();
    const card = page.getByRole('article', { name: 'EHPAD Les Jardins du parcours' });
    await card.getByText('Déposé', { exact: true }).waitFor();
    await card.getByText(/Vous pouvez la modifier jusqu'au 31 octobre 2023 à 23 h 59 \(heure de Paris\)/).waitFor();
    await expectAccessible(page, 'my applications');

    // The intake closes; the ARS retains the file and notifies (through the API).
    await setClock('2023-11-02T09:00:00+01:00');
    await runMilestones(CAMPAIGN);
    await page.reload();
    await card.getByText("En cours d'instruction", { exact: true }).waitFor();
    await card.getByRole('link', { name: 'Suivre mon dossier' }).click();
    await page.getByRole('heading', { level: 1, name: 'EHPAD Les Jardins du parcours' }).waitFor();
    expect(await page.getByText('Votre candidature est retenue').count()).toBe(0);
    await expectAccessible(page, 'file under review');

    const ars = await arsToken();
    const motivation = 'Projet mature : DUI référencé Ségur, parcours personnes âgées clairement décrit.';
    const decided = await call('POST', `/v1/applications/${id}/decision`, { token: ars, body: { decision: 'retenue', motivation } });
    expect(decided.status).toBe(200);
    // Decided but not notified: the applicant sees nothing yet.
    await page.reload();
    await page.getByText("En cours d'instruction", { exact: true }).first().waitFor();
    expect(await page.getByText(motivation).count()).toBe(0);
    expect((await call('POST', `/v1/campaigns/${CAMPAIGN}/regions/NAQ/notify`, { token: ars })).status).toBe(200);

    await page.reload();
    await page.getByRole('heading', { name: 'Votre candidature est retenue' }).waitFor();
    await page.getByText(motivation, { exact: true }).waitFor();
    await page.getByText('Décision notifiée', { exact: true }).waitFor();
    await expectAccessible(page, 'decision notified');

    // The convention: amount, instalments, due date; the ESMS signs, then the ARS (API).
    await page.getByRole('link', { name: 'Voir la convention' }).click();
    await page.getByRole('heading', { level: 1, name: 'Convention de financement' }).waitFor();
    await page.getByText('20 000 €', { exact: true }).waitFor();
    await page.getByText('14 février 2024 à 23 h 59 (heure de Paris)').waitFor();
    await page.getByText("L'établissement : pas encore signée").waitFor();
    await expectAccessible(page, 'convention to sign');
    await page.getByRole('button', { name: "Signer pour l'établissement" }).click();
    await expectAccessible(page, 'convention signature confirmation');
    await page.getByRole('button', { name: 'Je signe la convention' }).click();
    await page.getByText(/^L'établissement : signée le /).waitFor();
    const conventionId = /\/conventions\/([^/]+)$/.exec(page.url())![1]!;
    expect((await call('POST', `/v1/conventions/${conventionId}/signatures`, { token: ars, body: { party: 'ars' } })).status).toBe(200);
    await page.reload();
    await page.getByText('Signée', { exact: true }).waitFor();
    await expectAccessible(page, 'convention signed');

    // The experimentation: February 2024 reported, then corrected, with its history; funding.
    await setClock('2024-03-10T10:00:00+01:00');
    await page.goto('/mes-dossiers');
    await page.getByRole('article', { name: 'EHPAD Les Jardins du parcours' }).getByRole('link', { name: 'Déclarer mes usages' }).click();
    await page.getByRole('heading', { level: 1, name: 'Usages et financement' }).waitFor();
    await page.getByText('Mois à déclarer : février 2024.').waitFor();
    expect(await page.getByLabel('Mois déclaré').inputValue()).toBe('2024-02');
    await expectAccessible(page, 'pilot, nothing reported');

    const messages = page.getByLabel('Messages MSSanté échangés avec les usagers');
    await messages.fill('1,5');
    await page.getByRole('button', { name: 'Enregistrer la déclaration' }).click();
    await page.getByText('Nombre entier de 0 à 1 000 000 attendu').waitFor();
    await expectAccessible(page, 'usage form with an error');
    await messages.fill('12');
    await page.getByLabel("Documents envoyés au DMP : Document de liaison d'urgence (DLU)").fill('4');
    await page.getByRole('button', { name: 'Enregistrer la déclaration' }).click();
    await page.getByText('Les chiffres de février 2024 sont enregistrés.').waitFor();

    await page.getByRole('heading', { name: 'Corriger les chiffres de février 2024' }).waitFor();
    await page.getByText('Déclaré précédemment : 12').waitFor();
    await messages.fill('15');
    await page.getByRole('button', { name: 'Enregistrer la correction' }).click();
    await page.getByText('Les chiffres de février 2024 sont enregistrés.').waitFor();
    await page.getByRole('button', { name: 'février 2024 — 1 correction(s)' }).click();
    await page.getByText(/Messages MSSanté échangés avec les usagers 12 → 15/).waitFor();

    const targets = page.getByRole('table', { name: 'Avancement vers chaque objectif de la campagne' });
    await targets.getByRole('row', { name: /Messages MSSanté échangés avec les usagers/ }).getByText('75 %').waitFor();
    await page.getByText('Premier versement, à la signature : 10 000 €').waitFor();
    await page.getByText('En attente de la fin des remontées').waitFor();
    await expectAccessible(page, 'pilot with a corrected month');
  });
});
