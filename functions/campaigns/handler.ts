import type { APIGatewayProxyEventV2, CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { campaignRepository } from '../../layers/adapters/campaign-repository';
import { now } from '../../layers/adapters/clock';
import { answerCloudFormation, isCloudFormationEvent } from '../../layers/adapters/custom-resource';
import { milestoneScheduler } from '../../layers/adapters/scheduler';
import { campaignCreateSchema, campaignPatchSchema, viewCampaign, type Campaign } from '../../layers/domain/campaign';
import { createCampaign, updateCampaign } from '../../layers/domain/use-cases/campaigns';
import { dynamoCampaigns } from '../../layers/adapters/ports';
import { notFound } from '../../layers/domain/errors';
import { campaignCalendar } from '../../layers/domain/ics';
import { httpHandler } from '../../layers/http/handler';
import { idempotent } from '../../layers/http/idempotency';
import { ifMatchVersion, json, jsonVersioned, pageQuery, requireBody, type HttpRequest, type HttpResponse } from '../../layers/http/request';

const campaignPorts = { campaigns: dynamoCampaigns, schedules: milestoneScheduler };

async function campaignOf(request: HttpRequest, options: { fresh?: boolean } = {}): Promise<Campaign> {
  const id = request.params.campaignId ?? '';
  const campaign = await campaignRepository.get(id, options);
  if (!campaign) throw notFound('La campagne demandée');
  return campaign;
}

const http = httpHandler('campaigns', {
  'GET /v1/campaigns': async (request) => {
    const { limit, cursor } = pageQuery(request);
    const page = await campaignRepository.list(limit, cursor);
    const at = now();
    return json(200, { items: page.items.map((campaign) => viewCampaign(campaign, at)), nextCursor: page.nextCursor });
  },

  'GET /v1/campaigns/{campaignId}': async (request) => jsonVersioned(200, viewCampaign(await campaignOf(request), now())),

  'POST /v1/campaigns': (request) =>
    idempotent(request, async (remember) => {
      const input = requireBody(request, campaignCreateSchema);
      const at = now();
      const answer = (campaign: Campaign) => jsonVersioned(201, viewCampaign(campaign, at), { location: `/v1/campaigns/${campaign.id}` });
      let response: HttpResponse | undefined;
      const created = await createCampaign(campaignPorts, {
        input,
        at,
        receiptFor: (campaign) => {
          response = answer(campaign);
          return remember(response, at);
        },
      });
      return response ?? answer(created);
    }),

  'PATCH /v1/campaigns/{campaignId}': async (request) => {
    const patch = requireBody(request, campaignPatchSchema);
    const at = now();
    const next = await updateCampaign(campaignPorts, { campaignId: request.params.campaignId ?? '', patch, at, ifMatch: () => ifMatchVersion(request) });
    return jsonVersioned(200, viewCampaign(next, at));
  },

  'GET /v1/campaigns/{campaignId}/calendar.ics': async (request) => {
    const campaign = await campaignOf(request);
    return {
      statusCode: 200,
      headers: {
        'content-type': 'text/calendar; charset=utf-8',
        'content-disposition': `attachment; filename="${campaign.id}.ics"`,
        'cache-control': 'public, max-age=300',
      },
      body: campaignCalendar(campaign),
    };
  },
});

/**
 * Every campaign's schedules, seeded ones included, at the current now: what the Api stack's
 * MilestoneScheduleSync custom resource asks for when the schedules' settings change (first deploy
 * included). The seeded campaign is read from the table, so a PATCH made since is kept.
 */
async function syncEveryCampaign(): Promise<Record<string, string>> {
  const at = now();
  let campaigns = 0;
  let written = 0;
  for await (const campaign of campaignRepository.all()) {
    written += await milestoneScheduler.sync(campaign, at);
    campaigns += 1;
  }
  return { campaigns: String(campaigns), schedules: String(written) };
}

/**
 * The HTTP API's routes, and the deployment's custom resource: this function is the one owner of the
 * one-time milestone schedules (CloudFormation declares none, so nothing drifts).
 */
export async function handler(event: APIGatewayProxyEventV2 | CloudFormationCustomResourceEvent, context: Context) {
  if (isCloudFormationEvent(event)) return answerCloudFormation(event, context, syncEveryCampaign);
  return http(event, context);
}
