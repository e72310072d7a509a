import type { Application, ApplicationStatus, HistoryEntry } from './application';
import type { Campaign } from './campaign';
import type { Convention, Party } from './convention';
import type { DomainError } from './errors';
import type { EmailMessage } from './emails';
import type { Pilot } from './pilot';
import type { QuotaCharge } from './quota';
import type { ArsCode } from './regions';
import type { ReportInput, UsageCorrection, UsageMonth } from './usage';

/**
 * What the use cases need of storage and mail, in the programme's words. The DynamoDB adapters
 * (layers/adapters/*-repository.ts) and the in-memory ones (layers/adapters/memory) implement them; a rule
 * the store enforces in its write (a version, the FINESS, the quota) comes back as the domain error naming it.
 */

/** An email caused by a change: recorded with the change, sent at most once per (campaign, event, recipient). */
export interface QueuedEmail extends EmailMessage {
  readonly campaignId: string;
  readonly event: string;
  /** What makes this email unique within (campaign, event), usually the recipient's dossier or address. */
  readonly recipientKey: string;
}

/** What an Idempotency-Key keeps of a create's answer, stored with the create itself; opaque here. */
export type Receipt = object;

/** A change to an application at the version read (version_conflict otherwise), with its history line and emails. */
export interface ApplicationChange {
  readonly application: Application;
  readonly expectedVersion: number;
  /** The instant of the change (the emails are recorded at it). */
  readonly at: Date;
  readonly entry?: HistoryEntry;
  readonly emails?: readonly QueuedEmail[];
}

export interface Campaigns {
  /** `fresh`: not from a warm container's cache (before a change). */
  get(id: string, options?: { fresh?: boolean }): Promise<Campaign | undefined>;
  /** A new campaign: campaign_exists when the id is taken. */
  create(campaign: Campaign, receipt?: Receipt): Promise<void>;
  /** A change at the version read (version_conflict otherwise). */
  update(campaign: Campaign, expectedVersion: number): Promise<void>;
}

/** The one-time milestone schedules of a campaign (EventBridge Scheduler in AWS). */
export interface Schedules {
  /** Writes the campaign's schedules for its milestones still ahead; returns how many. */
  sync(campaign: Campaign, at: Date): Promise<number>;
}

export interface Applications {
  get(id: string): Promise<Application | undefined>;
  /** The applications an account owns in a campaign. */
  ownedBy(ownerId: string, campaignId: string): Promise<Application[]>;
  /** The applications of the campaign held by whoever holds this one (its owner's account, or the address it was given to). */
  ofSameHolder(application: Application): Promise<Application[]>;
  /** The applications a person holds (owned, given to their address, shared with it), newest first. */
  heldBy(ownerId: string, verifiedEmail: string | undefined): Promise<Application[]>;
  /** Every application of a campaign in a status. */
  inStatus(campaignId: string, status: ApplicationStatus): AsyncIterable<Application>;
  /** Decided applications of a region whose decision is not yet notified. */
  awaitingNotification(campaignId: string, ars: ArsCode): Promise<Application[]>;
  /** A new draft with its first history line: duplicate_finess when a submitted file holds the FINESS. */
  create(application: Application, entry: HistoryEntry, receipt?: Receipt): Promise<void>;
  save(change: ApplicationChange): Promise<void>;
  /** A submission takes the campaign's FINESS: duplicate_finess when another file holds it. */
  saveSubmission(change: ApplicationChange): Promise<void>;
  /** A withdrawal frees the FINESS the file held, and gives back its place in the quota if any. */
  saveWithdrawal(change: ApplicationChange, previous: Application, charge: QuotaCharge | undefined): Promise<void>;
  /** Saves this decision and counts it against the region's quota: quota_reached when the region is full. */
  saveDecision(change: ApplicationChange, charge: QuotaCharge | undefined): Promise<void>;
  /** A notified decision, its email and, for a retained file, its convention (created once). */
  saveNotification(change: ApplicationChange, convention: Convention | undefined): Promise<void>;
  /** The collaborators (or the owner, by a transfer) changed: who finds the file in their list follows. */
  saveHolders(change: ApplicationChange, previous: Application): Promise<void>;
  /** A collaborator's first visit, address verified: no new version, a lost race is harmless. */
  recordJoined(application: Application): Promise<void>;
  history(id: string): Promise<HistoryEntry[]>;
}

export interface SignatureRecord {
  readonly party: Party;
  readonly actor: string;
  readonly at: Date;
}

export interface Conventions {
  get(id: string): Promise<Convention | undefined>;
  /** Conventions of a campaign still waiting for a signature. */
  toSign(campaignId: string): AsyncIterable<Convention>;
  /** Records this signature (and its history line); with the second one the pilot exists and the emails go. */
  saveSignature(signed: Convention, previous: Convention, by: SignatureRecord, emails: readonly QueuedEmail[]): Promise<void>;
  /** A lapsed convention, and the emails telling its parties. */
  saveLapse(lapsed: Convention, previous: Convention, emails: readonly QueuedEmail[], at: Date): Promise<void>;
}

export interface Pilots {
  get(finess: string, campaignId: string): Promise<Pilot | undefined>;
  all(campaignId: string): AsyncIterable<Pilot>;
  /** The pilots a machine client may report for in a campaign, by FINESS (`fresh`: no cached list). */
  grantsOf(clientId: string, campaignId: string, fresh: boolean): Promise<ReadonlyMap<string, Pick<Pilot, 'finess' | 'campaignId' | 'ars'>>>;
  /** Registers a machine client for the pilot; false when it already was (by someone else meanwhile). */
  registerClient(pilot: Pilot, clientId: string, by: string, at: Date, receipt?: Receipt): Promise<boolean>;
}

export interface ReportToWrite {
  /** The caller's handle on this report (its index in the batch). */
  readonly id: number;
  readonly input: ReportInput;
}

export type WriteOutcome =
  | { readonly status: 'written' | 'unchanged'; readonly month: UsageMonth }
  | { readonly status: 'refused'; readonly error: DomainError };

export interface UsageReports {
  /** Writes the reports: each written, unchanged (same figures again) or refused (If-Match not met, too many races). */
  write(reports: readonly ReportToWrite[]): Promise<Map<number, WriteOutcome>>;
  monthsOf(finess: string, campaignId: string): Promise<UsageMonth[]>;
  correctionsOf(finess: string, campaignId: string, month?: string): Promise<UsageCorrection[]>;
  hasReported(finess: string, campaignId: string, month: string): Promise<boolean>;
}

export interface Mail {
  /** Records an email outside any change; false when already recorded (sent or pending). */
  queueOnce(email: QueuedEmail, at: Date): Promise<boolean>;
  /** Tries to send now what a change recorded; what is not sent stays pending for the milestone sweep. */
  sendNow(emails: readonly QueuedEmail[], at: Date): Promise<void>;
}

/** Which one-time milestone steps (announcements, reminders) a campaign has done. */
export interface StepLedger {
  done(campaignId: string, step: string): Promise<boolean>;
  /** Written only once every transition and email of the step is recorded. */
  markDone(campaignId: string, step: string, at: Date): Promise<void>;
}

/** The key that makes an email unique in the ledger (the outbox adapter's dedupKeyOf has the same form). */
export const queuedEmailKey = (email: Pick<QueuedEmail, 'campaignId' | 'event' | 'recipientKey'>): string => `${email.campaignId}#${email.event}#${email.recipientKey}`;
