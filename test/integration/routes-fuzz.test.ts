import { readReply } from '../../infra/local/reply';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { conventionIdOf } from '../../layers/domain/convention';
import { defaultIndicatorCodes } from '../../layers/domain/indicators';
import { arsCodes } from '../../layers/domain/regions';
import { criteria } from '../../layers/domain/selection';
import { openApiDocument, operationDocs } from '../../layers/http/openapi';
import { requestSchemas, responseSchemas, type RequestSchemaName } from '../../layers/http/openapi/schemas';
import { routeKey, routes, type Method, type Role, type Route } from '../../layers/http/routes';
import { eligibleFields } from './support/fixtures';
import { closeIntake, createCampaign, submittedApplication } from './support/flow';
import { assertProperty, expectKnownProblem, foreignToken, junk, lookalikeClaims, notJsonBytes, partitionFootprint, validFiness } from './support/mutations';
import { api, inbox, roles, setClock, stack, tableSnapshot, token, type ApiResponse } from './support/stack';
import { calendarOf } from '../support/calendars';

// Random requests for every route of the route table (a new route is fuzzed without a line here, unless its
// body is a new schema: then the compiler asks for a valid example below). Path parameters, query strings,
// headers and bodies go from plausible (real ids, valid bodies from the OpenAPI registry) to hostile, sent by
// anyone from anonymous to national staff. Whatever comes:
// - no 5xx;
// - every non-2xx is a problem+json of API.md; every 2xx is what the OpenAPI document promises (media type,
//   JSON schema, ETag, Location);
// - the route table decides who may call at all: anonymous and forged callers get 401, a caller without one
//   of the route's roles 403, before anything else is looked at; and an ARS of the other region, another
//   applicant or an unregistered client never gets a 2xx on this file's resources;
// - a refusal writes nothing: the item count and every item of this file's resources are unchanged (each
//   run), the whole table and the SES inbox too (sampled runs, within a time budget), and a GET writes nothing.
//
// FUZZ_RUNS (runs per route) and FUZZ_SEED replay a failure with more or fewer runs.

const RUN = randomBytes(3).toString('hex');
const CAMPAIGN = `fuzz-routes-2045-${RUN}`;
const calendar = calendarOf(2045);
/** Campaigns the fuzz creates open a year later, so that they never hold anything this file looks at. */
const calendar2046 = Object.fromEntries(Object.entries(calendar).map(([name, value]) => [name, value.replace('2045', '2046')]));
const CLOCKS = ['2045-02-10T10:00:00+01:00', '2045-03-10T10:00:00+01:00', '2045-05-01T10:00:00+02:00', '2045-08-10T10:00:00+02:00', '2046-03-01T10:00:00+01:00'];
const OWNER = `fuzz-routes-owner-${RUN}`;
// Clients that can exist: the local stack's two DUI vendors (infra/lib/dui-vendors.ts); registrations are per pilot.
const CLIENT = 'dui-local-a';
const CLIENT_OTHER = 'dui-local-b';

const RUNS = Number(process.env.FUZZ_RUNS ?? 14);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
/** Whole-table reads cost more as the shared table grows: take as many as this budget allows (at least 1 run in 25). */
const SNAPSHOT_BUDGET_MS = 8_000;
let sampleEvery = 4;

// ---- The world the requests aim at, reached through the real flow ----

interface World {
  applications: string[];
  conventions: string[];
  pilotFiness: string;
  otherFiness: string;
  /** The partitions of this file's resources: footprint of every run. */
  partitions: string[];
}
const world = {} as World;

const callerNames = ['anonymous', 'forged', 'owner', 'stranger', 'noGroup', 'arsNaq', 'arsOcc', 'national', 'client', 'clientOther', 'clientNoScope'] as const;
type CallerName = (typeof callerNames)[number];
const authorization = {} as Record<CallerName, string | undefined>;
/** The roles of the route table each caller holds (layers/http/auth.ts: a user in no group is an applicant). */
const rolesOf: Record<CallerName, Role[]> = {
  anonymous: [],
  forged: [],
  owner: ['candidat'],
  stranger: ['candidat'],
  noGroup: ['candidat'],
  arsNaq: ['ars'],
  arsOcc: ['ars'],
  national: ['national'],
  client: ['client'],
  clientOther: ['client'],
  clientNoScope: [],
};

function ok(response: ApiResponse, status: number, what: string): ApiResponse {
  if (response.status !== status) throw new Error(`${what}: expected ${status}, got ${response.status} ${response.text}`);
  return response;
}

beforeAll(async () => {
  await createCampaign(CAMPAIGN, calendar);
  const bearer = (value: string) => `Bearer ${value}`;
  const [owner, stranger, noGroup, arsNaq, arsOcc, national, client, clientOther, clientNoScope] = await Promise.all([
    roles.candidat(OWNER),
    roles.candidat(`fuzz-routes-stranger-${RUN}`),
    token({ sub: `fuzz-routes-nogroup-${RUN}`, email: 'sans-groupe@esms.local' }),
    roles.ars('NAQ'),
    roles.ars('OCC'),
    roles.national(),
    token({ sub: CLIENT, clientId: CLIENT, scope: 'usage/write' }),
    token({ sub: CLIENT_OTHER, clientId: CLIENT_OTHER, scope: 'usage/write' }),
    token({ sub: CLIENT_OTHER, clientId: CLIENT_OTHER, scope: 'usage/read' }),
  ]);
  Object.assign(authorization, {
    anonymous: undefined,
    forged: bearer(foreignToken(lookalikeClaims(['national', 'ars-NAQ'], OWNER))),
    owner: bearer(owner),
    stranger: bearer(stranger),
    noGroup: bearer(noGroup),
    arsNaq: bearer(arsNaq),
    arsOcc: bearer(arsOcc),
    national: bearer(national),
    client: bearer(client),
    clientOther: bearer(clientOther),
    clientNoScope: bearer(clientNoScope),
  });

  await setClock(CLOCKS[0]!);
  const pilot = await submittedApplication(CAMPAIGN, '33', OWNER, { name: 'EHPAD Le Pilote' });
  const signing = await submittedApplication(CAMPAIGN, '33', OWNER, { name: 'EHPAD À Signer' });
  const reviewed = await submittedApplication(CAMPAIGN, '33', OWNER, { name: 'EHPAD En Instruction' });
  const occ = await submittedApplication(CAMPAIGN, '31', `fuzz-routes-occ-${RUN}`, { name: 'EHPAD Occitan' });
  const draft = ok(await api('POST', `/v1/campaigns/${CAMPAIGN}/applications`, { token: owner, body: { finess: '330781360', ...eligibleFields({ name: 'EHPAD Brouillon' }) } }), 201, 'draft');

  await closeIntake(CAMPAIGN, CLOCKS[1]!);
  for (const application of [pilot, signing]) {
    ok(await api('POST', `/v1/applications/${application.id}/decision`, { token: arsNaq, body: { decision: 'retenue', motivation: 'Projet solide.' } }), 200, 'decision');
  }
  ok(await api('PUT', `/v1/applications/${reviewed.id}/review`, { token: arsNaq, body: { scores: { maturite_dui: 3, parcours: 3, sensibilisation: 3, partenariats: 3, capacite: 3 } } }), 200, 'review');
  ok(await api('POST', `/v1/campaigns/${CAMPAIGN}/regions/NAQ/notify`, { token: arsNaq }), 200, 'notify');

  await setClock(CLOCKS[2]!);
  const pilotConvention = conventionIdOf(pilot.id);
  ok(await api('POST', `/v1/conventions/${pilotConvention}/signatures`, { token: owner, body: { party: 'esms' } }), 200, 'esms signature');
  ok(await api('POST', `/v1/conventions/${pilotConvention}/signatures`, { token: arsNaq, body: { party: 'ars' } }), 200, 'ars signature');
  ok(await api('POST', `/v1/campaigns/${CAMPAIGN}/pilots/${pilot.finess}/reporting-clients`, { token: arsNaq, body: { clientId: CLIENT } }), 201, 'reporting client');
  await setClock(CLOCKS[3]!);
  ok(await api('PUT', `/v1/campaigns/${CAMPAIGN}/pilots/${pilot.finess}/usage/2045-07`, { token: owner, body: { indicators: { 'mss.usagers': 12 } } }), 201, 'usage');

  world.applications = [pilot.id, signing.id, reviewed.id, occ.id, draft.json.id as string];
  const naq: Holding = { ars: 'NAQ', owner: 'owner', clients: [] };
  for (const id of [pilot.id, signing.id, reviewed.id, draft.json.id as string, conventionIdOf(signing.id), pilotConvention, reviewed.finess]) holdings.set(id, naq);
  holdings.set(pilot.finess, { ...naq, clients: ['client'] });
  holdings.set(occ.id, { ars: 'OCC', owner: 'occOwner', clients: [] });
  world.conventions = [pilotConvention, conventionIdOf(signing.id)];
  world.pilotFiness = pilot.finess;
  world.otherFiness = reviewed.finess;
  world.partitions = [
    `CAMPAIGN#${CAMPAIGN}`,
    ...world.applications.map((id) => `APP#${id}`),
    ...world.conventions.map((id) => `CONV#${id}`),
    `PILOT#${pilot.finess}`,
    `PILOT#${reviewed.finess}`,
    `CLIENT#${CLIENT}`,
  ];

  const started = Date.now();
  await tableSnapshot();
  const totalRuns = RUNS * (routes.length + 3);
  sampleEvery = Math.min(25, Math.max(3, Math.ceil((totalRuns * 2 * (Date.now() - started)) / SNAPSHOT_BUDGET_MS)));
}, 60_000);
afterAll(() => setClock(null));

// ---- Path parameters ----

/**
 * Values of a path parameter that name something: `real` ones exist (ids of this file's resources, of the kind
 * the route is about; codes of the domain tables), `near` ones almost do. Already %-encoded.
 */
function knownValues(name: string, route: Route): { real: string[]; near: string[] } {
  const conventions = route.path.startsWith('/v1/conventions');
  const values: Record<string, () => { real: string[]; near: string[] }> = {
    campaignId: () => ({ real: [CAMPAIGN], near: ['inconnue', 'mes-esms-2023x', CAMPAIGN.toUpperCase(), `${CAMPAIGN}-x`, CAMPAIGN.slice(0, -1)] }),
    id: () => ({
      real: conventions ? world.conventions : world.applications,
      near: [...(conventions ? world.applications : world.conventions), 'MES-ZZZZZZZZ', 'CNV-ZZZZZZZZ', world.applications[0]!.toLowerCase(), `${world.conventions[0]!}%20`],
    }),
    ars: () => ({ real: ['NAQ', 'NAQ', 'OCC', ...arsCodes], near: ['naq', 'XYZ', 'NA', 'NAQQ', 'NAQ%20'] }),
    finess: () => ({
      real: [world.pilotFiness, world.pilotFiness, world.otherFiness, `${world.pilotFiness.slice(0, 3)}%20${world.pilotFiness.slice(3)}`],
      near: ['000000000', '2A0000001', `${world.pilotFiness.slice(0, 8)}${(Number(world.pilotFiness[8]) + 1) % 10}`, world.pilotFiness.slice(0, 8), `${world.pilotFiness}0`],
    }),
    month: () => ({ real: ['2045-06', '2045-07', '2045-08', '2045-12'], near: ['2045-05', '2046-01', '2045-13', '2045-00', '2045-7', '2045-07-01', '45-07'] }),
    asset: () => ({ real: ['swagger-ui.css', 'swagger-ui-bundle.js'], near: ['index.html', 'swagger-ui.css.map', 'swagger-ui.CSS', '..%2Fpackage.json', 'swagger-ui.css%00'] }),
  };
  return values[name]?.() ?? { real: ['x'], near: ['y'] };
}

// URL parsers resolve `.` and `..` segments (even %2e-encoded): such a path is another path, not a value.
const isDotSegment = (segment: string): boolean => /^(?:\.|%2e){1,2}$/i.test(segment);
const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), maxLength: 40 });

const pathValue = (name: string, route: Route): fc.Arbitrary<string> =>
  fc
    .oneof(
      { weight: 16, arbitrary: fc.constantFrom(...knownValues(name, route).real) },
      { weight: 4, arbitrary: fc.constantFrom(...knownValues(name, route).near) },
      { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).map(encodeURIComponent) },
      { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }).map((text) => encodeURIComponent(text.toWellFormed())) },
      { weight: 1, arbitrary: printable.filter((text) => text.length > 0).map(encodeURIComponent) },
      // Long (past DynamoDB's 2 KB key), yet under what the gateway lets through (10 KB of request line and headers).
      { weight: 1, arbitrary: fc.constantFrom('A'.repeat(128), 'A'.repeat(129), 'A'.repeat(2100), 'é'.repeat(300), '🏥'.repeat(150)).map(encodeURIComponent) },
      { weight: 2, arbitrary: fc.constantFrom('%', '%E0%A4%A', '%ED%A0%80', '%00', '%0A', '%0D%0A', '%09', '%7F', '%2F', '%252F', '%C0%AF', '%FF', 'a%20b', '%u0041', '%2e%2e%2fx', '%3Cscript%3E') },
      { weight: 1, arbitrary: fc.constantFrom('', '%20', '+', '~', '-', '_', '*', "'", '()', '!', '$', '@', ':', ';', ',', '=', '%22%22') },
    )
    .filter((segment) => !isDotSegment(segment));

const parameterNames = (path: string): string[] => [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);

/** The path, and the decoded value of each parameter when the path reaches the route at all. */
interface PathCase {
  readonly path: string;
  readonly params?: Readonly<Record<string, string>>;
}

function pathOf(route: Route): fc.Arbitrary<PathCase> {
  const names = parameterNames(route.path);
  if (names.length === 0) return fc.constant({ path: route.path, params: {} });
  return fc.tuple(...names.map((name) => pathValue(name, route))).map((values) => {
    let path = route.path;
    names.forEach((name, index) => (path = path.replace(`{${name}}`, values[index]!)));
    // An empty segment or a broken %-escape matches no route: the gateway answers 404 before any authorizer.
    try {
      if (values.includes('')) return { path };
      return { path, params: Object.fromEntries(names.map((name, index) => [name, decodeURIComponent(values[index]!)])) };
    } catch {
      return { path };
    }
  });
}

// ---- Query strings, from the OpenAPI document's parameters ----

type Json = Record<string, unknown>;
const document = openApiDocument();

function queryParameters(route: Route): { name: string; schema: Json }[] {
  const operation = document.paths[route.path]?.[route.method.toLowerCase()] as { parameters?: Json[] } | undefined;
  const components = (document.components as { parameters: Record<string, Json> }).parameters;
  return (operation?.parameters ?? [])
    .map((parameter) => (typeof parameter.$ref === 'string' ? components[parameter.$ref.split('/').pop()!]! : parameter))
    .filter((parameter) => parameter.in === 'query')
    .map((parameter) => ({ name: parameter.name as string, schema: parameter.schema as Json }));
}

const cursorText = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const junkQueryValue: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom('', ' ', 'NAQ', 'naq', '0', '-1', '201', '1e2', '1.5', 'null', 'undefined', '%00', '[]', '{}', 'x'.repeat(600)),
  fc.constantFrom(
    cursorText({ pk: 'APP#MES-X', sk: 'APP' }),
    cursorText({ pk: `CONV#CNV-X`, sk: 'CONV', gsi1pk: `CONVS#${CAMPAIGN}#OCC`, gsi1sk: 'a_signer#CNV-X' }),
    cursorText({ pk: 1, sk: 2 }),
    cursorText({ a: 1 }),
    cursorText([]),
    'garbage',
  ),
);

function queryValue(schema: Json): fc.Arbitrary<string> {
  const plausible = Array.isArray(schema.enum)
    ? fc.constantFrom(...(schema.enum as string[]))
    : schema.type === 'integer'
      ? fc.integer({ min: ((schema.minimum as number | undefined) ?? 0) - 2, max: ((schema.maximum as number | undefined) ?? 100) + 2 }).map(String)
      : fc.string({ unit: 'grapheme', maxLength: 12 });
  return fc.oneof({ weight: 3, arbitrary: plausible }, { weight: 1, arbitrary: junkQueryValue });
}

function queryOf(route: Route): fc.Arbitrary<string> {
  const known = queryParameters(route).map(({ name, schema }) => fc.option(queryValue(schema).map((value) => [name, value] as [string, string]), { nil: undefined, freq: 2 }));
  const extra = fc.oneof(
    { weight: 3, arbitrary: fc.constant([] as [string, string][]) },
    { weight: 1, arbitrary: fc.array(fc.tuple(fc.constantFrom('ars', 'status', 'limit', 'cursor', 'q', 'foo', '__proto__', 'constructor', 'ars[]', ''), junkQueryValue), { minLength: 1, maxLength: 2 }) },
  );
  const built = fc
    .tuple(fc.tuple(...known), extra)
    .map(([present, more]) => new URLSearchParams([...present.filter((pair): pair is [string, string] => pair !== undefined), ...more]).toString());
  return fc.oneof(
    { weight: 8, arbitrary: built },
    { weight: 1, arbitrary: fc.constantFrom('%', 'a=%ZZ', '&&&=', '=x', 'ars=NAQ&ars=OCC', 'limit=1&limit=2', 'cursor=%%%', '?', 'status=a_signer&status=signee', 'limit=%00') },
  );
}

// ---- Headers ----

const headersArb: fc.Arbitrary<Record<string, string | undefined>> = fc.record(
  {
    'content-type': fc.constantFrom(
      ...Array<string>(12).fill('application/json'),
      'application/json; charset=utf-8',
      'application/merge-patch+json',
      'application/problem+json',
      'APPLICATION/JSON',
      'application/json;charset=latin1',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      '',
      'application/jsonx',
      'none',
    ),
    'if-match': fc.oneof(
      { weight: 12, arbitrary: fc.constant(undefined) },
      { weight: 3, arbitrary: fc.integer({ min: 0, max: 8 }).map((version) => `"${version}"`) },
      { weight: 2, arbitrary: fc.constantFrom('*', 'W/"2"', 'abc', '"abc"', '"-1"', '"99999999999"', '', '"1", "2"', 'W/', '"\u00e9"') },
      { weight: 1, arbitrary: printable },
    ),
    'idempotency-key': fc.oneof(
      { weight: 10, arbitrary: fc.constant(undefined) },
      { weight: 3, arbitrary: fc.uuid() },
      { weight: 2, arbitrary: fc.constantFrom('', ' ', 'a'.repeat(255), 'a'.repeat(256), 'clé', 'key with spaces', '"quoted"') },
      { weight: 1, arbitrary: printable },
    ),
    accept: fc.constantFrom(undefined, undefined, 'application/json', 'text/csv', '*/*', 'application/xml', 'application/problem+json'),
    'x-forwarded-proto': fc.constantFrom(undefined, undefined, undefined, 'https', 'gopher', 'javascript:alert(1)//'),
  },
  { requiredKeys: [] },
);

// ---- Bodies: valid ones from the registry's schemas, then mutated, then anything at all ----

const finessForReports = () => fc.constantFrom(world.pilotFiness, world.pilotFiness, world.otherFiness, '330781361', '2A0000001');
const months = fc.constantFrom('2045-06', '2045-07', '2045-08', '2045-12', '2046-01', '2044-12');
const figures = fc.dictionary(fc.constantFrom(...defaultIndicatorCodes), fc.nat(1_000_000), { minKeys: 1, maxKeys: 3 });

/** One valid body per request schema of the OpenAPI registry (a new schema without one does not compile). */
const validBodies: Record<RequestSchemaName, () => fc.Arbitrary<unknown>> = {
  CampaignCreate: () => fc.nat(999_999).map((n) => ({ id: `fuzz-${RUN}-${n}`, title: 'Campagne créée par le fuzz', ...calendar2046 })),
  CampaignPatch: () => fc.constantFrom({ title: 'Campagne du fuzz des routes' }, { quotas: { NAQ: 5 } }, { fundingPerPilotEur: 25_000 }),
  ApplicationCreate: () => validFiness.map((finess) => ({ finess, ...eligibleFields() })),
  ApplicationEdit: () => fc.constant(eligibleFields({ name: 'EHPAD Modifié' })),
  ReviewInput: () => fc.record({ scores: fc.record(Object.fromEntries(criteria.map((criterion) => [criterion, fc.integer({ min: 0, max: 5 })]))), comment: fc.constantFrom('Bon dossier.', '') }),
  DecisionInput: () => fc.record({ decision: fc.constantFrom('retenue', 'non_retenue'), motivation: fc.constantFrom('Projet solide.', 'Parcours encore trop peu décrits.') }),
  SignatureInput: () => fc.record({ party: fc.constantFrom('esms', 'ars') }),
  UsageInput: () => fc.record({ indicators: figures }),
  UsageBatch: () => fc.record({ campaignId: fc.constantFrom(CAMPAIGN, CAMPAIGN, 'mes-esms-2023', 'inconnue-9999'), reports: fc.array(fc.record({ finess: finessForReports(), month: months, indicators: figures }), { minLength: 1, maxLength: 3 }) }),
  // The registered vendor again (200, nothing new) or a client of no vendor (400): registering CLIENT_OTHER would make it no stranger.
  ReportingClientInput: () => fc.constantFrom({ clientId: CLIENT }, { clientId: CLIENT }, { clientId: 'dui-inconnu' }),
  CollaboratorInput: () => fc.nat(999).map((n) => ({ email: `collaborateur-${n}@fuzz.local` })),
  TransferInput: () => fc.nat(999).map((n) => ({ email: `repreneur-${n}@fuzz.local`, motivation: 'Compte du représentant légal.' })),
  AttachmentCreate: () => fc.record({ name: fc.constantFrom('budget.pdf', 'photo.jpg', 'plan.png'), contentType: fc.constantFrom('application/pdf', 'image/jpeg', 'image/png'), size: fc.integer({ min: 1, max: 10 * 1024 * 1024 }) }),
};

const hostileLeaves: unknown[] = ['\u0000', '<script>alert(1)</script>', 'x'.repeat(100_000), '\ud800', '', '   ', 1e308, -1, 1.5, Number.MAX_SAFE_INTEGER + 2, true, null, [], {}, '2045-02-30', 'NAQ', 'retenue'];
const addedKeys = ['status', 'version', 'ars', 'ownerId', 'id', 'campaignId', '__proto__', 'constructor', 'toString', '', 'Party', 'decision'];

interface Mutation {
  readonly op: 'keep' | 'drop' | 'add' | 'replace' | 'retype' | 'wrap' | 'duplicate';
  readonly at: number;
  readonly key: string;
  readonly value: unknown;
  readonly junkText: string;
}

const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom('keep', 'keep', 'keep', 'keep', 'keep', 'keep', 'drop', 'add', 'replace', 'replace', 'retype', 'wrap', 'duplicate'),
  at: fc.nat(),
  key: fc.oneof(fc.constantFrom(...addedKeys), fc.string({ unit: 'binary', maxLength: 10 })),
  value: fc.oneof(fc.constantFrom(...hostileLeaves), fc.jsonValue({ maxDepth: 2 })),
  junkText: junk,
});

type Node = { parent: Json | unknown[]; key: string | number; value: unknown };

/** Every value inside `root` with where it sits, so that a mutation can aim at any of them. */
function nodesOf(root: unknown): Node[] {
  const nodes: Node[] = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach((inner, index) => (nodes.push({ parent: value, key: index, value: inner }), walk(inner)));
    else if (value && typeof value === 'object') for (const [key, inner] of Object.entries(value)) (nodes.push({ parent: value as Json, key, value: inner }), walk(inner));
  };
  walk(root);
  return nodes;
}

const retyped = (value: unknown): unknown =>
  typeof value === 'string' ? (Number.isNaN(Number(value)) ? 0 : Number(value)) : typeof value === 'number' ? String(value) : typeof value === 'boolean' ? String(value) : value === null ? 'null' : Array.isArray(value) ? value[0] ?? {} : [value];

function mutated(valid: unknown, mutation: Mutation): string {
  const root = JSON.parse(JSON.stringify(valid)) as unknown;
  const nodes = nodesOf(root);
  const node = nodes.length > 0 ? nodes[mutation.at % nodes.length]! : undefined;
  const objects = [root, ...nodes.map((inner) => inner.value)].filter((value): value is Json => !!value && typeof value === 'object' && !Array.isArray(value));
  const object = objects[mutation.at % Math.max(objects.length, 1)];
  const set = (target: Node, value: unknown) => ((target.parent as Record<string | number, unknown>)[target.key] = value);
  switch (mutation.op) {
    case 'keep':
      return JSON.stringify(root);
    case 'drop':
      if (node) Array.isArray(node.parent) ? node.parent.splice(node.key as number, 1) : delete (node.parent as Json)[node.key as string];
      return JSON.stringify(root);
    case 'add':
      // defineProperty, so that `__proto__` becomes a key of the JSON rather than a prototype.
      if (object) Object.defineProperty(object, mutation.key, { value: mutation.value, enumerable: true, writable: true, configurable: true });
      return JSON.stringify(root);
    case 'replace':
      if (node) set(node, mutation.value);
      return JSON.stringify(root);
    case 'retype':
      if (node) set(node, retyped(node.value));
      return JSON.stringify(root);
    case 'wrap':
      return JSON.stringify([root]);
    case 'duplicate': {
      // A second copy of a key with junk: JSON.parse keeps the last.
      const text = JSON.stringify(root);
      const first = object ? Object.keys(object)[0] : undefined;
      return text.startsWith('{') && text !== '{}' && first !== undefined ? `${text.slice(0, -1)},${JSON.stringify(first)}:${mutation.junkText}}` : text;
    }
  }
}

/** Bytes over 256 KiB, reproducible from the seed. */
const oversized = fc.integer({ min: 256 * 1024 + 1, max: 280 * 1024 }).map((size) => `{"pad":"${'x'.repeat(size)}"}`);

type Body = string | Uint8Array | undefined;

function bodyOf(route: Route): fc.Arbitrary<Body> {
  if (route.method === 'GET') return fc.constant(undefined);
  const schema = operationDocs[routeKey(route)]?.body;
  const valid: fc.Arbitrary<unknown> = schema ? validBodies[schema]() : fc.constant({});
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 16, arbitrary: fc.tuple(valid, mutationArb).map(([body, mutation]) => mutated(body, mutation)) },
    { weight: 2, arbitrary: fc.json({ maxDepth: 3 }) },
    { weight: 2, arbitrary: fc.anything({ maxDepth: 3 }).map((value) => JSON.stringify(value) ?? 'undefined') },
    { weight: 2, arbitrary: junk },
    { weight: 1, arbitrary: notJsonBytes },
    { weight: 1, arbitrary: oversized },
  );
}

// ---- Sending and judging ----

async function send(method: string, path: string, caller: CallerName, headers: Record<string, string | undefined>, body: Body): Promise<ApiResponse> {
  const sent: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !(name === 'content-type' && value === 'none')) sent[name] = value;
  if (body === undefined) delete sent['content-type'];
  if (authorization[caller]) sent.authorization = authorization[caller]!;
  const response = await fetch(`${stack.apiUrl}${path}`, { method, headers: sent, body });
  return readReply(response);
}

/** What the OpenAPI document promises for a 2xx of this route. */
function expectDocumentedSuccess(route: Route, response: ApiResponse): void {
  const { success } = operationDocs[routeKey(route)]!;
  expect([success.status, success.alsoStatus?.status]).toContain(response.status);
  const contentType = response.headers.get('content-type') ?? '';
  if (success.schema) {
    expect(contentType).toMatch(/^application\/json/);
    const parsed = responseSchemas[success.schema].safeParse(response.json);
    expect(parsed.success ? [] : parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.')}: ${issue.message}`)).toEqual([]);
  } else {
    expect(success.media?.some((media) => contentType.startsWith(media))).toBe(true);
  }
  if (success.etag) expect(response.headers.get('etag')).toMatch(/^"\d+"$/);
  if (response.status === 201 && success.location) expect(response.headers.get('location')).toMatch(/^\//);
}

/** The refusal the route table alone decides, before any parameter or body is looked at. */
function accessRefusal(route: Route, caller: CallerName): number | undefined {
  if (route.access === 'public') return undefined;
  if (caller === 'anonymous' || caller === 'forged') return 401;
  return route.access.some((role) => rolesOf[caller].includes(role)) ? undefined : 403;
}

/** Whose each resource of this file is: an ARS of the other region, another applicant or client never gets a 2xx on it. */
interface Holding {
  readonly ars: 'NAQ' | 'OCC';
  readonly owner: 'owner' | 'occOwner';
  readonly clients: readonly CallerName[];
}
const holdings = new Map<string, Holding>();

/** Why `caller` may get no 2xx on these parameters, if it may not. */
function trespass(caller: CallerName, params: Readonly<Record<string, string>>): string | undefined {
  for (const [name, value] of Object.entries(params)) {
    const region = caller === 'arsNaq' ? 'NAQ' : caller === 'arsOcc' ? 'OCC' : undefined;
    if (name === 'ars' && region && (arsCodes as readonly string[]).includes(value) && value !== region) return `region ${value}`;
    const holding = holdings.get(value);
    if (!holding) continue;
    if (region && holding.ars !== region) return `${value} of ${holding.ars}`;
    if ((caller === 'stranger' || caller === 'noGroup') || (caller === 'owner' && holding.owner !== 'owner')) return `${value}, not theirs`;
    if ((caller === 'client' || caller === 'clientOther') && !holding.clients.includes(caller)) return `${value}, not registered`;
  }
  return undefined;
}

interface Trace {
  snapshot?: string;
  emails?: number;
  footprint: string;
}

let runs = 0;
/** Statuses answered per route, to tell a fuzz that reached the operations from one stopped at the door. */
const tally = new Map<string, Map<number, number>>();
function count(route: Route, status: number): void {
  const statuses = tally.get(routeKey(route)) ?? new Map<number, number>();
  statuses.set(status, (statuses.get(status) ?? 0) + 1);
  tally.set(routeKey(route), statuses);
}

async function traceNow(sampled: boolean): Promise<Trace> {
  const [footprint, snapshot, emails] = await Promise.all([
    partitionFootprint(world.partitions),
    sampled ? tableSnapshot() : undefined,
    sampled ? inbox().then((all) => all.length) : undefined,
  ]);
  return { footprint, snapshot, emails };
}

/** A short account of what changed between two snapshots, for the failure message. */
function changed(before: string, after: string): string[] {
  const old = new Set(JSON.parse(before) as string[]);
  const now = new Set(JSON.parse(after) as string[]);
  return [...[...now].filter((item) => !old.has(item)).map((item) => `+ ${item.slice(0, 200)}`), ...[...old].filter((item) => !now.has(item)).map((item) => `- ${item.slice(0, 200)}`)];
}

/**
 * jest's assertion errors come from another realm than this file's Error, and assertProperty() only shows
 * the message of an Error of this realm: pass the message on.
 */
async function judge(...args: Parameters<typeof judgeOnce>): Promise<number> {
  try {
    return await judgeOnce(...args);
  } catch (error) {
    const { name, message, cause } = error as { name?: unknown; message?: unknown; cause?: unknown };
    throw new Error(`${name === 'Error' || name === undefined ? '' : `${String(name)}: `}${String(message ?? error)}${cause ? ` (cause: ${String(cause)})` : ''}`);
  }
}

async function judgeOnce(route: Route, method: string, path: string, caller: CallerName, params: PathCase['params'], headers: Record<string, string | undefined>, body: Body): Promise<number> {
  const sampled = runs++ % sampleEvery === 0;
  const before = await traceNow(sampled);
  const response = await send(method, path, caller, headers, body);
  const what = `${method} ${path.length > 200 ? `${path.slice(0, 200)}…` : path} as ${caller}`;
  if (response.status >= 500) throw new Error(`${what} answered ${response.status}: ${response.text.slice(0, 500)}`);

  const refused = response.status < 200 || response.status >= 300;
  if (method === route.method) count(route, response.status);
  if (refused) expectKnownProblem(response);
  else if (method === route.method) expectDocumentedSuccess(route, response);

  if (method === route.method && params) {
    const expected = accessRefusal(route, caller);
    // Only the gateway's own 413 (over 10 MB, never sent here) may come before the route table's answer.
    if (expected !== undefined) expect({ what, status: response.status }).toEqual({ what, status: expected });
    const why = trespass(caller, params);
    if (why !== undefined) expect({ what, why, refused }).toEqual({ what, why, refused: true });
  }

  if (refused || method === 'GET') {
    const after = await traceNow(sampled);
    expect({ what, status: response.status, footprint: after.footprint === before.footprint }).toEqual({ what, status: response.status, footprint: true });
    if (sampled) {
      expect({ what, status: response.status, changed: changed(before.snapshot!, after.snapshot!) }).toEqual({ what, status: response.status, changed: [] });
      expect({ what, status: response.status, emailsSent: after.emails! - before.emails! }).toEqual({ what, status: response.status, emailsSent: 0 });
    }
  }
  return response.status;
}

const callerArb = fc.constantFrom(...callerNames);

/** Anyone, but more often someone the route table lets in (the owner, ARS NAQ and the registered client above all). */
function callerOf(route: Route): fc.Arbitrary<CallerName> {
  const allowed = callerNames.filter((name) => route.access === 'public' || route.access.some((role) => rolesOf[name].includes(role)));
  const favoured = allowed.flatMap((name) => (['owner', 'arsNaq', 'national', 'client'].includes(name) ? [name, name] : [name]));
  return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...favoured) }, { weight: 2, arbitrary: callerArb });
}
const clockArb = fc.constantFrom(...CLOCKS);
const parameters = (): fc.Parameters<[unknown, ...unknown[]]> => ({ numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) });

// ---- The properties ----

it('has a valid body in the registry for every route that takes one', () => {
  const invalid = routes.flatMap((route) => {
    const schema = operationDocs[routeKey(route)]?.body;
    if (!schema) return [];
    return fc
      .sample(validBodies[schema](), { numRuns: 20, seed: 1 })
      .map((body) => requestSchemas[schema].safeParse(body))
      .filter((result) => !result.success)
      .map((result) => `${routeKey(route)}: ${result.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  });
  expect(invalid).toEqual([]);
});

/** Random requests for one route, each judged. */
const fuzzOf = (route: Route) =>
  fc.asyncProperty(pathOf(route), queryOf(route), callerOf(route), headersArb, bodyOf(route), clockArb, async ({ path, params }, query, caller, headers, body, clock) => {
    await setClock(clock);
    await judge(route, route.method, query ? `${path}?${query}` : path, caller, params, headers, body);
  });

describe.each(routes.map((route) => [routeKey(route), route] as const))('%s', (_key, route) => {
  it('never answers 5xx; refusals are known problems that write nothing; 2xx are what the document says', async () => {
    await assertProperty(fuzzOf(route), parameters());
  });
});

const methods: Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const paths = [...new Set(routes.map((route) => route.path))];

it('answers methods the route table does not define with 404 or 405, a problem that writes nothing', async () => {
  const undefinedMethods = paths.flatMap((path) => methods.filter((method) => !routes.some((route) => route.path === path && route.method === method)).map((method) => [path, method] as const));
  const request = fc.constantFrom(...undefinedMethods).chain(([template, method]) => {
    const route = routes.find((candidate) => candidate.path === template)!;
    return pathOf(route).map(({ path }) => ({ route, method, path }));
  });
  await assertProperty(
    fc.asyncProperty(request, callerArb, headersArb, async ({ route, method, path }, caller, headers) => {
      const status = await judge(route, method, path, caller, undefined, headers, method === 'GET' ? undefined : '{}');
      expect({ method, path, status: [404, 405].includes(status) }).toEqual({ method, path, status: true });
    }),
    { ...parameters(), numRuns: RUNS * 3 },
  );
});

it('gets past the door: a good share of the same random requests, on every route, reach an operation and succeed', async () => {
  // Its own requests (a few per route, judged like the others), whatever ran before or was left out with -t.
  const perRoute = 4;
  tally.clear();
  for (const [index, route] of routes.entries()) await assertProperty(fuzzOf(route), { numRuns: perRoute, seed: (SEED ?? 2045) + index });
  const lines = [...tally].map(([key, statuses]) => `${key}: ${[...statuses].sort(([a], [b]) => a - b).map(([status, times]) => `${status}×${times}`).join(' ')}`);
  const all = [...tally.values()].flatMap((statuses) => [...statuses]);
  const total = all.reduce((sum, [, times]) => sum + times, 0);
  const succeeded = all.filter(([status]) => status < 300).reduce((sum, [, times]) => sum + times, 0);
  console.log(`routes-fuzz: ${succeeded} of ${total} requests succeeded\n${lines.join('\n')}`);
  expect(total).toBe(routes.length * perRoute);
  expect(succeeded / total).toBeGreaterThan(0.1);
});
