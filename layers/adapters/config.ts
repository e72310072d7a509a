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
