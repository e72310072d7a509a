import { parseInstant } from '../../layers/domain/calendar';
import { dashboardView, type DashboardInputs, type UsageCounter } from '../../layers/domain/dashboard';
import { defaultCampaign } from '../../layers/domain/default-campaign';

const at = (text: string): Date => parseInstant(text)!;
/** fr-FR groups thousands with a narrow no-break space. */
const NNBSP = '\u202f';

// The 2023 calendar: experimentation 15 February – 15 October 2024, so on 10 June the May figures are expected.
const campaign: DashboardInputs['campaign'] = {
  ...defaultCampaign,
  id: 'mes-esms-2023',
  indicators: ['mss.usagers', 'mss.professionnels', 'bal.nominatives', 'bal.organisationnelles', 'docs_dmp.74207-2', 'docs_dmp.BIL_AUTO', 'mes.activations_accompagnees', 'ins.qualifiees'],
};
const JUNE = at('2024-06-10T10:00:00+02:00');

const zeros = Object.fromEntries(campaign.indicators.map((code) => [code, 0]));

// Shards out of month order, two of them for NAQ in May; GES appears only through its counters.
const counters: UsageCounter[] = [
  { ars: 'NAQ', month: '2024-05', pilots: 3, totals: { 'mss.usagers': 700, 'mss.professionnels': 534, 'bal.nominatives': 60, 'docs_dmp.74207-2': 2, 'docs_dmp.BIL_AUTO': 1, 'mes.activations_accompagnees': 1, 'ins.qualifiees': 40 } },
  { ars: 'NAQ', month: '2024-04', pilots: 4, totals: { 'mss.usagers': 100, 'bal.nominatives': 80, 'bal.organisationnelles': 1 } },
  { ars: 'NAQ', month: '2024-05', pilots: 2, totals: { 'mss.usagers': 30, 'bal.nominatives': 29 } },
  { ars: 'GES', month: '2024-03', pilots: 1, totals: { 'mss.usagers': 5 } },
];

const inputs = (overrides: Partial<DashboardInputs> = {}): DashboardInputs => ({
  campaign,
  now: JUNE,
  ars: 'NAQ',
  // NAQ holds files; OCC has only a signed convention, BRE only a pilot, GES only usage counters.
  applications: new Map([['NAQ', { brouillon: 2, deposee: 3, retenue: 5, non_retenue: undefined }]]),
  conventionsSigned: new Map([['NAQ', 4], ['OCC', 1]]),
  pilots: new Map([['NAQ', 5], ['BRE', 2]]),
  counters,
  ...overrides,
});

const NAQ_FIGURES = {
  applications: { total: 10, byStatus: { brouillon: 2, deposee: 3, en_instruction: 0, retenue: 5, non_retenue: 0, sans_suite: 0 } },
  retained: 5,
  conventionsSigned: 4,
  pilots: 5,
  pilotsReporting: 5,
  totals: { ...zeros, 'mss.usagers': 830, 'mss.professionnels': 534, 'bal.nominatives': 89, 'bal.organisationnelles': 1, 'docs_dmp.74207-2': 2, 'docs_dmp.BIL_AUTO': 1, 'mes.activations_accompagnees': 1, 'ins.qualifiees': 40 },
  months: [
    { month: '2024-04', pilotsReporting: 4, totals: { ...zeros, 'mss.usagers': 100, 'bal.nominatives': 80, 'bal.organisationnelles': 1 } },
    { month: '2024-05', pilotsReporting: 5, totals: { ...zeros, 'mss.usagers': 730, 'mss.professionnels': 534, 'bal.nominatives': 89, 'docs_dmp.74207-2': 2, 'docs_dmp.BIL_AUTO': 1, 'mes.activations_accompagnees': 1, 'ins.qualifiees': 40 } },
  ],
  summary: `5 structures pilotes, 89 boîtes aux lettres nominatives, 1 boîte aux lettres organisationnelle, 1${NNBSP}364 messages sécurisés, 3 documents envoyés au DMP, 1 profil Mon espace santé activé`,
};

describe('the dashboard of one region', () => {
  it('sums the shards of a month, adds flows over the months, keeps each stock at the latest month that reported it', () => {
    expect(dashboardView(inputs())).toEqual({ campaignId: 'mes-esms-2023', ars: 'NAQ', generatedAt: '2024-06-10T10:00:00+02:00', reportingMonth: '2024-05', ...NAQ_FIGURES });
  });

  it('counts no pilot reporting when the expected month has no counter, and none before the first month is due', () => {
    const july = dashboardView(inputs({ now: at('2024-07-02T10:00:00+02:00') }));
    expect([july.reportingMonth, july.pilotsReporting]).toEqual(['2024-06', 0]);
    const february = dashboardView(inputs({ now: at('2024-02-20T10:00:00+01:00'), counters: [] }));
    expect([february.reportingMonth, february.pilotsReporting, february.months, february.totals]).toEqual([null, 0, [], zeros]);
  });

  it('shows a region without any activity as zeros, with only its pilots in the summary', () => {
    expect(dashboardView(inputs({ ars: 'COR' }))).toEqual({
      campaignId: 'mes-esms-2023',
      ars: 'COR',
      generatedAt: '2024-06-10T10:00:00+02:00',
      reportingMonth: '2024-05',
      applications: { total: 0, byStatus: { brouillon: 0, deposee: 0, en_instruction: 0, retenue: 0, non_retenue: 0, sans_suite: 0 } },
      retained: 0,
      conventionsSigned: 0,
      pilots: 0,
      pilotsReporting: 0,
      totals: zeros,
      months: [],
      summary: '0 structure pilote',
    });
  });

  it('writes one of each thing in the singular and more than one in the plural', () => {
    const one: UsageCounter = { ars: 'NAQ', month: '2024-05', pilots: 1, totals: { 'bal.nominatives': 1, 'mss.professionnels': 1, 'docs_dmp.BIL_AUTO': 1, 'mes.activations_accompagnees': 2 } };
    const view = dashboardView(inputs({ pilots: new Map([['NAQ', 1]]), counters: [one] }));
    expect(view.summary).toBe('1 structure pilote, 1 boîte aux lettres nominative, 1 message sécurisé, 1 document envoyé au DMP, 2 profils Mon espace santé activés');
  });

  it('publishes each count of 1 to 4 as NS, everywhere, the summary included', () => {
    const view = dashboardView(inputs(), { publishable: true });
    expect(view).toEqual({
      campaignId: 'mes-esms-2023',
      ars: 'NAQ',
      generatedAt: '2024-06-10T10:00:00+02:00',
      reportingMonth: '2024-05',
      applications: { total: 10, byStatus: { brouillon: 'NS', deposee: 'NS', en_instruction: 0, retenue: 5, non_retenue: 0, sans_suite: 0 } },
      retained: 5,
      conventionsSigned: 'NS',
      pilots: 5,
      pilotsReporting: 5,
      totals: { ...zeros, 'mss.usagers': 830, 'mss.professionnels': 534, 'bal.nominatives': 89, 'bal.organisationnelles': 'NS', 'docs_dmp.74207-2': 'NS', 'docs_dmp.BIL_AUTO': 'NS', 'mes.activations_accompagnees': 'NS', 'ins.qualifiees': 40 },
      months: [
        { month: '2024-04', pilotsReporting: 'NS', totals: { ...zeros, 'mss.usagers': 100, 'bal.nominatives': 80, 'bal.organisationnelles': 'NS' } },
        { month: '2024-05', pilotsReporting: 5, totals: { ...zeros, 'mss.usagers': 730, 'mss.professionnels': 534, 'bal.nominatives': 89, 'docs_dmp.74207-2': 'NS', 'docs_dmp.BIL_AUTO': 'NS', 'mes.activations_accompagnees': 'NS', 'ins.qualifiees': 40 } },
      ],
      summary: `5 structures pilotes, 89 boîtes aux lettres nominatives, NS boîtes aux lettres organisationnelles, 1${NNBSP}364 messages sécurisés, NS documents envoyés au DMP, NS profils Mon espace santé activés`,
    });
  });
});

describe('the national dashboard', () => {
  it('adds every region up and lists, in code order, each region with any activity of any kind', () => {
    const view = dashboardView(inputs({ ars: undefined }));
    expect(view).toMatchObject({
      ars: null,
      applications: { total: 10 },
      retained: 5,
      conventionsSigned: 5,
      pilots: 7,
      pilotsReporting: 5,
      totals: { 'mss.usagers': 835, 'bal.nominatives': 89 },
      months: [
        { month: '2024-03', pilotsReporting: 1, totals: { ...zeros, 'mss.usagers': 5 } },
        { month: '2024-04', pilotsReporting: 4 },
        { month: '2024-05', pilotsReporting: 5 },
      ],
      summary: `7 structures pilotes, 89 boîtes aux lettres nominatives, 1 boîte aux lettres organisationnelle, 1${NNBSP}369 messages sécurisés, 3 documents envoyés au DMP, 1 profil Mon espace santé activé`,
    });
    expect(view.regions!.map((region) => [region.ars, region.name, region.pilots, region.conventionsSigned, region.totals['mss.usagers']])).toEqual([
      ['BRE', 'Bretagne', 2, 0, 0],
      ['GES', 'Grand Est', 0, 0, 5],
      ['NAQ', 'Nouvelle-Aquitaine', 5, 4, 830],
      ['OCC', 'Occitanie', 0, 1, 0],
    ]);
    expect(view.regions![2]).toEqual({ ars: 'NAQ', name: 'Nouvelle-Aquitaine', ...NAQ_FIGURES });
  });

  it('has no region entries in a regional view', () => {
    expect(Object.keys(dashboardView(inputs()))).not.toContain('regions');
  });
});
