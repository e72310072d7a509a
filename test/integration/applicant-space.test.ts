import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { calendarOf } from '../support/calendars';
import { eligibleFields, finessIn } from './support/fixtures';
import { api, clearInbox, dynamo, expectProblem, inbox, roles, runMilestones, setClock, stack, token, type ApiResponse } from './support/stack';

/**
 * The applicant's own space (API.md, Applications): drafts reserve nothing and the first submission takes
 * the FINESS; "my applications"; collaborators by verified email; transfer by the ARS; emails only to
 * verified account addresses.
 */
const RUN = Date.now().toString(36);
const YEAR = 2038;
const CAMPAIGN = `applicants-${YEAR}-${RUN}`;
const OTHER_CAMPAIGN = `applicants-${YEAR + 1}-${RUN}`;
const IN_INTAKE = `${YEAR}-02-10T10:00:00+01:00`;
const IN_SELECTION = `${YEAR}-03-10T10:00:00+01:00`;
const IN_CONVENTIONS = `${YEAR}-05-01T10:00:00+02:00`;

/** An applicant account: its own sub and address, verified unless said otherwise. */
const person = (name: string, emailVerified = true) =>
  token({ sub: `${name}-${RUN}`, email: `${name}-${RUN}@esms.local`, emailVerified, groups: ['candidat'] });
const addressOf = (name: string) => `${name}-${RUN}@esms.local`;

const create = (who: string, finess: string, fields: Record<string, unknown> = {}, campaign = CAMPAIGN) =>
  api('POST', `/v1/campaigns/${campaign}/applications`, { token: who, body: { finess, ...eligibleFields(fields) } });
const submit = (who: string, id: string) => api('POST', `/v1/applications/${id}/submit`, { token: who });
const finessItem = async (finess: string, campaign = CAMPAIGN) =>
  (await dynamo.send(new GetCommand({ TableName: stack.tableName, Key: { pk: `CAMPAIGN#${campaign}`, sk: `FINESS#${finess}` }, ConsistentRead: true }))).Item;
const recipientsOf = async (subject: RegExp) => (await inbox()).filter((email) => subject.test(email.subject)).flatMap((email) => email.destination.to);

function ok(response: ApiResponse, status: number, what: string): ApiResponse {
  if (response.status !== status) throw new Error(`${what}: expected ${status}, got ${response.status} ${response.text}`);
  return response;
}

beforeAll(async () => {
  const national = await roles.national();
  for (const [id, year] of [[CAMPAIGN, YEAR], [OTHER_CAMPAIGN, YEAR]] as const) {
    ok(await api('POST', '/v1/campaigns', { token: national, body: { id, title: `Appel ${id}`, ...calendarOf(year), quotas: { NAQ: 5 } } }), 201, 'campaign');
  }
});
beforeEach(() => setClock(IN_INTAKE));
afterAll(() => setClock(null));

describe('a FINESS is taken by its first submission, not by a draft', () => {
  it('lets two accounts hold a draft of one FINESS, gives it to the first who submits, refuses the other without revealing anything, and frees it on withdrawal', async () => {
    const [first, second, third] = await Promise.all([person('premier'), person('second'), person('troisieme')]);
    const finess = finessIn('33');
    const a = ok(await create(first, finess), 201, 'first draft');
    const b = ok(await create(second, finess), 201, 'second draft');
    expect(await finessItem(finess)).toBeUndefined();

    ok(await submit(first, a.json.id), 200, 'first submit');
    expect(await finessItem(finess)).toMatchObject({ applicationId: a.json.id });

    const refused = await submit(second, b.json.id);
    expectProblem(refused, 409, 'duplicate_finess');
    expect(refused.json.detail).toMatch(/contactez votre ARS/);
    expect(refused.text).not.toContain(a.json.id);
    expect((await api('GET', `/v1/applications/${b.json.id}`, { token: second })).json.status).toBe('brouillon');
    expectProblem(await create(third, finess), 409, 'duplicate_finess');

    ok(await api('POST', `/v1/applications/${a.json.id}/withdraw`, { token: first }), 200, 'withdraw');
    expect(await finessItem(finess)).toBeUndefined();
    expect(ok(await submit(second, b.json.id), 200, 'second submit').json.status).toBe('deposee');
    expect(await finessItem(finess)).toMatchObject({ applicationId: b.json.id });
  });

  it('gives the FINESS to exactly one of 20 drafts submitted at once', async () => {
    const finess = finessIn('87');
    const accounts = await Promise.all(Array.from({ length: 20 }, (_, index) => person(`course-${index}`)));
    const drafts = await Promise.all(accounts.map(async (who) => ({ who, id: ok(await create(who, finess), 201, 'draft').json.id as string })));
    const answers = await Promise.all(drafts.map(({ who, id }) => submit(who, id)));
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
    expect(answers.filter((answer) => answer.status === 409 && answer.json.code === 'duplicate_finess')).toHaveLength(19);
    const winner = drafts[answers.findIndex((answer) => answer.status === 200)]!;
    expect(await finessItem(finess)).toMatchObject({ applicationId: winner.id });
    const statuses = await Promise.all(drafts.map(({ who, id }) => api('GET', `/v1/applications/${id}`, { token: who })));
    expect(statuses.filter((answer) => answer.json.status === 'deposee')).toHaveLength(1);
  });

  it('refuses a 51st open draft of one account in one campaign (too_many_drafts) and writes nothing', async () => {
    const squatter = await person('accapareur');
    for (let index = 0; index < 50; index += 1) ok(await create(squatter, finessIn('33'), { name: `Brouillon ${index}` }), 201, `draft ${index}`);
    const finess = finessIn('33');
    expectProblem(await create(squatter, finess), 409, 'too_many_drafts');
    const mine = await api('GET', '/v1/me/applications?limit=200', { token: squatter });
    expect(mine.json.items).toHaveLength(50);
    expect(mine.json.items.some((item: { finess: string }) => item.finess === finess)).toBe(false);
    // Another account is not limited by the squatter's drafts.
    ok(await create(await person('voisin'), finess), 201, 'neighbour');
  });
});

describe("the applicant's own list", () => {
  it('lists the caller\'s applications of every campaign, newest first, with campaign title and phase, and pages', async () => {
    const me = await person('liste');
    const older = ok(await create(me, finessIn('33')), 201, 'older');
    await setClock(`${YEAR}-02-11T10:00:00+01:00`);
    const newer = ok(await create(me, finessIn('87'), {}, OTHER_CAMPAIGN), 201, 'newer');
    ok(await create(await person('autre-liste'), finessIn('33')), 201, 'someone else');

    const all = ok(await api('GET', '/v1/me/applications', { token: me }), 200, 'list');
    expect(all.json.items.map((item: { id: string }) => item.id)).toEqual([newer.json.id, older.json.id]);
    expect(all.json.items[0]).toMatchObject({ campaignId: OTHER_CAMPAIGN, status: 'brouillon', pilot: false, campaign: { id: OTHER_CAMPAIGN, title: `Appel ${OTHER_CAMPAIGN}`, phase: 'candidatures' } });
    expect(all.json.items[0]).not.toHaveProperty('review');
    expect(all.json.nextCursor).toBeNull();

    const first = ok(await api('GET', '/v1/me/applications?limit=1', { token: me }), 200, 'page 1');
    const second = ok(await api('GET', `/v1/me/applications?limit=1&cursor=${first.json.nextCursor}`, { token: me }), 200, 'page 2');
    expect([...first.json.items, ...second.json.items].map((item: { id: string }) => item.id)).toEqual([newer.json.id, older.json.id]);
    expect(second.json.nextCursor).toBeNull();
    expectProblem(await api('GET', '/v1/me/applications?cursor=pas-un-curseur', { token: me }), 400, 'validation_failed');
    expectProblem(await api('GET', '/v1/me/applications', { token: await roles.ars('NAQ') }), 403, 'forbidden');
  });
});

describe('collaborators', () => {
  it('lets a verified collaborator do what the owner does but manage collaborators, and takes access away on removal', async () => {
    const owner = await person('porteuse');
    const collaborator = await person('adjoint');
    const unverified = await token({ sub: `imposteur-${RUN}`, email: addressOf('adjoint'), emailVerified: false, groups: ['candidat'] });
    const draft = ok(await create(owner, finessIn('33')), 201, 'draft');
    const id = draft.json.id as string;

    const invited = ok(await api('POST', `/v1/applications/${id}/collaborators`, { token: owner, body: { email: addressOf('adjoint').toUpperCase() } }), 201, 'invite');
    expect(invited.json.collaborators).toEqual([{ email: addressOf('adjoint'), invitedAt: IN_INTAKE }]);
    expect(ok(await api('POST', `/v1/applications/${id}/collaborators`, { token: owner, body: { email: addressOf('adjoint') } }), 200, 'again').json.version).toBe(invited.json.version);
    const member = await dynamo.send(new GetCommand({ TableName: stack.tableName, Key: { pk: `APP#${id}`, sk: `MEMBER#${addressOf('adjoint')}` } }));
    expect(member.Item).toMatchObject({ gsi3pk: `EMAIL#${addressOf('adjoint')}`, applicationId: id });

    // The same address unverified is nobody; verified, a collaborator from its next request.
    expectProblem(await api('GET', `/v1/applications/${id}`, { token: unverified }), 404, 'not_found');
    const seen = ok(await api('GET', `/v1/applications/${id}`, { token: collaborator }), 200, 'collaborator reads');
    expect(seen.json.collaborators[0].joinedAt).toBe(IN_INTAKE);
    const joined = await dynamo.send(new GetCommand({ TableName: stack.tableName, Key: { pk: `APP#${id}`, sk: 'APP' }, ConsistentRead: true }));
    expect(joined.Item?.collaborators).toEqual([expect.objectContaining({ email: addressOf('adjoint'), joinedAt: IN_INTAKE })]);
    expect((await api('GET', '/v1/me/applications', { token: collaborator })).json.items.map((item: { id: string }) => item.id)).toEqual([id]);
    ok(await api('PUT', `/v1/applications/${id}`, { token: collaborator, body: eligibleFields({ name: 'EHPAD modifié par l’adjoint' }) }), 200, 'collaborator edits');
    expectProblem(await api('POST', `/v1/applications/${id}/collaborators`, { token: collaborator, body: { email: 'tiers@esms.local' } }), 403, 'forbidden');
    await clearInbox();
    ok(await submit(collaborator, id), 200, 'collaborator submits');
    expect((await recipientsOf(new RegExp(`${id} a bien été déposé`))).sort()).toEqual([addressOf('adjoint'), addressOf('porteuse')].sort());

    const history = await api('GET', `/v1/applications/${id}/history`, { token: owner });
    expect(history.json.items.map((entry: { action: string }) => entry.action)).toEqual(['creation', 'collaborateur_invite', 'modification', 'depot']);

    ok(await api('DELETE', `/v1/applications/${id}/collaborators/${encodeURIComponent(addressOf('adjoint'))}`, { token: owner }), 200, 'remove');
    expectProblem(await api('GET', `/v1/applications/${id}`, { token: collaborator }), 404, 'not_found');
    expect((await api('GET', '/v1/me/applications', { token: collaborator })).json.items).toEqual([]);
    const gone = await dynamo.send(new GetCommand({ TableName: stack.tableName, Key: { pk: `APP#${id}`, sk: `MEMBER#${addressOf('adjoint')}` } }));
    expect(gone.Item).toBeUndefined();
  });

  it('refuses an 11th collaborator and a malformed address', async () => {
    const owner = await person('equipe');
    const id = ok(await create(owner, finessIn('33')), 201, 'draft').json.id as string;
    for (let index = 0; index < 10; index += 1) ok(await api('POST', `/v1/applications/${id}/collaborators`, { token: owner, body: { email: `membre-${index}@esms.local` } }), 201, 'invite');
    expectProblem(await api('POST', `/v1/applications/${id}/collaborators`, { token: owner, body: { email: 'onzieme@esms.local' } }), 409, 'too_many_collaborators');
    expectProblem(await api('POST', `/v1/applications/${id}/collaborators`, { token: owner, body: { email: 'pas une adresse' } }), 400, 'validation_failed');
    expectProblem(await api('DELETE', `/v1/applications/${id}/collaborators/${encodeURIComponent('inconnu@esms.local')}`, { token: owner }), 404, 'not_found');
    expect((await api('GET', `/v1/applications/${id}`, { token: owner })).json.collaborators).toHaveLength(10);
  });
});

describe('emails go to verified account addresses only', () => {
  it('never writes to the address typed in the form, nor to an unverified account address', async () => {
    await clearInbox();
    const verified = await person('verifiee');
    const typed = `victime-${RUN}@tiers.local`;
    const a = ok(await create(verified, finessIn('33'), { contact: { name: 'Tiers', email: typed } }), 201, 'draft');
    ok(await submit(verified, a.json.id), 200, 'submit');
    const unverified = await person('non-verifiee', false);
    const b = ok(await create(unverified, finessIn('33'), { contact: { name: 'Tiers', email: typed } }), 201, 'draft');
    ok(await submit(unverified, b.json.id), 200, 'submit');

    const sent = await inbox();
    expect(sent.flatMap((email) => email.destination.to)).not.toContain(typed);
    expect(await recipientsOf(new RegExp(`${a.json.id} a bien été déposé`))).toEqual([addressOf('verifiee')]);
    expect(await recipientsOf(new RegExp(`${b.json.id} a bien été déposé`))).toEqual([]);
  });
});

describe('transfer by the ARS', () => {
  it('gives the file, its convention and its pilot to the verified address named, with history and emails; the previous holders lose access at once', async () => {
    const squatter = await person('squatteur');
    const helper = await person('complice');
    const rightful = await person('directrice');
    const arsNaq = await roles.ars('NAQ');
    const finess = finessIn('33');
    const id = ok(await create(squatter, finess), 201, 'draft').json.id as string;
    ok(await api('POST', `/v1/applications/${id}/collaborators`, { token: squatter, body: { email: addressOf('complice') } }), 201, 'invite');
    ok(await api('GET', `/v1/applications/${id}`, { token: helper }), 200, 'helper joins');
    ok(await submit(squatter, id), 200, 'submit');
    // The real establishment is locked out until the ARS steps in.
    expectProblem(await create(rightful, finess), 409, 'duplicate_finess');

    await clearInbox();
    const body = { email: addressOf('directrice'), motivation: "Le représentant légal de l'établissement nous a contactés." };
    expectProblem(await api('POST', `/v1/applications/${id}/transfer`, { token: await roles.ars('OCC'), body }), 404, 'not_found');
    expectProblem(await api('POST', `/v1/applications/${id}/transfer`, { token: squatter, body }), 403, 'forbidden');
    expectProblem(await api('POST', `/v1/applications/${id}/transfer`, { token: arsNaq, body: { email: addressOf('directrice') } }), 400, 'validation_failed');
    const moved = ok(await api('POST', `/v1/applications/${id}/transfer`, { token: arsNaq, body }), 200, 'transfer');
    expect(moved.json).not.toHaveProperty('collaborators');

    expectProblem(await api('GET', `/v1/applications/${id}`, { token: squatter }), 404, 'not_found');
    expectProblem(await api('GET', `/v1/applications/${id}`, { token: helper }), 404, 'not_found');
    expect((await api('GET', '/v1/me/applications', { token: squatter })).json.items.map((item: { id: string }) => item.id)).not.toContain(id);
    expect((await api('GET', '/v1/me/applications', { token: rightful })).json.items.map((item: { id: string }) => item.id)).toEqual([id]);
    ok(await api('PUT', `/v1/applications/${id}`, { token: rightful, body: eligibleFields({ name: 'EHPAD de la directrice' }) }), 200, 'new owner edits');

    const stored = await dynamo.send(new GetCommand({ TableName: stack.tableName, Key: { pk: `APP#${id}`, sk: 'APP' } }));
    expect(stored.Item).toMatchObject({ ownerEmail: addressOf('directrice'), gsi3pk: `EMAIL#${addressOf('directrice')}` });
    expect(stored.Item).not.toHaveProperty('ownerId');
    const members = await dynamo.send(new QueryCommand({ TableName: stack.tableName, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :m)', ExpressionAttributeValues: { ':pk': `APP#${id}`, ':m': 'MEMBER#' } }));
    expect(members.Items).toEqual([]);

    const history = (await api('GET', `/v1/applications/${id}/history`, { token: rightful })).json.items;
    expect(history.find((entry: { action: string }) => entry.action === 'transfert')).toMatchObject({ actor: 'ars-NAQ:ars-naq-1', motivation: body.motivation, from: 'deposee', to: 'deposee' });
    expect((await recipientsOf(/confié à un autre compte/)).sort()).toEqual([addressOf('complice'), addressOf('squatteur')].sort());
    expect(await recipientsOf(/il vous est confié/)).toEqual([addressOf('directrice')]);

    // The convention follows the application: the new owner signs it, the previous one cannot see it.
    await setClock(IN_SELECTION);
    await runMilestones(CAMPAIGN);
    ok(await api('POST', `/v1/applications/${id}/decision`, { token: arsNaq, body: { decision: 'retenue', motivation: 'Projet solide.' } }), 200, 'decision');
    ok(await api('POST', `/v1/campaigns/${CAMPAIGN}/regions/NAQ/notify`, { token: arsNaq }), 200, 'notify');
    await setClock(IN_CONVENTIONS);
    const mine = (await api('GET', '/v1/me/applications', { token: rightful })).json.items[0];
    expect(mine).toMatchObject({ id, status: 'retenue', conventionId: id.replace('MES-', 'CNV-'), convention: { id: id.replace('MES-', 'CNV-'), status: 'a_signer' }, pilot: false });
    expectProblem(await api('GET', `/v1/conventions/${mine.conventionId}`, { token: squatter }), 404, 'not_found');
    ok(await api('POST', `/v1/conventions/${mine.conventionId}/signatures`, { token: rightful, body: { party: 'esms' } }), 200, 'esms signs');
    ok(await api('POST', `/v1/conventions/${mine.conventionId}/signatures`, { token: arsNaq, body: { party: 'ars' } }), 200, 'ars signs');
    expect((await api('GET', '/v1/me/applications', { token: rightful })).json.items[0]).toMatchObject({ convention: { status: 'signee' }, pilot: true });
  });
});

describe('pilot routes name the campaign', () => {
  it('lets a FINESS that is a pilot of two campaigns report in each, and tells a stranger nothing it could tell apart', async () => {
    const { createCampaign, createPilots } = await import('./support/pilot-flow');
    const earlier = await createCampaign({ year: 2036 });
    const later = await createCampaign({ year: 2037 });
    const [first] = await createPilots(earlier, [{ department: '33' }]);
    const [second] = await createPilots(later, [{ department: '33', finess: first!.finess }]);
    expect(second!.finess).toBe(first!.finess);

    await setClock('2037-05-10T10:00:00+02:00');
    const path = (campaign: string, month: string) => `/v1/campaigns/${campaign}/pilots/${first!.finess}/usage/${month}`;
    const reported = ok(await api('PUT', path(later.id, '2037-04'), { token: second!.ownerToken, body: { indicators: { 'mss.usagers': 5 } } }), 201, 'second campaign');
    expect(reported.json).toMatchObject({ campaignId: later.id, month: '2037-04', indicators: { 'mss.usagers': 5 } });
    expect(reported.headers.get('location')).toBe(path(later.id, '2037-04'));
    expectProblem(await api('PUT', path(earlier.id, '2037-04'), { token: first!.ownerToken, body: { indicators: { 'mss.usagers': 5 } } }), 409, 'period_outside_experimentation');
    // Each campaign's pilot is its own owner's: the first campaign's owner is a stranger to the second.
    const notMine = await api('GET', `/v1/campaigns/${later.id}/pilots/${first!.finess}/usage`, { token: first!.ownerToken });
    const notAPilot = await api('GET', `/v1/campaigns/${later.id}/pilots/${finessIn('33')}/usage`, { token: first!.ownerToken });
    expectProblem(notMine, 404, 'not_found');
    expect(notAPilot.json).toEqual(notMine.json);
    const otherRegion = await roles.ars('OCC');
    expect((await api('GET', `/v1/campaigns/${later.id}/pilots/${first!.finess}/usage`, { token: otherRegion })).json).toEqual(notMine.json);
  });
});
