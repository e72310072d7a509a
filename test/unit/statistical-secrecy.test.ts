import { dashboardView, type DashboardInputs } from '../../layers/domain/dashboard';
import { DomainError } from '../../layers/domain/errors';
import { isSecret, publishable, publishableRequested } from '../../layers/domain/statistical-secrecy';

describe('statistical secrecy', () => {
  it('hides the counts from 1 to 4 only: 0 reveals no one, 5 and more are published', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 120].map(publishable)).toEqual([0, 'NS', 'NS', 'NS', 'NS', 5, 6, 120]);
    expect([0, 4, 5].map(isSecret)).toEqual([false, true, false]);
  });

  it('reads ?publishable= as true or false (absent: false) and refuses anything else with a 400 naming it', () => {
    expect([publishableRequested({}), publishableRequested({ publishable: 'false' }), publishableRequested({ publishable: 'true', ars: 'NAQ' })]).toEqual([false, false, true]);
    for (const value of ['', 'maybe', 'TRUE', '1', 'true,true']) {
      let caught: unknown;
      try {
        publishableRequested({ publishable: value });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(DomainError);
      expect(caught).toMatchObject({
        code: 'validation_failed',
        detail: 'Le paramètre publishable vaut true ou false.',
        errors: [{ path: 'query.publishable', message: 'Valeur attendue : true ou false' }],
      });
    }
  });
});

describe('the dashboard as published', () => {
  const inputs: DashboardInputs = {
    campaign: {
      id: 'c',
      indicators: ['mss.usagers', 'bal.nominatives', 'mes.delegations'],
      experimentationStart: '2039-04-01',
      experimentationEnd: '2039-08-15',
      intakeOpensAt: '2039-01-05T00:00:00+01:00',
      intakeClosesAt: '2039-02-01T00:00:00+01:00',
      selectionEndsAt: '2039-03-01T00:00:00+01:00',
      conventionsDueAt: '2039-03-20T00:00:00+01:00',
      reportingGraceDays: 15,
    },
    now: new Date('2039-06-10T07:00:00Z'),
    ars: undefined,
    applications: new Map([['NAQ', { retenue: 6, non_retenue: 2 }], ['OCC', { retenue: 1 }]]),
    conventionsSigned: new Map([['NAQ', 6], ['OCC', 1]]),
    pilots: new Map([['NAQ', 6], ['OCC', 1]]),
    counters: [
      { ars: 'NAQ', month: '2039-05', pilots: 6, totals: { 'mss.usagers': 30, 'bal.nominatives': 3 } },
      { ars: 'OCC', month: '2039-05', pilots: 1, totals: { 'mss.usagers': 2 } },
    ],
  } as unknown as DashboardInputs;

  it('writes every count of 1 to 4 as NS, nationally, per region, per month and in the summary; 0 stays 0', () => {
    const view = dashboardView(inputs, { publishable: true });
    expect(view).toMatchObject({
      applications: { total: 9, byStatus: { retenue: 7, non_retenue: 'NS', brouillon: 0 } },
      retained: 7,
      pilots: 7,
      pilotsReporting: 7,
      totals: { 'mss.usagers': 32, 'bal.nominatives': 'NS', 'mes.delegations': 0 },
      months: [{ month: '2039-05', pilotsReporting: 7, totals: { 'mss.usagers': 32, 'bal.nominatives': 'NS', 'mes.delegations': 0 } }],
      summary: '7 structures pilotes, NS boîtes aux lettres nominatives, 32 messages sécurisés',
    });
    expect(view.regions!.map((region) => [region.ars, region.pilots, region.retained, region.totals['mss.usagers'], region.summary])).toEqual([
      ['NAQ', 6, 6, 30, '6 structures pilotes, NS boîtes aux lettres nominatives, 30 messages sécurisés'],
      ['OCC', 'NS', 'NS', 'NS', 'NS structures pilotes, NS messages sécurisés'],
    ]);
  });

  it('gives the figures in full without the option', () => {
    const view = dashboardView(inputs);
    expect(view).toMatchObject({ applications: { byStatus: { non_retenue: 2 } }, totals: { 'bal.nominatives': 3 }, summary: '7 structures pilotes, 3 boîtes aux lettres nominatives, 32 messages sécurisés' });
    expect(view.regions![1]).toMatchObject({ ars: 'OCC', pilots: 1, summary: '1 structure pilote, 2 messages sécurisés' });
  });
});
