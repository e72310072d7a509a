import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { api, dynamo, expectProblem, roles, setClock, stack, tableSnapshot } from './support/stack';
import { createCampaign, createPilots, machineToken, registerClient, type TestCampaign, type TestPilot } from './support/pilot-flow';
import { finessIn } from './support/fixtures';

let campaign: TestCampaign;
let naq: TestPilot;
let occ: TestPilot;
let foreign: TestPilot;
let client: string;
// The local stack's two DUI vendors (infra/lib/dui-vendors.ts): each its own machine client, as in AWS.
const CLIENT_ID = 'dui-local-a';
const VENDOR_B = 'dui-local-b';

const REPORTING = '2033-07-04T11:00:00+02:00';

beforeAll(async () => {
  campaign = await createCampaign({ year: 2033, targets: { 'mss.usagers': 10 } });
  const created = await createPilots(campaign, [{ department: '64' }, { department: '34' }, { department: '75' }]);
  [naq, occ, foreign] = [created[0]!, created[1]!, created[2]!];
  await registerClient(naq, CLIENT_ID);
  await registerClient(occ, CLIENT_ID);
  client = await machineToken(CLIENT_ID);
});
beforeEach(() => setClock(REPORTING));
afterAll(() => setClock(null));

const send = (body: unknown, headers: Record<string, string> = {}, tokenValue = client) => api('POST', '/v1/usage-reports', { token: tokenValue, body, headers });

const stored = async (finess: string, month: string) =>
  (await dynamo.send(new GetCommand({ TableName: stack.tableName, Key: { pk: `PILOT#${finess}`, sk: `USAGE#${campaign.id}#${month}` } }))).Item;

describe('the DUI batch', () => {
  it('accepts or refuses each report on its own, writes only the accepted ones and says why for the others', async () => {
    const response = await send({
      campaignId: campaign.id,
      reports: [
        { finess: naq.finess, month: '2033-04', indicators: { 'mss.usagers': 4, 'bal.nominatives': 7 } },
        { finess: occ.finess, month: '2033-04', indicators: { 'mss.usagers': 2 } },
        { finess: foreign.finess, month: '2033-04', indicators: { 'mss.usagers': 9 } },
        { finess: naq.finess, month: '2033-03', indicators: { 'mss.usagers': 1 } },
        { finess: occ.finess, month: '2033-05', indicators: { 'mss.usagers': -2 } },
        { finess: naq.finess, month: '2033-05', indicators: { 'inconnu.code': 1 } },
        { finess: finessIn('33'), month: '2033-05', indicators: { 'mss.usagers': 1 } },
        { finess: naq.finess, month: '2033-04', indicators: { 'mss.usagers': 5 } },
        { finess: occ.finess, month: '2033-05', indicators: { 'mss.usagers': 1 }, patient: 'Jeanne Dupont' },
        { finess: naq.finess, month: '2033-08', indicators: { 'mss.usagers': 1 } },
        'pas un objet',
      ],
    });
    expect(response.status).toBe(200);
    expect(response.json.results.map((result: { index: number; status: string; code?: string }) => [result.index, result.status, result.code])).toEqual([
      [0, 'acceptee', undefined],
      [1, 'acceptee', undefined],
      [2, 'refusee', 'not_found'],
      [3, 'refusee', 'period_outside_experimentation'],
      [4, 'refusee', 'validation_failed'],
      [5, 'refusee', 'validation_failed'],
      [6, 'refusee', 'not_found'],
      [7, 'refusee', 'validation_failed'],
      [8, 'refusee', 'validation_failed'],
      [9, 'refusee', 'period_outside_experimentation'],
      [10, 'refusee', 'validation_failed'],
    ]);
    expect(response.json).toMatchObject({ accepted: 2, refused: 9 });
    expect(response.json.results[4].errors).toEqual([expect.objectContaining({ path: 'indicators.mss.usagers' })]);
    expect(response.json.results[5].errors).toEqual([expect.objectContaining({ path: 'indicators.inconnu.code' })]);
    expect(response.json.results[8].errors).toEqual([expect.objectContaining({ path: 'patient' })]);

    expect(await stored(naq.finess, '2033-04')).toMatchObject({ version: 1, indicators: { 'mss.usagers': 4, 'bal.nominatives': 7 }, reportedBy: `client:${CLIENT_ID}` });
    expect(await stored(occ.finess, '2033-04')).toMatchObject({ version: 1, indicators: { 'mss.usagers': 2 } });
    for (const [finess, month] of [[foreign.finess, '2033-04'], [naq.finess, '2033-03'], [occ.finess, '2033-05'], [naq.finess, '2033-05'], [naq.finess, '2033-08']] as const) {
      expect(await stored(finess, month)).toBeUndefined();
    }
  });

  it('replaces figures already reported, keeping the replaced ones in the history', async () => {
    await send({ campaignId: campaign.id, reports: [{ finess: occ.finess, month: '2033-06', indicators: { 'mss.usagers': 3 } }] });
    const corrected = await send({ campaignId: campaign.id, reports: [{ finess: occ.finess, month: '2033-06', indicators: { 'mss.usagers': 8 } }] });
    expect(corrected.json.results).toEqual([expect.objectContaining({ status: 'acceptee', version: 2, unchanged: false })]);
    const usage = await api('GET', `/v1/campaigns/${campaign.id}/pilots/${occ.finess}/usage`, { token: client });
    const june = usage.json.months.find((month: { month: string }) => month.month === '2033-06');
    expect(june).toMatchObject({ version: 2, indicators: { 'mss.usagers': 8 } });
    expect(june.corrections).toEqual([expect.objectContaining({ version: 2, from: { 'mss.usagers': 3 }, to: { 'mss.usagers': 8 }, actor: `client:${CLIENT_ID}` })]);
  });

  it('changes nothing when a call is retried with the same Idempotency-Key, nor when the same figures come again', async () => {
    const body = { campaignId: campaign.id, reports: [{ finess: naq.finess, month: '2033-06', indicators: { 'mss.usagers': 6 } }] };
    const first = await send(body, { 'idempotency-key': `retry-${campaign.id}` });
    expect(first.json.results[0]).toMatchObject({ status: 'acceptee', version: 1 });
    const before = await tableSnapshot();
    const replay = await send(body, { 'idempotency-key': `retry-${campaign.id}` });
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.json).toEqual(first.json);
    const resent = await send(body);
    expect(resent.json.results[0]).toMatchObject({ status: 'acceptee', version: 1, unchanged: true });
    expect(await tableSnapshot()).toBe(before);

    expectProblem(await send({ campaignId: campaign.id, reports: [{ finess: naq.finess, month: '2033-06', indicators: { 'mss.usagers': 7 } }] }, { 'idempotency-key': `retry-${campaign.id}` }), 409, 'idempotency_key_reused');
  });

  it('refuses a second report for the same FINESS and month within one call', async () => {
    const response = await send({
      campaignId: campaign.id,
      reports: [
        { finess: naq.finess, month: '2033-05', indicators: { 'mss.usagers': 1 } },
        { finess: naq.finess, month: '2033-05', indicators: { 'mss.usagers': 2 } },
      ],
    });
    expect(response.json.results.map((result: { status: string }) => result.status)).toEqual(['acceptee', 'refusee']);
    expect((await stored(naq.finess, '2033-05'))?.indicators).toEqual({ 'mss.usagers': 1 });
  });
});

describe('bad input and scale limits, nothing written', () => {
  const reportsFor = (count: number) => Array.from({ length: count }, (_, index) => ({ finess: index % 2 ? naq.finess : occ.finess, month: '2033-07', indicators: { 'mss.professionnels': index } }));

  it('refuses 501 reports in one call', async () => {
    const before = await tableSnapshot();
    const refused = await send({ campaignId: campaign.id, reports: reportsFor(501) });
    expectProblem(refused, 400, 'validation_failed');
    expect(refused.json.errors).toEqual([expect.objectContaining({ path: 'reports' })]);
    expect(await tableSnapshot()).toBe(before);
  });

  it('refuses a body over 256 KiB with 413', async () => {
    const before = await tableSnapshot();
    const padded = JSON.stringify({ campaignId: campaign.id, reports: [{ finess: naq.finess, month: '2033-07', indicators: { 'mss.usagers': 1 } }], padding: 'x'.repeat(256 * 1024) });
    expectProblem(await api('POST', '/v1/usage-reports', { token: client, rawBody: padded }), 413, 'payload_too_large');
    expect(await tableSnapshot()).toBe(before);
  });

  it.each([
    ['malformed JSON', '{"reports": [', 400, 'validation_failed'],
    ['no reports', '{"reports": []}', 400, 'validation_failed'],
    ['an unknown top-level field', '{"reports": [], "ins": "1"}', 400, 'validation_failed'],
    ['an array body', '[]', 400, 'validation_failed'],
  ])('refuses %s', async (_, rawBody, status, code) => {
    const before = await tableSnapshot();
    expectProblem(await api('POST', '/v1/usage-reports', { token: client, rawBody }), status, code);
    expect(await tableSnapshot()).toBe(before);
  });

  it('refuses callers without the usage/write scope, and people', async () => {
    const before = await tableSnapshot();
    const body = { campaignId: campaign.id, reports: [{ finess: naq.finess, month: '2033-07', indicators: { 'mss.usagers': 1 } }] };
    expectProblem(await send(body, {}, await machineToken(CLIENT_ID, 'usage/read')), 403, 'forbidden');
    expectProblem(await send(body, {}, naq.ownerToken), 403, 'forbidden');
    expectProblem(await send(body, {}, await roles.national()), 403, 'forbidden');
    expect(await tableSnapshot()).toBe(before);
  });

  it('refuses every report after reporting closes', async () => {
    await setClock(campaign.reportingClosed);
    const before = await tableSnapshot();
    const response = await send({ campaignId: campaign.id, reports: ['2033-07', '2033-08'].flatMap((month) => [naq, occ].map((pilot) => ({ finess: pilot.finess, month, indicators: { 'mss.usagers': 1 } }))) });
    expect(response.json.results.map((result: { code: string }) => result.code)).toEqual(['reporting_closed', 'reporting_closed', 'reporting_closed', 'reporting_closed']);
    expect(await tableSnapshot()).toBe(before);
  });

  it('takes exactly 500 reports in one call, each judged on its own', async () => {
    const months = ['2033-04', '2033-05', '2033-06', '2033-07'];
    const reports = Array.from({ length: 500 }, (_, index) => ({ finess: index % 2 ? naq.finess : occ.finess, month: months[Math.floor(index / 2) % 4]!, indicators: { 'mss.professionnels': 1000 + index } }));
    const response = await send({ campaignId: campaign.id, reports });
    expect(response.status).toBe(200);
    expect(response.json.results).toHaveLength(500);
    // Eight distinct (FINESS, month) pairs: the first report of each is taken, the repeats are refused.
    expect(response.json.accepted).toBe(8);
    expect(response.json.results.slice(8).every((result: { code?: string }) => result.code === 'validation_failed')).toBe(true);
    expect((await stored(occ.finess, '2033-07'))?.indicators).toEqual({ 'mss.professionnels': 1006 });
  });
});

describe('two DUI vendors', () => {
  it('each reports only for the pilots registered for its own client: vendor A is refused for vendor B\'s pilot', async () => {
    await registerClient(foreign, VENDOR_B);
    const vendorB = await machineToken(VENDOR_B);
    const figures = { 'mss.usagers': 6 };

    const before = await tableSnapshot();
    const byA = await send({ campaignId: campaign.id, reports: [{ finess: foreign.finess, month: '2033-06', indicators: figures }] });
    expect(byA.status).toBe(200);
    expect(byA.json.results).toEqual([expect.objectContaining({ index: 0, status: 'refusee', code: 'not_found' })]);
    expectProblem(await api('PUT', `/v1/campaigns/${campaign.id}/pilots/${foreign.finess}/usage/2033-06`, { token: client, body: { indicators: figures } }), 404, 'not_found');
    expectProblem(await api('GET', `/v1/campaigns/${campaign.id}/pilots/${foreign.finess}/usage`, { token: client }), 404, 'not_found');
    expect(await tableSnapshot()).toBe(before);

    const byB = await send({ campaignId: campaign.id, reports: [{ finess: foreign.finess, month: '2033-06', indicators: figures }, { finess: naq.finess, month: '2033-06', indicators: { 'mss.usagers': 1 } }] }, {}, vendorB);
    expect(byB.json.results.map((result: { status: string; code?: string }) => [result.status, result.code])).toEqual([['acceptee', undefined], ['refusee', 'not_found']]);
    const put = await api('PUT', `/v1/campaigns/${campaign.id}/pilots/${foreign.finess}/usage/2033-05`, { token: vendorB, body: { indicators: figures } });
    expect(put.status).toBe(201);
    expect(await stored(foreign.finess, '2033-06')).toMatchObject({ indicators: figures, reportedBy: `client:${VENDOR_B}` });
    expect(await stored(foreign.finess, '2033-05')).toMatchObject({ indicators: figures, reportedBy: `client:${VENDOR_B}` });
    // And vendor A still reports for its own.
    expect((await send({ campaignId: campaign.id, reports: [{ finess: naq.finess, month: '2033-05', indicators: { 'mss.usagers': 2 } }] })).json.results).toEqual([
      expect.objectContaining({ status: 'acceptee' }),
    ]);
  });
});
