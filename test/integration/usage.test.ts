import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { api, dynamo, expectProblem, roles, setClock, stack, tableSnapshot } from './support/stack';
import { createCampaign, createPilots, machineToken, registerClient, type TestCampaign, type TestPilot } from './support/pilot-flow';

let campaign: TestCampaign;
let pilot: TestPilot;
let other: TestPilot;
let unsigned: TestPilot;

const REPORTING = '2031-06-10T09:30:00+02:00';

beforeAll(async () => {
  campaign = await createCampaign({ year: 2031, targets: { 'mss.usagers': 30, 'docs_dmp.74207-2': 5 }, fundingPerPilotEur: 20_000 });
  const created = await createPilots(campaign, [{ department: '33', name: 'EHPAD Les Tilleuls' }, { department: '31' }, { department: '87', signatures: 'esms' }]);
  [pilot, other, unsigned] = [created[0]!, created[1]!, created[2]!];
});
beforeEach(() => setClock(REPORTING));
afterAll(() => setClock(null));

const put = (tokenValue: string, finess: string, month: string, indicators: unknown, headers: Record<string, string> = {}) =>
  api('PUT', `/v1/campaigns/${campaign.id}/pilots/${finess}/usage/${month}`, { token: tokenValue, body: { indicators }, headers });

const storedMonth = async (finess: string, month: string) =>
  (await dynamo.send(new GetCommand({ TableName: stack.tableName, Key: { pk: `PILOT#${finess}`, sk: `USAGE#${campaign.id}#${month}` } }))).Item;

describe('a pilot reports its monthly figures', () => {
  it('lets the owner report a month, then replace it, keeping who and when of the replaced figures', async () => {
    const first = await put(pilot.ownerToken, pilot.finess, '2031-04', { 'mss.usagers': 12, 'docs_dmp.74207-2': 2 });
    expect(first.status).toBe(201);
    expect(first.headers.get('etag')).toBe('"1"');
    expect(first.json).toMatchObject({ finess: pilot.finess, campaignId: campaign.id, month: '2031-04', version: 1, indicators: { 'mss.usagers': 12, 'docs_dmp.74207-2': 2 }, reportedBy: `candidat:${pilot.ownerSub}`, reportedAt: REPORTING });

    await setClock('2031-06-12T08:00:00+02:00');
    const corrected = await put(pilot.ownerToken, pilot.finess, '2031-04', { 'mss.usagers': 15 }, { 'if-match': '"1"' });
    expect(corrected.status).toBe(200);
    expect(corrected.json).toMatchObject({ version: 2, indicators: { 'mss.usagers': 15 } });
    expect(corrected.json.corrections).toEqual([expect.objectContaining({ version: 2, from: { 'mss.usagers': 12, 'docs_dmp.74207-2': 2 }, to: { 'mss.usagers': 15 } })]);

    const stored = await storedMonth(pilot.finess, '2031-04');
    expect(stored).toMatchObject({ version: 2, indicators: { 'mss.usagers': 15 }, ars: 'NAQ' });
    const history = await dynamo.send(
      new QueryCommand({
        TableName: stack.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': `PILOT#${pilot.finess}`, ':prefix': `USAGEHIST#${campaign.id}#2031-04#` },
      }),
    );
    expect(history.Items).toHaveLength(1);
    expect(history.Items![0]).toMatchObject({
      version: 2,
      at: '2031-06-12T08:00:00+02:00',
      actor: `candidat:${pilot.ownerSub}`,
      from: { 'mss.usagers': 12, 'docs_dmp.74207-2': 2 },
      to: { 'mss.usagers': 15 },
      replacedReportedAt: REPORTING,
      replacedReportedBy: `candidat:${pilot.ownerSub}`,
    });

    const usage = await api('GET', `/v1/campaigns/${campaign.id}/pilots/${pilot.finess}/usage`, { token: pilot.ownerToken });
    expect(usage.status).toBe(200);
    expect(usage.json.months).toHaveLength(1);
    expect(usage.json.months[0].corrections).toEqual([
      expect.objectContaining({ version: 2, from: { 'mss.usagers': 12, 'docs_dmp.74207-2': 2 }, to: { 'mss.usagers': 15 }, actor: `candidat:${pilot.ownerSub}` }),
    ]);
  });

  it('writes nothing when the same figures are sent again, and refuses a stale If-Match with 412', async () => {
    await put(pilot.ownerToken, pilot.finess, '2031-05', { 'mss.usagers': 4 });
    const before = await tableSnapshot();
    const again = await put(pilot.ownerToken, pilot.finess, '2031-05', { 'mss.usagers': 4 });
    expect(again.status).toBe(200);
    expect(again.json.version).toBe(1);
    expectProblem(await put(pilot.ownerToken, pilot.finess, '2031-05', { 'mss.usagers': 5 }, { 'if-match': '"7"' }), 412, 'version_conflict');
    expect(await tableSnapshot()).toBe(before);
  });
});

describe('a registered DUI client reports for its pilot and no other', () => {
  it('is refused before registration, accepted after, and never for another pilot', async () => {
    // A vendor's client that can exist (infra/lib/dui-vendors.ts), not yet registered for this file's pilots.
    const clientId = 'dui-local-b';
    const client = await machineToken(clientId);
    const before = await tableSnapshot();
    expectProblem(await put(client, other.finess, '2031-05', { 'mss.usagers': 3 }), 404, 'not_found');
    expect(await tableSnapshot()).toBe(before);

    await registerClient(other, clientId);
    const registered = await api('GET', `/v1/campaigns/${campaign.id}/pilots?ars=OCC`, { token: await roles.ars('OCC') });
    expect(registered.json.items.find((item: { finess: string }) => item.finess === other.finess).reportingClients).toEqual([clientId]);

    const accepted = await put(client, other.finess, '2031-05', { 'mss.usagers': 3 });
    expect(accepted.status).toBe(201);
    expect(accepted.json.reportedBy).toBe(`client:${clientId}`);

    const snapshot = await tableSnapshot();
    expectProblem(await put(client, pilot.finess, '2031-05', { 'mss.usagers': 99 }), 404, 'not_found');
    expect(await tableSnapshot()).toBe(snapshot);
  });
});

describe('window rules', () => {
  it('refuses a month outside the experimentation, a month not begun, and anything after reporting closes', async () => {
    const before = await tableSnapshot();
    const march = await put(pilot.ownerToken, pilot.finess, '2031-03', { 'mss.usagers': 1 });
    expectProblem(march, 409, 'period_outside_experimentation');
    expect(march.json.detail).toContain('mars 2031');
    expectProblem(await put(pilot.ownerToken, pilot.finess, '2031-09', { 'mss.usagers': 1 }), 409, 'period_outside_experimentation');
    expectProblem(await put(pilot.ownerToken, pilot.finess, '2031-07', { 'mss.usagers': 1 }), 409, 'period_outside_experimentation');

    await setClock(campaign.reportingClosed);
    const closed = await put(pilot.ownerToken, pilot.finess, '2031-08', { 'mss.usagers': 1 });
    expectProblem(closed, 409, 'reporting_closed');
    expect(closed.json.detail).toContain('30 août 2031 à 23 h 59 (heure de Paris)');
    expect(await tableSnapshot()).toBe(before);

    await setClock(campaign.lastReportingInstant);
    expect((await put(pilot.ownerToken, pilot.finess, '2031-08', { 'mss.usagers': 1 })).status).toBe(201);
  });

  it('answers a retained ESMS whose convention the ARS has not signed yet as for any FINESS that is not a pilot (404)', async () => {
    const before = await tableSnapshot();
    expectProblem(await put(unsigned.ownerToken, unsigned.finess, '2031-05', { 'mss.usagers': 1 }), 404, 'not_found');
    expect(await tableSnapshot()).toBe(before);
  });
});

describe('figures are aggregate counts with the campaign indicators', () => {
  it.each([
    ['an unknown code', { 'ins.noms_patients': 3 }, 'indicators.ins.noms_patients'],
    ['a decimal', { 'mss.usagers': 2.5 }, 'indicators.mss.usagers'],
    ['a negative count', { 'mss.usagers': -1 }, 'indicators.mss.usagers'],
    ['a count over 1,000,000', { 'mss.usagers': 1_000_001 }, 'indicators.mss.usagers'],
    ['text instead of a count', { 'mss.usagers': '12' }, 'indicators.mss.usagers'],
    ['no indicator at all', {}, 'indicators'],
  ])('refuses %s, naming the field, and writes nothing', async (_, indicators, path) => {
    const before = await tableSnapshot();
    const refused = await put(pilot.ownerToken, pilot.finess, '2031-05', indicators);
    expectProblem(refused, 400, 'validation_failed');
    expect(refused.json.errors.map((error: { path: string }) => error.path)).toContain(path);
    expect(await tableSnapshot()).toBe(before);
  });

  it('refuses patient-level fields anywhere in the body', async () => {
    const before = await tableSnapshot();
    const refused = await api('PUT', `/v1/campaigns/${campaign.id}/pilots/${pilot.finess}/usage/2031-05`, { token: pilot.ownerToken, body: { indicators: { 'mss.usagers': 1 }, ins: '1234567890123', patients: ['Jeanne Dupont'] } });
    expectProblem(refused, 400, 'validation_failed');
    expect(refused.json.errors.map((error: { path: string }) => error.path).sort()).toEqual(['ins', 'patients']);
    expect(await tableSnapshot()).toBe(before);
  });

  it('accepts exactly 0 and 1,000,000', async () => {
    const accepted = await put(pilot.ownerToken, pilot.finess, '2031-06', { 'mss.usagers': 0, 'mss.professionnels': 1_000_000 });
    expect(accepted.status).toBe(201);
  });

  it('refuses a malformed month or FINESS in the path', async () => {
    expectProblem(await put(pilot.ownerToken, pilot.finess, '2031-13', { 'mss.usagers': 1 }), 400, 'validation_failed');
    expectProblem(await put(pilot.ownerToken, '123', '2031-05', { 'mss.usagers': 1 }), 400, 'finess_invalid');
  });
});

describe('who sees a pilot\'s usage', () => {
  it('shows it to the owner, the ARS of its region and national, and hides it from other regions and applicants', async () => {
    expect((await api('GET', `/v1/campaigns/${campaign.id}/pilots/${pilot.finess}/usage`, { token: await roles.ars('NAQ') })).status).toBe(200);
    expect((await api('GET', `/v1/campaigns/${campaign.id}/pilots/${pilot.finess}/usage`, { token: await roles.national() })).status).toBe(200);
    expectProblem(await api('GET', `/v1/campaigns/${campaign.id}/pilots/${pilot.finess}/usage`, { token: await roles.ars('OCC') }), 404, 'not_found');
    expectProblem(await api('GET', `/v1/campaigns/${campaign.id}/pilots/${pilot.finess}/usage`, { token: other.ownerToken }), 404, 'not_found');
  });

  it('does not let the ARS report in the pilot\'s place', async () => {
    expectProblem(await put(await roles.ars('NAQ'), pilot.finess, '2031-05', { 'mss.usagers': 1 }), 403, 'forbidden');
  });
});
