import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { api, clearInbox, dynamo, expectProblem, inbox, roles, setClock, stack, tableSnapshot } from './support/stack';
import { DEFAULT_CAMPAIGN, DURING_INTAKE, eligibleFields, finessIn } from './support/fixtures';

/** Every item of a list, following nextCursor (other test files add applications to the default campaign). */
async function everyPage(path: string, tokenValue: string): Promise<{ id: string; ars: string }[]> {
  const items: { id: string; ars: string }[] = [];
  let cursor: string | null = null;
  do {
    const page: { json: { items: { id: string; ars: string }[]; nextCursor: string | null } } = await api('GET', `${path}&limit=200${cursor ? `&cursor=${cursor}` : ''}`, { token: tokenValue });
    items.push(...page.json.items);
    cursor = page.json.nextCursor;
  } while (cursor);
  return items;
}

const create = (tokenValue: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  api('POST', `/v1/campaigns/${DEFAULT_CAMPAIGN}/applications`, { token: tokenValue, body, headers });

beforeEach(() => setClock(DURING_INTAKE));
afterAll(() => setClock(null));

describe('a candidate applies', () => {
  it('creates a draft, edits it, submits it and receives the acknowledgement in French with Paris times', async () => {
    await clearInbox();
    const candidat = await roles.candidat('esms-walkthrough');
    const finess = finessIn('33');

    const draft = await create(candidat, { finess: `${finess.slice(0, 2)} ${finess.slice(2, 5)} ${finess.slice(5, 8)} ${finess.slice(8)}` });
    expect(draft.status).toBe(201);
    expect(draft.json).toMatchObject({ finess, status: 'brouillon', version: 1, department: '33', ars: 'NAQ', campaignId: DEFAULT_CAMPAIGN });
    expect(draft.headers.get('location')).toBe(`/v1/applications/${draft.json.id}`);
    expect(draft.json.id).toMatch(/^MES-[0-9A-Z]{8}$/);

    const edited = await api('PUT', `/v1/applications/${draft.json.id}`, { token: candidat, body: eligibleFields({ category: '354' }), headers: { 'if-match': '"1"' } });
    expect(edited.status).toBe(200);
    expect(edited.json).toMatchObject({ version: 2, category: '354', sector: 'PA', mode: 'domicile' });
    expect(edited.headers.get('etag')).toBe('"2"');

    const submitted = await api('POST', `/v1/applications/${draft.json.id}/submit`, { token: candidat });
    expect(submitted.status).toBe(200);
    expect(submitted.json).toMatchObject({ status: 'deposee', version: 3, submittedAt: '2023-10-12T14:05:00+02:00' });

    // To the account's verified address, never to the contact typed in the form.
    expect((await inbox()).filter((email) => email.destination.to.includes('direction@ehpad-tilleuls.local'))).toEqual([]);
    const emails = (await inbox()).filter((email) => email.destination.to.includes('esms-walkthrough@esms.local'));
    expect(emails).toHaveLength(1);
    expect(emails[0]!.subject).toBe(`Votre dossier n° ${draft.json.id} a bien été déposé`);
    expect(emails[0]!.body.text).toContain('déposé le 12 octobre 2023 à 14 h 05 (heure de Paris)');
    expect(emails[0]!.body.text).toContain('le 31 octobre 2023 à 23 h 59 (heure de Paris)');
    expect(emails[0]!.body.text).toContain(`Numéro FINESS : ${finess.slice(0, 2)} ${finess.slice(2, 5)} ${finess.slice(5, 8)} ${finess.slice(8)}`);
    expect(emails[0]!.body.text).toContain('EHPAD Les Tilleuls');

    const again = await api('POST', `/v1/applications/${draft.json.id}/submit`, { token: candidat });
    expect(again.status).toBe(200);
    expect(again.json.version).toBe(3);
    expect((await inbox()).filter((email) => email.destination.to.includes('esms-walkthrough@esms.local'))).toHaveLength(1);

    const history = await api('GET', `/v1/applications/${draft.json.id}/history`, { token: candidat });
    expect(history.json.items.map((entry: { action: string; from: string | null; to: string }) => [entry.action, entry.from, entry.to])).toEqual([
      ['creation', null, 'brouillon'],
      ['modification', 'brouillon', 'brouillon'],
      ['depot', 'brouillon', 'deposee'],
    ]);
    expect(history.json.items[0].actor).toBe('candidat:esms-walkthrough');
  });

  it('refuses an ineligible submission with one error per unmet rule and leaves it a draft', async () => {
    const candidat = await roles.candidat('esms-ineligible');
    const draft = await create(candidat, { finess: finessIn('64'), name: 'Crèche municipale', category: '999', dui: { segurReferenced: false, mesCapable: false } });
    const before = await tableSnapshot();
    const refused = await api('POST', `/v1/applications/${draft.json.id}/submit`, { token: candidat });
    expectProblem(refused, 422, 'ineligible');
    expect(refused.json.errors.map((error: { path: string }) => error.path).sort()).toEqual(['awarenessMeans', 'category', 'contact.email', 'dui', 'exchanges', 'pathways']);
    expect(await tableSnapshot()).toBe(before);
    expect((await api('GET', `/v1/applications/${draft.json.id}`, { token: candidat })).json.status).toBe('brouillon');
  });

  it('lets the owner withdraw before any decision, once', async () => {
    const candidat = await roles.candidat('esms-withdraw');
    const draft = await create(candidat, { finess: finessIn('87'), ...eligibleFields() });
    const withdrawn = await api('POST', `/v1/applications/${draft.json.id}/withdraw`, { token: candidat });
    expect(withdrawn.json).toMatchObject({ status: 'sans_suite', version: 2 });
    expectProblem(await api('POST', `/v1/applications/${draft.json.id}/withdraw`, { token: candidat }), 409, 'invalid_transition');
    expectProblem(await api('PUT', `/v1/applications/${draft.json.id}`, { token: candidat, body: eligibleFields() }), 409, 'invalid_transition');
  });
});

describe('deadlines are enforced at request time from the campaign calendar', () => {
  it('refuses creation before the opening with intake_not_open', async () => {
    await setClock('2023-08-31T23:59:59+02:00');
    expectProblem(await create(await roles.candidat('esms-early'), { finess: finessIn('33') }), 409, 'intake_not_open');
    await setClock('2023-09-01T00:00:00+02:00');
    expect((await create(await roles.candidat('esms-early'), { finess: finessIn('33') })).status).toBe(201);
  });

  it('accepts create, replace and submit at 23:59:59 on 31 October and refuses all three from midnight', async () => {
    const candidat = await roles.candidat('esms-deadline');
    const early = await create(candidat, { finess: finessIn('16'), ...eligibleFields() });
    await setClock('2023-10-31T23:59:59+01:00');
    const late = await create(candidat, { finess: finessIn('16') });
    expect(late.status).toBe(201);
    expect((await api('PUT', `/v1/applications/${late.json.id}`, { token: candidat, body: eligibleFields() })).status).toBe(200);

    await setClock('2023-11-01T00:00:00+01:00');
    const before = await tableSnapshot();
    const closed = await create(candidat, { finess: finessIn('16') });
    expectProblem(closed, 409, 'intake_closed');
    expect(closed.json.detail).toContain('31 octobre 2023 à 23 h 59 (heure de Paris)');
    expectProblem(await api('PUT', `/v1/applications/${late.json.id}`, { token: candidat, body: eligibleFields({ name: 'Trop tard' }) }), 409, 'intake_closed');
    expectProblem(await api('POST', `/v1/applications/${early.json.id}/submit`, { token: candidat }), 409, 'intake_closed');
    expect(await tableSnapshot()).toBe(before);
  });
});

describe('one submitted application per FINESS per campaign', () => {
  it('refuses a create for a FINESS another account has submitted, whoever sends it, and writes nothing', async () => {
    const finess = finessIn('33');
    const first = await roles.candidat('esms-first');
    const draft = await create(first, { finess, ...eligibleFields() });
    expect((await api('POST', `/v1/applications/${draft.json.id}/submit`, { token: first })).status).toBe(200);
    const before = await tableSnapshot();
    expectProblem(await create(await roles.candidat('esms-second'), { finess }), 409, 'duplicate_finess');
    expect(await tableSnapshot()).toBe(before);
  });
});

describe('versioning and idempotency', () => {
  it('answers 412 to a stale If-Match and keeps the stored version', async () => {
    const candidat = await roles.candidat('esms-version');
    const draft = await create(candidat, { finess: finessIn('79') });
    await api('PUT', `/v1/applications/${draft.json.id}`, { token: candidat, body: { name: 'Premier nom' } });
    const stale = await api('PUT', `/v1/applications/${draft.json.id}`, { token: candidat, body: { name: 'Second nom' }, headers: { 'if-match': '"1"' } });
    expectProblem(stale, 412, 'version_conflict');
    expect((await api('GET', `/v1/applications/${draft.json.id}`, { token: candidat })).json).toMatchObject({ name: 'Premier nom', version: 2 });
  });

  it('replays a retried create with the same Idempotency-Key and writes nothing new', async () => {
    const candidat = await roles.candidat('esms-idempotent');
    const body = { finess: finessIn('86'), name: 'SSIAD du Poitou' };
    const first = await create(candidat, body, { 'idempotency-key': 'retry-me-1' });
    expect(first.status).toBe(201);
    const before = await tableSnapshot();
    const retried = await create(candidat, body, { 'idempotency-key': 'retry-me-1' });
    expect(retried.status).toBe(201);
    expect(retried.json).toEqual(first.json);
    expect(retried.headers.get('location')).toBe(first.headers.get('location'));
    expect(await tableSnapshot()).toBe(before);
    expectProblem(await create(candidat, { ...body, name: 'Autre' }, { 'idempotency-key': 'retry-me-1' }), 409, 'idempotency_key_reused');
  });

  it('replays concurrent identical retries: one application, the same answer for all', async () => {
    const candidat = await roles.candidat('esms-idempotent-race');
    const body = { finess: finessIn('47') };
    const responses = await Promise.all(Array.from({ length: 5 }, () => create(candidat, body, { 'idempotency-key': 'race-key' })));
    expect(responses.map((response) => response.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(responses.map((response) => response.json.id)).size).toBe(1);
  });
});

describe('who sees what', () => {
  it('shows an application to its owner, the ARS of its region and national staff, and 404 to anyone else', async () => {
    const owner = await roles.candidat('esms-visibility');
    const draft = await create(owner, { finess: finessIn('33'), ...eligibleFields() });
    const path = `/v1/applications/${draft.json.id}`;
    expect((await api('GET', path, { token: owner })).status).toBe(200);
    expect((await api('GET', path, { token: await roles.ars('NAQ') })).status).toBe(200);
    expect((await api('GET', path, { token: await roles.national() })).status).toBe(200);
    expectProblem(await api('GET', path, { token: await roles.ars('OCC') }), 404, 'not_found');
    expectProblem(await api('GET', path, { token: await roles.candidat('esms-curious') }), 404, 'not_found');
    expectProblem(await api('GET', `${path}/history`, { token: await roles.ars('OCC') }), 404, 'not_found');
    expectProblem(await api('PUT', path, { token: await roles.candidat('esms-curious'), body: { name: 'Pirate' } }), 404, 'not_found');
    expectProblem(await api('PUT', path, { token: await roles.ars('NAQ'), body: { name: 'ARS' } }), 403, 'forbidden');
  });

  it('lists only its own region to an ARS and every region to national, with filters and pagination', async () => {
    const candidat = await roles.candidat('esms-lists');
    const naq = await create(candidat, { finess: finessIn('24'), name: 'Résidence Les Écureuils', category: '500' });
    const occ = await create(candidat, { finess: finessIn('31'), name: 'MAS du Lauragais', category: '255' });
    const arsNaq = await roles.ars('NAQ');
    const listPath = `/v1/campaigns/${DEFAULT_CAMPAIGN}/applications`;

    const own = await everyPage(`${listPath}?status=brouillon`, arsNaq);
    const ids = own.map((item) => item.id);
    expect(ids).toContain(naq.json.id);
    expect(ids).not.toContain(occ.json.id);
    expect(own.every((item) => item.ars === 'NAQ')).toBe(true);
    expectProblem(await api('GET', `${listPath}?ars=OCC`, { token: arsNaq }), 403, 'forbidden');

    const national = await roles.national();
    const occOnly = await everyPage(`${listPath}?ars=OCC&status=brouillon`, national);
    expect(occOnly.map((item) => item.id)).toContain(occ.json.id);
    expect(occOnly.every((item) => item.ars === 'OCC')).toBe(true);

    const byName = await api('GET', `${listPath}?q=ecureuils`, { token: national });
    expect(byName.json.items.map((item: { id: string }) => item.id)).toEqual([naq.json.id]);
    const f = naq.json.finess as string;
    const byFiness = await api('GET', `${listPath}?q=${encodeURIComponent(`${f.slice(0, 2)} ${f.slice(2, 5)} ${f.slice(5)}`)}`, { token: national });
    expect(byFiness.json.items.map((item: { id: string }) => item.id)).toEqual([naq.json.id]);
    const mas = await api('GET', `${listPath}?category=255&status=brouillon&limit=200`, { token: national });
    expect(mas.json.items.every((item: { category: string; status: string }) => item.category === '255' && item.status === 'brouillon')).toBe(true);

    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { json: { items: { id: string }[]; nextCursor: string | null } } = await api('GET', `${listPath}?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: national });
      expect(page.json.items.length).toBeLessThanOrEqual(2);
      page.json.items.forEach((item) => seen.add(item.id));
      cursor = page.json.nextCursor;
      pages += 1;
    } while (cursor && pages < 500);
    expect(seen.has(naq.json.id) && seen.has(occ.json.id)).toBe(true);
  });
});
