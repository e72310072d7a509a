import * as z from 'zod/mini';
import { formatDeadline, parseInstant, toParisIso } from './calendar';
import { milestoneInstants, type Campaign } from './campaign';
import type { Application } from './application';
import { DomainError } from './errors';
import type { ArsCode } from './regions';

export const conventionStatuses = ['a_signer', 'signee', 'caduque'] as const;
export type ConventionStatus = (typeof conventionStatuses)[number];
export type Party = 'esms' | 'ars';

export interface Signature {
  readonly at: string;
  readonly by: string;
  readonly email?: string;
}

export interface Convention {
  readonly id: string;
  readonly applicationId: string;
  /** The application's version when notified: later events of its history sort after it. */
  readonly applicationVersion: number;
  readonly campaignId: string;
  readonly finess: string;
  readonly name: string;
  readonly ars: ArsCode;
  readonly amountEur: number;
  readonly firstInstalmentEur: number;
  readonly dueAt: string;
  readonly status: ConventionStatus;
  readonly signatures: { readonly esms?: Signature; readonly ars?: Signature };
  readonly signedAt?: string;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export const signatureSchema = z.strictObject({ party: z.enum(['esms', 'ars']) });

/** One convention per retained application, so its id derives from the dossier number. */
export const conventionIdOf = (applicationId: string): string => applicationId.replace(/^MES-/, 'CNV-');

/** The first instalment, 50%, is due at signature (the ESMS numérique pattern, DOMAIN.md). */
export const firstInstalment = (amountEur: number): number => Math.round(amountEur / 2);

export function newConvention(application: Application, campaign: Campaign, now: Date): Convention {
  const at = toParisIso(now);
  return {
    id: conventionIdOf(application.id),
    applicationId: application.id,
    applicationVersion: application.version,
    campaignId: campaign.id,
    finess: application.finess,
    name: application.name ?? application.finess,
    ars: application.ars,
    amountEur: campaign.fundingPerPilotEur,
    firstInstalmentEur: firstInstalment(campaign.fundingPerPilotEur),
    dueAt: toParisIso(milestoneInstants(campaign).conventionsDueAt),
    status: 'a_signer',
    signatures: {},
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
}

/** A party signs once, before dueAt; the second signature makes the convention `signee`. */
export function sign(convention: Convention, party: Party, signature: Signature, now: Date): Convention {
  const due = parseInstant(convention.dueAt)!;
  if (convention.status === 'caduque' || now.getTime() >= due.getTime()) {
    throw new DomainError('convention_due_passed', `La convention devait être signée au plus tard le ${formatDeadline(due)}.`);
  }
  if (convention.signatures[party]) {
    throw new DomainError('already_signed', party === 'esms' ? "L'établissement a déjà signé cette convention." : "L'ARS a déjà signé cette convention.");
  }
  const signatures = { ...convention.signatures, [party]: signature };
  const complete = signatures.esms !== undefined && signatures.ars !== undefined;
  const at = toParisIso(now);
  return {
    ...convention,
    signatures,
    status: complete ? 'signee' : 'a_signer',
    ...(complete ? { signedAt: at } : {}),
    version: convention.version + 1,
    updatedAt: at,
  };
}

/** At dueAt, a convention still waiting for a signature lapses. */
export function lapse(convention: Convention, now: Date): Convention {
  if (convention.status !== 'a_signer') throw new DomainError('invalid_transition', 'Seule une convention à signer peut devenir caduque.');
  return { ...convention, status: 'caduque', version: convention.version + 1, updatedAt: toParisIso(now) };
}

const VIEW_ORDER = ['id', 'applicationId', 'campaignId', 'finess', 'name', 'ars', 'amountEur', 'firstInstalmentEur', 'dueAt', 'status', 'signatures', 'signedAt', 'version', 'createdAt', 'updatedAt'] as const;

export function conventionView(convention: Convention): Record<string, unknown> & { version: number } {
  const view: Record<string, unknown> = {};
  for (const field of VIEW_ORDER) if (convention[field] !== undefined) view[field] = convention[field];
  const signatures: Record<string, { at: string; by: string }> = {};
  for (const party of ['esms', 'ars'] as const) {
    const signature = convention.signatures[party];
    if (signature) signatures[party] = { at: signature.at, by: signature.by };
  }
  view.signatures = signatures;
  return view as Record<string, unknown> & { version: number };
}
