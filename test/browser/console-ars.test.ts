/**
 * The ARS reviewer's console in a real Chromium, on a campaign of this run (2041, simulated clock): she filters the
 * region's files, scores one, decides until the quota is reached (the refusal shown, the form kept), meets a stale
 * version, notifies, signs a convention, follows a pilot, reads the dashboard (its figures equal the API's, then as
 * publishable figures) and downloads an export as CSV and as XLSX whose rows are read back. An ARS NAQ session never shows a file, a
 * pilot or a figure of Occitanie, whatever address it is given. The national team picks a region, reads the
 * per-region table, creates a campaign in Paris time and moves a milestone (one already passed is refused and
 * explained). axe runs on every page and state visited. Controls are found by role, label and text only.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { applicationStatuses } from '../../layers/domain/application';
import { applicationStatusTitles } from '../../layers/domain/labels';
import { arsToken, closeIntake, createCampaign, nationalToken, ok, openIntake, submitFiles, DURING_SELECTION, type SeededFile } from './console-fixtures';
import { browserSuite, call, expectAccessible, fillLoginPage, setClock } from './support/browser';

const suite = browserSuite();
const run = Date.now().toString(36);
const CAMPAIGN = `console-${run}`;
const DURING_EXPERIMENTATION = '2041-08-10T10:00:00+02:00';

let naq: Record<'tilleuls' | 'medoc' | 'dordogne' | 'pins', SeededFile>;
let occ: SeededFile;

beforeAll(async () => {
  await openIntake();
  await createCampaign(CAMPAIGN, { NAQ: 2, OCC: 1 });
  const [tilleuls, medoc, dordogne, pins, toulouse] = await submitFiles(CAMPAIGN, [
    { name: 'EHPAD Les Tilleuls', department: '33', category: '500' },
    { name: 'SSIAD du Médoc', department: '33', category: '354' },
    { name: 'MAS de la Dordogne', department: '24', category: '255' },
    { name: 'EHPAD Les Pins', department: '40', category: '500' },
    { name: 'EHPAD de Toulouse', department: '31', category: '500' },
  ]);
  naq = { tilleuls: tilleuls!, medoc: medoc!, dordogne: dordogne!, pins: pins! };
  occ = toulouse!;
  await closeIntake(CAMPAIGN);
  // Occitanie's file becomes a pilot (decided by the national team, both signatures), so that there is a pilot of
  // another region for the NAQ session not to see.
  const national = await nationalToken();
  await ok('POST', `/v1/applications/${occ.id}/decision`, { token: national, body: { decision: 'retenue', motivation: 'Projet complet.' } });
  await ok('POST', `/v1/campaigns/${CAMPAIGN}/regions/OCC/notify`, { token: national });
  const conventionId = (await ok('GET', `/v1/applications/${occ.id}`, { token: national })).conventionId as string;
  await ok('POST', `/v1/conventions/${conventionId}/signatures`, { token: occ.ownerToken, body: { party: 'esms' } });
  await ok('POST', `/v1/conventions/${conventionId}/signatures`, { token: await arsToken('OCC'), body: { party: 'ars' } });
});

afterAll(async () => {
  await setClock(null);
});

const regionPath = (ars: string, section = '') => `/instruction/${CAMPAIGN}/${ars}${section ? `/${section}` : ''}`;

/** Opens a console address signed out, signs in on the page it asks from, and comes back to it. */
async function signInAt(page: Page, path: string, profile: 'ars-NAQ' | 'national', email: string): Promise<void> {
  await page.goto(path);
  await page.getByRole('heading', { level: 1, name: 'Connexion requise' }).waitFor();
  await expectAccessible(page, `${path} signed out`);
  await page.getByRole('main').getByRole('button', { name: 'Se connecter' }).click();
  await fillLoginPage(page, { email, profile });
  await page.waitForURL((url) => url.pathname === path);
}

/** The rows of a table as text, header row excluded. */
async function rowsOf(page: Page, table: string): Promise<string[][]> {
  const rows = page.getByRole('table', { name: table }).locator('tbody tr');
  await rows.first().waitFor();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- page code, typed without the DOM library
  return rows.evaluateAll((elements: any[]) => elements.map((row) => Array.from(row.children as ArrayLike<{ textContent: string | null }>).map((cell) => (cell.textContent ?? '').replace(/\s+/g, ' ').trim())));
}

/** A two-column table as label → value. */
const figuresOf = async (page: Page, table: string): Promise<Record<string, string>> => Object.fromEntries((await rowsOf(page, table)).map((row) => [row[0], row[row.length - 1]]));

const namesIn = async (page: Page): Promise<string[]> => (await rowsOf(page, 'Dossiers de la région')).map((row) => row[0]!.replace(/ \(dossier MES-[A-Z0-9]+\)$/, ''));

async function filter(page: Page, choices: { label: string; option: string }[], text?: string): Promise<void> {
  await page.goto(regionPath('NAQ'));
  for (const choice of choices) await page.getByLabel(choice.label).selectOption({ label: choice.option });
  if (text !== undefined) await page.getByLabel('Nom ou numéro FINESS').fill(text);
  await page.getByRole('button', { name: 'Filtrer' }).click();
  await page.getByRole('status').filter({ hasText: /dossiers? affichés?|Aucun dossier/ }).waitFor();
}

async function decide(page: Page, decision: 'Retenu' | 'Non retenu', motivation: string): Promise<void> {
  await page.getByRole('group', { name: /^Décision/ }).getByText(decision, { exact: true }).click();
  await page.getByRole('textbox', { name: /^Motivation Obligatoire/ }).fill(motivation);
  await page.getByRole('button', { name: 'Enregistrer la décision' }).click();
}

async function openFile(page: Page, file: SeededFile): Promise<void> {
  await page.goto(regionPath('NAQ', `dossiers/${file.id}`));
  await page.getByRole('heading', { level: 1, name: file.name }).waitFor();
}

describe('the ARS reviewer runs the selection of her region', () => {
  // The whole selection in one browser session: more steps than the default 60 s allows on a loaded 2-core machine.
  test('filters, scores, decides up to the quota, notifies, signs, follows a pilot, reads the dashboard and exports', async () => {
    await setClock(DURING_SELECTION);
    const page = await suite.newPage();
    await signInAt(page, regionPath('NAQ'), 'ars-NAQ', 'instructrice@ars-naq.local');

    // The list: the quota, the counts per status, the region's four files.
    await page.getByRole('heading', { level: 1, name: 'Dossiers de candidature' }).waitFor();
    await page.getByText('0 retenue sur 2').waitFor();
    await page.getByText(`${applicationStatusTitles.en_instruction} : 4`).waitFor();
    expect((await namesIn(page)).sort()).toEqual(['EHPAD Les Pins', 'EHPAD Les Tilleuls', 'MAS de la Dordogne', 'SSIAD du Médoc']);
    await expectAccessible(page, 'files list');

    // Filters: sector, sector and mode, category, text on the name or the FINESS.
    await filter(page, [{ label: 'Secteur', option: 'Personnes en situation de handicap' }]);
    expect(await namesIn(page)).toEqual(['MAS de la Dordogne']);
    await filter(page, [
      { label: 'Secteur', option: 'Personnes âgées' },
      { label: "Mode d'accompagnement", option: 'À domicile' },
    ]);
    expect(await namesIn(page)).toEqual(['SSIAD du Médoc']);
    await filter(page, [{ label: 'Catégorie FINESS', option: 'Établissement d’hébergement pour personnes âgées dépendantes (EHPAD) (500)' }]);
    expect((await namesIn(page)).sort()).toEqual(['EHPAD Les Pins', 'EHPAD Les Tilleuls']);
    await filter(page, [], 'pins');
    expect(await namesIn(page)).toEqual(['EHPAD Les Pins']);
    await filter(page, [], naq.dordogne.finess);
    expect(await namesIn(page)).toEqual(['MAS de la Dordogne']);
    await filter(page, [{ label: 'Statut', option: applicationStatusTitles.retenue }]);
    await page.getByText('Aucun dossier ne correspond à ces critères.').waitFor();
    await expectAccessible(page, 'files list filtered, empty');

    // A file: what the ESMS wrote, its history; the review grid.
    await page.goto(regionPath('NAQ'));
    await page.getByRole('link', { name: /^EHPAD Les Tilleuls/ }).click();
    await page.getByRole('heading', { level: 1, name: 'EHPAD Les Tilleuls' }).waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { tagName: string } | null } }).document.activeElement?.tagName)).toBe('H1');
    await page.getByText('Documents de liaison vers le DMP, messagerie sécurisée avec les médecins traitants.').waitFor();
    await page.getByRole('table', { name: /Événements du dossier/ }).getByText('Candidature déposée').waitFor();
    await expectAccessible(page, 'file');
    // Saving with a criterion unscored is stopped in the page, with the criterion marked.
    await page.getByRole('group', { name: /^Maturité du DUI/ }).getByText('4', { exact: true }).click();
    await page.getByRole('button', { name: "Enregistrer l'évaluation" }).click();
    await page.getByText('Notez chacun des cinq critères avant d’enregistrer l’évaluation.').waitFor();
    await expectAccessible(page, 'review with a criterion missing');
    for (const [criterion, score] of [
      ['Parcours d’usage', '5'],
      ['Sensibilisation', '3'],
      ['Partenariats', '4'],
      ['Capacité à conduire le projet', '4'],
    ] as const) {
      await page.getByRole('group', { name: new RegExp(`^${criterion}`) }).getByText(score, { exact: true }).click();
    }
    await page.getByLabel("Commentaire de l'instruction").fill('Projet solide, parcours personnes âgées bien décrit.');
    await page.getByRole('button', { name: "Enregistrer l'évaluation" }).click();
    await page.getByText('Évaluation enregistrée : moyenne 4 sur 5.').waitFor();
    const staff = await arsToken('NAQ');
    expect((await call('GET', `/v1/applications/${naq.tilleuls.id}`, { token: staff })).json.review).toMatchObject({
      scores: { maturite_dui: 4, parcours: 5, sensibilisation: 3, partenariats: 4, capacite: 4 },
      average: 4,
    });
    await decide(page, 'Retenu', 'Projet solide et complet.');
    await page.getByText(/^Décision enregistrée : retenu\./).waitFor();
    await expectAccessible(page, 'file decided');

    // Sorted by score: the reviewed file first.
    await filter(page, [{ label: 'Trier par', option: "Note moyenne, la meilleure d'abord" }]);
    expect((await namesIn(page))[0]).toBe('EHPAD Les Tilleuls');

    // The second retained file fills the quota; the third is refused, explained, and nothing typed is lost.
    await openFile(page, naq.medoc);
    await decide(page, 'Retenu', 'Service à domicile très avancé.');
    await page.getByText(/^Décision enregistrée : retenu\./).waitFor();
    await openFile(page, naq.dordogne);
    await decide(page, 'Retenu', 'Un troisième projet que nous aimerions retenir.');
    const refusal = page.getByRole('heading', { name: "La décision n'a pas été enregistrée" });
    await refusal.waitFor();
    await page.getByText(/Le quota de la région est atteint : 2 dossier\(s\) retenu\(s\) au plus\./).waitFor();
    expect(await page.getByRole('textbox', { name: /^Motivation Obligatoire/ }).inputValue()).toBe('Un troisième projet que nous aimerions retenir.');
    await expectAccessible(page, 'decision refused: quota reached');
    await decide(page, 'Non retenu', 'Le quota de la région est atteint ; projet à représenter.');
    await page.getByText(/^Décision enregistrée : non retenu\./).waitFor();

    // A stale version: someone else changed the file meanwhile; the refusal is explained, the form kept, and the
    // next try (on the file read again) goes through.
    await openFile(page, naq.pins);
    await ok('PUT', `/v1/applications/${naq.pins.id}/review`, { token: staff, body: { scores: { maturite_dui: 2, parcours: 2, sensibilisation: 2, partenariats: 2, capacite: 2 }, comment: 'Autre onglet.' } });
    await decide(page, 'Non retenu', 'Parcours encore trop peu décrit.');
    await page.getByRole('heading', { name: "La décision n'a pas été enregistrée" }).waitFor();
    expect(await page.getByRole('textbox', { name: /^Motivation Obligatoire/ }).inputValue()).toBe('Parcours encore trop peu décrit.');
    await expectAccessible(page, 'decision refused: stale version');
    await page.getByRole('button', { name: 'Enregistrer la décision' }).click();
    await page.getByText(/^Décision enregistrée : non retenu\./).waitFor();

    await page.goto(regionPath('NAQ'));
    await page.getByText('2 retenues sur 2').waitFor();

    // Notify: the summary, a confirmation, the result.
    await page.getByRole('navigation', { name: "Rubriques de l'instruction" }).getByRole('link', { name: 'Notification' }).click();
    await page.getByRole('heading', { level: 1, name: 'Notifier les décisions' }).waitFor();
    await page.getByText('2 dossiers retenus (une convention pour chacun)').waitFor();
    await page.getByText('2 dossiers non retenus').waitFor();
    await expectAccessible(page, 'notify summary');
    await page.getByRole('button', { name: 'Notifier les décisions' }).click();
    await page.getByRole('heading', { name: 'Envoyer 4 décisions ?' }).waitFor();
    await expectAccessible(page, 'notify confirmation');
    await page.getByRole('button', { name: 'Confirmer la notification' }).click();
    await page.getByRole('heading', { name: 'Notification envoyée' }).waitFor();
    await page.getByText('4 établissements notifiés, 2 conventions créées.').waitFor();
    await page.getByText("Aucune décision n'attend d'être notifiée.").waitFor();
    await expectAccessible(page, 'notified');

    // Conventions: the ESMS signs (through the API), then the ARS in the page, after a confirmation.
    const conventionId = (await ok('GET', `/v1/applications/${naq.tilleuls.id}`, { token: staff })).conventionId as string;
    await ok('POST', `/v1/conventions/${conventionId}/signatures`, { token: naq.tilleuls.ownerToken, body: { party: 'esms' } });
    await page.getByRole('navigation', { name: "Rubriques de l'instruction" }).getByRole('link', { name: 'Conventions' }).click();
    const conventions = page.getByRole('table', { name: 'Conventions de la région' });
    await conventions.waitFor();
    expect((await rowsOf(page, 'Conventions de la région')).map((row) => row[0]!.replace(/ FINESS.*$/, '')).sort()).toEqual(['EHPAD Les Tilleuls', 'SSIAD du Médoc']);
    await page.getByText('30 juin 2041 à 23 h 59 (heure de Paris)').first().waitFor();
    await expectAccessible(page, 'conventions');
    await page.getByRole('button', { name: "Signer pour l'ARS la convention de EHPAD Les Tilleuls" }).click();
    await page.getByRole('button', { name: 'Confirmer la signature de la convention de EHPAD Les Tilleuls' }).click();
    await page.getByText('Convention de « EHPAD Les Tilleuls » signée pour l\'ARS.').waitFor();
    const signedRow = (await rowsOf(page, 'Conventions de la région')).find((row) => row[0]!.startsWith('EHPAD Les Tilleuls'))!;
    expect(signedRow[2]).toBe('Signée');
    expect((await call('GET', `/v1/conventions/${conventionId}`, { token: staff })).json.status).toBe('signee');
    await expectAccessible(page, 'convention signed');

    // The pilot reports a month (through the API); its page shows the month, the funding; a DUI client is registered.
    await setClock(DURING_EXPERIMENTATION);
    await ok('PUT', `/v1/campaigns/${CAMPAIGN}/pilots/${naq.tilleuls.finess}/usage/2041-07`, { token: naq.tilleuls.ownerToken, body: { indicators: { 'mss.usagers': 12, 'bal.nominatives': 3 } } });
    await page.getByRole('navigation', { name: "Rubriques de l'instruction" }).getByRole('link', { name: 'Pilotes' }).click();
    expect((await rowsOf(page, 'Pilotes de la région')).map((row) => row[0])).toEqual(['EHPAD Les Tilleuls']);
    await expectAccessible(page, 'pilots');
    await page.getByRole('link', { name: 'EHPAD Les Tilleuls' }).click();
    await page.getByRole('heading', { level: 1, name: 'EHPAD Les Tilleuls' }).waitFor();
    const month = (await rowsOf(page, 'Chiffres déclarés par mois'))[0]!;
    expect(month[0]).toBe('juillet 2041');
    await page.getByText('Montant de la convention : 20 000 €').waitFor();
    await page.getByLabel("Identifiant du client de l'éditeur").fill('dui-local-a');
    await page.getByRole('button', { name: 'Autoriser ce logiciel' }).click();
    await page.getByText('Le client dui-local-a peut désormais déclarer pour ce pilote.').waitFor();
    await page.getByText('Autorisés : dui-local-a.').waitFor();
    await expectAccessible(page, 'pilot');

    // The dashboard's figures are the API's, read in the same run; then as publishable figures.
    await page.getByRole('navigation', { name: "Rubriques de l'instruction" }).getByRole('link', { name: 'Tableau de bord' }).click();
    await page.getByRole('heading', { level: 1, name: 'Tableau de bord' }).waitFor();
    const api = (await call('GET', `/v1/campaigns/${CAMPAIGN}/dashboard?ars=NAQ`, { token: staff })).json;
    const key = await figuresOf(page, 'Chiffres clés');
    expect(key).toMatchObject({ Dossiers: String(api.applications.total), 'Dossiers retenus': String(api.retained), 'Conventions signées': String(api.conventionsSigned), 'Structures pilotes': String(api.pilots) });
    expect(api).toMatchObject({ applications: { total: 4 }, retained: 2, conventionsSigned: 1, pilots: 1 });
    const byStatus = await figuresOf(page, 'Dossiers par statut');
    for (const status of applicationStatuses) expect(byStatus[applicationStatusTitles[status]]).toBe(String(api.applications.byStatus[status] ?? 0));
    const months = await rowsOf(page, 'Pilotes ayant déclaré, par mois');
    expect(months).toEqual(api.months.map((entry: { pilotsReporting: number }) => ['juillet 2041', String(entry.pilotsReporting)]));
    const totals = await figuresOf(page, "Totaux par indicateur sur l'expérimentation");
    expect(totals['Messages MSSanté échangés avec les usagers']).toBe(String(api.totals['mss.usagers']));
    await page.locator('bar-chart canvas').first().waitFor();
    await expectAccessible(page, 'dashboard');
    await page.getByText('Chiffres publiables (secret statistique)').click();
    const secret = await figuresOf(page, 'Chiffres clés');
    expect(secret).toMatchObject({ Dossiers: 'NS', 'Dossiers retenus': 'NS', 'Conventions signées': 'NS', 'Structures pilotes': 'NS' });
    expect((await figuresOf(page, 'Dossiers par statut'))[applicationStatusTitles.brouillon]).toBe('0');
    expect((await figuresOf(page, "Totaux par indicateur sur l'expérimentation"))['Messages MSSanté échangés avec les usagers']).toBe('12');
    await expectAccessible(page, 'dashboard, publishable figures');

    // An export, downloaded with the token in a header (a Blob link, no token in any URL), its rows read back.
    await page.getByRole('navigation', { name: "Rubriques de l'instruction" }).getByRole('link', { name: 'Exports' }).click();
    await page.getByRole('heading', { level: 1, name: 'Exports' }).waitFor();
    await expectAccessible(page, 'exports');
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Télécharger candidatures (CSV)' }).click()]);
    expect(download.url()).toMatch(/^blob:/);
    expect(download.suggestedFilename()).toBe(`candidatures-${CAMPAIGN}-NAQ.csv`);
    const rows = parse(readFileSync((await download.path())!, 'utf8'), { delimiter: ';', bom: true, columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(4);
    const finessColumn = Object.keys(rows[0]!).find((column) => /finess/i.test(column))!;
    expect(rows.map((row) => row[finessColumn]!.replace(/\s/g, '')).sort()).toEqual(Object.values(naq).map((file) => file.finess).sort());
    expect(requests.filter((url) => /token|bearer|eyJ/i.test(url))).toEqual([]);
    await page.getByText(/Fichier candidatures-.*\.csv téléchargé/).waitFor();
    await expectAccessible(page, 'export downloaded');

    // The same file as XLSX, as publishable figures: typed cells under a frozen header, the FINESS as text.
    await page.getByText('Chiffres publiables (secret statistique)').click();
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Télécharger candidatures (XLSX)' }).click()]);
    expect(xlsx.suggestedFilename()).toBe(`candidatures-${CAMPAIGN}-NAQ-publiable.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await xlsx.path())!);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const finessCells = (sheet.getColumn(Object.keys(rows[0]!).indexOf(finessColumn) + 1).values as unknown[]).slice(2);
    expect(finessCells.map(String).sort()).toEqual(Object.values(naq).map((file) => file.finess).sort());
    await page.getByText(/Fichier candidatures-.*-publiable\.xlsx téléchargé/).waitFor();
    await expectAccessible(page, 'XLSX export downloaded');
  }, 150_000);

  test('an ARS NAQ session never shows a file, a pilot or a figure of Occitanie, whatever the address', async () => {
    const page = await suite.newPage({ viewport: { width: 320, height: 800 } });
    await signInAt(page, regionPath('NAQ'), 'ars-NAQ', 'instructrice@ars-naq.local');
    await page.getByRole('heading', { level: 1, name: 'Dossiers de candidature' }).waitFor();
    await expectAccessible(page, 'files list at 320 px');
    const seen: string[] = [];
    for (const path of [
      regionPath('OCC'),
      regionPath('OCC', `dossiers/${occ.id}`),
      regionPath('OCC', 'tableau-de-bord'),
      regionPath('OCC', 'exports'),
      regionPath('OCC', `pilotes/${occ.finess}`),
      regionPath('NAQ', `dossiers/${occ.id}`),
      regionPath('NAQ', `pilotes/${occ.finess}`),
      regionPath('XYZ'),
    ]) {
      await page.goto(path);
      await page.getByRole('heading', { level: 1, name: /Région non accessible|Région inconnue|Dossier introuvable|Pilote introuvable/ }).waitFor();
      await expectAccessible(page, `${path} from NAQ`);
      seen.push(await page.locator('main').innerText());
    }
    for (const text of seen) {
      expect(text).not.toContain('Toulouse');
      expect(text).not.toContain(occ.finess);
      expect(text).not.toContain(occ.finess.replace(/^(\d{2})(\d{3})(\d{3})(\d)$/, '$1 $2 $3 $4'));
    }
    // Within its own region: no trace of the other region's file, pilot or figures.
    await filter(page, [], 'Toulouse');
    await page.getByText('Aucun dossier ne correspond à ces critères.').waitFor();
    await page.goto(regionPath('NAQ', 'pilotes'));
    expect((await rowsOf(page, 'Pilotes de la région')).map((row) => row[0])).toEqual(['EHPAD Les Tilleuls']);
    await page.goto(regionPath('NAQ', 'tableau-de-bord'));
    expect((await figuresOf(page, 'Chiffres clés')).Dossiers).toBe('4');
    await page.goto(regionPath('NAQ', 'notification'));
    await page.getByText("Aucune décision n'attend d'être notifiée.").waitFor();
  });

  test('the national team picks a region, reads the per-region table, creates a campaign in Paris time and moves a milestone', async () => {
    const page = await suite.newPage();
    await signInAt(page, '/national', 'national', 'equipe@national.local');
    await page.getByRole('heading', { level: 1, name: 'Vue nationale' }).waitFor();
    await expectAccessible(page, 'national home');

    // Any region, with the region picker.
    await page.goto(regionPath('NAQ'));
    await page.getByRole('heading', { level: 1, name: 'Dossiers de candidature' }).waitFor();
    await page.getByLabel('Région', { exact: true }).selectOption({ label: 'Occitanie' });
    await page.waitForURL((url) => url.pathname === regionPath('OCC'));
    await page.getByRole('link', { name: /^EHPAD de Toulouse/ }).waitFor();
    expect(await namesIn(page)).toEqual(['EHPAD de Toulouse']);
    await page.getByText('1 retenue sur 1').waitFor();
    await expectAccessible(page, 'national on a region');

    // The per-region table equals the API's national dashboard.
    await page.goto(`/national/campagnes/${CAMPAIGN}/tableau-de-bord`);
    await page.getByRole('heading', { level: 1, name: 'Tableau de bord national' }).waitFor();
    const api = (await call('GET', `/v1/campaigns/${CAMPAIGN}/dashboard`, { token: await nationalToken() })).json;
    const regions = await rowsOf(page, 'Chiffres par région');
    expect(regions).toEqual(
      api.regions.map((region: any) => [region.name, region.applications.total, region.retained, region.conventionsSigned, region.pilots, region.pilotsReporting].map(String)),
    );
    expect(regions.map((row) => row[0])).toEqual(['Nouvelle-Aquitaine', 'Occitanie']);
    expect((await figuresOf(page, 'Chiffres clés')).Dossiers).toBe('5');
    await page.locator('map-chart').first().waitFor();
    await expectAccessible(page, 'national dashboard');

    // A new campaign: milestones typed in Paris time, quotas, funding, indicators and targets.
    await setClock('2042-02-01T10:00:00+01:00');
    const id = `console-new-${run}`;
    await page.goto('/national');
    await page.getByRole('link', { name: 'Créer une campagne' }).click();
    await page.getByRole('heading', { level: 1, name: 'Créer une campagne' }).waitFor();
    await expectAccessible(page, 'new campaign form');
    await page.getByLabel('Identifiant').fill(id);
    await page.getByLabel('Titre').fill('Appel à projets 2042');
    await page.getByLabel(/^Ouverture des candidatures/).fill('2042-01-01T00:00');
    await page.getByLabel(/^Clôture des candidatures/).fill('2042-04-01T00:00');
    await page.getByLabel(/^Fin de la sélection/).fill('2042-06-01T00:00');
    await page.getByLabel(/^Date limite de signature des conventions/).fill('2042-09-01T00:00');
    await page.getByLabel(/^Début de l'expérimentation/).fill('2042-09-01');
    await page.getByLabel(/^Fin de l'expérimentation/).fill('2043-02-28');
    await page.getByLabel('Financement par pilote (€)').fill('25000');
    await page.getByLabel('Quota Nouvelle-Aquitaine').fill('3');
    await page.getByText('Directives anticipées', { exact: false }).first().click();
    await page.getByLabel('Objectif : Messages MSSanté échangés avec les usagers').fill('50');
    await page.getByRole('button', { name: 'Créer la campagne' }).click();
    await page.getByText('La campagne a bien été créée.').waitFor();
    await page.getByRole('heading', { level: 1, name: 'Appel à projets 2042' }).waitFor();
    const created = (await call('GET', `/v1/campaigns/${id}`)).json;
    expect(created).toMatchObject({
      intakeOpensAt: '2042-01-01T00:00:00+01:00',
      // Summer time by April: the calendar module gave the offset of that day.
      intakeClosesAt: '2042-04-01T00:00:00+02:00',
      selectionEndsAt: '2042-06-01T00:00:00+02:00',
      conventionsDueAt: '2042-09-01T00:00:00+02:00',
      experimentationStart: '2042-09-01',
      experimentationEnd: '2043-02-28',
      quotas: { NAQ: 3 },
      fundingPerPilotEur: 25000,
      targets: { 'mss.usagers': 50 },
    });
    expect(created.indicators).not.toContain('docs_dmp.EXPPAT_3');
    await page.getByText('31 mars 2042 à 23 h 59 (heure de Paris)').first().waitFor();
    await expectAccessible(page, 'campaign created');

    // Move a milestone still ahead; one already passed is refused and explained.
    await page.getByLabel(/^Fin de la sélection/).fill('2042-06-15T00:00');
    await page.getByRole('button', { name: 'Enregistrer le calendrier' }).click();
    await page.getByText('Le calendrier a été mis à jour.').waitFor();
    expect((await call('GET', `/v1/campaigns/${id}`)).json.selectionEndsAt).toBe('2042-06-15T00:00:00+02:00');
    await page.getByLabel(/^Ouverture des candidatures/).fill('2042-01-15T00:00');
    await page.getByRole('button', { name: 'Enregistrer le calendrier' }).click();
    await page.getByRole('heading', { name: 'Cette étape est déjà passée' }).waitFor();
    await page.getByText(/L'ouverture des candidatures est déjà passée/).waitFor();
    expect(await page.getByLabel(/^Ouverture des candidatures/).inputValue()).toBe('2042-01-15T00:00');
    expect((await call('GET', `/v1/campaigns/${id}`)).json.intakeOpensAt).toBe('2042-01-01T00:00:00+01:00');
    await expectAccessible(page, 'milestone passed');
  });
});
