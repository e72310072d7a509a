import { DomainError } from '../domain/errors';
import { findReplay, hashRequest, IdempotencyRace, rememberResponse, type IdempotencyClaim } from '../adapters/idempotency';
import type { TransactItem } from '../adapters/transactions';
import type { HttpRequest, HttpResponse } from './request';
import { routeKey } from './routes';

/** Gives the create's transaction the item that records its response under the caller's key (none without a key). */
export type Remember = (response: HttpResponse, now: Date) => TransactItem | undefined;

const KEY_PATTERN = /^[\x21-\x7E]{1,255}$/;

function stored(response: HttpResponse) {
  return { statusCode: response.statusCode ?? 200, headers: (response.headers ?? {}) as Record<string, string>, body: response.body ?? '' };
}

/**
 * `Idempotency-Key` on creates (API.md): a retry with the same key and body returns the first response and
 * writes nothing new; the same key with another body is refused.
 */
export async function idempotent(request: HttpRequest, run: (remember: Remember) => Promise<HttpResponse>): Promise<HttpResponse> {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return run(() => undefined);
  if (!KEY_PATTERN.test(key)) {
    throw new DomainError('validation_failed', "L'en-tête Idempotency-Key doit compter de 1 à 255 caractères ASCII visibles.", [{ path: 'Idempotency-Key', message: 'Clé invalide' }]);
  }
  const claim: IdempotencyClaim = {
    caller: request.principal.id ?? 'anonymous',
    key,
    requestHash: hashRequest(routeKey(request.route), request.event.rawPath, request.event.body ?? ''),
  };
  const replay = await findReplay(claim);
  if (replay) return { ...replay, headers: { ...replay.headers, 'idempotent-replayed': 'true' } };
  try {
    return await run((response, now) => rememberResponse(claim, stored(response), now));
  } catch (error) {
    if (!(error instanceof IdempotencyRace)) throw error;
    const winner = await findReplay(claim);
    if (!winner) throw error;
    return { ...winner, headers: { ...winner.headers, 'idempotent-replayed': 'true' } };
  }
}
