import { conventionIdOf } from '../../layers/domain/convention';
import { defaultIndicatorCodes } from '../../layers/domain/indicators';
import { routesByKey } from '../../layers/http/routes';
import { DEFAULT_CAMPAIGN, DURING_INTAKE, eligibleFields, finessIn } from '../integration/support/fixtures';

/**
 * The programme's main operations, in the order a campaign lives them, against a platform: the local stack
 * through HTTP (latency) or the handler modules in process (DynamoDB calls and capacity). Both run the same
 * requests, so the figures of one can be set beside the other's.
 */
export interface Identity {
  readonly sub: string;
  readonly email?: string;
  readonly groups?: readonly string[];
}

export interface ApiRequest {
  /** A key of the route table, e.g. `POST /v1/applications/{id}/submit`. */
  readonly route: string;
  readonly params?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string>>;
  readonly as?: Identity;
  readonly body?: unknown;
}

export interface ApiReply {
  readonly status: number;
  readonly text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly json: any;
}

export interface Platform {
  /** With an operation name, the call is one measured sample of that operation. */
  call(request: ApiRequest, operation?: Operation): Promise<ApiReply>;
  setClock(instant: string): Promise<void>;
  runMilestones(campaignId: string): Promise<void>;
}

export const operations = {
  create: 'create',
  submit: 'submit',
  read: 'read an application',
  list: 'list 50 applications (ARS)',
  decide: 'decide',
  notify: 'notify a region',
  signEsms: 'sign (ESMS)',
  signArs: 'sign (ARS, completes)',
  report: 'report a month',
} as const;
export type Operation = (typeof operations)[keyof typeof operations];

/** The operations issue 7 names; the others feed the cost model. */
export const mainOperations: readonly Operation[] = [operations.create, operations.submit, operations.decide, operations.signEsms, operations.signArs, operations.report];

export const REPORT_ROUTE = 'PUT /v1/campaigns/{campaignId}/pilots/{finess}/usage/{month}';
export const reportRouteExists = (): boolean => routesByKey.has(REPORT_ROUTE);

// The default campaign (layers/domain/default-campaign.ts): one instant in each phase.
const CAMPAIGN = DEFAULT_CAMPAIGN;
const IN_SELECTION = '2023-11-10T10:00:00+01:00';
const IN_CONVENTIONS = '2024-01-10T10:00:00+01:00';
const IN_EXPERIMENTATION = '2024-04-10T10:00:00+02:00';
const REPORTED_MONTH = '2024-03';

const reviewer: Identity = { sub: 'bench-ars-naq', email: 'instruction@ars-naq.local', groups: ['ars-NAQ'] };
const owner = (index: number): Identity => ({ sub: `bench-owner-${index}`, email: `bench-owner-${index}@esms.local`, groups: ['candidat'] });

/** Every indicator of the campaign, as a DUI reports them each month. */
const monthlyFigures = Object.fromEntries(defaultIndicatorCodes.map((code, index) => [code, 10 + index]));

export interface ScenarioResult {
  /** Applications taken through the whole programme. */
  readonly applications: number;
  /** Operations not measured, and why (a failed step stops the ones after it). */
  readonly skipped: { operation: string; reason: string }[];
}

class StepFailed extends Error {}

function expectStatus(reply: ApiReply, expected: number[], what: string): void {
  if (!expected.includes(reply.status)) throw new StepFailed(`${what}: HTTP ${reply.status} ${reply.text.slice(0, 300)}`);
}

/** `count` applications from creation to their first usage report, in Nouvelle-Aquitaine (Gironde). */
export async function runScenario(platform: Platform, count: number): Promise<ScenarioResult> {
  const skipped: ScenarioResult['skipped'] = [];
  const order: Operation[] = [...Object.values(operations)];
  const skipFrom = (operation: Operation, reason: string) => {
    for (const later of order.slice(order.indexOf(operation))) if (!skipped.some((entry) => entry.operation === later)) skipped.push({ operation: later, reason });
  };
  let current: Operation = operations.create;
  try {
    await platform.setClock(DURING_INTAKE);
    const ids: string[] = [];
    const finesses: string[] = [];
    for (let index = 0; index < count; index += 1) {
      const as = owner(index);
      const finess = finessIn('33');
      current = operations.create;
      const body = { finess, ...eligibleFields({ contact: { name: 'Direction', email: as.email } }) };
      const created = await platform.call({ route: 'POST /v1/campaigns/{campaignId}/applications', params: { campaignId: CAMPAIGN }, as, body }, current);
      expectStatus(created, [201], current);
      current = operations.submit;
      expectStatus(await platform.call({ route: 'POST /v1/applications/{id}/submit', params: { id: created.json.id }, as }, current), [200], current);
      current = operations.read;
      expectStatus(await platform.call({ route: 'GET /v1/applications/{id}', params: { id: created.json.id }, as }, current), [200], current);
      ids.push(created.json.id as string);
      finesses.push(finess);
    }

    await platform.setClock(IN_SELECTION);
    await platform.runMilestones(CAMPAIGN);
    current = operations.list;
    for (let index = 0; index < Math.max(1, Math.floor(count / 4)); index += 1) {
      const reply = await platform.call({ route: 'GET /v1/campaigns/{campaignId}/applications', params: { campaignId: CAMPAIGN }, query: { limit: '50' }, as: reviewer }, current);
      expectStatus(reply, [200], current);
    }
    current = operations.decide;
    for (const id of ids) {
      const body = { decision: 'retenue', motivation: 'Projet solide, DUI référencé Ségur, parcours personnes âgées détaillé.' };
      expectStatus(await platform.call({ route: 'POST /v1/applications/{id}/decision', params: { id }, as: reviewer, body }, current), [200], current);
    }

    await platform.setClock(IN_CONVENTIONS);
    current = operations.notify;
    const notified = await platform.call({ route: 'POST /v1/campaigns/{campaignId}/regions/{ars}/notify', params: { campaignId: CAMPAIGN, ars: 'NAQ' }, as: reviewer }, current);
    expectStatus(notified, [200], current);
    if (notified.json.conventionsCreated !== count) throw new StepFailed(`${current}: ${notified.text}`);
    for (const [index, id] of ids.entries()) {
      const params = { id: conventionIdOf(id) };
      current = operations.signEsms;
      expectStatus(await platform.call({ route: 'POST /v1/conventions/{id}/signatures', params, as: owner(index), body: { party: 'esms' } }, current), [200], current);
      current = operations.signArs;
      expectStatus(await platform.call({ route: 'POST /v1/conventions/{id}/signatures', params, as: reviewer, body: { party: 'ars' } }, current), [200], current);
    }

    current = operations.report;
    if (!reportRouteExists()) {
      skipFrom(current, `no route ${REPORT_ROUTE} in layers/http/routes.ts`);
      return { applications: count, skipped };
    }
    await platform.setClock(IN_EXPERIMENTATION);
    for (const [index, finess] of finesses.entries()) {
      const reply = await platform.call({ route: REPORT_ROUTE, params: { campaignId: CAMPAIGN, finess, month: REPORTED_MONTH }, as: owner(index), body: { indicators: monthlyFigures } }, current);
      expectStatus(reply, [201], current);
    }
    return { applications: count, skipped };
  } catch (error) {
    if (!(error instanceof StepFailed)) throw error;
    skipFrom(current, error.message);
    return { applications: count, skipped };
  }
}
