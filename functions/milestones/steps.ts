import { applicationRepository, dynamoApplications } from '../../layers/adapters/application-repository';
import { conventionRepository } from '../../layers/adapters/convention-repository';
import { pilotRepository } from '../../layers/adapters/pilot-repository';
import { usageRepository } from '../../layers/adapters/usage-repository';
import { fundingOutcome, type FundingOutcome } from '../../layers/domain/funding';
import type { Pilot } from '../../layers/domain/pilot';
import { pilotTotals } from '../../layers/domain/usage';
import { enqueue, enqueueOnce, type OutboxEmail } from '../../layers/adapters/outbox';
import { arsMailbox, type Campaign } from '../../layers/domain/campaign';
import { toParisIso } from '../../layers/domain/calendar';
import type { Application, ApplicationStatus } from '../../layers/domain/application';
import { historyEntry } from '../../layers/domain/application';
import { applicantRecipients } from '../../layers/domain/access';
import { holderKey } from '../../layers/adapters/application-repository';
import { lapse, type Convention } from '../../layers/domain/convention';
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
} from '../../layers/domain/emails';
import { ConcurrentModificationError } from '../../layers/domain/errors';
import type { ArsCode } from '../../layers/domain/regions';

export const SYSTEM_ACTOR = 'systeme';

/** What one run did, for its caller (the local endpoint prints it; CloudWatch logs it). */
export interface StepReport {
  transitions: number;
  emailsQueued: number;
}

const ledgerEntry = (message: EmailMessage, campaign: Campaign, event: string, recipientKey: string): OutboxEmail => ({ ...message, campaignId: campaign.id, event, recipientKey });

async function queueOnce(report: StepReport, email: OutboxEmail, at: Date): Promise<void> {
  if (email.to.length === 0) return;
  if (await enqueueOnce(email, at)) report.emailsQueued += 1;
}

/** Every application of a campaign in a status, page by page (the index answers exactly this question). */
export async function* applicationsIn(campaignId: string, status: ApplicationStatus): AsyncGenerator<Application> {
  let cursor: string | undefined;
  do {
    const page = await applicationRepository.list({ campaignId, status, limit: 200, cursor });
    yield* page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

async function* conventionsToSign(campaignId: string): AsyncGenerator<Convention> {
  let cursor: string | undefined;
  do {
    const page = await conventionRepository.list({ campaignId, status: 'a_signer', limit: 200, cursor });
    yield* page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
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

async function countByRegion(campaignId: string, status: ApplicationStatus): Promise<Map<ArsCode, number>> {
  const perRegion = new Map<ArsCode, number>();
  for await (const application of applicationsIn(campaignId, status)) perRegion.set(application.ars, (perRegion.get(application.ars) ?? 0) + 1);
  return perRegion;
}

/** Two days before closing: holders of a draft who have submitted nothing are reminded, once each. */
export async function remindDrafts(campaign: Campaign, at: Date, report: StepReport): Promise<void> {
  const holders = new Map<string, Application>();
  for await (const draft of applicationsIn(campaign.id, 'brouillon')) {
    const holder = holderKey(draft);
    if (!holders.has(holder)) holders.set(holder, draft);
  }
  for (const [holder, draft] of holders) {
    const held = await applicationRepository.ofHolder(holder, campaign.id);
    if (held.some((application) => application.status !== 'brouillon')) continue;
    // Only the owner's verified address: a reminder never goes to an address typed in the form.
    const to = draft.ownerEmail;
    if (!to) continue;
    await queueOnce(report, ledgerEntry(draftReminderEmail(draft, campaign, to), campaign, 'rappel_brouillon', holder.replace(/^OWNER#/, '')), at);
  }
}

/** At intakeClosesAt: deposee → en_instruction (the query finds nothing once done, so it runs every time). */
export async function closeIntake(campaign: Campaign, at: Date, report: StepReport): Promise<void> {
  for await (const application of applicationsIn(campaign.id, 'deposee')) {
    const next: Application = { ...application, status: 'en_instruction', version: application.version + 1, updatedAt: toParisIso(at) };
    if (await once(() => applicationRepository.save(next, application.version, historyEntry(next, application.status, 'cloture_candidatures', SYSTEM_ACTOR)))) report.transitions += 1;
  }
}

/** Once the intake is closed: each ARS is told how many applications await its review. */
export async function announceReview(campaign: Campaign, at: Date, report: StepReport): Promise<void> {
  for (const [ars, count] of await countByRegion(campaign.id, 'en_instruction')) {
    const to = arsMailbox(campaign, ars);
    await queueOnce(report, ledgerEntry(reviewAwaitingEmail(campaign, ars, to, count), campaign, 'instruction_ouverte', ars), at);
  }
}

/** Seven days and one day before the end of selection: each ARS is told how many files still await a decision. */
export async function remindSelection(campaign: Campaign, at: Date, window: 'j7' | 'j1', report: StepReport): Promise<void> {
  for (const [ars, count] of await countByRegion(campaign.id, 'en_instruction')) {
    const to = arsMailbox(campaign, ars);
    await queueOnce(report, ledgerEntry(selectionReminderEmail(campaign, ars, to, count), campaign, `rappel_selection_${window}`, ars), at);
  }
}

/** At selectionEndsAt: applications still without a decision are closed, and their applicants told, in one transaction each. */
export async function closeSelection(campaign: Campaign, at: Date, report: StepReport): Promise<void> {
  for await (const application of applicationsIn(campaign.id, 'en_instruction')) {
    const next: Application = { ...application, status: 'sans_suite', version: application.version + 1, updatedAt: toParisIso(at) };
    const email = ledgerEntry(noDecisionEmail(next, campaign), campaign, 'sans_suite_delai', application.id);
    const extra = email.to.length > 0 ? [email] : [];
    const applied = await once(() =>
      dynamoApplications.save({ application: next, expectedVersion: application.version, at, entry: historyEntry(next, application.status, 'fin_selection', SYSTEM_ACTOR, NO_DECISION_MOTIVATION), emails: extra }),
    );
    if (applied) {
      report.transitions += 1;
      report.emailsQueued += extra.length;
    }
  }
}

/** The verified addresses of whoever holds the file now (a transfer or a collaborator changes them). */
async function applicantAddresses(applicationId: string): Promise<string[]> {
  const application = await applicationRepository.get(applicationId);
  return application ? applicantRecipients(application) : [];
}

async function partyAddresses(campaign: Campaign, convention: Convention, party: 'esms' | 'ars'): Promise<string[]> {
  return party === 'esms' ? applicantAddresses(convention.applicationId) : [convention.signatures.ars?.email ?? arsMailbox(campaign, convention.ars)];
}

/** Fourteen, seven and one day before dueAt: each party that has not signed is reminded. */
export async function remindConventions(campaign: Campaign, at: Date, window: 'j14' | 'j7' | 'j1', report: StepReport): Promise<void> {
  for await (const convention of conventionsToSign(campaign.id)) {
    for (const party of ['esms', 'ars'] as const) {
      if (convention.signatures[party]) continue;
      const to = await partyAddresses(campaign, convention, party);
      await queueOnce(report, ledgerEntry(conventionReminderEmail(convention, party, to), campaign, `rappel_convention_${window}`, `${convention.id}#${party}`), at);
    }
  }
}

/** At dueAt: conventions still unsigned lapse, and both parties are told, in one transaction each. */
export async function lapseConventions(campaign: Campaign, at: Date, report: StepReport): Promise<void> {
  for await (const convention of conventionsToSign(campaign.id)) {
    const next = lapse(convention, at);
    const emails: OutboxEmail[] = [];
    for (const party of ['esms', 'ars'] as const) {
      const to = await partyAddresses(campaign, convention, party);
      if (to.length > 0) emails.push(ledgerEntry(conventionLapsedEmail(next, to), campaign, 'convention_caduque', `${convention.id}#${party}`));
    }
    if (await once(() => conventionRepository.save(next, convention.version, emails.map((email) => enqueue(email, at))))) {
      report.transitions += 1;
      report.emailsQueued += emails.length;
    }
  }
}

/** Once every pilot is known (conventions window over) and the experimentation has begun: how and what to report. */
export async function announceExperimentation(campaign: Campaign, at: Date, report: StepReport): Promise<void> {
  for await (const pilot of pilotRepository.all(campaign.id)) {
    await queueOnce(report, ledgerEntry(experimentationStartEmail(pilot, campaign, await applicantAddresses(pilot.applicationId)), campaign, 'debut_experimentation', pilot.finess), at);
  }
}

/** From the 5th of each month in the window: pilots missing last month's report are reminded. */
export async function remindMissingReports(campaign: Campaign, month: string, at: Date, report: StepReport): Promise<void> {
  for await (const pilot of pilotRepository.all(campaign.id)) {
    if (await usageRepository.hasReported(pilot.finess, campaign.id, month)) continue;
    await queueOnce(report, ledgerEntry(reportingReminderEmail(pilot, campaign, month, await applicantAddresses(pilot.applicationId)), campaign, `rappel_remontee_${month}`, pilot.finess), at);
  }
}

/** At the end of reporting: each pilot learns its funding outcome, each ARS its region's. */
export async function announceFunding(campaign: Campaign, at: Date, report: StepReport): Promise<void> {
  const perRegion = new Map<ArsCode, { pilot: Pilot; outcome: FundingOutcome }[]>();
  for await (const pilot of pilotRepository.all(campaign.id)) {
    const totals = pilotTotals(await usageRepository.monthsOf(pilot.finess, campaign.id));
    const outcome = fundingOutcome({ campaign, pilot, totals, now: at });
    perRegion.set(pilot.ars, [...(perRegion.get(pilot.ars) ?? []), { pilot, outcome }]);
    await queueOnce(report, ledgerEntry(fundingOutcomeEmail(pilot, outcome, await applicantAddresses(pilot.applicationId)), campaign, 'resultat_financement', pilot.finess), at);
  }
  for (const [ars, rows] of perRegion) {
    const to = arsMailbox(campaign, ars);
    await queueOnce(report, ledgerEntry(regionFundingSummaryEmail(campaign, ars, to, rows), campaign, 'resultat_financement_region', ars), at);
  }
}
