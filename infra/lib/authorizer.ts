/**
 * The HTTP API's JWT authorizer, as one set of facts for the CDK app (infra/lib/api-stack.ts) and the local
 * stack (infra/local/local-jwt.ts), so that the two accept and refuse the same tokens. No CDK import.
 */

/** Who the tokens may be for: the web app's client and every DUI vendor's machine client. */
export const authorizerAudience = (webClientId: string, duiClientIds: readonly string[]): string[] => [webClientId, ...duiClientIds];

/** The bodies API Gateway answers itself, before any function runs (HTTP APIs cannot customise them). */
export const GATEWAY_UNAUTHORIZED = { message: 'Unauthorized' } as const;
export const GATEWAY_NOT_FOUND = { message: 'Not Found' } as const;

/**
 * API Gateway's rule for the audience: `aud` when the token has one (ID tokens), else `client_id` (Cognito
 * access tokens have no `aud`); either must be one of the configured audience.
 */
export function audienceAccepted(claims: { aud?: unknown; client_id?: unknown }, audience: ReadonlySet<string>): boolean {
  const named = claims.aud !== undefined ? claims.aud : claims.client_id;
  const values = Array.isArray(named) ? named : [named];
  return values.some((value) => typeof value === 'string' && audience.has(value));
}
