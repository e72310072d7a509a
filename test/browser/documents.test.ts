/**
 * Documents in the browser: once the applicant has submitted, the file page offers the receipt; the download
 * carries the session token in a header (a Blob link) and the PDF read back names the file.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { localSub } from '../../infra/local/local-identity';
import { withCheckKey } from '../../layers/domain/finess';
import { eligibleFields } from '../integration/support/fixtures';
import { browserSuite, call, expectAccessible, setClock, signIn } from './support/browser';

const suite = browserSuite();

test('the applicant downloads the receipt of a submitted file, not of a draft', async () => {
  await setClock(null);
  const email = `recepisse-${Date.now()}@ehpad-recepisse.local`;
  const token = (await call('POST', '/local/token', { body: { sub: localSub(email), email, groups: ['candidat'] } })).json.token as string;
  const finess = withCheckKey(`33${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`);
  const draft = await call('POST', '/v1/campaigns/demo/applications', { token, body: { finess, ...eligibleFields({ name: 'EHPAD Le Récépissé', contact: { name: 'Claire Martin', email } }) } });
  expect(draft.status).toBe(201);

  const page = await suite.newPage();
  await signIn(page, { email });
  await page.goto(`/dossiers/${draft.json.id}`);
  await page.getByText(`Dossier n° ${draft.json.id}`).waitFor();
  expect(await page.getByRole('button', { name: 'Télécharger le récépissé (PDF)' }).count()).toBe(0);

  expect((await call('POST', `/v1/applications/${draft.json.id}/submit`, { token })).status).toBe(200);
  await page.reload();
  const button = page.getByRole('button', { name: 'Télécharger le récépissé (PDF)' });
  await button.waitFor();
  await expectAccessible(page, 'receipt offered');
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  expect(download.suggestedFilename()).toBe(`recepisse-${draft.json.id}.pdf`);
  const text = execFileSync('pdftotext', ['-', '-'], { input: readFileSync((await download.path())!) }).toString('utf8').replace(/\s+/g, ' ');
  expect(text).toContain(`Numéro de dossier ${draft.json.id}`);
  expect(text).toContain('EHPAD Le Récépissé');
});
