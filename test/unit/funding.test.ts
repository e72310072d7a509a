import fc from 'fast-check';
import { parseInstant } from '../../layers/domain/calendar';
import { newCampaign } from '../../layers/domain/campaign';
import { dashboardView, type UsageCounter } from '../../layers/domain/dashboard';
import { defaultCampaign } from '../../layers/domain/default-campaign';
import { fundingOutcome, targetProgress } from '../../layers/domain/funding';

const at = (text: string): Date => parseInstant(text)!;
const campaign = newCampaign({ ...defaultCampaign, targets: { 'mss.usagers': 20, 'bal.nominatives': 5 } }, at('2023-08-01T00:00:00+02:00'));
const pilot = { amountEur: 20_000, firstInstalmentEur: 10_000 };
const DURING = at('2024-06-10T10:00:00+02:00');
const CLOSED = at('2024-10-31T00:00:00+01:00');

describe('the funding of a pilot', () => {
  it('pays half at signature and leaves the second half pending until reporting ends', () => {
    const outcome = fundingOutcome({ campaign, pilot, totals: { 'mss.usagers': 25, 'bal.nominatives': 6 }, now: DURING });
    expect(outcome).toMatchObject({ firstInstalmentEur: 10_000, secondInstalmentEur: 10_000, secondInstalmentStatus: 'en_attente', targetsMet: true, decidedAt: '2024-10-31T00:00:00+01:00' });
  });

  it('earns the second half at the end of reporting when every target is met, and only then', () => {
    expect(fundingOutcome({ campaign, pilot, totals: { 'mss.usagers': 20, 'bal.nominatives': 5 }, now: CLOSED }).secondInstalmentStatus).toBe('acquis');
    expect(fundingOutcome({ campaign, pilot, totals: { 'mss.usagers': 19, 'bal.nominatives': 500 }, now: CLOSED }).secondInstalmentStatus).toBe('non_acquis');
    expect(fundingOutcome({ campaign, pilot, totals: {}, now: CLOSED }).secondInstalmentStatus).toBe('non_acquis');
    expect(fundingOutcome({ campaign, pilot, totals: { 'mss.usagers': 20, 'bal.nominatives': 5 }, now: new Date(CLOSED.getTime() - 1) }).secondInstalmentStatus).toBe('en_attente');
  });

  it('is earned by every pilot of a campaign without targets', () => {
    expect(fundingOutcome({ campaign: { ...campaign, targets: {} }, pilot, totals: {}, now: CLOSED }).secondInstalmentStatus).toBe('acquis');
  });

  it('is acquis exactly when each total reaches its target, and the two instalments make the amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 1_000_000 }), (messages, mailboxes, amount) => {
        const outcome = fundingOutcome({ campaign, pilot: { amountEur: amount, firstInstalmentEur: Math.round(amount / 2) }, totals: { 'mss.usagers': messages, 'bal.nominatives': mailboxes }, now: CLOSED });
        expect(outcome.secondInstalmentStatus === 'acquis').toBe(messages >= 20 && mailboxes >= 5);
        expect(outcome.firstInstalmentEur + outcome.secondInstalmentEur).toBe(amount);
      }),
    );
  });

  it('shows progress per target in whole percent', () => {
    expect(targetProgress({ 'mss.usagers': 30, 'docs_dmp.74207-2': 0 }, { 'mss.usagers': 10 })).toEqual([
      { indicator: 'docs_dmp.74207-2', label: "Documents envoyés au DMP : Document de liaison d'urgence (DLU)", target: 0, total: 0, met: true, percent: 100 },
      { indicator: 'mss.usagers', label: 'Messages MSSanté échangés avec les usagers', target: 30, total: 10, met: false, percent: 33 },
    ]);
  });
});

describe('the progress towards targets', () => {
  it('rounds the percent down, goes past 100 once met, and labels an unknown indicator by its code', () => {
    expect(targetProgress({ 'x.autre': 3, 'mss.usagers': 30 }, { 'x.autre': 2, 'mss.usagers': 45 })).toEqual([
      { indicator: 'mss.usagers', label: 'Messages MSSanté échangés avec les usagers', target: 30, total: 45, met: true, percent: 150 },
      { indicator: 'x.autre', label: 'x.autre', target: 3, total: 2, met: false, percent: 66 },
    ]);
  });

  it('is the whole outcome: amounts, status, progress and the instant the second half is decided', () => {
    expect(fundingOutcome({ campaign, pilot: { amountEur: 25_000, firstInstalmentEur: 12_000 }, totals: { 'mss.usagers': 19, 'bal.nominatives': 5 }, now: CLOSED })).toEqual({
      amountEur: 25_000,
      firstInstalmentEur: 12_000,
      secondInstalmentEur: 13_000,
      secondInstalmentStatus: 'non_acquis',
      targetsMet: false,
      progress: [
        { indicator: 'bal.nominatives', label: 'Boîtes aux lettres MSSanté nominatives en service', target: 5, total: 5, met: true, percent: 100 },
        { indicator: 'mss.usagers', label: 'Messages MSSanté échangés avec les usagers', target: 20, total: 19, met: false, percent: 95 },
      ],
      decidedAt: '2024-10-31T00:00:00+01:00',
    });
  });
});

describe('the dashboard key figures', () => {
  const inputs = {
    campaign,
    now: DURING,
    applications: new Map([
      ['NAQ', { deposee: 1, retenue: 5 }],
      ['OCC', { retenue: 2, non_retenue: 3 }],
    ] as const),
    conventionsSigned: new Map([['NAQ', 5], ['OCC', 2]] as const),
    pilots: new Map([['NAQ', 5], ['OCC', 2]] as const),
    counters: <UsageCounter[]>[
      { ars: 'NAQ' as const, month: '2024-04', pilots: 4, totals: { 'mss.usagers': 100, 'bal.nominatives': 80 } },
      { ars: 'NAQ' as const, month: '2024-05', pilots: 3, totals: { 'mss.usagers': 70, 'bal.nominatives': 60 } },
      { ars: 'NAQ' as const, month: '2024-05', pilots: 2, totals: { 'mss.usagers': 30, 'bal.nominatives': 29 } },
      { ars: 'OCC' as const, month: '2024-05', pilots: 2, totals: { 'mss.usagers': 7 } },
    ],
  };

  it('sums the counter shards, adds flows over months and takes stocks from the latest month', () => {
    const naq = dashboardView({ ...inputs, ars: 'NAQ' });
    expect(naq).toMatchObject({ ars: 'NAQ', reportingMonth: '2024-05', pilots: 5, pilotsReporting: 5, retained: 5, applications: { total: 6 }, totals: { 'mss.usagers': 200, 'bal.nominatives': 89, 'mes.delegations': 0 } });
    expect(naq.summary).toBe('5 structures pilotes, 89 boîtes aux lettres nominatives, 200 messages sécurisés');
    expect(naq.regions).toBeUndefined();
  });

  it('adds one entry per region with activity in the national view', () => {
    const national = dashboardView({ ...inputs, ars: undefined });
    expect(national).toMatchObject({ ars: null, pilots: 7, pilotsReporting: 7, retained: 7, totals: { 'mss.usagers': 207 } });
    expect(national.regions!.map((region) => [region.ars, region.name, region.pilots])).toEqual([
      ['NAQ', 'Nouvelle-Aquitaine', 5],
      ['OCC', 'Occitanie', 2],
    ]);
  });
});
