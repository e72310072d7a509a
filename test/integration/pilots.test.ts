import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { api, dynamo, expectProblem, roles, setClock, stack, tableSnapshot } from './support/stack';
import { createCampaign, createPilots, type TestCampaign, type TestPilot } from './support/pilot-flow';
import { finessIn } from './support/fixtures';

let campaign: TestCampaign;
let bordeaux: TestPilot;
let limoges: TestPilot;
let montpellier: TestPilot;
let waiting: TestPilot;

beforeAll(async () => {
  campaign = await createCampaign({ year: 2034 });
  const created = await createPilots(campaign, [{ department: '33' }, { department: '87' }, { department: '34' }, { department: '24', signatures: 'esms' }]);
  [bordeaux, limoges, montpellier, waiting] = [created[0]!, created[1]!, created[2]!, created[3]!];
});
beforeEach(() => setClock('2034-04-15T10:00:00+02:00'));
afterAll(() => setClock(null));

const finessesOf = (response: { json: { items: { finess: string }[] } }) => response.json.items.map((item) => item.finess).sort();

describe('the pilots of a campaign', () => {
  it('lists the signed conventions only: an ARS its own region, national any region', async () => {
    const naq = await api('GET', `/v1/campaigns/${campaign.id}/pilots`, { token: await roles.ars('NAQ') });
    expect(naq.status).toBe(200);
    expect(finessesOf(naq)).toEqual([bordeaux.finess, limoges.finess].sort());
    expect(naq.json.items.find((item: { finess: string }) => item.finess === bordeaux.finess)).toMatchObject({
      campaignId: campaign.id,
      ars: 'NAQ',
      applicationId: bordeaux.applicationId,
      conventionId: bordeaux.conventionId,
      amountEur: 20_000,
      firstInstalmentEur: 10_000,
      reportingClients: [],
    });

    const national = await api('GET', `/v1/campaigns/${campaign.id}/pilots`, { token: await roles.national() });
    expect(finessesOf(national)).toEqual([bordeaux.finess, limoges.finess, montpellier.finess].sort());
    expect(finessesOf(await api('GET', `/v1/campaigns/${campaign.id}/pilots?ars=OCC`, { token: await roles.national() }))).toEqual([montpellier.finess]);
    expect(national.json.items.map((item: { finess: string }) => item.finess)).not.toContain(waiting.finess);
  });

  it('pages with limit and cursor', async () => {
    const national = await roles.national();
    const first = await api('GET', `/v1/campaigns/${campaign.id}/pilots?limit=2`, { token: national });
    expect(first.json.items).toHaveLength(2);
    const second = await api('GET', `/v1/campaigns/${campaign.id}/pilots?limit=2&cursor=${first.json.nextCursor}`, { token: national });
    expect([...finessesOf(first), ...finessesOf(second)].sort()).toEqual([bordeaux.finess, limoges.finess, montpellier.finess].sort());
  });

  it('keeps an ARS out of other regions and applicants out altogether', async () => {
    expectProblem(await api('GET', `/v1/campaigns/${campaign.id}/pilots?ars=OCC`, { token: await roles.ars('NAQ') }), 403, 'forbidden');
    expectProblem(await api('GET', `/v1/campaigns/${campaign.id}/pilots`, { token: bordeaux.ownerToken }), 403, 'forbidden');
    expectProblem(await api('GET', '/v1/campaigns/inconnue-2034/pilots', { token: await roles.national() }), 404, 'not_found');
  });
});

describe('registering a reporting client', () => {
  it("lets the region's ARS authorise a client once, recording who and when", async () => {
    const arsNaq = await roles.ars('NAQ');
    const registered = await api('POST', `/v1/campaigns/${campaign.id}/pilots/${bordeaux.finess}/reporting-clients`, { token: arsNaq, body: { clientId: 'dui-local-a' } });
    expect(registered.status).toBe(201);
    expect(registered.json).toMatchObject({ finess: bordeaux.finess, reportingClients: ['dui-local-a'] });
    const record = await dynamo.send(new GetCommand({ TableName: stack.tableName, Key: { pk: 'CLIENT#dui-local-a', sk: `PILOT#${bordeaux.finess}#${campaign.id}` } }));
    expect(record.Item).toMatchObject({ finess: bordeaux.finess, campaignId: campaign.id, ars: 'NAQ', registeredAt: '2034-04-15T10:00:00+02:00', registeredBy: 'ars-NAQ:ars-naq-1' });

    const before = await tableSnapshot();
    const again = await api('POST', `/v1/campaigns/${campaign.id}/pilots/${bordeaux.finess}/reporting-clients`, { token: arsNaq, body: { clientId: 'dui-local-a' } });
    expect(again.status).toBe(200);
    expect(again.json.reportingClients).toEqual(['dui-local-a']);
    expect(await tableSnapshot()).toBe(before);

    const national = await api('POST', `/v1/campaigns/${campaign.id}/pilots/${bordeaux.finess}/reporting-clients`, { token: await roles.national(), body: { clientId: 'dui-local-b' } });
    expect(national.json.reportingClients).toEqual(['dui-local-a', 'dui-local-b']);
  });

  it('answers a retry with the same Idempotency-Key with the first response', async () => {
    const arsNaq = await roles.ars('NAQ');
    const send = () => api('POST', `/v1/campaigns/${campaign.id}/pilots/${limoges.finess}/reporting-clients`, { token: arsNaq, body: { clientId: 'dui-local-a' }, headers: { 'idempotency-key': `reg-${campaign.id}` } });
    const first = await send();
    expect(first.status).toBe(201);
    const replay = await send();
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
  });

  it('refuses other regions, applicants, malformed ids, clients of no vendor and ESMS that are not pilots, writing nothing', async () => {
    const before = await tableSnapshot();
    expectProblem(await api('POST', `/v1/campaigns/${campaign.id}/pilots/${montpellier.finess}/reporting-clients`, { token: await roles.ars('NAQ'), body: { clientId: 'dui-local-a' } }), 404, 'not_found');
    expectProblem(await api('POST', `/v1/campaigns/${campaign.id}/pilots/${bordeaux.finess}/reporting-clients`, { token: bordeaux.ownerToken, body: { clientId: 'dui-local-a' } }), 403, 'forbidden');
    const malformed = await api('POST', `/v1/campaigns/${campaign.id}/pilots/${bordeaux.finess}/reporting-clients`, { token: await roles.ars('NAQ'), body: { clientId: 'dui x/../' } });
    expectProblem(malformed, 400, 'validation_failed');
    expect(malformed.json.errors[0].path).toBe('clientId');
    // Well formed, but no vendor of this deployment has that client: it could never report.
    const unknown = await api('POST', `/v1/campaigns/${campaign.id}/pilots/${bordeaux.finess}/reporting-clients`, { token: await roles.ars('NAQ'), body: { clientId: 'dui-editeur-1' } });
    expectProblem(unknown, 400, 'validation_failed');
    expect(unknown.json.errors).toEqual([{ path: 'clientId', message: expect.any(String) }]);
    expectProblem(await api('POST', `/v1/campaigns/${campaign.id}/pilots/${bordeaux.finess}/reporting-clients`, { token: await roles.ars('NAQ'), body: { clientId: 'dui-local-a', scope: 'admin' } }), 400, 'validation_failed');
    expectProblem(await api('POST', `/v1/campaigns/${campaign.id}/pilots/${waiting.finess}/reporting-clients`, { token: await roles.ars('NAQ'), body: { clientId: 'dui-local-a' } }), 404, 'not_found');
    expectProblem(await api('POST', `/v1/campaigns/${campaign.id}/pilots/${finessIn('33')}/reporting-clients`, { token: await roles.ars('NAQ'), body: { clientId: 'dui-local-a' } }), 404, 'not_found');
    expect(await tableSnapshot()).toBe(before);
  });
});
