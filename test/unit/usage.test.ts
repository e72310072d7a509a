import fc from 'fast-check';
import { parseInstant } from '../../layers/domain/calendar';
import { newCampaign, type Campaign } from '../../layers/domain/campaign';
import { defaultCampaign } from '../../layers/domain/default-campaign';
import { DomainError } from '../../layers/domain/errors';
import {
  addFigures,
  assertReportable,
  figuresDelta,
  isWellFormedReport,
  monthsDue,
  pilotTotals,
  planReport,
  reportingMonth,
  usagePutSchema,
  usageReportSchema,
  type UsageMonth,
} from '../../layers/domain/usage';

const at = (text: string): Date => parseInstant(text)!;
const campaign: Campaign = newCampaign(defaultCampaign, at('2023-08-01T00:00:00+02:00'));
const pilot = { finess: '330780119', campaignId: campaign.id, ars: 'NAQ' as const };

const codeOf = (error: unknown): string | undefined => (error instanceof DomainError ? error.code : undefined);
const refusal = (month: string, now: string): string | undefined => {
  try {
    assertReportable(campaign, month, at(now));
    return undefined;
  } catch (error) {
    return codeOf(error);
  }
};

describe('the reporting window (mes-esms-2023: 15 Feb – 15 Oct 2024, 15 grace days)', () => {
  it('takes every month the experimentation touches, February and October included', () => {
    expect(refusal('2024-02', '2024-03-05T10:00:00+01:00')).toBeUndefined();
    expect(refusal('2024-10', '2024-10-20T10:00:00+02:00')).toBeUndefined();
    expect(refusal('2024-01', '2024-03-05T10:00:00+01:00')).toBe('period_outside_experimentation');
    expect(refusal('2024-11', '2024-10-20T10:00:00+02:00')).toBe('period_outside_experimentation');
  });

  it('closes reporting at Paris midnight after 30 October 2024 (winter time since the 27th)', () => {
    expect(refusal('2024-10', '2024-10-30T23:59:59+01:00')).toBeUndefined();
    expect(refusal('2024-10', '2024-10-31T00:00:00+01:00')).toBe('reporting_closed');
    expect(refusal('2024-10', '2024-10-30T23:00:00Z')).toBe('reporting_closed');
  });

  it('refuses a month that has not begun yet', () => {
    expect(refusal('2024-06', '2024-05-31T23:59:59+02:00')).toBe('period_outside_experimentation');
    expect(refusal('2024-06', '2024-06-01T00:00:00+02:00')).toBeUndefined();
  });

  it('expects last month, the last one as soon as the experimentation is over, nothing before the first', () => {
    expect(reportingMonth(campaign, at('2024-02-20T10:00:00+01:00'))).toBeNull();
    expect(reportingMonth(campaign, at('2024-03-01T00:00:00+01:00'))).toBe('2024-02');
    expect(reportingMonth(campaign, at('2024-10-15T23:59:59+02:00'))).toBe('2024-09');
    expect(reportingMonth(campaign, at('2024-10-16T00:00:00+02:00'))).toBe('2024-10');
    expect(reportingMonth(campaign, at('2025-03-01T00:00:00+01:00'))).toBe('2024-10');
    expect(monthsDue(campaign, at('2024-05-05T10:00:00+02:00'))).toEqual(['2024-02', '2024-03', '2024-04']);
  });
});

describe('the figures a report may carry', () => {
  it.each([
    [{ 'mss.usagers': 2.5 }, 'indicators.mss.usagers'],
    [{ 'mss.usagers': -1 }, 'indicators.mss.usagers'],
    [{ 'mss.usagers': 1_000_001 }, 'indicators.mss.usagers'],
    [{ 'mss.usagers': '3' }, 'indicators.mss.usagers'],
    [{ 'mss.usagers': null }, 'indicators.mss.usagers'],
    [{}, 'indicators'],
  ])('refuses %j naming %s', (indicators, path) => {
    const result = usagePutSchema.safeParse({ indicators });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => issue.path.join('.'))).toContain(path);
  });

  it('refuses any field beyond finess, month and indicators (no patient-level data)', () => {
    const result = usageReportSchema.safeParse({ finess: pilot.finess, month: '2024-03', indicators: { 'mss.usagers': 1 }, ins: '2850199123456' });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.code).toBe('unrecognized_keys');
  });

  it('gives the same answer on the fast path as the schema, for well-formed and mangled reports alike (__proto__ keys left to zod)', () => {
    const figure = fc.oneof(fc.integer({ min: -2, max: 1_000_002 }), fc.constantFrom(-0, 0.5, 1e6, 1e21, Number.MAX_SAFE_INTEGER + 2, '3', null, true), fc.double());
    const code = fc.oneof(fc.constantFrom('mss.usagers', 'bal.nominatives', '', '__proto__', 'constructor', 'x'.repeat(80), 'x'.repeat(81)), fc.string({ maxLength: 6 }));
    const indicators = fc.oneof({ weight: 5, arbitrary: fc.dictionary(code, figure, { maxKeys: 4 }) }, { weight: 1, arbitrary: fc.constantFrom(null, [], 'x', 3) });
    const month = fc.oneof(fc.constantFrom('2024-03', '2024-13', '2024-3', '2024-003', ' 2024-03', 2024), fc.string({ maxLength: 8 }));
    const finess = fc.oneof(fc.constantFrom('330780119', '33 078 011 9', 'x'.repeat(20), 'x'.repeat(21), 330780119));
    const report = fc.record({ finess, month, indicators }, { requiredKeys: [] }).chain((base) =>
      fc.oneof({ weight: 4, arbitrary: fc.constant<unknown>(base) }, { weight: 1, arbitrary: fc.constant<unknown>({ ...base, patient: 'x' }) }, { weight: 1, arbitrary: fc.constantFrom<unknown>(null, [base], 'x') }),
    );
    // zod skips `__proto__` keys altogether; the fast path leaves such reports to zod.
    const hasProtoKey = (value: unknown) => typeof value === 'object' && value !== null && typeof (value as { indicators?: unknown }).indicators === 'object' && Object.keys((value as { indicators: object }).indicators ?? {}).includes('__proto__');
    fc.assert(
      fc.property(report, (value) => {
        const schema = usageReportSchema.safeParse(value).success;
        if (isWellFormedReport(value)) expect(schema).toBe(true);
        else if (!hasProtoKey(value)) expect(schema).toBe(false);
      }),
      { numRuns: 20_000 },
    );
  });

  it('accepts every integer from 0 to 1,000,000', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1_000_000 }), (value) => usagePutSchema.safeParse({ indicators: { 'mss.usagers': value } }).success));
  });
});

const figures = fc.dictionary(fc.constantFrom('mss.usagers', 'mss.professionnels', 'bal.nominatives', 'docs_dmp.74207-2'), fc.integer({ min: 0, max: 1_000_000 }), { minKeys: 1 });

describe('replacing a month', () => {
  const now = at('2024-04-03T10:00:00+02:00');
  const first = planReport(undefined, { pilot, month: '2024-03', indicators: { 'mss.usagers': 4 }, actor: 'candidat:owner', now });

  it('creates version 1 without a correction, counting a new reporting pilot', () => {
    expect(first).toMatchObject({ kind: 'write', newMonth: true, correction: undefined, delta: { 'mss.usagers': 4 }, next: { version: 1, reportedAt: '2024-04-03T10:00:00+02:00', reportedBy: 'candidat:owner' } });
  });

  it('keeps the replaced figures, their author and date in the correction', () => {
    if (first.kind !== 'write') throw new Error('expected a write');
    const later = at('2024-04-10T09:00:00+02:00');
    const second = planReport(first.next, { pilot, month: '2024-03', indicators: { 'mss.usagers': 6, 'mss.professionnels': 1 }, actor: 'client:dui', now: later });
    expect(second).toMatchObject({
      kind: 'write',
      newMonth: false,
      delta: { 'mss.usagers': 2, 'mss.professionnels': 1 },
      next: { version: 2, createdAt: '2024-04-03T10:00:00+02:00', reportedBy: 'client:dui' },
      correction: { version: 2, from: { 'mss.usagers': 4 }, to: { 'mss.usagers': 6, 'mss.professionnels': 1 }, actor: 'client:dui', replacedReportedBy: 'candidat:owner', replacedReportedAt: '2024-04-03T10:00:00+02:00' },
    });
  });

  it('changes nothing when the same figures come again, whatever their order', () => {
    if (first.kind !== 'write') throw new Error('expected a write');
    expect(planReport(first.next, { pilot, month: '2024-03', indicators: { 'mss.usagers': 4 }, actor: 'client:dui', now }).kind).toBe('unchanged');
  });

  it('refuses a stale If-Match version', () => {
    if (first.kind !== 'write') throw new Error('expected a write');
    expect(() => planReport(first.next, { pilot, month: '2024-03', indicators: { 'mss.usagers': 5 }, actor: 'x', now, expectedVersion: 3 })).toThrow(expect.objectContaining({ code: 'version_conflict' }));
    expect(() => planReport(undefined, { pilot, month: '2024-03', indicators: { 'mss.usagers': 5 }, actor: 'x', now, expectedVersion: 1 })).toThrow(expect.objectContaining({ code: 'version_conflict' }));
  });

  it('moves the counters by exactly what the figures became: the deltas of any sequence of reports add up to the last one', () => {
    fc.assert(
      fc.property(fc.array(figures, { minLength: 1, maxLength: 8 }), (sequence) => {
        let current: UsageMonth | undefined;
        const counter: Record<string, number> = {};
        let pilots = 0;
        for (const indicators of sequence) {
          const plan = planReport(current, { pilot, month: '2024-03', indicators, actor: 'x', now });
          if (plan.kind === 'unchanged') continue;
          addFigures(counter, plan.delta);
          if (plan.newMonth) pilots += 1;
          current = plan.next;
        }
        const last = sequence[sequence.length - 1]!;
        expect(pilots).toBe(1);
        expect(figuresDelta(counter, last)).toEqual({});
      }),
    );
  });
});

describe("a pilot's totals", () => {
  it('add flows over the months and keep stocks (mailboxes in service) at their latest value', () => {
    expect(
      pilotTotals([
        { month: '2024-04', indicators: { 'mss.usagers': 5, 'bal.nominatives': 12 } },
        { month: '2024-03', indicators: { 'mss.usagers': 3, 'bal.nominatives': 10, 'bal.organisationnelles': 2 } },
      ]),
    ).toEqual({ 'mss.usagers': 8, 'bal.nominatives': 12, 'bal.organisationnelles': 2 });
  });
});

describe('splitting a write into commits', () => {
  const now = at('2024-04-03T10:00:00+02:00');

  it('puts every report in one commit, a region\'s month in one commit only, and never more than a transaction holds', async () => {
    process.env.TABLE_NAME = 'unit-test';
    const { commitsOf } = await import('../../layers/adapters/usage-writer');
    const { groupId } = await import('../../layers/adapters/usage-repository');
    const regions = ['NAQ', 'OCC', 'IDF', 'ARA', 'BRE', 'PDL', 'HDF', 'GES', 'NOR', 'BFC', 'CVL', 'PAC', 'COR'];
    const months = ['2024-01', '2024-02', '2024-03', '2024-04', '2024-05'];
    const arbitrary = fc.array(fc.record({ ars: fc.constantFrom(...regions), month: fc.constantFrom(...months), replace: fc.boolean() }), { maxLength: 500 });
    fc.assert(
      fc.property(arbitrary, (reports) => {
        const planned = reports.map((report, id) => {
          const input = { pilot: { ...pilot, finess: String(id).padStart(9, '0'), ars: report.ars as 'NAQ' }, month: report.month, indicators: { 'mss.usagers': 2 }, actor: 'x', now };
          const plan = planReport(report.replace ? ({ ...input.pilot, month: report.month, indicators: { 'mss.usagers': 1 }, version: 1, reportedAt: 'x', reportedBy: 'y', createdAt: 'x' } as UsageMonth) : undefined, input);
          if (plan.kind !== 'write') throw new Error('expected a write');
          return { id, input, plan };
        });
        const groups = new Map(planned.map(({ input }) => {
          const ref = { campaignId: input.pilot.campaignId, ars: input.pilot.ars, month: input.month };
          return [groupId(ref), { ...ref, version: 3, plan: 'previous-plan', reported: new Set<string>() }] as const;
        }));
        const commits = commitsOf(planned, groups);
        const seen = new Map<string, number>();
        commits.forEach((commit, index) => {
          // The plan, one update per region's month and at most one check of a previous plan per region's month.
          expect(1 + 2 * commit.groups.length).toBeLessThanOrEqual(100);
          for (const group of commit.groups) {
            expect(seen.has(groupId(group))).toBe(false);
            seen.set(groupId(group), index);
          }
          for (const write of commit.writes) expect(seen.get(groupId({ ...write.input.pilot, month: write.input.month }))).toBe(index);
        });
        expect(commits.flatMap((commit) => commit.writes.map((write) => write.id)).sort((a, b) => a - b)).toEqual(planned.map((write) => write.id));
      }),
      { numRuns: 50 },
    );
  });
});
