import { applicationRepository, retainedCountUpdate } from '../../layers/adapters/application-repository';
import { campaignRepository } from '../../layers/adapters/campaign-repository';
import { now } from '../../layers/adapters/clock';
import { count } from '../../layers/adapters/observability';
import { conventionRepository } from '../../layers/adapters/convention-repository';
import { dedupKeyOf, deliver, enqueue, type OutboxEmail } from '../../layers/adapters/outbox';
import { applicationView, historyEntry, type Application } from '../../layers/domain/application';
import { milestoneInstants, type Campaign } from '../../layers/domain/campaign';
import { formatDeadline } from '../../layers/domain/calendar';
import { newConvention } from '../../layers/domain/convention';
import { decisionEmail } from '../../layers/domain/emails';
import { ConcurrentModificationError, DomainError, notFound } from '../../layers/domain/errors';
import { isArsCode } from '../../layers/domain/regions';
import { assertSelectionOpen, decide, decisionSchema, markNotified, retainedDelta, review, reviewSchema } from '../../layers/domain/selection';
import { actorOf, assertMayActForRegion } from '../../layers/http/auth';
import { authorize } from '../../layers/domain/access';
import { httpHandler } from '../../layers/http/handler';
import { ifMatchVersion, json, jsonVersioned, noBody, requireBody, retryOnConflict, type HttpRequest } from '../../layers/http/request';

async function campaignOf(id: string | undefined): Promise<Campaign> {
  const campaign = id ? await campaignRepository.get(id) : undefined;
  if (!campaign) throw notFound('La campagne demandée');
  return campaign;
}

/** An application the caller may review or decide on (404 for another region), at the version If-Match names if any. */
async function applicationForStaff(request: HttpRequest, action: 'review' | 'decide'): Promise<Application> {
  const application = await applicationRepository.get(request.params.id ?? '');
  if (!application) throw notFound('Le dossier demandé');
  authorize(request.principal, application, action);
  const expected = ifMatchVersion(request);
  if (expected !== undefined && expected !== application.version) throw new ConcurrentModificationError();
  return application;
}

const decisionNotice = (application: Application, campaign: Campaign): OutboxEmail => ({
  ...decisionEmail(application, campaign),
  campaignId: campaign.id,
  event: 'decision',
  recipientKey: application.id,
});

export const handler = httpHandler('selection', {
  'PUT /v1/applications/{id}/review': async (request) => {
    const input = requireBody(request, reviewSchema);
    return retryOnConflict(request, async () => {
      const current = await applicationForStaff(request, 'review');
      const at = now();
      assertSelectionOpen(await campaignOf(current.campaignId), at);
      const next = review(current, input, actorOf(request.principal), at);
      await applicationRepository.save(next, current.version, historyEntry(next, current.status, 'evaluation', actorOf(request.principal)));
      return jsonVersioned(200, applicationView(next, 'staff'));
    });
  },

  'POST /v1/applications/{id}/decision': async (request) => {
    const input = requireBody(request, decisionSchema);
    return retryOnConflict(request, async () => {
      const current = await applicationForStaff(request, 'decide');
      const campaign = await campaignOf(current.campaignId);
      const at = now();
      assertSelectionOpen(campaign, at);
      const next = decide(current, input, actorOf(request.principal), at);
      const delta = retainedDelta(current, next);
      const quota = (campaign.quotas as Record<string, number | undefined>)[current.ars];
      // The quota holds under concurrent decisions: the counter's condition is part of the decision's transaction.
      const extra = delta !== 0 ? [retainedCountUpdate(campaign.id, current.ars, delta, quota)] : [];
      await applicationRepository.save(next, current.version, historyEntry(next, current.status, 'decision', actorOf(request.principal), input.motivation), extra, () =>
        new DomainError('quota_reached', `Le quota de la région est atteint : ${quota} dossier(s) retenu(s) au plus. Revenez sur une autre décision pour en retenir un nouveau.`),
      );
      count('DecisionsTaken');
      return jsonVersioned(200, applicationView(next, 'staff'));
    });
  },

  'POST /v1/campaigns/{campaignId}/regions/{ars}/notify': async (request) => {
    noBody(request);
    const ars = request.params.ars ?? '';
    if (!isArsCode(ars)) throw notFound('La région demandée');
    assertMayActForRegion(request.principal, ars, 'La région demandée');
    const campaign = await campaignOf(request.params.campaignId);
    const at = now();
    const due = milestoneInstants(campaign).conventionsDueAt;
    if (at.getTime() >= due.getTime()) {
      throw new DomainError('convention_due_passed', `Les conventions devaient être signées au plus tard le ${formatDeadline(due)} : il n'est plus possible de notifier.`);
    }
    const actor = actorOf(request.principal);
    let notified = 0;
    let conventionsCreated = 0;
    const emails: string[] = [];
    for (const application of await applicationRepository.awaitingNotification(campaign.id, ars)) {
      const next = markNotified(application, at);
      const email = decisionNotice(next, campaign);
      const retained = next.status === 'retenue';
      const extra = [enqueue(email, at), ...(retained ? [conventionRepository.createItem(newConvention(next, campaign, at))] : [])];
      try {
        await applicationRepository.save(next, application.version, historyEntry(next, application.status, 'notification', actor), extra);
      } catch (error) {
        // Another notify (or a changed decision) got there first: that one owns this application.
        if (error instanceof ConcurrentModificationError) continue;
        throw error;
      }
      notified += 1;
      if (retained) conventionsCreated += 1;
      emails.push(dedupKeyOf(email));
    }
    for (const dedupKey of emails) await deliver(dedupKey, at).catch(() => false);
    return json(200, { notified, conventionsCreated });
  },
});
