import fc from 'fast-check';
import { api, roles, setClock, type ApiResponse } from './support/stack';
import { withCheckKey } from '../../layers/domain/finess';
import { assertProperty, createBody, editBody, expectKnownProblem, footprint, listQuery, notJsonBytes, rawRequest } from './support/mutations';
import { calendarOf } from '../support/calendars';

// Random create, replace and submit requests, from plausible to hostile: the API never answers 5xx, every
// refusal is a problem+json of API.md, and a refused request writes nothing (no new item, the target
// application unchanged: see footprint(); applications-bad-input compares whole-table snapshots).
//
// They run in a campaign of their own, open in 2041, so that the drafts created here never show up in the
// default campaign's lists, milestones or emails that the other files of the shared stack look at.

const CAMPAIGN = 'fuzz-candidatures-2041';
const NOW = '2041-02-01T10:00:00+01:00';
const LIST = `/v1/campaigns/${CAMPAIGN}/applications`;

let owner: string;
let stranger: string;
let national: string;
/** The owner's application that replace and submit aim at; it may get submitted along the way. */
let targetId: string;

beforeAll(async () => {
  national = await roles.national();
  const campaign = await api('POST', '/v1/campaigns', {
    token: national,
    body: {
      id: CAMPAIGN,
      title: 'Campagne des tests aléatoires',
      ...calendarOf(2041),
    },
  });
  expect([201, 409]).toContain(campaign.status);
  await setClock(NOW);
  owner = await roles.candidat('esms-fuzz');
  stranger = await roles.candidat('esms-fuzz-stranger');
  const target = await api('POST', LIST, { token: owner, body: { finess: withCheckKey('97060001'), name: 'EHPAD de la cible' } });
  expect(target.status).toBe(201);
  targetId = target.json.id as string;
});
beforeEach(() => setClock(NOW));
afterAll(() => setClock(null));

type Endpoint = 'create' | 'replace' | 'submit';

const routeOf = (endpoint: Endpoint): [string, string] =>
  endpoint === 'create' ? ['POST', LIST] : endpoint === 'replace' ? ['PUT', `/v1/applications/${targetId}`] : ['POST', `/v1/applications/${targetId}/submit`];

/** What a reasonable client does with the answer: a 2xx is JSON and what it created or changed reads back. */
async function expectUsable(endpoint: Endpoint, response: ApiResponse, token: string): Promise<void> {
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const id = endpoint === 'create' ? (response.json.id as string) : targetId;
  const read = await api('GET', `/v1/applications/${id}`, { token });
  expect({ status: read.status, version: read.json?.version }).toEqual({ status: 200, version: response.json.version });
  expect((await api('GET', `/v1/applications/${id}/history`, { token })).status).toBe(200);
}

const request = fc.oneof(
  createBody.map((body) => ({ endpoint: 'create' as const, body })),
  editBody.map((body) => ({ endpoint: 'replace' as const, body })),
  fc.option(editBody, { nil: undefined, freq: 3 }).map((body) => ({ endpoint: 'submit' as const, body })),
);

const caller = fc.constantFrom('owner', 'owner', 'owner', 'owner', 'owner', 'owner', 'stranger', 'national');
const ifMatch = fc.constantFrom(undefined, undefined, undefined, undefined, 'current', '"0"', 'W/"1"', 'abc', '*');
const contentType = fc.constantFrom('application/json', 'application/json', 'application/json', 'application/json', 'application/json; charset=utf-8', 'application/merge-patch+json', 'text/plain');

describe('mutated bodies', () => {
  it('never answer 5xx; every refusal is a known problem and writes nothing', async () => {
    await assertProperty(
      fc.asyncProperty(request, caller, ifMatch, contentType, async ({ endpoint, body }, who, match, type) => {
        const [method, path] = routeOf(endpoint);
        const headers: Record<string, string> = { 'content-type': type };
        if (match === 'current') headers['if-match'] = `"${(await api('GET', `/v1/applications/${targetId}`, { token: owner })).json.version}"`;
        else if (match !== undefined) headers['if-match'] = match;
        const token = who === 'owner' ? owner : who === 'stranger' ? stranger : national;

        const before = await footprint(targetId);
        const response = await api(method, path, { token, rawBody: body, headers });
        if (response.status >= 500) throw new Error(`${method} ${path} answered ${response.status}: ${response.text.slice(0, 300)}`);
        if (response.status >= 300) {
          expectKnownProblem(response);
          expect(await footprint(targetId)).toBe(before);
        } else {
          await expectUsable(endpoint, response, token);
        }
      }),
      { numRuns: 300 },
    );
    // Whatever was stored along the way, the lists still read.
    const list = await api('GET', `${LIST}?limit=200`, { token: national });
    expect(list.status).toBe(200);
    expect((await api('GET', `${LIST}?limit=200`, { token: await roles.ars('MAY') })).status).toBe(200);
  }, 120_000);
});

/** Bytes over 256 KiB, different on every run but reproducible from the seed. */
const oversized = fc.tuple(fc.integer({ min: 256 * 1024 + 1, max: 300 * 1024 }), fc.integer({ min: 1, max: 255 })).map(([size, step]) => {
  const bytes = new Uint8Array(size);
  for (let index = 0; index < size; index += 1) bytes[index] = (index * step) & 0xff;
  return bytes;
});

describe('bodies that are not JSON', () => {
  it('answer 400, 413 or 415 as their size and content type say, and write nothing', async () => {
    await assertProperty(
      fc.asyncProperty(
        fc.constantFrom<Endpoint>('create', 'replace', 'submit'),
        fc.oneof({ weight: 9, arbitrary: notJsonBytes }, { weight: 1, arbitrary: oversized }),
        fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/octet-stream', 'application/x-www-form-urlencoded', undefined),
        async (endpoint, bytes, type) => {
          const [method, path] = routeOf(endpoint);
          const before = await footprint(targetId);
          const response = await rawRequest(method, path, { token: owner, body: bytes, contentType: type });
          const expected = bytes.byteLength > 256 * 1024 ? 'payload_too_large' : type?.startsWith('application/json') ? 'validation_failed' : 'unsupported_media_type';
          expect({ status: response.status, code: response.json?.code }).toEqual({ status: { payload_too_large: 413, validation_failed: 400, unsupported_media_type: 415 }[expected], code: expected });
          expectKnownProblem(response);
          expect(await footprint(targetId)).toBe(before);
        },
      ),
      { numRuns: 150 },
    );
  }, 60_000);
});

describe('list queries', () => {
  it('never answer 5xx to random filters; an ARS only ever sees its own region', async () => {
    const callers: [string, string | undefined][] = [
      [national, undefined],
      [await roles.ars('NAQ'), 'NAQ'],
      [await roles.ars('MAY'), 'MAY'],
    ];
    await assertProperty(
      fc.asyncProperty(fc.constantFrom(...callers), listQuery, async ([caller, region], query) => {
        const response = await api('GET', `${LIST}?${query}`, { token: caller });
        if (response.status >= 500) throw new Error(`GET ${LIST}?${query} answered ${response.status}: ${response.text.slice(0, 300)}`);
        if (response.status >= 300) return expectKnownProblem(response);
        expect(Array.isArray(response.json.items)).toBe(true);
        expect(response.json.nextCursor === null || typeof response.json.nextCursor === 'string').toBe(true);
        if (region) expect((response.json.items as { ars: string }[]).filter((item) => item.ars !== region)).toEqual([]);
      }),
      { numRuns: 150 },
    );
  }, 60_000);
});
