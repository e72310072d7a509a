import { dynamoPorts } from '../../layers/adapters/ports';
import { count } from '../../layers/adapters/observability';
import { applicationView } from '../../layers/domain/application';
import { notFound } from '../../layers/domain/errors';
import { isArsCode } from '../../layers/domain/regions';
import { decisionSchema, reviewSchema } from '../../layers/domain/selection';
import { decideOnApplication, notifyRegion, reviewApplication } from '../../layers/domain/use-cases/selection';
import { actorOf, assertMayActForRegion } from '../../layers/http/auth';
import { httpHandler } from '../../layers/http/handler';
import { ifMatchVersion, json, jsonVersioned, noBody, requireBody, retryOnConflict, type HttpRequest } from '../../layers/http/request';
import { now } from '../../layers/adapters/clock';

const acting = (request: HttpRequest) => ({ caller: request.principal, actor: actorOf(request.principal), at: now() });
const onApplication = (request: HttpRequest) => ({ ...acting(request), applicationId: request.params.id ?? '', ifMatch: () => ifMatchVersion(request) });

export const handler = httpHandler('selection', {
  'PUT /v1/applications/{id}/review': async (request) => {
    const input = requireBody(request, reviewSchema);
    return retryOnConflict(request, async () => {
      const reviewed = await reviewApplication(dynamoPorts, { ...onApplication(request), input });
      return jsonVersioned(200, applicationView(reviewed, 'staff'));
    });
  },

  'POST /v1/applications/{id}/decision': async (request) => {
    const input = requireBody(request, decisionSchema);
    return retryOnConflict(request, async () => {
      const decided = await decideOnApplication(dynamoPorts, { ...onApplication(request), input });
      count('DecisionsTaken');
      return jsonVersioned(200, applicationView(decided, 'staff'));
    });
  },

  'POST /v1/campaigns/{campaignId}/regions/{ars}/notify': async (request) => {
    noBody(request);
    const ars = request.params.ars ?? '';
    if (!isArsCode(ars)) throw notFound('La région demandée');
    assertMayActForRegion(request.principal, ars, 'La région demandée');
    return json(200, await notifyRegion(dynamoPorts, { ...acting(request), campaignId: request.params.campaignId ?? '', ars }));
  },
});
