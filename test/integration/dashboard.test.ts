import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { parse } from 'csv-parse/sync';
import { api, dynamo, expectProblem, roles, setClock, stack } from './support/stack';
import { createCampaign, createPilots, machineToken, registerClient, type TestCampaign, type TestPilot } from './support/pilot-flow';

/**
 * Three pilots report, one through its DUI software, one corrects a month: the dashboard, the pilots' usage
 * and funding, and the two exports all show the same figures.
 */
let campaign: TestCampaign;
let bordeaux: TestPilot;
let pau: TestPilot;
let toulouse: TestPilot;

const JUNE = '2032-06-10T09:00:00+02:00';
// A client that can exist: one of the local stack's DUI vendors (infra/lib/dui-vendors.ts).
const CLIENT_ID = 'dui-local-a';

beforeAll(async () => {
  campaign = await createCampaign({ year: 2032, targets: { 'mss.usagers': 20, 'bal.nominatives': 5 }, fundingPerPilotEur: 30_000 });
  const created = await createPilots(campaign, [
    { department: '33', name: 'EHPAD Les Tilleuls' },
    { department: '64', name: 'SSIAD du Béarn' },
    { department: '31', name: 'MAS du Lauragais' },
  ]);
  [bordeaux, pau, toulouse] = [created[0]!, created[1]!, created[2]!];
  await registerClient(pau, CLIENT_ID);

  await setClock('2032-05-03T10:00:00+02:00');
  const put = (pilot: TestPilot, month: string, indicators: Record<string, number>) =>
    api('PUT', `/v1/campaigns/${campaign.id}/pilots/${pilot.finess}/usage/${month}`, { token: pilot.ownerToken, body: { indicators } });
  await put(bordeaux, '2032-04', { 'mss.usagers': 10, 'bal.nominatives': 40, 'docs_dmp.74207-2': 3 });
  await put(toulouse, '2032-04', { 'mss.usagers': 3, 'bal.nominatives': 2 });
  await setClock('2032-06-04T10:00:00+02:00');
  await put(bordeaux, '2032-05', { 'mss.usagers': 15, 'bal.nominatives': 45, 'mss.professionnels': 30 });
  await put(toulouse, '2032-05', { 'mss.usagers': 3, 'bal.nominatives': 2 });
  const dui = await api('POST', '/v1/usage-reports', { token: await machineToken(CLIENT_ID), body: { campaignId: campaign.id, reports: [{ finess: pau.finess, month: '2032-05', indicators: { 'mss.usagers': 5, 'bal.nominatives': 44 } }] } });
  if (dui.json.accepted !== 1) throw new Error(`DUI report refused: ${dui.text}`);
  // A correction: May's messages were over-counted.
  await put(bordeaux, '2032-05', { 'mss.usagers': 12, 'bal.nominatives': 45, 'mss.professionnels': 30 });
});
beforeEach(() => setClock(JUNE));
afterAll(() => setClock(null));

const csv = async (path: string, tokenValue: string): Promise<Record<string, string>[]> => {
  const response = await fetch(`${stack.apiUrl}${path}`, { headers: { authorization: `Bearer ${tokenValue}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  const raw = Buffer.from(await response.arrayBuffer());
  expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return parse(raw, { bom: true, delimiter: ';', columns: true });
};

describe('the dashboard', () => {
  it("gives an ARS its region's key figures: pilots, who reported last month, totals with mailboxes as of the latest month", async () => {
    const response = await api('GET', `/v1/campaigns/${campaign.id}/dashboard`, { token: await roles.ars('NAQ') });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      campaignId: campaign.id,
      ars: 'NAQ',
      reportingMonth: '2032-05',
      applications: { total: 2, byStatus: { retenue: 2 } },
      retained: 2,
      conventionsSigned: 2,
      pilots: 2,
      pilotsReporting: 2,
      totals: { 'mss.usagers': 27, 'bal.nominatives': 89, 'mss.professionnels': 30, 'docs_dmp.74207-2': 3, 'mes.delegations': 0 },
    });
    expect(response.json.months).toEqual([
      expect.objectContaining({ month: '2032-04', pilotsReporting: 1, totals: expect.objectContaining({ 'mss.usagers': 10, 'bal.nominatives': 40 }) }),
      expect.objectContaining({ month: '2032-05', pilotsReporting: 2, totals: expect.objectContaining({ 'mss.usagers': 17, 'bal.nominatives': 89 }) }),
    ]);
    expect(response.json.summary).toBe('2 structures pilotes, 89 boîtes aux lettres nominatives, 57 messages sécurisés, 3 documents envoyés au DMP');
    expect(response.json.regions).toBeUndefined();
  });

  it('gives national the whole campaign with one entry per region', async () => {
    const response = await api('GET', `/v1/campaigns/${campaign.id}/dashboard`, { token: await roles.national() });
    expect(response.json).toMatchObject({ ars: null, pilots: 3, pilotsReporting: 3, totals: { 'mss.usagers': 33, 'bal.nominatives': 91 } });
    expect(response.json.regions.map((region: { ars: string; pilots: number; totals: Record<string, number> }) => [region.ars, region.pilots, region.totals['mss.usagers']])).toEqual([
      ['NAQ', 2, 27],
      ['OCC', 1, 6],
    ]);
    const occ = await api('GET', `/v1/campaigns/${campaign.id}/dashboard?ars=OCC`, { token: await roles.national() });
    expect(occ.json).toMatchObject({ ars: 'OCC', pilots: 1, totals: { 'mss.usagers': 6 } });
  });

  it('keeps ARS staff to their own region', async () => {
    expectProblem(await api('GET', `/v1/campaigns/${campaign.id}/dashboard?ars=OCC`, { token: await roles.ars('NAQ') }), 403, 'forbidden');
    expectProblem(await api('GET', `/v1/campaigns/${campaign.id}/dashboard`, { token: bordeaux.ownerToken }), 403, 'forbidden');
  });

  it('reads counters moved in the same write as the figures, not the reports themselves', async () => {
    const { Item } = await dynamo.send(new GetCommand({ TableName: stack.tableName, Key: { pk: `CAMPAIGN#${campaign.id}`, sk: 'USAGESUM#NAQ#2032-05' }, ConsistentRead: true }));
    expect(Item).toMatchObject({ 'n:mss.usagers': 17, pilots: 2, reported: new Set([bordeaux.finess, pau.finess]) });
    // Every write on the region's month commits here, on the version it read; no plan is left pending.
    expect(Item!.version).toBeGreaterThanOrEqual(2);
    expect(Item!.plan).toBeUndefined();
  });
});

describe("a pilot's usage and funding", () => {
  it('shows totals, progress against the targets and the second instalment pending until reporting ends', async () => {
    const response = await api('GET', `/v1/campaigns/${campaign.id}/pilots/${bordeaux.finess}/usage`, { token: bordeaux.ownerToken });
    expect(response.json).toMatchObject({
      finess: bordeaux.finess,
      campaignId: campaign.id,
      period: { firstMonth: '2032-04', lastMonth: '2032-08', reportingMonth: '2032-05', reportingClosesAt: '2032-08-31T00:00:00+02:00' },
      totals: { 'mss.usagers': 22, 'bal.nominatives': 45 },
      missingMonths: [],
      funding: { amountEur: 30_000, firstInstalmentEur: 15_000, secondInstalmentEur: 15_000, secondInstalmentStatus: 'en_attente', targetsMet: true },
    });
    expect(response.json.progress).toEqual([
      { indicator: 'bal.nominatives', label: 'Boîtes aux lettres MSSanté nominatives en service', target: 5, total: 45, met: true, percent: 900 },
      { indicator: 'mss.usagers', label: 'Messages MSSanté échangés avec les usagers', target: 20, total: 22, met: true, percent: 110 },
    ]);
    const pauUsage = await api('GET', `/v1/campaigns/${campaign.id}/pilots/${pau.finess}/usage`, { token: pau.ownerToken });
    expect(pauUsage.json).toMatchObject({ missingMonths: ['2032-04'], funding: { secondInstalmentStatus: 'en_attente', targetsMet: false } });
  });

  it('decides the second instalment at the end of reporting: acquis when every target is met, non_acquis otherwise', async () => {
    await setClock(campaign.reportingClosed);
    expect((await api('GET', `/v1/campaigns/${campaign.id}/pilots/${bordeaux.finess}/usage`, { token: bordeaux.ownerToken })).json.funding.secondInstalmentStatus).toBe('acquis');
    expect((await api('GET', `/v1/campaigns/${campaign.id}/pilots/${pau.finess}/usage`, { token: pau.ownerToken })).json.funding.secondInstalmentStatus).toBe('non_acquis');
  });
});

describe('the usage and funding exports', () => {
  it('writes one usage row per pilot, month and campaign indicator, for the region of an ARS', async () => {
    const rows = await csv(`/v1/campaigns/${campaign.id}/exports/usage.csv`, await roles.ars('NAQ'));
    const indicators = (campaign.json.indicators as string[]).length;
    expect(rows).toHaveLength(3 * indicators);
    expect(rows.every((row) => row.ARS === 'Nouvelle-Aquitaine')).toBe(true);
    const may = rows.find((row) => row.FINESS === bordeaux.finess && row.Mois === '2032-05' && row.Indicateur === 'mss.usagers')!;
    expect(may).toMatchObject({ Structure: 'EHPAD Les Tilleuls', Valeur: '12', Version: '2', Libellé: 'Messages MSSanté échangés avec les usagers', 'Déclaré le': '04/06/2032 10:00' });
    expect(rows.find((row) => row.FINESS === pau.finess && row.Indicateur === 'mss.usagers')).toMatchObject({ Valeur: '5', 'Déclaré par': `client:${CLIENT_ID}` });
    expect(rows.find((row) => row.FINESS === pau.finess && row.Indicateur === 'mes.delegations')!.Valeur).toBe('');

    expect(await csv(`/v1/campaigns/${campaign.id}/exports/usage.csv`, await roles.national())).toHaveLength(5 * indicators);
  });

  it('writes one funding row per pilot with the instalments and each target', async () => {
    await setClock(campaign.reportingClosed);
    const rows = await csv(`/v1/campaigns/${campaign.id}/exports/funding.csv`, await roles.national());
    expect(rows.map((row) => [row.Structure, row['Statut 2e tranche'], row['Objectifs atteints']])).toEqual([
      ['EHPAD Les Tilleuls', 'acquis', '2/2'],
      ['SSIAD du Béarn', 'non_acquis', '1/2'],
      ['MAS du Lauragais', 'non_acquis', '0/2'],
    ]);
    expect(rows[0]).toMatchObject({ 'Montant (€)': '30000', '1re tranche (€)': '15000', '2e tranche (€)': '15000', 'mss.usagers : total': '22', 'mss.usagers : objectif': '20', 'Mois déclarés': '2' });
    expect(rows[1]!['Mois manquants']).toBe('2032-04, 2032-06, 2032-07, 2032-08');
    expect(await csv(`/v1/campaigns/${campaign.id}/exports/funding.csv`, await roles.ars('OCC'))).toHaveLength(1);
  });

  it('keeps the applications export working next to them', async () => {
    expect(await csv(`/v1/campaigns/${campaign.id}/exports/applications.csv`, await roles.national())).toHaveLength(3);
  });
});
