import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { applicationRepository, retainedCountUpdate } from '../../layers/adapters/application-repository';
import { campaignRepository } from '../../layers/adapters/campaign-repository';
import { now } from '../../layers/adapters/clock';
import { deploymentScopeFrom, requiredEnv } from '../../layers/adapters/config';
import { count } from '../../layers/adapters/observability';
import { deliver, dedupKeyOf, enqueue, type OutboxEmail } from '../../layers/adapters/outbox';
import {
  applicationCreateSchema,
  applicationEditSchema,
  applicationStatuses,
  applicantHistory,
  applicationView,
  assertIntakeOpen,
  assertServedRegion,
  checkedFiness,
  historyEntry,
  newApplication,
  publicStatus,
  replaceFields,
  submit,
  withdraw,
  type Application,
} from '../../layers/domain/application';
import type { Campaign } from '../../layers/domain/campaign';
import { acknowledgementEmail } from '../../layers/domain/emails';
import { ConcurrentModificationError, DomainError, notFound } from '../../layers/domain/errors';
import { searchable } from '../../layers/domain/text';
import { actorOf, assertMayActForRegion, mayActForRegion, regionFilter, type Principal } from '../../layers/http/auth';
import { httpHandler } from '../../layers/http/handler';
import { idempotent } from '../../layers/http/idempotency';
import { ifMatchVersion, json, jsonVersioned, noBody, pageQuery, parseWith, requireBody, retryOnConflict, type HttpRequest } from '../../layers/http/request';

const deployment = deploymentScopeFrom(requiredEnv('DEPLOYMENT_ARS'));

// Dossier numbers people can read out on the phone: Crockford base32, no I, L, O or U.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const newDossierNumber = (): string => `MES-${[...randomBytes(8)].map((byte) => ALPHABET[byte % 32]).join('')}`;

async function campaignOf(id: string | undefined): Promise<Campaign> {
  const campaign = id ? await campaignRepository.get(id) : undefined;
  if (!campaign) throw notFound('La campagne demandée');
  return campaign;
}

const isOwner = (principal: Principal, application: Application): boolean => principal.id === application.ownerId;

/** The owner, the ARS of its region and national see it; anyone else is told it does not exist. */
async function visibleApplication(request: HttpRequest): Promise<Application> {
  const application = await applicationRepository.get(request.params.id ?? '');
  if (!application) throw notFound('Le dossier demandé');
  if (isOwner(request.principal, application)) return application;
  if (!request.principal.roles.has('ars') && !request.principal.roles.has('national')) throw notFound('Le dossier demandé');
  assertMayActForRegion(request.principal, application.ars, 'Le dossier demandé');
  return application;
}

async function ownedApplication(request: HttpRequest): Promise<Application> {
  const application = await visibleApplication(request);
  if (!isOwner(request.principal, application)) throw new DomainError('forbidden', 'Seul le porteur du dossier peut effectuer cette action.');
  const expected = ifMatchVersion(request);
  if (expected !== undefined && expected !== application.version) throw new ConcurrentModificationError();
  return application;
}

/** Staff of the region see reviews and untold decisions; the applicant does not. */
const view = (application: Application, principal: Principal) =>
  applicationView(application, !isOwner(principal, application) && mayActForRegion(principal, application.ars) ? 'staff' : 'applicant');

const listQuerySchema = z
  .object({
    ars: z.string().optional(),
    status: z.enum(applicationStatuses).optional(),
    category: z.string().regex(/^[0-9]{3}$/, 'Code catégorie à 3 chiffres').optional(),
    q: z.string().trim().min(1).max(100).optional(),
    decision: z.enum(['retenue', 'non_retenue']).optional(),
    sort: z.enum(['score', 'date']).optional(),
  })
  .loose();

function acknowledgement(application: Application, campaign: Campaign): OutboxEmail {
  return { ...acknowledgementEmail(application, campaign), campaignId: campaign.id, event: 'accuse_depot', recipientKey: application.id };
}

export const handler = httpHandler('applications', {
  'POST /v1/campaigns/{campaignId}/applications': (request) =>
    idempotent(request, async (remember) => {
      const input = requireBody(request, applicationCreateSchema);
      const { ars, finess } = checkedFiness(input.finess);
      const campaign = await campaignOf(request.params.campaignId);
      const at = now();
      assertIntakeOpen(campaign, at);
      assertServedRegion(deployment, ars, finess);
      const application = newApplication({ id: newDossierNumber(), campaignId: campaign.id, ownerId: request.principal.id!, ownerEmail: request.principal.email, create: input, now: at });
      const response = jsonVersioned(201, view(application, request.principal), { location: `/v1/applications/${application.id}` });
      await applicationRepository.create(application, historyEntry(application, null, 'creation', actorOf(request.principal)), remember(response, at));
      return response;
    }),

  'GET /v1/campaigns/{campaignId}/applications': async (request) => {
    const { limit, cursor } = pageQuery(request);
    const query = parseWith(listQuerySchema, request.query, 'query');
    const campaign = await campaignOf(request.params.campaignId);
    const ars = regionFilter(request.principal, query.ars);
    const q = query.q ? (/^[0-9A-Za-z\s]+$/.test(query.q) && /\d/.test(query.q) ? query.q.replace(/\s+/g, '').toLowerCase() : searchable(query.q)) : undefined;
    if (query.sort === 'score' && ars === undefined) {
      throw new DomainError('validation_failed', 'Le tri par note se fait région par région : précisez ars.', [{ path: 'query.ars', message: 'Requis avec sort=score' }]);
    }
    if (query.decision && query.status && query.decision !== query.status) {
      throw new DomainError('validation_failed', 'Les filtres status et decision se contredisent.', [{ path: 'query.decision', message: 'Incompatible avec status' }]);
    }
    // A decision is a status (retenue / non_retenue) until it is notified and after.
    const status = query.decision ?? query.status;
    const page = await applicationRepository.list({ campaignId: campaign.id, ars, status, category: query.category, q, limit, cursor, sortByScore: query.sort === 'score' });
    return json(200, { items: page.items.map((application) => view(application, request.principal)), nextCursor: page.nextCursor });
  },

  'GET /v1/applications/{id}': async (request) => {
    const application = await visibleApplication(request);
    return jsonVersioned(200, view(application, request.principal));
  },

  'PUT /v1/applications/{id}': async (request) => {
    const edit = requireBody(request, applicationEditSchema);
    return retryOnConflict(request, async () => {
      const current = await ownedApplication(request);
      const at = now();
      assertIntakeOpen(await campaignOf(current.campaignId), at);
      const next = replaceFields(current, edit, at);
      await applicationRepository.save(next, current.version, historyEntry(next, current.status, 'modification', actorOf(request.principal)));
      return jsonVersioned(200, view(next, request.principal));
    });
  },

  'POST /v1/applications/{id}/submit': async (request) => {
    noBody(request);
    return retryOnConflict(request, async () => {
      const current = await ownedApplication(request);
      // Submitting again what is already submitted changes nothing (API.md).
      if (current.status === 'deposee') return jsonVersioned(200, view(current, request.principal));
      const campaign = await campaignOf(current.campaignId);
      const at = now();
      assertIntakeOpen(campaign, at);
      const next = submit(current, at);
      const email = acknowledgement(next, campaign);
      await applicationRepository.save(next, current.version, historyEntry(next, current.status, 'depot', actorOf(request.principal)), [enqueue(email, at)]);
      count('ApplicationsSubmitted');
      // Sent now if SES answers; otherwise the ledger keeps it pending for the milestone sweep.
      await deliver(dedupKeyOf(email), at).catch(() => false);
      return jsonVersioned(200, view(next, request.principal));
    });
  },

  'POST /v1/applications/{id}/withdraw': async (request) => {
    noBody(request);
    return retryOnConflict(request, async () => {
      const current = await ownedApplication(request);
      const next = withdraw(current, now());
      // A retained application not yet notified gives its place in the quota back.
      const extra = current.status === 'retenue' ? [retainedCountUpdate(current.campaignId, current.ars, -1, undefined)] : [];
      await applicationRepository.save(next, current.version, historyEntry(next, publicStatus(current), 'retrait', actorOf(request.principal)), extra);
      return jsonVersioned(200, view(next, request.principal));
    });
  },

  'GET /v1/applications/{id}/history': async (request) => {
    const application = await visibleApplication(request);
    const entries = await applicationRepository.history(application.id);
    const visible = isOwner(request.principal, application) ? applicantHistory(entries, application) : entries;
    return json(200, { items: visible, nextCursor: null });
  },
});
