import fc from 'fast-check';
import type { Caller } from '../../../layers/domain/access';
import { newConvention } from '../../../layers/domain/convention';
import { pilotOf, type Pilot } from '../../../layers/domain/pilot';
import { registerReportingClient, reportBatch, reportMonth } from '../../../layers/domain/use-cases/usage';
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
    await expect(register('dui-a')).resolves.toMatchObject({ registered: false, pilot: { reportingClients: ['dui-a'] } });
    await expect(register('dui-z')).rejects.toMatchObject({ code: 'validation_failed' });
    expect(ports.state.pilots.get(`${pilot.finess}#${pilot.campaignId}`)?.reportingClients).toEqual(['dui-a']);
  });
});
