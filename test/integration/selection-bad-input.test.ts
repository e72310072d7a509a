import { randomBytes } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { api, inbox, setClock } from './support/stack';
import { eligibleFields, finessIn } from './support/fixtures';
import { closeIntake, createCampaign, submittedApplication, type Submitted, callersFor } from './support/flow';
import { badCredentials, expectKnownProblem, expectRefused, leavesNoTrace, paddedTo, rawRequest } from './support/mutations';
import { calendarOf } from '../support/calendars';

// API.md's Selection section held to the standard of the intake (applications-bad-input): every refusal of
// a review, a decision, a notification or the applications export is a problem+json with the right code and
// field, and writes nothing: not one item, not one email. An ARS of another region learns nothing (404, as for
// an id that does not exist), and the applicant never sees a review.
//
// A campaign of this file's own, in 2043, reached through the real flow: applications submitted during the
// intake, the milestone run closing it, decisions, notification.

const RUN = randomBytes(3).toString('hex');
const CAMPAIGN = `sel-bad-input-2043-${RUN}`;
const calendar = calendarOf(2043);
const IN_INTAKE = '2043-02-10T10:00:00+01:00';
const IN_SELECTION = '2043-03-10T10:00:00+01:00';
const LAST_SELECTION_SECOND = '2043-04-14T23:59:59+02:00';
const LAST_NOTIFY_SECOND = '2043-05-31T23:59:59+02:00';

const HUGE = 'x'.repeat(100_000);
const OVER_LIMIT = 'x'.repeat(300 * 1024);
const scores = { maturite_dui: 4, parcours: 5, sensibilisation: 3, partenariats: 4, capacite: 2 };
const SECRET_COMMENT = 'Commentaire interne : gouvernance fragile, à revoir avec la direction.';
const MOTIVATION = 'Projet solide, DUI référencé Ségur, parcours personnes âgées détaillé.';

const OWNER = `sel-bad-owner-${RUN}`;
let owner: string;
let stranger: string;
let noGroup: string;
let machine: string;
let arsNaq: string;
let arsOcc: string;
let national: string;

/** NAQ, en_instruction, never changed until the last tests: the aim of every refusal. */
let target: Submitted;
/** NAQ, en_instruction, reviewed by the ARS (with SECRET_COMMENT). */
let reviewed: Submitted;
/** NAQ, retained (the region's quota is 1), not notified. */
let retained: Submitted;
/** NAQ, en_instruction: retaining it too would break the quota. */
let rival: Submitted;
/** NAQ, still a draft when the intake closed. */
let draftId: string;
/** OCC, en_instruction. */
let occApp: Submitted;
/** NAQ, en_instruction, named like a spreadsheet formula; decided with one as motivation at the end. */
let formula: Submitted;
const FORMULA_NAME = '=HYPERLINK("http://exemple.invalid";"Cliquez ici")';
const FORMULA_MOTIVATION = '@SUM(1+1)*cmd|" /C calc"!A0';

const appPath = (id: string) => `/v1/applications/${id}`;
const reviewPath = (id: string) => `${appPath(id)}/review`;
const decisionPath = (id: string) => `${appPath(id)}/decision`;
const notifyPath = (ars: string, campaignId = CAMPAIGN) => `/v1/campaigns/${campaignId}/regions/${ars}/notify`;
const EXPORT = `/v1/campaigns/${CAMPAIGN}/exports/applications.csv`;
const UNKNOWN_ID = 'MES-ZZZZZZZZ';

const reviewBody = { scores, comment: 'Dossier complet.' };
const decisionBody = { decision: 'non_retenue', motivation: MOTIVATION };

beforeAll(async () => {
  await createCampaign(CAMPAIGN, { ...calendar, quotas: { NAQ: 1 } });
  ({ owner, stranger, noGroup, machine, arsNaq, arsOcc, national } = await callersFor(`sel-bad-${RUN}`, OWNER));
  await setClock(IN_INTAKE);
  target = await submittedApplication(CAMPAIGN, '33', OWNER, { name: 'EHPAD La Cible' });
  reviewed = await submittedApplication(CAMPAIGN, '33', OWNER, { name: 'EHPAD Les Évalués' });
  retained = await submittedApplication(CAMPAIGN, '33', OWNER, { name: 'EHPAD Les Retenus' });
  rival = await submittedApplication(CAMPAIGN, '33', OWNER, { name: 'EHPAD Le Rival' });
  occApp = await submittedApplication(CAMPAIGN, '31', `sel-bad-occ-${RUN}`, { name: 'EHPAD Occitan' });
  formula = await submittedApplication(CAMPAIGN, '33', OWNER, { name: FORMULA_NAME });
  const draft = await api('POST', `/v1/campaigns/${CAMPAIGN}/applications`, { token: owner, body: { finess: finessIn('33'), ...eligibleFields({ name: 'EHPAD Brouillon' }) } });
  expect(draft.status).toBe(201);
  draftId = draft.json.id as string;

  await closeIntake(CAMPAIGN, IN_SELECTION);
  expect((await api('GET', appPath(target.id), { token: arsNaq })).json.status).toBe('en_instruction');
  expect((await api('PUT', reviewPath(reviewed.id), { token: arsNaq, body: { scores, comment: SECRET_COMMENT } })).status).toBe(200);
  expect((await api('POST', decisionPath(retained.id), { token: arsNaq, body: { decision: 'retenue', motivation: MOTIVATION } })).status).toBe(200);
});
beforeEach(() => setClock(IN_SELECTION));
afterAll(() => setClock(null));

const withScore = (criterion: string, value: unknown) => ({ ...reviewBody, scores: { ...scores, [criterion]: value } });
const fourScores = { maturite_dui: 4, parcours: 5, sensibilisation: 3, partenariats: 4 };

/** Bodies that are not JSON at all. */
const rawBodies: [string, string][] = [
  ['truncated JSON', '{"scores": {"parcours": 3},'],
  ['an open brace', '{'],
  ['single quotes', "{'decision': 'retenue'}"],
  ['a trailing comma', '{"comment": "x",}'],
  ['undefined', '{"comment": undefined}'],
  ['NaN', 'NaN'],
  ['a byte order mark', '\ufeff{}'],
  ['two documents', '{"comment":"a"}{"comment":"b"}'],
  ['form encoding', 'decision=retenue&motivation=x'],
];

const notObjects: [string, unknown][] = [
  ['null', null],
  ['an array', []],
  ['a string', 'retenue'],
  ['a number', 5],
  ['true', true],
];

type Case = [label: string, body: unknown, path: string];

const reviewCases: Case[] = [
  ['no scores', { comment: 'x' }, 'scores'],
  ['scores as an array', { scores: [4, 5, 3, 4, 2] }, 'scores'],
  ['scores as a string', { scores: '4,5,3,4,2' }, 'scores'],
  ['scores null', { scores: null }, 'scores'],
  ['scores empty', { scores: {} }, 'scores.maturite_dui'],
  ['a criterion missing', { scores: fourScores }, 'scores.capacite'],
  ['an unknown criterion', withScore('innovation', 5), 'scores.innovation'],
  ['a criterion in another case', { scores: { ...fourScores, Capacite: 2 } }, 'scores.Capacite'],
  ['a score as a string', withScore('parcours', '4'), 'scores.parcours'],
  ['a score as a boolean', withScore('capacite', true), 'scores.capacite'],
  ['a score null', withScore('sensibilisation', null), 'scores.sensibilisation'],
  ['a score of 4.5', withScore('parcours', 4.5), 'scores.parcours'],
  ['a score of 3.000001', withScore('partenariats', 3.000001), 'scores.partenariats'],
  ['a score of -1', withScore('maturite_dui', -1), 'scores.maturite_dui'],
  ['a score of 6', withScore('capacite', 6), 'scores.capacite'],
  ['a score of 100', withScore('capacite', 100), 'scores.capacite'],
  ['a score beyond safe integers', withScore('capacite', Number.MAX_SAFE_INTEGER + 2), 'scores.capacite'],
  ['a score as an object', withScore('parcours', { value: 4 }), 'scores.parcours'],
  ['comment as a number', { scores, comment: 42 }, 'comment'],
  ['comment null', { scores, comment: null }, 'comment'],
  ['comment as an array', { scores, comment: ['x'] }, 'comment'],
  ['comment of 5 001 characters', { scores, comment: 'x'.repeat(5001) }, 'comment'],
  ['comment of 100 000 characters', { scores, comment: HUGE }, 'comment'],
  ['an unknown field', { ...reviewBody, surprise: true }, 'surprise'],
  ['average', { ...reviewBody, average: 5 }, 'average'],
  ['reviewedBy', { ...reviewBody, reviewedBy: 'national:quelqu-un' }, 'reviewedBy'],
  ['reviewedAt', { ...reviewBody, reviewedAt: '2043-01-01T00:00:00+01:00' }, 'reviewedAt'],
  ['status', { ...reviewBody, status: 'retenue' }, 'status'],
  ['version', { ...reviewBody, version: 1 }, 'version'],
  ['decision', { ...reviewBody, decision: 'retenue' }, 'decision'],
  ['a 100 000-character unknown field', { ...reviewBody, notes: HUGE }, 'notes'],
];

const decisionCases: Case[] = [
  ['no decision', { motivation: MOTIVATION }, 'decision'],
  ['decision outside the enum', { ...decisionBody, decision: 'accepte' }, 'decision'],
  ['decision in capitals', { ...decisionBody, decision: 'RETENUE' }, 'decision'],
  ['decision sans_suite (not the ARS to say)', { ...decisionBody, decision: 'sans_suite' }, 'decision'],
  ['decision en_instruction', { ...decisionBody, decision: 'en_instruction' }, 'decision'],
  ['decision null', { ...decisionBody, decision: null }, 'decision'],
  ['decision true', { ...decisionBody, decision: true }, 'decision'],
  ['decision as an array', { ...decisionBody, decision: ['retenue'] }, 'decision'],
  ['decision with a trailing space', { ...decisionBody, decision: 'retenue ' }, 'decision'],
  ['no motivation', { decision: 'non_retenue' }, 'motivation'],
  ['motivation empty', { ...decisionBody, motivation: '' }, 'motivation'],
  ['motivation blank', { ...decisionBody, motivation: '  \n\t ' }, 'motivation'],
  ['motivation null', { ...decisionBody, motivation: null }, 'motivation'],
  ['motivation as a number', { ...decisionBody, motivation: 42 }, 'motivation'],
  ['motivation as an object', { ...decisionBody, motivation: { text: MOTIVATION } }, 'motivation'],
  ['motivation of 2 001 characters', { ...decisionBody, motivation: 'x'.repeat(2001) }, 'motivation'],
  ['motivation of 100 000 characters', { ...decisionBody, motivation: HUGE }, 'motivation'],
  ['an unknown field', { ...decisionBody, surprise: true }, 'surprise'],
  ['decidedBy', { ...decisionBody, decidedBy: 'national:quelqu-un' }, 'decidedBy'],
  ['decidedAt', { ...decisionBody, decidedAt: '2043-01-01T00:00:00+01:00' }, 'decidedAt'],
  ['notifiedAt', { ...decisionBody, notifiedAt: '2043-01-01T00:00:00+01:00' }, 'notifiedAt'],
  ['status', { ...decisionBody, status: 'retenue' }, 'status'],
  ['quota', { ...decisionBody, quota: 99 }, 'quota'],
  ['review', { ...decisionBody, review: { scores } }, 'review'],
  ['a 100 000-character unknown field', { ...decisionBody, notes: HUGE }, 'notes'],
];

/** Bodies that are JSON but that JSON.stringify would never write. */
const rawFieldBodies: Record<'review' | 'decision', [string, string, string][]> = {
  review: [
    ['a score of 1e400 (Infinity once parsed)', `{"scores": ${JSON.stringify(scores).replace('"capacite":2', '"capacite":1e400')}}`, 'scores.capacite'],
    ['a duplicate comment whose last value is markup', `{"scores": ${JSON.stringify(scores)}, "comment": "ok", "comment": "<b>x</b>"}`, 'comment'],
    ['__proto__', `{"scores": ${JSON.stringify(scores)}, "__proto__": {"average": 5}}`, '__proto__'],
  ],
  decision: [
    ['a duplicate motivation whose last value is markup', `{"decision": "non_retenue", "motivation": "ok", "motivation": "<script>alert(1)</script>"}`, 'motivation'],
    ['a duplicate decision whose last value is junk', `{"decision": "non_retenue", "motivation": "ok", "decision": "peut-etre"}`, 'decision'],
    ['__proto__', `{"decision": "non_retenue", "motivation": "ok", "__proto__": {"status": "retenue"}}`, '__proto__'],
  ],
};

const bodyRoutes: ['review' | 'decision', string, (id: string) => string, Case[], unknown][] = [
  ['review', 'PUT', reviewPath, reviewCases, reviewBody],
  ['decision', 'POST', decisionPath, decisionCases, decisionBody],
];

describe('reviews and decisions refuse bodies that break the schema (400 validation_failed naming the field)', () => {
  it.each(bodyRoutes)('%s: malformed JSON, non-objects, no body, wrong types, out-of-range scores, unknown fields, 100 000 characters', async (name, method, pathOf, cases) => {
    await leavesNoTrace(async () => {
      for (const caller of [arsNaq, national]) {
        for (const [label, text] of rawBodies) expectRefused(label, await api(method, pathOf(target.id), { token: caller, rawBody: text }), 400, 'validation_failed', '');
        for (const [label, text, path] of rawFieldBodies[name]) expectRefused(label, await api(method, pathOf(target.id), { token: caller, rawBody: text }), 400, 'validation_failed', path);
        for (const [label, body] of notObjects) expectRefused(label, await api(method, pathOf(target.id), { token: caller, body }), 400, 'validation_failed');
        expectRefused('no body', await api(method, pathOf(target.id), { token: caller }), 400, 'validation_failed');
        expectRefused('an empty body', await api(method, pathOf(target.id), { token: caller, rawBody: '' }), 400, 'validation_failed');
        for (const [label, body, path] of cases) expectRefused(label, await api(method, pathOf(target.id), { token: caller, body }), 400, 'validation_failed', path);
      }
    });
  });
});

describe('comment and motivation refuse control characters, markup and broken Unicode', () => {
  const hostile = [
    '\u0000',
    '\u001b[31m',
    '\u0007',
    '\u007f',
    '\u0085',
    '\u2028',
    '\u2029',
    '<script>alert(1)</script>',
    '<b>x</b>',
    '< img src=x onerror=alert(1)>',
    '<!-- x -->',
    '</textarea>',
    '<?xml version="1.0"?>',
    '\ud800',
    '\udc00x',
  ];
  const fields: [string, string, (id: string) => string, (value: string) => unknown, string][] = [
    ['review', 'PUT', reviewPath, (value) => ({ scores, comment: `Dossier ${value} complet` }), 'comment'],
    ['decision', 'POST', decisionPath, (value) => ({ decision: 'non_retenue', motivation: `Motivation ${value} suite` }), 'motivation'],
  ];

  it.each(fields)('%s: 400 validation_failed naming the field for each of them', async (_name, method, pathOf, bodyWith, field) => {
    await leavesNoTrace(async () => {
      for (const value of hostile) {
        expectRefused(`${field} = ${JSON.stringify(value)}`, await api(method, pathOf(target.id), { token: arsNaq, body: bodyWith(value) }), 400, 'validation_failed', field);
      }
    });
  });
});

describe('notify takes no fields', () => {
  it('refuses malformed JSON, non-objects and any field, even 100 000 characters of it', async () => {
    await leavesNoTrace(async () => {
      for (const [label, text] of rawBodies) expectRefused(label, await api('POST', notifyPath('NAQ'), { token: arsNaq, rawBody: text }), 400, 'validation_failed');
      for (const [label, body] of notObjects) expectRefused(label, await api('POST', notifyPath('NAQ'), { token: arsNaq, body }), 400, 'validation_failed');
      const fieldBodies: Case[] = [
        ['an unknown field', { surprise: true }, 'surprise'],
        ['ars', { ars: 'OCC' }, 'ars'],
        ['campaignId', { campaignId: 'autre' }, 'campaignId'],
        ['dryRun', { dryRun: true }, 'dryRun'],
        ['a 100 000-character motivation', { motivation: HUGE }, 'motivation'],
        ['markup', { message: '<script>alert(1)</script>' }, 'message'],
      ];
      for (const [label, body, path] of fieldBodies) {
        for (const caller of [arsNaq, national]) expectRefused(label, await api('POST', notifyPath('NAQ'), { token: caller, body }), 400, 'validation_failed', path);
      }
    });
  });
});

/** The three writes of the selection, each with a valid body, aimed at this file's resources. */
const writes = (): [string, string, string, unknown][] => [
  ['review', 'PUT', reviewPath(target.id), reviewBody],
  ['decision', 'POST', decisionPath(target.id), decisionBody],
  ['notify', 'POST', notifyPath('NAQ'), {}],
];

/** The writes and the export: every selection route. */
const everyRoute = (): [string, string, string, unknown][] => [...writes(), ['export', 'GET', EXPORT, undefined]];

describe('size and media type', () => {
  it('answers 413 payload_too_large over 256 KiB, one byte over included', async () => {
    await leavesNoTrace(async () => {
      for (const [name, method, path, body] of writes()) {
        expectRefused(`${name}: 300 KiB`, await api(method, path, { token: arsNaq, body: { ...(body as object), pad: OVER_LIMIT } }), 413, 'payload_too_large');
        const oneByteOver = paddedTo(256 * 1024 + 1, body);
        expect(Buffer.byteLength(oneByteOver)).toBe(256 * 1024 + 1);
        expectRefused(`${name}: 256 KiB + 1 byte`, await api(method, path, { token: arsNaq, rawBody: oneByteOver }), 413, 'payload_too_large');
        expectRefused(`${name}: 11 MB`, await api(method, path, { token: arsNaq, rawBody: paddedTo(11 * 1024 * 1024, body) }), 413, 'payload_too_large');
      }
    });
  });

  it('answers 415 unsupported_media_type to a body that is not declared JSON', async () => {
    const contentTypes = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/octet-stream', 'application/jsonp', 'text/json', 'json'];
    await leavesNoTrace(async () => {
      for (const [name, method, path, body] of writes()) {
        for (const contentType of contentTypes) {
          expectRefused(`${name} as ${contentType}`, await api(method, path, { token: arsNaq, rawBody: JSON.stringify(body), headers: { 'content-type': contentType } }), 415, 'unsupported_media_type');
        }
        expectRefused(`${name} without content-type`, await rawRequest(method, path, { token: arsNaq, body: new Uint8Array(Buffer.from(JSON.stringify(body))) }), 415, 'unsupported_media_type');
      }
    });
  });
});

describe('authentication (401 unauthenticated)', () => {
  it('refuses a missing, garbage or forged token on every selection route', async () => {
    await leavesNoTrace(async () => {
      for (const [name, method, path, body] of everyRoute()) {
        for (const [label, authorization] of badCredentials(arsNaq)) {
          const response = await api(method, path, { body, headers: authorization === undefined ? {} : { authorization } });
          expectRefused(`${name}: ${label}`, response, 401, 'unauthenticated');
        }
      }
    });
  });
});

describe('roles (403 forbidden)', () => {
  it('refuses applicants, self signed-up users and machine clients on every selection route', async () => {
    await leavesNoTrace(async () => {
      for (const [name, method, path, body] of everyRoute()) {
        for (const [who, caller] of [['the owner', owner], ['another applicant', stranger], ['a user in no group', noGroup], ['a machine client', machine]] as const) {
          expectRefused(`${who}: ${name}`, await api(method, path, { token: caller, body }), 403, 'forbidden');
        }
      }
    });
  });
});

describe('another region (404 not_found, never 403)', () => {
  it('answers an ARS of another region exactly as for an id that does not exist, on every application, review and decision', async () => {
    await leavesNoTrace(async () => {
      const aimed: [string, string, (id: string) => string, unknown][] = [
        ['read', 'GET', appPath, undefined],
        ['history', 'GET', (id) => `${appPath(id)}/history`, undefined],
        ['review', 'PUT', reviewPath, reviewBody],
        ['decision', 'POST', decisionPath, decisionBody],
      ];
      for (const [name, method, pathOf, body] of aimed) {
        for (const [label, caller, hidden] of [
          ['ARS OCC on NAQ', arsOcc, target.id],
          ['ARS OCC on a reviewed NAQ application', arsOcc, reviewed.id],
          ['ARS OCC on a decided NAQ application', arsOcc, retained.id],
          ['ARS NAQ on OCC', arsNaq, occApp.id],
        ] as const) {
          const refused = await api(method, pathOf(hidden), { token: caller, body });
          const absent = await api(method, pathOf(UNKNOWN_ID), { token: caller, body });
          expectRefused(`${label}: ${name}`, refused, 404, 'not_found');
          expectRefused(`unknown id: ${name}`, absent, 404, 'not_found');
          expect({ label, name, body: refused.json }).toEqual({ label, name, body: absent.json });
          expect(refused.text).not.toContain(hidden);
        }
      }
    });
  });

  it('does not reveal existence or version through If-Match: a stale or malformed one still answers 404', async () => {
    await leavesNoTrace(async () => {
      for (const [name, method, path, body] of writes().filter(([name]) => name !== 'notify')) {
        for (const ifMatch of ['"1"', '"2"', '"3"', '"999"', 'abc', '"x"']) {
          expectRefused(`ARS OCC ${name} If-Match ${ifMatch}`, await api(method, path, { token: arsOcc, body, headers: { 'if-match': ifMatch } }), 404, 'not_found');
        }
      }
    });
  });

  it('refuses to notify another region (404, as for a region that does not exist) and keeps every list and export to its own region', async () => {
    await leavesNoTrace(async () => {
      const other = await api('POST', notifyPath('NAQ'), { token: arsOcc });
      const unknown = await api('POST', notifyPath('XYZ'), { token: arsOcc });
      expectRefused('ARS OCC notifies NAQ', other, 404, 'not_found');
      expectRefused('ARS OCC notifies XYZ', unknown, 404, 'not_found');
      expect(other.json).toEqual(unknown.json);
      expectRefused('ARS NAQ notifies OCC', await api('POST', notifyPath('OCC'), { token: arsNaq }), 404, 'not_found');
      for (const code of ['naq', 'Naq', 'NAQ ', 'N', 'NAQOCC', '%20', '000']) {
        expectRefused(`national notifies ${JSON.stringify(code)}`, await api('POST', notifyPath(encodeURIComponent(code)), { token: national }), 404, 'not_found');
      }

      const list = await api('GET', `/v1/campaigns/${CAMPAIGN}/applications?limit=200`, { token: arsOcc });
      expect(list.status).toBe(200);
      expect((list.json.items as { id: string; ars: string }[]).map((item) => item.ars)).toEqual(['OCC']);
      const csv = await api('GET', EXPORT, { token: arsOcc });
      expect(csv.status).toBe(200);
      const rows: Record<string, string>[] = parse(csv.text, { bom: true, delimiter: ';', columns: true });
      expect(rows.map((row) => row.Dossier)).toEqual([occApp.id]);
      expect(csv.text).not.toContain(SECRET_COMMENT);
      expect(csv.text).not.toContain(target.id);
    });
  });
});

describe('ids that cannot exist', () => {
  it('answers 404 to unknown or impossible application ids, campaign ids and region codes, never 500', async () => {
    await leavesNoTrace(async () => {
      const ids = [UNKNOWN_ID, draftId.replace('MES-', 'CNV-'), 'A'.repeat(129), 'A'.repeat(3000), 'MES-%00', 'MES-%0A', encodeURIComponent('MES-🏥'), encodeURIComponent(' ')];
      for (const id of ids) {
        const label = id.length > 40 ? `${id.length} characters` : id;
        expectRefused(`review ${label}`, await api('PUT', reviewPath(id), { token: national, body: reviewBody }), 404, 'not_found');
        expectRefused(`decision ${label}`, await api('POST', decisionPath(id), { token: national, body: decisionBody }), 404, 'not_found');
      }
      for (const campaignId of ['inconnue', 'c'.repeat(3000), '%00', 'MES-ESMS-2023']) {
        expectRefused(`notify in campaign ${campaignId.slice(0, 20)}`, await api('POST', notifyPath('NAQ', campaignId), { token: national }), 404, 'not_found');
        expectRefused(`export of campaign ${campaignId.slice(0, 20)}`, await api('GET', `/v1/campaigns/${campaignId}/exports/applications.csv`, { token: national }), 404, 'not_found');
      }
      for (const id of ['%', '%E0%A4%A', '%ED%A0%80', '%FF']) {
        for (const [method, path, body] of [
          ['PUT', reviewPath(id), reviewBody],
          ['POST', decisionPath(id), decisionBody],
          ['POST', notifyPath(id), undefined],
          ['GET', `/v1/campaigns/${id}/exports/applications.csv`, undefined],
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
  it('answers 400 to a malformed If-Match and 412 version_conflict to a stale one, on reviews and decisions', async () => {
    const { version } = (await api('GET', appPath(target.id), { token: arsNaq })).json as { version: number };
    await leavesNoTrace(async () => {
      for (const [name, method, path, body] of writes().filter(([name]) => name !== 'notify')) {
        for (const malformed of ['abc', String(version), `"${version}`, '"abc"', `W/${version}`, '"-1"', '"1.0"', '"1234567890"', `"${version}" x`, `"${version}", "${version + 1}"`, '**']) {
          expectRefused(`${name} If-Match: ${malformed}`, await api(method, path, { token: arsNaq, body, headers: { 'if-match': malformed } }), 400, 'validation_failed', 'If-Match');
        }
        for (const stale of ['"0"', `"${version - 1}"`, `"${version + 1}"`, `W/"${version + 7}"`, '"999999999"']) {
          expectRefused(`${name} If-Match: ${stale}`, await api(method, path, { token: arsNaq, body, headers: { 'if-match': stale } }), 412, 'version_conflict');
          expectRefused(`national ${name} If-Match: ${stale}`, await api(method, path, { token: national, body, headers: { 'if-match': stale } }), 412, 'version_conflict');
        }
      }
    });
  });
});

describe('state conflicts', () => {
  it('refuses to review or decide a draft (409 invalid_transition) and to retain past the regional quota (409 quota_reached)', async () => {
    await leavesNoTrace(async () => {
      expectRefused('review of a draft', await api('PUT', reviewPath(draftId), { token: arsNaq, body: reviewBody }), 409, 'invalid_transition');
      expectRefused('decision on a draft', await api('POST', decisionPath(draftId), { token: arsNaq, body: decisionBody }), 409, 'invalid_transition');
      for (const caller of [arsNaq, national]) {
        expectRefused('retaining a second NAQ application (quota 1)', await api('POST', decisionPath(rival.id), { token: caller, body: { decision: 'retenue', motivation: MOTIVATION } }), 409, 'quota_reached');
      }
    });
  });
});

describe('the applications export', () => {
  it('refuses bad region filters: 400 for an unknown code, 403 for an ARS asking for another region, 404 for an unknown campaign', async () => {
    await leavesNoTrace(async () => {
      for (const query of ['ars=XYZ', 'ars=naq', 'ars=', 'ars=NAQ%00', `ars=${'N'.repeat(3000)}`, 'ars=NAQ&ars=OCC']) {
        const response = await api('GET', `${EXPORT}?${query}`, { token: national });
        expectRefused(`national ${query.slice(0, 30)}`, response, 400, 'validation_failed');
      }
      for (const query of ['ars=OCC', 'ars=XYZ', 'ars=NAQ&ars=OCC']) expectRefused(`ARS NAQ ${query}`, await api('GET', `${EXPORT}?${query}`, { token: arsNaq }), 403, 'forbidden');
      expectRefused('unknown campaign', await api('GET', '/v1/campaigns/inconnue/exports/applications.csv', { token: arsNaq }), 404, 'not_found');
    });
  });
});

describe('applicants never see reviews', () => {
  it('keeps the review out of what the owner reads: the application, its history, lists and exports', async () => {
    await leavesNoTrace(async () => {
      const asOwner = await api('GET', appPath(reviewed.id), { token: owner });
      expect(asOwner.status).toBe(200);
      expect(asOwner.json.review).toBeUndefined();
      expect(asOwner.text).not.toContain(SECRET_COMMENT);
      expect(asOwner.text).not.toContain('reviewedBy');
      const history = await api('GET', `${appPath(reviewed.id)}/history`, { token: owner });
      expect(history.status).toBe(200);
      expect(history.json.items.map((entry: { action: string }) => entry.action)).not.toContain('evaluation');
      expect(history.text).not.toContain(SECRET_COMMENT);
      // Nor the decision taken but not yet notified.
      const decided = await api('GET', appPath(retained.id), { token: owner });
      expect({ status: decided.json.status, decision: decided.json.decision }).toEqual({ status: 'en_instruction', decision: undefined });
      expectRefused('owner lists', await api('GET', `/v1/campaigns/${CAMPAIGN}/applications`, { token: owner }), 403, 'forbidden');
      expectRefused('owner exports', await api('GET', EXPORT, { token: owner }), 403, 'forbidden');
      expectRefused('another applicant reads', await api('GET', appPath(reviewed.id), { token: stranger }), 404, 'not_found');

      const asStaff = await api('GET', appPath(reviewed.id), { token: arsNaq });
      expect(asStaff.json.review).toMatchObject({ comment: SECRET_COMMENT, average: 3.6 });
    });
  });
});

describe('out of the selection window', () => {
  /** The clock at `instant`, then back: refusals at the deadline and after leave no trace. */
  async function refusedAt(instants: string[], check: () => Promise<void>): Promise<void> {
    await leavesNoTrace(async () => {
      for (const instant of instants) {
        await setClock(instant);
        await check();
      }
    });
  }

  it('answers 409 selection_closed to reviews and decisions from selectionEndsAt on, even a change of a decision', async () => {
    await refusedAt([calendar.selectionEndsAt, '2043-04-20T09:00:00+02:00', '2043-06-15T09:00:00+02:00'], async () => {
      for (const caller of [arsNaq, national]) {
        expectRefused('review', await api('PUT', reviewPath(target.id), { token: caller, body: reviewBody }), 409, 'selection_closed');
        expectRefused('decision', await api('POST', decisionPath(target.id), { token: caller, body: decisionBody }), 409, 'selection_closed');
        expectRefused('changing a decision', await api('POST', decisionPath(retained.id), { token: caller, body: decisionBody }), 409, 'selection_closed');
        expectRefused('review of a decided application', await api('PUT', reviewPath(retained.id), { token: caller, body: reviewBody }), 409, 'selection_closed');
      }
    });
  });

  it('answers 409 convention_due_passed to a notification from conventionsDueAt on, with decisions still waiting', async () => {
    await refusedAt([calendar.conventionsDueAt, '2043-07-01T09:00:00+02:00'], async () => {
      for (const caller of [arsNaq, national]) expectRefused('notify', await api('POST', notifyPath('NAQ'), { token: caller }), 409, 'convention_due_passed');
    });
  });

  it('accepts the very same requests one second before each deadline: the refusals above were the window, nothing else', async () => {
    await setClock(LAST_SELECTION_SECOND);
    const current = (await api('GET', appPath(target.id), { token: arsNaq })).json.version as number;
    const scored = await api('PUT', reviewPath(target.id), { token: arsNaq, body: { scores, comment: SECRET_COMMENT }, headers: { 'if-match': `"${current}"` } });
    expect({ status: scored.status, etag: scored.headers.get('etag') }).toEqual({ status: 200, etag: `"${current + 1}"` });
    // The longest motivation there may be, with a line break and accents.
    const motivation = `Motivation détaillée :\n${'é'.repeat(1975)}`.padEnd(2000, '.');
    const decided = await api('POST', decisionPath(target.id), { token: arsNaq, body: { decision: 'non_retenue', motivation } });
    expect({ status: decided.status, decision: decided.json.decision?.decision, length: decided.json.decision?.motivation.length }).toEqual({ status: 200, decision: 'non_retenue', length: 2000 });

    // Hostile text that is neither markup nor control characters: a spreadsheet formula, kept as typed.
    const formulaDecision = await api('POST', decisionPath(formula.id), { token: arsNaq, body: { decision: 'non_retenue', motivation: FORMULA_MOTIVATION } });
    expect(formulaDecision.status).toBe(200);

    const sent = (await inbox()).length;
    const notified = await api('POST', notifyPath('NAQ'), { token: arsNaq, body: {} });
    expect({ status: notified.status, body: notified.json }).toEqual({ status: 200, body: { notified: 3, conventionsCreated: 1 } });
    expect((await inbox()).length - sent).toBe(3);

    // Once notified, the owner sees the decision, still not the review.
    const asOwner = await api('GET', appPath(target.id), { token: owner });
    expect({ status: asOwner.json.status, decision: asOwner.json.decision?.decision, review: asOwner.json.review }).toEqual({ status: 'non_retenue', decision: 'non_retenue', review: undefined });
    expect(asOwner.text).not.toContain(SECRET_COMMENT);

    await setClock(LAST_NOTIFY_SECOND);
    await leavesNoTrace(async () => {
      const again = await api('POST', notifyPath('NAQ'), { token: arsNaq });
      expect({ status: again.status, body: again.json }).toEqual({ status: 200, body: { notified: 0, conventionsCreated: 0 } });
    });
  });

  it('exports formulas typed by applicants or ARS as text, never as something a spreadsheet would run', async () => {
    const csv = await api('GET', EXPORT, { token: arsNaq });
    expect(csv.status).toBe(200);
    const rows: Record<string, string>[] = parse(csv.text, { bom: true, delimiter: ';', columns: true });
    const row = rows.find((candidate) => candidate.Dossier === formula.id)!;
    expect({ name: row.Nom, motivation: row.Motivation }).toEqual({ name: `'${FORMULA_NAME}`, motivation: `'${FORMULA_MOTIVATION}` });
    // The comment of a review is not exported at all; its average is, for staff only.
    expect(csv.text).not.toContain(SECRET_COMMENT);
  });

  it('refuses to review or change a notified decision while the selection is still open (409 invalid_transition), writing nothing', async () => {
    await setClock(LAST_SELECTION_SECOND);
    await leavesNoTrace(async () => {
      for (const notified of [retained, target]) {
        expectRefused('changing a notified decision', await api('POST', decisionPath(notified.id), { token: arsNaq, body: { decision: 'retenue', motivation: MOTIVATION } }), 409, 'invalid_transition');
        expectRefused('reviewing a notified application', await api('PUT', reviewPath(notified.id), { token: national, body: reviewBody }), 409, 'invalid_transition');
      }
    });
  });
});
