import { campaignRepository } from '../../layers/adapters/campaign-repository';
import { now } from '../../layers/adapters/clock';
import { csvResponseHeaders, tableCsv } from '../../layers/domain/csv';
import { notFound } from '../../layers/domain/errors';
import { publishableTable } from '../../layers/domain/export-tables';
import { publishableRequested } from '../../layers/domain/statistical-secrecy';
import { regionFilter } from '../../layers/http/auth';
import { httpHandler } from '../../layers/http/handler';
import { binary, type HttpRequest, type HttpResponse } from '../../layers/http/request';
import { exportTables, type ExportName } from './tables';
import { tableXlsx, XLSX_CONTENT_TYPE } from './xlsx';

const fileNames: Record<ExportName, string> = { applications: 'candidatures', usage: 'usage', funding: 'financement' };

/** One export in one format: the region asked (ARS: their own), `publishable` checked before anything is read. */
async function exported(request: HttpRequest, name: ExportName, format: 'csv' | 'xlsx'): Promise<HttpResponse> {
  const published = publishableRequested(request.query);
  const campaign = await campaignRepository.get(request.params.campaignId ?? '');
  if (!campaign) throw notFound('La campagne demandée');
  const requested = typeof request.query.ars === 'string' ? request.query.ars : undefined;
  const ars = regionFilter(request.principal, requested);
  const at = now();
  const table = await exportTables[name](campaign, ars, at);
  const shown = published ? publishableTable(table) : table;
  const filename = `${fileNames[name]}-${campaign.id}${ars ? `-${ars}` : ''}${published ? '-publiable' : ''}.${format}`;
  if (format === 'xlsx') return binary(await tableXlsx(shown, at), XLSX_CONTENT_TYPE, filename);
  return { statusCode: 200, headers: csvResponseHeaders(filename), body: tableCsv(shown) };
}

export const handler = httpHandler('exports', {
  'GET /v1/campaigns/{campaignId}/exports/applications.csv': (request) => exported(request, 'applications', 'csv'),
  'GET /v1/campaigns/{campaignId}/exports/usage.csv': (request) => exported(request, 'usage', 'csv'),
  'GET /v1/campaigns/{campaignId}/exports/funding.csv': (request) => exported(request, 'funding', 'csv'),
  'GET /v1/campaigns/{campaignId}/exports/applications.xlsx': (request) => exported(request, 'applications', 'xlsx'),
  'GET /v1/campaigns/{campaignId}/exports/usage.xlsx': (request) => exported(request, 'usage', 'xlsx'),
  'GET /v1/campaigns/{campaignId}/exports/funding.xlsx': (request) => exported(request, 'funding', 'xlsx'),
});
