import { DomainError, notFound } from './errors';
import type { ArsCode } from './regions';

/**
 * The one access policy: who the caller is to a file (an application, with its convention and pilot),
 * and what each relation may do. Handlers ask `authorize(caller, holding, action)` and nothing else.
 */

/** The claims that matter here, as layers/http/auth reads them from the token. */
export interface Caller {
  /** Cognito `sub` (or the client id of a machine client). */
  readonly id: string | undefined;
  /** The token's email, only when `email_verified` is true; lower-case. */
  readonly verifiedEmail: string | undefined;
  readonly roles: ReadonlySet<string>;
  /** The ARS whose files this caller reviews (`ars-<CODE>` groups). */
  readonly regions: readonly ArsCode[];
  readonly clientId: string | undefined;
}

/** Who holds a file: its owner (an account, or after a transfer an email not yet signed in) and its collaborators. */
export interface Holding {
  readonly ars: ArsCode;
  readonly ownerId?: string;
  /** The owner's verified address; after a transfer, the address the file was given to. */
  readonly ownerEmail?: string;
  readonly collaborators?: readonly { readonly email: string; readonly joinedAt?: string }[];
  /** Machine clients registered for the pilot, when the file is a pilot. */
  readonly reportingClients?: readonly string[];
}

export const relations = ['owner', 'collaborator', 'national', 'region_staff', 'registered_client', 'stranger'] as const;
export type Relation = (typeof relations)[number];

export const actions = [
  'read',
  'edit',
  'submit',
  'withdraw',
  'manage_collaborators',
  'see_review',
  'review',
  'decide',
  'transfer',
  'sign_esms',
  'sign_ars',
  'report_usage',
  'read_usage',
  'register_client',
  'download',
  'manage_attachments',
] as const;
export type Action = (typeof actions)[number];

// download: the file's documents (receipt, convention PDF), for those who hold the file or review it.
const applicant: readonly Action[] = ['read', 'edit', 'submit', 'withdraw', 'sign_esms', 'report_usage', 'read_usage', 'download'];
const staff: readonly Action[] = ['read', 'see_review', 'review', 'decide', 'transfer', 'read_usage', 'register_client', 'download'];

/** The table itself: a relation may do exactly these actions. */
export const policy: Readonly<Record<Relation, ReadonlySet<Action>>> = {
  // The owner alone adds or removes the file's attachments, as the contract says (collaborators read them).
  owner: new Set([...applicant, 'manage_collaborators', 'manage_attachments']),
  collaborator: new Set(applicant),
  // Only the region's own ARS signs for the ARS; national staff do everything else staff do.
  region_staff: new Set([...staff, 'sign_ars']),
  national: new Set(staff),
  registered_client: new Set(['report_usage', 'read_usage']),
  stranger: new Set(),
};

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

/** Strongest relation first: an owner who is also staff acts as the owner on their own file. */
export function relationOf(caller: Caller, holding: Holding): Relation {
  const email = caller.verifiedEmail;
  if (caller.id !== undefined && !caller.roles.has('client')) {
    if (holding.ownerId !== undefined ? caller.id === holding.ownerId : email !== undefined && email === holding.ownerEmail) return 'owner';
    if ((holding.collaborators ?? []).some((collaborator) => collaborator.email === email)) return 'collaborator';
  }
  if (caller.roles.has('national')) return 'national';
  if (caller.roles.has('ars') && caller.regions.includes(holding.ars)) return 'region_staff';
  if (caller.roles.has('client') && caller.clientId !== undefined && holding.reportingClients?.includes(caller.clientId)) return 'registered_client';
  return 'stranger';
}

export const may = (relation: Relation, action: Action): boolean => policy[relation].has(action);

const refusals: Partial<Record<Action, string>> = {
  manage_collaborators: 'Seul le porteur du dossier gère ses collaborateurs.',
  sign_esms: "Seul le porteur du dossier, ou un collaborateur, signe pour l'établissement.",
  sign_ars: "Seule l'ARS de la région signe pour l'ARS.",
  report_usage: "Seul l'établissement pilote, ou un logiciel déclaré pour lui, transmet ses chiffres d'usage.",
};

/**
 * The relation, when it allows the action. A caller with no relation to the file learns nothing of it
 * (404, as for a file that does not exist); one who has a relation but not this right gets 403.
 */
export function authorize(caller: Caller, holding: Holding, action: Action, what = 'Le dossier demandé'): Relation {
  const relation = relationOf(caller, holding);
  if (may(relation, action)) return relation;
  if (policy[relation].size === 0) throw notFound(what);
  throw new DomainError('forbidden', refusals[action] ?? 'Votre profil ne permet pas cette action sur ce dossier.');
}

/** The addresses the platform writes to about a file: its holders' verified account addresses, never a typed one. */
export function applicantRecipients(holding: Holding): string[] {
  const addresses = [holding.ownerEmail, ...(holding.collaborators ?? []).filter((collaborator) => collaborator.joinedAt !== undefined).map((collaborator) => collaborator.email)];
  return [...new Set(addresses.filter((address): address is string => address !== undefined))];
}
