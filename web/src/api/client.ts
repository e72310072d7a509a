// The one typed client of the API (types generated from the code's OpenAPI document: npm run api:types).
import createClient, { type Middleware } from 'openapi-fetch';
import { accessToken, forgetSession } from './auth';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type Application = Schemas['Application'];
export type Campaign = Schemas['Campaign'];
export type Convention = Schemas['Convention'];
export type PilotUsage = Schemas['PilotUsage'];
export type HistoryEntry = Schemas['HistoryPage']['items'][number];
export type ApplicationEdit = Schemas['ApplicationEdit'];

export interface FieldProblem {
  readonly path: string;
  readonly message: string;
}

/** A refusal of the API, as a person should read it: `detail` is French, `errors` name the fields. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly code?: string,
    readonly errors: readonly FieldProblem[] = [],
  ) {
    super(detail);
    this.name = 'ApiProblem';
  }
  get sessionExpired(): boolean {
    return this.status === 401;
  }
}

const SESSION_EXPIRED = 'Votre session a expiré : reconnectez-vous pour continuer.';
const UNREACHABLE = 'Le service ne répond pas : vérifiez votre connexion puis réessayez.';

const attachToken: Middleware = {
  onRequest({ request }) {
    const token = accessToken();
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: window.location.origin });
api.use(attachToken);

/** Turns any failed answer into an ApiProblem with a French sentence (never a code, never a blank page). */
export async function problemOf(response: Response, body: unknown): Promise<ApiProblem> {
  const problem = (body ?? {}) as { detail?: unknown; code?: unknown; errors?: unknown };
  if (response.status === 401) {
    // API Gateway's own `{"message":"Unauthorized"}` for a missing or expired token.
    await forgetSession();
    return new ApiProblem(401, SESSION_EXPIRED, 'unauthenticated');
  }
  const errors = Array.isArray(problem.errors)
    ? (problem.errors as unknown[]).filter((e): e is FieldProblem => typeof (e as FieldProblem)?.path === 'string' && typeof (e as FieldProblem)?.message === 'string')
    : [];
  const detail = typeof problem.detail === 'string' ? problem.detail : `Le service a rencontré un problème (erreur ${response.status}) : réessayez dans un instant.`;
  return new ApiProblem(response.status, detail, typeof problem.code === 'string' ? problem.code : undefined, errors);
}

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Awaits an openapi-fetch call: its data, or an ApiProblem thrown. */
export async function call<T>(request: Promise<FetchResult<T>>): Promise<{ data: T; response: Response }> {
  let result: FetchResult<T>;
  try {
    result = await request;
  } catch {
    throw new ApiProblem(0, UNREACHABLE);
  }
  if (!result.response.ok || result.data === undefined) throw await problemOf(result.response, result.error);
  return { data: result.data, response: result.response };
}

/** The data only. */
export const read = async <T>(request: Promise<FetchResult<T>>): Promise<T> => (await call(request)).data;

/** `If-Match` for a versioned resource (the API's ETag is the quoted version). */
export const ifMatch = (version: number): { 'If-Match': string } => ({ 'If-Match': `"${version}"` });
