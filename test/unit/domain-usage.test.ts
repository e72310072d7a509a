import fc from 'fast-check';
import { parseInstant } from '../../layers/domain/calendar';
import { newCampaign } from '../../layers/domain/campaign';
import { defaultCampaign } from '../../layers/domain/default-campaign';
import { ConcurrentModificationError, DomainError } from '../../layers/domain/errors';
import {
  addFigures,
  assertKnownIndicators,
  assertReportable,
  figuresDelta,
  indicatorsView,
  isWellFormedReport,
  monthMeetsExperimentation,
  monthSchema,
  monthsDue,
  monthText,
  planReport,
  reportingClientSchema,
  reportingMonth,
  reportingPeriod,
  sameFigures,
  unknownIndicatorErrors,
  usageBatchSchema,
  usageMonthView,
  usagePutSchema,
  usageReportSchema,
} from '../../layers/domain/usage';
import { outcome, thrown } from './support/outcome';

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

describe('the refusals of a report, word for word', () => {
  it('says why a month is outside the experimentation, naming the month and the experimentation days', () => {
    expect(thrown(() => assertReportable(campaign, '2024-11', at('2024-10-20T10:00:00+02:00')))).toMatchObject({
      code: 'period_outside_experimentation',
      detail: "Le mois de novembre 2024 est en dehors de l'expérimentation (du 15 février 2024 au 15 octobre 2024) : aucun chiffre ne peut être déclaré pour ce mois.",
      errors: [{ path: 'month', message: "Mois hors de la période d'expérimentation" }],
    });
  });

  it('says until when reporting was open', () => {
    expect(thrown(() => assertReportable(campaign, '2024-10', closesAt))).toMatchObject({
      code: 'reporting_closed',
      detail: "Les remontées de cette campagne sont closes : elles étaient possibles jusqu'au 30 octobre 2024 à 23 h 59 (heure de Paris).",
    });
  });

  it('says a month has not begun yet', () => {
    expect(thrown(() => assertReportable(campaign, '2024-04', at('2024-03-31T23:59:59+02:00')))).toMatchObject({
      code: 'period_outside_experimentation',
      detail: "Le mois de avril 2024 n'a pas encore commencé : ses chiffres ne peuvent pas encore être déclarés.",
      errors: [{ path: 'month', message: 'Mois pas encore commencé' }],
    });
  });

  it('names each unknown indicator in the order given', () => {
    expect(thrown(() => assertKnownIndicators({ indicators: ['mss.usagers'] }, { 'x.y': 2, 'mss.usagers': 1, 'a.b': 0 }))).toMatchObject({
      code: 'validation_failed',
      detail: 'Certains indicateurs ne font pas partie de ceux de la campagne.',
      errors: [
        { path: 'indicators.x.y', message: 'Indicateur inconnu pour cette campagne' },
        { path: 'indicators.a.b', message: 'Indicateur inconnu pour cette campagne' },
      ],
    });
  });

  it.each([
    [{ 'mss.usagers': 2.5 }, 'Nombre entier attendu (pas de décimales)'],
    [{ 'mss.usagers': -1 }, 'Nombre positif ou nul attendu'],
    [{ 'mss.usagers': 1_000_001 }, 'Au plus 1\u202f000\u202f000'],
    [{ 'mss.usagers': '3' }, 'Nombre entier attendu'],
    [{}, 'Au moins un indicateur attendu'],
    [Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`mss.c${i}`, 1])), 'Au plus 100 indicateurs'],
  ])('refuses the figures %j saying “%s”', (indicators, message) => {
    const result = usagePutSchema.safeParse({ indicators });
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([message]);
  });

  it('takes 100 indicators and codes of 1 to 80 characters', () => {
    expect(usagePutSchema.safeParse({ indicators: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`mss.c${i}`, 1])) }).success).toBe(true);
    expect(usagePutSchema.safeParse({ indicators: { ['x'.repeat(80)]: 1, y: 0 } }).success).toBe(true);
    expect(usagePutSchema.safeParse({ indicators: { ['x'.repeat(81)]: 1 } }).success).toBe(false);
    expect(usagePutSchema.safeParse({ indicators: { '': 1 } }).success).toBe(false);
  });

  it('refuses a batch of no report or of more than 500, saying so', () => {
    const report = { finess: '330780115', month: '2024-03', indicators: { 'mss.usagers': 1 } };
    expect(usageBatchSchema.safeParse({ campaignId: campaign.id, reports: [] }).error?.issues.map((issue) => issue.message)).toEqual(['Au moins une déclaration attendue']);
    expect(usageBatchSchema.safeParse({ campaignId: campaign.id, reports: Array.from({ length: 501 }, () => report) }).error?.issues.map((issue) => issue.message)).toEqual(['Au plus 500 déclarations par appel']);
    expect(usageBatchSchema.safeParse({ campaignId: campaign.id, reports: Array.from({ length: 500 }, () => report) }).success).toBe(true);
  });

  it('refuses a month that is not AAAA-MM, with an example', () => {
    expect(monthSchema.safeParse('2024-3').error?.issues.map((issue) => issue.message)).toEqual(['Mois AAAA-MM attendu, par ex. 2024-03']);
    expect(monthSchema.safeParse('2024-03').success).toBe(true);
  });

  it.each([
    ['dui.editeur-1:prod_A', true],
    ['x'.repeat(128), true],
    ['x'.repeat(129), false],
    ['', false],
    ['dui editeur', false],
    ['dui/editeur', false],
  ])('takes %s as a reporting client id: %s', (clientId, accepted) => {
    const result = reportingClientSchema.safeParse({ clientId });
    expect(result.success).toBe(accepted);
    if (!accepted) expect(result.error?.issues[0]?.message).toBe('Identifiant de client : lettres, chiffres, « . », « _ », « : » ou « - » (128 au plus)');
  });
});

describe('the reporting period of each campaign', () => {
  it('runs from the first to the last month of the experimentation, closing after the grace days', () => {
    expect(reportingPeriod(campaign)).toEqual({ firstMonth: '2024-02', lastMonth: '2024-10', closesAt: new Date('2024-10-30T23:00:00Z') });
  });

  it('is each campaign’s own, whichever was asked first', () => {
    const shorterGrace = { ...campaign, reportingGraceDays: 0 };
    const later = { ...campaign, experimentationStart: '2024-03-01', experimentationEnd: '2024-12-31' };
    expect(reportingPeriod(campaign).closesAt.toISOString()).toBe('2024-10-30T23:00:00.000Z');
    expect(reportingPeriod(shorterGrace).closesAt.toISOString()).toBe('2024-10-15T22:00:00.000Z');
    expect(reportingPeriod(later)).toEqual({ firstMonth: '2024-03', lastMonth: '2024-12', closesAt: new Date('2025-01-15T23:00:00Z') });
    expect(reportingMonth(later, at('2025-01-01T00:00:00+01:00'))).toBe('2024-12');
    expect(reportingMonth(later, at('2024-12-31T23:59:59+01:00'))).toBe('2024-11');
  });
});

describe('a planned report', () => {
  const pilot = { finess: '330780115', campaignId: campaign.id, ars: 'NAQ' as const };
  const now = at('2024-04-03T10:00:00+02:00');
  const input = { pilot, month: '2024-03', indicators: { 'mss.usagers': 4 }, actor: 'candidat:owner', now };
  const first = planReport(undefined, input);
  const stored = first.kind === 'write' ? first.next : undefined;

  it('is the whole month item, version 1, created and reported now', () => {
    expect(first).toEqual({
      kind: 'write',
      next: { ...pilot, month: '2024-03', indicators: { 'mss.usagers': 4 }, version: 1, reportedAt: '2024-04-03T10:00:00+02:00', reportedBy: 'candidat:owner', createdAt: '2024-04-03T10:00:00+02:00' },
      previous: undefined,
      correction: undefined,
      delta: { 'mss.usagers': 4 },
      newMonth: true,
    });
  });

  it('stores a negative zero as zero', () => {
    const plan = planReport(undefined, { ...input, indicators: { 'mss.usagers': -0 } });
    expect(plan.kind === 'write' && Object.is(plan.next.indicators['mss.usagers'], 0)).toBe(true);
  });

  it('keeps the month as it stands when the same figures come again', () => {
    expect(planReport(stored, { ...input, actor: 'client:dui' })).toEqual({ kind: 'unchanged', current: stored });
  });

  it('accepts the version the caller read, 0 for a month not reported yet', () => {
    expect(planReport(undefined, { ...input, expectedVersion: 0 }).kind).toBe('write');
    expect(planReport(stored, { ...input, indicators: { 'mss.usagers': 5 }, expectedVersion: 1 }).kind).toBe('write');
    expect(() => planReport(stored, { ...input, indicators: { 'mss.usagers': 5 }, expectedVersion: 0 })).toThrow(ConcurrentModificationError);
  });

  it('is viewed with its figures, its version, who reported it and each correction', () => {
    const later = at('2024-04-10T09:00:00+02:00');
    const second = planReport(stored, { ...input, indicators: { 'mss.usagers': 6 }, actor: 'client:dui', now: later });
    if (second.kind !== 'write') throw new Error('expected a write');
    expect(usageMonthView(second.next, [second.correction!])).toEqual({
      month: '2024-03',
      indicators: { 'mss.usagers': 6 },
      version: 2,
      reportedAt: '2024-04-10T09:00:00+02:00',
      reportedBy: 'client:dui',
      corrections: [{ version: 2, at: '2024-04-10T09:00:00+02:00', actor: 'client:dui', from: { 'mss.usagers': 4 }, to: { 'mss.usagers': 6 }, replacedReportedAt: '2024-04-03T10:00:00+02:00', replacedReportedBy: 'candidat:owner' }],
    });
    expect(usageMonthView(stored!).corrections).toEqual([]);
  });
});

describe('the indicators of a campaign', () => {
  it('are shown with their label and as a stock (mailboxes in service) or a flow', () => {
    expect(indicatorsView(['bal.nominatives', 'bal.organisationnelles', 'mss.usagers', 'x.inconnu'])).toEqual([
      { code: 'bal.nominatives', label: 'Boîtes aux lettres MSSanté nominatives en service', kind: 'stock' },
      { code: 'bal.organisationnelles', label: 'Boîtes aux lettres MSSanté organisationnelles en service', kind: 'stock' },
      { code: 'mss.usagers', label: 'Messages MSSanté échangés avec les usagers', kind: 'flux' },
      { code: 'x.inconnu', label: 'x.inconnu', kind: 'flux' },
    ]);
    expect(monthText('2024-03')).toBe('mars 2024');
  });
});

describe('the fast check of a batch report', () => {
  const report = (indicators: Record<string, number>) => ({ finess: '330780115', month: '2024-03', indicators });
  const codes = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`mss.c${i}`, 1]));

  it.each([
    ['one indicator', codes(1), true],
    ['100 indicators', codes(100), true],
    ['101 indicators', codes(101), false],
    ['no indicator', {}, false],
  ])('takes a report with %s as the schema does: %s', (_what, indicators, expected) => {
    expect(isWellFormedReport(report(indicators))).toBe(expected);
    expect(usageReportSchema.safeParse(report(indicators)).success).toBe(expected);
  });

  it.each([
    [1_000_000, true],
    [1_000_001, false],
    [0, true],
    [-1, false],
  ])('takes the figure %d as the schema does: %s', (figure, expected) => {
    expect(isWellFormedReport(report({ 'mss.usagers': figure }))).toBe(expected);
    expect(usageReportSchema.safeParse(report({ 'mss.usagers': figure })).success).toBe(expected);
  });

  it('leaves a report with a __proto__ indicator, as JSON can carry it, to the schema', () => {
    const parsed: unknown = JSON.parse('{"finess":"330780115","month":"2024-03","indicators":{"__proto__":1,"mss.usagers":2}}');
    expect(isWellFormedReport(parsed)).toBe(false);
  });

  it('refuses a month of more than seven characters', () => {
    expect(isWellFormedReport({ finess: '330780115', month: '2024-031', indicators: { 'mss.usagers': 1 } })).toBe(false);
  });
});
