import * as z from 'zod/mini';
import { campaignRepository } from '../../layers/adapters/campaign-repository';
import { now } from '../../layers/adapters/clock';
import { duiClientIdsFromEnv } from '../../layers/adapters/config';
import { dashboardRepository } from '../../layers/adapters/dashboard-repository';
import { dynamoPorts, keepReceipt } from '../../layers/adapters/ports';
import { count } from '../../layers/adapters/observability';
import { pilotRepository } from '../../layers/adapters/pilot-repository';
import { usageRepository } from '../../layers/adapters/usage-repository';
import type { Campaign } from '../../layers/domain/campaign';
import { dashboardView } from '../../layers/domain/dashboard';
import { publishableRequested } from '../../layers/domain/statistical-secrecy';
import { notFound } from '../../layers/domain/errors';
import { pilotUsage, registerReportingClient, reportBatch, reportMonth } from '../../layers/domain/use-cases/usage';
import { monthSchema, reportingClientSchema, usageBatchSchema, usageMonthView, usagePutSchema } from '../../layers/domain/usage';
import { actorOf, regionFilter } from '../../layers/http/auth';
import { httpHandler } from '../../layers/http/handler';
import { idempotent } from '../../layers/http/idempotency';
import { ifMatchVersion, issuesToFieldErrors, json, jsonVersioned, pageQuery, parseWith, requireBody, type HttpRequest, type HttpResponse } from '../../layers/http/request';
import { checkedFiness, pilotView } from './pilots';
import { pilotUsageView } from './views';

async function campaignOf(request: HttpRequest): Promise<Campaign> {
  const campaign = await campaignRepository.get(request.params.campaignId ?? '');
  if (!campaign) throw notFound('La campagne demandée');
  return campaign;
}

/** Only a client the deployment's authorizer accepts can ever report: registering another would authorise no one. */
const duiClientIds = duiClientIdsFromEnv();

const acting = (request: HttpRequest) => ({ caller: request.principal, actor: actorOf(request.principal), at: now() });
const onPilot = (request: HttpRequest, finess: string) => ({ ...acting(request), campaignId: request.params.campaignId ?? '', finess });

const regionQuerySchema = z.looseObject({ ars: z.optional(z.string()) });
const monthPathSchema = z.strictObject({ month: monthSchema });

export const handler = httpHandler('usage', {
  'GET /v1/campaigns/{campaignId}/pilots': async (request) => {
    const { limit, cursor } = pageQuery(request);
    const query = parseWith(regionQuerySchema, request.query, 'query');
    const campaign = await campaignOf(request);
    const page = await pilotRepository.list({ campaignId: campaign.id, ars: regionFilter(request.principal, query.ars), limit, cursor });
    return json(200, { items: page.items.map(pilotView), nextCursor: page.nextCursor });
  },

  'PUT /v1/campaigns/{campaignId}/pilots/{finess}/usage/{month}': async (request) => {
    const { indicators } = requireBody(request, usagePutSchema);
    const { month } = parseWith(monthPathSchema, { month: request.params.month }, 'path');
    const finess = checkedFiness(request.params.finess, 'path.finess');
    const expectedVersion = ifMatchVersion(request);
    const { outcome, pilot, campaign, corrections } = await reportMonth(dynamoPorts, { ...onPilot(request, finess), month, indicators, expectedVersion });
    if (outcome.status === 'written') count('UsageFiguresIngested', Object.keys(indicators).length);
    const body = { finess: pilot.finess, campaignId: campaign.id, ...usageMonthView(outcome.month, corrections) };
    const created = outcome.status === 'written' && outcome.month.version === 1;
    return jsonVersioned(created ? 201 : 200, body, created ? { location: `/v1/campaigns/${campaign.id}/pilots/${pilot.finess}/usage/${month}` } : {});
  },

  'POST /v1/usage-reports': (request) =>
    idempotent(request, async (remember) => {
      const { campaignId, reports } = requireBody(request, usageBatchSchema);
      const command = { ...acting(request), campaignId, reports, fieldErrors: issuesToFieldErrors };
      const { results, figuresWritten } = await reportBatch(dynamoPorts, command);
      const accepted = results.filter((result) => result.status === 'acceptee').length;
      const response = json(200, { accepted, refused: results.length - accepted, results });
      // Replaying the same reports writes nothing anyway (same figures are a no-op); the key also spares the work.
      await keepReceipt(remember(response, command.at));
      count('UsageFiguresIngested', figuresWritten);
      return response;
    }),

  'POST /v1/campaigns/{campaignId}/pilots/{finess}/reporting-clients': (request) =>
    idempotent(request, async (remember) => {
      const { clientId } = requireBody(request, reportingClientSchema);
      const finess = checkedFiness(request.params.finess, 'path.finess');
      const command = { ...onPilot(request, finess), clientId, knownClients: duiClientIds };
      let response: HttpResponse | undefined;
      const { pilot, registered } = await registerReportingClient(dynamoPorts, {
        ...command,
        receiptFor: (pilot) => {
          response = json(201, pilotView(pilot));
          return remember(response, command.at);
        },
      });
      return registered ? (response ?? json(201, pilotView(pilot))) : json(200, pilotView(pilot));
    }),

  'GET /v1/campaigns/{campaignId}/pilots/{finess}/usage': async (request) => {
    const finess = checkedFiness(request.params.finess, 'path.finess');
    const at = now();
    const { pilot, campaign, months, corrections } = await pilotUsage(dynamoPorts, { caller: request.principal, campaignId: request.params.campaignId ?? '', finess });
    return json(200, pilotUsageView(pilot, campaign, months, corrections, at));
  },

  'GET /v1/campaigns/{campaignId}/dashboard': async (request) => {
    const query = parseWith(regionQuerySchema, request.query, 'query');
    const publishable = publishableRequested(request.query);
    const campaign = await campaignOf(request);
    const ars = regionFilter(request.principal, query.ars);
    const [applications, conventionsSigned, pilots, counters] = await Promise.all([
      dashboardRepository.applicationsByStatus(campaign.id, ars),
      dashboardRepository.conventionsSigned(campaign.id, ars),
      dashboardRepository.pilots(campaign.id, ars),
      usageRepository.counters(campaign.id, ars),
    ]);
    return json(200, dashboardView({ campaign, now: now(), ars, applications, conventionsSigned, pilots, counters }, { publishable }));
  },
});
