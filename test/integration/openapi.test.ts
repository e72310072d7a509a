import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Document, Spectral, type ISpectralDiagnostic, type RulesetDefinition } from '@stoplight/spectral-core';
import * as Parsers from '@stoplight/spectral-parsers';
import { oas } from '@stoplight/spectral-rulesets';
import { api, expectProblem, roles, stack } from './support/stack';
import { calendar2031 } from './support/flow';

const repoRoot = resolve(__dirname, '..', '..');
// The contract lives beside the repository (CI checks it out there too): API.md and its additions, API-*.md.
const sharedDir = resolve(repoRoot, '..', 'shared');
const contractFiles = readdirSync(sharedDir).filter((name) => /^API(-[\w-]+)?\.md$/.test(name)).sort();
const DOCS_ROUTES = ['GET /v1/openapi.json', 'GET /docs', 'GET /docs/{asset}'];
const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
let document: Json;
let text: string;

beforeAll(async () => {
  const response = await api('GET', '/v1/openapi.json');
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
  text = response.text;
  document = response.json;
});

const operationsOf = (doc: Json): string[] =>
  Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((method) => METHODS.includes(method))
      .map((method) => `${method.toUpperCase()} ${path}`),
  );

/**
 * Every "`METHOD /v1/...`" of API.md (query strings dropped). API.md abbreviates siblings on one line as
 * "`.../exports/usage.csv`": such a mention continues the previous route of its bullet from the matching segment.
 */
function routesOfApiMd(markdown: string): string[] {
  const found = new Set<string>();
  let previous: { method: string; path: string } | undefined;
  for (const line of markdown.split('\n')) {
    // A bullet may wrap: its continuation lines are indented; a new bullet, heading or blank line starts afresh.
    if (!/^\s+\S/.test(line)) previous = undefined;
    for (const [, code] of line.matchAll(/`([^`]+)`/g)) {
      const full = /^(GET|POST|PUT|PATCH|DELETE) (\/\S+)$/.exec(code!.trim());
      if (full) {
        previous = { method: full[1]!, path: full[2]!.split('?')[0]! };
        if (previous.path.startsWith('/v1/')) found.add(`${previous.method} ${previous.path}`);
        continue;
      }
      const sibling = /^\.\.\.(\/[^\s?]+)/.exec(code!.trim());
      if (sibling && previous) {
        const firstSegment = sibling[1]!.split('/')[1]!;
        const at = previous.path.indexOf(`/${firstSegment}/`);
        if (at < 0) throw new Error(`API.md: cannot expand "${code}" after ${previous.path}`);
        found.add(`${previous.method} ${previous.path.slice(0, at)}${sibling[1]}`);
      }
    }
  }
  return [...found].sort();
}

describe('GET /v1/openapi.json', () => {
  it('is an OpenAPI 3.1 document of this server', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.servers).toEqual([{ url: stack.apiUrl, description: 'This deployment' }]);
    expect(JSON.parse(text)).toEqual(document);
  });

  it('names the server from the deployment, never from the Host or X-Forwarded-Proto a client sends', async () => {
    const { request } = await import('node:http');
    const url = new URL(`${stack.apiUrl}/v1/openapi.json`);
    const forged = await new Promise<string>((resolve, reject) => {
      const sent = request({ host: url.hostname, port: url.port, path: url.pathname, headers: { host: 'evil.example', 'x-forwarded-proto': 'javascript' } }, (reply) => {
        let body = '';
        reply.setEncoding('utf8');
        reply.on('data', (chunk: string) => (body += chunk));
        reply.on('end', () => resolve(body));
      });
      sent.on('error', reject);
      sent.end();
    });
    expect(JSON.parse(forged).servers).toEqual([{ url: stack.apiUrl, description: 'This deployment' }]);
    expect(forged).toBe(text);
  });

  it("lints with Spectral's oas ruleset without any error", async () => {
    const spectral = new Spectral();
    spectral.setRuleset(oas as RulesetDefinition);
    const results: ISpectralDiagnostic[] = await spectral.run(new Document(text, Parsers.Json, 'openapi.json'));
    const lines = results.map((result) => `${['error', 'warning', 'info', 'hint'][result.severity]} ${result.code} at ${result.path.join('.')}: ${result.message}`);
    if (lines.length > 0) console.log(`Spectral (oas ruleset) on /v1/openapi.json:\n${lines.join('\n')}`);
    expect(lines.filter((line) => line.startsWith('error'))).toEqual([]);
  });

  it('reads the whole contract: API.md and every API-*.md beside it', () => {
    expect(contractFiles).toContain('API.md');
    expect(contractFiles).toContain('API-documents.md');
  });

  it('has exactly the operations of ../shared/API*.md (the /local ones aside), plus its own docs routes', () => {
    const contract = [...new Set(contractFiles.flatMap((name) => routesOfApiMd(readFileSync(resolve(sharedDir, name), 'utf8'))))].sort();
    const documented = operationsOf(document);
    expect(contract.length).toBeGreaterThan(20);
    expect({
      inApiMdButNotInTheDocument: contract.filter((key) => !documented.includes(key)),
      inTheDocumentButNotInApiMd: documented.filter((key) => !contract.includes(key) && !DOCS_ROUTES.includes(key)),
    }).toEqual({ inApiMdButNotInTheDocument: [], inTheDocumentButNotInApiMd: [] });
  });
});

describe('GET /docs', () => {
  it('is an HTML page that loads Swagger UI from this API, not from a CDN', async () => {
    const page = await api('GET', '/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('href="docs/swagger-ui.css"');
    expect(page.text).toContain('src="docs/swagger-ui-bundle.js"');
    expect(page.text).toContain("url: 'v1/openapi.json'");
    expect(page.text).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'.*script-src 'self' 'sha256-/);
  });

  it.each([
    ['swagger-ui.css', 'text/css; charset=utf-8'],
    ['swagger-ui-bundle.js', 'text/javascript; charset=utf-8'],
  ])('serves %s as %s, gzipped when the client accepts it', async (name, contentType) => {
    const original = readFileSync(require.resolve(`swagger-ui-dist/${name}`), 'utf8');
    const plain = await api('GET', `/docs/${name}`, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toBe(contentType);
    expect(plain.text).toBe(original);

    const raw = await fetch(`${stack.apiUrl}/docs/${name}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(raw.headers.get('content-encoding')).toBe('gzip');
    // fetch already decodes gzip; the length header is the compressed size.
    expect(Number(raw.headers.get('content-length'))).toBeLessThan(Buffer.byteLength(original) / 2);
    expect(await raw.text()).toBe(original);
  });

  it('serves no other file', async () => {
    expectProblem(await api('GET', '/docs/index.html'), 404, 'not_found');
    expectProblem(await api('GET', '/docs/..%2Fpackage.json'), 404, 'not_found');
  });
});

/**
 * What the document promises for every operation of a kind, checked on the running API. API.md: "never a 5xx
 * for bad input".
 */
describe('the promises of the document, route by route', () => {
  const SEEDED = 'mes-esms-2023';
  const fill = (path: string, value: (name: string) => string) => path.replace(/\{(\w+)\}/g, (_, name: string) => value(name));

  // A forged cursor (base64url of some JSON object) must not reach DynamoDB as a start key it refuses.
  it('answers 400 validation_failed on every list for a cursor it did not issue', async () => {
    const national = await roles.national();
    const applicant = await roles.candidat('openapi-cursor');
    const forged = Buffer.from(JSON.stringify({ pk: 'CAMPAIGN#x', sk: 'y' })).toString('base64url');
    const lists = operationsOf(document).filter((key) => {
      const [method, path] = key.split(' ') as [string, string];
      return (document.paths[path][method.toLowerCase()].parameters ?? []).some((param: Json) => param.$ref === '#/components/parameters/Cursor');
    });
    expect(lists.length).toBeGreaterThanOrEqual(4);
    const outcomes = [];
    for (const key of lists) {
      const path = fill(key.split(' ')[1]!, () => SEEDED);
      // The applicant's own list is the applicant's; every other list is staff's.
      const response = await api('GET', `${path}?cursor=${forged}`, { token: path.startsWith('/v1/me/') ? applicant : national });
      outcomes.push({ key, answer: `${response.status} ${response.json?.code}` });
    }
    expect(outcomes).toEqual(lists.map((key) => ({ key, answer: '400 validation_failed' })));
  });

  // An id longer than DynamoDB's 2048-byte key limit must not reach GetItem.
  it('answers 404 not_found, never a 5xx, for an id no resource can have', async () => {
    const national = await roles.national();
    const reads = operationsOf(document).filter((key) => /^GET /.test(key) && /\{(campaignId|id)\}/.test(key) && !/\{(ars|finess|month|asset)\}/.test(key));
    const outcomes = [];
    for (const key of reads) {
      const response = await api('GET', fill(key.split(' ')[1]!, () => 'X'.repeat(2100)), { token: national });
      outcomes.push({ key, answer: `${response.status} ${response.json?.code}` });
    }
    expect(outcomes).toEqual(reads.map((key) => ({ key, answer: '404 not_found' })));
  });

  // API.md: "Writes that create things accept an Idempotency-Key header", campaigns included.
  it('replays a campaign creation retried with the same Idempotency-Key', async () => {
    const national = await roles.national();
    const body = { id: `test-openapi-${Date.now().toString(36)}`, title: 'Campagne créée deux fois', ...calendar2031 };
    const headers = { 'idempotency-key': `create-${body.id}` };
    const first = await api('POST', '/v1/campaigns', { token: national, body, headers });
    expect(first.status).toBe(201);
    const retry = await api('POST', '/v1/campaigns', { token: national, body, headers });
    expect({ status: retry.status, replayed: retry.headers.get('idempotent-replayed'), body: retry.json }).toEqual({ status: 201, replayed: 'true', body: first.json });
  });
});
