import { api, expectProblem, inbox, roles, setClock, tableSnapshot, token, type ApiResponse } from './support/stack';
import { DEFAULT_CAMPAIGN, DURING_INTAKE, eligibleFields, finessIn } from './support/fixtures';
import { errorPaths, expectKnownProblem, foreignToken, lookalikeClaims, rawRequest, tamperedToken, unsignedToken } from './support/mutations';
import { withCheckKey } from '../../layers/domain/finess';

// Every refusal of API.md's Conventions, endpoint by endpoint: problem+json with the right code, the field
// named in `errors`, nothing written and no email sent. GET endpoints have no body: their input is the id
// (read, history) or the query string (list), refused below under "ids that cannot exist" and "list queries".

const LIST = `/v1/campaigns/${DEFAULT_CAMPAIGN}/applications`;
const appPath = (id: string) => `/v1/applications/${id}`;
const HUGE = 'x'.repeat(100_000);
const OVER_LIMIT = 'x'.repeat(300 * 1024);

let owner: string;
/** A draft of `owner` in NAQ, with every eligible field, kept at version 1 and `brouillon` by this file. */
let draftId: string;

async function newDraft(candidat: string, fields: Record<string, unknown> = eligibleFields()): Promise<string> {
  const created = await api('POST', LIST, { token: candidat, body: { finess: finessIn('33'), ...fields } });
  expect(created.status).toBe(201);
  return created.json.id as string;
}

beforeAll(async () => {
  await setClock(DURING_INTAKE);
  owner = await roles.candidat('esms-bad-input');
  draftId = await newDraft(owner);
});
beforeEach(() => setClock(DURING_INTAKE));
afterAll(() => setClock(null));

/** Refusals leave no trace: not one item written or changed, not one email sent. */
async function leavesNoTrace(refusals: () => Promise<void>): Promise<void> {
  const before = await tableSnapshot();
  const sent = (await inbox()).length;
  await refusals();
  expect(await tableSnapshot()).toBe(before);
  expect((await inbox()).length).toBe(sent);
}

/** expectProblem, labelled so that a failing case in a loop says which one it is; `path` must be among `errors`. */
function expectRefused(label: string, response: ApiResponse, status: number, code: string, path?: string): void {
  // A 401 is API Gateway's own answer (its JWT authorizer), with its own body: no problem code.
  if (status === 401) return expectProblem(response, 401, code);
  expect({ label, status: response.status, code: response.json?.code, paths: errorPaths(response) }).toEqual({
    label,
    status,
    code,
    paths: path === undefined ? expect.any(Array) : expect.arrayContaining([path]),
  });
  expectProblem(response, status, code);
}

/** `{ contact: { name: value } }` for 'contact.name'. */
function at(path: string, value: unknown): Record<string, unknown> {
  const [head, ...rest] = path.split('.');
  return { [head!]: rest.length === 0 ? value : at(rest.join('.'), value) };
}

const wrongTypes: [string, Record<string, unknown>, string][] = [
  ['name as a number', { name: 42 }, 'name'],
  ['name as null', { name: null }, 'name'],
  ['name blank', { name: '   ' }, 'name'],
  ['category as a number', { category: 500 }, 'category'],
  ['category ABC', { category: 'ABC' }, 'category'],
  ['contact as a string', { contact: 'Claire Martin' }, 'contact'],
  ['contact as an array', { contact: [{ name: 'Claire Martin' }] }, 'contact'],
  ['contact.email not an address', { contact: { email: 'pas-une-adresse' } }, 'contact.email'],
  ['contact.phone in letters', { contact: { phone: 'appelez-moi' } }, 'contact.phone'],
  ['dui as an array', { dui: [true] }, 'dui'],
  ['dui.segurReferenced as a string', { dui: { segurReferenced: 'oui' } }, 'dui.segurReferenced'],
  ['dui.mesCapable as 1', { dui: { mesCapable: 1 } }, 'dui.mesCapable'],
  ['readiness.dmp outside the enum', { readiness: { dmp: 'bientot' } }, 'readiness.dmp'],
  ['pathways as a string', { pathways: 'personnes_agees' }, 'pathways'],
  ['pathways with an unknown value', { pathways: ['inconnu'] }, 'pathways.0'],
  ['pathways with a duplicate', { pathways: ['cancer', 'cancer'] }, 'pathways'],
  ['exchanges as an object', { exchanges: { text: 'x' } }, 'exchanges'],
  ['awarenessMeans as an array', { awarenessMeans: ['x'] }, 'awarenessMeans'],
  ['capacity as a string', { capacity: '80' }, 'capacity'],
  ['capacity negative', { capacity: -1 }, 'capacity'],
  ['capacity not an integer', { capacity: 1.5 }, 'capacity'],
  ['capacity over 100 000', { capacity: 100_001 }, 'capacity'],
  ['capacity beyond safe integers', { capacity: Number.MAX_SAFE_INTEGER + 2 }, 'capacity'],
];

const unknownFields: [string, Record<string, unknown>, string][] = [
  ['an unknown field', { surprise: true }, 'surprise'],
  ['status', { status: 'retenue' }, 'status'],
  ['version', { version: 99 }, 'version'],
  ['ownerId', { ownerId: 'someone-else' }, 'ownerId'],
  ['ars', { ars: 'OCC' }, 'ars'],
  ['id', { id: 'MES-00000000' }, 'id'],
  ['decision', { decision: { decision: 'retenue', motivation: 'x' } }, 'decision'],
  ['review', { review: { scores: {} } }, 'review'],
  ['a field in another case', { Name: 'EHPAD' }, 'Name'],
  ['an unknown contact field', { contact: { fax: '05 56 00 00 01' } }, 'contact.fax'],
  ['an unknown dui field', { dui: { version: '2' } }, 'dui.version'],
];

const hugeStrings: [string, Record<string, unknown>, string][] = ['name', 'category', 'exchanges', 'awarenessMeans', 'contact.name', 'contact.email', 'contact.phone', 'dui.editor', 'dui.product'].map(
  (path) => [`${path} of 100 000 characters`, at(path, HUGE), path],
);

/** Bodies that are not JSON at all. */
const rawBodies: [string, string, string][] = [
  ['truncated JSON', '{"name": "x",', ''],
  ['an open brace', '{', ''],
  ['single quotes', "{'name': 'x'}", ''],
  ['a trailing comma', '{"name": "x",}', ''],
  ['undefined', '{"name": undefined}', ''],
  ['NaN', 'NaN', ''],
  ['a byte order mark', '\ufeff{}', ''],
  ['two documents', '{"name":"a"}{"name":"b"}', ''],
];

/** Bodies that are JSON but that JSON.stringify would never write. */
const rawFieldBodies: [string, string, string][] = [
  ['capacity 1e400 (Infinity once parsed)', '{"capacity": 1e400}', 'capacity'],
  ['a duplicate key whose last value is markup', '{"name": "EHPAD", "name": "<b>x</b>"}', 'name'],
  ['__proto__', '{"__proto__": {"status": "retenue"}}', '__proto__'],
  ['constructor', '{"constructor": {"name": "x"}}', 'constructor'],
];

const notObjects: [string, unknown][] = [
  ['null', null],
  ['an array', []],
  ['a string', 'EHPAD'],
  ['a number', 42],
  ['true', true],
  ['the fields inside an array', [eligibleFields()]],
];

/** Create and replace, each with the way to build a body around the fields under test. */
const bodyRoutes: [string, string, () => string, (fields: Record<string, unknown>) => Record<string, unknown>][] = [
  ['create', 'POST', () => LIST, (fields) => ({ finess: finessIn('33'), ...fields })],
  ['replace', 'PUT', () => appPath(draftId), (fields) => ({ ...eligibleFields(), ...fields })],
];

describe('create and replace refuse bodies that break the schema (400 validation_failed naming the field)', () => {
  it.each(bodyRoutes)('%s: malformed JSON, non-objects, wrong types, unknown fields, 100 000-character strings', async (_name, method, pathOf, bodyWith) => {
    await leavesNoTrace(async () => {
      for (const [label, text, path] of [...rawBodies, ...rawFieldBodies]) {
        const rawBody = text.startsWith('{"') && method === 'POST' ? text.replace('{', `{"finess":"${finessIn('33')}",`) : text;
        expectRefused(label, await api(method, pathOf(), { token: owner, rawBody }), 400, 'validation_failed', path);
      }
      for (const [label, body] of notObjects) expectRefused(label, await api(method, pathOf(), { token: owner, body }), 400, 'validation_failed');
      expectRefused('no body', await api(method, pathOf(), { token: owner }), 400, 'validation_failed');
      for (const [label, fields, path] of [...wrongTypes, ...unknownFields, ...hugeStrings]) {
        expectRefused(label, await api(method, pathOf(), { token: owner, body: bodyWith(fields) }), 400, 'validation_failed', path);
      }
    });
  });

  it('replace: finess is not editable and the derived fields cannot be set', async () => {
    await leavesNoTrace(async () => {
      for (const field of ['finess', 'sector', 'mode', 'department', 'campaignId', 'createdAt', 'submittedAt']) {
        expectRefused(field, await api('PUT', appPath(draftId), { token: owner, body: { ...eligibleFields(), [field]: 'x' } }), 400, 'validation_failed', field);
      }
    });
  });
});

describe('text fields refuse control characters and markup', () => {
  const textFields = ['name', 'exchanges', 'awarenessMeans', 'contact.name', 'dui.editor'];
  const hostile = ['\u0000', '\u001b[31m', '\u0007', '\u007f', '\u0085', '\u2028', '<script>alert(1)</script>', '<b>x</b>', '< img src=x onerror=alert(1)>', '<!-- x -->', '</textarea>'];

  it.each(bodyRoutes)('%s: 400 validation_failed with the field path for each of them', async (_name, method, pathOf, bodyWith) => {
    await leavesNoTrace(async () => {
      for (const field of textFields) {
        for (const value of hostile) {
          const body = bodyWith(at(field, `Texte ${value} suite`));
          expectRefused(`${field} = ${JSON.stringify(value)}`, await api(method, pathOf(), { token: owner, body }), 400, 'validation_failed', field);
        }
      }
      // One-line fields refuse line breaks and tabs too; the long texts accept them (see below).
      for (const field of ['name', 'contact.name', 'dui.product']) {
        for (const value of ['Ligne 1\nLigne 2', 'A\tB', 'A\rB']) {
          expectRefused(`${field} = ${JSON.stringify(value)}`, await api(method, pathOf(), { token: owner, body: bodyWith(at(field, value)) }), 400, 'validation_failed', field);
        }
      }
    });
  });

  it('accepts what people really type: accents, emoji, guillemets, a lone "<" in a sentence, line breaks in the long texts', async () => {
    const id = await newDraft(owner);
    const typed = {
      ...eligibleFields(),
      name: '  Foyer 🌳 « Les Lilas » – Saint-Étienne  ',
      exchanges: 'Ligne 1\nLigne 2\tfin : 2 < 3 et 5 > 4',
      awarenessMeans: 'Réunions 👪 des familles',
      contact: { name: "Zoë L'Hôte-Müller", email: 'direction@ehpad.local' },
    };
    const replaced = await api('PUT', appPath(id), { token: owner, body: typed });
    expect(replaced.status).toBe(200);
    expect(replaced.json).toMatchObject({ name: 'Foyer 🌳 « Les Lilas » – Saint-Étienne', exchanges: typed.exchanges, awarenessMeans: typed.awarenessMeans, contact: typed.contact });
  });

  it('refuses lone UTF-16 surrogates, which no UTF-8 text can hold', async () => {
    const id = await newDraft(owner);
    await leavesNoTrace(async () => {
      for (const [field, value] of [
        ['name', 'Résidence \ud800'],
        ['exchanges', 'Échanges \udc00 prévus'],
        ['contact.name', '\udbff'],
      ] as const) {
        // Once answered 200 and stored as is: JSON may escape it, UTF-8 cannot encode it.
        expectRefused(`${field} = ${JSON.stringify(value)}`, await api('PUT', appPath(id), { token: owner, body: { ...eligibleFields(), ...at(field, value) } }), 400, 'validation_failed', field);
      }
    });
  });
});

describe('submit and withdraw take no fields', () => {
  it('refuse malformed JSON like every route', async () => {
    await leavesNoTrace(async () => {
      for (const action of ['submit', 'withdraw']) {
        for (const [label, text] of rawBodies) {
          expectRefused(`${action}: ${label}`, await api('POST', `${appPath(draftId)}/${action}`, { token: owner, rawBody: text }), 400, 'validation_failed');
        }
      }
    });
  });

  it('refuse a body with fields or that is not an object, and accept an empty object', async () => {
    const id = await newDraft(owner);
    await leavesNoTrace(async () => {
      for (const action of ['submit', 'withdraw']) {
        const path = `${appPath(id)}/${action}`;
        expectRefused(`${action}: unknown field`, await api('POST', path, { token: owner, body: { surprise: true } }), 400, 'validation_failed', 'surprise');
        expectRefused(`${action}: 100 000 characters`, await api('POST', path, { token: owner, body: { motivation: HUGE } }), 400, 'validation_failed', 'motivation');
        for (const [label, body] of notObjects) expectRefused(`${action}: ${label}`, await api('POST', path, { token: owner, body }), 400, 'validation_failed');
      }
    });
    expect((await api('POST', `${appPath(id)}/submit`, { token: owner, body: {} })).json).toMatchObject({ status: 'deposee', version: 2 });
  });
});

describe('FINESS is checked at once on create', () => {
  it('answers 400 finess_invalid for a bad key, a wrong length, letters or an unknown département', async () => {
    const good = finessIn('33');
    const badKey = `${good.slice(0, 8)}${(Number(good[8]) + 1) % 10}`;
    const invalid: [string, string][] = [
      ['a bad Luhn key', badKey],
      ['8 digits', good.slice(0, 8)],
      ['10 digits', `${good}0`],
      ['letters', 'ABCDEFGHI'],
      ['a letter inside', `${good.slice(0, 4)}X${good.slice(5)}`],
      ['département 96 (none)', withCheckKey('96000001')],
      ['département 00', withCheckKey('00000001')],
      ['département 20 (Corsica is 2A/2B)', withCheckKey('20000001')],
      ['Corsica 2C', '2C0000001'],
      ['overseas 975 (not served)', withCheckKey('97050001')],
      ['empty', ''],
      ['blank', '   '],
      ['punctuation', '33-078-011-9'],
    ];
    await leavesNoTrace(async () => {
      for (const [label, finess] of invalid) {
        const refused = await api('POST', LIST, { token: owner, body: { finess, ...eligibleFields() } });
        expectRefused(label, refused, 400, 'finess_invalid', 'finess');
      }
      expectRefused('missing', await api('POST', LIST, { token: owner, body: eligibleFields() }), 400, 'validation_failed', 'finess');
      expectRefused('a number', await api('POST', LIST, { token: owner, body: { finess: Number(good) } }), 400, 'validation_failed', 'finess');
      const huge = await api('POST', LIST, { token: owner, body: { finess: HUGE } });
      expect({ status: huge.status, code: ['validation_failed', 'finess_invalid'].includes(huge.json?.code), paths: errorPaths(huge) }).toEqual({ status: 400, code: true, paths: ['finess'] });
    });
  });
});

/** The JSON of `body` followed by spaces up to `bytes` bytes (the fields hold multi-byte characters). */
const paddedTo = (bytes: number, body: unknown): string => {
  const text = JSON.stringify(body);
  return `${text}${' '.repeat(bytes - Buffer.byteLength(text))}`;
};

describe('size and media type', () => {
  it('answers 413 payload_too_large over 256 KiB on every route with a body, and at the gateway over 10 MB', async () => {
    await leavesNoTrace(async () => {
      expectRefused('create', await api('POST', LIST, { token: owner, body: { finess: finessIn('33'), name: OVER_LIMIT } }), 413, 'payload_too_large');
      expectRefused('replace', await api('PUT', appPath(draftId), { token: owner, body: { ...eligibleFields(), exchanges: OVER_LIMIT } }), 413, 'payload_too_large');
      expectRefused('submit', await api('POST', `${appPath(draftId)}/submit`, { token: owner, body: { pad: OVER_LIMIT } }), 413, 'payload_too_large');
      expectRefused('withdraw', await api('POST', `${appPath(draftId)}/withdraw`, { token: owner, body: { pad: OVER_LIMIT } }), 413, 'payload_too_large');
      expectRefused('11 MB', await api('POST', LIST, { token: owner, rawBody: `{"finess":"${finessIn('33')}","name":"${'x'.repeat(11 * 1024 * 1024)}"}` }), 413, 'payload_too_large');
      const oneByteOver = paddedTo(256 * 1024 + 1, eligibleFields());
      expect(Buffer.byteLength(oneByteOver)).toBe(256 * 1024 + 1);
      expectRefused('256 KiB + 1 byte', await api('PUT', appPath(draftId), { token: owner, rawBody: oneByteOver }), 413, 'payload_too_large');
    });
  });

  it('accepts a body of exactly 256 KiB', async () => {
    const id = await newDraft(owner);
    const exactly = paddedTo(256 * 1024, eligibleFields());
    expect(Buffer.byteLength(exactly)).toBe(256 * 1024);
    expect((await api('PUT', appPath(id), { token: owner, rawBody: exactly })).status).toBe(200);
  });

  it('answers 415 unsupported_media_type for a body that is not declared JSON', async () => {
    const contentTypes = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/octet-stream', 'application/jsonp', 'text/json'];
    const routes: [string, string, string, unknown][] = [
      ['create', 'POST', LIST, { finess: finessIn('33'), ...eligibleFields() }],
      ['replace', 'PUT', appPath(draftId), eligibleFields()],
      ['submit', 'POST', `${appPath(draftId)}/submit`, {}],
      ['withdraw', 'POST', `${appPath(draftId)}/withdraw`, {}],
    ];
    await leavesNoTrace(async () => {
      for (const [name, method, path, body] of routes) {
        for (const contentType of contentTypes) {
          const response = await api(method, path, { token: owner, rawBody: JSON.stringify(body), headers: { 'content-type': contentType } });
          expectRefused(`${name} as ${contentType}`, response, 415, 'unsupported_media_type');
        }
        const undeclared = await rawRequest(method, path, { token: owner, body: new Uint8Array(Buffer.from(JSON.stringify(body))) });
        expectRefused(`${name} without content-type`, undeclared, 415, 'unsupported_media_type');
      }
    });
  });
});

/** The seven routes of API.md's Applications section, against the shared draft. */
const everyRoute = (): [string, string, string, unknown][] => [
  ['create', 'POST', LIST, { finess: finessIn('33'), ...eligibleFields() }],
  ['list', 'GET', LIST, undefined],
  ['read', 'GET', appPath(draftId), undefined],
  ['replace', 'PUT', appPath(draftId), eligibleFields({ name: 'Détourné' })],
  ['submit', 'POST', `${appPath(draftId)}/submit`, undefined],
  ['withdraw', 'POST', `${appPath(draftId)}/withdraw`, undefined],
  ['history', 'GET', `${appPath(draftId)}/history`, undefined],
];

describe('authentication (401 unauthenticated)', () => {
  it('refuses a missing, garbage or foreign token on every route', async () => {
    const genuine = owner;
    const [header, payload, signature] = genuine.split('.') as [string, string, string];
    const badTokens: [string, string][] = [
      ['not a JWT', 'not.a.jwt'],
      ['garbage', 'garbage'],
      ['signed with another RS256 key, as the owner', foreignToken(lookalikeClaims(['candidat'], 'esms-bad-input'))],
      ['signed with another RS256 key, as national', foreignToken(lookalikeClaims(['national']))],
      ['alg none', unsignedToken(lookalikeClaims(['national']))],
      ['genuine header and signature, forged payload', tamperedToken(genuine)],
      ['a truncated signature', `${header}.${payload}.${signature.slice(0, -4)}`],
      ['no signature', `${header}.${payload}.`],
      ['an extra part', `${genuine}.x`],
    ];
    const badHeaders: [string, string][] = [
      ['Basic credentials', `Basic ${Buffer.from('candidat:secret').toString('base64')}`],
      ['Bearer and nothing', 'Bearer '],
      ['the token without Bearer', genuine],
    ];
    await leavesNoTrace(async () => {
      for (const [name, method, path, body] of everyRoute()) {
        expectRefused(`${name}: no token`, await api(method, path, { body }), 401, 'unauthenticated');
        for (const [label, bad] of badTokens) expectRefused(`${name}: ${label}`, await api(method, path, { body, token: bad }), 401, 'unauthenticated');
        for (const [label, value] of badHeaders) expectRefused(`${name}: ${label}`, await api(method, path, { body, headers: { authorization: value } }), 401, 'unauthenticated');
      }
    });
  });
});

describe('authorisation', () => {
  it('answers 403 forbidden to a role the route does not allow', async () => {
    const national = await roles.national();
    const arsNaq = await roles.ars('NAQ');
    // A user without any group is a self signed-up applicant (layers/http/auth.ts), not someone without a role.
    const noGroup = await token({ sub: 'sans-groupe', email: 'sans-groupe@esms.local' });
    const machine = await token({ sub: 'dui-local-a', clientId: 'dui-local-a', scope: 'usage/write' });
    await leavesNoTrace(async () => {
      for (const [name, method, path, body] of everyRoute()) {
        if (['create', 'replace', 'submit', 'withdraw'].includes(name)) {
          expectRefused(`national ${name}`, await api(method, path, { token: national, body }), 403, 'forbidden');
          expectRefused(`ARS of the region ${name}`, await api(method, path, { token: arsNaq, body }), 403, 'forbidden');
        }
        expectRefused(`machine client ${name}`, await api(method, path, { token: machine, body }), 403, 'forbidden');
      }
      expectRefused('candidate listing', await api('GET', LIST, { token: owner }), 403, 'forbidden');
      expectRefused('self signed-up applicant listing', await api('GET', LIST, { token: noGroup }), 403, 'forbidden');
      for (const [name, method, path, body] of everyRoute().filter(([name]) => !['create', 'list'].includes(name))) {
        expectRefused(`self signed-up applicant ${name}`, await api(method, path, { token: noGroup, body }), 404, 'not_found');
      }
    });
  });

  it("answers 404 not_found, never 403, to another candidate or an ARS of another region, exactly as for an unknown id", async () => {
    const stranger = await roles.candidat('esms-bad-input-stranger');
    const arsOcc = await roles.ars('OCC');
    const unknown = 'MES-00000000';
    await leavesNoTrace(async () => {
      const routes: [string, string, string, unknown][] = [
        ['read', 'GET', '', undefined],
        ['history', 'GET', '/history', undefined],
        ['replace', 'PUT', '', eligibleFields({ name: 'Détourné' })],
        ['submit', 'POST', '/submit', undefined],
        ['withdraw', 'POST', '/withdraw', undefined],
      ];
      for (const [name, method, suffix, body] of routes) {
        const hidden = await api(method, `${appPath(draftId)}${suffix}`, { token: stranger, body });
        const absent = await api(method, `${appPath(unknown)}${suffix}`, { token: owner, body });
        expectRefused(`stranger ${name}`, hidden, 404, 'not_found');
        expectRefused(`unknown id ${name}`, absent, 404, 'not_found');
        expect(hidden.json).toEqual(absent.json);
      }
      expectRefused('ARS OCC read', await api('GET', appPath(draftId), { token: arsOcc }), 404, 'not_found');
      expectRefused('ARS OCC history', await api('GET', `${appPath(draftId)}/history`, { token: arsOcc }), 404, 'not_found');
      const occList = await api('GET', `${LIST}?limit=200`, { token: arsOcc });
      expect(occList.json.items.map((item: { id: string }) => item.id)).not.toContain(draftId);
    });
  });

});

describe('ids that cannot exist', () => {
  it('answers 404 to ids that cannot exist, even too long to be a database key, never 500', async () => {
    await leavesNoTrace(async () => {
      expectRefused('a NUL in the id', await api('GET', appPath('MES-%00'), { token: owner }), 404, 'not_found');
      expectRefused('an id of 1 000 characters', await api('GET', appPath('A'.repeat(1000)), { token: owner }), 404, 'not_found');
      // Past DynamoDB's 2 KB key limit: such an id once reached GetItem and answered 500.
      expectRefused('an id of 3 000 characters', await api('GET', appPath('A'.repeat(3000)), { token: owner }), 404, 'not_found');
      expectRefused('an id of 3 000 characters (PUT)', await api('PUT', appPath('A'.repeat(3000)), { token: owner, body: eligibleFields() }), 404, 'not_found');
      expectRefused('an id of 3 000 characters (submit)', await api('POST', `${appPath('A'.repeat(3000))}/submit`, { token: owner }), 404, 'not_found');
    });
  });

  it('answers 404 to campaign ids that cannot exist, even too long to be a database key, never 500', async () => {
    const national = await roles.national();
    await leavesNoTrace(async () => {
      expectRefused('an unknown campaign (create)', await api('POST', '/v1/campaigns/inconnue/applications', { token: owner, body: { finess: finessIn('33') } }), 404, 'not_found');
      expectRefused('an unknown campaign (list)', await api('GET', '/v1/campaigns/inconnue/applications', { token: national }), 404, 'not_found');
      // Past DynamoDB's 2 KB key limit: such an id once reached GetItem and answered 500.
      expectRefused('a campaign id of 3 000 characters (create)', await api('POST', `/v1/campaigns/${'c'.repeat(3000)}/applications`, { token: owner, body: { finess: finessIn('33') } }), 404, 'not_found');
      expectRefused('a campaign id of 3 000 characters (list)', await api('GET', `/v1/campaigns/${'c'.repeat(3000)}/applications`, { token: national }), 404, 'not_found');
    });
  });

  it('answers 400 or 404 to a malformed percent-encoding in the path, never 500', async () => {
    await leavesNoTrace(async () => {
      for (const id of ['%', '%E0%A4%A', '%ED%A0%80']) {
        const response = await api('GET', appPath(id), { token: owner });
        // decodeURIComponent throws on these: the emulator once answered 500.
        expect({ id, status: [400, 404].includes(response.status) }).toEqual({ id, status: true });
        // A path that names no route gets API Gateway's own 404; one that reaches a function, its problem.
        expectKnownProblem(response);
      }
    });
  });
});

describe('If-Match', () => {
  const actions: [string, string, string, unknown][] = [
    ['replace', 'PUT', '', eligibleFields({ name: 'Nouveau nom' })],
    ['submit', 'POST', '/submit', undefined],
    ['withdraw', 'POST', '/withdraw', undefined],
  ];

  it('answers 400 for a malformed If-Match and 412 version_conflict for a stale one', async () => {
    await leavesNoTrace(async () => {
      for (const [name, method, suffix, body] of actions) {
        const path = `${appPath(draftId)}${suffix}`;
        for (const malformed of ['abc', '1', '"abc"', 'W/1', '"-1"', '"1.0"', '"1234567890"', '"1" x']) {
          expectRefused(`${name} If-Match: ${malformed}`, await api(method, path, { token: owner, body, headers: { 'if-match': malformed } }), 400, 'validation_failed', 'If-Match');
        }
        for (const stale of ['"0"', '"2"', 'W/"7"', '"999999999"']) {
          expectRefused(`${name} If-Match: ${stale}`, await api(method, path, { token: owner, body, headers: { 'if-match': stale } }), 412, 'version_conflict');
        }
      }
    });
  });
});

describe('list queries', () => {
  it('answers 400 validation_failed to a bad limit, status, category, q, cursor or ars, and 403 to an ARS asking for another region', async () => {
    const national = await roles.national();
    const arsNaq = await roles.ars('NAQ');
    const bad: [string, string][] = [
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['limit=abc', 'limit'],
      ['limit=-1', 'limit'],
      ['limit=1.5', 'limit'],
      ['limit=', 'limit'],
      ['status=inconnu', 'status'],
      ['status=BROUILLON', 'status'],
      ['category=ABC', 'category'],
      ['category=5000', 'category'],
      [`q=${'x'.repeat(101)}`, 'q'],
      ['cursor=garbage', 'cursor'],
      ['cursor=%25%25%25', 'cursor'],
      [`cursor=${'A'.repeat(3000)}`, 'cursor'],
      ['ars=XYZ', 'ars'],
      ['ars=naq', 'ars'],
    ];
    await leavesNoTrace(async () => {
      for (const [query, field] of bad) {
        const response = await api('GET', `${LIST}?${query}`, { token: national });
        expectRefused(query, response, 400, 'validation_failed');
        expect({ query, paths: errorPaths(response).some((path) => path === field || path === `query.${field}`) }).toEqual({ query, paths: true });
      }
      expectRefused('ARS asking for OCC', await api('GET', `${LIST}?ars=OCC`, { token: arsNaq }), 403, 'forbidden');
      expectRefused('candidate', await api('GET', LIST, { token: owner }), 403, 'forbidden');
      expectRefused('unknown campaign', await api('GET', '/v1/campaigns/inconnue/applications', { token: national }), 404, 'not_found');
    });
  });

  it('answers 400 to a cursor it did not hand out for this query, never 500', async () => {
    await newDraft(await roles.candidat('esms-bad-input-second'));
    const national = await roles.national();
    const arsNaq = await roles.ars('NAQ');
    const national1 = await api('GET', `${LIST}?limit=1`, { token: national });
    const naq1 = await api('GET', `${LIST}?limit=1`, { token: arsNaq });
    expect([national1.json.nextCursor, naq1.json.nextCursor]).toEqual([expect.any(String), expect.any(String)]);
    const forged: [string, string, string][] = [
      ['a JSON object that is no key', Buffer.from('{"a":1}').toString('base64url'), national],
      ['a key of the wrong shape', Buffer.from(JSON.stringify({ pk: 1, sk: 2, gsi2pk: 3, gsi2sk: 4 })).toString('base64url'), national],
      ['a key of another region', Buffer.from(JSON.stringify({ pk: 'APP#MES-X', sk: 'APP', gsi1pk: `APPS#${DEFAULT_CAMPAIGN}#OCC`, gsi1sk: 'brouillon#x' })).toString('base64url'), arsNaq],
      ['the national cursor replayed by an ARS', national1.json.nextCursor as string, arsNaq],
      ["an ARS's cursor replayed by national", naq1.json.nextCursor as string, national],
      ['a key of another campaign', Buffer.from(JSON.stringify({ pk: 'APP#MES-X', sk: 'APP', gsi2pk: 'APPS#autre-campagne', gsi2sk: 'brouillon#x' })).toString('base64url'), national],
    ];
    await leavesNoTrace(async () => {
      for (const [label, cursor, caller] of forged) {
        // Each decodes to a JSON object but is no key of the index queried: DynamoDB refuses it, once a 500.
        expectRefused(label, await api('GET', `${LIST}?cursor=${cursor}`, { token: caller }), 400, 'validation_failed', 'query.cursor');
      }
    });
  });
});

describe('collaborators and transfer refuse bad input and strangers, writing nothing', () => {
  it('answers 400 naming the field to a malformed collaborator or transfer body, 403 or 404 to those who may not, and sends no email', async () => {
    const arsNaq = await roles.ars('NAQ');
    const collaborators = `${appPath(draftId)}/collaborators`;
    const transfer = `${appPath(draftId)}/transfer`;
    await leavesNoTrace(async () => {
      const invites: [string, unknown, string][] = [
        ['no email', {}, 'email'],
        ['email not an address', { email: 'pas-une-adresse' }, 'email'],
        ['email as a number', { email: 42 }, 'email'],
        ['email too long', { email: `${'a'.repeat(250)}@x.fr` }, 'email'],
        ['an unknown field', { email: 'adjoint@esms.local', role: 'owner' }, 'role'],
      ];
      for (const [label, body, path] of invites) expectRefused(`invite: ${label}`, await api('POST', collaborators, { token: owner, body }), 400, 'validation_failed', path);
      const transfers: [string, unknown, string][] = [
        ['no motivation', { email: 'directrice@esms.local' }, 'motivation'],
        ['blank motivation', { email: 'directrice@esms.local', motivation: '   ' }, 'motivation'],
        ['markup in the motivation', { email: 'directrice@esms.local', motivation: '<b>urgent</b>' }, 'motivation'],
        ['motivation too long', { email: 'directrice@esms.local', motivation: 'x'.repeat(2001) }, 'motivation'],
        ['email not an address', { email: 'directrice', motivation: 'Délégation présentée.' }, 'email'],
        ['an unknown field', { email: 'directrice@esms.local', motivation: 'Délégation présentée.', ownerId: 'x' }, 'ownerId'],
      ];
      for (const [label, body, path] of transfers) expectRefused(`transfer: ${label}`, await api('POST', transfer, { token: arsNaq, body }), 400, 'validation_failed', path);
      expectRefused('remove: not an address', await api('DELETE', `${collaborators}/pas-une-adresse`, { token: owner }), 400, 'validation_failed', 'path.email');
      expectRefused('invite: another candidate', await api('POST', collaborators, { token: await roles.candidat('esms-bad-input-intrus'), body: { email: 'moi@esms.local' } }), 404, 'not_found');
      expectRefused('invite: an ARS', await api('POST', collaborators, { token: arsNaq, body: { email: 'moi@esms.local' } }), 403, 'forbidden');
      expectRefused('transfer: the owner', await api('POST', transfer, { token: owner, body: { email: 'moi@esms.local', motivation: 'Moi.' } }), 403, 'forbidden');
      expectRefused('transfer: ARS of another region', await api('POST', transfer, { token: await roles.ars('OCC'), body: { email: 'moi@esms.local', motivation: 'Moi.' } }), 404, 'not_found');
      expectRefused('transfer: stale If-Match', await api('POST', transfer, { token: arsNaq, body: { email: 'moi@esms.local', motivation: 'Moi.' }, headers: { 'if-match': '"99"' } }), 412, 'version_conflict');
      expectRefused('transfer: oversized', await api('POST', transfer, { token: arsNaq, rawBody: JSON.stringify({ email: 'moi@esms.local', motivation: OVER_LIMIT }) }), 413, 'payload_too_large');
    });
  });
});
