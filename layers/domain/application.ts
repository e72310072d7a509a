import * as z from 'zod/mini';
import { formatDeadline, formatParisDateTime, toParisIso } from './calendar';
import { milestoneInstants, type Campaign } from './campaign';
import { categoryOf, type Mode, type Sector } from './categories';
import { DomainError, type FieldError } from './errors';
import { normalizeEmail } from './access';
import { conventionIdOf } from './convention';
import { checkFiness } from './finess';
import { arsName, type ArsCode } from './regions';
import { lineText, longText, searchable } from './text';

export const applicationStatuses = ['brouillon', 'deposee', 'en_instruction', 'retenue', 'non_retenue', 'sans_suite'] as const;
export type ApplicationStatus = (typeof applicationStatuses)[number];

export const pathways = ['personnes_agees', 'personnes_handicapees', 'cancer', 'mere_enfant', 'autre'] as const;
export const readinessLevels = ['en_production', 'en_cours', 'non'] as const;

export const contactSchema = z.strictObject({
  name: z.optional(lineText(120)),
  email: z.optional(z.email({ message: 'Adresse électronique invalide' }).check(z.maxLength(254))),
  phone: z.optional(z.string().check(z.trim(), z.regex(/^\+?[0-9 .()-]{6,20}$/, 'Numéro de téléphone invalide'))),
});

export const duiSchema = z.strictObject({
  editor: z.optional(lineText(120)),
  product: z.optional(lineText(120)),
  segurReferenced: z.optional(z.boolean()),
  mesCapable: z.optional(z.boolean()),
});

export const readinessSchema = z.strictObject({ dmp: z.optional(z.enum(readinessLevels)), mss: z.optional(z.enum(readinessLevels)), ins: z.optional(z.enum(readinessLevels)) });

/** The fields an applicant edits; all optional while the application is a draft. */
export const editableFields = {
  name: z.optional(lineText(200)),
  category: z.optional(z.string().check(z.regex(/^[0-9]{3}$/, 'Code catégorie FINESS à 3 chiffres attendu'))),
  contact: z.optional(contactSchema),
  dui: z.optional(duiSchema),
  readiness: z.optional(readinessSchema),
  pathways: z.optional(
    z.array(z.enum(pathways)).check(
      z.maxLength(pathways.length),
      z.refine((list) => new Set(list).size === list.length, { message: 'Parcours en double' }),
    ),
  ),
  exchanges: z.optional(longText(5000)),
  awarenessMeans: z.optional(longText(5000)),
  capacity: z.optional(z.number().check(z.int(), z.gte(0), z.lte(100_000))),
};

export const applicationEditSchema = z.strictObject(editableFields);
export type ApplicationEdit = z.output<typeof applicationEditSchema>;

/** FINESS is checked on its own (400 finess_invalid) so the applicant gets the precise reason. */
export const applicationCreateSchema = z.strictObject({ finess: z.string().check(z.maxLength(20)), ...editableFields });
export type ApplicationCreate = z.output<typeof applicationCreateSchema>;

export interface Decision {
  readonly decision: 'retenue' | 'non_retenue';
  readonly motivation: string;
  readonly decidedAt: string;
  readonly decidedBy: string;
  readonly notifiedAt?: string;
}

/** The ARS reviewer's assessment; never shown to the applicant. */
export interface Review {
  readonly scores: Readonly<Record<string, number>>;
  readonly comment: string;
  readonly average: number;
  readonly reviewedAt: string;
  readonly reviewedBy: string;
}

export interface Application extends ApplicationEdit {
  readonly id: string;
  readonly campaignId: string;
  readonly finess: string;
  readonly sector?: Sector;
  readonly mode?: Mode;
  readonly department: string;
  readonly ars: ArsCode;
  /** The account that owns it (Cognito `sub`); absent after a transfer, which gives the file to an email address. */
  readonly ownerId?: string;
  /** The owner's verified address (token `email` with `email_verified`); after a transfer, the address given the file. */
  readonly ownerEmail?: string;
  /** Up to 10 people the owner invited by email; a collaborator has joined once signed in with that address verified. */
  readonly collaborators?: readonly Collaborator[];
  readonly status: ApplicationStatus;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly submittedAt?: string;
  readonly decision?: Decision;
  readonly review?: Review;
}

export interface Collaborator {
  readonly email: string;
  readonly invitedAt: string;
  readonly invitedBy: string;
  /** First request made with this address verified: from then on the platform writes to it. */
  readonly joinedAt?: string;
}

export const MAX_COLLABORATORS = 10;
export const MAX_OPEN_DRAFTS = 50;

/** One line of the append-only history: who did what, when, and why. */
export interface HistoryEntry {
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly from: ApplicationStatus | null;
  readonly to: ApplicationStatus;
  readonly motivation?: string;
}

/** Derived from the FINESS category table: PA/PH and établissement/domicile. */
function derived(category: string | undefined): { sector?: Sector; mode?: Mode } {
  const found = category ? categoryOf(category) : undefined;
  return found ? { sector: found.sector, mode: found.mode } : {};
}

export function checkedFiness(input: string): { finess: string; department: string; ars: ArsCode } {
  const result = checkFiness(input);
  if (!result.ok) throw new DomainError('finess_invalid', result.message, [{ path: 'finess', message: result.message }]);
  return result;
}

/** A regional deployment serves the ESMS of its own region only; the detail tells the applicant where to go. */
export function assertServedRegion(deployment: ArsCode | 'national', ars: ArsCode, finess: string): void {
  if (deployment === 'national' || deployment === ars) return;
  throw new DomainError(
    'wrong_region',
    `Le numéro FINESS ${finess} relève de l'ARS ${arsName(ars)} (${ars}) : cette plateforme est celle de l'ARS ${arsName(deployment)}. Déposez votre candidature auprès de l'ARS ${arsName(ars)}.`,
    [{ path: 'finess', message: `Relève de l'ARS ${ars}` }],
  );
}

/** Intake windows are [intakeOpensAt, intakeClosesAt): checked at request time, for create, replace and submit alike. */
export function assertIntakeOpen(campaign: Campaign, now: Date): void {
  const at = milestoneInstants(campaign);
  if (now.getTime() < at.intakeOpensAt.getTime()) {
    throw new DomainError('intake_not_open', `Les candidatures ouvrent le ${formatParisDateTime(at.intakeOpensAt)} (heure de Paris).`);
  }
  if (now.getTime() >= at.intakeClosesAt.getTime()) {
    throw new DomainError('intake_closed', `Les candidatures étaient ouvertes jusqu'au ${formatDeadline(at.intakeClosesAt)} : elles sont closes.`);
  }
}

export function newApplication(input: { id: string; campaignId: string; ownerId: string; ownerEmail?: string; create: ApplicationCreate; now: Date }): Application {
  const { finess: rawFiness, ...fields } = input.create;
  const { finess, department, ars } = checkedFiness(rawFiness);
  const at = toParisIso(input.now);
  return {
    ...fields,
    id: input.id,
    campaignId: input.campaignId,
    finess,
    ...derived(fields.category),
    department,
    ars,
    ownerId: input.ownerId,
    ...(input.ownerEmail ? { ownerEmail: normalizeEmail(input.ownerEmail) } : {}),
    status: 'brouillon',
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
}

const EDITABLE: readonly ApplicationStatus[] = ['brouillon', 'deposee'];

/** PUT replaces every editable field (absent ones are cleared); a submitted one must stay eligible. */
export function replaceFields(application: Application, edit: ApplicationEdit, now: Date): Application {
  if (!EDITABLE.includes(application.status)) {
    throw new DomainError('invalid_transition', `Le dossier est ${statusLabel(application.status)} : il ne peut plus être modifié.`);
  }
  const { id, campaignId, finess, department, ars, ownerId, ownerEmail, collaborators, status, createdAt, submittedAt, decision, review } = application;
  const cleared: Application = {
    ...{ id, campaignId, finess, department, ars, status, createdAt },
    ...(ownerId ? { ownerId } : {}),
    ...(ownerEmail ? { ownerEmail } : {}),
    ...(collaborators ? { collaborators } : {}),
    ...(submittedAt ? { submittedAt } : {}),
    ...(decision ? { decision } : {}),
    ...(review ? { review } : {}),
    ...edit,
    ...derived(edit.category),
    version: application.version + 1,
    updatedAt: toParisIso(now),
  };
  if (application.status === 'deposee') assertEligible(cleared);
  return cleared;
}

/** The rules of API.md, one entry per rule not met. */
export function eligibilityProblems(application: ApplicationEdit): FieldError[] {
  const problems: FieldError[] = [];
  if (!application.name) problems.push({ path: 'name', message: "Le nom de l'établissement ou du service est requis" });
  if (!application.category || !categoryOf(application.category)) {
    problems.push({ path: 'category', message: 'La catégorie doit être un ESMS du secteur personnes âgées, personnes handicapées ou du domicile' });
  }
  if (!application.dui?.segurReferenced && !application.dui?.mesCapable) {
    problems.push({ path: 'dui', message: 'Le DUI doit être référencé Ségur ou capable d’alimenter Mon espace santé' });
  }
  if (!application.pathways || application.pathways.length === 0) problems.push({ path: 'pathways', message: 'Au moins un parcours d’usage est requis' });
  if (!application.exchanges) problems.push({ path: 'exchanges', message: 'Les échanges prévus doivent être décrits' });
  if (!application.awarenessMeans) problems.push({ path: 'awarenessMeans', message: 'Les moyens d’information et de formation doivent être décrits' });
  if (!application.contact?.email) problems.push({ path: 'contact.email', message: 'L’adresse électronique du contact est requise' });
  return problems;
}

export function assertEligible(application: ApplicationEdit): void {
  const problems = eligibilityProblems(application);
  if (problems.length > 0) {
    throw new DomainError('ineligible', `Le dossier ne remplit pas ${problems.length === 1 ? 'une condition' : `${problems.length} conditions`} de l'appel à projets.`, problems);
  }
}

export function submit(application: Application, now: Date): Application {
  if (application.status !== 'brouillon') {
    throw new DomainError('invalid_transition', `Le dossier est ${statusLabel(application.status)} : il ne peut pas être déposé.`);
  }
  assertEligible(application);
  const at = toParisIso(now);
  return { ...application, status: 'deposee', submittedAt: at, version: application.version + 1, updatedAt: at };
}

/**
 * Withdrawal is possible until a decision is notified: an applicant does not know of a decision not yet
 * notified, so refusing would reveal it. A withdrawn retained application frees its place in the quota.
 */
export function withdraw(application: Application, now: Date): Application {
  const open = ['brouillon', 'deposee', 'en_instruction', 'retenue', 'non_retenue'].includes(application.status);
  if (!open || application.decision?.notifiedAt) {
    throw new DomainError('invalid_transition', `Le dossier est ${statusLabel(publicStatus(application))} : il ne peut plus être retiré.`);
  }
  const { decision: _dropped, ...rest } = application;
  return { ...rest, status: 'sans_suite', version: application.version + 1, updatedAt: toParisIso(now) };
}

/** What the applicant is shown: a decision exists for them only once it is notified. */
export function publicStatus(application: Application): ApplicationStatus {
  const decidedUnnotified = (application.status === 'retenue' || application.status === 'non_retenue') && !application.decision?.notifiedAt;
  return decidedUnnotified ? 'en_instruction' : application.status;
}

export function statusLabel(status: ApplicationStatus): string {
  return {
    brouillon: 'en brouillon',
    deposee: 'déposé',
    en_instruction: 'en instruction',
    retenue: 'retenu',
    non_retenue: 'non retenu',
    sans_suite: 'classé sans suite',
  }[status];
}

const VIEW_ORDER = ['id', 'campaignId', 'finess', 'name', 'category', 'sector', 'mode', 'department', 'ars', 'contact', 'dui', 'readiness', 'pathways', 'exchanges', 'awarenessMeans', 'capacity', 'status', 'version', 'createdAt', 'updatedAt', 'submittedAt', 'decision', 'conventionId', 'collaborators'] as const;

export type ApplicationView = Omit<Application, 'ownerId' | 'ownerEmail'> & { readonly conventionId?: string };

/** A retained application has a convention from the notification on; its id derives from the dossier number. */
export const conventionIdFor = (application: Application): string | undefined =>
  application.status === 'retenue' && application.decision?.notifiedAt ? conventionIdOf(application.id) : undefined;

/**
 * The API shape, fields in the order API.md lists them; the owner's id stays internal. Staff (the ARS of the
 * region, national) see the review and a decision as soon as it is taken; the applicant sees neither the
 * review nor a decision not yet notified.
 */
export function applicationView(application: Application, audience: 'staff' | 'applicant'): ApplicationView {
  const view: Record<string, unknown> = {};
  const full = { ...application, conventionId: conventionIdFor(application), collaborators: application.collaborators?.map(({ email, invitedAt, joinedAt }) => ({ email, invitedAt, ...(joinedAt ? { joinedAt } : {}) })) };
  for (const field of VIEW_ORDER) if (full[field] !== undefined) view[field] = full[field];
  if (audience === 'staff') {
    if (application.review) view.review = application.review;
    return view as ApplicationView;
  }
  view.status = publicStatus(application);
  if (!application.decision?.notifiedAt) delete view.decision;
  else view.decision = { decision: application.decision.decision, motivation: application.decision.motivation, notifiedAt: application.decision.notifiedAt };
  return view as ApplicationView;
}

/** Name and FINESS, accent-free and lower-case, for the `q` filter of the list. */
export const searchTextOf = (application: Pick<Application, 'name' | 'finess'>): string =>
  `${searchable(application.name ?? '')} ${application.finess.toLowerCase()}`;

export function historyEntry(application: Application, from: ApplicationStatus | null, action: string, actor: string, motivation?: string): HistoryEntry {
  return { at: application.updatedAt, actor, action, from, to: application.status, ...(motivation ? { motivation } : {}) };
}

/**
 * The history an applicant reads: no reviews, and of the decisions only the one notified to them (a
 * decision changed before notification was never theirs to know, nor its motivation).
 */
export function applicantHistory(entries: readonly HistoryEntry[], application: Application): HistoryEntry[] {
  const lastDecision = application.decision?.notifiedAt ? entries.findLastIndex((entry) => entry.action === 'decision') : -1;
  return entries.filter((entry, index) => entry.action !== 'evaluation' && (entry.action !== 'decision' || index === lastDecision));
}

/** The owner invites a collaborator by email (at most 10); inviting someone already there changes nothing. */
export function inviteCollaborator(application: Application, email: string, by: string, now: Date): Application {
  const address = normalizeEmail(email);
  const current = application.collaborators ?? [];
  if (current.some((collaborator) => collaborator.email === address)) return application;
  if (address === application.ownerEmail) {
    throw new DomainError('validation_failed', 'Cette adresse est celle du porteur du dossier.', [{ path: 'email', message: 'Adresse du porteur' }]);
  }
  if (current.length >= MAX_COLLABORATORS) {
    throw new DomainError('too_many_collaborators', `Un dossier compte au plus ${MAX_COLLABORATORS} collaborateurs : retirez-en un avant d'en inviter un autre.`);
  }
  const at = toParisIso(now);
  return { ...application, collaborators: [...current, { email: address, invitedAt: at, invitedBy: by }], version: application.version + 1, updatedAt: at };
}

export function removeCollaborator(application: Application, email: string, now: Date): Application {
  const address = normalizeEmail(email);
  const current = application.collaborators ?? [];
  if (!current.some((collaborator) => collaborator.email === address)) throw new DomainError('not_found', `${address} ne collabore pas à ce dossier.`);
  return { ...application, collaborators: current.filter((collaborator) => collaborator.email !== address), version: application.version + 1, updatedAt: toParisIso(now) };
}

/** A collaborator signed in with the invited address verified: the platform may now write to it. */
export function markJoined(application: Application, email: string, now: Date): Application {
  const collaborators = (application.collaborators ?? []).map((collaborator) =>
    collaborator.email === email && !collaborator.joinedAt ? { ...collaborator, joinedAt: toParisIso(now) } : collaborator,
  );
  return { ...application, collaborators };
}

export const transferSchema = z.strictObject({
  email: z.email({ message: 'Adresse électronique invalide' }).check(z.maxLength(254)),
  motivation: z.pipe(longText(2000), z.string().check(z.minLength(1, 'La motivation est requise'))),
});
export const collaboratorSchema = z.strictObject({ email: z.email({ message: 'Adresse électronique invalide' }).check(z.maxLength(254)) });

/**
 * The ARS gives the file (and its convention and pilot) to whoever signs in with that verified address;
 * the previous owner and the collaborators lose access at once.
 */
export function transfer(application: Application, email: string, now: Date): Application {
  const { ownerId: _previousOwner, collaborators: _previousCollaborators, ...rest } = application;
  const at = toParisIso(now);
  return { ...rest, ownerEmail: normalizeEmail(email), version: application.version + 1, updatedAt: at };
}

/** At intakeClosesAt, a submitted application goes to review. */
export function closeIntake(application: Application, now: Date): Application {
  if (application.status !== 'deposee') throw new DomainError('invalid_transition', `Le dossier est ${statusLabel(application.status)} : seul un dossier déposé passe en instruction.`);
  return { ...application, status: 'en_instruction', version: application.version + 1, updatedAt: toParisIso(now) };
}

/** At selectionEndsAt, an application still in review without a decision closes without one. */
export function closeWithoutDecision(application: Application, now: Date): Application {
  if (application.status !== 'en_instruction') throw new DomainError('invalid_transition', `Le dossier est ${statusLabel(application.status)} : seul un dossier en instruction est classé sans suite faute de décision.`);
  return { ...application, status: 'sans_suite', version: application.version + 1, updatedAt: toParisIso(now) };
}
