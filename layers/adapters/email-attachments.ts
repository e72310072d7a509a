import type { EmailAttachmentRef } from '../domain/emails';
import { PDF_CONTENT_TYPE } from '../documents/pdf';
import { receiptFileName, renderReceipt } from '../documents/receipt';
import { dynamoApplications } from './application-repository';
import { campaignRepository } from './campaign-repository';
import type { Email } from './mailer';

type Attachment = NonNullable<Email['attachments']>[number];

/**
 * The documents an email names, drawn from the stored file when it is sent (pdf-lib and fontkit are loaded with
 * the first one, layers/documents/pdf.ts). A file that is gone sends no attachment rather than no email.
 */
export async function drawAttachments(refs: readonly EmailAttachmentRef[]): Promise<Attachment[]> {
  const drawn: Attachment[] = [];
  for (const ref of refs) {
    if (ref.kind !== 'receipt') continue;
    const application = await dynamoApplications.get(ref.applicationId);
    const campaign = application ? await campaignRepository.get(application.campaignId) : undefined;
    if (!application?.submittedAt || !campaign) continue;
    drawn.push({ fileName: receiptFileName(application), contentType: PDF_CONTENT_TYPE, content: await renderReceipt(application, campaign) });
  }
  return drawn;
}
