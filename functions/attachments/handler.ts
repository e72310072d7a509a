import { randomBytes } from 'node:crypto';
import { attachmentStore, objectKeyFor } from '../../layers/adapters/attachment-store';
import { campaignRepository } from '../../layers/adapters/campaign-repository';
import { now } from '../../layers/adapters/clock';
import { dynamoPorts } from '../../layers/adapters/ports';
import { toParisIso } from '../../layers/domain/calendar';
import {
  assertAttachmentsEditable,
  assertClean,
  assertRoomFor,
  attachmentCreateSchema,
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

/** Adding or removing: the holder may edit the file, and it may still change (draft or submitted, intake open). */
async function editableApplication(request: HttpRequest) {
  const { application } = await applicationFor(request, 'edit');
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

export const handler = httpHandler('attachments', {
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
