import { randomBytes } from 'node:crypto';
import * as z from 'zod/mini';
import { applicationRepository } from '../../layers/adapters/application-repository';
import { campaignRepository } from '../../layers/adapters/campaign-repository';
import { now } from '../../layers/adapters/clock';
import { deploymentScopeFrom, requiredEnv } from '../../layers/adapters/config';
import { count } from '../../layers/adapters/observability';
import { dynamoPorts } from '../../layers/adapters/ports';
import { may, relationOf } from '../../layers/domain/access';
import {
  collaboratorSchema,
  transferSchema,
  applicationCreateSchema,
  applicationEditSchema,
  applicationStatuses,
  applicantHistory,
  applicationView,
  type Application,
} from '../../layers/domain/application';
import { phaseAt, type Campaign } from '../../layers/domain/campaign';
import { DomainError, notFound } from '../../layers/domain/errors';
import { searchable } from '../../layers/domain/text';
import {
  applicantFiles,
  applicationHistory,
  createApplication,
  editApplication,
  inviteToApplication,
  openApplication,
  removeFromApplication,
  submitApplication,
  transferApplication,
  withdrawApplication,
  type HeldFile,
} from '../../layers/domain/use-cases/applications';
import { actorOf, regionFilter, type Principal } from '../../layers/http/auth';
import { httpHandler } from '../../layers/http/handler';
import { idempotent } from '../../layers/http/idempotency';
import { ifMatchVersion, json, jsonVersioned, noBody, offsetCursor, pageQuery, parseWith, requireBody, retryOnConflict, type HttpRequest, type HttpResponse } from '../../layers/http/request';

const deployment = deploymentScopeFrom(requiredEnv('DEPLOYMENT_ARS'));

// Dossier numbers people can read out on the phone: Crockford base32, no I, L, O or U.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const newDossierNumber = (): string => `MES-${[...randomBytes(8)].map((byte) => ALPHABET[byte % 32]).join('')}`;

async function campaignOf(id: string | undefined): Promise<Campaign> {
  const campaign = id ? await campaignRepository.get(id) : undefined;
  if (!campaign) throw notFound('La campagne demandée');
  return campaign;
}

const acting = (request: HttpRequest) => ({ caller: request.principal, actor: actorOf(request.principal), at: now() });
const onApplication = (request: HttpRequest) => ({ ...acting(request), applicationId: request.params.id ?? '', ifMatch: () => ifMatchVersion(request) });

/** Staff of the region see reviews and untold decisions; the applicant does not. */
const view = (application: Application, principal: Principal) =>
  applicationView(application, may(relationOf(principal, application), 'see_review') ? 'staff' : 'applicant');

/** What "my applications" shows of each file: its campaign, its state in words the applicant may know, its convention. */
function heldFileView({ application, campaign, convention }: HeldFile, at: Date) {
  return {
    ...applicationView(application, 'applicant'),
    campaign: campaign ? { id: campaign.id, title: campaign.title, phase: phaseAt(campaign, at) } : undefined,
    ...(convention ? { convention: { id: convention.id, status: convention.status, dueAt: convention.dueAt } } : {}),
    pilot: convention?.status === 'signee',
  };
}

const listQuerySchema = z.looseObject({
  ars: z.optional(z.string()),
  status: z.optional(z.enum(applicationStatuses)),
  category: z.optional(z.string().check(z.regex(/^[0-9]{3}$/, 'Code catégorie à 3 chiffres'))),
  q: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(100))),
  decision: z.optional(z.enum(['retenue', 'non_retenue'])),
  sort: z.optional(z.enum(['score', 'date'])),
});

export const handler = httpHandler('applications', {
  'POST /v1/campaigns/{campaignId}/applications': (request) =>
    idempotent(request, async (remember) => {
      const input = requireBody(request, applicationCreateSchema);
      const answer = (application: Application) => jsonVersioned(201, view(application, request.principal), { location: `/v1/applications/${application.id}` });
      const command = { ...acting(request), campaignId: request.params.campaignId ?? '', input, deployment, newId: newDossierNumber };
      let response: HttpResponse | undefined;
      const created = await createApplication(dynamoPorts, {
        ...command,
        receiptFor: (application) => {
          response = answer(application);
          return remember(response, command.at);
        },
      });
      return response ?? answer(created);
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
    const start = offsetCursor.decode(cursor);
    const { files, more } = await applicantFiles(dynamoPorts, { caller: request.principal, start, limit });
    const at = now();
    return json(200, { items: files.map((file) => heldFileView(file, at)), nextCursor: more ? offsetCursor.encode(start + limit) : null });
  },

  'GET /v1/applications/{id}': async (request) => {
    const { application } = await openApplication(dynamoPorts, { ...onApplication(request), action: 'read' });
    return jsonVersioned(200, view(application, request.principal));
  },

  'PUT /v1/applications/{id}': async (request) => {
    const edit = requireBody(request, applicationEditSchema);
    return retryOnConflict(request, async () => jsonVersioned(200, view(await editApplication(dynamoPorts, { ...onApplication(request), edit }), request.principal)));
  },

  'POST /v1/applications/{id}/submit': async (request) => {
    noBody(request);
    return retryOnConflict(request, async () => {
      // Submitting again what is already submitted changes nothing (API.md).
      const { application, submitted } = await submitApplication(dynamoPorts, onApplication(request));
      if (submitted) count('ApplicationsSubmitted');
      return jsonVersioned(200, view(application, request.principal));
    });
  },

  'POST /v1/applications/{id}/withdraw': async (request) => {
    noBody(request);
    return retryOnConflict(request, async () => jsonVersioned(200, view(await withdrawApplication(dynamoPorts, onApplication(request)), request.principal)));
  },

  'GET /v1/applications/{id}/history': async (request) => {
    const { application, entries } = await applicationHistory(dynamoPorts, onApplication(request));
    const visible = may(relationOf(request.principal, application), 'see_review') ? entries : applicantHistory(entries, application);
    return json(200, { items: visible, nextCursor: null });
  },

  'POST /v1/applications/{id}/collaborators': async (request) => {
    const { email } = requireBody(request, collaboratorSchema);
    return retryOnConflict(request, async () => {
      const { application, invited } = await inviteToApplication(dynamoPorts, { ...onApplication(request), email });
      return jsonVersioned(invited ? 201 : 200, view(application, request.principal));
    });
  },

  'DELETE /v1/applications/{id}/collaborators/{email}': async (request) => {
    noBody(request);
    const { email } = parseWith(collaboratorSchema, { email: request.params.email }, 'path');
    return retryOnConflict(request, async () => jsonVersioned(200, view(await removeFromApplication(dynamoPorts, { ...onApplication(request), email }), request.principal)));
  },

  'POST /v1/applications/{id}/transfer': async (request) => {
    const input = requireBody(request, transferSchema);
    return retryOnConflict(request, async () => jsonVersioned(200, view(await transferApplication(dynamoPorts, { ...onApplication(request), ...input }), request.principal)));
  },
});
