import fc from 'fast-check';
import type { Caller } from '../../../layers/domain/access';
import { ConcurrentModificationError, DomainError } from '../../../layers/domain/errors';
import { newConvention } from '../../../layers/domain/convention';
import { pilotOf, type Pilot } from '../../../layers/domain/pilot';
import { pilotUsage, registerReportingClient, reportBatch, reportMonth } from '../../../layers/domain/use-cases/usage';
import { DURING_CONVENTIONS, acting, applicant, arsStaff, at, campaign, instants, ms, portsWith, storedApplication } from './fixtures';

const client = (clientId: string): Caller => ({ id: clientId, verifiedEmail: undefined, roles: new Set(['client']), regions: [], clientId });
const APRIL = at('2024-04-10T10:00:00+02:00');
const fieldErrors = (issues: readonly { path: PropertyKey[]; message: string }[]) => issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));

function withPilot(reportingClients: string[] = []) {
  const ports = portsWith();
  const owner = applicant('porteur');
  const application = storedApplication(ports, { status: 'retenue' }, owner);
  const pilot: Pilot = { ...pilotOf({ ...newConvention(application, campaign, DURING_CONVENTIONS), status: 'signee', signedAt: '2024-01-20T10:00:00+01:00' }), reportingClients };
  ports.state.pilots.set(`${pilot.finess}#${pilot.campaignId}`, pilot);
  return { ports, owner, pilot };
}

describe('reporting a month', () => {
  it('writes version 1, then a correction, and the same figures again change nothing', async () => {
    const { ports, owner, pilot } = withPilot();
    const report = (value: number) => reportMonth(ports, { ...acting(owner, APRIL), campaignId: campaign.id, finess: pilot.finess, month: '2024-03', indicators: { 'mss.usagers': value } });
    await expect(report(3)).resolves.toMatchObject({ outcome: { status: 'written', month: { version: 1 } }, corrections: [] });
    await expect(report(4)).resolves.toMatchObject({ outcome: { status: 'written', month: { version: 2 } }, corrections: [{ from: { 'mss.usagers': 3 }, to: { 'mss.usagers': 4 } }] });
    await expect(report(4)).resolves.toMatchObject({ outcome: { status: 'unchanged', month: { version: 2 } } });
  });

  it('is refused from the instant reporting closes, accepted the millisecond before', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: -86_400_000, max: 86_400_000 }), async (offset) => {
        const { ports, owner, pilot } = withPilot();
        const outcome = reportMonth(ports, { ...acting(owner, ms(instants.reportingClosesAt, offset)), campaignId: campaign.id, finess: pilot.finess, month: '2024-10', indicators: { 'mss.usagers': 1 } });
        if (offset < 0) await expect(outcome).resolves.toMatchObject({ outcome: { status: 'written' } });
        else await expect(outcome).rejects.toMatchObject({ code: 'reporting_closed' });
      }),
      { numRuns: 40, examples: [[-1], [0]] },
    );
  });

  it.each([
    ['a month not begun', 'period_outside_experimentation', { month: '2024-05' }],
    ['a month outside the experimentation', 'period_outside_experimentation', { month: '2023-12' }],
    ['an indicator the campaign does not have', 'validation_failed', { indicators: { inconnu: 1 } }],
    ['a stale If-Match', 'version_conflict', { expectedVersion: 3 }],
    ['a FINESS that is no pilot', 'not_found', { finess: '330000000' }],
  ])('refuses %s (%s) and writes nothing', async (_what, code, change) => {
    const { ports, owner, pilot } = withPilot();
    await expect(reportMonth(ports, { ...acting(owner, APRIL), campaignId: campaign.id, finess: pilot.finess, month: '2024-03', indicators: { 'mss.usagers': 1 }, ...change })).rejects.toMatchObject({ code });
    expect(ports.state.usage.size).toBe(0);
  });

  it('lets the pilot’s holders and its registered clients report, and nobody else', async () => {
    const { ports, pilot } = withPilot(['dui-a']);
    const by = (caller: Caller) => reportMonth(ports, { ...acting(caller, APRIL), campaignId: campaign.id, finess: pilot.finess, month: '2024-03', indicators: { 'mss.usagers': 1 } });
    await expect(by(client('dui-a'))).resolves.toBeDefined();
    await expect(by(client('dui-b'))).rejects.toMatchObject({ code: 'not_found' });
    await expect(by(arsStaff('NAQ'))).rejects.toMatchObject({ code: 'forbidden' });
    await expect(by(applicant('inconnu'))).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('a DUI batch', () => {
  it('accepts or refuses each report on its own, in the order sent', async () => {
    const { ports, pilot } = withPilot(['dui-a']);
    const reports = [
      { finess: pilot.finess, month: '2024-03', indicators: { 'mss.usagers': 2 } },
      { finess: pilot.finess, month: '2024-03', indicators: { 'mss.usagers': 5 } },
      { finess: '330000000', month: '2024-03', indicators: { 'mss.usagers': 1 } },
      { finess: pilot.finess, month: '2024-07', indicators: { 'mss.usagers': 1 } },
      { month: '2024-03' },
    ];
    const { results, figuresWritten } = await reportBatch(ports, { ...acting(client('dui-a'), APRIL), campaignId: campaign.id, reports, fieldErrors });
    expect(results.map((result) => (result.status === 'acceptee' ? 'acceptee' : result.code))).toEqual(['acceptee', 'validation_failed', 'finess_invalid', 'period_outside_experimentation', 'validation_failed']);
    expect(figuresWritten).toBe(1);
  });

  it('refuses every report of a client not registered for the pilot, as for a FINESS that is no pilot', async () => {
    const { ports, pilot } = withPilot(['dui-a']);
    const { results } = await reportBatch(ports, { ...acting(client('dui-b'), APRIL), campaignId: campaign.id, reports: [{ finess: pilot.finess, month: '2024-03', indicators: { 'mss.usagers': 2 } }], fieldErrors });
    expect(results).toEqual([expect.objectContaining({ status: 'refusee', code: 'not_found' })]);
    expect(ports.state.usage.size).toBe(0);
  });
});

describe('registering a reporting client', () => {
  it('registers a known client once, and refuses one the deployment does not know', async () => {
    const { ports, pilot } = withPilot();
    const register = (clientId: string) =>
      registerReportingClient(ports, { ...acting(arsStaff('NAQ'), APRIL), campaignId: campaign.id, finess: pilot.finess, clientId, knownClients: new Set(['dui-a']) });
    await expect(register('dui-a')).resolves.toMatchObject({ registered: true, pilot: { reportingClients: ['dui-a'] } });
    let writes = 0;
    const registerClient = ports.pilots.registerClient;
    ports.pilots.registerClient = async (...args) => {
      writes += 1;
      return registerClient(...args);
    };
    await expect(register('dui-a')).resolves.toMatchObject({ registered: false, pilot: { reportingClients: ['dui-a'] } });
    expect(writes).toBe(0);
    await expect(register('dui-z')).rejects.toMatchObject({ code: 'validation_failed' });
    expect(ports.state.pilots.get(`${pilot.finess}#${pilot.campaignId}`)?.reportingClients).toEqual(['dui-a']);
  });
});

const NO_PILOT = "Ce FINESS n'est pas pilote de cette campagne, ou son pilote n'existe pas ou ne vous est pas accessible.";

describe("reading a pilot's usage", () => {
  it('gives its holders and its region its months and corrections, in this campaign only', async () => {
    const { ports, owner, pilot } = withPilot(['dui-a']);
    const report = (month: string, value: number) => reportMonth(ports, { ...acting(owner, APRIL), campaignId: campaign.id, finess: pilot.finess, month, indicators: { 'mss.usagers': value } });
    await report('2024-02', 1);
    await report('2024-02', 2);
    await report('2024-03', 5);
    for (const caller of [owner, arsStaff('NAQ'), client('dui-a')]) {
      const usage = await pilotUsage(ports, { caller, campaignId: campaign.id, finess: pilot.finess });
      expect(usage.pilot).toEqual(pilot);
      expect(usage.months.map((month) => [month.month, month.version, month.indicators])).toEqual([
        ['2024-02', 2, { 'mss.usagers': 2 }],
        ['2024-03', 1, { 'mss.usagers': 5 }],
      ]);
      expect(usage.corrections.map((correction) => [correction.month, correction.from, correction.to])).toEqual([['2024-02', { 'mss.usagers': 1 }, { 'mss.usagers': 2 }]]);
    }
  });

  it.each([
    ['a stranger', applicant('inconnu')],
    ['another region’s staff', arsStaff('OCC')],
    ['a client not registered for it', client('dui-b')],
  ])('tells %s exactly what it tells about a FINESS that is no pilot', async (_who, caller) => {
    const { ports, pilot } = withPilot(['dui-a']);
    await expect(pilotUsage(ports, { caller, campaignId: campaign.id, finess: pilot.finess })).rejects.toMatchObject({ code: 'not_found', detail: NO_PILOT });
    await expect(pilotUsage(ports, { caller: arsStaff('NAQ'), campaignId: campaign.id, finess: '330000000' })).rejects.toMatchObject({ code: 'not_found', detail: NO_PILOT });
    await expect(pilotUsage(ports, { caller: arsStaff('NAQ'), campaignId: 'inconnue', finess: pilot.finess })).rejects.toMatchObject({ code: 'not_found', detail: NO_PILOT });
  });

  it('follows the file: after a transfer the new holder reads the usage and the former owner no longer does', async () => {
    const { ports, owner, pilot } = withPilot();
    const file = ports.state.applications.get(pilot.applicationId)!;
    ports.state.applications.set(file.id, { ...file, ownerId: undefined, ownerEmail: 'repreneur@esms.local' });
    await expect(pilotUsage(ports, { caller: applicant('repreneur'), campaignId: campaign.id, finess: pilot.finess })).resolves.toMatchObject({ months: [] });
    await expect(pilotUsage(ports, { caller: owner, campaignId: campaign.id, finess: pilot.finess })).rejects.toMatchObject({ code: 'not_found', detail: NO_PILOT });
  });

  it('lets a registered client through on the pilot alone, without reading its file', async () => {
    const { ports, pilot } = withPilot(['dui-a']);
    ports.applications.get = async () => {
      throw new Error('a machine client needs no application');
    };
    await expect(pilotUsage(ports, { caller: client('dui-a'), campaignId: campaign.id, finess: pilot.finess })).resolves.toMatchObject({ months: [] });
  });
});

describe('reporting a month, what is stored', () => {
  it('stores the figures with who reported and when, and answers a replaced month with that month’s corrections only', async () => {
    const { ports, owner, pilot } = withPilot();
    const report = (month: string, value: number, expectedVersion?: number) =>
      reportMonth(ports, { ...acting(owner, APRIL), campaignId: campaign.id, finess: pilot.finess, month, indicators: { 'mss.usagers': value }, expectedVersion });
    await report('2024-02', 1);
    await report('2024-02', 2);
    const first = await report('2024-03', 3, 0);
    expect(first.corrections).toEqual([]);
    expect(ports.state.usage.get(`${pilot.finess}#${campaign.id}#2024-03`)).toMatchObject({ finess: pilot.finess, campaignId: campaign.id, month: '2024-03', version: 1, indicators: { 'mss.usagers': 3 } });
    const replaced = await report('2024-03', 4, 1);
    expect(replaced).toMatchObject({ pilot, campaign: { id: campaign.id }, outcome: { status: 'written', month: { version: 2 } } });
    expect(replaced.corrections.map((correction) => [correction.month, correction.from, correction.to])).toEqual([['2024-03', { 'mss.usagers': 3 }, { 'mss.usagers': 4 }]]);
    await expect(report('2024-03', 5, 0)).rejects.toMatchObject({ code: 'version_conflict' });
    expect(ports.state.usage.get(`${pilot.finess}#${campaign.id}#2024-03`)?.indicators).toEqual({ 'mss.usagers': 4 });
  });

  it('names each unknown indicator at its path', async () => {
    const { ports, owner, pilot } = withPilot();
    await expect(reportMonth(ports, { ...acting(owner, APRIL), campaignId: campaign.id, finess: pilot.finess, month: '2024-03', indicators: { 'mss.usagers': 1, inconnu: 2 } })).rejects.toMatchObject({
      code: 'validation_failed',
      errors: [{ path: 'indicators.inconnu', message: 'Indicateur inconnu pour cette campagne' }],
    });
  });
});

describe('a DUI batch, each answer', () => {
  it('answers each report with its exact outcome, and counts the figures actually written', async () => {
    const { ports, pilot } = withPilot(['dui-a']);
    const other = withPilot(['dui-b']);
    ports.state.pilots.set(`${other.pilot.finess}#${campaign.id}`, other.pilot);
    await reportBatch(ports, { ...acting(client('dui-a'), APRIL), campaignId: campaign.id, reports: [{ finess: pilot.finess, month: '2024-02', indicators: { 'mss.usagers': 2 } }], fieldErrors });
    const reports = [
      { finess: pilot.finess, month: '2024-03', indicators: { 'mss.usagers': 2, 'docs_dmp.74207-2': 1 } },
      { finess: pilot.finess, month: '2024-02', indicators: { 'mss.usagers': 2 } },
      { finess: pilot.finess, month: '2024-03', indicators: { 'mss.usagers': 9 } },
      { finess: other.pilot.finess, month: '2024-03', indicators: { 'mss.usagers': 1 } },
      { finess: pilot.finess, month: '2024-04', indicators: { inconnu: 1 } },
      { finess: '123', month: '2024-03', indicators: { 'mss.usagers': 1 } },
      { finess: pilot.finess, month: '2024-13', indicators: { 'mss.usagers': 1 } },
    ];
    const { results, figuresWritten } = await reportBatch(ports, { ...acting(client('dui-a'), APRIL), campaignId: campaign.id, reports, fieldErrors });
    expect(results.slice(0, 5)).toEqual([
      { index: 0, status: 'acceptee', finess: pilot.finess, month: '2024-03', version: 1, unchanged: false },
      { index: 1, status: 'acceptee', finess: pilot.finess, month: '2024-02', version: 1, unchanged: true },
      {
        index: 2,
        status: 'refusee',
        code: 'validation_failed',
        detail: 'Ce lot contient déjà une déclaration pour ce FINESS et ce mois (déclaration n° 0).',
        errors: [{ path: 'month', message: 'Déclaration en double dans le lot' }],
      },
      { index: 3, status: 'refusee', code: 'not_found', detail: NO_PILOT },
      {
        index: 4,
        status: 'refusee',
        code: 'validation_failed',
        detail: 'Certains indicateurs ne font pas partie de ceux de la campagne.',
        errors: [{ path: 'indicators.inconnu', message: 'Indicateur inconnu pour cette campagne' }],
      },
    ]);
    expect(results[5]).toEqual({
      index: 5,
      status: 'refusee',
      code: 'finess_invalid',
      detail: 'Le numéro FINESS doit comporter 9 caractères : des chiffres, avec 2A ou 2B en tête pour la Corse.',
      errors: [{ path: 'finess', message: 'Le numéro FINESS doit comporter 9 caractères : des chiffres, avec 2A ou 2B en tête pour la Corse.' }],
    });
    expect(results[6]).toMatchObject({ index: 6, status: 'refusee', code: 'validation_failed', detail: 'La déclaration contient des champs invalides.', errors: [expect.objectContaining({ path: 'month' })] });
    expect(Object.keys(results[3]!)).toEqual(['index', 'status', 'code', 'detail']);
    expect(figuresWritten).toBe(2);
    expect(ports.state.usage.get(`${pilot.finess}#${campaign.id}#2024-03`)?.indicators).toEqual({ 'mss.usagers': 2, 'docs_dmp.74207-2': 1 });
    expect(ports.state.usage.has(`${other.pilot.finess}#${campaign.id}#2024-03`)).toBe(false);
  });

  it('looks the grants up again only when the cached list misses a report, and then accepts it', async () => {
    const { ports, pilot } = withPilot(['dui-a']);
    const reads: boolean[] = [];
    const grantsOf = ports.pilots.grantsOf;
    ports.pilots.grantsOf = async (clientId, campaignId, fresh) => {
      reads.push(fresh);
      // The cache predates the registration.
      return fresh ? grantsOf(clientId, campaignId, fresh) : new Map();
    };
    const batch = (month: string) => reportBatch(ports, { ...acting(client('dui-a'), APRIL), campaignId: campaign.id, reports: [{ finess: pilot.finess, month, indicators: { 'mss.usagers': 2 } }], fieldErrors });
    await expect(batch('2024-03')).resolves.toMatchObject({ results: [{ status: 'acceptee' }], figuresWritten: 1 });
    expect(reads).toEqual([false, true]);
    // One pilot in the cache, one registered since: the second is looked up again too.
    const since = withPilot(['dui-a']).pilot;
    ports.state.pilots.set(`${since.finess}#${campaign.id}`, since);
    ports.pilots.grantsOf = async (clientId, campaignId, fresh) => {
      const grants = await grantsOf(clientId, campaignId, fresh);
      return fresh ? grants : new Map([...grants].filter(([finess]) => finess === pilot.finess));
    };
    const both = await reportBatch(ports, {
      ...acting(client('dui-a'), APRIL),
      campaignId: campaign.id,
      reports: [pilot, since].map(({ finess }) => ({ finess, month: '2024-04', indicators: { 'mss.usagers': 1 } })),
      fieldErrors,
    });
    expect(both.results.map((result) => result.status)).toEqual(['acceptee', 'acceptee']);
    ports.pilots.grantsOf = async (clientId, campaignId, fresh) => {
      reads.push(fresh);
      return grantsOf(clientId, campaignId, fresh);
    };
    reads.length = 0;
    await expect(batch('2024-02')).resolves.toMatchObject({ results: [{ status: 'acceptee' }] });
    expect(reads).toEqual([false]);
  });

  it('refuses a batch for an unknown campaign as a whole', async () => {
    const { ports, pilot } = withPilot(['dui-a']);
    await expect(reportBatch(ports, { ...acting(client('dui-a'), APRIL), campaignId: 'inconnue', reports: [{ finess: pilot.finess, month: '2024-03', indicators: { 'mss.usagers': 2 } }], fieldErrors })).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});

describe('registering a reporting client, who and what', () => {
  const register = (ports: ReturnType<typeof withPilot>['ports'], caller: Caller, finess: string, clientId = 'dui-a', receiptFor?: (pilot: Pilot) => object) =>
    registerReportingClient(ports, { ...acting(caller, APRIL), campaignId: campaign.id, finess, clientId, knownClients: new Set(['dui-a', 'dui-b']), receiptFor });

  it('stores the client with the receipt of the registered pilot', async () => {
    const { ports, pilot } = withPilot(['dui-b']);
    const outcome = await register(ports, arsStaff('NAQ'), pilot.finess, 'dui-a', (registered) => ({ clients: registered.reportingClients }));
    expect(outcome).toEqual({ registered: true, pilot: { ...pilot, reportingClients: ['dui-b', 'dui-a'] } });
    expect(ports.state.receipts).toEqual([{ clients: ['dui-b', 'dui-a'] }]);
  });

  it('answers with the stored pilot when another registration got there first', async () => {
    const { ports, pilot } = withPilot();
    const registerClient = ports.pilots.registerClient;
    ports.pilots.registerClient = async (...args) => {
      await registerClient(...args);
      return registerClient(...args);
    };
    await expect(register(ports, arsStaff('NAQ'), pilot.finess)).resolves.toEqual({ registered: false, pilot: { ...pilot, reportingClients: ['dui-a'] } });
  });

  it('refuses the applicant (forbidden), a stranger (as no pilot) and an unknown client, naming the field', async () => {
    const { ports, owner, pilot } = withPilot();
    await expect(register(ports, owner, pilot.finess)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(register(ports, arsStaff('OCC'), pilot.finess)).rejects.toMatchObject({ code: 'not_found', detail: NO_PILOT });
    await expect(register(ports, arsStaff('NAQ'), pilot.finess, 'dui-z')).rejects.toMatchObject({
      code: 'validation_failed',
      detail: "Ce client n'est celui d'aucun éditeur de DUI de ce déploiement.",
      errors: [{ path: 'clientId', message: 'Client inconnu' }],
    });
    // Whoever may not register learns nothing of the vendors: the access check comes first.
    await expect(register(ports, arsStaff('OCC'), pilot.finess, 'dui-z')).rejects.toMatchObject({ code: 'not_found' });
    expect(ports.state.pilots.get(`${pilot.finess}#${pilot.campaignId}`)?.reportingClients).toEqual([]);
  });
});

describe('what the store may still refuse', () => {
  it('answers a report the store refused (too many races) with that refusal, and counts none of its figures', async () => {
    const { ports, pilot } = withPilot(['dui-a']);
    const write = ports.usage.write;
    ports.usage.write = async (reports) => {
      const outcomes = await write(reports.filter((report) => report.id !== 1));
      outcomes.set(1, { status: 'refused', error: new DomainError('version_conflict', new ConcurrentModificationError().detail, []) });
      return outcomes;
    };
    const reports = [
      { finess: pilot.finess, month: '2024-02', indicators: { 'mss.usagers': 1 } },
      { finess: pilot.finess, month: '2024-03', indicators: { 'mss.usagers': 2, 'docs_dmp.74207-2': 3 } },
    ];
    const { results, figuresWritten } = await reportBatch(ports, { ...acting(client('dui-a'), APRIL), campaignId: campaign.id, reports, fieldErrors });
    expect(results[1]).toStrictEqual({ index: 1, status: 'refusee', code: 'version_conflict', detail: new ConcurrentModificationError().detail });
    expect(figuresWritten).toBe(1);
  });

  it('knows no pilot of a campaign that is gone', async () => {
    const { ports, owner, pilot } = withPilot();
    ports.state.campaigns.delete(campaign.id);
    await expect(pilotUsage(ports, { caller: owner, campaignId: campaign.id, finess: pilot.finess })).rejects.toMatchObject({ code: 'not_found', detail: NO_PILOT });
  });
});
