/**
 * The one route table. It drives the CDK HttpApi routes (infra/lib/api-stack.ts), the local HTTP
 * emulator (infra/local/http-emulator.ts), the authorisation check every handler runs first, and the
 * OpenAPI document. A route names the function (functions/<fn>/handler.ts) that serves it.
 */
export const functionNames = ['campaigns'] as const;
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
];

export const routeKey = (route: Pick<Route, 'method' | 'path'>): string => `${route.method} ${route.path}`;

export const routesByKey: ReadonlyMap<string, Route> = new Map(routes.map((route) => [routeKey(route), route]));
