import { execFileSync } from 'node:child_process';
import { createPilots, createCampaign, type TestCampaign, type TestPilot } from './support/pilot-flow';
import { eligibleFields, finessIn } from './support/fixtures';
import { api, clearInbox, inbox, roles, setClock, stack, token } from './support/stack';

/** The documents of a file (receipt, convention) read back as a person would: the PDF's text through pdftotext. */
interface Download {
  status: number;
  contentType: string | null;
  disposition: string | null;
  bytes: Buffer;
}

async function download(path: string, bearer: string): Promise<Download> {
  const response = await fetch(`${stack.apiUrl}${path}`, { headers: { authorization: `Bearer ${bearer}` } });
  return { status: response.status, contentType: response.headers.get('content-type'), disposition: response.headers.get('content-disposition'), bytes: Buffer.from(await response.arrayBuffer()) };
}

const pdfText = (bytes: Buffer): string => execFileSync('pdftotext', ['-', '-'], { input: bytes }).toString('utf8').replace(/\s+/g, ' ');
const problemCode = (download: Download): string => (JSON.parse(download.bytes.toString('utf8')) as { code: string }).code;

interface StoredMail {
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
  attachments?: { filename: string; contentType: string; content: string; size: number }[];
  headers?: { name: string; value: string }[];
}

let campaign: TestCampaign;
let signed: TestPilot;
let waiting: TestPilot;
let submittedId: string;
let draftId: string;
let owner: string;
let acknowledgement: StoredMail;

beforeAll(async () => {
  campaign = await createCampaign({ year: 2046 });
  await setClock(campaign.duringIntake);
  await clearInbox();
  owner = await roles.candidat('documents-owner', 'direction@documents.local');
  const created = await api('POST', `/v1/campaigns/${campaign.id}/applications`, {
    token: owner,
    body: { finess: finessIn('33'), ...eligibleFields({ name: 'EHPAD Les Tilleuls', contact: { name: 'Claire Martin', email: 'direction@documents.local' } }) },
  });
  expect(created.status).toBe(201);
  submittedId = created.json.id;
  expect((await api('POST', `/v1/applications/${submittedId}/submit`, { token: owner })).status).toBe(200);
  const mails = (await inbox()) as unknown as StoredMail[];
  acknowledgement = mails.find((mail) => mail.subject.includes(submittedId))!;
  const draft = await api('POST', `/v1/campaigns/${campaign.id}/applications`, { token: owner, body: { finess: finessIn('33'), ...eligibleFields({ name: 'SSIAD brouillon' }) } });
  expect(draft.status).toBe(201);
  draftId = draft.json.id;
  const pilots = await createPilots(campaign, [
    { department: '33', name: 'EHPAD Les Ormes' },
    { department: '33', name: 'FAM Les Cèdres', signatures: 'esms' },
  ]);
  [signed, waiting] = [pilots[0]!, pilots[1]!];
}, 120_000);

describe('the receipt (GET /v1/applications/{id}/receipt.pdf)', () => {
  it('is a PDF saying the file, the establishment, FINESS, campaign, deposit instant in Paris time, ARS and what comes next', async () => {
    const receipt = await download(`/v1/applications/${submittedId}/receipt.pdf`, owner);
    expect(receipt.status).toBe(200);
    expect(receipt.contentType).toBe('application/pdf');
    expect(receipt.disposition).toBe(`attachment; filename="recepisse-${submittedId}.pdf"`);
    const text = pdfText(receipt.bytes);
    expect(text).toContain('Récépissé de dépôt');
    expect(text).toContain(`Numéro de dossier ${submittedId}`);
    expect(text).toContain('Établissement ou service EHPAD Les Tilleuls');
    expect(text).toMatch(/Numéro FINESS 33 \d{3} \d{3} \d/);
    expect(text).toContain(`Campagne de test des remontées 2046 (${campaign.id})`);
    expect(text).toContain('Déposé le 10 janvier 2046 à 10 h 00 (heure de Paris)');
    expect(text).toContain("ARS chargée de l'instruction ARS Nouvelle-Aquitaine");
    expect(text).toContain("jusqu'à la clôture des candidatures, le 31 janvier 2046 à 23 h 59 (heure de Paris)");
  });

  it('gives the same bytes every time, to each reader (owner, ARS of the region, national)', async () => {
    const [first, again, ars, national] = await Promise.all([
      download(`/v1/applications/${submittedId}/receipt.pdf`, owner),
      download(`/v1/applications/${submittedId}/receipt.pdf`, owner),
      download(`/v1/applications/${submittedId}/receipt.pdf`, await roles.ars('NAQ')),
      download(`/v1/applications/${submittedId}/receipt.pdf`, await roles.national()),
    ]);
    expect(first.bytes.length).toBeGreaterThan(1000);
    for (const other of [again, ars, national]) expect(other.bytes.equals(first.bytes)).toBe(true);
  });

  it('is refused: 404 to a stranger and another ARS, 403 to a machine client, 409 for a draft', async () => {
    const path = `/v1/applications/${submittedId}/receipt.pdf`;
    const stranger = await download(path, await roles.candidat('documents-stranger'));
    expect([stranger.status, problemCode(stranger)]).toEqual([404, 'not_found']);
    const otherArs = await download(path, await roles.ars('OCC'));
    expect([otherArs.status, problemCode(otherArs)]).toEqual([404, 'not_found']);
    const machine = await download(path, await token({ sub: 'dui-local-a', clientId: 'dui-local-a', scope: 'usage/write' }));
    expect([machine.status, problemCode(machine)]).toEqual([403, 'forbidden']);
    const draft = await download(`/v1/applications/${draftId}/receipt.pdf`, owner);
    expect([draft.status, problemCode(draft)]).toEqual([409, 'invalid_transition']);
    const missing = await download('/v1/applications/MES-999999/receipt.pdf', owner);
    expect(missing.status).toBe(404);
  });
});

describe('the acknowledgement email', () => {
  it('has a text part, an HTML part drawn from it, the ledger reference as a header and the receipt attached', async () => {
    expect(acknowledgement).toBeDefined();
    expect(acknowledgement.destination.to).toEqual(['direction@documents.local']);
    const { text, html } = acknowledgement.body;
    expect(text).toContain(`Votre dossier n° ${submittedId} a bien été déposé le 10 janvier 2046 à 10 h 00 (heure de Paris)`);
    expect(text).toContain('Votre récépissé de dépôt est joint à ce message (PDF)');
    expect(text).not.toContain('Référence');
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('Mon espace santé en établissements et services médico-sociaux');
    expect(html).toContain(`Votre dossier n° ${submittedId} a bien été déposé le 10 janvier 2046 à 10 h 00 (heure de Paris)`);
    // French typography: a no-break space before the colon and inside the quotes.
    expect(html).toContain('Établissement ou service\u00a0: EHPAD Les Tilleuls');
    expect(html).toContain('«\u00a0Campagne de test des remontées 2046\u00a0»');
    // No remote resource: no image, no link to load.
    expect(html).not.toMatch(/<img|src=|https?:\/\//i);
    expect(acknowledgement.headers).toContainEqual({ name: 'X-MES-Reference', value: `${campaign.id}#accuse_depot#${submittedId}` });
    expect(acknowledgement.attachments).toHaveLength(1);
    const [attachment] = acknowledgement.attachments!;
    expect([attachment!.filename, attachment!.contentType]).toEqual([`recepisse-${submittedId}.pdf`, 'application/pdf']);
    const attached = Buffer.from(attachment!.content, 'base64');
    // The very receipt the route serves: same file, same bytes.
    expect(attached.equals((await download(`/v1/applications/${submittedId}/receipt.pdf`, owner)).bytes)).toBe(true);
    expect(pdfText(attached)).toContain(`Numéro de dossier ${submittedId}`);
  });
});

describe('the convention (GET /v1/conventions/{id}/document.pdf)', () => {
  it('before the second signature: parties, FINESS, campaign, amount, instalments, due date, the ESMS signature only', async () => {
    const document = await download(`/v1/conventions/${waiting.conventionId}/document.pdf`, waiting.ownerToken);
    expect(document.status).toBe(200);
    expect(document.contentType).toBe('application/pdf');
    const text = pdfText(document.bytes);
    expect(text).toContain(`Convention n° ${waiting.conventionId} — à signer`);
    expect(text).toContain('Agence régionale de santé ARS Nouvelle-Aquitaine');
    expect(text).toContain('Établissement ou service FAM Les Cèdres');
    expect(text).toMatch(/Numéro FINESS 33 \d{3} \d{3} \d/);
    expect(text).toContain('« Campagne de test des remontées 2046 »');
    expect(text).toContain('Montant total 20 000 €');
    expect(text).toContain('Première tranche de 10 000 €');
    expect(text).toContain('Seconde tranche de 10 000 €');
    expect(text).toContain('au plus tard le 19 mars 2046 à 23 h 59 (heure de Paris)');
    expect(text).toMatch(/Pour la structure Signée par direction-1@[^ ]+ le 1er février 2046 à 00 h 00 \(heure de Paris\)\./);
    expect(text).toContain("Pour l'ARS Pas encore signée.");
  });

  it('once signed: each signature with who and when, the same bytes to both parties and national', async () => {
    const path = `/v1/conventions/${signed.conventionId}/document.pdf`;
    const [esms, ars, national] = await Promise.all([download(path, signed.ownerToken), download(path, await roles.ars('NAQ')), download(path, await roles.national())]);
    const text = pdfText(esms.bytes);
    expect(text).toContain(`Convention n° ${signed.conventionId} — signée par les deux parties`);
    expect(text).toMatch(/Pour la structure Signée par direction-0@[^ ]+ le 1er février 2046 à 00 h 00 \(heure de Paris\)\./);
    expect(text).toMatch(/Pour l'ARS Signée par instruction@ars-naq\.local le 1er février 2046 à 00 h 00 \(heure de Paris\)\./);
    expect(ars.bytes.equals(esms.bytes)).toBe(true);
    expect(national.bytes.equals(esms.bytes)).toBe(true);
  });

  it('is refused: 404 to a stranger and another ARS, 404 for no such convention', async () => {
    const path = `/v1/conventions/${signed.conventionId}/document.pdf`;
    expect((await download(path, await roles.candidat('documents-stranger'))).status).toBe(404);
    expect((await download(path, await roles.ars('OCC'))).status).toBe(404);
    expect((await download('/v1/conventions/CNV-999999/document.pdf', await roles.national())).status).toBe(404);
  });
});
