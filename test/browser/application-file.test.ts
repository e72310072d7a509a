/**
 * The file page of a draft: its history, collaborators invited and removed by the owner, and a withdrawal
 * confirmed before it is sent. The draft is created through the API for the person who then signs in.
 */
import { withCheckKey } from '../../layers/domain/finess';
import { localSub } from '../../infra/local/local-identity';
import { browserSuite, call, expectAccessible, setClock, signIn } from './support/browser';

const suite = browserSuite();

test('collaborators are invited and removed, and the application is withdrawn after a confirmation', async () => {
  await setClock(null);
  const email = `dossier-${Date.now()}@mas-dossier.local`;
  const token = (await call('POST', '/local/token', { body: { sub: localSub(email), email, groups: ['candidat'] } })).json.token as string;
  const finess = withCheckKey(`87${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`);
  const draft = await call('POST', '/v1/campaigns/demo/applications', { token, body: { finess, name: 'MAS du Dossier', category: '255' } });
  expect(draft.status).toBe(201);

  const page = await suite.newPage();
  await signIn(page, { email });
  await page.goto(`/dossiers/${draft.json.id}`);
  await page.getByRole('heading', { level: 1, name: 'MAS du Dossier' }).waitFor();
  await page.getByText('Brouillon', { exact: true }).first().waitFor();
  await page.getByText('Brouillon créé', { exact: true }).waitFor();
  await expectAccessible(page, 'file of a draft');

  // A malformed address is refused next to its field; a good one is invited, then removed.
  const invitee = page.getByLabel('Adresse électronique de la personne à inviter');
  await invitee.fill('pas-une-adresse');
  await page.getByRole('button', { name: 'Inviter' }).click();
  await page.getByRole('heading', { name: "La modification des collaborateurs n'a pas abouti" }).waitFor();
  expect(await invitee.getAttribute('aria-describedby')).toBeTruthy();
  await expectAccessible(page, 'invitation refused');
  await invitee.fill('adjointe@mas-dossier.local');
  await page.getByRole('button', { name: 'Inviter' }).click();
  await page.getByText(/^adjointe@mas-dossier\.local est invité/).waitFor();
  await page.getByText(/adjointe@mas-dossier\.local — invité le .*, pas encore connecté/).waitFor();
  await page.getByText('Collaborateur invité', { exact: true }).waitFor();
  await page.getByRole('button', { name: 'Retirer adjointe@mas-dossier.local' }).click();
  await page.getByText("adjointe@mas-dossier.local n'a plus accès au dossier.").waitFor();
  await page.getByText('Aucun collaborateur pour le moment.').waitFor();

  // Withdrawal asks first; cancelling changes nothing, confirming classes the file.
  await page.getByRole('button', { name: 'Retirer ma candidature' }).click();
  await page.getByRole('heading', { name: 'Retirer votre candidature ?' }).waitFor();
  await expectAccessible(page, 'withdrawal confirmation');
  await page.getByRole('button', { name: 'Annuler' }).click();
  expect((await call('GET', `/v1/applications/${draft.json.id}`, { token })).json.status).toBe('brouillon');
  await page.getByRole('button', { name: 'Retirer ma candidature' }).click();
  await page.getByRole('button', { name: 'Confirmer le retrait' }).click();
  await page.getByText('Classé sans suite', { exact: true }).first().waitFor();
  await page.getByText('Candidature retirée', { exact: true }).waitFor();
  expect(await page.getByRole('button', { name: 'Retirer ma candidature' }).count()).toBe(0);
  await expectAccessible(page, 'withdrawn');
});
