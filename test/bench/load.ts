import autocannon from 'autocannon';
import { eligibleFields, finessIn } from '../integration/support/fixtures';
import type { HttpPlatform } from './http-platform';
import { calendarOf } from '../support/calendars';

/**
 * A bounded load on the local stack, over loopback: each client creates an application, reads it back,
 * reads the campaign, and lists a page of applications as national staff, over and over. A campaign of its
 * own, in its intake window, so the scenario's data is not touched.
 */
export interface LoadResult {
  readonly connections: number;
  readonly seconds: number;
  readonly requests: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly statusCodes: Record<string, number>;
}

const CAMPAIGN = 'bench-load';
const calendar = calendarOf(2031);
const IN_INTAKE = '2031-02-10T10:00:00+01:00';
// Spread over several regions and their index partitions, as a national campaign is.
const departments = ['33', '75', '69', '13', '59', '31', '44', '67'];

export async function runLoad(platform: HttpPlatform, apiUrl: string, connections: number, seconds: number): Promise<LoadResult> {
  const national = { sub: 'bench-national', email: 'equipe@national.local', groups: ['national'] };
  const created = await platform.call({ route: 'POST /v1/campaigns', as: national, body: { id: CAMPAIGN, title: 'Campagne de charge', ...calendar } });
  if (created.status !== 201) throw new Error(`load campaign: ${created.status} ${created.text}`);
  await platform.setClock(IN_INTAKE);
  // As many applicants as an ESMS campaign has: each holds a few drafts, far under the 50 an account may hold.
  const owners: string[] = [];
  for (let start = 0; start < connections * 20; start += 50) {
    owners.push(...(await Promise.all(Array.from({ length: 50 }, (_, offset) => platform.token({ sub: `bench-load-${start + offset}`, email: `bench-load-${start + offset}@esms.local`, groups: ['candidat'] })))));
  }
  const staff = await platform.token(national);
  let next = 0;
  const json = { 'content-type': 'application/json' };

  const result = await autocannon({
    url: apiUrl,
    connections,
    duration: seconds,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: `/v1/campaigns/${CAMPAIGN}/applications`,
        setupRequest: (request, context) => {
          next += 1;
          context.owner = owners[next % owners.length]!;
          const body = { finess: finessIn(departments[next % departments.length]!), ...eligibleFields() };
          return { ...request, headers: { ...json, authorization: `Bearer ${String(context.owner)}` }, body: JSON.stringify(body) };
        },
        onResponse: (status, body, context) => {
          if (status === 201) context.id = (JSON.parse(body) as { id: string }).id;
        },
      },
      {
        method: 'GET',
        setupRequest: (request, context) => ({ ...request, path: `/v1/applications/${String(context.id)}`, headers: { authorization: `Bearer ${String(context.owner)}` } }),
      },
      { method: 'GET', path: `/v1/campaigns/${CAMPAIGN}` },
      { method: 'GET', path: `/v1/campaigns/${CAMPAIGN}/applications?limit=20`, headers: { authorization: `Bearer ${staff}` } },
    ],
  });
  return {
    connections,
    seconds: result.duration,
    requests: result.requests.total,
    perSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, stats]) => [code, Number(stats.count)])),
  };
}
