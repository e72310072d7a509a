import * as z from 'zod/mini';
import { assertIntakeOpen, statusLabel, type Application } from './application';
import type { Campaign } from './campaign';
import { applicantRecipients } from './access';
import type { EmailMessage } from './emails';
import { DomainError } from './errors';

/** Documents an applicant attaches to an application: PDF, JPEG or PNG, at most 10 MB each and 10 per application. */
export const attachmentContentTypes = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type AttachmentContentType = (typeof attachmentContentTypes)[number];
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const MAX_ATTACHMENTS = 10;
/** How long the presigned upload (POST) and download (GET) stay valid. */
export const UPLOAD_VALID_SECONDS = 15 * 60;
export const DOWNLOAD_VALID_SECONDS = 5 * 60;

export const attachmentStatuses = ['en_attente', 'en_analyse', 'sain', 'infecte'] as const;
export type AttachmentStatus = (typeof attachmentStatuses)[number];

/**
 * The tag GuardDuty Malware Protection for S3 puts on each object it scans, and its values
 * (AWS: "S3 object tagging" in the GuardDuty user guide). The local scanner follows the same contract.
 */
export const SCAN_STATUS_TAG = 'GuardDutyMalwareScanStatus';
export const scanStatusTags = ['NO_THREATS_FOUND', 'THREATS_FOUND', 'UNSUPPORTED', 'ACCESS_DENIED', 'FAILED'] as const;
export type ScanStatusTag = (typeof scanStatusTags)[number];

// No control characters, no path separators: the name is shown and becomes the download's filename.
const fileName = z
  .string()
  .check(z.trim(), z.minLength(1), z.maxLength(200), z.regex(/^[^\u0000-\u001f\u007f/\\]+$/, 'Nom de fichier invalide (ni caractère de contrôle, ni / ni \\)'));

export const attachmentCreateSchema = z.strictObject({
  name: fileName,
  contentType: z.enum(attachmentContentTypes, { message: 'Type accepté : PDF (application/pdf), JPEG (image/jpeg) ou PNG (image/png)' }),
  size: z.number().check(z.int(), z.gte(1, 'Le fichier est vide'), z.lte(MAX_ATTACHMENT_BYTES, 'Un fichier joint ne dépasse pas 10 Mo')),
});
export type AttachmentCreate = z.output<typeof attachmentCreateSchema>;

/** What is stored of an attachment (the object itself is in the bucket, under `key`). */
export interface Attachment {
  readonly id: string;
  readonly applicationId: string;
  readonly name: string;
  readonly contentType: AttachmentContentType;
  readonly size: number;
  readonly key: string;
  readonly createdAt: string;
  /** When the object was seen in the bucket (Paris time). */
  readonly uploadedAt?: string;
  /** The final scan result, kept once known. */
  readonly status?: 'sain' | 'infecte';
}

export interface AttachmentView {
  readonly id: string;
  readonly name: string;
  readonly contentType: AttachmentContentType;
  readonly size: number;
  readonly status: AttachmentStatus;
  readonly uploadedAt?: string;
}

/** The status shown, from what the bucket says of the object: not there yet, there but unscanned, or scanned. */
export function statusOf(uploaded: boolean, tag: string | undefined): AttachmentStatus {
  if (!uploaded) return 'en_attente';
  if (tag === 'NO_THREATS_FOUND') return 'sain';
  if (tag === 'THREATS_FOUND') return 'infecte';
  // UNSUPPORTED, ACCESS_DENIED, FAILED: not known to be clean, so never downloadable.
  return 'en_analyse';
}

export function assertRoomFor(count: number): void {
  if (count >= MAX_ATTACHMENTS) {
    throw new DomainError('too_many_attachments', `Un dossier compte au plus ${MAX_ATTACHMENTS} pièces jointes : supprimez-en une avant d'en ajouter une autre.`);
  }
}

export function assertClean(status: AttachmentStatus): void {
  if (status === 'sain') return;
  const detail =
    status === 'infecte'
      ? "Ce fichier a été refusé : l'analyse antivirus y a détecté un logiciel malveillant. Il ne peut pas être téléchargé."
      : status === 'en_analyse'
        ? "Ce fichier est en cours d'analyse antivirus : il pourra être téléchargé une fois l'analyse terminée."
        : "Ce fichier n'a pas encore été déposé.";
  throw new DomainError('attachment_not_clean', detail);
}

/** The French sentence the applicant reads next to each status. */
export const attachmentStatusLabels: Record<AttachmentStatus, string> = {
  en_attente: 'En attente du fichier',
  en_analyse: 'Analyse antivirus en cours',
  sain: 'Vérifié',
  infecte: 'Refusé : logiciel malveillant détecté',
};

/** Attachments are added and removed while the application itself may be edited: a draft or a submitted file, during the intake. */
export function assertAttachmentsEditable(application: Pick<Application, 'status'>, campaign: Campaign, now: Date): void {
  if (application.status !== 'brouillon' && application.status !== 'deposee') {
    throw new DomainError('invalid_transition', `Le dossier est ${statusLabel(application.status)} : ses pièces jointes ne peuvent plus changer.`);
  }
  assertIntakeOpen(campaign, now);
}

/** What the holders of a file are told when the scan finds malware in one of its attachments. */
export function infectedAttachmentEmail(application: Application, attachmentName: string): EmailMessage {
  return {
    to: applicantRecipients(application),
    subject: `Dossier n° ${application.id} : une pièce jointe a été refusée`,
    text: [
      application.contact?.name ? `Bonjour ${application.contact.name},` : 'Bonjour,',
      '',
      `L'analyse antivirus a détecté un logiciel malveillant dans le fichier « ${attachmentName} » joint au dossier n° ${application.id}${application.name ? ` (${application.name})` : ''}.`,
      "Ce fichier a été refusé : personne ne peut le télécharger, et il sera effacé.",
      '',
      "Vérifiez votre poste avec votre antivirus, supprimez la pièce refusée depuis votre dossier, puis déposez une version saine du document.",
      '',
      "L'équipe de l'expérimentation Mon espace santé en établissements et services médico-sociaux",
      'Ceci est un message automatique : merci de ne pas y répondre.',
    ].join('\n'),
  };
}
