import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod/mini';
import fr from 'zod/v4/locales/fr.js';
import { ConcurrentModificationError, DomainError, type FieldError } from '../domain/errors';
import type { Principal } from './auth';
import type { Route } from './routes';

// Field messages reach people (ESMS directors, ARS staff): French, once, at import.
z.config(fr());

/** API.md: bodies over 256 KiB are refused with 413. */
export const MAX_BODY_BYTES = 256 * 1024;

export interface HttpRequest {
  readonly event: APIGatewayProxyEventV2;
  readonly route: Route;
  readonly principal: Principal;
  readonly params: Readonly<Record<string, string | undefined>>;
  readonly query: Readonly<Record<string, string | undefined>>;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** Parsed JSON body, or undefined when there was none. */
  readonly body: unknown;
  readonly requestId: string;
}

export type HttpResponse = APIGatewayProxyStructuredResultV2;
export type Operation = (request: HttpRequest) => Promise<HttpResponse>;

export function issuesToFieldErrors(issues: readonly z.core.$ZodIssue[], prefix?: string): FieldError[] {
  return issues.flatMap((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter((part) => part !== undefined && part !== '').join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: path ? `${path}.${key}` : key, message: 'Champ inconnu' }));
    }
    return [{ path, message: issue.message }];
  });
}

/** Validates a value against its schema; a failure is a 400 `validation_failed` naming each field. */
export function parseWith<T extends z.ZodMiniType>(schema: T, value: unknown, where: 'body' | 'query' | 'path' = 'body'): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const prefix = where === 'body' ? undefined : where;
  throw new DomainError('validation_failed', 'La requête contient des champs invalides.', issuesToFieldErrors(result.error.issues, prefix));
}

export function requireBody<T extends z.ZodMiniType>(request: HttpRequest, schema: T): z.output<T> {
  if (request.body === undefined) {
    throw new DomainError('validation_failed', 'Le corps de la requête (JSON) est requis.', [{ path: '', message: 'Corps JSON requis' }]);
  }
  return parseWith(schema, request.body);
}

/** `If-Match: "3"` (or W/"3") → 3; undefined without the header. A malformed value is a 400. */
export function ifMatchVersion(request: HttpRequest): number | undefined {
  const header = request.headers['if-match'];
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"(\d{1,9})"\s*$/.exec(header);
  if (!match?.[1]) {
    throw new DomainError('validation_failed', "L'en-tête If-Match doit reprendre l'ETag reçu, par exemple \"3\".", [{ path: 'If-Match', message: 'ETag invalide' }]);
  }
  return Number(match[1]);
}

export const etagOf = (version: number): string => `"${version}"`;

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    // A final newline, so that a terminal shows the prompt on its own line after `curl`.
    body: `${JSON.stringify(body)}\n`,
  };
}

/** A versioned resource: its ETag travels with it so clients can send If-Match. */
export const jsonVersioned = (statusCode: number, body: { version: number }, headers: Record<string, string> = {}): HttpResponse =>
  json(statusCode, body, { etag: etagOf(body.version), ...headers });

/**
 * A file to download (XLSX, PDF…): base64 with `isBase64Encoded`, which API Gateway (HTTP API, payload 2.0)
 * and the local emulator both decode back to the bytes.
 */
export function binary(body: Uint8Array, contentType: string, filename: string, headers: Record<string, string> = {}): HttpResponse {
  return {
    statusCode: 200,
    headers: { 'content-type': contentType, 'content-disposition': `attachment; filename="${filename.replace(/["\\\r\n]/g, '_')}"`, 'cache-control': 'no-store', ...headers },
    body: Buffer.from(body).toString('base64'),
    isBase64Encoded: true,
  };
}

const pageQuerySchema = z.object({
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(200)), 50),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
});

/** `?limit=` (default 50, max 200) and the opaque `cursor` of every list. */
export const pageQuery = (request: HttpRequest): z.output<typeof pageQuerySchema> =>
  parseWith(pageQuerySchema, { limit: request.query.limit, cursor: request.query.cursor }, 'query');

/** How long a write without If-Match keeps trying after lost races: well inside the function's timeout. */
const RETRY_BUDGET_MS = 5_000;
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Without If-Match the caller asked for "apply this to the current state": a write that lost a race is
 * re-read and re-applied (rules checked again), after a jittered back-off (full jitter, so that writers who
 * collided do not collide again), for as long as the budget allows. With If-Match a lost race is the
 * caller's 412.
 */
export async function retryOnConflict<T>(request: HttpRequest, attempt: () => Promise<T>, budgetMs = RETRY_BUDGET_MS): Promise<T> {
  if (request.headers['if-match'] !== undefined) return attempt();
  const started = Date.now();
  for (let tries = 0; ; tries += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ConcurrentModificationError)) throw error;
      const wait = Math.random() * Math.min(500, 10 * 2 ** tries);
      if (Date.now() - started + wait > budgetMs) throw error;
      await pause(wait);
    }
  }
}

const emptyBody = z.strictObject({});

/** Actions that take no fields (submit, withdraw, notify) accept no body or `{}`, and refuse anything else. */
export function noBody(request: HttpRequest): void {
  if (request.body !== undefined) parseWith(emptyBody, request.body);
}

/** The cursor of a list read whole and served in pages by position (a person's own files). */
export const offsetCursor = {
  encode: (offset: number): string => Buffer.from(JSON.stringify({ offset }), 'utf8').toString('base64url'),
  decode(cursor: string | undefined): number {
    if (cursor === undefined) return 0;
    try {
      const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      const offset = (value as { offset?: unknown } | null)?.offset;
      if (typeof offset === 'number' && Number.isSafeInteger(offset) && offset >= 0 && offset <= 100_000) return offset;
    } catch {
      // fall through
    }
    throw new DomainError('validation_failed', 'Le curseur de pagination est invalide.', [{ path: 'query.cursor', message: 'Curseur invalide' }]);
  },
};
