import { z } from 'zod';
import { campaignRepository } from '../../layers/adapters/campaign-repository';
import { now } from '../../layers/adapters/clock';
import { putAlone } from '../../layers/adapters/batching';
import { duiClientIdsFromEnv } from '../../layers/adapters/config';
import { dashboardRepository } from '../../layers/adapters/dashboard-repository';
import { IdempotencyRace } from '../../layers/adapters/idempotency';
import { count } from '../../layers/adapters/observability';
import { pilotRepository } from '../../layers/adapters/pilot-repository';
import { transact } from '../../layers/adapters/transactions';
import { usageRepository } from '../../layers/adapters/usage-repository';
import { writeReports } from '../../layers/adapters/usage-writer';
import { toParisIso } from '../../layers/domain/calendar';
import type { Campaign } from '../../layers/domain/campaign';
import { dashboardView } from '../../layers/domain/dashboard';
import { publishableRequested } from '../../layers/domain/statistical-secrecy';
import { DomainError, notFound } from '../../layers/domain/errors';
import { assertKnownIndicators, assertReportable, monthSchema, reportingClientSchema, usageBatchSchema, usageMonthView, usagePutSchema, type ReportInput } from '../../layers/domain/usage';
import { actorOf, regionFilter } from '../../layers/http/auth';
import { httpHandler } from '../../layers/http/handler';
import { idempotent } from '../../layers/http/idempotency';
import { ifMatchVersion, json, jsonVersioned, pageQuery, parseWith, requireBody, type HttpRequest } from '../../layers/http/request';
import { ingestBatch } from './ingestion';
import { authorizePilot, checkedFiness, pilotInCampaign, pilotView } from './pilots';
import { pilotUsageView } from './views';

async function campaignOf(request: HttpRequest): Promise<Campaign> {
  const campaign = await campaignRepository.get(request.params.campaignId ?? '');
  if (!campaign) throw notFound('La campagne demandée');
  return campaign;
}

/** Only a client the deployment's authorizer accepts can ever report: registering another would authorise no one. */
const duiClientIds = duiClientIdsFromEnv();

const regionQuerySchema = z.object({ ars: z.string().optional() }).loose();
const monthPathSchema = z.object({ month: monthSchema }).strict();

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
    const at = now();
    const { pilot, campaign } = await pilotInCampaign(request.params.campaignId, finess);
    await authorizePilot(request.principal, pilot, 'report_usage');
    assertReportable(campaign, month, at);
    assertKnownIndicators(campaign, indicators);
    const input: ReportInput = { pilot, month, indicators, actor: actorOf(request.principal), now: at, expectedVersion };
    const outcome = (await writeReports([{ id: 0, input }])).get(0)!;
    if (outcome.status === 'refused') throw outcome.error;
    if (outcome.status === 'written') count('UsageFiguresIngested', Object.keys(indicators).length);
    // A replaced month answers with its corrections, oldest first, this one included.
    const corrections = outcome.month.version > 1 ? await usageRepository.correctionsOf(pilot.finess, campaign.id, month) : [];
    const body = { finess: pilot.finess, campaignId: campaign.id, ...usageMonthView(outcome.month, corrections) };
    const created = outcome.status === 'written' && outcome.month.version === 1;
    return jsonVersioned(created ? 201 : 200, body, created ? { location: `/v1/campaigns/${campaign.id}/pilots/${pilot.finess}/usage/${month}` } : {});
  },

  'POST /v1/usage-reports': (request) =>
    idempotent(request, async (remember) => {
      const { campaignId, reports } = requireBody(request, usageBatchSchema);
      const campaign = await campaignRepository.get(campaignId);
      if (!campaign) throw notFound('La campagne demandée');
      const at = now();
      const { results, figuresWritten } = await ingestBatch(request.principal, campaign, reports, at);
      const accepted = results.filter((result) => result.status === 'acceptee').length;
      const response = json(200, { accepted, refused: results.length - accepted, results });
      // Replaying the same reports writes nothing anyway (same figures are a no-op); the key also spares the work.
      const remembered = remember(response, at);
      if (remembered) await putAlone(remembered, () => new IdempotencyRace());
      count('UsageFiguresIngested', figuresWritten);
      return response;
    }),

  'POST /v1/campaigns/{campaignId}/pilots/{finess}/reporting-clients': (request) =>
    idempotent(request, async (remember) => {
      const { clientId } = requireBody(request, reportingClientSchema);
      const finess = checkedFiness(request.params.finess, 'path.finess');
      const at = now();
      const { pilot } = await pilotInCampaign(request.params.campaignId, finess);
      await authorizePilot(request.principal, pilot, 'register_client');
      // After the access check: who may not register learns nothing of the vendors.
      if (!duiClientIds.has(clientId)) {
        throw new DomainError('validation_failed', "Ce client n'est celui d'aucun éditeur de DUI de ce déploiement.", [{ path: 'clientId', message: 'Client inconnu' }]);
      }
      if (pilot.reportingClients.includes(clientId)) return json(200, pilotView(pilot));
      const registered = { ...pilot, reportingClients: [...pilot.reportingClients, clientId] };
      const response = json(201, pilotView(registered));
      const remembered = remember(response, at);
      try {
        await transact([...pilotRepository.registerClientItems(pilot, clientId, actorOf(request.principal), toParisIso(at)), ...(remembered ? [remembered] : [])], (failed) =>
          failed.includes(2) ? new IdempotencyRace() : new AlreadyRegistered(),
        );
      } catch (error) {
        // Registered meanwhile by someone else: the outcome the caller wants already holds.
        if (!(error instanceof AlreadyRegistered)) throw error;
        return json(200, pilotView((await pilotRepository.get(pilot.finess, pilot.campaignId)) ?? registered));
      }
      return response;
    }),

  'GET /v1/campaigns/{campaignId}/pilots/{finess}/usage': async (request) => {
    const finess = checkedFiness(request.params.finess, 'path.finess');
    const at = now();
    const { pilot, campaign } = await pilotInCampaign(request.params.campaignId, finess);
    await authorizePilot(request.principal, pilot, 'read_usage');
    const [months, corrections] = await Promise.all([usageRepository.monthsOf(pilot.finess, campaign.id), usageRepository.correctionsOf(pilot.finess, campaign.id)]);
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

class AlreadyRegistered extends Error {
  constructor() {
    super('reporting client already registered');
    this.name = 'AlreadyRegistered';
  }
}
