import fc from 'fast-check';
import { addParisDays, parseInstant } from '../../layers/domain/calendar';
import { milestoneInstants, newCampaign } from '../../layers/domain/campaign';
import { defaultCampaign } from '../../layers/domain/default-campaign';
import { atExpression, dueWork, reportingReminderMonth, scheduledMilestones, scheduleName, type DueWork } from '../../layers/domain/milestones';

const at = (text: string): Date => parseInstant(text)!;
const campaign = newCampaign(defaultCampaign, at('2023-08-01T00:00:00+02:00'));
const m = milestoneInstants(campaign);
const DAY = 86_400_000;
const shifted = (instant: Date, ms: number) => new Date(instant.getTime() + ms);

const idle: DueWork = {
  draftReminder: false,
  closeIntake: false,
  selectionReminder: undefined,
  closeSelection: false,
  conventionReminder: undefined,
  lapseConventions: false,
  experimentationStarted: false,
  reportingReminderMonth: undefined,
  reportingClosed: false,
};

describe('the work due at an instant', () => {
  it('is nothing before the intake closes, two days ahead', () => {
    expect(dueWork(campaign, at('2023-10-01T10:00:00+02:00'))).toEqual(idle);
  });

  // [what, the instant, what is due then besides what was due before]
  const table: Array<[string, Date, Partial<DueWork>]> = [
    ['two days before the intake closes: the draft reminder', addParisDays(m.intakeClosesAt, -2), { draftReminder: true }],
    ['the instant before the intake closes: still the draft reminder', shifted(m.intakeClosesAt, -1), { draftReminder: true }],
    ['the intake closes', m.intakeClosesAt, { closeIntake: true }],
    ['seven days before the selection ends', addParisDays(m.selectionEndsAt, -7), { closeIntake: true, selectionReminder: 'j7' }],
    ['the instant before the day before the selection ends', shifted(addParisDays(m.selectionEndsAt, -1), -1), { closeIntake: true, selectionReminder: 'j7' }],
    ['the day before the selection ends', addParisDays(m.selectionEndsAt, -1), { closeIntake: true, selectionReminder: 'j1' }],
    ['the selection ends', m.selectionEndsAt, { closeIntake: true, closeSelection: true }],
    ['fourteen days before the conventions are due', addParisDays(m.conventionsDueAt, -14), { closeIntake: true, closeSelection: true, conventionReminder: 'j14' }],
    ['seven days before', addParisDays(m.conventionsDueAt, -7), { closeIntake: true, closeSelection: true, conventionReminder: 'j7' }],
    ['one day before', addParisDays(m.conventionsDueAt, -1), { closeIntake: true, closeSelection: true, conventionReminder: 'j1' }],
    ['the instant before they are due', shifted(m.conventionsDueAt, -1), { closeIntake: true, closeSelection: true, conventionReminder: 'j1' }],
    ['the conventions are due, the experimentation starts', m.conventionsDueAt, { closeIntake: true, closeSelection: true, lapseConventions: true, experimentationStarted: true }],
    ['the 5th of March: February’s report expected', at('2024-03-05T00:00:00+01:00'), { closeIntake: true, closeSelection: true, lapseConventions: true, experimentationStarted: true, reportingReminderMonth: '2024-02' }],
    ['the instant before reporting closes', shifted(m.reportingClosesAt, -1), { closeIntake: true, closeSelection: true, lapseConventions: true, experimentationStarted: true, reportingReminderMonth: '2024-09' }],
    ['reporting closes', m.reportingClosesAt, { closeIntake: true, closeSelection: true, lapseConventions: true, reportingClosed: true }],
  ];
  it.each(table)('%s', (_what, instant, due) => {
    expect(dueWork(campaign, instant)).toEqual({ ...idle, ...due });
  });

  it('turns each step on exactly at its milestone, at any instant around it', () => {
    const steps: Array<[keyof DueWork, Date]> = [
      ['closeIntake', m.intakeClosesAt],
      ['closeSelection', m.selectionEndsAt],
      ['lapseConventions', m.conventionsDueAt],
      ['reportingClosed', m.reportingClosesAt],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...steps), fc.integer({ min: -3 * DAY, max: 3 * DAY }), ([step, milestone], offset) => {
        expect(dueWork(campaign, shifted(milestone, offset))[step]).toBe(offset >= 0);
      }),
    );
  });

  it('reminds of drafts exactly in the two days before the intake closes', () => {
    const start = addParisDays(m.intakeClosesAt, -2);
    fc.assert(
      fc.property(fc.integer({ min: -3 * DAY, max: 3 * DAY }), (offset) => {
        const instant = shifted(m.intakeClosesAt, offset);
        expect(dueWork(campaign, instant).draftReminder).toBe(instant >= start && offset < 0);
      }),
    );
  });

  it('tells the pilots the experimentation started from the later of its start and the conventions due date', () => {
    const late = newCampaign({ ...defaultCampaign, experimentationStart: '2024-03-01' }, at('2023-08-01T00:00:00+02:00'));
    const start = milestoneInstants(late).experimentationStart;
    expect(dueWork(late, shifted(start, -1)).experimentationStarted).toBe(false);
    expect(dueWork(late, start).experimentationStarted).toBe(true);
    const early = newCampaign({ ...defaultCampaign, conventionsDueAt: '2024-03-01T00:00:00+01:00' }, at('2023-08-01T00:00:00+02:00'));
    const due = milestoneInstants(early).conventionsDueAt;
    expect(dueWork(early, shifted(due, -1)).experimentationStarted).toBe(false);
    expect(dueWork(early, due).experimentationStarted).toBe(true);
  });
});

describe('the monthly reporting reminder', () => {
  it.each([
    ['before the experimentation', '2024-02-14T12:00:00+01:00', undefined],
    ['its first day: no month over yet', '2024-02-15T00:00:00+01:00', undefined],
    ['the 4th of March: January, before the experimentation', '2024-03-04T23:59:59+01:00', undefined],
    ['the 5th of March: February', '2024-03-05T00:00:00+01:00', '2024-02'],
    ['the 4th of April: still February', '2024-04-04T12:00:00+02:00', '2024-02'],
    ['the 5th of April: March', '2024-04-05T00:00:00+02:00', '2024-03'],
    ['the 5th of October: September', '2024-10-05T00:00:00+02:00', '2024-09'],
    ['the 30th of October: still September', '2024-10-30T12:00:00+01:00', '2024-09'],
    ['once reporting closed', '2024-11-05T00:00:00+01:00', undefined],
  ])('%s', (_what, instant, month) => {
    expect(reportingReminderMonth(campaign, at(instant))).toBe(month);
  });

  it('asks October once its 5th is past, within a longer grace', () => {
    const graceful = newCampaign({ ...defaultCampaign, reportingGraceDays: 40 }, at('2023-08-01T00:00:00+02:00'));
    expect(reportingReminderMonth(graceful, at('2024-11-05T00:00:00+01:00'))).toBe('2024-10');
    expect(reportingReminderMonth(graceful, at('2024-11-04T00:00:00+01:00'))).toBe('2024-09');
  });
});

describe('the schedules of a campaign', () => {
  it('name each milestone instant, reminders on Paris days', () => {
    expect(scheduledMilestones(campaign).map(({ name, at: instant }) => [name, instant.toISOString()])).toEqual([
      ['rappel-brouillons', '2023-10-29T23:00:00.000Z'],
      ['cloture-candidatures', '2023-10-31T23:00:00.000Z'],
      ['rappel-selection-j7', '2023-12-08T23:00:00.000Z'],
      ['rappel-selection-j1', '2023-12-14T23:00:00.000Z'],
      ['fin-selection', '2023-12-15T23:00:00.000Z'],
      ['rappel-conventions-j14', '2024-01-31T23:00:00.000Z'],
      ['rappel-conventions-j7', '2024-02-07T23:00:00.000Z'],
      ['rappel-conventions-j1', '2024-02-13T23:00:00.000Z'],
      ['conventions-caduques', '2024-02-14T23:00:00.000Z'],
      ['debut-experimentation', '2024-02-14T23:00:00.000Z'],
      ['fin-remontees', '2024-10-30T23:00:00.000Z'],
    ]);
  });

  it('run at the Paris wall clock, summer and winter', () => {
    expect(atExpression(at('2023-10-31T23:00:00Z'))).toBe('at(2023-11-01T00:00:00)');
    expect(atExpression(at('2024-07-01T07:08:09Z'))).toBe('at(2024-07-01T09:08:09)');
  });

  it('have names of at most 64 characters, a long campaign id shortened with its hash', () => {
    expect(scheduleName('mes-esms-2023', 'fin-selection')).toBe('mes-esms-2023--fin-selection');
    const exact = 'c'.repeat(64 - '--fin-selection'.length);
    expect(scheduleName(exact, 'fin-selection')).toBe(`${exact}--fin-selection`);
    const long = 'a'.repeat(60);
    const name = scheduleName(long, 'rappel-conventions-j14');
    expect(name).toHaveLength(64);
    expect(name).toMatch(/^a+-[0-9a-f]{8}--rappel-conventions-j14$/);
    expect(scheduleName(`${long}b`, 'rappel-conventions-j14')).not.toBe(name);
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9-]{4,64}$/), fc.constantFrom(...scheduledMilestones(campaign).map((milestone) => milestone.name)), (id, milestone) => {
        const scheduled = scheduleName(id, milestone);
        expect(scheduled.length).toBeLessThanOrEqual(64);
        expect(scheduled.endsWith(`--${milestone}`)).toBe(true);
      }),
    );
  });
});
