import { createHash } from 'node:crypto';

/**
 * The `sub` of a person of the local stack, derived from the email so that the OIDC login page, the seeded
 * demo data and the tests agree on who owns what without an account database.
 */
export function localSub(email: string): string {
  return `local-${createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 16)}`;
}
