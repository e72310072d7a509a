import { authorize, applicantRecipients, normalizeEmail, relationOf, type Action, type Relation } from '../access';
import {
  MAX_OPEN_DRAFTS,
  assertIntakeOpen,
  assertServedRegion,
  checkedFiness,
  conventionIdFor,
  historyEntry,
  inviteCollaborator,
  markJoined,
  newApplication,
  publicStatus,
  removeCollaborator,
  replaceFields,
  submit,
  transfer,
  withdraw,
  type Application,
  type ApplicationCreate,
  type ApplicationEdit,
  type HistoryEntry,
} from '../application';
import type { Campaign } from '../campaign';
import type { Convention } from '../convention';
import { acknowledgementEmail, transferredAwayEmail, transferredToEmail, type EmailMessage } from '../emails';
import { DomainError, notFound } from '../errors';
import type { Applications, Campaigns, Conventions, Mail, QueuedEmail, Receipt } from '../ports';
import { withdrawalCharge } from '../quota';
import type { ArsCode } from '../regions';
import { APPLICATION, assertVersion, campaignOf, type Acting, type IfMatch, type OnApplication } from './context';

export interface ApplicationPorts {
  readonly applications: Applications;
  readonly campaigns: Campaigns;
  readonly mail: Mail;
}

const notice = (message: EmailMessage, campaign: Campaign, event: string, recipientKey: string): QueuedEmail => ({ ...message, campaignId: campaign.id, event, recipientKey });

/**
 * The application and the caller's relation to it, when the access policy allows the action (404 for a
 * stranger, 403 for a relation without that right). A collaborator's first visit records that their address
 * is a verified one, which the platform may then write to.
 */
export async function openApplication(ports: Pick<ApplicationPorts, 'applications'>, command: OnApplication & { readonly action: Action }): Promise<{ application: Application; relation: Relation }> {
  const stored = await ports.applications.get(command.applicationId);
  if (!stored) throw notFound(APPLICATION);
  authorize(command.caller, stored, 'read', APPLICATION);
  const relation = authorize(command.caller, stored, command.action, APPLICATION);
  const email = command.caller.verifiedEmail;
  const joining = relation === 'collaborator' && email !== undefined && stored.collaborators?.some((collaborator) => collaborator.email === email && !collaborator.joinedAt);
  const application = joining ? markJoined(stored, email, command.at) : stored;
  if (joining) await ports.applications.recordJoined(application);
  assertVersion(application, command.ifMatch);
  return { application, relation };
}

/** The history an application's reader may see (the route's view filters it for applicants). */
export async function applicationHistory(ports: Pick<ApplicationPorts, 'applications'>, command: OnApplication): Promise<{ application: Application; entries: HistoryEntry[] }> {
  const { application } = await openApplication(ports, { ...command, action: 'read' });
  return { application, entries: await ports.applications.history(application.id) };
}

export interface CreateCommand extends Acting {
  readonly campaignId: string;
  readonly input: ApplicationCreate;
  /** The deployment's region ('national' serves all). */
  readonly deployment: ArsCode | 'national';
  readonly newId: () => string;
  /** What an Idempotency-Key keeps of the answer about this application, stored with it. */
  readonly receiptFor?: (application: Application) => Receipt | undefined;
}

/** A draft, while the intake is open, for an ESMS of a region this deployment serves; at most 50 per account and campaign. */
export async function createApplication(ports: ApplicationPorts, command: CreateCommand): Promise<Application> {
  const { ars, finess } = checkedFiness(command.input.finess);
  const campaign = await campaignOf(ports.campaigns, command.campaignId);
  assertIntakeOpen(campaign, command.at);
  assertServedRegion(command.deployment, ars, finess);
  const ownerId = command.caller.id!;
  const drafts = (await ports.applications.ownedBy(ownerId, campaign.id)).filter((held) => held.status === 'brouillon');
  if (drafts.length >= MAX_OPEN_DRAFTS) {
    throw new DomainError('too_many_drafts', `Vous avez déjà ${drafts.length} brouillons dans cette campagne : déposez ou retirez-en avant d'en créer un autre.`);
  }
  const application = newApplication({ id: command.newId(), campaignId: campaign.id, ownerId, ownerEmail: command.caller.verifiedEmail, create: command.input, now: command.at });
  await ports.applications.create(application, historyEntry(application, null, 'creation', command.actor), command.receiptFor?.(application));
  return application;
}

/** The applicant replaces the editable fields while the intake is open. */
export async function editApplication(ports: ApplicationPorts, command: OnApplication & { readonly edit: ApplicationEdit }): Promise<Application> {
  const { application: current } = await openApplication(ports, { ...command, action: 'edit' });
  assertIntakeOpen(await campaignOf(ports.campaigns, current.campaignId), command.at);
  const next = replaceFields(current, command.edit, command.at);
  await ports.applications.save({ application: next, expectedVersion: current.version, at: command.at, entry: historyEntry(next, current.status, 'modification', command.actor) });
  return next;
}

/** The first submission takes the campaign's FINESS and queues the acknowledgement; submitting again changes nothing. */
export async function submitApplication(ports: ApplicationPorts, command: OnApplication): Promise<{ application: Application; submitted: boolean }> {
  const { application: current } = await openApplication(ports, { ...command, action: 'submit' });
  if (current.status === 'deposee') return { application: current, submitted: false };
  const campaign = await campaignOf(ports.campaigns, current.campaignId);
  assertIntakeOpen(campaign, command.at);
  const next = submit(current, command.at);
  const email = notice(acknowledgementEmail(next, campaign), campaign, 'accuse_depot', next.id);
  const emails = email.to.length > 0 ? [email] : [];
  await ports.applications.saveSubmission({ application: next, expectedVersion: current.version, at: command.at, entry: historyEntry(next, current.status, 'depot', command.actor), emails });
  await ports.mail.sendNow(emails, command.at);
  return { application: next, submitted: true };
}

/** Withdrawn until a decision is notified: the FINESS is freed, and a retained file gives its place in the quota back. */
export async function withdrawApplication(ports: ApplicationPorts, command: OnApplication): Promise<Application> {
  const { application: current } = await openApplication(ports, { ...command, action: 'withdraw' });
  const next = withdraw(current, command.at);
  const entry = historyEntry(next, publicStatus(current), 'retrait', command.actor);
  await ports.applications.saveWithdrawal({ application: next, expectedVersion: current.version, at: command.at, entry }, current, withdrawalCharge(current));
  return next;
}

/** The owner invites a collaborator; `invited` is false when they already were. */
export async function inviteToApplication(ports: ApplicationPorts, command: OnApplication & { readonly email: string }): Promise<{ application: Application; invited: boolean }> {
  const { application: current } = await openApplication(ports, { ...command, action: 'manage_collaborators' });
  const next = inviteCollaborator(current, command.email, command.actor, command.at);
  if (next === current) return { application: current, invited: false };
  const entry = historyEntry(next, current.status, 'collaborateur_invite', command.actor, normalizeEmail(command.email));
  await ports.applications.saveHolders({ application: next, expectedVersion: current.version, at: command.at, entry }, current);
  return { application: next, invited: true };
}

export async function removeFromApplication(ports: ApplicationPorts, command: OnApplication & { readonly email: string }): Promise<Application> {
  const { application: current } = await openApplication(ports, { ...command, action: 'manage_collaborators' });
  const next = removeCollaborator(current, command.email, command.at);
  const entry = historyEntry(next, current.status, 'collaborateur_retire', command.actor, normalizeEmail(command.email));
  await ports.applications.saveHolders({ application: next, expectedVersion: current.version, at: command.at, entry }, current);
  return next;
}

/** The ARS gives the file to another verified address; the previous holders and the new owner are told. */
export async function transferApplication(ports: ApplicationPorts, command: OnApplication & { readonly email: string; readonly motivation: string }): Promise<Application> {
  const { application: current } = await openApplication(ports, { ...command, action: 'transfer' });
  const campaign = await campaignOf(ports.campaigns, current.campaignId);
  const next = transfer(current, command.email, command.at);
  const previous = applicantRecipients(current).filter((address) => address !== next.ownerEmail);
  const key = `${next.id}#v${next.version}`;
  const emails = [
    ...(previous.length > 0 ? [notice(transferredAwayEmail(next, campaign, previous), campaign, 'transfert_ancien', key)] : []),
    notice(transferredToEmail(next, campaign, next.ownerEmail!), campaign, 'transfert_nouveau', key),
  ];
  const entry = historyEntry(next, publicStatus(current), 'transfert', command.actor, command.motivation);
  await ports.applications.saveHolders({ application: next, expectedVersion: current.version, at: command.at, entry, emails }, current);
  await ports.mail.sendNow(emails, command.at);
  return next;
}

export interface HeldFile {
  readonly application: Application;
  readonly campaign: Campaign | undefined;
  readonly convention: Convention | undefined;
}

/**
 * "My applications": the files the caller owns or collaborates on, newest first, a page by position (a
 * person holds few files, at most 50 drafts a campaign), each with its campaign and its convention.
 */
export async function applicantFiles(
  ports: Pick<ApplicationPorts, 'applications' | 'campaigns'> & { readonly conventions: Pick<Conventions, 'get'> },
  command: Pick<Acting, 'caller'> & { readonly start: number; readonly limit: number },
): Promise<{ files: HeldFile[]; more: boolean }> {
  const { caller } = command;
  const held = (await ports.applications.heldBy(caller.id!, caller.verifiedEmail)).filter((application) => {
    const relation = relationOf(caller, application);
    return relation === 'owner' || relation === 'collaborator';
  });
  const page = held.slice(command.start, command.start + command.limit);
  const campaigns = new Map<string, Promise<Campaign | undefined>>();
  const campaignOfFile = (id: string) => {
    if (!campaigns.has(id)) campaigns.set(id, ports.campaigns.get(id));
    return campaigns.get(id)!;
  };
  const files = await Promise.all(
    page.map(async (application) => {
      const conventionId = conventionIdFor(application);
      const [campaign, convention] = await Promise.all([campaignOfFile(application.campaignId), conventionId ? ports.conventions.get(conventionId) : undefined]);
      return { application, campaign, convention };
    }),
  );
  return { files, more: command.start + command.limit < held.length };
}
