import middy, { type MiddlewareObj } from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { DomainError } from '../domain/errors';
import { logger } from '../adapters/logger';
import { metricsMiddleware, tracingMiddleware } from '../adapters/observability';
import { assertRouteAccess, principalOf } from './auth';
import { problem, problemResponse } from './problem';
import { MAX_BODY_BYTES, type HttpRequest, type HttpResponse, type Operation } from './request';
import { routeKey, routes, routesByKey, type FunctionName } from './routes';

type Event = APIGatewayProxyEventV2;

type Internal = Record<string, unknown>;

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

function lowerCaseHeaders(headers: Event['headers']): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers ?? {})) out[name.toLowerCase()] = value;
  return out;
}

/** Content type, size and JSON syntax: the same for every route, before any operation code runs. */
function readBody(event: Event, headers: Record<string, string | undefined>): unknown {
  if (!BODY_METHODS.has(event.requestContext.http.method) || event.body === undefined || event.body === '') return undefined;
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (raw.byteLength > MAX_BODY_BYTES) {
    throw new DomainError('payload_too_large', 'Le corps de la requête dépasse 256 Kio.');
  }
  const contentType = headers['content-type'] ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(contentType)) {
    throw new DomainError('unsupported_media_type', 'Le corps de la requête doit être du JSON (Content-Type: application/json).');
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new DomainError('validation_failed', "Le corps de la requête n'est pas un JSON valide.", [{ path: '', message: 'JSON invalide' }]);
  }
}

function requestFrom(event: Event): HttpRequest {
  const route = routesByKey.get(event.routeKey);
  if (!route) throw new DomainError('not_found', "Cette adresse n'existe pas.");
  const principal = principalOf(event);
  assertRouteAccess(principal, route.access);
  // No id of ours is that long or holds control characters: such a resource does not exist.
  if (Object.values(event.pathParameters ?? {}).some((value) => value === undefined || value.length > 128 || /[\u0000-\u001f]/.test(value))) {
    throw new DomainError('not_found', "Cette ressource n'existe pas.");
  }
  const headers = lowerCaseHeaders(event.headers);
  return {
    event,
    route,
    principal,
    params: event.pathParameters ?? {},
    query: event.queryStringParameters ?? {},
    headers,
    body: readBody(event, headers),
    requestId: event.requestContext.requestId,
  };
}

/** Known errors become their problem+json; anything else is logged and answered 500 with a correlation id only. */
const problemErrors = (): MiddlewareObj<Event, HttpResponse, Error, Context, Internal> => ({
  onError: (request) => {
    const { error } = request;
    const requestId = request.event.requestContext?.requestId;
    if (error instanceof DomainError) {
      request.response = problemResponse(problem(error.code, error.detail, error.errors));
      return;
    }
    logger.error('unhandled error', { requestId, routeKey: request.event.routeKey, error: error instanceof Error ? error : String(error) });
    request.response = problemResponse(
      problem('internal_error', `Une erreur interne est survenue. Référence : ${requestId ?? 'inconnue'}.`, undefined, requestId),
    );
  },
});

/**
 * The house HTTP handler of one function: middy with the problem+json error handler registered last (so it
 * runs first on error); the handler reads the request (route access, content type, size, JSON) and runs the
 * operation of the route.
 * Every route the route table gives this function must have an operation (checked at import).
 */
export function httpHandler(fn: FunctionName, operations: Readonly<Record<string, Operation>>) {
  const expected = routes.filter((route) => route.fn === fn).map(routeKey);
  const missing = expected.filter((key) => !operations[key]);
  const unknown = Object.keys(operations).filter((key) => !expected.includes(key));
  if (missing.length > 0 || unknown.length > 0) {
    throw new Error(`functions/${fn}: operations do not match the route table (missing: ${missing.join(', ') || '-'}; unknown: ${unknown.join(', ') || '-'})`);
  }
  return middy<Event, HttpResponse, Error, Context, Internal>()
    .use(tracingMiddleware())
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(metricsMiddleware())
    .use(problemErrors())
    .handler(async (event) => {
      // The correlation id of every log line is API Gateway's request id.
      logger.setCorrelationId(event.requestContext?.requestId);
      const request = requestFrom(event);
      return operations[routeKey(request.route)]!(request);
    });
}
