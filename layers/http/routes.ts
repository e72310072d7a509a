/**
 * The one route table. It drives the CDK HttpApi routes (infra/lib/api-stack.ts), the local HTTP
 * emulator (infra/local/http-emulator.ts), the authorisation check every handler runs first, and the
 * OpenAPI document. A route names the function (functions/<fn>/handler.ts) that serves it.
 */
export const functionNames = ['campaigns', 'applications', 'selection', 'conventions', 'exports', 'usage', 'docs', 'attachments', 'documents'] as const;
export type FunctionName = (typeof functionNames)[number];

/** Who may call a route at all; finer rules (owner, region) live in the handlers through layers/http/auth. */
export type Role = 'candidat' | 'ars' | 'national' | 'client';
export type Access = 'public' | readonly Role[];
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Route {
  readonly method: Method;
  readonly path: string;
  readonly fn: FunctionName;
  readonly access: Access;
  readonly summary: string;
}

export const routes: readonly Route[] = [
  { method: 'GET', path: '/v1/campaigns', fn: 'campaigns', access: 'public', summary: 'List the campaigns with their phase' },
  { method: 'POST', path: '/v1/campaigns', fn: 'campaigns', access: ['national'], summary: 'Create a campaign' },
  { method: 'GET', path: '/v1/campaigns/{campaignId}', fn: 'campaigns', access: 'public', summary: 'Read a campaign with its phase' },
  { method: 'PATCH', path: '/v1/campaigns/{campaignId}', fn: 'campaigns', access: ['national'], summary: 'Move milestones not yet passed' },
  { method: 'GET', path: '/v1/campaigns/{campaignId}/calendar.ics', fn: 'campaigns', access: 'public', summary: 'The milestones as iCalendar' },

  { method: 'POST', path: '/v1/campaigns/{campaignId}/applications', fn: 'applications', access: ['candidat'], summary: 'Create a draft application' },
  { method: 'GET', path: '/v1/campaigns/{campaignId}/applications', fn: 'applications', access: ['ars', 'national'], summary: "List a campaign's applications" },
  { method: 'GET', path: '/v1/applications/{id}', fn: 'applications', access: ['candidat', 'ars', 'national'], summary: 'Read an application' },
  { method: 'PUT', path: '/v1/applications/{id}', fn: 'applications', access: ['candidat'], summary: 'Replace the editable fields' },
  { method: 'POST', path: '/v1/applications/{id}/submit', fn: 'applications', access: ['candidat'], summary: 'Submit a draft' },
  { method: 'POST', path: '/v1/applications/{id}/withdraw', fn: 'applications', access: ['candidat'], summary: 'Withdraw before any decision' },
  { method: 'GET', path: '/v1/applications/{id}/history', fn: 'applications', access: ['candidat', 'ars', 'national'], summary: 'Every transition, oldest first' },
  { method: 'GET', path: '/v1/me/applications', fn: 'applications', access: ['candidat'], summary: "The caller's applications, all campaigns" },
  { method: 'POST', path: '/v1/applications/{id}/collaborators', fn: 'applications', access: ['candidat'], summary: 'Invite a collaborator by email' },
  { method: 'DELETE', path: '/v1/applications/{id}/collaborators/{email}', fn: 'applications', access: ['candidat'], summary: 'Remove a collaborator' },
  { method: 'POST', path: '/v1/applications/{id}/transfer', fn: 'applications', access: ['ars', 'national'], summary: 'Give the application to another account' },

  { method: 'PUT', path: '/v1/applications/{id}/review', fn: 'selection', access: ['ars', 'national'], summary: 'Score an application under review' },
  { method: 'POST', path: '/v1/applications/{id}/decision', fn: 'selection', access: ['ars', 'national'], summary: 'Retain or not, with a motivation' },
  { method: 'POST', path: '/v1/campaigns/{campaignId}/regions/{ars}/notify', fn: 'selection', access: ['ars', 'national'], summary: "Notify a region's decisions and create conventions" },

  { method: 'GET', path: '/v1/conventions/{id}', fn: 'conventions', access: ['candidat', 'ars', 'national'], summary: 'Read a convention' },
  { method: 'GET', path: '/v1/campaigns/{campaignId}/conventions', fn: 'conventions', access: ['ars', 'national'], summary: "List a campaign's conventions" },
  { method: 'POST', path: '/v1/conventions/{id}/signatures', fn: 'conventions', access: ['candidat', 'ars'], summary: 'Sign for the ESMS or for the ARS' },

  { method: 'GET', path: '/v1/applications/{id}/receipt.pdf', fn: 'documents', access: ['candidat', 'ars', 'national'], summary: 'The receipt of a submitted application (PDF)' },
  { method: 'GET', path: '/v1/conventions/{id}/document.pdf', fn: 'documents', access: ['candidat', 'ars', 'national'], summary: 'The convention as a PDF, with its signatures' },

  { method: 'GET', path: '/v1/campaigns/{campaignId}/exports/applications.csv', fn: 'exports', access: ['ars', 'national'], summary: 'Applications as CSV (one row each)' },

  { method: 'GET', path: '/v1/campaigns/{campaignId}/pilots', fn: 'usage', access: ['ars', 'national'], summary: "List a campaign's pilots" },
  { method: 'PUT', path: '/v1/campaigns/{campaignId}/pilots/{finess}/usage/{month}', fn: 'usage', access: ['candidat', 'client'], summary: "Replace a month's usage figures" },
  { method: 'POST', path: '/v1/usage-reports', fn: 'usage', access: ['client'], summary: 'Report usage figures in batches (DUI software)' },
  { method: 'POST', path: '/v1/campaigns/{campaignId}/pilots/{finess}/reporting-clients', fn: 'usage', access: ['ars', 'national'], summary: 'Authorise a machine client to report for a pilot' },
  { method: 'GET', path: '/v1/campaigns/{campaignId}/pilots/{finess}/usage', fn: 'usage', access: ['candidat', 'client', 'ars', 'national'], summary: "A pilot's months, totals, targets and funding" },
  { method: 'GET', path: '/v1/campaigns/{campaignId}/dashboard', fn: 'usage', access: ['ars', 'national'], summary: 'Key figures of a campaign, per region for national' },
  { method: 'GET', path: '/v1/campaigns/{campaignId}/exports/usage.csv', fn: 'exports', access: ['ars', 'national'], summary: 'Usage figures as CSV (one row per pilot, month and indicator)' },
  { method: 'GET', path: '/v1/campaigns/{campaignId}/exports/funding.csv', fn: 'exports', access: ['ars', 'national'], summary: 'Funding as CSV (one row per pilot)' },
  { method: 'GET', path: '/v1/campaigns/{campaignId}/exports/applications.xlsx', fn: 'exports', access: ['ars', 'national'], summary: 'Applications as XLSX (the CSV rows, typed cells)' },
  { method: 'GET', path: '/v1/campaigns/{campaignId}/exports/usage.xlsx', fn: 'exports', access: ['ars', 'national'], summary: 'Usage figures as XLSX (the CSV rows, typed cells)' },
  { method: 'GET', path: '/v1/campaigns/{campaignId}/exports/funding.xlsx', fn: 'exports', access: ['ars', 'national'], summary: 'Funding as XLSX (the CSV rows, typed cells)' },

  { method: 'POST', path: '/v1/applications/{id}/attachments', fn: 'attachments', access: ['candidat'], summary: 'Attach a document: a presigned upload' },
  { method: 'GET', path: '/v1/applications/{id}/attachments', fn: 'attachments', access: ['candidat', 'ars', 'national'], summary: "An application's attachments with their scan status" },
  { method: 'GET', path: '/v1/applications/{id}/attachments/{attachmentId}', fn: 'attachments', access: ['candidat', 'ars', 'national'], summary: 'Download a clean attachment (303 to a presigned URL)' },
  { method: 'DELETE', path: '/v1/applications/{id}/attachments/{attachmentId}', fn: 'attachments', access: ['candidat'], summary: 'Remove an attachment' },

  // The API's own documentation (layers/http/openapi.ts), public; the two Swagger UI files only.
  { method: 'GET', path: '/v1/openapi.json', fn: 'docs', access: 'public', summary: 'This API as an OpenAPI 3.1 document' },
  { method: 'GET', path: '/docs', fn: 'docs', access: 'public', summary: 'The API documentation (Swagger UI)' },
  { method: 'GET', path: '/docs/{asset}', fn: 'docs', access: 'public', summary: 'A Swagger UI file of the documentation page' },
];

export const routeKey = (route: Pick<Route, 'method' | 'path'>): string => `${route.method} ${route.path}`;

export const routesByKey: ReadonlyMap<string, Route> = new Map(routes.map((route) => [routeKey(route), route]));
