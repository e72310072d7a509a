import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ErrorCode, FieldError } from '../domain/errors';

interface ProblemKind {
  readonly status: number;
  readonly title: string;
}

/** HTTP status and English title of every error code (the `detail` carries the French sentence). */
export const problemKinds: Record<ErrorCode, ProblemKind> = {
  validation_failed: { status: 400, title: 'Validation failed' },
  finess_invalid: { status: 400, title: 'Invalid FINESS number' },
  unauthenticated: { status: 401, title: 'Authentication required' },
  forbidden: { status: 403, title: 'Forbidden' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  campaign_exists: { status: 409, title: 'Campaign already exists' },
  milestone_passed: { status: 409, title: 'Milestone already passed' },
  intake_not_open: { status: 409, title: 'Intake not open yet' },
  intake_closed: { status: 409, title: 'Intake closed' },
  duplicate_finess: { status: 409, title: 'FINESS already applied' },
  too_many_drafts: { status: 409, title: 'Too many open drafts' },
  too_many_collaborators: { status: 409, title: 'Too many collaborators' },
  invalid_transition: { status: 409, title: 'Not allowed in the current status' },
  idempotency_key_reused: { status: 409, title: 'Idempotency key reused with another request' },
  selection_closed: { status: 409, title: 'Selection closed' },
  quota_reached: { status: 409, title: 'Regional quota reached' },
  convention_due_passed: { status: 409, title: 'Convention due date passed' },
  already_signed: { status: 409, title: 'Already signed' },
  period_outside_experimentation: { status: 409, title: 'Period outside the experimentation' },
  reporting_closed: { status: 409, title: 'Reporting closed' },
  too_many_attachments: { status: 409, title: 'Too many attachments' },
  attachment_not_clean: { status: 409, title: 'Attachment not scanned clean' },
  version_conflict: { status: 412, title: 'Version conflict' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  precondition_required: { status: 428, title: 'Precondition required' },
  ineligible: { status: 422, title: 'Ineligible' },
  wrong_region: { status: 422, title: 'Wrong region' },
  throttled: { status: 429, title: 'Too many requests' },
  internal_error: { status: 500, title: 'Internal error' },
};

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: ErrorCode;
  readonly detail: string;
  readonly errors?: readonly FieldError[];
  readonly correlationId?: string;
}

export const problemType = (code: ErrorCode): string => `/problems/${code}`;

export function problem(code: ErrorCode, detail: string, errors?: readonly FieldError[], correlationId?: string): Problem {
  const { status, title } = problemKinds[code];
  return {
    type: problemType(code),
    title,
    status,
    code,
    detail,
    ...(errors && errors.length > 0 ? { errors } : {}),
    ...(correlationId ? { correlationId } : {}),
  };
}

export function problemResponse(body: Problem): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: body.status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8', 'cache-control': 'no-store' },
    body: `${JSON.stringify(body)}\n`,
  };
}
