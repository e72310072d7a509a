import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { toParisIso } from '../domain/calendar';
import { emailHtml, type EmailAttachmentRef, type EmailMessage } from '../domain/emails';
import { dynamo, isConditionalCheckFailed, mainTableName, queryPages } from './dynamo';
import { logger } from './logger';
import { count } from './observability';
import { ProcessDeath, sesMailer, type Email, type Mailer } from './mailer';
import type { TransactItem } from './transactions';
import { drawAttachments } from './email-attachments';

/**
 * The email ledger. Each email is an item keyed by (campaign, event, recipient): written once with a
 * condition, in the same transaction as the change that causes it, then delivered under a lease. A change
 * without its email cannot happen, and a sent email is never claimed again: a send SES refused goes back to
 * pending for the next sweep. The one window left (SES has no idempotent send): a process that dies, or
 * cannot record the send, after SES accepted the email leaves it claimed; once the lease ends the next sweep
 * sends it a second time, and only once, since that sweep claims it under a new lease.
 */
export interface OutboxEmail extends EmailMessage {
  readonly campaignId: string;
  readonly event: string;
  /** What makes this email unique within (campaign, event), usually the recipient's dossier or address. */
  readonly recipientKey: string;
}

const LEASE_MS = 5 * 60 * 1000;
const OUTBOX = 'OUTBOX';

export const dedupKeyOf = (email: Pick<OutboxEmail, 'campaignId' | 'event' | 'recipientKey'>): string => `${email.campaignId}#${email.event}#${email.recipientKey}`;
const itemKey = (dedupKey: string) => ({ pk: `MAIL#${dedupKey}`, sk: 'MAIL' });

export function outboxItem(email: OutboxEmail, now: Date) {
  const at = toParisIso(now);
  return {
    ...itemKey(dedupKeyOf(email)),
    type: 'email',
    gsi1pk: OUTBOX,
    gsi1sk: `${now.toISOString()}#${dedupKeyOf(email)}`,
    ...email,
    to: [...email.to],
    status: 'pending',
    attempts: 0,
    createdAt: at,
  };
}

/** The ledger entry as a transaction item: the transaction fails if this email was already recorded. */
export function enqueue(email: OutboxEmail, now: Date): TransactItem {
  return { Put: { TableName: mainTableName, Item: outboxItem(email, now), ConditionExpression: 'attribute_not_exists(pk)' } };
}

/** Claims, sends and marks one email; false when someone else holds it or it was already sent. */
export async function deliver(dedupKey: string, now: Date, mailer: Mailer = sesMailer): Promise<boolean> {
  let claimed: Record<string, unknown> | undefined;
  try {
    const result = await dynamo.send(
      new UpdateCommand({
        TableName: mainTableName,
        Key: itemKey(dedupKey),
        UpdateExpression: 'SET #status = :sending, leaseUntil = :lease, attempts = attempts + :one',
        ConditionExpression: 'attribute_exists(pk) AND (#status = :pending OR (#status = :sending AND leaseUntil < :now))',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':sending': 'sending', ':pending': 'pending', ':lease': now.getTime() + LEASE_MS, ':now': now.getTime(), ':one': 1 },
        ReturnValues: 'ALL_NEW',
      }),
    );
    claimed = result.Attributes;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
  if (!claimed) return false;
  let messageId: string;
  try {
    ({ messageId } = await mailer.send(await emailOf(dedupKey, claimed)));
  } catch (error) {
    // A dead process cleans nothing up: the claim stays until its lease expires, and a later run sends it.
    if (error instanceof ProcessDeath) throw error;
    // SES did not take it: back to pending, the next sweep retries it.
    count('EmailSendFailures');
    logger.warn('email not sent, left pending', { event: String(claimed.event), campaignId: String(claimed.campaignId), error: error instanceof Error ? error.name : String(error) });
    await dynamo.send(
      new UpdateCommand({
        TableName: mainTableName,
        Key: itemKey(dedupKey),
        UpdateExpression: 'SET #status = :pending, lastError = :error REMOVE leaseUntil',
        ConditionExpression: '#status = :sending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':pending': 'pending', ':sending': 'sending', ':error': error instanceof Error ? error.message.slice(0, 500) : 'unknown' },
      }),
    );
    return false;
  }
  count('EmailsSent');
  // SES accepted it: from here on it never goes back to pending, which would send it again at the next sweep.
  for (let attempt = 0; ; attempt += 1) {
    try {
      await markSent(dedupKey, messageId);
      return true;
    } catch (error) {
      if (error instanceof ProcessDeath) throw error;
      if (attempt < MARK_ATTEMPTS - 1) {
        await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
        continue;
      }
      // Left claimed: after its lease a sweep sends it once more (the window the README states).
      count('EmailMarkSentFailures');
      logger.error('email sent but not recorded as sent; it may go out once more after its lease', { event: String(claimed.event), campaignId: String(claimed.campaignId), error: error instanceof Error ? error.name : String(error) });
      return true;
    }
  }
}

const MARK_ATTEMPTS = 3;

/** The email as sent: the stored text, its HTML, the ledger key as a header, and its documents drawn now. */
async function emailOf(dedupKey: string, claimed: Record<string, unknown>): Promise<Email> {
  const refs = (claimed.attachments as EmailAttachmentRef[] | undefined) ?? [];
  const message = { subject: String(claimed.subject), text: String(claimed.text) };
  return {
    ...message,
    to: claimed.to as string[],
    html: emailHtml(message),
    // The ledger key: support can trace any email, and no two emails share one.
    headers: { [REFERENCE_HEADER]: dedupKey },
    // pdf-lib itself loads only for an email that carries a document (layers/documents/pdf.ts).
    ...(refs.length > 0 ? { attachments: await drawAttachments(refs) } : {}),
  };
}

export const REFERENCE_HEADER = 'X-MES-Reference';

/** The local stack's seam to make recording a send fail (fault tests); never set in AWS. */
let beforeMarkSent: (() => void) | undefined;
export function onBeforeMarkSent(hook: (() => void) | undefined): void {
  beforeMarkSent = hook;
}

async function markSent(dedupKey: string, messageId: string): Promise<void> {
  beforeMarkSent?.();
  await dynamo.send(
    new UpdateCommand({
      TableName: mainTableName,
      Key: itemKey(dedupKey),
      UpdateExpression: 'SET #status = :sent, sentAt = :at, messageId = :id REMOVE gsi1pk, gsi1sk, leaseUntil',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':sent': 'sent', ':at': toParisIso(new Date()), ':id': messageId },
    }),
  );
}

/** Emails still waiting (pending, or claimed by a run that died), oldest first, every page once. */
export async function* pendingEmails(): AsyncGenerator<string> {
  const pages = queryPages({
    TableName: mainTableName,
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :p',
    ExpressionAttributeValues: { ':p': OUTBOX },
    ProjectionExpression: 'pk',
    Limit: 200,
  });
  for await (const page of pages) for (const item of page) yield String(item.pk).slice('MAIL#'.length);
}

/** Delivers what is pending; returns how many were sent now. A failed send stays pending for the next run. */
export async function deliverPending(now: Date, mailer: Mailer = sesMailer): Promise<number> {
  let sent = 0;
  for await (const dedupKey of pendingEmails()) {
    if (await deliver(dedupKey, now, mailer)) sent += 1;
  }
  return sent;
}

/** Records an email outside any transaction; false when the ledger already has it (sent or pending). */
export async function enqueueOnce(email: OutboxEmail, now: Date): Promise<boolean> {
  try {
    await dynamo.send(new PutCommand({ TableName: mainTableName, Item: outboxItem(email, now), ConditionExpression: 'attribute_not_exists(pk)' }));
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}
