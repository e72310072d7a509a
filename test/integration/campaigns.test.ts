import ICAL from 'ical.js';
import { api, expectProblem, roles, setClock, tableSnapshot, token, expectGatewayNotFound } from './support/stack';

const DEFAULT = 'mes-esms-2023';

const newCampaignBody = (id: string) => ({
  id,
  title: 'Campagne de test des jalons',
  intakeOpensAt: '2030-01-01T00:00:00+01:00',
  intakeClosesAt: '2030-03-01T00:00:00+01:00',
  selectionEndsAt: '2030-04-15T00:00:00+02:00',
  conventionsDueAt: '2030-06-01T00:00:00+02:00',
  experimentationStart: '2030-06-01',
  experimentationEnd: '2030-12-31',
  quotas: { NAQ: 5 },
  targets: { 'mss.usagers': 10 },
});

afterEach(() => setClock(null));

describe('reading campaigns (public)', () => {
  it('serves the default campaign with the calendar of API.md and its phase at the simulated now', async () => {
    await setClock('2023-10-31T23:59:59+01:00');
    const open = await api('GET', `/v1/campaigns/${DEFAULT}`);
    expect(open.status).toBe(200);
    expect(open.json).toMatchObject({
      id: DEFAULT,
      intakeOpensAt: '2023-09-01T00:00:00+02:00',
      intakeClosesAt: '2023-11-01T00:00:00+01:00',
      selectionEndsAt: '2023-12-16T00:00:00+01:00',
      conventionsDueAt: '2024-02-15T00:00:00+01:00',
      experimentationStart: '2024-02-15',
      experimentationEnd: '2024-10-15',
      reportingGraceDays: 15,
      phase: 'candidatures',
    });
    expect(open.headers.get('etag')).toBe(`"${open.json.version}"`);

    await setClock('2023-11-01T00:00:00+01:00');
    expect((await api('GET', `/v1/campaigns/${DEFAULT}`)).json.phase).toBe('selection');
  });

  it.each([
    ['2023-08-31T23:59:00+02:00', 'a_venir'],
    ['2023-12-16T00:00:00+01:00', 'conventionnement'],
    ['2024-02-15T00:00:00+01:00', 'experimentation'],
    ['2024-10-30T23:59:00+01:00', 'experimentation'],
    ['2024-10-31T00:00:00+01:00', 'cloturee'],
  ])('computes the phase at %s as %s', async (now, phase) => {
    await setClock(now);
    expect((await api('GET', `/v1/campaigns/${DEFAULT}`)).json.phase).toBe(phase);
  });

  it('lists campaigns with their phase and a null cursor on the last page', async () => {
    const response = await api('GET', '/v1/campaigns?limit=200');
    expect(response.status).toBe(200);
    expect(response.json.items.map((campaign: { id: string }) => campaign.id)).toContain(DEFAULT);
    expect(response.json.nextCursor).toBeNull();
  });

  it('answers 404 problem+json for an unknown campaign and 400 for a bad limit or cursor', async () => {
    expectProblem(await api('GET', '/v1/campaigns/inconnue'), 404, 'not_found');
    expectProblem(await api('GET', '/v1/campaigns?limit=0'), 400, 'validation_failed');
    expectProblem(await api('GET', '/v1/campaigns?limit=201'), 400, 'validation_failed');
    expectProblem(await api('GET', '/v1/campaigns?cursor=%%%'), 400, 'validation_failed');
  });

  it('publishes the milestones as an iCalendar that a real parser reads back', async () => {
    const response = await api('GET', `/v1/campaigns/${DEFAULT}/calendar.ics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/calendar/);
    expect(response.text).toContain('\r\n');
    const calendar = new ICAL.Component(ICAL.parse(response.text));
    const events = calendar.getAllSubcomponents('vevent').map((vevent) => new ICAL.Event(vevent));
    const byUid = new Map(events.map((event) => [event.uid, event]));
    expect(byUid.get(`${DEFAULT}-intake-closes@mes-pilotes`)?.startDate.toJSDate().toISOString()).toBe('2023-10-31T23:00:00.000Z');
    expect(byUid.get(`${DEFAULT}-intake-closes@mes-pilotes`)?.description).toContain('31 octobre 2023 à 23 h 59 (heure de Paris)');
    expect(byUid.get(`${DEFAULT}-selection-ends@mes-pilotes`)?.startDate.toJSDate().toISOString()).toBe('2023-12-15T23:00:00.000Z');
    const experimentation = byUid.get(`${DEFAULT}-experimentation@mes-pilotes`);
    expect(experimentation?.startDate.isDate).toBe(true);
    expect(experimentation?.startDate.toString()).toBe('2024-02-15');
    expect(experimentation?.endDate.toString()).toBe('2024-10-16');
  });
});

describe('creating a campaign (national)', () => {
  it('creates it with defaults, answers 201 with Location, and refuses the same id again with 409', async () => {
    const national = await roles.national();
    const created = await api('POST', '/v1/campaigns', { token: national, body: newCampaignBody('test-creation-2030') });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/v1/campaigns/test-creation-2030');
    expect(created.json).toMatchObject({ id: 'test-creation-2030', version: 1, reportingGraceDays: 15, fundingPerPilotEur: 20000, quotas: { NAQ: 5 } });
    expect(created.json.indicators).toContain('mss.usagers');
    expect((await api('GET', '/v1/campaigns/test-creation-2030')).status).toBe(200);
    expectProblem(await api('POST', '/v1/campaigns', { token: national, body: newCampaignBody('test-creation-2030') }), 409, 'campaign_exists');
  });

  it('refuses anonymous (401), candidates and ARS (403), writing nothing', async () => {
    const before = await tableSnapshot();
    const body = newCampaignBody('test-refused-roles');
    expectProblem(await api('POST', '/v1/campaigns', { body }), 401, 'unauthenticated');
    expectProblem(await api('POST', '/v1/campaigns', { body, token: 'not.a.jwt' }), 401, 'unauthenticated');
    expectProblem(await api('POST', '/v1/campaigns', { body, token: await roles.candidat('someone') }), 403, 'forbidden');
    expectProblem(await api('POST', '/v1/campaigns', { body, token: await roles.ars('NAQ') }), 403, 'forbidden');
    expect(await tableSnapshot()).toBe(before);
  });

  it('refuses bad input with the problem of API.md and writes nothing', async () => {
    const national = await roles.national();
    const before = await tableSnapshot();
    const valid = newCampaignBody('test-bad-input');
    expectProblem(await api('POST', '/v1/campaigns', { token: national, rawBody: '{"id": "x",' }), 400, 'validation_failed');
    expectProblem(await api('POST', '/v1/campaigns', { token: national, rawBody: JSON.stringify(valid), headers: { 'content-type': 'text/plain' } }), 415, 'unsupported_media_type');
    expectProblem(await api('POST', '/v1/campaigns', { token: national, rawBody: JSON.stringify({ ...valid, title: 'x'.repeat(300 * 1024) }) }), 413, 'payload_too_large');

    const unknownField = await api('POST', '/v1/campaigns', { token: national, body: { ...valid, surprise: true } });
    expectProblem(unknownField, 400, 'validation_failed');
    expect(unknownField.json.errors).toContainEqual({ path: 'surprise', message: 'Champ inconnu' });

    const noOffset = await api('POST', '/v1/campaigns', { token: national, body: { ...valid, intakeClosesAt: '2030-03-01T00:00:00' } });
    expectProblem(noOffset, 400, 'validation_failed');
    expect(noOffset.json.errors.map((error: { path: string }) => error.path)).toEqual(['intakeClosesAt']);

    const disordered = await api('POST', '/v1/campaigns', { token: national, body: { ...valid, selectionEndsAt: '2030-02-01T00:00:00+01:00' } });
    expectProblem(disordered, 400, 'validation_failed');
    expect(disordered.json.errors.map((error: { path: string }) => error.path)).toContain('selectionEndsAt');

    const wrongTypes = await api('POST', '/v1/campaigns', { token: national, body: { ...valid, quotas: { NAQ: 'cinq', XYZ: 1 }, reportingGraceDays: 1.5 } });
    expectProblem(wrongTypes, 400, 'validation_failed');
    expectProblem(await api('POST', '/v1/campaigns', { token: national, body: { ...valid, targets: { 'inconnu.code': 3 }, indicators: ['mss.usagers'] } }), 400, 'validation_failed');
    expectProblem(await api('POST', '/v1/campaigns', { token: national, body: { ...valid, title: 'x'.repeat(100_000) } }), 400, 'validation_failed');
    expectProblem(await api('POST', '/v1/campaigns', { token: national, body: [valid] }), 400, 'validation_failed');
    expectProblem(await api('POST', '/v1/campaigns', { token: national }), 400, 'validation_failed');
    expect(await tableSnapshot()).toBe(before);
  });
});

describe('moving milestones (national)', () => {
  it('moves a milestone still ahead, bumps the version and honours If-Match', async () => {
    const national = await roles.national();
    await api('POST', '/v1/campaigns', { token: national, body: newCampaignBody('test-patch-2030') });
    await setClock('2030-02-15T12:00:00+01:00');
    const moved = await api('PATCH', '/v1/campaigns/test-patch-2030', { token: national, body: { intakeClosesAt: '2030-03-08T00:00:00+01:00' }, headers: { 'if-match': '"1"' } });
    expect(moved.status).toBe(200);
    expect(moved.json).toMatchObject({ intakeClosesAt: '2030-03-08T00:00:00+01:00', version: 2, phase: 'candidatures' });
    expect(moved.headers.get('etag')).toBe('"2"');

    const stale = await api('PATCH', '/v1/campaigns/test-patch-2030', { token: national, body: { title: 'Nouveau titre' }, headers: { 'if-match': '"1"' } });
    expectProblem(stale, 412, 'version_conflict');
  });

  it('refuses to move a milestone already passed, or to the past, with 409 milestone_passed and changes nothing', async () => {
    const national = await roles.national();
    await api('POST', '/v1/campaigns', { token: national, body: newCampaignBody('test-passed-2030') });
    await setClock('2030-03-10T09:00:00+01:00');
    const before = await tableSnapshot();
    const passed = await api('PATCH', '/v1/campaigns/test-passed-2030', { token: national, body: { intakeClosesAt: '2030-03-20T00:00:00+01:00' } });
    expectProblem(passed, 409, 'milestone_passed');
    expect(passed.json.detail).toContain("jusqu'au 28 février 2030 à 23 h 59 (heure de Paris)");
    expectProblem(await api('PATCH', '/v1/campaigns/test-passed-2030', { token: national, body: { selectionEndsAt: '2030-03-09T00:00:00+01:00' } }), 409, 'milestone_passed');
    expectProblem(await api('PATCH', '/v1/campaigns/test-passed-2030', { token: national, body: {} }), 400, 'validation_failed');
    expectProblem(await api('PATCH', '/v1/campaigns/test-passed-2030', { token: await roles.ars('NAQ'), body: { title: 'ARS' } }), 403, 'forbidden');
    expectProblem(await api('PATCH', '/v1/campaigns/absente', { token: national, body: { title: 'Absente' } }), 404, 'not_found');
    expect(await tableSnapshot()).toBe(before);
  });
});

describe('the local stack', () => {
  it("mints tokens only for known groups and answers unknown routes with API Gateway's own 404", async () => {
    expectProblem(await api('POST', '/local/token', { body: { sub: 'x', groups: ['admin'] } }), 400, 'validation_failed');
    expect(await token({ sub: 'dui-local-a', clientId: 'dui-local-a', scope: 'usage/write' })).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expectGatewayNotFound(await api('GET', '/v1/nothing-here'));
    expectGatewayNotFound(await api('DELETE', '/v1/campaigns/mes-esms-2023'));
  });

  it('mints machine tokens only for the clients of the deployment\'s DUI vendors, as Cognito has no other', async () => {
    expect(await token({ sub: 'dui-local-b', clientId: 'dui-local-b', scope: 'usage/write' })).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    for (const clientId of ['dui-editeur-1', 'mes-pilotes-web-x', 'DUI-LOCAL-A']) {
      const refused = await api('POST', '/local/token', { body: { sub: clientId, clientId, scope: 'usage/write' } });
      expectProblem(refused, 400, 'validation_failed');
      expect(refused.json.errors).toEqual([{ path: 'clientId', message: expect.any(String) }]);
    }
  });

  it('runs the milestone function at the simulated now, for one campaign', async () => {
    await setClock('2030-03-01T00:00:00+01:00');
    const run = (await api('POST', '/local/milestones/run', { body: { campaignId: 'test-creation-2030' } })).json;
    expect(run.at).toBe('2030-03-01T00:00:00+01:00');
    expect(run.campaigns).toEqual([expect.objectContaining({ id: 'test-creation-2030', phase: 'selection', steps: ['instruction_ouverte'] })]);
    expectProblem(await api('POST', '/local/milestones/run', { body: { campaignId: 42 } }), 400, 'validation_failed');
  });
});
