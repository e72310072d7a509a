import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { problem, type Problem } from '../../layers/http/problem';
import { routeKey, routes, type FunctionName, type Route } from '../../layers/http/routes';
import { claimsAsApiGateway, type LocalJwt } from './local-jwt';
import type { LocalOidc } from './oidc-provider';
import { GATEWAY_NOT_FOUND, GATEWAY_UNAUTHORIZED } from '../lib/authorizer';
import type { WebStatic } from './web-static';

/** API Gateway HTTP APIs refuse payloads over 10 MB before any Lambda runs. */
const GATEWAY_MAX_BODY = 10 * 1024 * 1024;

export type LambdaHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

export interface LocalResponse {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

export interface EmulatorOptions {
  readonly jwt: LocalJwt;
  /** Loads functions/<fn>/handler.ts once, after the environment is set. */
  readonly loadHandler: (fn: FunctionName) => Promise<LambdaHandler>;
  /** The /local/* endpoints and the index page (asked for as `/`, served at /local/); undefined means not found. */
  readonly local: (method: string, path: string, body: string) => Promise<LocalResponse | undefined>;
  /** The OpenID Connect provider under /local/oidc. */
  readonly oidc?: LocalOidc;
  /** The web app: every GET that is not /v1, /local or /docs. */
  readonly web?: WebStatic;
}

const isApiPath = (path: string): boolean => path.startsWith('/v1/') || path === '/v1' || path === '/docs' || path.startsWith('/docs/');

interface CompiledRoute {
  readonly route: Route;
  readonly pattern: RegExp;
  readonly names: string[];
}

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      const match = /^\{(\w+)\}(.*)$/.exec(segment);
      if (!match) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(match[1]!);
      return `([^/]+)${match[2]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}$`), names };
}

// Literal routes win over parameterised ones, as in API Gateway.
const compiled = routes
  .map(compile)
  .sort((a, b) => a.names.length - b.names.length);

function match(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
  for (const candidate of compiled) {
    if (candidate.route.method !== method) continue;
    const found = candidate.pattern.exec(path);
    if (!found) continue;
    const params: Record<string, string> = {};
    try {
      candidate.names.forEach((name, index) => (params[name] = decodeURIComponent(found[index + 1]!)));
    } catch {
      // A malformed %-escape names no resource of ours.
      return undefined;
    }
    return { route: candidate.route, params };
  }
  return undefined;
}

function send(res: ServerResponse, status: number, headers: Record<string, string | number | boolean>, body: string | Buffer): void {
  res.writeHead(status, { 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

const sendProblem = (res: ServerResponse, body: Problem): void =>
  send(res, body.status, { 'content-type': 'application/problem+json; charset=utf-8' }, `${JSON.stringify(body)}\n`);

function readBody(req: IncomingMessage): Promise<Buffer | 'too_large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > GATEWAY_MAX_BODY) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? 'too_large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const isText = (contentType: string | undefined): boolean => !contentType || /^(text\/|application\/([\w.+-]+\+)?(json|xml|x-www-form-urlencoded))/i.test(contentType);

function headersOf(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  return headers;
}

function queryOf(url: URL): Record<string, string> | undefined {
  const query: Record<string, string> = {};
  for (const name of new Set(url.searchParams.keys())) query[name] = url.searchParams.getAll(name).join(',');
  return Object.keys(query).length > 0 ? query : undefined;
}

export function lambdaContext(fn: string, requestId: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `local-${fn}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:local-${fn}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/local-${fn}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 29_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * A local stand-in for the API Gateway HTTP API: the same route table, a JWT authorizer with the local key,
 * and APIGatewayProxyEventV2 events handed to the very handler modules that run in Lambda.
 */
export function createHttpEmulator(options: EmulatorOptions): Server {
  const handlers = new Map<FunctionName, Promise<LambdaHandler>>();
  const handlerOf = (fn: FunctionName) => {
    if (!handlers.has(fn)) handlers.set(fn, options.loadHandler(fn));
    return handlers.get(fn)!;
  };

  return createServer(async (req, res) => {
    const requestId = randomUUID();
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const method = (req.method ?? 'GET').toUpperCase();
      // The provider reads its own request bodies (token endpoint, login form).
      if (options.oidc && (url.pathname === '/local/oidc' || url.pathname.startsWith('/local/oidc/'))) return await options.oidc.handle(req, res);

      const body = await readBody(req);
      if (body === 'too_large') return sendProblem(res, problem('payload_too_large', 'Le corps de la requête dépasse la taille maximale acceptée.'));

      // `/` is the web app when there is one; the list of routes moves to /local/.
      const localIndex = url.pathname === '/local' || url.pathname === '/local/' || (url.pathname === '/' && !options.web);
      if (localIndex || url.pathname.startsWith('/local/')) {
        const local = await options.local(method, localIndex ? '/' : url.pathname, body.toString('utf8'));
        if (local) return send(res, local.status, { 'content-type': 'application/json; charset=utf-8', ...local.headers }, local.body);
      }

      if (options.web && !isApiPath(url.pathname) && !url.pathname.startsWith('/local/') && options.web.handle(req, res, url.pathname)) return;

      const found = match(method, url.pathname);
      // API Gateway's own answer for a route it does not have.
      if (!found) return send(res, 404, { 'content-type': 'application/json' }, JSON.stringify(GATEWAY_NOT_FOUND));

      let authorizer: APIGatewayProxyEventV2['requestContext'] extends infer C ? Record<string, unknown> | undefined : never;
      if (found.route.access !== 'public') {
        const header = req.headers.authorization ?? '';
        const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
        const claims = token ? await options.jwt.verify(token) : undefined;
        if (!claims) {
          // The authorizer refuses before any function runs, with API Gateway's own body.
          return send(res, 401, { 'content-type': 'application/json' }, JSON.stringify(GATEWAY_UNAUTHORIZED));
        }
        const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : undefined;
        authorizer = { jwt: { claims: claimsAsApiGateway(claims), scopes } };
      }

      const headers = headersOf(req);
      const text = isText(headers['content-type']);
      const nowDate = new Date();
      const event: APIGatewayProxyEventV2 = {
        version: '2.0',
        routeKey: routeKey(found.route),
        rawPath: url.pathname,
        rawQueryString: url.search.replace(/^\?/, ''),
        headers,
        queryStringParameters: queryOf(url),
        pathParameters: Object.keys(found.params).length > 0 ? found.params : undefined,
        body: body.byteLength > 0 ? (text ? body.toString('utf8') : body.toString('base64')) : undefined,
        isBase64Encoded: body.byteLength > 0 && !text,
        requestContext: {
          accountId: '000000000000',
          apiId: 'local',
          domainName: headers.host ?? 'localhost',
          domainPrefix: 'localhost',
          http: { method, path: url.pathname, protocol: `HTTP/${req.httpVersion}`, sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
          requestId,
          routeKey: routeKey(found.route),
          stage: '$default',
          time: nowDate.toUTCString(),
          timeEpoch: nowDate.getTime(),
          ...(authorizer ? { authorizer } : {}),
        } as APIGatewayProxyEventV2['requestContext'],
      };

      const handler = await handlerOf(found.route.fn);
      const result = await handler(event, lambdaContext(found.route.fn, requestId));
      const responseBody = result.body === undefined ? '' : result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
      const responseHeaders: Record<string, string | number | boolean> = { 'x-request-id': requestId, ...(result.headers ?? {}) };
      send(res, result.statusCode ?? 200, responseHeaders, responseBody);
    } catch (error) {
      // As API Gateway answers when the Lambda itself fails: a 500 without internals.
      console.error(JSON.stringify({ level: 'error', message: 'local emulator: handler failed', requestId, error: String(error) }));
      if (!res.headersSent) sendProblem(res, problem('internal_error', `Une erreur interne est survenue. Référence : ${requestId}.`, undefined, requestId));
    }
  });
}
