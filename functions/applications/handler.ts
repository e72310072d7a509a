import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { applicationRepository, retainedCountUpdate } from '../../layers/adapters/application-repository';
import { campaignRepository } from '../../layers/adapters/campaign-repository';
import { now } from '../../layers/adapters/clock';
import { deploymentScopeFrom, requiredEnv } from '../../layers/adapters/config';
import { count } from '../../layers/adapters/observability';
import { deliver, dedupKeyOf, enqueue, type OutboxEmail } from '../../layers/adapters/outbox';
import { applicantRecipients, authorize, may, normalizeEmail, relationOf, type Action, type Relation } from '../../layers/domain/access';
import {
  MAX_OPEN_DRAFTS,
  collaboratorSchema,
  conventionIdFor,
  inviteCollaborator,
  markJoined,
  removeCollaborator,
  transfer,
  transferSchema,
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
import { acknowledgementEmail, transferredAwayEmail, transferredToEmail, type EmailMessage } from '../../layers/domain/emails';
import { phaseAt } from '../../layers/domain/campaign';
import { conventionRepository } from '../../layers/adapters/convention-repository';
import { ConcurrentModificationError, DomainError, notFound } from '../../layers/domain/errors';
import { searchable } from '../../layers/domain/text';
import { actorOf, regionFilter, type Principal } from '../../layers/http/auth';
import { httpHandler } from '../../layers/http/handler';
import { idempotent } from '../../layers/http/idempotency';
import { ifMatchVersion, json, jsonVersioned, noBody, offsetCursor, pageQuery, parseWith, requireBody, retryOnConflict, type HttpRequest } from '../../layers/http/request';

const deployment = deploymentScopeFrom(requiredEnv('DEPLOYMENT_ARS'));

// Dossier numbers people can read out on the phone: Crockford base32, no I, L, O or U.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const newDossierNumber = (): string => `MES-${[...randomBytes(8)].map((byte) => ALPHABET[byte % 32]).join('')}`;

async function campaignOf(id: string | undefined): Promise<Campaign> {
  const campaign = id ? await campaignRepository.get(id) : undefined;
  if (!campaign) throw notFound('La campagne demandée');
  return campaign;
}

const WHAT = 'Le dossier demandé';

/**
 * The application and the caller's relation to it, when the access policy allows the action (404 for a
 * stranger, 403 for a relation without that right). A collaborator's first visit records that their address
 * is a verified one, which the platform may then write to.
 */
async function applicationFor(request: HttpRequest, action: Action): Promise<{ application: Application; relation: Relation }> {
  const stored = await applicationRepository.get(request.params.id ?? '');
  if (!stored) throw notFound(WHAT);
  authorize(request.principal, stored, 'read', WHAT);
  const relation = authorize(request.principal, stored, action, WHAT);
  const email = request.principal.verifiedEmail;
  const joining = relation === 'collaborator' && email !== undefined && stored.collaborators?.some((collaborator) => collaborator.email === email && !collaborator.joinedAt);
  if (!joining) return { application: stored, relation };
  const application = markJoined(stored, email, now());
  await applicationRepository.recordJoined(application);
  return { application, relation };
}

/** For a change: also the version If-Match names, if any. */
async function applicationToChange(request: HttpRequest, action: Action): Promise<{ application: Application; relation: Relation }> {
  const found = await applicationFor(request, action);
  const expected = ifMatchVersion(request);
  if (expected !== undefined && expected !== found.application.version) throw new ConcurrentModificationError();
  return found;
}

/** Staff of the region see reviews and untold decisions; the applicant does not. */
const view = (application: Application, principal: Principal) =>
  applicationView(application, may(relationOf(principal, application), 'see_review') ? 'staff' : 'applicant');

/** What "my applications" shows of each file: its campaign, its state in words the applicant may know, its convention. */
async function myApplicationsView(applications: readonly Application[]) {
  const campaigns = new Map<string, Promise<Campaign | undefined>>();
  const campaign = (id: string) => {
    if (!campaigns.has(id)) campaigns.set(id, campaignRepository.get(id));
    return campaigns.get(id)!;
  };
  const at = now();
  return Promise.all(
    applications.map(async (application) => {
      const conventionId = conventionIdFor(application);
      const [found, convention] = await Promise.all([campaign(application.campaignId), conventionId ? conventionRepository.get(conventionId) : undefined]);
      return {
        ...applicationView(application, 'applicant'),
        campaign: found ? { id: found.id, title: found.title, phase: phaseAt(found, at) } : undefined,
        ...(convention ? { convention: { id: convention.id, status: convention.status, dueAt: convention.dueAt } } : {}),
        pilot: convention?.status === 'signee',
      };
    }),
  );
}

function applicantNotice(application: Application, message: EmailMessage, event: string, recipientKey: string, campaign: Campaign): OutboxEmail {
  return { ...message, campaignId: campaign.id, event, recipientKey };
}

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

export const handler = httpHandler('applications', {
  'POST /v1/campaigns/{campaignId}/applications': (request) =>
    idempotent(request, async (remember) => {
      const input = requireBody(request, applicationCreateSchema);
      const { ars, finess } = checkedFiness(input.finess);
      const campaign = await campaignOf(request.params.campaignId);
      const at = now();
      assertIntakeOpen(campaign, at);
      assertServedRegion(deployment, ars, finess);
      const ownerId = request.principal.id!;
      const drafts = (await applicationRepository.ofHolder(`OWNER#${ownerId}`, campaign.id)).filter((held) => held.status === 'brouillon');
      if (drafts.length >= MAX_OPEN_DRAFTS) {
        throw new DomainError('too_many_drafts', `Vous avez déjà ${drafts.length} brouillons dans cette campagne : déposez ou retirez-en avant d'en créer un autre.`);
      }
      const application = newApplication({ id: newDossierNumber(), campaignId: campaign.id, ownerId, ownerEmail: request.principal.verifiedEmail, create: input, now: at });
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

  'GET /v1/me/applications': async (request) => {
    const { limit, cursor } = pageQuery(request);
    const { principal } = request;
    const held = (await applicationRepository.ofPerson(principal.id!, principal.verifiedEmail)).filter((application) => {
      const relation = relationOf(principal, application);
      return relation === 'owner' || relation === 'collaborator';
    });
    // A person holds few files (at most 50 drafts a campaign): one read, then pages by position.
    const start = offsetCursor.decode(cursor);
    const page = held.slice(start, start + limit);
    const next = start + limit < held.length ? offsetCursor.encode(start + limit) : null;
    return json(200, { items: await myApplicationsView(page), nextCursor: next });
  },

  'GET /v1/applications/{id}': async (request) => {
    const { application } = await applicationFor(request, 'read');
    return jsonVersioned(200, view(application, request.principal));
  },

  'PUT /v1/applications/{id}': async (request) => {
    const edit = requireBody(request, applicationEditSchema);
    return retryOnConflict(request, async () => {
      const { application: current } = await applicationToChange(request, 'edit');
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
      const { application: current } = await applicationToChange(request, 'submit');
      // Submitting again what is already submitted changes nothing (API.md).
      if (current.status === 'deposee') return jsonVersioned(200, view(current, request.principal));
      const campaign = await campaignOf(current.campaignId);
      const at = now();
      assertIntakeOpen(campaign, at);
      const next = submit(current, at);
      const email = applicantNotice(next, acknowledgementEmail(next, campaign), 'accuse_depot', next.id, campaign);
      const emails = email.to.length > 0 ? [email] : [];
      await applicationRepository.saveSubmission(next, current.version, historyEntry(next, current.status, 'depot', actorOf(request.principal)), emails.map((queued) => enqueue(queued, at)));
      count('ApplicationsSubmitted');
      // Sent now if SES answers; otherwise the ledger keeps it pending for the milestone sweep.
      for (const queued of emails) await deliver(dedupKeyOf(queued), at).catch(() => false);
      return jsonVersioned(200, view(next, request.principal));
    });
  },

  'POST /v1/applications/{id}/withdraw': async (request) => {
    noBody(request);
    return retryOnConflict(request, async () => {
      const { application: current } = await applicationToChange(request, 'withdraw');
      const next = withdraw(current, now());
      // A retained application not yet notified gives its place in the quota back.
      const extra = current.status === 'retenue' ? [retainedCountUpdate(current.campaignId, current.ars, -1, undefined)] : [];
      await applicationRepository.saveWithdrawal(next, current, historyEntry(next, publicStatus(current), 'retrait', actorOf(request.principal)), extra);
      return jsonVersioned(200, view(next, request.principal));
    });
  },

  'GET /v1/applications/{id}/history': async (request) => {
    const { application } = await applicationFor(request, 'read');
    const entries = await applicationRepository.history(application.id);
    const visible = may(relationOf(request.principal, application), 'see_review') ? entries : applicantHistory(entries, application);
    return json(200, { items: visible, nextCursor: null });
  },

  'POST /v1/applications/{id}/collaborators': async (request) => {
    const { email } = requireBody(request, collaboratorSchema);
    return retryOnConflict(request, async () => {
      const { application: current } = await applicationToChange(request, 'manage_collaborators');
      const next = inviteCollaborator(current, email, actorOf(request.principal), now());
      if (next === current) return jsonVersioned(200, view(current, request.principal));
      await applicationRepository.saveCollaborators(next, current, historyEntry(next, current.status, 'collaborateur_invite', actorOf(request.principal), normalizeEmail(email)));
      return jsonVersioned(201, view(next, request.principal));
    });
  },

  'DELETE /v1/applications/{id}/collaborators/{email}': async (request) => {
    noBody(request);
    const { email } = parseWith(collaboratorSchema, { email: request.params.email }, 'path');
    return retryOnConflict(request, async () => {
      const { application: current } = await applicationToChange(request, 'manage_collaborators');
      const next = removeCollaborator(current, email, now());
      await applicationRepository.saveCollaborators(next, current, historyEntry(next, current.status, 'collaborateur_retire', actorOf(request.principal), normalizeEmail(email)));
      return jsonVersioned(200, view(next, request.principal));
    });
  },

  'POST /v1/applications/{id}/transfer': async (request) => {
    const input = requireBody(request, transferSchema);
    return retryOnConflict(request, async () => {
      const { application: current } = await applicationToChange(request, 'transfer');
      const campaign = await campaignOf(current.campaignId);
      const at = now();
      const next = transfer(current, input.email, at);
      const previous = applicantRecipients(current).filter((address) => address !== next.ownerEmail);
      const emails = [
        ...(previous.length > 0 ? [applicantNotice(next, transferredAwayEmail(next, campaign, previous), 'transfert_ancien', `${next.id}#v${next.version}`, campaign)] : []),
        applicantNotice(next, transferredToEmail(next, campaign, next.ownerEmail!), 'transfert_nouveau', `${next.id}#v${next.version}`, campaign),
      ];
      const entry = historyEntry(next, publicStatus(current), 'transfert', actorOf(request.principal), input.motivation);
      await applicationRepository.saveCollaborators(next, current, entry, emails.map((email) => enqueue(email, at)));
      for (const email of emails) await deliver(dedupKeyOf(email), at).catch(() => false);
      return jsonVersioned(200, view(next, request.principal));
    });
  },
});
