import { isArsCode, type ArsCode } from '../domain/regions';

/** Read once at import so a misconfigured function fails at cold start, not on its first request. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') throw new Error(`Missing required environment variable ${name}`);
  return value;
}

export type DeploymentScope = ArsCode | 'national';

export function deploymentScopeFrom(value: string): DeploymentScope {
  if (value === 'national' || isArsCode(value)) return value;
  throw new Error(`DEPLOYMENT_ARS must be an ARS code or "national", got "${value}"`);
}

/**
 * The machine clients of the deployment's DUI vendors (`DUI_CLIENT_IDS`, comma-separated: their Cognito
 * client ids, set by the CDK app; the vendor names in the local stack). A function that needs them calls
 * this at import, so a missing list fails its cold start.
 */
export function duiClientIdsFromEnv(): ReadonlySet<string> {
  const ids = requiredEnv('DUI_CLIENT_IDS').split(',').map((id) => id.trim()).filter((id) => id !== '');
  if (ids.length === 0) throw new Error('DUI_CLIENT_IDS names no client');
  return new Set(ids);
}
