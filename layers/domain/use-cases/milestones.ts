import { applicantRecipients } from '../access';
import { closeIntake as intakeClosed, closeWithoutDecision, historyEntry, type Application } from '../application';
import { arsMailbox, type Campaign } from '../campaign';
import { lapse, type Convention } from '../convention';
import {
  conventionLapsedEmail,
  conventionReminderEmail,
  draftReminderEmail,
  experimentationStartEmail,
  fundingOutcomeEmail,
  regionFundingSummaryEmail,
  reportingReminderEmail,
  NO_DECISION_MOTIVATION,
  noDecisionEmail,
  reviewAwaitingEmail,
  selectionReminderEmail,
  type EmailMessage,
} from '../emails';
import { ConcurrentModificationError } from '../errors';
import { fundingOutcome, type FundingOutcome } from '../funding';
import type { Pilot } from '../pilot';
import type { Applications, Conventions, Mail, Pilots, QueuedEmail, StepLedger, UsageReports } from '../ports';
import type { ArsCode } from '../regions';
import { pilotTotals } from '../usage';
import { dueWork } from '../milestones';

/**
 * The milestone steps: what the calendar makes due to a campaign (functions/milestones runs them in the
 * programme's order). Transitions are domain functions applied one file at a time, each in one write with
 * the emails it causes; a write lost to another run means that run applied it.
 */
export interface MilestonePorts {
  readonly applications: Applications;
  readonly conventions: Conventions;
  readonly pilots: Pilots;
  readonly usage: Pick<UsageReports, 'hasReported' | 'monthsOf'>;
  readonly mail: Pick<Mail, 'queueOnce'>;
}

export const SYSTEM_ACTOR = 'systeme';

/** What one run did, for its caller (the local endpoint prints it; CloudWatch logs it). */
export interface StepReport {
  transitions: number;
  emailsQueued: number;
}

/** Who holds a file: its owner's account, or after a transfer the address it was given to. */
const holderOf = (application: Application): string => application.ownerId ?? `EMAIL#${application.ownerEmail ?? ''}`;

const ledgerEntry = (message: EmailMessage, campaign: Campaign, event: string, recipientKey: string): QueuedEmail => ({ ...message, campaignId: campaign.id, event, recipientKey });

async function queueOnce(ports: MilestonePorts, report: StepReport, email: QueuedEmail, at: Date): Promise<void> {
  if (email.to.length === 0) return;
  if (await ports.mail.queueOnce(email, at)) report.emailsQueued += 1;
}

/** A conditional write lost to another run means that run already applied this transition. */
async function once(write: () => Promise<void>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (error instanceof ConcurrentModificationError) return false;
    throw error;
  }
}

async function countByRegion(ports: MilestonePorts, campaignId: string, status: Application['status']): Promise<Map<ArsCode, number>> {
  const perRegion = new Map<ArsCode, number>();
  for await (const application of ports.applications.inStatus(campaignId, status)) perRegion.set(application.ars, (perRegion.get(application.ars) ?? 0) + 1);
  return perRegion;
}

/** Two days before closing: holders of a draft who have submitted nothing are reminded, once each. */
export async function remindDrafts(ports: MilestonePorts, campaign: Campaign, at: Date, report: StepReport): Promise<void> {
  const holders = new Map<string, Application>();
  for await (const draft of ports.applications.inStatus(campaign.id, 'brouillon')) {
    const holder = holderOf(draft);
    if (!holders.has(holder)) holders.set(holder, draft);
  }
  for (const [holder, draft] of holders) {
    const held = await ports.applications.ofSameHolder(draft);
    if (held.some((application) => application.status !== 'brouillon')) continue;
    // Only the owner's verified address: a reminder never goes to an address typed in the form.
    const to = draft.ownerEmail;
    if (!to) continue;
    await queueOnce(ports, report, ledgerEntry(draftReminderEmail(draft, campaign, to), campaign, 'rappel_brouillon', holder), at);
  }
}

/** At intakeClosesAt: deposee → en_instruction (the query finds nothing once done, so it runs every time). */
export async function closeIntake(ports: MilestonePorts, campaign: Campaign, at: Date, report: StepReport): Promise<void> {
  for await (const application of ports.applications.inStatus(campaign.id, 'deposee')) {
    const next = intakeClosed(application, at);
    const entry = historyEntry(next, application.status, 'cloture_candidatures', SYSTEM_ACTOR);
    if (await once(() => ports.applications.save({ application: next, expectedVersion: application.version, at, entry }))) report.transitions += 1;
  }
}

/** Once the intake is closed: each ARS is told how many applications await its review. */
export async function announceReview(ports: MilestonePorts, campaign: Campaign, at: Date, report: StepReport): Promise<void> {
  for (const [ars, count] of await countByRegion(ports, campaign.id, 'en_instruction')) {
    const to = arsMailbox(campaign, ars);
    await queueOnce(ports, report, ledgerEntry(reviewAwaitingEmail(campaign, ars, to, count), campaign, 'instruction_ouverte', ars), at);
  }
}

/** Seven days and one day before the end of selection: each ARS is told how many files still await a decision. */
export async function remindSelection(ports: MilestonePorts, campaign: Campaign, at: Date, window: 'j7' | 'j1', report: StepReport): Promise<void> {
  for (const [ars, count] of await countByRegion(ports, campaign.id, 'en_instruction')) {
    const to = arsMailbox(campaign, ars);
    await queueOnce(ports, report, ledgerEntry(selectionReminderEmail(campaign, ars, to, count), campaign, `rappel_selection_${window}`, ars), at);
  }
}

/** At selectionEndsAt: applications still without a decision are closed, and their applicants told, in one transaction each. */
export async function closeSelection(ports: MilestonePorts, campaign: Campaign, at: Date, report: StepReport): Promise<void> {
  for await (const application of ports.applications.inStatus(campaign.id, 'en_instruction')) {
    const next = closeWithoutDecision(application, at);
    const email = ledgerEntry(noDecisionEmail(next, campaign), campaign, 'sans_suite_delai', application.id);
    const extra = email.to.length > 0 ? [email] : [];
    const applied = await once(() =>
      ports.applications.save({ application: next, expectedVersion: application.version, at, entry: historyEntry(next, application.status, 'fin_selection', SYSTEM_ACTOR, NO_DECISION_MOTIVATION), emails: extra }),
    );
    if (applied) {
      report.transitions += 1;
      report.emailsQueued += extra.length;
    }
  }
}

/** The verified addresses of whoever holds the file now (a transfer or a collaborator changes them). */
async function applicantAddresses(ports: MilestonePorts, applicationId: string): Promise<string[]> {
  const application = await ports.applications.get(applicationId);
  return application ? applicantRecipients(application) : [];
}

async function partyAddresses(ports: MilestonePorts, campaign: Campaign, convention: Convention, party: 'esms' | 'ars'): Promise<string[]> {
  return party === 'esms' ? applicantAddresses(ports, convention.applicationId) : [convention.signatures.ars?.email ?? arsMailbox(campaign, convention.ars)];
}

/** Fourteen, seven and one day before dueAt: each party that has not signed is reminded. */
export async function remindConventions(ports: MilestonePorts, campaign: Campaign, at: Date, window: 'j14' | 'j7' | 'j1', report: StepReport): Promise<void> {
  for await (const convention of ports.conventions.toSign(campaign.id)) {
    for (const party of ['esms', 'ars'] as const) {
      if (convention.signatures[party]) continue;
      const to = await partyAddresses(ports, campaign, convention, party);
      await queueOnce(ports, report, ledgerEntry(conventionReminderEmail(convention, party, to), campaign, `rappel_convention_${window}`, `${convention.id}#${party}`), at);
    }
  }
}

/** At dueAt: conventions still unsigned lapse, and both parties are told, in one transaction each. */
export async function lapseConventions(ports: MilestonePorts, campaign: Campaign, at: Date, report: StepReport): Promise<void> {
  for await (const convention of ports.conventions.toSign(campaign.id)) {
    const next = lapse(convention, at);
    const emails: QueuedEmail[] = [];
    for (const party of ['esms', 'ars'] as const) {
      const to = await partyAddresses(ports, campaign, convention, party);
      if (to.length > 0) emails.push(ledgerEntry(conventionLapsedEmail(next, to), campaign, 'convention_caduque', `${convention.id}#${party}`));
    }
    if (await once(() => ports.conventions.saveLapse(next, convention, emails, at))) {
      report.transitions += 1;
      report.emailsQueued += emails.length;
    }
  }
}

/** Once every pilot is known (conventions window over) and the experimentation has begun: how and what to report. */
export async function announceExperimentation(ports: MilestonePorts, campaign: Campaign, at: Date, report: StepReport): Promise<void> {
  for await (const pilot of ports.pilots.all(campaign.id)) {
    await queueOnce(ports, report, ledgerEntry(experimentationStartEmail(pilot, campaign, await applicantAddresses(ports, pilot.applicationId)), campaign, 'debut_experimentation', pilot.finess), at);
  }
}

/** From the 5th of each month in the window: pilots missing last month's report are reminded. */
export async function remindMissingReports(ports: MilestonePorts, campaign: Campaign, month: string, at: Date, report: StepReport): Promise<void> {
  for await (const pilot of ports.pilots.all(campaign.id)) {
    if (await ports.usage.hasReported(pilot.finess, campaign.id, month)) continue;
    await queueOnce(ports, report, ledgerEntry(reportingReminderEmail(pilot, campaign, month, await applicantAddresses(ports, pilot.applicationId)), campaign, `rappel_remontee_${month}`, pilot.finess), at);
  }
}

/** At the end of reporting: each pilot learns its funding outcome, each ARS its region's. */
export async function announceFunding(ports: MilestonePorts, campaign: Campaign, at: Date, report: StepReport): Promise<void> {
  const perRegion = new Map<ArsCode, { pilot: Pilot; outcome: FundingOutcome }[]>();
  for await (const pilot of ports.pilots.all(campaign.id)) {
    const totals = pilotTotals(await ports.usage.monthsOf(pilot.finess, campaign.id));
    const outcome = fundingOutcome({ campaign, pilot, totals, now: at });
    perRegion.set(pilot.ars, [...(perRegion.get(pilot.ars) ?? []), { pilot, outcome }]);
    await queueOnce(ports, report, ledgerEntry(fundingOutcomeEmail(pilot, outcome, await applicantAddresses(ports, pilot.applicationId)), campaign, 'resultat_financement', pilot.finess), at);
  }
  for (const [ars, rows] of perRegion) {
    const to = arsMailbox(campaign, ars);
    await queueOnce(ports, report, ledgerEntry(regionFundingSummaryEmail(campaign, ars, to, rows), campaign, 'resultat_financement_region', ars), at);
  }
}

/**
 * A step: its name, its work, and whether it is a sweep. Sweeps (transitions) query only what is still to
 * do, so they run every time and cost one query once done; the others (announcements, reminders) are
 * marked done and then skipped with a single read.
 */
type Step = [name: string, run: (report: StepReport) => Promise<void>, sweep?: 'sweep'];

/** The steps the calendar makes due now, in the programme's order. */
function dueSteps(ports: MilestonePorts, campaign: Campaign, at: Date): Step[] {
  const due = dueWork(campaign, at);
  const steps: (Step | false)[] = [
    due.draftReminder && ['rappel_brouillons', (report) => remindDrafts(ports, campaign, at, report)],
    due.closeIntake && ['cloture_candidatures', (report) => closeIntake(ports, campaign, at, report), 'sweep'],
    due.closeIntake && ['instruction_ouverte', (report) => announceReview(ports, campaign, at, report)],
    due.selectionReminder !== undefined && [`rappel_selection_${due.selectionReminder}`, (report) => remindSelection(ports, campaign, at, due.selectionReminder!, report)],
    due.closeSelection && ['fin_selection', (report) => closeSelection(ports, campaign, at, report), 'sweep'],
    due.conventionReminder !== undefined && [`rappel_conventions_${due.conventionReminder}`, (report) => remindConventions(ports, campaign, at, due.conventionReminder!, report)],
    due.lapseConventions && ['conventions_caduques', (report) => lapseConventions(ports, campaign, at, report), 'sweep'],
    due.experimentationStarted && ['debut_experimentation', (report) => announceExperimentation(ports, campaign, at, report)],
    due.reportingReminderMonth !== undefined && [`rappel_remontees_${due.reportingReminderMonth}`, (report) => remindMissingReports(ports, campaign, due.reportingReminderMonth!, at, report)],
    due.reportingClosed && ['resultat_financement', (report) => announceFunding(ports, campaign, at, report)],
  ];
  return steps.filter((step): step is Step => step !== false);
}

/** Applies to a campaign what the calendar makes due at `at`; safe to run again, or after a run that died half-way. */
export async function runDueSteps(ports: MilestonePorts & { readonly steps: StepLedger }, campaign: Campaign, at: Date): Promise<StepReport & { steps: string[] }> {
  const report: StepReport = { transitions: 0, emailsQueued: 0 };
  const steps: string[] = [];
  for (const [name, run, sweep] of dueSteps(ports, campaign, at)) {
    if (sweep) {
      const before = report.transitions;
      await run(report);
      if (report.transitions > before) steps.push(name);
      continue;
    }
    if (await ports.steps.done(campaign.id, name)) continue;
    await run(report);
    await ports.steps.markDone(campaign.id, name, at);
    steps.push(name);
  }
  return { ...report, steps };
}
