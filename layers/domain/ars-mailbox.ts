/** RFC 2606 `.invalid`: where a deployment has not said its ARS mailboxes, a visibly unconfigured address, never a guessed real one. */
export const UNCONFIGURED_ARS_MAILBOX = 'ars-{code}@mailbox-not-configured.invalid';
const TEMPLATE = /^[^@\s]*\{code\}[^@\s]*@[^@\s]+\.[^@\s]+$/;
let template = UNCONFIGURED_ARS_MAILBOX;

export const isArsMailboxTemplate = (text: string): boolean => TEMPLATE.test(text);

/**
 * The deployment's ARS mailboxes: an address with `{code}` for the ARS code in lower case (deployment setting
 * `arsMailbox`, env ARS_MAILBOX of the functions, read by layers/adapters/mailer.ts at start).
 */
export function setArsMailboxTemplate(next: string): void {
  if (!isArsMailboxTemplate(next)) throw new RangeError(`ARS mailbox template must be an address with {code} before the @: "${next}"`);
  template = next;
}

/** The deployment's mailbox of one ARS (campaign.ts arsMailbox prefers the campaign's own contact). */
export const deploymentArsMailbox = (ars: string): string => template.replace('{code}', ars.toLowerCase());
