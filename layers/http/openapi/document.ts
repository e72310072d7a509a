import * as z from 'zod/mini';
import { errorCodes, type ErrorCode } from '../../domain/errors';
import { problemKinds } from '../problem';
import { routeKey, routes, type FunctionName, type Role, type Route } from '../routes';
import type { OperationDoc, SuccessDoc } from '../openapi';
import { pathParameterSchema, querySchemas, requestFieldDocs, requestSchemas, responseSchemas } from './schemas';

type Json = Record<string, unknown>;
export type OpenApiDocument = Json & { openapi: string; paths: Record<string, Record<string, Json>>; components: Json };

export interface DocumentOptions {
  /** The API's base URL, as the caller reached it (the docs function passes its own host). */
  readonly serverUrl?: string;
  /** Cognito's `/oauth2/token` of the deployment, where DUI software gets its client-credentials tokens. */
  readonly tokenUrl?: string;
}

const API_VERSION = '1.0.0';
// RFC 2606 reserves `.invalid`: a visibly unconfigured endpoint rather than a plausible wrong one.
const UNCONFIGURED_TOKEN_URL = 'https://cognito-domain.invalid/oauth2/token';
const SCHEMAS = '#/components/schemas/';
const ref = (name: string) => ({ $ref: `${SCHEMAS}${name}` });

const tagDescriptions: Record<FunctionName, string> = {
  campaigns: 'Calls for projects and their calendar.',
  applications: 'Applications (candidatures) of ESMS to a campaign.',
  selection: 'Reviews, decisions and their notification by the ARS.',
  conventions: 'Funding conventions and their signatures.',
  usage: 'Pilots, monthly usage figures, funding and key figures.',
  exports: 'CSV exports for ARS and national staff.',
  docs: 'This documentation.',
  attachments: 'Documents attached to an application, scanned for malware before anyone downloads them.',
  documents: 'Documents drawn from a file: the receipt of an application, the convention as a PDF.',
};

const roleDescriptions: Record<Role, string> = {
  candidat: '`candidat` (ESMS representative)',
  ars: '`ars-<CODE>` (ARS reviewer)',
  national: '`national` (programme team)',
  client: 'DUI software (client credentials, scope `usage/write`)',
};

const description = `The HTTP API of the *Mon espace santé en ESMS* pilot programme: campaigns, applications, selection by the
ARS, conventions, pilots' usage figures and funding.

- **JSON** in and out, camelCase fields, French snake_case codes and enum values. Instants are ISO 8601 with
  an offset (returned in Paris time), dates \`YYYY-MM-DD\`, months \`YYYY-MM\`.
- **Authentication**: \`Authorization: Bearer <JWT>\` from the Cognito user pool. People are in the groups
  \`candidat\`, \`ars-<CODE>\` or \`national\`; DUI software uses the client-credentials flow with scope
  \`usage/write\`. On the local stack, \`POST /local/token\` issues equivalent tokens.
- **Errors** are \`application/problem+json\` with a stable \`code\`, a French \`detail\` and, for field
  problems, \`errors[{path, message}]\`. Resources of another region answer 404: their existence is not revealed.
- **Concurrency**: versioned resources carry an \`ETag\`; send it back in \`If-Match\` (412 when stale).
- **Retries**: creates accept an \`Idempotency-Key\`; a retry with the same key and body returns the first
  response (header \`Idempotent-Replayed: true\`) and writes nothing.
- **Lists**: \`?limit=\` (default 50, max 200) and an opaque \`cursor\`; answers are \`{ items, nextCursor }\`.`;

// ---- JSON Schema from zod ----------------------------------------------------------------------------

/** zod writes `integer` bounds as ±MAX_SAFE_INTEGER, ids as `$id` and a `$schema` per schema: noise in a document. */
function tidy(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(tidy);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node as Json)) {
    if (key === '$schema' || key === '$id') continue;
    if ((key === 'minimum' && value === Number.MIN_SAFE_INTEGER) || (key === 'maximum' && value === Number.MAX_SAFE_INTEGER)) continue;
    out[key] = tidy(value);
  }
  return out;
}

/** Adds what the zod schemas cannot say (see requestFieldDocs) to every property of that name. */
function withFieldDocs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withFieldDocs);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node as Json)) out[key] = withFieldDocs(value);
  if (out.properties && typeof out.properties === 'object') {
    const properties = out.properties as Json;
    for (const [name, schema] of Object.entries(properties)) {
      const extra = requestFieldDocs[name];
      if (extra && schema && typeof schema === 'object') properties[name] = { ...extra, ...(schema as Json) };
    }
  }
  return out;
}

function namedSchemas(schemas: Readonly<Record<string, z.ZodMiniType>>, io: 'input' | 'output'): Record<string, Json> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
  const converted = z.toJSONSchema(registry, { target: 'draft-2020-12', io, uri: (id) => `${SCHEMAS}${id}` });
  return tidy(converted.schemas) as Record<string, Json>;
}

const inline = (schema: z.ZodMiniType): Json => tidy(z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' })) as Json;

// ---- operations --------------------------------------------------------------------------------------

const pathParameterNames = (path: string): string[] => [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);

function parameters(route: Route, doc: OperationDoc): Json[] {
  const path = pathParameterNames(route.path).map((name) => {
    const { schema, description: text } = pathParameterSchema(name, route.path);
    return { name, in: 'path', required: true, description: text, schema: inline(schema) };
  });
  const query = Object.entries(doc.query?.shape ?? {}).map(([name, schema]) => {
    const json = inline(schema as z.ZodMiniType);
    const { description: text, ...rest } = json;
    return { name, in: 'query', required: false, ...(text ? { description: text } : {}), schema: rest };
  });
  return [
    ...path,
    ...query,
    ...(doc.paginated ? [{ $ref: '#/components/parameters/Limit' }, { $ref: '#/components/parameters/Cursor' }] : []),
    ...(doc.ifMatch ? [{ $ref: '#/components/parameters/IfMatch' }] : []),
    ...(doc.idempotencyKey ? [{ $ref: '#/components/parameters/IdempotencyKey' }] : []),
  ];
}

/** The codes every route of its kind may answer, then the route's own. */
function errorCodesOf(route: Route, doc: OperationDoc): ErrorCode[] {
  const codes = new Set<ErrorCode>(doc.errors);
  if (route.access !== 'public') ['unauthenticated', 'forbidden'].forEach((code) => codes.add(code as ErrorCode));
  if (doc.body) ['validation_failed', 'payload_too_large', 'unsupported_media_type'].forEach((code) => codes.add(code as ErrorCode));
  if (doc.query || doc.paginated || doc.ifMatch || doc.idempotencyKey) codes.add('validation_failed');
  if (pathParameterNames(route.path).length > 0) codes.add('not_found');
  if (doc.ifMatch) codes.add('version_conflict');
  if (doc.idempotencyKey) codes.add('idempotency_key_reused');
  codes.add('throttled');
  codes.add('internal_error');
  return errorCodes.filter((code) => codes.has(code));
}

// API Gateway answers these two itself in AWS, before any code runs, with its own JSON body.
const gatewayBodies: Partial<Record<number, string>> = {
  401: 'In AWS a missing or invalid token is refused by the JWT authorizer with `{"message":"Unauthorized"}`.',
  429: 'In AWS the stage throttle answers `{"message":"Too Many Requests"}`.',
};

function errorResponses(route: Route, doc: OperationDoc): Record<string, Json> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorCodesOf(route, doc)) {
    const { status } = problemKinds[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: Record<string, Json> = {};
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    const titles = codes.map((code) => `\`${code}\` (${problemKinds[code].title})`).join(', ');
    const problem = { allOf: [ref('Problem'), { type: 'object', properties: { status: { const: status }, code: { enum: codes } } }] };
    const gateway = gatewayBodies[status];
    responses[String(status)] = {
      description: `${titles}.${gateway ? ` ${gateway}` : ''}`,
      content: {
        'application/problem+json': { schema: problem },
        ...(gateway ? { 'application/json': { schema: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] } } } : {}),
      },
    };
  }
  return responses;
}

/** A non-JSON answer: text is a string, anything else (XLSX, PDF) bytes, which clients read as a Blob. */
const mediaSchema = (media: string): Json =>
  media === 'application/json' ? { type: 'object' } : media.startsWith('text/') ? { type: 'string' } : { type: 'string', format: 'binary' };

function successResponses(success: SuccessDoc, doc: OperationDoc): Record<string, Json> {
  const headers: Json = {
    ...(success.etag ? { ETag: { $ref: '#/components/headers/ETag' } } : {}),
    ...(doc.idempotencyKey ? { 'Idempotent-Replayed': { $ref: '#/components/headers/IdempotentReplayed' } } : {}),
  };
  const content = success.schema
    ? { 'application/json': { schema: ref(success.schema) } }
    : Object.fromEntries((success.media ?? []).map((media) => [media, { schema: mediaSchema(media) }]));
  const response = (status: number, text: string): Json => {
    const redirect = status === 303 ? { Location: { description: 'The URL to follow.', schema: { type: 'string', format: 'uri' } } } : {};
    const all = { ...headers, ...redirect, ...(status === 201 && success.location ? { Location: { $ref: '#/components/headers/Location' } } : {}) };
    return { description: text, ...(Object.keys(all).length > 0 ? { headers: all } : {}), ...(Object.keys(content).length > 0 ? { content } : {}) };
  };
  return {
    [String(success.status)]: response(success.status, success.description),
    ...(success.alsoStatus ? { [String(success.alsoStatus.status)]: response(success.alsoStatus.status, success.alsoStatus.description) } : {}),
  };
}

function security(route: Route): Json[] | undefined {
  if (route.access === 'public') return undefined;
  const people = route.access.filter((role) => role !== 'client');
  return [...(people.length > 0 ? [{ cognito: [] }] : []), ...(route.access.includes('client') ? [{ duiClient: ['usage/write'] }] : [])];
}

function accessText(route: Route): string {
  if (route.access === 'public') return '**Access:** public.';
  return `**Access:** ${route.access.map((role) => roleDescriptions[role]).join(', ')}.`;
}

function operation(route: Route, doc: OperationDoc): Json {
  const params = parameters(route, doc);
  const auth = security(route);
  return {
    operationId: doc.operationId,
    summary: route.summary,
    description: `${doc.description}\n\n${accessText(route)}`,
    tags: [route.fn],
    'x-access': route.access === 'public' ? 'public' : [...route.access],
    ...(auth ? { security: auth } : {}),
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(doc.body ? { requestBody: { required: true, content: { 'application/json': { schema: ref(doc.body) } } } } : {}),
    responses: { ...successResponses(doc.success, doc), ...errorResponses(route, doc) },
  };
}

// ---- the document ------------------------------------------------------------------------------------

/** Request bodies as the handlers parse them (input), responses as they are sent (output), in one namespace. */
function allSchemas(): Record<string, Json> {
  const requests = withFieldDocs(namedSchemas(requestSchemas, 'input')) as Record<string, Json>;
  const responses = namedSchemas(responseSchemas, 'output');
  const clash = Object.keys(requests).filter((name) => name in responses);
  if (clash.length > 0) throw new Error(`OpenAPI: schema names used for both a request and a response: ${clash.join(', ')}`);
  return { ...requests, ...responses };
}

function components(options: DocumentOptions, schemas: Record<string, Json>): Json {
  const { limit, cursor } = querySchemas.page.shape;
  return {
    schemas,
    parameters: {
      Limit: { name: 'limit', in: 'query', required: false, description: 'Page size (default 50, at most 200).', schema: inline(limit) },
      Cursor: { name: 'cursor', in: 'query', required: false, description: 'The `nextCursor` of the previous page (opaque).', schema: inline(cursor) },
      IfMatch: {
        name: 'If-Match',
        in: 'header',
        required: false,
        description: 'The `ETag` last read (e.g. `"3"`): the change applies only to that version (412 `version_conflict` otherwise).',
        schema: { type: 'string', examples: ['"3"'] },
      },
      IdempotencyKey: {
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description: 'A key of your choice (1 to 255 visible ASCII characters): a retry with the same key and body returns the first response and writes nothing; the same key with another body is refused (409).',
        schema: { type: 'string', pattern: '^[\\x21-\\x7E]{1,255}$', examples: ['7c1d7f3e-2b9a-4f57-9d35-0c7a2a4d8e11'] },
      },
    },
    headers: {
      ETag: { description: 'The version of the resource, to send back in `If-Match`.', schema: { type: 'string', examples: ['"3"'] } },
      Location: { description: 'Where the created resource lives.', schema: { type: 'string', format: 'uri-reference' } },
      IdempotentReplayed: { description: '`true` when this is the stored answer of an earlier request with the same Idempotency-Key.', schema: { type: 'string', enum: ['true'] } },
    },
    securitySchemes: {
      cognito: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'A Cognito token of a person; `cognito:groups` gives the role: `candidat`, `ars-<CODE>` or `national` (a user in no group is an applicant).',
      },
      duiClient: {
        type: 'oauth2',
        description: `DUI software: client-credentials token from the deployment's Cognito domain (stack output \`TokenEndpoint\`)${
          options.tokenUrl ? '' : '; this deployment did not configure it, hence the placeholder URL'
        }. Its \`client_id\` must be registered for the pilot (POST /v1/pilots/{finess}/reporting-clients).`,
        flows: { clientCredentials: { tokenUrl: options.tokenUrl ?? UNCONFIGURED_TOKEN_URL, scopes: { 'usage/write': 'Report monthly usage figures' } } },
      },
    },
  };
}

/** Every schema name an operation points at, directly or through another schema. */
function referencedSchemas(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((item) => referencedSchemas(item, into));
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value as Json)) {
      if (key === '$ref' && typeof inner === 'string' && inner.startsWith(SCHEMAS)) into.add(inner.slice(SCHEMAS.length));
      else referencedSchemas(inner, into);
    }
  }
  return into;
}

export function buildDocument(operations: Readonly<Record<string, OperationDoc>>, options: DocumentOptions): OpenApiDocument {
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of routes) {
    const doc = operations[routeKey(route)];
    if (!doc) throw new Error(`OpenAPI: route ${routeKey(route)} has no entry in layers/http/openapi.ts`);
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route, doc);
  }
  // Only the schemas some operation uses, so that a name left behind does not linger in the document.
  const all = allSchemas();
  const used = referencedSchemas(paths);
  for (const name of used) referencedSchemas(all[name], used);
  const schemas = Object.fromEntries(Object.entries(all).filter(([name]) => used.has(name)));
  const fns = [...new Set(routes.map((route) => route.fn))];
  return {
    openapi: '3.1.0',
    info: {
      title: 'mes-pilotes — Mon espace santé en ESMS pilot programme API',
      version: API_VERSION,
      description,
      contact: { name: 'Équipe nationale du programme Mon espace santé en ESMS' },
    },
    // Without a configured URL, the origin the document is served from (a relative server URL).
    servers: [options.serverUrl ? { url: options.serverUrl, description: 'This deployment' } : { url: '/', description: 'The origin this document is served from' }],
    tags: fns.map((fn) => ({ name: fn, description: tagDescriptions[fn] })),
    paths,
    components: components(options, schemas),
  };
}
