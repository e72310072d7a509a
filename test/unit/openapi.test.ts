import { applicationView, newApplication, replaceFields, submit } from '../../layers/domain/application';
import { campaignCreateSchema, newCampaign, viewCampaign } from '../../layers/domain/campaign';
import { conventionView, newConvention, sign } from '../../layers/domain/convention';
import { dashboardView } from '../../layers/domain/dashboard';
import { errorCodes } from '../../layers/domain/errors';
import { pilotOf } from '../../layers/domain/pilot';
import { decide, markNotified, review } from '../../layers/domain/selection';
import { planReport } from '../../layers/domain/usage';
import { openApiDocument, operationDocs } from '../../layers/http/openapi';
import { responseSchemas } from '../../layers/http/openapi/schemas';
import { problemKinds } from '../../layers/http/problem';
import { routeKey, routes } from '../../layers/http/routes';
import { pilotUsageView } from '../../functions/usage/views';
import { calendarOf } from '../support/calendars';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const methods = ['get', 'put', 'post', 'patch', 'delete'];
const doc: Json = openApiDocument({ serverUrl: 'https://api.mes-pilotes.example' });
const operations = Object.entries(doc.paths as Record<string, Record<string, Json>>).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([method]) => methods.includes(method))
    .map(([method, operation]) => ({ key: `${method.toUpperCase()} ${path}`, operation: operation as Json })),
);
const operationOf = (key: string): Json => operations.find((entry) => entry.key === key)!.operation;

describe('the OpenAPI registry (layers/http/openapi.ts)', () => {
  it('documents every route of the route table, and nothing else', () => {
    const table = routes.map(routeKey);
    const documented = Object.keys(operationDocs);
    expect({ routesWithoutDocs: table.filter((key) => !documented.includes(key)), docsWithoutRoute: documented.filter((key) => !table.includes(key)) }).toEqual({
      routesWithoutDocs: [],
      docsWithoutRoute: [],
    });
  });

  it('gives every operation its own operationId', () => {
    const ids = Object.values(operationDocs).map((entry) => entry.operationId);
    expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
  });
});

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 with one operation per route, carrying its summary, tag and access', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(operations.map((entry) => entry.key).sort()).toEqual(routes.map(routeKey).sort());
    for (const route of routes) {
      expect(operationOf(routeKey(route))).toMatchObject({ summary: route.summary, tags: [route.fn], 'x-access': route.access === 'public' ? 'public' : [...route.access] });
    }
    expect((doc.tags as { name: string }[]).map((tag) => tag.name).sort()).toEqual([...new Set(routes.map((route) => route.fn))].sort());
  });

  it('asks a bearer JWT on protected routes, the usage/write scope where DUI software may call, nothing on public ones', () => {
    for (const route of routes) {
      const { security } = operationOf(routeKey(route));
      if (route.access === 'public') expect(security).toBeUndefined();
      else {
        const people = route.access.some((role) => role !== 'client');
        expect(security).toEqual([...(people ? [{ cognito: [] }] : []), ...(route.access.includes('client') ? [{ duiClient: ['usage/write'] }] : [])]);
      }
    }
    expect(operationOf('POST /v1/usage-reports').security).toEqual([{ duiClient: ['usage/write'] }]);
  });

  it('answers every error as a Problem whose code belongs to errors.ts and matches the status', () => {
    expect(doc.components.schemas).toHaveProperty('Problem.properties.code.enum', [...errorCodes]);
    for (const { key, operation } of operations) {
      for (const [status, response] of Object.entries(operation.responses as Record<string, Json>)) {
        if (Number(status) < 400) continue;
        const [problemRef, narrowed] = response.content['application/problem+json'].schema.allOf;
        expect(problemRef).toEqual({ $ref: '#/components/schemas/Problem' });
        for (const code of narrowed.properties.code.enum as (keyof typeof problemKinds)[]) {
          expect({ key, code, status: problemKinds[code].status }).toEqual({ key, code, status: Number(status) });
        }
      }
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['429', '500']));
    }
  });

  it('lists the errors of the contract where they apply', () => {
    const codesOf = (key: string) => Object.values(operationOf(key).responses as Record<string, Json>).flatMap((response) => response.content?.['application/problem+json']?.schema.allOf[1].properties.code.enum ?? []);
    expect(codesOf('POST /v1/campaigns/{campaignId}/applications')).toEqual(
      expect.arrayContaining(['validation_failed', 'finess_invalid', 'unauthenticated', 'forbidden', 'payload_too_large', 'unsupported_media_type', 'intake_not_open', 'intake_closed', 'duplicate_finess', 'wrong_region', 'idempotency_key_reused']),
    );
    expect(codesOf('POST /v1/applications/{id}/decision')).toEqual(expect.arrayContaining(['selection_closed', 'quota_reached', 'version_conflict', 'not_found']));
    expect(codesOf('GET /v1/campaigns')).not.toContain('unauthenticated');
  });

  it('pages every list with limit and cursor and answers { items, nextCursor }', () => {
    for (const { key, operation } of operations) {
      const ref: string | undefined = operation.responses['200']?.content?.['application/json']?.schema.$ref;
      if (!ref?.endsWith('Page') || ref.endsWith('HistoryPage')) continue;
      expect({ key, params: operation.parameters.map((param: Json) => param.$ref).filter(Boolean) }).toEqual({
        key,
        params: expect.arrayContaining(['#/components/parameters/Limit', '#/components/parameters/Cursor']),
      });
      const page = doc.components.schemas[ref.split('/').pop()!];
      expect(page.required).toEqual(['items', 'nextCursor']);
    }
  });

  it('describes request bodies with the handlers\' schemas: unknown fields refused, defaults optional', () => {
    const create = doc.components.schemas.ApplicationCreate;
    expect(create).toMatchObject({ additionalProperties: false, required: ['finess'] });
    expect(doc.components.schemas.CampaignCreate.required).not.toContain('fundingPerPilotEur');
    expect(operationOf('PUT /v1/applications/{id}').requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ApplicationEdit' });
    expect(doc.components.schemas.DecisionInput.properties.motivation).toMatchObject({ minLength: 1, maxLength: 2000 });
  });

  it('announces ETag, If-Match, Idempotency-Key and Location where the handlers use them', () => {
    const put = operationOf('PUT /v1/applications/{id}');
    expect(put.parameters).toContainEqual({ $ref: '#/components/parameters/IfMatch' });
    expect(put.responses['200'].headers).toHaveProperty('ETag');
    const create = operationOf('POST /v1/campaigns/{campaignId}/applications');
    expect(create.parameters).toContainEqual({ $ref: '#/components/parameters/IdempotencyKey' });
    expect(Object.keys(create.responses['201'].headers).sort()).toEqual(['ETag', 'Idempotent-Replayed', 'Location']);
    expect(operationOf('PUT /v1/campaigns/{campaignId}/pilots/{finess}/usage/{month}').responses).toHaveProperty('200');
  });

  it('keeps only the schemas some operation uses', () => {
    const text = JSON.stringify(doc.paths);
    const reachable = new Set<string>();
    const visit = (json: string) => [...json.matchAll(/#\/components\/schemas\/(\w+)/g)].forEach(([, name]) => {
      if (reachable.has(name!)) return;
      reachable.add(name!);
      visit(JSON.stringify(doc.components.schemas[name!]));
    });
    visit(text);
    expect(Object.keys(doc.components.schemas).sort()).toEqual([...reachable].sort());
  });
});

describe('response schemas accept what the domain views return', () => {
  const at = (iso: string) => new Date(iso);
  const campaign = newCampaign(
    campaignCreateSchema.parse({
      id: 'unit-openapi',
      title: 'Campagne unitaire',
      ...calendarOf(2031),
      targets: { 'mss.usagers': 100 },
      arsContacts: { NAQ: 'mes@ars-naq.example' },
    }),
    at('2030-12-01T10:00:00+01:00'),
  );
  const fields = {
    name: 'EHPAD Les Tilleuls',
    category: '500',
    contact: { name: 'Claire Martin', email: 'direction@ehpad.example' },
    dui: { editor: 'Éditeur', product: 'DUI', segurReferenced: true, mesCapable: true },
    readiness: { dmp: 'en_cours' as const },
    pathways: ['personnes_agees' as const],
    exchanges: 'DLU',
    awarenessMeans: 'Réunions',
    capacity: 80,
  };
  const draft = newApplication({ id: 'MES-0000UNIT', campaignId: campaign.id, ownerId: 'owner', ownerEmail: 'owner@esms.example', create: { finess: '330780115' }, now: at('2031-02-01T10:00:00+01:00') });
  const submitted = submit(replaceFields(draft, fields, at('2031-02-02T10:00:00+01:00')), at('2031-02-03T10:00:00+01:00'));
  const inReview = { ...submitted, status: 'en_instruction' as const };
  const scores = { maturite_dui: 4, parcours: 5, sensibilisation: 3, partenariats: 4, capacite: 2 };
  const decided = decide(review(inReview, { scores, comment: 'Bon' }, 'ars-NAQ:x', at('2031-03-10T10:00:00+01:00')), { decision: 'retenue', motivation: 'Solide' }, 'ars-NAQ:x', at('2031-03-11T10:00:00+01:00'));
  const notified = markNotified(decided, at('2031-03-12T10:00:00+01:00'));

  it('Campaign', () => {
    for (const now of ['2030-12-01T10:00:00+01:00', '2031-07-01T10:00:00+02:00']) responseSchemas.Campaign.parse(viewCampaign(campaign, at(now)));
  });

  it('Application, for staff and for the applicant, at every step', () => {
    for (const application of [draft, submitted, inReview, decided, notified]) {
      responseSchemas.Application.parse(applicationView(application, 'staff'));
      responseSchemas.Application.parse(applicationView(application, 'applicant'));
    }
    expect(applicationView(decided, 'staff')).toHaveProperty('review');
  });

  it('Convention, unsigned and signed, then the usage of its pilot', () => {
    const convention = newConvention(notified, campaign, at('2031-03-12T10:00:00+01:00'));
    const signed = sign(sign(convention, 'esms', { at: '2031-04-20T10:00:00+02:00', by: 'candidat:owner', email: 'a@b.example' }, at('2031-04-20T10:00:00+02:00')), 'ars', { at: '2031-04-21T10:00:00+02:00', by: 'ars-NAQ:x' }, at('2031-04-21T10:00:00+02:00'));
    responseSchemas.Convention.parse(conventionView(convention));
    responseSchemas.Convention.parse(conventionView(signed));

    const pilot = pilotOf(signed);
    const first = planReport(undefined, { pilot, month: '2031-06', indicators: { 'mss.usagers': 40 }, actor: 'candidat:owner', now: at('2031-07-02T10:00:00+02:00') });
    if (first.kind !== 'write') throw new Error('expected a write');
    const again = planReport(first.next, { pilot, month: '2031-06', indicators: { 'mss.usagers': 45 }, actor: 'client:dui', now: at('2031-07-03T10:00:00+02:00') });
    if (again.kind !== 'write') throw new Error('expected a write');
    for (const now of ['2031-07-10T10:00:00+02:00', '2032-02-01T10:00:00+01:00']) {
      responseSchemas.PilotUsage.parse(pilotUsageView(pilot, campaign, [again.next], again.correction ? [again.correction] : [], at(now)));
    }
  });

  it('Dashboard, for one region and nationally', () => {
    const inputs = {
      campaign,
      now: at('2031-08-10T10:00:00+02:00'),
      applications: new Map([['NAQ', { deposee: 2, retenue: 1 }]] as const),
      conventionsSigned: new Map([['NAQ', 1]] as const),
      pilots: new Map([['NAQ', 1]] as const),
      counters: [{ ars: 'NAQ' as const, month: '2031-07', pilots: 1, totals: { 'mss.usagers': 12 } }],
    };
    responseSchemas.Dashboard.parse(dashboardView({ ...inputs, ars: 'NAQ' }));
    responseSchemas.Dashboard.parse(dashboardView({ ...inputs, ars: undefined }));
  });
});
