import { applicationRepository } from '../../layers/adapters/application-repository';
import { campaignRepository } from '../../layers/adapters/campaign-repository';
import { now } from '../../layers/adapters/clock';
import type { Application } from '../../layers/domain/application';
import { categoryOf } from '../../layers/domain/categories';
import { csvDateTime, csvResponseHeaders, toCsv, type Cell } from '../../layers/domain/csv';
import { notFound } from '../../layers/domain/errors';
import { formatFiness } from '../../layers/domain/finess';
import { arsName } from '../../layers/domain/regions';
import { regionFilter } from '../../layers/http/auth';
import { httpHandler } from '../../layers/http/handler';
import type { HttpRequest } from '../../layers/http/request';
import { fundingCsv, usageCsv } from './usage-csv';

async function exportScope(request: HttpRequest) {
  const campaign = await campaignRepository.get(request.params.campaignId ?? '');
  if (!campaign) throw notFound('La campagne demandée');
  const requested = typeof request.query.ars === 'string' ? request.query.ars : undefined;
  return { campaign, ars: regionFilter(request.principal, requested) };
}

async function allApplications(campaignId: string, ars: ReturnType<typeof regionFilter>): Promise<Application[]> {
  const all: Application[] = [];
  let cursor: string | undefined;
  do {
    const page = await applicationRepository.list({ campaignId, ars, limit: 500, cursor });
    all.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return all.sort((a, b) => a.ars.localeCompare(b.ars) || a.createdAt.localeCompare(b.createdAt));
}

const APPLICATION_COLUMNS = [
  'Dossier', 'Campagne', 'FINESS', 'Nom', 'Catégorie', 'Libellé catégorie', 'Secteur', 'Mode', 'Département', 'ARS', 'Statut',
  'Contact', 'Courriel', 'Téléphone', 'Éditeur DUI', 'Produit DUI', 'Référencé Ségur', 'Compatible MES', 'DMP', 'MSSanté', 'INS',
  'Parcours', 'Échanges prévus', 'Information et formation', 'Capacité', 'Créé le', 'Déposé le', 'Note moyenne', 'Décision', 'Motivation', 'Notifiée le',
] as const;

function applicationRow(application: Application): Cell[] {
  return [
    application.id,
    application.campaignId,
    formatFiness(application.finess),
    application.name,
    application.category,
    application.category ? categoryOf(application.category)?.label : undefined,
    application.sector,
    application.mode,
    application.department,
    arsName(application.ars),
    application.status,
    application.contact?.name,
    application.contact?.email,
    application.contact?.phone,
    application.dui?.editor,
    application.dui?.product,
    application.dui?.segurReferenced,
    application.dui?.mesCapable,
    application.readiness?.dmp,
    application.readiness?.mss,
    application.readiness?.ins,
    application.pathways?.join(', '),
    application.exchanges,
    application.awarenessMeans,
    application.capacity,
    csvDateTime(application.createdAt),
    csvDateTime(application.submittedAt),
    application.review?.average,
    application.decision?.decision,
    application.decision?.motivation,
    csvDateTime(application.decision?.notifiedAt),
  ];
}

export const handler = httpHandler('exports', {
  'GET /v1/campaigns/{campaignId}/exports/applications.csv': async (request) => {
    const { campaign, ars } = await exportScope(request);
    const rows = (await allApplications(campaign.id, ars)).map(applicationRow);
    return { statusCode: 200, headers: csvResponseHeaders(`candidatures-${campaign.id}${ars ? `-${ars}` : ''}.csv`), body: toCsv(APPLICATION_COLUMNS, rows) };
  },

  'GET /v1/campaigns/{campaignId}/exports/usage.csv': async (request) => {
    const { campaign, ars } = await exportScope(request);
    return { statusCode: 200, headers: csvResponseHeaders(`usage-${campaign.id}${ars ? `-${ars}` : ''}.csv`), body: await usageCsv(campaign, ars) };
  },

  'GET /v1/campaigns/{campaignId}/exports/funding.csv': async (request) => {
    const { campaign, ars } = await exportScope(request);
    return { statusCode: 200, headers: csvResponseHeaders(`financement-${campaign.id}${ars ? `-${ars}` : ''}.csv`), body: await fundingCsv(campaign, ars, now()) };
  },
});
