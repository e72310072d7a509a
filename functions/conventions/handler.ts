import * as z from 'zod/mini';
import { campaignRepository } from '../../layers/adapters/campaign-repository';
import { now } from '../../layers/adapters/clock';
import { conventionRepository } from '../../layers/adapters/convention-repository';
import { dynamoPorts } from '../../layers/adapters/ports';
import { conventionStatuses, conventionView, signatureSchema } from '../../layers/domain/convention';
import { notFound } from '../../layers/domain/errors';
import { openConvention, signConvention } from '../../layers/domain/use-cases/conventions';
import { actorOf, regionFilter } from '../../layers/http/auth';
import { httpHandler } from '../../layers/http/handler';
import { ifMatchVersion, json, jsonVersioned, pageQuery, parseWith, requireBody, retryOnConflict } from '../../layers/http/request';

const listQuerySchema = z.looseObject({ ars: z.optional(z.string()), status: z.optional(z.enum(conventionStatuses)) });

export const handler = httpHandler('conventions', {
  'GET /v1/conventions/{id}': async (request) => {
    const { convention } = await openConvention(dynamoPorts, { caller: request.principal, conventionId: request.params.id ?? '', action: 'read' });
    return jsonVersioned(200, conventionView(convention));
  },

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
      const signed = await signConvention(dynamoPorts, {
        caller: request.principal,
        actor: actorOf(request.principal),
        at: now(),
        conventionId: request.params.id ?? '',
        party,
        signerEmail: request.principal.email,
        ifMatch: () => ifMatchVersion(request),
      });
      return jsonVersioned(200, conventionView(signed));
    });
  },
});
