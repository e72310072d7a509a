import { createHash } from 'node:crypto';
import { addMonths, addParisDays, parisMonth, startOfParisDay, toParis } from './calendar';
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
    // Pilots are all known once the conventions window is over: tell them then (or at the start, if later).
    experimentationStarted: within(at, new Date(Math.max(m.experimentationStart.getTime(), m.conventionsDueAt.getTime())), m.reportingClosesAt),
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

export interface ScheduledMilestone {
  /** Stable name, part of the schedule's name: moving a milestone updates the same schedule. */
  readonly name: string;
  readonly at: Date;
}

/**
 * The instants at which the milestone function must run for a campaign (one-time schedules); the daily
 * run covers the monthly reporting reminders and anything a missed schedule left.
 */
export function scheduledMilestones(campaign: Campaign): ScheduledMilestone[] {
  const m = milestoneInstants(campaign);
  return [
    { name: 'rappel-brouillons', at: addParisDays(m.intakeClosesAt, -2) },
    { name: 'cloture-candidatures', at: m.intakeClosesAt },
    { name: 'rappel-selection-j7', at: addParisDays(m.selectionEndsAt, -7) },
    { name: 'rappel-selection-j1', at: addParisDays(m.selectionEndsAt, -1) },
    { name: 'fin-selection', at: m.selectionEndsAt },
    { name: 'rappel-conventions-j14', at: addParisDays(m.conventionsDueAt, -14) },
    { name: 'rappel-conventions-j7', at: addParisDays(m.conventionsDueAt, -7) },
    { name: 'rappel-conventions-j1', at: addParisDays(m.conventionsDueAt, -1) },
    { name: 'conventions-caduques', at: m.conventionsDueAt },
    { name: 'debut-experimentation', at: m.experimentationStart },
    { name: 'fin-remontees', at: m.reportingClosesAt },
  ];
}

/** EventBridge Scheduler's `at()` takes a wall-clock time in the schedule's time zone (Europe/Paris). */
export function atExpression(instant: Date): string {
  const wall = toParis(instant);
  const two = (n: number) => String(n).padStart(2, '0');
  return `at(${wall.year}-${two(wall.month)}-${two(wall.day)}T${two(wall.hour)}:${two(wall.minute)}:${two(wall.second)})`;
}

/** Schedule names are at most 64 characters: a long campaign id is shortened with a hash so names never collide. */
export function scheduleName(campaignId: string, milestone: string): string {
  const name = `${campaignId}--${milestone}`;
  if (name.length <= 64) return name;
  const hash = createHash('sha256').update(campaignId).digest('hex').slice(0, 8);
  return `${campaignId.slice(0, 64 - milestone.length - 11)}-${hash}--${milestone}`;
}
