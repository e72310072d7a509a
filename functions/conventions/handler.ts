import { z } from 'zod';
import { historyItem } from '../../layers/adapters/application-repository';
import { campaignRepository } from '../../layers/adapters/campaign-repository';
import { now } from '../../layers/adapters/clock';
import { conventionRepository, pilotItem } from '../../layers/adapters/convention-repository';
import { dedupKeyOf, deliver, enqueue, type OutboxEmail } from '../../layers/adapters/outbox';
import { mainTableName } from '../../layers/adapters/dynamo';
import { arsMailbox } from '../../layers/domain/campaign';
import { conventionStatuses, conventionView, sign, signatureSchema, type Convention, type Party } from '../../layers/domain/convention';
import { conventionSignedEmail } from '../../layers/domain/emails';
import { ConcurrentModificationError, DomainError, notFound } from '../../layers/domain/errors';
import { pilotOf } from '../../layers/domain/pilot';
import { toParisIso } from '../../layers/domain/calendar';
import { actorOf, mayActForRegion, regionFilter, type Principal } from '../../layers/http/auth';
import { httpHandler } from '../../layers/http/handler';
import { ifMatchVersion, json, jsonVersioned, pageQuery, parseWith, requireBody, retryOnConflict, type HttpRequest } from '../../layers/http/request';

const isOwner = (principal: Principal, convention: Convention): boolean => principal.id === convention.ownerId;

/** The ESMS owner, the ARS of the region and national see a convention; anyone else gets 404. */
async function visibleConvention(request: HttpRequest): Promise<Convention> {
  const convention = await conventionRepository.get(request.params.id ?? '');
  if (!convention) throw notFound('La convention demandée');
  const staff = (request.principal.roles.has('ars') || request.principal.roles.has('national')) && mayActForRegion(request.principal, convention.ars);
  if (!isOwner(request.principal, convention) && !staff) throw notFound('La convention demandée');
  return convention;
}

/** The ESMS party signs as the application's owner; the ARS party as an ARS reviewer of that region. */
function assertMaySign(principal: Principal, convention: Convention, party: Party): void {
  const allowed = party === 'esms' ? isOwner(principal, convention) : principal.regions.some((region) => region === convention.ars);
  if (!allowed) {
    throw new DomainError('forbidden', party === 'esms' ? "Seul le porteur du dossier signe pour l'établissement." : "Seule l'ARS de la région signe pour l'ARS.");
  }
}

const listQuerySchema = z.object({ ars: z.string().optional(), status: z.enum(conventionStatuses).optional() }).loose();

function signedNotices(convention: Convention, arsAddress: string): OutboxEmail[] {
  const recipients: [string, string | undefined][] = [
    ['esms', convention.contactEmail],
    ['ars', arsAddress],
  ];
  return recipients
    .filter((recipient): recipient is [string, string] => recipient[1] !== undefined)
    .map(([party, address]) => ({
      ...conventionSignedEmail(convention, [address]),
      campaignId: convention.campaignId,
      event: 'convention_signee',
      recipientKey: `${convention.id}#${party}`,
    }));
}

export const handler = httpHandler('conventions', {
  'GET /v1/conventions/{id}': async (request) => jsonVersioned(200, conventionView(await visibleConvention(request))),

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
      const current = await visibleConvention(request);
      assertMaySign(request.principal, current, party);
      const expected = ifMatchVersion(request);
      if (expected !== undefined && expected !== current.version) throw new ConcurrentModificationError();
      const at = now();
      const actor = actorOf(request.principal);
      const next = sign(current, party, { at: toParisIso(at), by: actor, ...(request.principal.email ? { email: request.principal.email } : {}) }, at);

      // Convention events sort after the notification, in the order of the convention's versions.
      const history = (action: string, step: number) =>
        historyItem(current.applicationId, current.applicationVersion, { at: next.updatedAt, actor, action, from: 'retenue', to: 'retenue' }, `CONV#${String(next.version).padStart(4, '0')}#${step}`);
      const extra = [history(`signature_${party}`, 1)];
      const emails: OutboxEmail[] = [];
      if (next.status === 'signee') {
        const campaign = await campaignRepository.get(current.campaignId);
        const arsAddress = next.signatures.ars?.email ?? arsMailbox(campaign ?? {}, next.ars);
        emails.push(...signedNotices(next, arsAddress));
        // The pilot exists from the second signature on, in the same transaction.
        extra.push(
          { Put: { TableName: mainTableName, Item: pilotItem(pilotOf(next)), ConditionExpression: 'attribute_not_exists(pk)' } },
          history('convention_signee', 2),
          ...emails.map((email) => enqueue(email, at)),
        );
      }
      await conventionRepository.save(next, current.version, extra);
      for (const email of emails) await deliver(dedupKeyOf(email), at).catch(() => false);
      return jsonVersioned(200, conventionView(next));
    });
  },
});
