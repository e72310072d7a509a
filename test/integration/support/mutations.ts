import { generateKeyPairSync, sign } from 'node:crypto';
import fc from 'fast-check';
import { pathways, readinessLevels } from '../../../layers/domain/application';
import { errorCodes } from '../../../layers/domain/errors';
import { withCheckKey } from '../../../layers/domain/finess';
import { problemKinds } from '../../../layers/http/problem';
import { LOCAL_ISSUER } from '../../../infra/local/local-jwt';
import { stack, type ApiResponse } from './stack';

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
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

// ---- What every refusal must look like ----

const knownCodes = new Set<string>(errorCodes);

/** problem+json with a code of API.md whose status is the one answered; field errors well formed. */
export function expectKnownProblem(response: ApiResponse): void {
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

/** Mostly a plausible value, sometimes junk. */
const mostly = (valid: fc.Arbitrary<string>): fc.Arbitrary<string> => fc.oneof({ weight: 5, arbitrary: valid }, { weight: 2, arbitrary: junk });

const plainText = (max: number) =>
  fc.oneof(
    fc.constantFrom('EHPAD Les Tilleuls', 'SSIAD du Poitou', 'Résidence « Les Lilas »', 'Foyer 🌳 Saint-Étienne', 'MAS du Lauragais'),
    fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: max }),
  );

const longPlainText = fc.oneof(
  fc.constantFrom("Envoi du DLU et de la lettre de liaison à l'hôpital ;\nmessagerie sécurisée avec les familles.", 'Réunions des familles, formation des équipes.', ''),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
);

const departments = ['01', '13', '16', '24', '2A', '2B', '31', '33', '40', '59', '64', '75', '86', '87', '971', '972', '973', '974', '976'];

/** A FINESS with a good key in a real département (Corsican ones have no key to get wrong). */
export const validFiness: fc.Arbitrary<string> = fc.tuple(fc.constantFrom(...departments), fc.integer({ min: 0, max: 99_999 })).map(([department, serial]) => {
  if (department.startsWith('2') && /[AB]/.test(department)) return `${department}${String(serial).padStart(7, '0')}`;
  const head = department.length === 3 ? `970${department.slice(2)}` : department;
  return withCheckKey(`${head}${String(serial).padStart(8 - head.length, '0')}`.slice(0, 8));
});

type Fields = Record<string, fc.Arbitrary<string>>;

/** An object whose keys are each present or not, plus sometimes keys nobody asked for. */
function objectOf(fields: Fields, unknownKeys: readonly string[]): fc.Arbitrary<string> {
  const known = Object.entries(fields).map(([key, value]) => fc.option(value.map((text) => [key, text] as const), { nil: undefined, freq: 2 }));
  const extra = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...unknownKeys), fc.string({ unit: 'binary', maxLength: 10 })), junk), { maxLength: 2 });
  return fc
    .tuple(fc.tuple(...known), fc.option(extra, { nil: [], freq: 4 }))
    .map(([present, added]) => objectText([...present.filter((entry): entry is readonly [string, string] => entry !== undefined), ...added]));
}

const contact = objectOf(
  {
    name: mostly(plainText(120).map(j)),
    email: mostly(fc.oneof(fc.emailAddress(), fc.constantFrom('direction@ehpad.local', 'pas-une-adresse')).map(j)),
    phone: mostly(fc.constantFrom('05 56 00 00 00', '+33 5 56 00 00 00', '(05) 56.00.00.00', '123', 'appelez-moi').map(j)),
  },
  ['fax', 'Name'],
);

const dui = objectOf(
  {
    editor: mostly(plainText(120).map(j)),
    product: mostly(plainText(120).map(j)),
    segurReferenced: mostly(fc.boolean().map(j)),
    mesCapable: mostly(fc.boolean().map(j)),
  },
  ['version', 'segur'],
);

const readiness = objectOf(Object.fromEntries(['dmp', 'mss', 'ins'].map((key) => [key, mostly(fc.constantFrom(...readinessLevels, 'oui').map(j))])), ['dp']);

/** The editable fields of API.md, each plausible or mutated (objects swapped for arrays, etc.). */
const editable: Fields = {
  name: mostly(plainText(200).map(j)),
  category: mostly(fc.constantFrom('500', '354', '255', '209', '999', '000', '50').map(j)),
  contact: mostly(fc.oneof({ weight: 4, arbitrary: contact }, { weight: 1, arbitrary: contact.map((text) => `[${text}]`) })),
  dui: mostly(fc.oneof({ weight: 4, arbitrary: dui }, { weight: 1, arbitrary: dui.map((text) => `[${text}]`) })),
  readiness: mostly(readiness),
  pathways: mostly(fc.array(fc.constantFrom(...pathways, 'inconnu'), { maxLength: 6 }).map(j)),
  exchanges: mostly(longPlainText.map(j)),
  awarenessMeans: mostly(longPlainText.map(j)),
  capacity: mostly(fc.oneof(fc.integer({ min: 0, max: 100_000 }).map(String), numberLiteral)),
};

const UNKNOWN_TOP_LEVEL = ['__proto__', 'constructor', 'toString', 'status', 'version', 'ownerId', 'ars', 'id', 'decision', 'review', 'Name', 'name ', ''];

/** Now and then the body is not an object at all, or the object comes wrapped in an array. */
function shaped(object: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof({ weight: 8, arbitrary: object }, { weight: 1, arbitrary: object.map((text) => `[${text}]`) }, { weight: 1, arbitrary: junk });
}

/** A create body: a FINESS (mostly valid, sometimes junk or missing) and editable fields, mutated. */
export const createBody: fc.Arbitrary<string> = shaped(
  fc
    .tuple(
      fc.oneof({ weight: 12, arbitrary: validFiness.map(j) }, { weight: 1, arbitrary: junk }, { weight: 1, arbitrary: fc.constant(undefined) }),
      objectOf(editable, UNKNOWN_TOP_LEVEL),
    )
    .map(([finess, rest]) => (finess === undefined ? rest : rest === '{}' ? `{"finess":${finess}}` : `{"finess":${finess},${rest.slice(1)}`)),
);

/** A PUT body: editable fields, mutated (finess is not editable). */
export const editBody: fc.Arbitrary<string> = shaped(objectOf(editable, [...UNKNOWN_TOP_LEVEL, 'finess']));

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
