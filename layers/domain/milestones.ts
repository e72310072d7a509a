import { addMonths, addParisDays, parisMonth, startOfParisDay } from './calendar';
import { milestoneInstants, type Campaign } from './campaign';

/**
 * What the calendar makes due at an instant. Every step is safe to run again: transitions are conditional
 * writes and emails go through the ledger, so the milestone function may run as often as it likes.
 */
export interface DueWork {
  readonly draftReminder: boolean;
  readonly closeIntake: boolean;
  readonly selectionReminder: 'j7' | 'j1' | undefined;
  readonly closeSelection: boolean;
  readonly conventionReminder: 'j14' | 'j7' | 'j1' | undefined;
  readonly lapseConventions: boolean;
  readonly experimentationStarted: boolean;
  /** The month whose report is now expected (from the 5th of the following month), within the window. */
  readonly reportingReminderMonth: string | undefined;
  readonly reportingClosed: boolean;
}

const within = (at: Date, start: Date, end: Date): boolean => at.getTime() >= start.getTime() && at.getTime() < end.getTime();

/** The reminder window a countdown falls in: the latest threshold passed, until the deadline. */
function countdown<T extends string>(at: Date, deadline: Date, thresholds: readonly [T, number][]): T | undefined {
  let found: T | undefined;
  for (const [name, days] of thresholds) if (within(at, addParisDays(deadline, -days), deadline)) found = name;
  return found;
}

export function dueWork(campaign: Campaign, at: Date): DueWork {
  const m = milestoneInstants(campaign);
  const past = (instant: Date) => at.getTime() >= instant.getTime();
  return {
    draftReminder: within(at, addParisDays(m.intakeClosesAt, -2), m.intakeClosesAt),
    closeIntake: past(m.intakeClosesAt),
    selectionReminder: countdown(at, m.selectionEndsAt, [['j7', 7], ['j1', 1]]),
    closeSelection: past(m.selectionEndsAt),
    conventionReminder: countdown(at, m.conventionsDueAt, [['j14', 14], ['j7', 7], ['j1', 1]]),
    lapseConventions: past(m.conventionsDueAt),
    experimentationStarted: within(at, m.experimentationStart, m.reportingClosesAt),
    reportingReminderMonth: reportingReminderMonth(campaign, at),
    reportingClosed: past(m.reportingClosesAt),
  };
}

/**
 * From the 5th of a month, the previous month's report is expected, for months that meet the
 * experimentation window, until reporting closes.
 */
export function reportingReminderMonth(campaign: Campaign, at: Date): string | undefined {
  const m = milestoneInstants(campaign);
  if (!within(at, m.experimentationStart, m.reportingClosesAt)) return undefined;
  const current = parisMonth(at);
  const fifth = startOfParisDay(`${current}-05`);
  const expected = addMonths(current, at.getTime() >= fifth.getTime() ? -1 : -2);
  const first = campaign.experimentationStart.slice(0, 7);
  const last = campaign.experimentationEnd.slice(0, 7);
  if (expected < first || expected > last) return undefined;
  return expected;
}
