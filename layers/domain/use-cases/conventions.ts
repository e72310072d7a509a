import { applicantRecipients, authorize, type Action } from '../access';
import type { Application } from '../application';
import { toParisIso } from '../calendar';
import { arsMailbox } from '../campaign';
import { sign, type Convention, type Party } from '../convention';
import { conventionSignedEmail } from '../emails';
import { notFound } from '../errors';
import type { Applications, Campaigns, Conventions, Mail, QueuedEmail } from '../ports';
import { assertVersion, type Acting, type IfMatch } from './context';

export interface ConventionPorts {
  readonly applications: Applications;
  readonly conventions: Conventions;
  readonly campaigns: Campaigns;
  readonly mail: Mail;
}

const CONVENTION = 'La convention demandée';

/** A convention is held by whoever holds its application now (owner, collaborators), and its region's staff. */
export async function openConvention(
  ports: Pick<ConventionPorts, 'applications' | 'conventions'>,
  command: Pick<Acting, 'caller'> & { readonly conventionId: string; readonly action: Action },
): Promise<{ convention: Convention; application: Application | undefined }> {
  const convention = await ports.conventions.get(command.conventionId);
  if (!convention) throw notFound(CONVENTION);
  const application = await ports.applications.get(convention.applicationId);
  // Visibility first, so that a stranger learns nothing, then the right to this action.
  const holding = { ...(application ?? {}), ars: convention.ars };
  authorize(command.caller, holding, 'read', CONVENTION);
  authorize(command.caller, holding, command.action, CONVENTION);
  return { convention, application };
}

const signAction = (party: Party): Action => (party === 'esms' ? 'sign_esms' : 'sign_ars');

/** Who is told a convention is signed: the applicant's holders and the ARS (the address that signed, or the region's). */
function signedNotices(convention: Convention, applicantAddresses: readonly string[], arsAddress: string): QueuedEmail[] {
  const recipients: [string, readonly string[]][] = [
    ['esms', applicantAddresses],
    ['ars', [arsAddress]],
  ];
  return recipients
    .filter(([, addresses]) => addresses.length > 0)
    .map(([party, addresses]) => ({ ...conventionSignedEmail(convention, addresses), campaignId: convention.campaignId, event: 'convention_signee', recipientKey: `${convention.id}#${party}` }));
}

export interface SignCommand extends Acting {
  readonly conventionId: string;
  readonly party: Party;
  /** The signer's address as the token gives it, kept with the signature. */
  readonly signerEmail?: string;
  readonly ifMatch?: IfMatch;
}

/** A party signs once before dueAt; the second signature makes the pilot and tells both parties. */
export async function signConvention(ports: ConventionPorts, command: SignCommand): Promise<Convention> {
  const { convention: current, application } = await openConvention(ports, { caller: command.caller, conventionId: command.conventionId, action: signAction(command.party) });
  assertVersion(current, command.ifMatch);
  const signature = { at: toParisIso(command.at), by: command.actor, ...(command.signerEmail ? { email: command.signerEmail } : {}) };
  const next = sign(current, command.party, signature, command.at);
  const emails: QueuedEmail[] = [];
  if (next.status === 'signee') {
    const campaign = await ports.campaigns.get(current.campaignId);
    const arsAddress = next.signatures.ars?.email ?? arsMailbox(campaign ?? {}, next.ars);
    emails.push(...signedNotices(next, application ? applicantRecipients(application) : [], arsAddress));
  }
  await ports.conventions.saveSignature(next, current, { party: command.party, actor: command.actor, at: command.at }, emails);
  await ports.mail.sendNow(emails, command.at);
  return next;
}
