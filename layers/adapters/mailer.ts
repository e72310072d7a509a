import type * as Sesv2 from '@aws-sdk/client-sesv2';
import { setArsMailboxTemplate } from '../domain/ars-mailbox';
import { requiredEnv } from './config';
import { lazyClient } from './observability';

/** Set only by the local stack, to reach the SES emulator. */
const endpoint = process.env.SES_ENDPOINT;
// The v2 API: the emulator's v1 form parser keeps only the first recipient, which would hide a real difference.
// Traced like the DynamoDB client (a no-op where tracing is off).
// Loaded with the first email, not at every cold start (most requests send none): in Lambda the SDK's SES
// client is bundled beside index.mjs (infra/lib/function-config.ts lazyModulesFor).
export const sesClient = lazyClient(
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  () => require('@aws-sdk/client-sesv2') as typeof Sesv2,
  ({ SESv2Client }) => new SESv2Client(endpoint ? { endpoint, maxAttempts: 3 } : { maxAttempts: 3 }),
);
const from = requiredEnv('MAIL_FROM');
// The deployment's ARS mailboxes (infra/lib/deployment.ts arsMailbox): every function that writes to an ARS sends email.
if (process.env.ARS_MAILBOX) setArsMailboxTemplate(process.env.ARS_MAILBOX);

export interface Email {
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  /** The HTML alternative of the text (layers/domain/emails.ts emailHtml). */
  readonly html?: string;
  /** Extra headers, e.g. the ledger reference (X-MES-Reference) support traces an email by. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly attachments?: readonly { readonly fileName: string; readonly contentType: string; readonly content: Uint8Array }[];
}

export interface Mailer {
  send(email: Email): Promise<{ messageId: string }>;
}

type Transport = (email: Email) => Promise<{ messageId: string }>;

const sesTransport: Transport = async (email) => {
  const {
    client,
    sdk: { SendEmailCommand },
  } = sesClient();
  const result = await client.send(
    new SendEmailCommand({
      FromEmailAddress: from,
      Destination: { ToAddresses: [...email.to] },
      Content: {
        Simple: {
          Subject: { Data: email.subject, Charset: 'UTF-8' },
          Body: { Text: { Data: email.text, Charset: 'UTF-8' }, ...(email.html ? { Html: { Data: email.html, Charset: 'UTF-8' } } : {}) },
          ...(email.headers ? { Headers: Object.entries(email.headers).map(([Name, Value]) => ({ Name, Value })) } : {}),
          ...(email.attachments?.length
            ? {
                Attachments: email.attachments.map((attachment) => ({
                  FileName: attachment.fileName,
                  ContentType: attachment.contentType,
                  ContentDisposition: 'ATTACHMENT' as const,
                  ContentTransferEncoding: 'BASE64' as const,
                  RawContent: attachment.content,
                })),
              }
            : {}),
        },
      },
    }),
  );
  return { messageId: result.MessageId ?? '' };
};

let transport: Transport = sesTransport;

/** French emails (text and HTML parts, attachments) through SES (the local stack points it at aws-ses-v2-local). */
export const sesMailer: Mailer = { send: (email) => transport(email) };

/**
 * The local stack's seam for fault injection (SES failing, a run dying mid-way): it wraps the SES
 * transport. Never called in AWS.
 */
export function wrapTransport(wrap: (next: Transport) => Transport): void {
  transport = wrap(sesTransport);
}

/** Stands for the process dying (Lambda timeout, out of memory): nothing after it runs, no clean-up. */
export class ProcessDeath extends Error {
  constructor() {
    super('simulated process death');
    this.name = 'ProcessDeath';
  }
}
