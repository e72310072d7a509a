import { randomBytes } from 'node:crypto';
import { conventionIdOf } from '../../layers/domain/convention';
import { operationDocs } from '../../layers/http/openapi';
import { responseSchemas } from '../../layers/http/openapi/schemas';
import { routeKey, routes } from '../../layers/http/routes';
import { eligibleFields, finessIn } from './support/fixtures';
import { calendar2031, closeIntake, createCampaign, IN_CONVENTIONS_2031, IN_INTAKE_2031, submittedApplication, type Submitted } from './support/flow';
import { api, roles, setClock, token, type ApiResponse } from './support/stack';

/**
 * Who may call what: every route of the route table, called by every kind of caller, against real resources
 * of a campaign of this file's own, each at the phase of the calendar where the call would succeed for a
 * caller who is allowed. A 2xx (or a 409) means "allowed"; 401, 403 and 404 mean "refused", and each must be
 * the exact one below. 2xx JSON answers are also checked against the response schema the OpenAPI document
 * gives for the route.
 */
const roleNames = ['anonymous', 'owner', 'otherCandidat', 'arsOwn', 'arsOther', 'national', 'client', 'clientOther'] as const;
type RoleName = (typeof roleNames)[number];

// The owner owns the applications (and the pilot) of region NAQ; arsOwn is ARS NAQ, arsOther ARS OCC; client is a
// DUI client registered for the pilot, clientOther one with the same scope that is not.
type Row = readonly [anonymous: number, owner: number, otherCandidat: number, arsOwn: number, arsOther: number, national: number, client: number, clientOther: number];

// prettier-ignore
const expectations: Record<string, Row> = {
  //                                                              anon owner other arsOwn arsOther national client clientOther
  'GET /v1/campaigns':                                            [200, 200, 200, 200, 200, 200, 200, 200],
  'POST /v1/campaigns':                                           [401, 403, 403, 403, 403, 201, 403, 403],
  'GET /v1/campaigns/{campaignId}':                               [200, 200, 200, 200, 200, 200, 200, 200],
  'PATCH /v1/campaigns/{campaignId}':                             [401, 403, 403, 403, 403, 200, 403, 403],
  'GET /v1/campaigns/{campaignId}/calendar.ics':                  [200, 200, 200, 200, 200, 200, 200, 200],

  'POST /v1/campaigns/{campaignId}/applications':                 [401, 201, 201, 403, 403, 403, 403, 403],
  'GET /v1/campaigns/{campaignId}/applications':                  [401, 403, 403, 200, 403, 200, 403, 403],
  'GET /v1/applications/{id}':                                    [401, 200, 404, 200, 404, 200, 403, 403],
  'PUT /v1/applications/{id}':                                    [401, 200, 404, 403, 403, 403, 403, 403],
  'POST /v1/applications/{id}/submit':                            [401, 200, 404, 403, 403, 403, 403, 403],
  'POST /v1/applications/{id}/withdraw':                          [401, 200, 404, 403, 403, 403, 403, 403],
  'GET /v1/applications/{id}/history':                            [401, 200, 404, 200, 404, 200, 403, 403],
  'GET /v1/me/applications':                                      [401, 200, 200, 403, 403, 403, 403, 403],
  'POST /v1/applications/{id}/collaborators':                     [401, 201, 404, 403, 403, 403, 403, 403],
  'DELETE /v1/applications/{id}/collaborators/{email}':           [401, 200, 404, 403, 403, 403, 403, 403],
  'POST /v1/applications/{id}/transfer':                          [401, 403, 403, 200, 404, 200, 403, 403],
  'POST /v1/applications/{id}/attachments':                       [401, 201, 404, 403, 403, 403, 403, 403],
  'GET /v1/applications/{id}/attachments':                        [401, 200, 404, 200, 404, 200, 403, 403],
  // Allowed callers are told the file is not clean (never uploaded): 409 attachment_not_clean; test/integration/attachments.test.ts follows a 303.
  'GET /v1/applications/{id}/attachments/{attachmentId}':         [401, 409, 404, 409, 404, 409, 403, 403],
  'DELETE /v1/applications/{id}/attachments/{attachmentId}':      [401, 204, 404, 403, 403, 403, 403, 403],

  'PUT /v1/applications/{id}/review':                             [401, 403, 403, 200, 404, 200, 403, 403],
  'POST /v1/applications/{id}/decision':                          [401, 403, 403, 200, 404, 200, 403, 403],
  'POST /v1/campaigns/{campaignId}/regions/{ars}/notify':         [401, 403, 403, 200, 404, 200, 403, 403],

  'GET /v1/conventions/{id}':                                     [401, 200, 404, 200, 404, 200, 403, 403],
  'GET /v1/campaigns/{campaignId}/conventions':                   [401, 403, 403, 200, 403, 200, 403, 403],
  'POST /v1/conventions/{id}/signatures':                         [401, 200, 404, 200, 404, 403, 403, 403],
  'GET /v1/applications/{id}/receipt.pdf':                        [401, 200, 404, 200, 404, 200, 403, 403],
  'GET /v1/conventions/{id}/document.pdf':                        [401, 200, 404, 200, 404, 200, 403, 403],

  'GET /v1/campaigns/{campaignId}/exports/applications.csv':      [401, 403, 403, 200, 403, 200, 403, 403],
  'GET /v1/campaigns/{campaignId}/exports/usage.csv':             [401, 403, 403, 200, 403, 200, 403, 403],
  'GET /v1/campaigns/{campaignId}/exports/funding.csv':           [401, 403, 403, 200, 403, 200, 403, 403],
  'GET /v1/campaigns/{campaignId}/exports/applications.xlsx':     [401, 403, 403, 200, 403, 200, 403, 403],
  'GET /v1/campaigns/{campaignId}/exports/usage.xlsx':            [401, 403, 403, 200, 403, 200, 403, 403],
  'GET /v1/campaigns/{campaignId}/exports/funding.xlsx':          [401, 403, 403, 200, 403, 200, 403, 403],

  'GET /v1/campaigns/{campaignId}/pilots':                        [401, 403, 403, 200, 403, 200, 403, 403],
  'PUT /v1/campaigns/{campaignId}/pilots/{finess}/usage/{month}':                        [401, 201, 404, 403, 403, 403, 201, 404],
  'POST /v1/usage-reports':                                       [401, 403, 403, 403, 403, 403, 200, 200],
  'POST /v1/campaigns/{campaignId}/pilots/{finess}/reporting-clients':                   [401, 403, 403, 201, 404, 201, 403, 403],
  'GET /v1/campaigns/{campaignId}/pilots/{finess}/usage':                                [401, 200, 404, 200, 404, 200, 200, 404],
  'GET /v1/campaigns/{campaignId}/dashboard':                     [401, 403, 403, 200, 403, 200, 403, 403],

  'GET /v1/openapi.json':                                         [200, 200, 200, 200, 200, 200, 200, 200],
  'GET /docs':                                                    [200, 200, 200, 200, 200, 200, 200, 200],
  'GET /docs/{asset}':                                            [200, 200, 200, 200, 200, 200, 200, 200],
};

const RUN = randomBytes(3).toString('hex');
const CAMPAIGN = `test-authz-${RUN}`;
const OWNER = `authz-owner-${RUN}`;
// Clients that can exist: the local stack's two DUI vendors (infra/lib/dui-vendors.ts); registrations are per pilot.
const CLIENT = 'dui-local-a';
const CLIENT_OTHER = 'dui-local-b';
const REMOVABLE = `a-retirer-${RUN}@esms.local`;
const DURING_EXPERIMENTATION = '2031-08-10T10:00:00+02:00';
const scores = { maturite_dui: 4, parcours: 4, sensibilisation: 3, partenariats: 3, capacite: 4 };

/** The resources the calls are about, created through the API as the phases go by. */
interface World {
  drafts: { edit: string; submit: string; withdraw: string; collaborators: string };
  transfer: Submitted;
  read: Submitted;
  review: Submitted;
  decision: Submitted;
  pilot: Submitted;
  signing: Submitted;
  attachments: { read: string; removable: string };
}
const world = {} as World;
const tokens = {} as Record<RoleName, string | undefined>;

type Phase = 'intake' | 'selection' | 'conventions' | 'experimentation';
interface Call {
  readonly path: string;
  readonly body?: unknown;
}
interface Case {
  readonly phase: Phase;
  readonly call: (role: RoleName) => Call;
  /** Assertions beyond the status, per role. */
  readonly check?: Partial<Record<RoleName, (response: ApiResponse) => void>>;
}

const usage = (month: string) => ({ 'mss.usagers': Number(month.slice(5)) });
// Each allowed caller writes its own thing, so that the order of the calls never changes a status.
const reportMonth: Record<RoleName, string> = { anonymous: '2031-08', owner: '2031-06', otherCandidat: '2031-08', arsOwn: '2031-08', arsOther: '2031-08', national: '2031-08', client: '2031-07', clientOther: '2031-08' };
const party = (role: RoleName) => (role.startsWith('ars') || role === 'national' ? 'ars' : 'esms');

const cases: Record<string, Case> = {
  'GET /v1/campaigns': { phase: 'experimentation', call: () => ({ path: '/v1/campaigns' }) },
  'POST /v1/campaigns': { phase: 'intake', call: (role) => ({ path: '/v1/campaigns', body: { id: `${CAMPAIGN}-${role.toLowerCase()}`, title: 'Campagne créée par la matrice', ...calendar2031 } }) },
  'GET /v1/campaigns/{campaignId}': { phase: 'experimentation', call: () => ({ path: `/v1/campaigns/${CAMPAIGN}` }) },
  'PATCH /v1/campaigns/{campaignId}': { phase: 'intake', call: () => ({ path: `/v1/campaigns/${CAMPAIGN}`, body: { title: 'Campagne de la matrice des droits' } }) },
  'GET /v1/campaigns/{campaignId}/calendar.ics': { phase: 'experimentation', call: () => ({ path: `/v1/campaigns/${CAMPAIGN}/calendar.ics` }) },

  'POST /v1/campaigns/{campaignId}/applications': { phase: 'intake', call: () => ({ path: `/v1/campaigns/${CAMPAIGN}/applications`, body: { finess: finessIn('33'), ...eligibleFields() } }) },
  'GET /v1/campaigns/{campaignId}/applications': { phase: 'selection', call: () => ({ path: `/v1/campaigns/${CAMPAIGN}/applications?ars=NAQ` }) },
  'GET /v1/applications/{id}': { phase: 'selection', call: () => ({ path: `/v1/applications/${world.read.id}` }) },
  'PUT /v1/applications/{id}': { phase: 'intake', call: () => ({ path: `/v1/applications/${world.drafts.edit}`, body: eligibleFields({ name: 'EHPAD Les Acacias' }) }) },
  'POST /v1/applications/{id}/submit': { phase: 'intake', call: () => ({ path: `/v1/applications/${world.drafts.submit}/submit` }) },
  'POST /v1/applications/{id}/withdraw': { phase: 'intake', call: () => ({ path: `/v1/applications/${world.drafts.withdraw}/withdraw` }) },
  'GET /v1/applications/{id}/history': { phase: 'selection', call: () => ({ path: `/v1/applications/${world.read.id}/history` }) },
  'GET /v1/me/applications': {
    phase: 'selection',
    call: () => ({ path: '/v1/me/applications' }),
    check: {
      owner: (response) => expect(response.json.items.map((item: { id: string }) => item.id)).toContain(world.read.id),
      otherCandidat: (response) => expect(response.json.items.map((item: { id: string }) => item.id)).not.toContain(world.read.id),
    },
  },
  'POST /v1/applications/{id}/collaborators': { phase: 'intake', call: (role) => ({ path: `/v1/applications/${world.drafts.edit}/collaborators`, body: { email: `invite-${role.toLowerCase()}-${RUN}@esms.local` } }) },
  'DELETE /v1/applications/{id}/collaborators/{email}': { phase: 'intake', call: () => ({ path: `/v1/applications/${world.drafts.collaborators}/collaborators/${encodeURIComponent(REMOVABLE)}` }) },
  'POST /v1/applications/{id}/attachments': { phase: 'intake', call: () => ({ path: `/v1/applications/${world.drafts.edit}/attachments`, body: { name: 'budget.pdf', contentType: 'application/pdf', size: 1000 } }) },
  'GET /v1/applications/{id}/attachments': { phase: 'selection', call: () => ({ path: `/v1/applications/${world.read.id}/attachments` }) },
  'GET /v1/applications/{id}/attachments/{attachmentId}': { phase: 'selection', call: () => ({ path: `/v1/applications/${world.read.id}/attachments/${world.attachments.read}` }) },
  'DELETE /v1/applications/{id}/attachments/{attachmentId}': { phase: 'intake', call: () => ({ path: `/v1/applications/${world.drafts.collaborators}/attachments/${world.attachments.removable}` }) },
  'POST /v1/applications/{id}/transfer': { phase: 'selection', call: (role) => ({ path: `/v1/applications/${world.transfer.id}/transfer`, body: { email: `repreneur-${role.toLowerCase()}-${RUN}@esms.local`, motivation: 'Compte du représentant légal.' } }) },

  'PUT /v1/applications/{id}/review': { phase: 'selection', call: () => ({ path: `/v1/applications/${world.review.id}/review`, body: { scores, comment: 'Dossier complet.' } }) },
  'POST /v1/applications/{id}/decision': {
    phase: 'selection',
    call: () => ({ path: `/v1/applications/${world.decision.id}/decision`, body: { decision: 'non_retenue', motivation: 'Parcours encore trop peu décrits.' } }),
  },
  'POST /v1/campaigns/{campaignId}/regions/{ars}/notify': { phase: 'selection', call: () => ({ path: `/v1/campaigns/${CAMPAIGN}/regions/NAQ/notify` }) },

  'GET /v1/conventions/{id}': { phase: 'conventions', call: () => ({ path: `/v1/conventions/${conventionIdOf(world.pilot.id)}` }) },
  'GET /v1/campaigns/{campaignId}/conventions': { phase: 'conventions', call: () => ({ path: `/v1/campaigns/${CAMPAIGN}/conventions?ars=NAQ` }) },
  'POST /v1/conventions/{id}/signatures': { phase: 'conventions', call: (role) => ({ path: `/v1/conventions/${conventionIdOf(world.signing.id)}/signatures`, body: { party: party(role) } }) },
  'GET /v1/applications/{id}/receipt.pdf': { phase: 'selection', call: () => ({ path: `/v1/applications/${world.read.id}/receipt.pdf` }) },
  'GET /v1/conventions/{id}/document.pdf': { phase: 'conventions', call: () => ({ path: `/v1/conventions/${conventionIdOf(world.pilot.id)}/document.pdf` }) },

  'GET /v1/campaigns/{campaignId}/exports/applications.csv': { phase: 'experimentation', call: () => ({ path: `/v1/campaigns/${CAMPAIGN}/exports/applications.csv?ars=NAQ` }) },
  'GET /v1/campaigns/{campaignId}/exports/usage.csv': { phase: 'experimentation', call: () => ({ path: `/v1/campaigns/${CAMPAIGN}/exports/usage.csv?ars=NAQ` }) },
  'GET /v1/campaigns/{campaignId}/exports/funding.csv': { phase: 'experimentation', call: () => ({ path: `/v1/campaigns/${CAMPAIGN}/exports/funding.csv?ars=NAQ` }) },
  'GET /v1/campaigns/{campaignId}/exports/applications.xlsx': { phase: 'experimentation', call: () => ({ path: `/v1/campaigns/${CAMPAIGN}/exports/applications.xlsx?ars=NAQ` }) },
  'GET /v1/campaigns/{campaignId}/exports/usage.xlsx': { phase: 'experimentation', call: () => ({ path: `/v1/campaigns/${CAMPAIGN}/exports/usage.xlsx?ars=NAQ&publishable=true` }) },
  'GET /v1/campaigns/{campaignId}/exports/funding.xlsx': { phase: 'experimentation', call: () => ({ path: `/v1/campaigns/${CAMPAIGN}/exports/funding.xlsx?ars=NAQ` }) },

  'GET /v1/campaigns/{campaignId}/pilots': { phase: 'experimentation', call: () => ({ path: `/v1/campaigns/${CAMPAIGN}/pilots?ars=NAQ` }) },
  'PUT /v1/campaigns/{campaignId}/pilots/{finess}/usage/{month}': {
    phase: 'experimentation',
    call: (role) => ({ path: `/v1/campaigns/${CAMPAIGN}/pilots/${world.pilot.finess}/usage/${reportMonth[role]}`, body: { indicators: usage(reportMonth[role]) } }),
  },
  'POST /v1/usage-reports': {
    phase: 'experimentation',
    call: () => ({ path: '/v1/usage-reports', body: { campaignId: CAMPAIGN, reports: [{ finess: world.pilot.finess, month: '2031-08', indicators: { 'mss.professionnels': 3 } }] } }),
    // The batch answers 200 to any reporting client; the refusal of a pilot it does not serve is per report.
    check: {
      client: (response) => expect(response.json.results).toEqual([expect.objectContaining({ index: 0, status: 'acceptee' })]),
      clientOther: (response) => expect(response.json.results).toEqual([expect.objectContaining({ index: 0, status: 'refusee', code: 'not_found' })]),
    },
  },
  // On the other pilot (its convention signed above), so that clientOther stays a stranger to world.pilot;
  // each allowed role registers a vendor not registered yet, hence 201 for both.
  'POST /v1/campaigns/{campaignId}/pilots/{finess}/reporting-clients': {
    phase: 'experimentation',
    call: (role) => ({ path: `/v1/campaigns/${CAMPAIGN}/pilots/${world.signing.finess}/reporting-clients`, body: { clientId: role === 'national' ? CLIENT_OTHER : CLIENT } }),
  },
  'GET /v1/campaigns/{campaignId}/pilots/{finess}/usage': { phase: 'experimentation', call: () => ({ path: `/v1/campaigns/${CAMPAIGN}/pilots/${world.pilot.finess}/usage` }) },
  'GET /v1/campaigns/{campaignId}/dashboard': { phase: 'experimentation', call: () => ({ path: `/v1/campaigns/${CAMPAIGN}/dashboard?ars=NAQ` }) },

  'GET /v1/openapi.json': { phase: 'experimentation', call: () => ({ path: '/v1/openapi.json' }) },
  'GET /docs': { phase: 'experimentation', call: () => ({ path: '/docs' }) },
  'GET /docs/{asset}': { phase: 'experimentation', call: () => ({ path: '/docs/swagger-ui.css' }) },
};

function expectOk(response: ApiResponse, status: number, what: string): ApiResponse {
  if (response.status !== status) throw new Error(`${what}: expected ${status}, got ${response.status} ${response.text}`);
  return response;
}

/** What each phase needs before its calls, in calendar order; each step goes through the API. */
const setUp: Record<Phase, () => Promise<void>> = {
  intake: async () => {
    await createCampaign(CAMPAIGN);
    await setClock(IN_INTAKE_2031);
    const draft = async () =>
      expectOk(await api('POST', `/v1/campaigns/${CAMPAIGN}/applications`, { token: tokens.owner, body: { finess: finessIn('33'), ...eligibleFields() } }), 201, 'draft').json.id as string;
    world.drafts = { edit: await draft(), submit: await draft(), withdraw: await draft(), collaborators: await draft() };
    expectOk(await api('POST', `/v1/applications/${world.drafts.collaborators}/collaborators`, { token: tokens.owner, body: { email: REMOVABLE } }), 201, 'invite');
    for (const name of ['read', 'review', 'decision', 'pilot', 'signing', 'transfer'] as const) world[name] = await submittedApplication(CAMPAIGN, '33', OWNER);
    const attachment = async (id: string) =>
      expectOk(await api('POST', `/v1/applications/${id}/attachments`, { token: tokens.owner, body: { name: 'statuts.pdf', contentType: 'application/pdf', size: 2000 } }), 201, 'attachment').json.id as string;
    world.attachments = { read: await attachment(world.read.id), removable: await attachment(world.drafts.collaborators) };
  },
  selection: async () => {
    await closeIntake(CAMPAIGN);
    for (const application of [world.pilot, world.signing]) {
      const body = { decision: 'retenue', motivation: 'Projet solide et DUI référencé Ségur.' };
      expectOk(await api('POST', `/v1/applications/${application.id}/decision`, { token: tokens.arsOwn, body }), 200, 'decision');
    }
    expectOk(await api('POST', `/v1/campaigns/${CAMPAIGN}/regions/NAQ/notify`, { token: tokens.arsOwn }), 200, 'notify');
  },
  conventions: async () => {
    await setClock(IN_CONVENTIONS_2031);
    const signatures = `/v1/conventions/${conventionIdOf(world.pilot.id)}/signatures`;
    expectOk(await api('POST', signatures, { token: tokens.owner, body: { party: 'esms' } }), 200, 'esms signature');
    expectOk(await api('POST', signatures, { token: tokens.arsOwn, body: { party: 'ars' } }), 200, 'ars signature');
    const registered = await api('POST', `/v1/campaigns/${CAMPAIGN}/pilots/${world.pilot.finess}/reporting-clients`, { token: tokens.arsOwn, body: { clientId: CLIENT } });
    expectOk(registered, 201, 'reporting client');
  },
  experimentation: () => setClock(DURING_EXPERIMENTATION),
};

const methodOf = (key: string) => key.slice(0, key.indexOf(' '));
// A 401 is API Gateway's (its authorizer's body, `message`); 403 and 404 are the functions' problems (`code`).
const refusalCodes: Record<number, string> = { 401: 'Unauthorized', 403: 'forbidden', 404: 'not_found' };
/** `200`, or `403 forbidden`: the status with the problem code a refusal must carry. */
const outcome = (status: number, code?: string) => (status in refusalCodes ? `${status} ${code ?? '(no problem code)'}` : String(status));

beforeAll(async () => {
  tokens.anonymous = undefined;
  tokens.owner = await roles.candidat(OWNER);
  tokens.otherCandidat = await roles.candidat(`authz-other-${RUN}`);
  tokens.arsOwn = await roles.ars('NAQ');
  tokens.arsOther = await roles.ars('OCC');
  tokens.national = await roles.national();
  tokens.client = await token({ sub: CLIENT, clientId: CLIENT, scope: 'usage/write' });
  tokens.clientOther = await token({ sub: CLIENT_OTHER, clientId: CLIENT_OTHER, scope: 'usage/write' });
});
afterAll(() => setClock(null));

it('has expectations and a call for every route of the route table, and for nothing else', () => {
  const table = routes.map(routeKey).sort();
  expect({ expectations: Object.keys(expectations).sort(), calls: Object.keys(cases).sort() }).toEqual({ expectations: table, calls: table });
});

const phases: Phase[] = ['intake', 'selection', 'conventions', 'experimentation'];
const routeKeys = new Set(routes.map(routeKey));

describe.each(phases)('during the %s phase', (phase) => {
  beforeAll(() => setUp[phase]());

  const keys = Object.keys(cases).filter((key) => cases[key]!.phase === phase && routeKeys.has(key) && expectations[key]);
  it.each(keys)('%s', async (key) => {
    const { call, check } = cases[key]!;
    const schemaName = operationDocs[key]?.success.schema;
    const expected: Record<string, string> = {};
    const actual: Record<string, string> = {};
    const shapeProblems: string[] = [];
    for (const [index, role] of roleNames.entries()) {
      const { path, body } = call(role);
      const response = await api(methodOf(key), path, { token: tokens[role], ...(body === undefined ? {} : { body }) });
      const status = expectations[key]![index]!;
      expected[role] = outcome(status, refusalCodes[status]);
      const refusal = response.status === 401 ? response.json?.message : /problem\+json/.test(response.headers.get('content-type') ?? '') ? response.json?.code : undefined;
      actual[role] = outcome(response.status, response.status in refusalCodes ? refusal : undefined);
      if (response.status >= 200 && response.status < 300) {
        check?.[role]?.(response);
        const parsed = schemaName ? responseSchemas[schemaName].safeParse(response.json) : undefined;
        if (parsed && !parsed.success) shapeProblems.push(`${role}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
      }
    }
    expect({ key, outcomes: actual }).toEqual({ key, outcomes: expected });
    expect({ key, answersNotMatchingTheDocumentedSchema: shapeProblems }).toEqual({ key, answersNotMatchingTheDocumentedSchema: [] });
  });
});
