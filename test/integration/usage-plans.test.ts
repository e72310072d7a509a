import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { api, dynamo, expectProblem, runMilestones, setClock, setFaults, stack } from './support/stack';
import { createCampaign, createPilots, machineToken, registerClient, type TestCampaign, type TestPilot } from './support/pilot-flow';

/**
 * Large usage writes commit a plan with the counters, then put their figures by BatchWriteItem. These tests
 * check what that must never cost: a lost figure, a counter moved twice, a correction missing from the
 * history, or two writers crossing on the same month.
 */
let campaign: TestCampaign;
let pilots: TestPilot[];
let client: string;
// A client that can exist: one of the local stack's DUI vendors (infra/lib/dui-vendors.ts).
const CLIENT_ID = 'dui-local-a';
const MONTHS = ['2035-04', '2035-05', '2035-06', '2035-07'];
const REPORTING = '2035-08-04T11:00:00+02:00';
/** Past any writer's lease (2 minutes): what the next writer or the milestone sweep waits for. */
const LEASE_ENDED = '2035-08-04T11:05:00+02:00';

beforeAll(async () => {
  campaign = await createCampaign({ year: 2035, targets: { 'mss.usagers': 10 } });
  // Three pilots in Nouvelle-Aquitaine, two in Occitanie: 5 × 4 months = 20 figures per batch, a plan.
  pilots = await createPilots(campaign, [{ department: '64' }, { department: '33' }, { department: '87' }, { department: '34' }, { department: '31' }]);
  for (const pilot of pilots) await registerClient(pilot, CLIENT_ID);
  client = await machineToken(CLIENT_ID);
});
beforeEach(() => setClock(REPORTING));
afterAll(async () => {
  await setFaults({});
  await setClock(null);
});

type Figures = Record<string, number>;
const figuresOf = (round: number, pilotIndex: number, month: string): Figures => ({
  'mss.usagers': round * 100 + pilotIndex * 10 + Number(month.slice(5)),
  'bal.nominatives': 40 + round,
});
const batchOf = (round: number) => ({
  campaignId: campaign.id,
  reports: MONTHS.flatMap((month) => pilots.map((pilot, index) => ({ finess: pilot.finess, month, indicators: figuresOf(round, index, month) }))),
});
const send = (body: unknown) => api('POST', '/v1/usage-reports', { token: client, body });

const monthItem = async (pilot: TestPilot, month: string) =>
  (await dynamo.send(new GetCommand({ TableName: stack.tableName, Key: { pk: `PILOT#${pilot.finess}`, sk: `USAGE#${campaign.id}#${month}` }, ConsistentRead: true }))).Item;

const corrections = async (pilot: TestPilot, month: string) =>
  (
    await dynamo.send(
      new QueryCommand({
        TableName: stack.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': `PILOT#${pilot.finess}`, ':prefix': `USAGEHIST#${campaign.id}#${month}#` },
        ConsistentRead: true,
      }),
    )
  ).Items ?? [];

const counter = async (ars: string, month: string) =>
  (await dynamo.send(new GetCommand({ TableName: stack.tableName, Key: { pk: `CAMPAIGN#${campaign.id}`, sk: `USAGESUM#${ars}#${month}` }, ConsistentRead: true }))).Item;

const pendingPlans = async () =>
  (
    await dynamo.send(
      new QueryCommand({ TableName: stack.tableName, IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :plans', ExpressionAttributeValues: { ':plans': 'USAGEPLANS' } }),
    )
  ).Items ?? [];

/** Every region's month: its counters are the sums of the months stored, each pilot counted once. */
async function expectCountersMatchMonths(): Promise<void> {
  for (const month of MONTHS) {
    for (const ars of [...new Set(pilots.map((pilot) => pilot.ars))]) {
      const stored = await Promise.all(pilots.filter((pilot) => pilot.ars === ars).map((pilot) => monthItem(pilot, month)));
      const present = stored.filter((item) => item !== undefined);
      const sum = (code: string) => present.reduce((total, item) => total + Number(item!.indicators[code] ?? 0), 0);
      expect(await counter(ars, month)).toMatchObject({ pilots: present.length, 'n:mss.usagers': sum('mss.usagers'), 'n:bal.nominatives': sum('bal.nominatives') });
    }
  }
}

/** Each month's history is a chain: every correction replaces what the one before it wrote, the last one is current. */
async function expectHistoryChains(pilot: TestPilot, month: string): Promise<void> {
  const current = await monthItem(pilot, month);
  const history = await corrections(pilot, month);
  expect(history).toHaveLength(current!.version - 1);
  history.forEach((correction, index) => {
    expect(correction.version).toBe(index + 2);
    if (index > 0) expect(correction.from).toEqual(history[index - 1]!.to);
  });
  if (history.length > 0) expect(history.at(-1)!.to).toEqual(current!.indicators);
}

describe('a large batch', () => {
  it('lands every figure of its plan, with the counters, and leaves no plan behind', async () => {
    const response = await send(batchOf(1));
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ accepted: 20, refused: 0 });
    for (const month of MONTHS) {
      for (const [index, pilot] of pilots.entries()) expect(await monthItem(pilot, month)).toMatchObject({ version: 1, indicators: figuresOf(1, index, month) });
    }
    await expectCountersMatchMonths();
    expect(await pendingPlans()).toEqual([]);
  });

  it('replaces every month in one call, keeping each replaced month in the history', async () => {
    const response = await send(batchOf(2));
    expect(response.json.results.every((result: { status: string; version: number }) => result.status === 'acceptee' && result.version === 2)).toBe(true);
    for (const month of MONTHS) {
      for (const [index, pilot] of pilots.entries()) {
        expect(await monthItem(pilot, month)).toMatchObject({ version: 2, indicators: figuresOf(2, index, month) });
        expect(await corrections(pilot, month)).toEqual([expect.objectContaining({ version: 2, from: figuresOf(1, index, month), to: figuresOf(2, index, month) })]);
      }
    }
    await expectCountersMatchMonths();
    expect(await pendingPlans()).toEqual([]);
  });
});

describe('a write that dies once its plan is committed', () => {
  it('loses nothing: the milestone sweep lands its figures after the lease, and its retry changes nothing', async () => {
    await setFaults({ usageDeathsAfterCommit: 1 });
    const died = await send(batchOf(3));
    expect(died.status).toBe(500);
    // Committed: the counters already hold the new figures, the months wait in the plan.
    expect(await pendingPlans()).toHaveLength(1);
    expect(await monthItem(pilots[0]!, MONTHS[0]!)).toMatchObject({ version: 2 });
    expect(await counter(pilots[0]!.ars, MONTHS[0]!)).toMatchObject({ 'n:mss.usagers': [0, 1, 2].reduce((sum, index) => sum + figuresOf(3, index, MONTHS[0]!)['mss.usagers']!, 0) });

    // While the dead writer's lease runs, its regions' months take no other write.
    const owner = pilots[0]!;
    expectProblem(await api('PUT', `/v1/campaigns/${campaign.id}/pilots/${owner.finess}/usage/${MONTHS[0]}`, { token: owner.ownerToken, body: { indicators: { 'mss.usagers': 1 } } }), 412, 'version_conflict');

    await setClock(LEASE_ENDED);
    const run = await runMilestones();
    expect(run.usagePlansFinished).toBe(1);
    expect(await pendingPlans()).toEqual([]);
    for (const month of MONTHS) {
      for (const [index, pilot] of pilots.entries()) {
        expect(await monthItem(pilot, month)).toMatchObject({ version: 3, indicators: figuresOf(3, index, month) });
        await expectHistoryChains(pilot, month);
      }
    }
    await expectCountersMatchMonths();

    // The DUI retries the call that failed: every report is already there.
    const retried = await send(batchOf(3));
    expect(retried.json.results.every((result: { status: string; unchanged: boolean; version: number }) => result.status === 'acceptee' && result.unchanged && result.version === 3)).toBe(true);
    await expectCountersMatchMonths();
  });

  it('is finished by the next write on the same months once the lease has ended', async () => {
    await setClock(LEASE_ENDED);
    await setFaults({ usageDeathsAfterCommit: 1 });
    expect((await send(batchOf(4))).status).toBe(500);
    await setClock('2035-08-04T11:10:00+02:00');
    const owner = pilots[3]!;
    const put = await api('PUT', `/v1/campaigns/${campaign.id}/pilots/${owner.finess}/usage/${MONTHS[1]}`, { token: owner.ownerToken, body: { indicators: { 'mss.usagers': 7 } } });
    expect(put.status).toBe(200);
    // The dead write's figures landed first (version 4), then the owner's replaced them (version 5).
    expect(put.json).toMatchObject({ version: 5, indicators: { 'mss.usagers': 7 } });
    expect(put.json.corrections.at(-1)).toMatchObject({ version: 5, from: figuresOf(4, 3, MONTHS[1]!) });
    expect(await monthItem(pilots[0]!, MONTHS[0]!)).toMatchObject({ version: 4, indicators: figuresOf(4, 0, MONTHS[0]!) });
    expect(await pendingPlans()).toEqual([]);
    for (const month of MONTHS) for (const pilot of pilots) await expectHistoryChains(pilot, month);
    await expectCountersMatchMonths();
  });
});

describe('writers on the same months at the same time', () => {
  it('never cross: each write lands whole or is refused whole, the history chains and the counters add up', async () => {
    await setClock(LEASE_ENDED);
    const puts = pilots.slice(0, 3).map((pilot, index) =>
      api('PUT', `/v1/campaigns/${campaign.id}/pilots/${pilot.finess}/usage/${MONTHS[2]}`, { token: pilot.ownerToken, body: { indicators: { 'mss.usagers': 900 + index, 'bal.nominatives': 1 } } }),
    );
    const batches = [5, 6, 7].map((round) => send(batchOf(round)));
    const answers = await Promise.all([...puts, ...batches]);
    for (const answer of answers) expect([200, 201, 412]).toContain(answer.status);
    for (const answer of answers.slice(3)) {
      for (const result of answer.json.results) expect(result.status === 'acceptee' || result.code === 'version_conflict').toBe(true);
    }
    for (const month of MONTHS) for (const pilot of pilots) await expectHistoryChains(pilot, month);
    await expectCountersMatchMonths();
    expect(await pendingPlans()).toEqual([]);
  });
});
