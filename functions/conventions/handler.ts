import { z } from 'zod';
import { applicationRepository } from '../../layers/adapters/application-repository';
import { campaignRepository } from '../../layers/adapters/campaign-repository';
import { now } from '../../layers/adapters/clock';
import { conventionRepository } from '../../layers/adapters/convention-repository';
import { dedupKeyOf, deliver, type OutboxEmail } from '../../layers/adapters/outbox';
import { arsMailbox } from '../../layers/domain/campaign';
import { conventionStatuses, conventionView, sign, signatureSchema, type Convention, type Party } from '../../layers/domain/convention';
import { conventionSignedEmail } from '../../layers/domain/emails';
import { ConcurrentModificationError, notFound } from '../../layers/domain/errors';
import { toParisIso } from '../../layers/domain/calendar';
import { actorOf, regionFilter } from '../../layers/http/auth';
import { applicantRecipients, authorize, type Action } from '../../layers/domain/access';
import type { Application } from '../../layers/domain/application';
import { httpHandler } from '../../layers/http/handler';
import { ifMatchVersion, json, jsonVersioned, pageQuery, parseWith, requireBody, retryOnConflict, type HttpRequest } from '../../layers/http/request';

const WHAT = 'La convention demandée';

/** A convention is held by whoever holds its application now (owner, collaborators), and its region's staff. */
async function conventionFor(request: HttpRequest, action: Action): Promise<{ convention: Convention; application: Application | undefined }> {
  const convention = await conventionRepository.get(request.params.id ?? '');
  if (!convention) throw notFound(WHAT);
  const application = await applicationRepository.get(convention.applicationId);
  // Visibility first, so that a stranger learns nothing, then the right to this action.
  const holding = { ...(application ?? {}), ars: convention.ars };
  authorize(request.principal, holding, 'read', WHAT);
  authorize(request.principal, holding, action, WHAT);
  return { convention, application };
}

const signAction = (party: Party): Action => (party === 'esms' ? 'sign_esms' : 'sign_ars');

const listQuerySchema = z.object({ ars: z.string().optional(), status: z.enum(conventionStatuses).optional() }).loose();

function signedNotices(convention: Convention, applicantAddresses: readonly string[], arsAddress: string): OutboxEmail[] {
  const recipients: [string, readonly string[]][] = [
    ['esms', applicantAddresses],
    ['ars', [arsAddress]],
  ];
  return recipients
    .filter(([, addresses]) => addresses.length > 0)
    .map(([party, addresses]) => ({
      ...conventionSignedEmail(convention, addresses),
      campaignId: convention.campaignId,
      event: 'convention_signee',
      recipientKey: `${convention.id}#${party}`,
    }));
}

export const handler = httpHandler('conventions', {
  'GET /v1/conventions/{id}': async (request) => jsonVersioned(200, conventionView((await conventionFor(request, 'read')).convention)),

  'GET /v1/campaigns/{campaignId}/conventions': async (request) => {
    const { limit, cursor } = pageQuery(request);
    const query = parseWith(listQuerySchema, request.query, 'query');
    const campaign = await campaignRepository.get(request.params.campaignId ?? '');
    if (!campaign) throw notFound('La campagne demandée');
    const page = await conventionRepository.list({ campaignId: campaign.id, ars: regionFilter(request.principal, query.ars), status: query.status, limit, cursor });
    return json(200, { items: page.items.map(conventionView), nextCursor: page.nextCursor });
  },

  'POST /v1/conventions/{id}/signatures': async (request) => {
    const { party } = requireBody(request, signatureSchema);
    return retryOnConflict(request, async () => {
      const { convention: current, application } = await conventionFor(request, signAction(party));
      const expected = ifMatchVersion(request);
      if (expected !== undefined && expected !== current.version) throw new ConcurrentModificationError();
      const at = now();
      const actor = actorOf(request.principal);
      const next = sign(current, party, { at: toParisIso(at), by: actor, ...(request.principal.email ? { email: request.principal.email } : {}) }, at);
      const emails: OutboxEmail[] = [];
      if (next.status === 'signee') {
        const campaign = await campaignRepository.get(current.campaignId);
        const arsAddress = next.signatures.ars?.email ?? arsMailbox(campaign ?? {}, next.ars);
        emails.push(...signedNotices(next, application ? applicantRecipients(application) : [], arsAddress));
      }
      // The pilot exists from the second signature on, in the same transaction.
      await conventionRepository.saveSignature(next, current, { party, actor, at }, emails);
      for (const email of emails) await deliver(dedupKeyOf(email), at).catch(() => false);
      return jsonVersioned(200, conventionView(next));
    });
  },
});
