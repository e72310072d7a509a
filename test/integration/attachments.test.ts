import { EICAR } from '../../infra/local/s3-local';
import { eligibleFields, finessIn } from './support/fixtures';
import { closeIntake, createCampaign, IN_INTAKE_2031 } from './support/flow';
import { api, allItems, expectProblem, inbox, roles, setClock, stack, tableSnapshot, type ApiResponse } from './support/stack';

/**
 * Attachments through HTTP on the local stack: the presigned POST to the local S3 (its policy checked by the
 * gate of infra/local/s3-local.ts), the emulated GuardDuty scan, the 303 to a presigned GET, and refusals.
 */
const CAMPAIGN = `pj-${Date.now().toString(36)}`;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

let owner: string;
let stranger: string;

async function draft(ownerToken = owner): Promise<string> {
  const created = await api('POST', `/v1/campaigns/${CAMPAIGN}/applications`, { token: ownerToken, body: { finess: finessIn('33'), ...eligibleFields() } });
  expect(created.status).toBe(201);
  return created.json.id as string;
}

const attach = (id: string, body: unknown, token = owner): Promise<ApiResponse> => api('POST', `/v1/applications/${id}/attachments`, { token, body });

/** The browser's form POST: the fields of the answer, then the file. */
async function upload(target: { url: string; fields: Record<string, string> }, bytes: Buffer, type: string, fields: Record<string, string> = {}): Promise<Response> {
  const form = new FormData();
  for (const [name, value] of Object.entries({ ...target.fields, ...fields })) form.append(name, value);
  form.append('file', new Blob([bytes], { type }), 'fichier');
  return fetch(target.url, { method: 'POST', body: form });
}

/** The list until the attachment's scan is over (the emulated scanner tags it a moment after the upload). */
async function scanned(applicationId: string, attachmentId: string): Promise<{ status: string; uploadedAt?: string }> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const list = await api('GET', `/v1/applications/${applicationId}/attachments`, { token: owner });
    expect(list.status).toBe(200);
    const item = (list.json.items as { id: string; status: string; uploadedAt?: string }[]).find((entry) => entry.id === attachmentId);
    if (item && (item.status === 'sain' || item.status === 'infecte')) return item;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('scan did not finish');
}

const download = (applicationId: string, attachmentId: string, token = owner) =>
  fetch(`${stack.apiUrl}/v1/applications/${applicationId}/attachments/${attachmentId}`, { headers: { authorization: `Bearer ${token}` }, redirect: 'manual' });

beforeAll(async () => {
  await setClock(IN_INTAKE_2031);
  await createCampaign(CAMPAIGN);
  [owner, stranger] = await Promise.all([roles.candidat('pj-owner'), roles.candidat('pj-stranger')]);
});

afterAll(() => setClock(null));

describe('a clean PDF', () => {
  it('is uploaded through the presigned POST, scanned sain, and downloaded by the owner, the ARS of the region and national', async () => {
    const id = await draft();
    const created = await attach(id, { name: 'Budget prévisionnel.pdf', contentType: 'application/pdf', size: PDF.length });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: 'Budget prévisionnel.pdf', contentType: 'application/pdf', size: PDF.length, status: 'en_attente' });
    expect(created.json.upload.url).toMatch(/^http:\/\/localhost:\d+\/mes-pilotes-local-attachments$/);
    expect(created.json.upload.fields).toMatchObject({ 'Content-Type': 'application/pdf', key: `applications/${id}/${created.json.id}` });
    const attachmentId = created.json.id as string;

    // Not uploaded yet: listed en_attente, not downloadable.
    const before = await api('GET', `/v1/applications/${id}/attachments`, { token: owner });
    expect(before.json.items).toEqual([{ id: attachmentId, name: 'Budget prévisionnel.pdf', contentType: 'application/pdf', size: PDF.length, status: 'en_attente' }]);
    const early = await api('GET', `/v1/applications/${id}/attachments/${attachmentId}`, { token: owner });
    expectProblem(early, 409, 'attachment_not_clean');

    const sent = await upload(created.json.upload, PDF, 'application/pdf');
    expect(sent.status).toBe(204);
    const done = await scanned(id, attachmentId);
    expect(done.status).toBe('sain');
    // A clean file tells nobody anything.
    expect((await inbox()).filter((email) => email.subject.includes(id))).toEqual([]);
    expect(done.uploadedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}$/);
    // The final result is kept in the item.
    expect((await allItems()).find((item) => item.sk === `ATTACHMENT#${attachmentId}`)).toMatchObject({ status: 'sain', pk: `APP#${id}` });

    for (const token of [owner, await roles.ars('NAQ'), await roles.national()]) {
      const redirected = await download(id, attachmentId, token);
      expect(redirected.status).toBe(303);
      const location = redirected.headers.get('location')!;
      expect(location).toContain('X-Amz-Expires=300');
      const file = await fetch(location);
      expect(file.status).toBe(200);
      expect(file.headers.get('content-type')).toBe('application/pdf');
      expect(file.headers.get('content-disposition')).toContain("filename*=UTF-8''Budget%20pr%C3%A9visionnel.pdf");
      expect(Buffer.from(await file.arrayBuffer()).equals(PDF)).toBe(true);
    }
  });

  it('is removed by the owner: gone from the list, the count and the bucket', async () => {
    const id = await draft();
    const created = await attach(id, { name: 'photo.png', contentType: 'image/png', size: 4 });
    expect((await upload(created.json.upload, Buffer.from([0x89, 0x50, 0x4e, 0x47]), 'image/png')).status).toBe(204);
    expect((await scanned(id, created.json.id)).status).toBe('sain');
    const location = (await download(id, created.json.id)).headers.get('location')!;

    const removed = await api('DELETE', `/v1/applications/${id}/attachments/${created.json.id}`, { token: owner });
    expect(removed.status).toBe(204);
    expect((await api('GET', `/v1/applications/${id}/attachments`, { token: owner })).json.items).toEqual([]);
    expect((await allItems()).filter((item) => item.pk === `APP#${id}` && String(item.sk).startsWith('ATTACHMENT'))).toEqual([
      expect.objectContaining({ sk: 'ATTACHMENTS', count: 0 }),
    ]);
    expect((await fetch(location)).status).toBe(404);
    expectProblem(await api('DELETE', `/v1/applications/${id}/attachments/${created.json.id}`, { token: owner }), 404, 'not_found');
  });
});

describe('an infected file', () => {
  it('(EICAR) is flagged infecte, its download refused, and the owner told by email once', async () => {
    const id = await draft();
    const eicar = Buffer.from(EICAR);
    const created = await attach(id, { name: 'facture.pdf', contentType: 'application/pdf', size: eicar.length });
    expect((await upload(created.json.upload, eicar, 'application/pdf')).status).toBe(204);
    expect((await scanned(id, created.json.id)).status).toBe('infecte');
    for (const token of [owner, await roles.ars('NAQ')]) {
      const refused = await api('GET', `/v1/applications/${id}/attachments/${created.json.id}`, { token });
      expectProblem(refused, 409, 'attachment_not_clean');
      expect(refused.json.detail).toMatch(/logiciel malveillant/);
    }
    // GuardDuty's scan-result event (the local scanner sends it to the function as EventBridge would): one email.
    const told = async () => (await inbox()).filter((email) => email.subject === `Dossier n° ${id} : une pièce jointe a été refusée`);
    for (let attempt = 0; attempt < 50 && (await told()).length === 0; attempt += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    const [email, ...more] = await told();
    expect(more).toEqual([]);
    expect(email!.destination.to).toEqual(['pj-owner@esms.local']);
    expect(email!.body.text).toContain('« facture.pdf »');
    expect(email!.body.text).toMatch(/logiciel malveillant/);
  });
});

describe('refusals write nothing', () => {
  let id: string;
  beforeAll(async () => {
    id = await draft();
  });

  it.each([
    ['another type', { name: 'notes.txt', contentType: 'text/plain', size: 10 }, 'contentType'],
    ['over 10 MB', { name: 'scan.pdf', contentType: 'application/pdf', size: 10 * 1024 * 1024 + 1 }, 'size'],
    ['an empty file', { name: 'vide.pdf', contentType: 'application/pdf', size: 0 }, 'size'],
    ['a name with a path', { name: '../../etc/passwd', contentType: 'application/pdf', size: 10 }, 'name'],
    ['an unknown field', { name: 'a.pdf', contentType: 'application/pdf', size: 10, key: 'other' }, 'key'],
  ])('%s: 400', async (_label, body, path) => {
    const before = await tableSnapshot();
    const refused = await attach(id, body);
    expectProblem(refused, 400, 'validation_failed');
    expect((refused.json.errors as { path: string }[]).map((error) => error.path)).toContain(path);
    expect(await tableSnapshot()).toBe(before);
  });

  it('S3 refuses an upload of another size or type than declared, and nothing reaches the bucket', async () => {
    const created = await attach(id, { name: 'petit.pdf', contentType: 'application/pdf', size: 10 });
    const tooBig = await upload(created.json.upload, Buffer.alloc(11, 'a'), 'application/pdf');
    expect(tooBig.status).toBe(400);
    expect(await tooBig.text()).toContain('EntityTooLarge');
    const otherType = await upload(created.json.upload, Buffer.alloc(10, 'a'), 'text/html', { 'Content-Type': 'text/html' });
    expect(otherType.status).toBe(403);
    const extraField = await upload(created.json.upload, Buffer.alloc(10, 'a'), 'application/pdf', { 'x-amz-meta-owner': 'someone' });
    expect(extraField.status).toBe(403);
    const forged = await upload({ url: created.json.upload.url, fields: { ...created.json.upload.fields, key: `applications/${id}/PJ-OTHER` } }, Buffer.alloc(10, 'a'), 'application/pdf');
    expect(forged.status).toBe(403);
    const list = await api('GET', `/v1/applications/${id}/attachments`, { token: owner });
    expect(list.json.items.find((item: { id: string }) => item.id === created.json.id).status).toBe('en_attente');
  });

  it('the eleventh: 409 too_many_attachments', async () => {
    const full = await draft();
    for (let index = 0; index < 10; index += 1) {
      expect((await attach(full, { name: `piece-${index}.pdf`, contentType: 'application/pdf', size: 100 })).status).toBe(201);
    }
    const before = await tableSnapshot();
    const refused = await attach(full, { name: 'piece-10.pdf', contentType: 'application/pdf', size: 100 });
    expectProblem(refused, 409, 'too_many_attachments');
    expect(await tableSnapshot()).toBe(before);
    expect((await api('GET', `/v1/applications/${full}/attachments`, { token: owner })).json.items).toHaveLength(10);
  });

  it('a stranger and the ARS of another region get 404; the ARS of the region may not add; the file is not there for them', async () => {
    const created = await attach(id, { name: 'a.pdf', contentType: 'application/pdf', size: 10 });
    const before = await tableSnapshot();
    const arsOcc = await roles.ars('OCC');
    const arsNaq = await roles.ars('NAQ');
    for (const token of [stranger, arsOcc]) {
      expectProblem(await api('GET', `/v1/applications/${id}/attachments`, { token }), 404, 'not_found');
      expectProblem(await api('GET', `/v1/applications/${id}/attachments/${created.json.id}`, { token }), 404, 'not_found');
    }
    expectProblem(await attach(id, { name: 'b.pdf', contentType: 'application/pdf', size: 10 }, stranger), 404, 'not_found');
    expectProblem(await api('DELETE', `/v1/applications/${id}/attachments/${created.json.id}`, { token: stranger }), 404, 'not_found');
    expectProblem(await attach(id, { name: 'b.pdf', contentType: 'application/pdf', size: 10 }, arsNaq), 403, 'forbidden');
    expectProblem(await api('DELETE', `/v1/applications/${id}/attachments/${created.json.id}`, { token: arsNaq }), 403, 'forbidden');
    expectProblem(await api('GET', `/v1/applications/${id}/attachments/PJ-NOPE`, { token: owner }), 404, 'not_found');
    expect(await tableSnapshot()).toBe(before);
  });

  it('a collaborator reads the list but may not add or remove: the owner alone does (403, nothing written)', async () => {
    const created = await attach(id, { name: 'rib.pdf', contentType: 'application/pdf', size: 10 });
    const invited = await api('POST', `/v1/applications/${id}/collaborators`, { token: owner, body: { email: 'pj-adjoint@esms.local' } });
    expect(invited.status).toBe(201);
    const collaborator = await roles.candidat('pj-adjoint');
    expect((await api('GET', `/v1/applications/${id}/attachments`, { token: collaborator })).json.items.map((item: { id: string }) => item.id)).toContain(created.json.id);
    const before = await tableSnapshot();
    expectProblem(await attach(id, { name: 'autre.pdf', contentType: 'application/pdf', size: 10 }, collaborator), 403, 'forbidden');
    expectProblem(await api('DELETE', `/v1/applications/${id}/attachments/${created.json.id}`, { token: collaborator }), 403, 'forbidden');
    expect(await tableSnapshot()).toBe(before);
  });

  it('after the intake closes: 409, nothing added or removed', async () => {
    const created = await attach(id, { name: 'tard.pdf', contentType: 'application/pdf', size: 10 });
    await closeIntake(CAMPAIGN);
    const before = await tableSnapshot();
    const added = await attach(id, { name: 'encore.pdf', contentType: 'application/pdf', size: 10 });
    expect(added.status).toBe(409);
    expect(['intake_closed', 'invalid_transition']).toContain(added.json.code);
    const removed = await api('DELETE', `/v1/applications/${id}/attachments/${created.json.id}`, { token: owner });
    expect(removed.status).toBe(409);
    expect(await tableSnapshot()).toBe(before);
    // Still listed for those who read the file.
    expect((await api('GET', `/v1/applications/${id}/attachments`, { token: owner })).status).toBe(200);
  });
});
