import fc from 'fast-check';
import { parseInstant } from '../../layers/domain/calendar';
import { newCampaign } from '../../layers/domain/campaign';
import { defaultCampaign } from '../../layers/domain/default-campaign';
import { DomainError } from '../../layers/domain/errors';
import { addFigures, assertKnownIndicators, assertReportable, figuresDelta, monthMeetsExperimentation, monthsDue, monthText, reportingMonth, reportingPeriod, sameFigures, unknownIndicatorErrors } from '../../layers/domain/usage';
import { outcome } from './support/outcome';

const at = (text: string): Date => parseInstant(text)!;
const campaign = newCampaign(defaultCampaign, at('2023-08-01T00:00:00+02:00'));
const { closesAt } = reportingPeriod(campaign);


describe('what a pilot may report, and when', () => {
  it.each([
    ['January, before the experimentation', '2024-01', '2024-03-10T10:00:00+01:00', 'period_outside_experimentation'],
    ['February, its first month', '2024-02', '2024-03-10T10:00:00+01:00', 'ok'],
    ['the current month, begun', '2024-03', '2024-03-01T00:00:00+01:00', 'ok'],
    ['next month, not begun', '2024-04', '2024-03-31T23:59:59+02:00', 'period_outside_experimentation'],
    ['October, its last month', '2024-10', '2024-10-20T10:00:00+02:00', 'ok'],
    ['November, after it', '2024-11', '2024-11-02T10:00:00+01:00', 'period_outside_experimentation'],
  ])('%s: %s', (_what, month, now, expected) => {
    expect(outcome(() => assertReportable(campaign, month, at(now)))).toBe(expected);
  });

  it('is accepted until the instant before reporting closes, never from it on', () => {
    expect(outcome(() => assertReportable(campaign, '2024-10', new Date(closesAt.getTime() - 1)))).toBe('ok');
    expect(outcome(() => assertReportable(campaign, '2024-10', closesAt))).toBe('reporting_closed');
    fc.assert(
      fc.property(fc.integer({ min: -5 * 86_400_000, max: 5 * 86_400_000 }), fc.constantFrom('2024-02', '2024-06', '2024-10'), (offset, month) => {
        expect(outcome(() => assertReportable(campaign, month, new Date(closesAt.getTime() + offset)))).toBe(offset >= 0 ? 'reporting_closed' : 'ok');
      }),
    );
  });

  it('names the month and the field in its refusals', () => {
    let error: unknown;
    try {
      assertReportable(campaign, '2024-01', at('2024-03-10T10:00:00+01:00'));
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'period_outside_experimentation', errors: [{ path: 'month', message: "Mois hors de la période d'expérimentation" }] });
    expect((error as DomainError).detail).toContain('janvier 2024');
    expect(() => assertReportable(campaign, '2024-04', at('2024-03-10T10:00:00+01:00'))).toThrow("Le mois d");
    expect(monthText('2024-02')).toBe('février 2024');
    expect([monthMeetsExperimentation(campaign, '2024-02'), monthMeetsExperimentation(campaign, '2024-10'), monthMeetsExperimentation(campaign, '2024-01'), monthMeetsExperimentation(campaign, '2024-11')]).toEqual([true, true, false, false]);
  });

  it('expects last month, within the window, and every month since the first', () => {
    expect(reportingMonth(campaign, at('2024-02-20T10:00:00+01:00'))).toBeNull();
    expect(reportingMonth(campaign, at('2024-03-01T00:00:00+01:00'))).toBe('2024-02');
    expect(reportingMonth(campaign, at('2024-10-16T00:00:00+02:00'))).toBe('2024-10');
    expect(reportingMonth(campaign, at('2024-10-15T23:59:59+02:00'))).toBe('2024-09');
    expect(reportingMonth(campaign, at('2025-03-01T00:00:00+01:00'))).toBe('2024-10');
    expect(monthsDue(campaign, at('2024-02-20T10:00:00+01:00'))).toEqual([]);
    expect(monthsDue(campaign, at('2024-05-02T10:00:00+02:00'))).toEqual(['2024-02', '2024-03', '2024-04']);
  });
});

describe('figures', () => {
  it('are the same whatever the order of their codes, and only then', () => {
    expect(sameFigures({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(true);
    expect(sameFigures({ a: 1 }, { a: 1, b: 0 })).toBe(false);
    expect(sameFigures({ a: 1, b: 0 }, { a: 1 })).toBe(false);
    expect(sameFigures({ a: 1 }, { a: 2 })).toBe(false);
    expect(sameFigures({ a: 1 }, { b: 1 })).toBe(false);
    expect(sameFigures({}, {})).toBe(true);
  });

  it('move a counter by their difference, code by code, leaving out what does not move', () => {
    expect(figuresDelta({ a: 5, b: 2 }, { a: 7, c: 1, b: 2 })).toEqual({ a: 2, c: 1 });
    expect(figuresDelta({ a: 5 }, {})).toEqual({ a: -5 });
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.nat(100)), fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.nat(100)), (from, to) => {
        const moved = addFigures({ ...from }, figuresDelta(from, to));
        for (const code of ['a', 'b', 'c']) expect(moved[code] ?? 0).toBe(to[code] ?? 0);
      }),
    );
    expect(addFigures({ a: 1 }, { a: 2, b: 3 })).toEqual({ a: 3, b: 3 });
  });

  it('carry only the campaign’s indicators', () => {
    expect(unknownIndicatorErrors({ indicators: ['mss.usagers'] }, { 'mss.usagers': 1, 'x.y': 2 })).toEqual([{ path: 'indicators.x.y', message: expect.any(String) }]);
    expect(unknownIndicatorErrors({ indicators: ['mss.usagers'] }, { 'x.y': 2 }, 'reports.0.indicators')).toEqual([{ path: 'reports.0.indicators.x.y', message: expect.any(String) }]);
    expect(outcome(() => assertKnownIndicators({ indicators: ['mss.usagers'] }, { 'x.y': 2 }))).toBe('validation_failed');
    expect(outcome(() => assertKnownIndicators({ indicators: ['mss.usagers'] }, { 'mss.usagers': 2 }))).toBe('ok');
  });
});
