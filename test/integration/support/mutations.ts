import { readReply } from '../../../infra/local/reply';
import { generateKeyPairSync, sign } from 'node:crypto';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { pathways, readinessLevels } from '../../../layers/domain/application';
import { errorCodes } from '../../../layers/domain/errors';
import { withCheckKey } from '../../../layers/domain/finess';
import { problemKinds } from '../../../layers/http/problem';
import { LOCAL_ISSUER } from '../../../infra/local/local-jwt';
import { GATEWAY_NOT_FOUND, GATEWAY_UNAUTHORIZED } from '../../../infra/lib/authorizer';
import { eligibleFields } from './fixtures';
import { dynamo, expectGatewayUnauthorized, inbox, stack, tableSnapshot, type ApiResponse } from './stack';

// ---- Tokens the local authorizer must refuse ----

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** Claims shaped exactly like the local stack's, so only the signature can give the token away. */
export function lookalikeClaims(groups: string[] = ['candidat'], sub = 'intrus'): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { iss: LOCAL_ISSUER, sub, iat: now, exp: now + 3600, token_use: 'id', email: `${sub}@esms.local`, 'cognito:groups': groups };
}

/** A well-formed RS256 JWT with the local key id, signed by a key the stack has never seen. */
export function foreignToken(claims = lookalikeClaims()): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const unsigned = `${b64({ alg: 'RS256', typ: 'JWT', kid: 'local' })}.${b64(claims)}`;
  return `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), privateKey).toString('base64url')}`;
}

/** `alg: none`, the classic downgrade. */
export const unsignedToken = (claims = lookalikeClaims()): string => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;

/** A genuine token whose payload was swapped for other claims (the signature no longer matches). */
export function tamperedToken(genuine: string, claims = lookalikeClaims(['national'])): string {
  const [header, , signature] = genuine.split('.');
  return `${header}.${b64(claims)}.${signature}`;
}

// ---- Requests the shared client cannot send ----

/** Sends bytes as is, with exactly the content type given (none when undefined). */
export async function rawRequest(method: string, path: string, options: { token?: string; body?: Uint8Array; contentType?: string }): Promise<ApiResponse> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.contentType !== undefined) headers['content-type'] = options.contentType;
  const response = await fetch(`${stack.apiUrl}${path}`, { method, headers, body: options.body });
  return readReply(response);
}

// ---- What every refusal must look like ----

const knownCodes = new Set<string>(errorCodes);

/** problem+json with a code of API.md whose status is the one answered; field errors well formed. */
export function expectKnownProblem(response: ApiResponse): void {
  // API Gateway's own answers (a refused token, a route it does not have) are not problems: its bodies.
  if (response.status === 401) return expectGatewayUnauthorized(response);
  if (response.status === 404 && response.json?.message === GATEWAY_NOT_FOUND.message) return expect(response.json).toEqual(GATEWAY_NOT_FOUND);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = response.json as { code?: string; status?: number; detail?: unknown; errors?: unknown };
  expect(body).toBeDefined();
  expect(knownCodes.has(body.code ?? '')).toBe(true);
  expect({ code: body.code, status: response.status, bodyStatus: body.status }).toEqual({
    code: body.code,
    status: problemKinds[body.code as keyof typeof problemKinds].status,
    bodyStatus: response.status,
  });
  expect(typeof body.detail).toBe('string');
  if (body.errors !== undefined) {
    expect(Array.isArray(body.errors)).toBe(true);
    for (const error of body.errors as unknown[]) expect(error).toEqual({ path: expect.any(String), message: expect.any(String) });
  }
}

/** The `path`s of a problem's field errors. */
export const errorPaths = (response: ApiResponse): string[] =>
  ((response.json?.errors ?? []) as { path: string }[]).map((error) => error.path);

// ---- Bodies as JSON text, so that they can hold what JSON.stringify never writes ----
// (1e400, -0, duplicate keys, 20 000 levels of nesting, lone surrogates as \ud800 escapes)

const j = (value: unknown): string => JSON.stringify(value);
const objectText = (entries: readonly (readonly [string, string])[]): string => `{${entries.map(([key, value]) => `${j(key)}:${value}`).join(',')}}`;

const numberLiteral: fc.Arbitrary<string> = fc.oneof(
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(j),
  fc.constantFrom('1e400', '-1e400', '1e-400', '-0', '123456789012345678901234567890', '9007199254740993', '0.5', '-1', '100001', '1E2'),
);

const oddTexts = [
  '\u0000',
  '\u001b[2J',
  'a\u007fb',
  '\u2028',
  '<script>alert(1)</script>',
  '<b>x</b>',
  '\ud83d',
  '\udc00x',
  '   ',
  '',
  '🏥👩‍⚕️ Résidence',
  'e\u0301',
  '\u202eevil',
  '\ufeff',
  'Ligne 1\nLigne 2\tfin',
  'x'.repeat(5001),
];

const textLiteral: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }).map(j) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }).map(j) },
  { weight: 3, arbitrary: fc.constantFrom(...oddTexts).map(j) },
  { weight: 1, arbitrary: fc.constant(j('x'.repeat(100_000))) },
);

const deepNesting: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 2, max: 20_000 }), fc.boolean())
  .map(([depth, arrays]) => (arrays ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`));

/** Any JSON value, from the dull to the hostile, as text. */
export const junk: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 2, arbitrary: fc.constantFrom('null', 'true', 'false', '{}', '[]') },
    { weight: 2, arbitrary: numberLiteral },
    { weight: 3, arbitrary: textLiteral },
    { weight: 1, arbitrary: fc.array(tie('value'), { maxLength: 3 }).map((items) => `[${items.join(',')}]`) },
    { weight: 1, arbitrary: fc.array(fc.tuple(fc.string({ unit: 'binary', maxLength: 8 }), tie('value')), { maxLength: 3 }).map(objectText) },
    { weight: 1, arbitrary: deepNesting },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map(j) },
  ),
})).value;

/** How often a value is swapped for junk: never, now and then, often. */
type Rate = 'none' | 'low' | 'high';
const JUNK_WEIGHTS: Record<Rate, [valid: number, junk: number]> = { none: [1, 0], low: [14, 1], high: [5, 2] };

const orJunk = (valid: fc.Arbitrary<string>, rate: Rate): fc.Arbitrary<string> => {
  const [validWeight, junkWeight] = JUNK_WEIGHTS[rate];
  return junkWeight === 0 ? valid : fc.oneof({ weight: validWeight, arbitrary: valid }, { weight: junkWeight, arbitrary: junk });
};

const plainText = (max: number) =>
  fc.oneof(
    fc.constantFrom('EHPAD Les Tilleuls', 'SSIAD du Poitou', 'Résidence « Les Lilas »', 'Foyer 🌳 Saint-Étienne', 'MAS du Lauragais', 'Zoë L’Hôte-Müller'),
    fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: max }),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: Math.min(max, 40) }),
  );

const longPlainText = fc.oneof(
  fc.constantFrom("Envoi du DLU et de la lettre de liaison à l'hôpital ;\nmessagerie sécurisée avec les familles.", 'Réunions 👪 des familles, formation des équipes.', ''),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: fc.constantFrom(...'abcdefghij KLMNOP éèàç’«»–;:,.!?()\n\t'), minLength: 4000, maxLength: 5000 }),
);

const departments = ['01', '13', '16', '24', '2A', '2B', '31', '33', '40', '59', '64', '75', '86', '87', '971', '972', '973', '974', '976'];

/** A FINESS with a good key in a real département (Corsican ones have no key to get wrong). */
export const validFiness: fc.Arbitrary<string> = fc.tuple(fc.constantFrom(...departments), fc.integer({ min: 0, max: 99_999 })).map(([department, serial]) => {
  if (department.startsWith('2') && /[AB]/.test(department)) return `${department}${String(serial).padStart(7, '0')}`;
  const head = department.length === 3 ? `970${department.slice(2)}` : department;
  return withCheckKey(`${head}${String(serial).padStart(8 - head.length, '0')}`.slice(0, 8));
});

type Fields = Record<string, fc.Arbitrary<string>>;

/**
 * An object whose keys are each present or not, plus (unless the rate is none) sometimes extra keys with junk:
 * keys nobody asked for, or a second copy of a known one (JSON.parse keeps the last).
 */
function objectOf(fields: Fields, extraKeys: readonly string[], rate: Rate): fc.Arbitrary<string> {
  const known = Object.entries(fields).map(([key, value]) => fc.option(value.map((text) => [key, text] as const), { nil: undefined, freq: 3 }));
  const extra = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...extraKeys, ...Object.keys(fields)), fc.string({ unit: 'binary', maxLength: 10 })), junk), { minLength: 1, maxLength: 2 });
  const none: (readonly [string, string])[] = [];
  const added = rate === 'none' ? fc.constant(none) : fc.oneof({ weight: rate === 'low' ? 14 : 5, arbitrary: fc.constant(none) }, { weight: 1, arbitrary: extra });
  return fc
    .tuple(fc.tuple(...known), added)
    .map(([present, extraEntries]) => objectText([...present.filter((entry): entry is readonly [string, string] => entry !== undefined), ...extraEntries]));
}

const emails = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('direction@ehpad-tilleuls.local', 'claire.martin@ssiad.fr', 'accueil+dossier@mas-lauragais.org') },
  { weight: 1, arbitrary: fc.emailAddress() },
);

const contactOf = (rate: Rate) =>
  objectOf(
    {
      name: orJunk(plainText(120).map(j), rate),
      email: orJunk(emails.map(j), rate),
      phone: orJunk(fc.constantFrom('05 56 00 00 00', '+33 5 56 00 00 00', '(05) 56.00.00.00', '0556000000').map(j), rate),
    },
    ['fax', 'Name'],
    rate,
  );

const duiOf = (rate: Rate) =>
  objectOf(
    {
      editor: orJunk(plainText(120).map(j), rate),
      product: orJunk(plainText(120).map(j), rate),
      segurReferenced: orJunk(fc.boolean().map(j), rate),
      mesCapable: orJunk(fc.boolean().map(j), rate),
    },
    ['version', 'segur'],
    rate,
  );

const readinessOf = (rate: Rate) =>
  objectOf(Object.fromEntries(['dmp', 'mss', 'ins'].map((key) => [key, orJunk(fc.constantFrom(...readinessLevels).map(j), rate)])), ['dp'], rate);

/** Objects now and then handed over as arrays, the way a confused client would. */
const sometimesInArray = (object: fc.Arbitrary<string>, rate: Rate) =>
  rate === 'none' ? object : fc.oneof({ weight: 6, arbitrary: object }, { weight: 1, arbitrary: object.map((text) => `[${text}]`) });

/** The editable fields of API.md, each plausible, or mutated at the given rate. */
const editableOf = (rate: Rate): Fields => ({
  name: orJunk(plainText(200).map(j), rate),
  category: orJunk(fc.constantFrom('500', '354', '255', '209', '999', '000').map(j), rate),
  contact: orJunk(sometimesInArray(contactOf(rate), rate), rate),
  dui: orJunk(sometimesInArray(duiOf(rate), rate), rate),
  readiness: orJunk(sometimesInArray(readinessOf(rate), rate), rate),
  pathways: orJunk(fc.uniqueArray(fc.constantFrom(...pathways), { maxLength: pathways.length }).map(j), rate),
  exchanges: orJunk(longPlainText.map(j), rate),
  awarenessMeans: orJunk(longPlainText.map(j), rate),
  capacity: orJunk(fc.integer({ min: 0, max: 100_000 }).map(String), rate),
});

const EXTRA_TOP_LEVEL = ['__proto__', 'constructor', 'toString', 'status', 'version', 'ownerId', 'ars', 'id', 'decision', 'review', 'Name', 'name ', ''];

/** Roughly: a third valid, a third with one thing wrong, a fifth badly mangled, the rest not an object at all. */
function mixOf(objectAt: (rate: Rate) => fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: objectAt('none') },
    { weight: 6, arbitrary: objectAt('low') },
    { weight: 4, arbitrary: objectAt('high') },
    { weight: 1, arbitrary: objectAt('low').map((text) => `[${text}]`) },
    { weight: 1, arbitrary: junk },
  );
}

const finessOf = (rate: Rate): fc.Arbitrary<string | undefined> =>
  rate === 'none' ? validFiness.map(j) : fc.oneof({ weight: rate === 'low' ? 28 : 10, arbitrary: validFiness.map(j) }, { weight: 1, arbitrary: junk }, { weight: 1, arbitrary: fc.constant(undefined) });

/** A create body: a FINESS (valid, or at some rate junk or missing) and the editable fields. */
export const createBody: fc.Arbitrary<string> = mixOf((rate) =>
  fc
    .tuple(finessOf(rate), objectOf(editableOf(rate), EXTRA_TOP_LEVEL, rate))
    .map(([finess, rest]) => (finess === undefined ? rest : rest === '{}' ? `{"finess":${finess}}` : `{"finess":${finess},${rest.slice(1)}`)),
);

/** A PUT body: the editable fields (finess is not one of them). */
export const editBody: fc.Arbitrary<string> = fc.oneof(
  { weight: 18, arbitrary: mixOf((rate) => objectOf(editableOf(rate), [...EXTRA_TOP_LEVEL, 'finess'], rate)) },
  // Now and then every rule is met, so that submit goes through and later edits meet a submitted application.
  { weight: 1, arbitrary: fc.constant(j(eligibleFields())) },
);

/** A list query string: each filter absent, plausible or junk (cursors here are never well-formed keys). */
export const listQuery: fc.Arbitrary<string> = fc
  .record(
    {
      limit: fc.oneof(fc.integer({ min: -5, max: 300 }).map(String), fc.constantFrom('', 'abc', '1e2', '0x10', ' 5', '1.5', 'Infinity')),
      status: fc.oneof(fc.constantFrom('brouillon', 'deposee', 'en_instruction', 'retenue', 'inconnu', ''), fc.string({ maxLength: 12 })),
      category: fc.oneof(fc.constantFrom('500', '354', 'ABC', '5000', ''), fc.string({ maxLength: 5 })),
      q: fc.oneof(fc.constantFrom('tilleuls', 'EHPAD', '33 078', 'é', '%', '*', "' OR 1=1 --"), fc.string({ unit: 'binary', maxLength: 120 })),
      cursor: fc.oneof(fc.constantFrom('garbage', '', '%%%', 'e30', 'W10'), fc.base64String({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 })),
      ars: fc.oneof(fc.constantFrom('NAQ', 'OCC', 'MAY', 'naq', 'XYZ', ''), fc.string({ maxLength: 4 })),
    },
    { requiredKeys: [] },
  )
  // URLSearchParams writes UTF-8, lone surrogates as U+FFFD, as a browser would.
  .map((query) => new URLSearchParams(Object.entries(query)).toString());

/** Bytes that are not JSON once read as UTF-8 (what the server does). */
export const notJsonBytes: fc.Arbitrary<Uint8Array> = fc
  .oneof(
    { weight: 4, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 2000 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }).map((text) => new Uint8Array(Buffer.from(`{"name": ${text}`, 'utf8'))) },
    { weight: 1, arbitrary: fc.constantFrom('finess=330780119&name=x', '<xml/>', "{'finess': '330780119'}", '{"finess":"330780119",}', '\ufeff{}', 'NaN').map((text) => new Uint8Array(Buffer.from(text, 'utf8'))) },
  )
  .filter((bytes) => {
    try {
      JSON.parse(Buffer.from(bytes).toString('utf8'));
      return false;
    } catch {
      return true;
    }
  });

// ---- A cheap "nothing was written" for hundreds of runs ----

/**
 * How many items the table holds and the stored application a request aims at: a refused request must change
 * neither. Cheaper than tableSnapshot() (no item crosses the wire) once the shared table holds thousands of items.
 */
export async function footprint(applicationId: string): Promise<string> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(new ScanCommand({ TableName: stack.tableName, Select: 'COUNT', ExclusiveStartKey: start }));
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey as Record<string, unknown> | undefined;
  } while (start);
  const { Item } = await dynamo.send(new GetCommand({ TableName: stack.tableName, Key: { pk: `APP#${applicationId}`, sk: 'APP' }, ConsistentRead: true }));
  return JSON.stringify({ count, application: Item ? JSON.stringify(Item, Object.keys(Item).sort()) : null });
}

// ---- Running a property over HTTP with a readable report ----

const shown = (value: unknown): string => {
  const text = typeof value === 'string' ? value : JSON.stringify(value, (_key, inner: unknown) => (inner instanceof Uint8Array ? `<${inner.byteLength} bytes>` : inner));
  return text === undefined ? String(value) : text.length > 400 ? `${text.slice(0, 400)}… (${text.length} characters)` : text;
};

/**
 * fc.assert, but the counterexample is cut to a few hundred characters per argument (bodies of 100 000
 * characters or 20 000 levels of nesting would bury the reason) and the seed is given to replay it.
 */
export async function assertProperty<Ts extends [unknown, ...unknown[]]>(property: fc.IAsyncProperty<Ts>, parameters: fc.Parameters<Ts>): Promise<void> {
  const details = await fc.check(property, parameters);
  if (!details.failed) return;
  const counterexample = (details.counterexample ?? []).map((argument, index) => `  #${index}: ${shown(argument)}`).join('\n');
  const reason = details.errorInstance instanceof Error ? details.errorInstance.message : shown(details.errorInstance);
  throw new Error(`Property failed after ${details.numRuns} runs (seed ${details.seed}, path "${details.counterexamplePath}").\nCounterexample:\n${counterexample}\n${reason}`);
}

// ---- Shared by the *-bad-input files: refusals that leave no trace ----

/** What changed in the table between two tableSnapshot()s: items that appeared, items that went or changed. */
function tableChanges(before: string, after: string): { written: string[]; erased: string[] } {
  const old = new Set(JSON.parse(before) as string[]);
  const now = new Set(JSON.parse(after) as string[]);
  const cut = (item: string) => (item.length > 300 ? `${item.slice(0, 300)}…` : item);
  return { written: [...now].filter((item) => !old.has(item)).map(cut), erased: [...old].filter((item) => !now.has(item)).map(cut) };
}

/** Refusals leave no trace: not one item written or changed (the changed ones are named), not one email sent. */
export async function leavesNoTrace(refusals: () => Promise<void>): Promise<void> {
  const before = await tableSnapshot();
  const sent = (await inbox()).length;
  await refusals();
  expect(tableChanges(before, await tableSnapshot())).toEqual({ written: [], erased: [] });
  expect({ emailsSent: (await inbox()).length - sent }).toEqual({ emailsSent: 0 });
}

/** A refusal with its label (so a failing case in a loop says which), a known problem, and `path` among `errors`. */
export function expectRefused(label: string, response: ApiResponse, status: number, code: string, path?: string): void {
  if (status === 401) {
    expect({ label, status: response.status, body: response.json }).toEqual({ label, status: 401, body: GATEWAY_UNAUTHORIZED });
    return;
  }
  expect({ label, status: response.status, code: response.json?.code, paths: errorPaths(response) }).toEqual({
    label,
    status,
    code,
    paths: path === undefined ? expect.any(Array) : expect.arrayContaining([path]),
  });
  expectKnownProblem(response);
}

/**
 * `Authorization` values the stack must answer 401 to (undefined: no header at all), built around a genuine
 * token: forged signatures, `alg: none`, a swapped payload, truncations, and headers that are not Bearer.
 */
export function badCredentials(genuine: string): [label: string, authorization: string | undefined][] {
  const [header, payload, signature] = genuine.split('.') as [string, string, string];
  return [
    ['no Authorization header', undefined],
    ['not a JWT', 'Bearer not.a.jwt'],
    ['garbage', 'Bearer garbage'],
    ['signed with another RS256 key, as national', `Bearer ${foreignToken(lookalikeClaims(['national']))}`],
    ['signed with another RS256 key, as ARS NAQ', `Bearer ${foreignToken(lookalikeClaims(['ars-NAQ']))}`],
    ['alg none, as national', `Bearer ${unsignedToken(lookalikeClaims(['national']))}`],
    ['genuine header and signature, forged payload', `Bearer ${tamperedToken(genuine)}`],
    ['a truncated signature', `Bearer ${header}.${payload}.${signature.slice(0, -4)}`],
    ['no signature', `Bearer ${header}.${payload}.`],
    ['an extra part', `Bearer ${genuine}.x`],
    ['Basic credentials', `Basic ${Buffer.from('national:secret').toString('base64')}`],
    ['Bearer and nothing', 'Bearer '],
    ['the token without Bearer', genuine],
  ];
}

/** The JSON of `body` followed by spaces up to `bytes` bytes. */
export function paddedTo(bytes: number, body: unknown): string {
  const text = JSON.stringify(body);
  return `${text}${' '.repeat(bytes - Buffer.byteLength(text))}`;
}

/**
 * footprint() for any resource, cheap however large the table: how many items it holds (DescribeTable, which
 * DynamoDB Local counts live; real DynamoDB only every few hours) and every item of the given partitions
 * (`APP#…`, `CONV#…`, `CAMPAIGN#…`, `PILOT#…`), read consistently. A refused request must change neither.
 */
export async function partitionFootprint(partitions: readonly string[]): Promise<string> {
  const readPartition = async (pk: string) => {
    const items: Record<string, unknown>[] = [];
    let from: Record<string, unknown> | undefined;
    do {
      const page = await dynamo.send(
        new QueryCommand({ TableName: stack.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ConsistentRead: true, ExclusiveStartKey: from }),
      );
      items.push(...((page.Items ?? []) as Record<string, unknown>[]));
      from = page.LastEvaluatedKey as Record<string, unknown> | undefined;
    } while (from);
    return [pk, items.map((item) => JSON.stringify(item, Object.keys(item).sort()))] as const;
  };
  const [table, ...parts] = await Promise.all([dynamo.send(new DescribeTableCommand({ TableName: stack.tableName })), ...[...new Set(partitions)].sort().map(readPartition)]);
  return JSON.stringify({ count: table.Table?.ItemCount, partitions: parts });
}
