import { DomainError } from './errors';

// Figures published outside the programme team follow statistical secrecy: a count of 1 to 4 could point at
// one structure, so it is shown as "NS" (non significatif). Zero reveals no one and stays shown.
export const SECRECY_THRESHOLD = 5;

export const isSecret = (count: number): boolean => count > 0 && count < SECRECY_THRESHOLD;

/** A count as published: "NS" below the threshold, else the count itself. */
export const publishable = (count: number): number | 'NS' => (isSecret(count) ? 'NS' : count);

/**
 * `?publishable=true|false` of the exports and the dashboard (absent: false). Anything else is a 400, so that a
 * typo never publishes figures that were meant to be hidden.
 */
export function publishableRequested(query: Readonly<Record<string, string | undefined>>): boolean {
  const value = query.publishable;
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw new DomainError('validation_failed', 'Le paramètre publishable vaut true ou false.', [{ path: 'query.publishable', message: 'Valeur attendue : true ou false' }]);
}
