import fc from 'fast-check';
import { parseInstant } from '../../layers/domain/calendar';
import {
  arsMailbox,
  assertTargetsWithinIndicators,
  calendarProblems,
  experimentationText,
  intakeDeadlineText,
  milestoneInstants,
  newCampaign,
  patchCampaign,
  phaseAt,
  viewCampaign,
  type Campaign,
} from '../../layers/domain/campaign';
import { defaultCampaign } from '../../layers/domain/default-campaign';
import { outcome, thrown } from './support/outcome';

const at = (text: string): Date => parseInstant(text)!;
const CREATED = at('2023-08-01T00:00:00+02:00');
const campaign = newCampaign(defaultCampaign, CREATED);
const m = milestoneInstants(campaign);
const iso = (date: Date) => date.toISOString();

describe('a campaign’s milestones', () => {
  it('are instants, the experimentation days run from midnight Paris to the midnight after, reporting closes after the grace days', () => {
    expect(Object.fromEntries(Object.entries(m).map(([name, value]) => [name, iso(value)]))).toEqual({
      intakeOpensAt: '2023-08-31T22:00:00.000Z',
      intakeClosesAt: '2023-10-31T23:00:00.000Z',
      selectionEndsAt: '2023-12-15T23:00:00.000Z',
      conventionsDueAt: '2024-02-14T23:00:00.000Z',
      experimentationStart: '2024-02-14T23:00:00.000Z',
      experimentationEnd: '2024-10-15T22:00:00.000Z',
      reportingGraceDays: '2024-10-30T23:00:00.000Z',
      reportingClosesAt: '2024-10-30T23:00:00.000Z',
    });
  });

  it('give the phase at each instant, each boundary belonging to the later phase', () => {
    const edges: Array<[Date, string, string]> = [
      [m.intakeOpensAt, 'a_venir', 'candidatures'],
      [m.intakeClosesAt, 'candidatures', 'selection'],
      [m.selectionEndsAt, 'selection', 'conventionnement'],
      [m.experimentationStart, 'conventionnement', 'experimentation'],
      [m.reportingClosesAt, 'experimentation', 'cloturee'],
    ];
    for (const [edge, before, after] of edges) {
      expect([phaseAt(campaign, new Date(edge.getTime() - 1)), phaseAt(campaign, edge)]).toEqual([before, after]);
    }
    fc.assert(
      fc.property(fc.constantFrom(...edges), fc.integer({ min: -86_400_000, max: 86_400_000 }), ([edge, before, after], offset) => {
        expect(phaseAt(campaign, new Date(edge.getTime() + offset))).toBe(offset < 0 ? before : after);
      }),
    );
    expect(viewCampaign(campaign, at('2023-10-01T00:00:00+02:00'))).toMatchObject({ phase: 'candidatures', reportingClosesAt: '2024-10-31T00:00:00+01:00', id: campaign.id });
  });

  it('read as people write them', () => {
    expect(intakeDeadlineText(campaign)).toBe('31 octobre 2023 à 23 h 59 (heure de Paris)');
    expect(experimentationText(campaign)).toBe('du 15 février 2024 au 15 octobre 2024');
  });
});

describe('a new campaign', () => {
  it('is version 1, stamped, its indicators without duplicates', () => {
    const created = newCampaign({ ...defaultCampaign, indicators: [...defaultCampaign.indicators, defaultCampaign.indicators[0]!] }, CREATED);
    expect(created).toMatchObject({ version: 1, createdAt: '2023-08-01T00:00:00+02:00', updatedAt: '2023-08-01T00:00:00+02:00', indicators: defaultCampaign.indicators });
  });

  it.each([
    ['closing before opening', { intakeClosesAt: '2023-08-31T00:00:00+02:00' }, ['intakeClosesAt']],
    ['closing at the opening', { intakeClosesAt: defaultCampaign.intakeOpensAt }, ['intakeClosesAt']],
    ['selection ending at the closing', { selectionEndsAt: defaultCampaign.intakeClosesAt }, ['selectionEndsAt']],
    ['conventions due at the selection end', { conventionsDueAt: defaultCampaign.selectionEndsAt }, ['conventionsDueAt']],
    ['experimentation starting before the selection ends', { experimentationStart: '2023-12-10' }, ['experimentationStart']],
    ['experimentation ending on its first day', { experimentationEnd: '2024-02-14' }, ['experimentationEnd']],
  ])('refuses a calendar with %s, naming the field', (_what, change, paths) => {
    const error = thrown(() => newCampaign({ ...defaultCampaign, ...change }, CREATED));
    expect(error.code).toBe('validation_failed');
    expect(error.errors?.map((problem) => problem.path)).toEqual(paths);
    expect(error.errors?.every((problem) => problem.message.length > 20)).toBe(true);
    expect(error.detail).toBe('Le calendrier de la campagne est incohérent.');
  });

  it('accepts the experimentation starting the very instant the selection ends, and lasting one day', () => {
    expect(calendarProblems({ ...defaultCampaign, selectionEndsAt: '2024-02-15T00:00:00+01:00', conventionsDueAt: '2024-02-16T00:00:00+01:00' })).toEqual([]);
    expect(calendarProblems({ ...defaultCampaign, experimentationEnd: '2024-02-15' })).toEqual([]);
  });

  it('refuses a target on an indicator it does not follow', () => {
    expect(thrown(() => assertTargetsWithinIndicators(['mss.usagers'], { 'mss.usagers': 1, 'bal.nominatives': 2 }))).toMatchObject({ code: 'validation_failed', errors: [{ path: 'targets.bal.nominatives', message: 'Indicateur absent de la campagne' }] });
    expect(outcome(() => assertTargetsWithinIndicators(['mss.usagers'], { 'mss.usagers': 1 }))).toBe('ok');
    expect(outcome(() => newCampaign({ ...defaultCampaign, indicators: ['mss.usagers'] }, CREATED))).toBe('validation_failed');
  });
});

describe('patching a campaign', () => {
  const DURING_INTAKE = at('2023-10-12T10:00:00+02:00');

  it('moves a milestone still ahead to a time still ahead, one version up', () => {
    const patched = patchCampaign(campaign, { intakeClosesAt: '2023-11-05T00:00:00+01:00' }, DURING_INTAKE);
    expect(patched).toMatchObject({ intakeClosesAt: '2023-11-05T00:00:00+01:00', version: 2, updatedAt: '2023-10-12T10:00:00+02:00' });
  });

  it('refuses to move a passed milestone, saying until when it ran', () => {
    const error = thrown(() => patchCampaign(campaign, { intakeOpensAt: '2023-09-02T00:00:00+02:00' }, DURING_INTAKE));
    expect(error).toMatchObject({ code: 'milestone_passed', errors: [{ path: 'intakeOpensAt', message: 'Jalon déjà passé' }] });
    expect(error.detail).toContain("L'ouverture des candidatures est déjà passée");
  });

  it('refuses to move a milestone into the past, or to the present instant', () => {
    const error = thrown(() => patchCampaign(campaign, { intakeClosesAt: '2023-10-12T09:00:00+02:00' }, DURING_INTAKE));
    expect(error).toMatchObject({ code: 'milestone_passed', errors: [{ path: 'intakeClosesAt', message: 'Date déjà passée' }] });
    expect(outcome(() => patchCampaign(campaign, { intakeClosesAt: '2023-10-12T10:00:00+02:00' }, DURING_INTAKE))).toBe('milestone_passed');
  });

  it('lets a milestone move until the instant before it, never from it on', () => {
    const moved = { intakeClosesAt: '2023-11-05T00:00:00+01:00' };
    expect(outcome(() => patchCampaign(campaign, moved, new Date(m.intakeClosesAt.getTime() - 1)))).toBe('ok');
    expect(outcome(() => patchCampaign(campaign, moved, m.intakeClosesAt))).toBe('milestone_passed');
  });

  it('lets a passed milestone be sent again unchanged, and other fields change', () => {
    expect(outcome(() => patchCampaign(campaign, { intakeOpensAt: defaultCampaign.intakeOpensAt, title: 'Nouveau titre' }, DURING_INTAKE))).toBe('ok');
    // The same instant written with another offset is no move.
    expect(outcome(() => patchCampaign(campaign, { intakeOpensAt: '2023-08-31T22:00:00Z' }, DURING_INTAKE))).toBe('ok');
  });

  it.each([
    ['quotas', { quotas: { NAQ: 3 } }, m.selectionEndsAt, 'quotas'],
    ['targets', { targets: { 'mss.usagers': 5 } }, m.experimentationStart, 'targets'],
    ['funding', { fundingPerPilotEur: 30_000 }, m.experimentationStart, 'fundingPerPilotEur'],
  ] as const)('lets the %s change until the instant before their milestone, not from it on', (_what, patch, edge, path) => {
    expect(outcome(() => patchCampaign(campaign, patch, new Date(edge.getTime() - 1)))).toBe('ok');
    expect(thrown(() => patchCampaign(campaign, patch, edge))).toMatchObject({ code: 'milestone_passed', errors: [{ path, message: expect.stringMatching(/^\S{5,}/) }], detail: expect.stringMatching(/^\S{2,}.{20,}/) });
  });

  it('keeps the calendar in order and the targets on followed indicators', () => {
    expect(thrown(() => patchCampaign(campaign, { selectionEndsAt: '2024-03-01T00:00:00+01:00' }, DURING_INTAKE)).errors?.map((problem) => problem.path)).toEqual(['conventionsDueAt', 'experimentationStart']);
    expect(outcome(() => patchCampaign(campaign, { targets: { 'inconnu.x': 1 } }, DURING_INTAKE))).toBe('validation_failed');
  });

  it('checks every milestone field it is given', () => {
    const later: Campaign = { ...campaign };
    const fields = ['intakeOpensAt', 'intakeClosesAt', 'selectionEndsAt', 'conventionsDueAt'] as const;
    for (const field of fields) {
      const edge = m[field];
      const moved = new Date(edge.getTime() + 60_000).toISOString();
      expect({ field, result: outcome(() => patchCampaign(later, { [field]: moved }, edge)) }).toEqual({ field, result: 'milestone_passed' });
      expect(thrown(() => patchCampaign(later, { [field]: moved }, edge)).detail).toMatch(/^\S.{10,} est déjà passée : le délai courait jusqu'au .+\. Elle ne peut plus être modifiée\.$/);
    }
    expect(outcome(() => patchCampaign(campaign, { experimentationEnd: '2024-10-20' }, m.experimentationEnd))).toBe('milestone_passed');
    expect(outcome(() => patchCampaign(campaign, { experimentationStart: '2024-02-16' }, m.experimentationStart))).toBe('milestone_passed');
    expect(outcome(() => patchCampaign(campaign, { reportingGraceDays: 20 }, m.reportingClosesAt))).toBe('milestone_passed');
    expect(outcome(() => patchCampaign(campaign, { reportingGraceDays: 20 }, DURING_INTAKE))).toBe('ok');
  });
});

describe('the wording of the campaign refusals', () => {
  const DURING_INTAKE = at('2023-10-12T10:00:00+02:00');

  it('says each calendar problem on the field to fix', () => {
    const tangled = { ...defaultCampaign, intakeClosesAt: defaultCampaign.intakeOpensAt, selectionEndsAt: defaultCampaign.intakeOpensAt, conventionsDueAt: defaultCampaign.intakeOpensAt, experimentationEnd: '2023-08-30' };
    expect(calendarProblems(tangled)).toEqual([
      { path: 'intakeClosesAt', message: 'La clôture des candidatures doit suivre leur ouverture' },
      { path: 'selectionEndsAt', message: 'La fin de la sélection doit suivre la clôture des candidatures' },
      { path: 'conventionsDueAt', message: 'La date limite des conventions doit suivre la fin de la sélection' },
      { path: 'experimentationEnd', message: "La fin de l'expérimentation doit suivre son début" },
    ]);
    expect(calendarProblems({ ...defaultCampaign, experimentationStart: '2023-12-15' })).toEqual([
      { path: 'experimentationStart', message: "L'expérimentation doit commencer après la fin de la sélection" },
    ]);
  });

  it('names every target on an indicator the campaign does not follow', () => {
    expect(thrown(() => assertTargetsWithinIndicators(['mss.usagers'], { 'bal.nominatives': 2, 'mss.usagers': 1, 'x.y': 3 }))).toMatchObject({
      code: 'validation_failed',
      detail: 'Chaque objectif doit porter sur un indicateur de la campagne.',
      errors: [
        { path: 'targets.bal.nominatives', message: 'Indicateur absent de la campagne' },
        { path: 'targets.x.y', message: 'Indicateur absent de la campagne' },
      ],
    });
  });

  it('says until when a passed milestone ran, and that it can no longer change', () => {
    expect(thrown(() => patchCampaign(campaign, { intakeOpensAt: '2023-09-02T00:00:00+02:00' }, DURING_INTAKE)).detail).toBe(
      "L'ouverture des candidatures est déjà passée : le délai courait jusqu'au 31 août 2023 à 23 h 59 (heure de Paris). Elle ne peut plus être modifiée.",
    );
    expect(thrown(() => patchCampaign(campaign, { experimentationStart: '2024-02-20' }, m.experimentationStart)).detail).toBe(
      "Le début de l'expérimentation est déjà passée : le délai courait jusqu'au 14 février 2024 à 23 h 59 (heure de Paris). Elle ne peut plus être modifiée.",
    );
  });

  it('refuses a milestone moved into the past, naming it', () => {
    expect(thrown(() => patchCampaign(campaign, { selectionEndsAt: '2023-10-01T00:00:00+02:00' }, DURING_INTAKE))).toMatchObject({
      code: 'milestone_passed',
      detail: 'La fin de la sélection ne peut pas être placée dans le passé.',
      errors: [{ path: 'selectionEndsAt', message: 'Date déjà passée' }],
    });
  });

  it('says why quotas, targets and funding are frozen', () => {
    expect(thrown(() => patchCampaign(campaign, { quotas: { NAQ: 3 } }, m.selectionEndsAt))).toMatchObject({
      detail: 'La sélection est terminée : les quotas ne peuvent plus être modifiés.',
      errors: [{ path: 'quotas', message: 'Sélection terminée' }],
    });
    const frozen = { detail: "L'expérimentation a commencé : objectifs et financement ne peuvent plus être modifiés.", errors: [{ path: 'targets', message: 'Expérimentation commencée' }] };
    expect(thrown(() => patchCampaign(campaign, { targets: { 'mss.usagers': 5 }, fundingPerPilotEur: 30_000 }, m.experimentationStart))).toMatchObject(frozen);
    expect(thrown(() => patchCampaign(campaign, { fundingPerPilotEur: 30_000 }, m.experimentationStart))).toMatchObject({ ...frozen, errors: [{ path: 'fundingPerPilotEur', message: 'Expérimentation commencée' }] });
  });

  it('lets quotas, targets and funding be sent after their milestone only when they are absent', () => {
    expect(outcome(() => patchCampaign(campaign, { title: 'Nouveau titre' }, m.reportingClosesAt))).toBe('ok');
  });
});

describe('the mailbox of an ARS for a campaign', () => {
  it('is the campaign’s own contact for that ARS, else the deployment’s', () => {
    const withContacts = { arsContacts: { NAQ: 'esms@ars-naq.fr' } };
    expect(arsMailbox(withContacts, 'NAQ')).toBe('esms@ars-naq.fr');
    expect(arsMailbox(withContacts, 'OCC')).toBe('ars-occ@mailbox-not-configured.invalid');
    expect(arsMailbox({}, 'NAQ')).toBe('ars-naq@mailbox-not-configured.invalid');
  });
});
