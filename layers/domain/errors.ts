/** The stable, machine-readable error codes of API.md. The HTTP status of each lives in layers/http/problem.ts. */
export const errorCodes = [
  'validation_failed',
  'finess_invalid',
  'unauthenticated',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'version_conflict',
  'precondition_required',
  'payload_too_large',
  'unsupported_media_type',
  'ineligible',
  'wrong_region',
  'throttled',
  'campaign_exists',
  'milestone_passed',
  'intake_not_open',
  'intake_closed',
  'duplicate_finess',
  'too_many_drafts',
  'too_many_collaborators',
  'invalid_transition',
  'idempotency_key_reused',
  'selection_closed',
  'quota_reached',
  'convention_due_passed',
  'already_signed',
  'period_outside_experimentation',
  'reporting_closed',
  'too_many_attachments',
  'attachment_not_clean',
  'internal_error',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export interface FieldError {
  readonly path: string;
  readonly message: string;
}

/** A rule said no. `detail` is a French sentence meant for a person. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly errors?: readonly FieldError[],
  ) {
    super(`${code}: ${detail}`);
    this.name = 'DomainError';
  }
}

/** Optimistic locking lost: the stored version is not the one the caller read. */
export class ConcurrentModificationError extends DomainError {
  constructor(detail = "La ressource a été modifiée entre-temps : relisez-la puis recommencez.") {
    super('version_conflict', detail);
    this.name = 'ConcurrentModificationError';
  }
}

export const notFound = (what = 'La ressource demandée'): DomainError =>
  new DomainError('not_found', `${what} n'existe pas ou ne vous est pas accessible.`);
