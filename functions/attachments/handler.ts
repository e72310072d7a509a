import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { applicationRepository } from '../../layers/adapters/application-repository';
import { attachmentStore, objectKeyFor } from '../../layers/adapters/attachment-store';
import { campaignRepository } from '../../layers/adapters/campaign-repository';
import { now } from '../../layers/adapters/clock';
import { logger } from '../../layers/adapters/logger';
import { deliver, dedupKeyOf, enqueueOnce } from '../../layers/adapters/outbox';
import { dynamoPorts } from '../../layers/adapters/ports';
import { toParisIso } from '../../layers/domain/calendar';
import {
  assertAttachmentsEditable,
  assertClean,
  assertRoomFor,
  attachmentCreateSchema,
  infectedAttachmentEmail,
  type Attachment,
  type AttachmentView,
} from '../../layers/domain/attachment';
import { notFound } from '../../layers/domain/errors';
import type { Action } from '../../layers/domain/access';
import { openApplication } from '../../layers/domain/use-cases/applications';
import { actorOf } from '../../layers/http/auth';
import { httpHandler } from '../../layers/http/handler';
import { json, noBody, requireBody, type HttpRequest, type HttpResponse } from '../../layers/http/request';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const newAttachmentId = (): string => `PJ-${[...randomBytes(10)].map((byte) => ALPHABET[byte % 32]).join('')}`;
const ATTACHMENT = 'La pièce jointe demandée';

/** The application, when the caller may do `action` on it (404 for a stranger, as every file route). */
const applicationFor = (request: HttpRequest, action: Action) =>
  openApplication(dynamoPorts, { caller: request.principal, actor: actorOf(request.principal), at: now(), applicationId: request.params.id ?? '', action });

/** Adding or removing: the owner's alone, while the file may still change (draft or submitted, intake open). */
async function editableApplication(request: HttpRequest) {
  const { application } = await applicationFor(request, 'manage_attachments');
  const campaign = await campaignRepository.get(application.campaignId);
  if (!campaign) throw notFound('La campagne du dossier');
  assertAttachmentsEditable(application, campaign, now());
  return application;
}

async function viewOf(attachment: Attachment): Promise<AttachmentView> {
  const { status, uploadedAt } = await attachmentStore.statusOf(attachment);
  return { id: attachment.id, name: attachment.name, contentType: attachment.contentType, size: attachment.size, status, ...(uploadedAt ? { uploadedAt } : {}) };
}

async function attachmentOf(request: HttpRequest, applicationId: string): Promise<Attachment> {
  const attachment = await attachmentStore.get(applicationId, request.params.attachmentId ?? '');
  if (!attachment) throw notFound(ATTACHMENT);
  return attachment;
}

const http = httpHandler('attachments', {
  'POST /v1/applications/{id}/attachments': async (request): Promise<HttpResponse> => {
    const input = requireBody(request, attachmentCreateSchema);
    const application = await editableApplication(request);
    // The count is checked again in the write's transaction (a race for the tenth place loses there).
    assertRoomFor((await attachmentStore.list(application.id)).length);
    const id = newAttachmentId();
    const attachment: Attachment = { id, applicationId: application.id, ...input, key: objectKeyFor(application.id, id), createdAt: toParisIso(now()) };
    // Signed before anything is written: a failure leaves nothing behind.
    const upload = await attachmentStore.presignUpload(attachment);
    await attachmentStore.create(attachment);
    return json(201, { id, name: attachment.name, contentType: attachment.contentType, size: attachment.size, status: 'en_attente', upload }, { location: `/v1/applications/${application.id}/attachments/${id}` });
  },

  'GET /v1/applications/{id}/attachments': async (request) => {
    const { application } = await applicationFor(request, 'read');
    const attachments = await attachmentStore.list(application.id);
    return json(200, { items: await Promise.all(attachments.map(viewOf)) });
  },

  'GET /v1/applications/{id}/attachments/{attachmentId}': async (request) => {
    const { application } = await applicationFor(request, 'read');
    const attachment = await attachmentOf(request, application.id);
    assertClean((await attachmentStore.statusOf(attachment)).status);
    return { statusCode: 303, headers: { location: await attachmentStore.presignDownload(attachment), 'cache-control': 'no-store' }, body: '' };
  },

  'DELETE /v1/applications/{id}/attachments/{attachmentId}': async (request) => {
    noBody(request);
    const application = await editableApplication(request);
    await attachmentStore.remove(await attachmentOf(request, application.id));
    return { statusCode: 204, headers: { 'cache-control': 'no-store' }, body: '' };
  },
});

/** GuardDuty's event once it has scanned an object (EventBridge, detail-type "GuardDuty Malware Protection Object Scan Result"). */
export interface ScanResultEvent {
  readonly source: 'aws.guardduty';
  readonly 'detail-type': 'GuardDuty Malware Protection Object Scan Result';
  readonly detail: {
    readonly scanStatus?: string;
    readonly s3ObjectDetails?: { readonly bucketName?: string; readonly objectKey?: string };
    readonly scanResultDetails?: { readonly scanResultStatus?: string };
  };
}

const isScanResult = (event: unknown): event is ScanResultEvent =>
  (event as ScanResultEvent | undefined)?.source === 'aws.guardduty' && (event as ScanResultEvent)['detail-type'] === 'GuardDuty Malware Protection Object Scan Result';

/**
 * A scan's result: kept in the attachment, and when malware was found, the file's holders are told by email
 * (once per attachment: the outbox's key). EventBridge delivers at least once; a second delivery changes nothing.
 */
export async function onScanResult(event: ScanResultEvent): Promise<{ attachment?: string; status?: string; told: number }> {
  const key = event.detail.s3ObjectDetails?.objectKey;
  const parsed = key ? attachmentStore.parseKey(key) : undefined;
  const result = event.detail.scanResultDetails?.scanResultStatus;
  if (!parsed || (result !== 'THREATS_FOUND' && result !== 'NO_THREATS_FOUND')) return { told: 0 };
  const attachment = await attachmentStore.get(parsed.applicationId, parsed.id);
  if (!attachment) return { told: 0 };
  const status = result === 'THREATS_FOUND' ? 'infecte' : 'sain';
  await attachmentStore.keepStatus(attachment, status);
  if (status === 'sain') return { attachment: attachment.id, status, told: 0 };
  const application = await applicationRepository.get(attachment.applicationId);
  if (!application) return { attachment: attachment.id, status, told: 0 };
  const message = infectedAttachmentEmail(application, attachment.name);
  if (message.to.length === 0) return { attachment: attachment.id, status, told: 0 };
  const email = { ...message, campaignId: application.campaignId, event: 'piece_jointe_refusee', recipientKey: attachment.id };
  const at = now();
  await enqueueOnce(email, at);
  // Sent now; a failure stays pending in the outbox for the milestone function's sweep.
  await deliver(dedupKeyOf(email), at).catch((error: unknown) => logger.warn('infected attachment email not sent yet', { error: String(error) }));
  logger.info('attachment infected', { applicationId: application.id, attachmentId: attachment.id });
  return { attachment: attachment.id, status, told: message.to.length };
}

/** The HTTP routes, and GuardDuty's scan results (the EventBridge rule of infra/lib/attachments.ts targets this function too). */
export const handler = (event: APIGatewayProxyEventV2 | ScanResultEvent, context: Context) =>
  isScanResult(event) ? onScanResult(event) : http(event as APIGatewayProxyEventV2, context);
