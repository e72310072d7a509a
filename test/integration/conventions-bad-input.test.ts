import { randomBytes } from 'node:crypto';
import { conventionIdOf } from '../../layers/domain/convention';
import { responseSchemas } from '../../layers/http/openapi/schemas';
import { api, runMilestones, setClock } from './support/stack';
import { closeIntake, createCampaign, submittedApplication, type Submitted, callersFor } from './support/flow';
import { badCredentials, expectKnownProblem, expectRefused, leavesNoTrace, paddedTo, rawRequest } from './support/mutations';
import { calendarOf } from '../support/calendars';

// API.md's Conventions section held to the standard of the intake (applications-bad-input): every refusal of
// a convention read, list or signature is a problem+json with the right code and field, and writes nothing:
// not one item, not one email. An ARS of another region, or another applicant, learns nothing (404, as for an
// id that does not exist).
//
// A campaign of this file's own, in 2044, reached through the real flow: applications submitted during the
// intake, the milestone run closing it, decisions, notification (which creates the conventions), signatures.

const RUN = randomBytes(3).toString('hex');
const CAMPAIGN = `conv-bad-input-2044-${RUN}`;
const calendar = calendarOf(2044);
const IN_INTAKE = '2044-02-10T10:00:00+01:00';
const IN_SELECTION = '2044-03-10T10:00:00+01:00';
const IN_CONVENTIONS = '2044-05-01T10:00:00+02:00';
const LAST_SECOND = '2044-05-31T23:59:59+02:00';

const HUGE = 'x'.repeat(100_000);
const OVER_LIMIT = 'x'.repeat(300 * 1024);
const MOTIVATION = 'Projet solide, DUI référencé Ségur, parcours personnes âgées détaillé.';

const OWNER = `conv-bad-owner-${RUN}`;
let owner: string;
let stranger: string;
let noGroup: string;
let machine: string;
let arsNaq: string;
let arsOcc: string;
let national: string;

/** NAQ, retained: its convention stays unsigned until the deadline, the aim of every refusal. */
let a: Submitted;
/** NAQ, retained: its convention is signed by the ESMS in beforeAll, by the ARS at the last second. */
let b: Submitted;
/** NAQ, not retained: no convention. */
let c: Submitted;
/** OCC, retained. */
let d: Submitted;
let cA: string;
let cB: string;
let cD: string;

const conventionPath = (id: string) => `/v1/conventions/${id}`;
const signPath = (id: string) => `${conventionPath(id)}/signatures`;
const LIST = `/v1/campaigns/${CAMPAIGN}/conventions`;
const UNKNOWN_ID = 'CNV-ZZZZZZZZ';

beforeAll(async () => {
  await createCampaign(CAMPAIGN, calendar);
  ({ owner, stranger, noGroup, machine, arsNaq, arsOcc, national } = await callersFor(`conv-bad-${RUN}`, OWNER));
  await setClock(IN_INTAKE);
  a = await submittedApplication(CAMPAIGN, '33', OWNER, { name: 'EHPAD La Cible' });
  b = await submittedApplication(CAMPAIGN, '33', OWNER, { name: 'EHPAD Les Signataires' });
  c = await submittedApplication(CAMPAIGN, '33', OWNER, { name: 'EHPAD Non Retenu' });
  d = await submittedApplication(CAMPAIGN, '31', `conv-bad-occ-${RUN}`, { name: 'EHPAD Occitan' });
  await closeIntake(CAMPAIGN, IN_SELECTION);

  const decide = async (application: Submitted, decision: string, caller: string) =>
    expect((await api('POST', `/v1/applications/${application.id}/decision`, { token: caller, body: { decision, motivation: MOTIVATION } })).status).toBe(200);
  await decide(a, 'retenue', arsNaq);
  await decide(b, 'retenue', arsNaq);
  await decide(c, 'non_retenue', arsNaq);
  await decide(d, 'retenue', arsOcc);
  expect((await api('POST', `/v1/campaigns/${CAMPAIGN}/regions/NAQ/notify`, { token: arsNaq })).json).toEqual({ notified: 3, conventionsCreated: 2 });
  expect((await api('POST', `/v1/campaigns/${CAMPAIGN}/regions/OCC/notify`, { token: arsOcc })).json).toEqual({ notified: 1, conventionsCreated: 1 });
  [cA, cB, cD] = [a, b, d].map((application) => conventionIdOf(application.id)) as [string, string, string];

  await setClock(IN_CONVENTIONS);
  expect((await api('POST', signPath(cB), { token: owner, body: { party: 'esms' } })).status).toBe(200);
});
beforeEach(() => setClock(IN_CONVENTIONS));
afterAll(() => setClock(null));

/** Bodies that are not JSON at all. */
const rawBodies: [string, string][] = [
  ['truncated JSON', '{"party": "esms",'],
  ['an open brace', '{'],
  ['single quotes', "{'party': 'esms'}"],
  ['a trailing comma', '{"party": "esms",}'],
  ['undefined', '{"party": undefined}'],
  ['NaN', 'NaN'],
  ['a byte order mark', '\ufeff{"party": "esms"}'],
  ['two documents', '{"party":"esms"}{"party":"ars"}'],
  ['form encoding', 'party=esms'],
  ['a bare word', 'esms'],
];

/** Bodies that are JSON but that JSON.stringify would never write. */
const rawFieldBodies: [string, string, string][] = [
  ['a duplicate party whose last value is junk', '{"party": "esms", "party": "both"}', 'party'],
  ['a duplicate party whose last value is markup', '{"party": "esms", "party": "<b>esms</b>"}', 'party'],
  ['__proto__', '{"party": "esms", "__proto__": {"status": "signee"}}', '__proto__'],
  ['an escaped NUL in the party', '{"party": "esms\\u0000"}', 'party'],
  ['a lone surrogate as party', '{"party": "\\ud800"}', 'party'],
];

const notObjects: [string, unknown][] = [
  ['null', null],
  ['an array', []],
  ['a string', 'esms'],
  ['a number', 1],
  ['true', true],
  ['the body inside an array', [{ party: 'esms' }]],
];

type Case = [label: string, body: unknown, path: string];

const signatureCases: Case[] = [
  ['no party', {}, 'party'],
  ['party both', { party: 'both' }, 'party'],
  ['party in capitals', { party: 'ESMS' }, 'party'],
  ['party etablissement', { party: 'etablissement' }, 'party'],
  ['party national', { party: 'national' }, 'party'],
  ['party with a trailing space', { party: 'ars ' }, 'party'],
  ['party empty', { party: '' }, 'party'],
  ['party null', { party: null }, 'party'],
  ['party as a number', { party: 1 }, 'party'],
  ['party true', { party: true }, 'party'],
  ['party as an array', { party: ['esms'] }, 'party'],
  ['party as an object', { party: { name: 'esms' } }, 'party'],
  ['party of 100 000 characters', { party: HUGE }, 'party'],
  ['party with a control character', { party: 'esms\u001b[31m' }, 'party'],
  ['party as markup', { party: '<script>alert(1)</script>' }, 'party'],
  ['party with a line separator', { party: '\u2028esms' }, 'party'],
  ['an unknown field', { party: 'esms', surprise: true }, 'surprise'],
  ['at', { party: 'esms', at: '2044-01-01T00:00:00+01:00' }, 'at'],
  ['by', { party: 'esms', by: 'ars-NAQ:quelqu-un' }, 'by'],
  ['email', { party: 'esms', email: 'autre@esms.local' }, 'email'],
  ['status', { party: 'esms', status: 'signee' }, 'status'],
  ['signatures', { party: 'esms', signatures: { ars: { at: '2044-01-01T00:00:00+01:00', by: 'x' } } }, 'signatures'],
  ['signedAt', { party: 'esms', signedAt: '2044-01-01T00:00:00+01:00' }, 'signedAt'],
  ['version', { party: 'esms', version: 1 }, 'version'],
  ['amountEur', { party: 'esms', amountEur: 1_000_000 }, 'amountEur'],
  ['dueAt', { party: 'esms', dueAt: '2099-01-01T00:00:00+01:00' }, 'dueAt'],
  ['a 100 000-character unknown field', { party: 'esms', notes: HUGE }, 'notes'],
  ['markup in an unknown field', { party: 'esms', comment: '<img src=x onerror=alert(1)>' }, 'comment'],
];

describe('signatures refuse bodies that break the schema (400 validation_failed naming the field)', () => {
  it.each([
    ['the owner', () => owner],
    ['the ARS of the region', () => arsNaq],
  ])('%s: malformed JSON, non-objects, no body, wrong types and values, unknown fields, 100 000 characters, control characters and markup', async (_who, caller) => {
    await leavesNoTrace(async () => {
      for (const [label, text] of rawBodies) expectRefused(label, await api('POST', signPath(cA), { token: caller(), rawBody: text }), 400, 'validation_failed', '');
      for (const [label, text, path] of rawFieldBodies) expectRefused(label, await api('POST', signPath(cA), { token: caller(), rawBody: text }), 400, 'validation_failed', path);
      for (const [label, body] of notObjects) expectRefused(label, await api('POST', signPath(cA), { token: caller(), body }), 400, 'validation_failed');
      expectRefused('no body', await api('POST', signPath(cA), { token: caller() }), 400, 'validation_failed');
      expectRefused('an empty body', await api('POST', signPath(cA), { token: caller(), rawBody: '' }), 400, 'validation_failed');
      for (const [label, body, path] of signatureCases) expectRefused(label, await api('POST', signPath(cA), { token: caller(), body }), 400, 'validation_failed', path);
    });
  });
});

describe('size and media type', () => {
  it('answers 413 payload_too_large over 256 KiB, one byte over included', async () => {
    await leavesNoTrace(async () => {
      for (const [who, caller, party] of [['owner', owner, 'esms'], ['ARS', arsNaq, 'ars']] as const) {
        expectRefused(`${who}: 300 KiB`, await api('POST', signPath(cA), { token: caller, body: { party, pad: OVER_LIMIT } }), 413, 'payload_too_large');
        const oneByteOver = paddedTo(256 * 1024 + 1, { party });
        expect(Buffer.byteLength(oneByteOver)).toBe(256 * 1024 + 1);
        expectRefused(`${who}: 256 KiB + 1 byte`, await api('POST', signPath(cA), { token: caller, rawBody: oneByteOver }), 413, 'payload_too_large');
        expectRefused(`${who}: 11 MB`, await api('POST', signPath(cA), { token: caller, rawBody: paddedTo(11 * 1024 * 1024, { party }) }), 413, 'payload_too_large');
      }
    });
  });

  it('answers 415 unsupported_media_type to a signature that is not declared JSON', async () => {
    const contentTypes = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/octet-stream', 'application/jsonp', 'text/json'];
    await leavesNoTrace(async () => {
      for (const [who, caller, party] of [['owner', owner, 'esms'], ['ARS', arsNaq, 'ars']] as const) {
        for (const contentType of contentTypes) {
          expectRefused(`${who} as ${contentType}`, await api('POST', signPath(cA), { token: caller, rawBody: JSON.stringify({ party }), headers: { 'content-type': contentType } }), 415, 'unsupported_media_type');
        }
        expectRefused(`${who} without content-type`, await rawRequest('POST', signPath(cA), { token: caller, body: new Uint8Array(Buffer.from(JSON.stringify({ party }))) }), 415, 'unsupported_media_type');
      }
    });
  });
});

/** The three convention routes, aimed at this file's NAQ convention. */
const everyRoute = (): [string, string, string, unknown][] => [
  ['read', 'GET', conventionPath(cA), undefined],
  ['list', 'GET', LIST, undefined],
  ['sign', 'POST', signPath(cA), { party: 'esms' }],
];

describe('authentication (401 unauthenticated)', () => {
  it('refuses a missing, garbage or forged token on every convention route', async () => {
    await leavesNoTrace(async () => {
      for (const [name, method, path, body] of everyRoute()) {
        for (const [label, authorization] of [...badCredentials(owner), ...badCredentials(arsNaq)]) {
          expectRefused(`${name}: ${label}`, await api(method, path, { body, headers: authorization === undefined ? {} : { authorization } }), 401, 'unauthenticated');
        }
      }
    });
  });
});

describe('roles (403 forbidden)', () => {
  it('refuses machine clients everywhere, applicants the list, national staff and the wrong party their signature', async () => {
    await leavesNoTrace(async () => {
      for (const [name, method, path, body] of everyRoute()) expectRefused(`machine client: ${name}`, await api(method, path, { token: machine, body }), 403, 'forbidden');
      for (const [who, caller] of [['the owner', owner], ['another applicant', stranger], ['a user in no group', noGroup]] as const) {
        expectRefused(`${who} lists`, await api('GET', LIST, { token: caller }), 403, 'forbidden');
      }
      for (const party of ['esms', 'ars']) expectRefused(`national signs for ${party}`, await api('POST', signPath(cA), { token: national, body: { party } }), 403, 'forbidden');
      expectRefused('the ARS signs for the ESMS', await api('POST', signPath(cA), { token: arsNaq, body: { party: 'esms' } }), 403, 'forbidden');
      expectRefused('the owner signs for the ARS', await api('POST', signPath(cA), { token: owner, body: { party: 'ars' } }), 403, 'forbidden');
    });
  });
});

describe('another region, another applicant (404 not_found, never 403)', () => {
  it('answers exactly as for a convention that does not exist, to read or to sign for either party', async () => {
    await leavesNoTrace(async () => {
      const hiddenFrom: [string, string, string][] = [
        ['ARS OCC on NAQ', arsOcc, cA],
        ['ARS OCC on a NAQ convention signed by its ESMS', arsOcc, cB],
        ['ARS NAQ on OCC', arsNaq, cD],
        ['another applicant', stranger, cA],
        ['a user in no group', noGroup, cB],
        ['the owner of NAQ applications on OCC', owner, cD],
      ];
      for (const [label, caller, id] of hiddenFrom) {
        const attempts: [string, string, (id: string) => string, unknown][] = [
          ['read', 'GET', conventionPath, undefined],
          ['sign as esms', 'POST', signPath, { party: 'esms' }],
          ['sign as ars', 'POST', signPath, { party: 'ars' }],
        ];
        for (const [name, method, pathOf, body] of attempts) {
          const hidden = await api(method, pathOf(id), { token: caller, body });
          const absent = await api(method, pathOf(UNKNOWN_ID), { token: caller, body });
          expectRefused(`${label}: ${name}`, hidden, 404, 'not_found');
          expectRefused(`unknown id: ${name}`, absent, 404, 'not_found');
          expect({ label, name, body: hidden.json }).toEqual({ label, name, body: absent.json });
          expect(hidden.text).not.toContain(id);
        }
      }
    });
  });

  it('does not reveal existence or version through If-Match: a stale or malformed one still answers 404', async () => {
    await leavesNoTrace(async () => {
      for (const ifMatch of ['"1"', '"2"', '"999"', 'abc', '"x"']) {
        for (const party of ['esms', 'ars']) {
          expectRefused(`ARS OCC ${party} If-Match ${ifMatch}`, await api('POST', signPath(cA), { token: arsOcc, body: { party }, headers: { 'if-match': ifMatch } }), 404, 'not_found');
          expectRefused(`stranger ${party} If-Match ${ifMatch}`, await api('POST', signPath(cA), { token: stranger, body: { party }, headers: { 'if-match': ifMatch } }), 404, 'not_found');
        }
      }
    });
  });

  it('keeps the list of an ARS to its own region, whatever filter or cursor it sends', async () => {
    await leavesNoTrace(async () => {
      const own = await api('GET', `${LIST}?limit=200`, { token: arsOcc });
      expect({ status: own.status, ids: own.json.items.map((item: { id: string }) => item.id) }).toEqual({ status: 200, ids: [cD] });
      for (const query of ['ars=NAQ', 'ars=NAQ&ars=OCC', 'ars=XYZ']) expectRefused(`ARS OCC ${query}`, await api('GET', `${LIST}?${query}`, { token: arsOcc }), 403, 'forbidden');

      const national1 = await api('GET', `${LIST}?limit=1`, { token: national });
      const naq1 = await api('GET', `${LIST}?limit=1`, { token: arsNaq });
      expect([national1.json.nextCursor, naq1.json.nextCursor]).toEqual([expect.any(String), expect.any(String)]);
      const key = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const forged: [string, string][] = [
        ['a key of the NAQ partition', key({ pk: `CONV#${cA}`, sk: 'CONV', gsi1pk: `CONVS#${CAMPAIGN}#NAQ`, gsi1sk: `a_signer#${cA}` })],
        ["ARS NAQ's cursor", naq1.json.nextCursor as string],
        ["national's cursor", national1.json.nextCursor as string],
        ['a key of another campaign', key({ pk: 'CONV#CNV-X', sk: 'CONV', gsi1pk: 'CONVS#autre-campagne#OCC', gsi1sk: 'a_signer#CNV-X' })],
        ['a JSON object that is no key', key({ a: 1 })],
      ];
      for (const [label, cursor] of forged) {
        // Each decodes to a JSON object but is no key of the OCC partition queried: refused, never a page of NAQ.
        expectRefused(label, await api('GET', `${LIST}?cursor=${cursor}`, { token: arsOcc }), 400, 'validation_failed', 'query.cursor');
      }
    });
  });
});

describe('ids that cannot exist', () => {
  it('answers 404 to unknown or impossible convention and campaign ids, never 500', async () => {
    await leavesNoTrace(async () => {
      // Path segments as sent: already %-encoded where needed (a trailing space would otherwise be trimmed by the URL parser).
      const ids = [UNKNOWN_ID, a.id, conventionIdOf(c.id), cA.toLowerCase(), encodeURIComponent(`${cA} `), 'A'.repeat(129), 'A'.repeat(3000), 'CNV-%00', 'CNV-%0D%0A', encodeURIComponent('CNV-🏥'), '%20'];
      for (const id of ids) {
        const label = id.length > 40 ? `${id.length} characters` : id;
        expectRefused(`read ${label}`, await api('GET', conventionPath(id), { token: national }), 404, 'not_found');
        expectRefused(`owner signs ${label}`, await api('POST', signPath(id), { token: owner, body: { party: 'esms' } }), 404, 'not_found');
        expectRefused(`ARS signs ${label}`, await api('POST', signPath(id), { token: arsNaq, body: { party: 'ars' } }), 404, 'not_found');
      }
      for (const campaignId of ['inconnue', 'c'.repeat(3000), '%00', CAMPAIGN.toUpperCase()]) {
        expectRefused(`list of campaign ${campaignId.slice(0, 20)}`, await api('GET', `/v1/campaigns/${campaignId}/conventions`, { token: national }), 404, 'not_found');
      }
      for (const id of ['%', '%E0%A4%A', '%ED%A0%80', '%FF']) {
        for (const [method, path, body] of [
          ['GET', conventionPath(id), undefined],
          ['POST', signPath(id), { party: 'esms' }],
          ['GET', `/v1/campaigns/${id}/conventions`, undefined],
        ] as const) {
          const response = await api(method, path, { token: national, body });
          expect({ path, status: [400, 404].includes(response.status) }).toEqual({ path, status: true });
          expectKnownProblem(response);
        }
      }
    });
  });
});

describe('If-Match', () => {
  it('answers 400 to a malformed If-Match and 412 version_conflict to a stale one, for either party', async () => {
    const { version } = (await api('GET', conventionPath(cA), { token: owner })).json as { version: number };
    await leavesNoTrace(async () => {
      for (const [who, caller, party] of [['owner', owner, 'esms'], ['ARS', arsNaq, 'ars']] as const) {
        for (const malformed of ['abc', String(version), `"${version}`, '"abc"', `W/${version}`, '"-1"', '"1.0"', '"1234567890"', `"${version}" x`, `"${version}", "${version + 1}"`]) {
          expectRefused(`${who} If-Match: ${malformed}`, await api('POST', signPath(cA), { token: caller, body: { party }, headers: { 'if-match': malformed } }), 400, 'validation_failed', 'If-Match');
        }
        for (const stale of ['"0"', `"${version + 1}"`, `W/"${version + 7}"`, '"999999999"']) {
          expectRefused(`${who} If-Match: ${stale}`, await api('POST', signPath(cA), { token: caller, body: { party }, headers: { 'if-match': stale } }), 412, 'version_conflict');
        }
      }
    });
  });
});

describe('list queries', () => {
  it('answers 400 validation_failed to a bad limit, status, cursor or region, naming the parameter', async () => {
    const bad: [string, string][] = [
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['limit=abc', 'limit'],
      ['limit=-1', 'limit'],
      ['limit=1.5', 'limit'],
      ['limit=', 'limit'],
      ['limit=1e400', 'limit'],
      ['status=inconnu', 'status'],
      ['status=SIGNEE', 'status'],
      ['status=', 'status'],
      ['status=signee%00', 'status'],
      [`status=${'a'.repeat(3000)}`, 'status'],
      ['cursor=garbage', 'cursor'],
      ['cursor=%25%25%25', 'cursor'],
      ['cursor=', 'cursor'],
      [`cursor=${'A'.repeat(3000)}`, 'cursor'],
      ['ars=XYZ', 'ars'],
      ['ars=naq', 'ars'],
      ['ars=', 'ars'],
    ];
    await leavesNoTrace(async () => {
      for (const [query, field] of bad) {
        const response = await api('GET', `${LIST}?${query}`, { token: national });
        expectRefused(query.slice(0, 40), response, 400, 'validation_failed', `query.${field}`);
      }
      for (const query of ['status=inconnu', 'limit=0', 'cursor=garbage']) expectRefused(`ARS NAQ ${query}`, await api('GET', `${LIST}?${query}`, { token: arsNaq }), 400, 'validation_failed');
    });
  });
});

describe('what the owner reads', () => {
  it('is the documented convention and nothing more: no review, no motivation, no internal field', async () => {
    await leavesNoTrace(async () => {
      const read = await api('GET', conventionPath(cA), { token: owner });
      expect(read.status).toBe(200);
      const parsed = responseSchemas.Convention.safeParse(read.json);
      expect(parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)).toEqual([]);
      expect(read.text).not.toMatch(/review|motivation|ownerId|contactEmail|"pk"|gsi/);
    });
  });
});

describe('already signed', () => {
  it('answers 409 already_signed to a party that signed, whatever If-Match says, writing nothing', async () => {
    const { version } = (await api('GET', conventionPath(cB), { token: owner })).json as { version: number };
    await leavesNoTrace(async () => {
      expectRefused('the ESMS again', await api('POST', signPath(cB), { token: owner, body: { party: 'esms' } }), 409, 'already_signed');
      expectRefused('the ESMS again, with the current If-Match', await api('POST', signPath(cB), { token: owner, body: { party: 'esms' }, headers: { 'if-match': `"${version}"` } }), 409, 'already_signed');
    });
  });
});

describe('out of the signing window', () => {
  it('accepts a signature one second before dueAt, then refuses the party that signed (409 already_signed)', async () => {
    await setClock(LAST_SECOND);
    const signed = await api('POST', signPath(cB), { token: arsNaq, body: { party: 'ars' } });
    expect({ status: signed.status, convention: signed.json.status }).toEqual({ status: 200, convention: 'signee' });
    await leavesNoTrace(async () => {
      for (const [caller, party] of [[owner, 'esms'], [arsNaq, 'ars']] as const) {
        expectRefused(`${party} on a signed convention`, await api('POST', signPath(cB), { token: caller, body: { party } }), 409, 'already_signed');
      }
    });
  });

  it('answers 409 convention_due_passed from dueAt on, to either party, signed or not, before and after the convention lapses', async () => {
    const attempts = async () => {
      for (const [caller, party] of [[owner, 'esms'], [arsNaq, 'ars']] as const) {
        for (const id of [cA, cB]) expectRefused(`${party} on ${id === cA ? 'the unsigned' : 'the signed'} convention`, await api('POST', signPath(id), { token: caller, body: { party } }), 409, 'convention_due_passed');
      }
      expectRefused('OCC on its own convention', await api('POST', signPath(cD), { token: arsOcc, body: { party: 'ars' } }), 409, 'convention_due_passed');
    };
    for (const instant of [calendar.conventionsDueAt, '2044-07-01T09:00:00+02:00']) {
      await setClock(instant);
      await leavesNoTrace(attempts);
    }

    // The milestone at dueAt: what was still unsigned lapses. Signing stays refused, reading stays allowed.
    await setClock(calendar.conventionsDueAt);
    await runMilestones(CAMPAIGN);
    expect((await api('GET', conventionPath(cA), { token: owner })).json.status).toBe('caduque');
    await leavesNoTrace(async () => {
      await attempts();
      const list = await api('GET', `${LIST}?status=caduque`, { token: arsNaq });
      expect({ status: list.status, ids: list.json.items.map((item: { id: string }) => item.id) }).toEqual({ status: 200, ids: [cA] });
    });
  });
});
