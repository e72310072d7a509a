import { historyEntry, type Application } from '../application';
import { formatDeadline } from '../calendar';
import { milestoneInstants, type Campaign } from '../campaign';
import { newConvention } from '../convention';
import { decisionEmail } from '../emails';
import { ConcurrentModificationError, DomainError } from '../errors';
import type { Applications, Campaigns, Mail, QueuedEmail } from '../ports';
import { decisionCharge } from '../quota';
import type { ArsCode } from '../regions';
import { assertSelectionOpen, decide, markNotified, review, type DecisionInput, type ReviewInput } from '../selection';
import { applicationToAct, campaignOf, type Acting, type OnApplication } from './context';

export interface SelectionPorts {
  readonly applications: Applications;
  readonly campaigns: Campaigns;
  readonly mail: Mail;
}

/** A reviewer scores an application of their region while the selection is open. */
export async function reviewApplication(ports: SelectionPorts, command: OnApplication & { readonly input: ReviewInput }): Promise<Application> {
  const current = await applicationToAct(ports.applications, command.caller, command.applicationId, 'review', command.ifMatch);
  assertSelectionOpen(await campaignOf(ports.campaigns, current.campaignId), command.at);
  const next = review(current, command.input, command.actor, command.at);
  await ports.applications.save({ application: next, expectedVersion: current.version, at: command.at, entry: historyEntry(next, current.status, 'evaluation', command.actor) });
  return next;
}

/** A decision (or a change of it before notification), counted against the region's quota. */
export async function decideOnApplication(ports: SelectionPorts, command: OnApplication & { readonly input: DecisionInput }): Promise<Application> {
  const current = await applicationToAct(ports.applications, command.caller, command.applicationId, 'decide', command.ifMatch);
  const campaign = await campaignOf(ports.campaigns, current.campaignId);
  assertSelectionOpen(campaign, command.at);
  const next = decide(current, command.input, command.actor, command.at);
  const entry = historyEntry(next, current.status, 'decision', command.actor, command.input.motivation);
  await ports.applications.saveDecision({ application: next, expectedVersion: current.version, at: command.at, entry }, decisionCharge(campaign, current, next));
  return next;
}

const decisionNotice = (application: Application, campaign: Campaign): QueuedEmail => ({
  ...decisionEmail(application, campaign),
  campaignId: campaign.id,
  event: 'decision',
  recipientKey: application.id,
});

/** Notifications are sent while conventions can still be signed. */
export function assertNotifiable(campaign: Campaign, at: Date): void {
  const due = milestoneInstants(campaign).conventionsDueAt;
  if (at.getTime() >= due.getTime()) {
    throw new DomainError('convention_due_passed', `Les conventions devaient être signées au plus tard le ${formatDeadline(due)} : il n'est plus possible de notifier.`);
  }
}

/**
 * The region's decisions are told to their applicants, each with its email and, when retained, its
 * convention. The caller's right on the region is checked before (the route's region scope).
 */
export async function notifyRegion(ports: SelectionPorts, command: Acting & { readonly campaignId: string; readonly ars: ArsCode }): Promise<{ notified: number; conventionsCreated: number }> {
  const campaign = await campaignOf(ports.campaigns, command.campaignId);
  assertNotifiable(campaign, command.at);
  let notified = 0;
  let conventionsCreated = 0;
  const sent: QueuedEmail[] = [];
  for (const application of await ports.applications.awaitingNotification(campaign.id, command.ars)) {
    const next = markNotified(application, command.at);
    const email = decisionNotice(next, campaign);
    const convention = next.status === 'retenue' ? newConvention(next, campaign, command.at) : undefined;
    try {
      const entry = historyEntry(next, application.status, 'notification', command.actor);
      await ports.applications.saveNotification({ application: next, expectedVersion: application.version, at: command.at, entry, emails: [email] }, convention);
    } catch (error) {
      // Another notify (or a changed decision) got there first: that one owns this application.
      if (error instanceof ConcurrentModificationError) continue;
      throw error;
    }
    notified += 1;
    if (convention) conventionsCreated += 1;
    sent.push(email);
  }
  await ports.mail.sendNow(sent, command.at);
  return { notified, conventionsCreated };
}
