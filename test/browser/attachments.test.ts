/**
 * Attachments in the browser: the applicant adds a PDF through the DSFR upload field (the page posts the
 * presigned form to the local S3), sees it analysed then verified, sees the EICAR file refused, downloads the
 * clean one; the ARS of the region sees both and downloads the clean one from its console.
 */
import { readFileSync } from 'node:fs';
import { EICAR } from '../../infra/local/s3-local';
import { withCheckKey } from '../../layers/domain/finess';
import { localSub } from '../../infra/local/local-identity';
import { browserSuite, call, expectAccessible, setClock, signIn } from './support/browser';

const suite = browserSuite();
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

test('the applicant attaches a clean PDF and sees an infected file refused; the ARS downloads the clean one', async () => {
  await setClock(null);
  const email = `pj-${Date.now()}@mas-pj.local`;
  const token = (await call('POST', '/local/token', { body: { sub: localSub(email), email, groups: ['candidat'] } })).json.token as string;
  const finess = withCheckKey(`87${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`);
  const draft = await call('POST', '/v1/campaigns/demo/applications', { token, body: { finess, name: 'MAS des Pièces', category: '255' } });
  expect(draft.status).toBe(201);

  const page = await suite.newPage();
  await signIn(page, { email });
  await page.goto(`/dossiers/${draft.json.id}`);
  await page.getByRole('heading', { level: 2, name: 'Pièces jointes' }).waitFor();
  await page.getByText('Aucune pièce jointe.').waitFor();
  const field = page.getByLabel(/Ajouter une pièce jointe/);

  // A file of another type is refused before anything is sent.
  await field.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('texte') });
  await page.getByText("« notes.txt » n'est ni un PDF, ni une image JPEG ou PNG.").waitFor();

  await field.setInputFiles({ name: 'budget.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.getByText('Vérifié', { exact: true }).waitFor();
  await expectAccessible(page, 'attachment verified');

  await field.setInputFiles({ name: 'facture.pdf', mimeType: 'application/pdf', buffer: Buffer.from(EICAR) });
  await page.getByText('Refusé : logiciel malveillant détecté', { exact: true }).waitFor();
  await page.getByText(/a détecté un logiciel malveillant dans ce fichier/).waitFor();
  expect(await page.getByRole('button', { name: 'Télécharger facture.pdf' }).count()).toBe(0);
  await expectAccessible(page, 'attachment refused');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Télécharger budget.pdf' }).click()]);
  expect(download.suggestedFilename()).toBe('budget.pdf');
  expect(readFileSync((await download.path())!).equals(PDF)).toBe(true);

  await page.getByRole('button', { name: 'Supprimer facture.pdf' }).click();
  await page.getByText('facture.pdf a été supprimé.').waitFor();
  expect((await call('GET', `/v1/applications/${draft.json.id}/attachments`, { token })).json.items.map((item: { name: string }) => item.name)).toEqual(['budget.pdf']);

  const reviewer = await suite.newPage();
  await signIn(reviewer, { email: `instruction-pj-${Date.now()}@ars-naq.local`, profile: 'ars-NAQ' });
  await reviewer.goto(`/instruction/demo/NAQ/dossiers/${draft.json.id}`);
  await reviewer.getByRole('heading', { level: 2, name: 'Pièces jointes' }).waitFor();
  const [fromConsole] = await Promise.all([reviewer.waitForEvent('download'), reviewer.getByRole('button', { name: 'Télécharger budget.pdf' }).click()]);
  expect(readFileSync((await fromConsole.path())!).equals(PDF)).toBe(true);
  await expectAccessible(reviewer, 'console attachments');
});
