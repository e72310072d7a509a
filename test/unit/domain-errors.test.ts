import { ConcurrentModificationError, DomainError, errorCodes, notFound } from '../../layers/domain/errors';
import { problemKinds } from '../../layers/http/problem';

describe('domain errors', () => {
  it('carry the code, the French detail and the field errors, and read as "code: detail"', () => {
    const error = new DomainError('ineligible', 'Ce dossier ne remplit pas les conditions.', [{ path: 'category', message: 'Catégorie non éligible' }]);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('DomainError');
    expect(error.code).toBe('ineligible');
    expect(error.detail).toBe('Ce dossier ne remplit pas les conditions.');
    expect(error.errors).toEqual([{ path: 'category', message: 'Catégorie non éligible' }]);
    expect(error.message).toBe('ineligible: Ce dossier ne remplit pas les conditions.');
  });

  it('have no field errors unless a rule names fields', () => {
    expect(new DomainError('forbidden', 'Action réservée.').errors).toBeUndefined();
  });

  it('tell a lost optimistic lock as a version conflict, asking to read again', () => {
    const error = new ConcurrentModificationError();
    expect(error).toBeInstanceOf(DomainError);
    expect(error.name).toBe('ConcurrentModificationError');
    expect(error.code).toBe('version_conflict');
    expect(error.detail).toBe('La ressource a été modifiée entre-temps : relisez-la puis recommencez.');
    expect(error.message).toBe('version_conflict: La ressource a été modifiée entre-temps : relisez-la puis recommencez.');
    expect(new ConcurrentModificationError('Le dossier a changé.').detail).toBe('Le dossier a changé.');
  });

  it('tell a missing resource as not found, never saying whether it exists elsewhere', () => {
    expect(notFound()).toMatchObject({ code: 'not_found', detail: "La ressource demandée n'existe pas ou ne vous est pas accessible." });
    expect(notFound('La campagne demandée')).toMatchObject({ code: 'not_found', detail: "La campagne demandée n'existe pas ou ne vous est pas accessible." });
    expect(notFound()).toBeInstanceOf(DomainError);
  });

  // API.md: 400, 401, 403, 404, 409 for state conflicts, 412, 413, 415, 422, 429.
  it.each([
    ['validation_failed', 400],
    ['finess_invalid', 400],
    ['unauthenticated', 401],
    ['forbidden', 403],
    ['not_found', 404],
    ['method_not_allowed', 405],
    ['version_conflict', 412],
    ['precondition_required', 428],
    ['payload_too_large', 413],
    ['unsupported_media_type', 415],
    ['ineligible', 422],
    ['wrong_region', 422],
    ['throttled', 429],
    ['campaign_exists', 409],
    ['milestone_passed', 409],
    ['intake_not_open', 409],
    ['intake_closed', 409],
    ['duplicate_finess', 409],
    ['too_many_drafts', 409],
    ['too_many_collaborators', 409],
    ['invalid_transition', 409],
    ['idempotency_key_reused', 409],
    ['selection_closed', 409],
    ['quota_reached', 409],
    ['convention_due_passed', 409],
    ['already_signed', 409],
    ['period_outside_experimentation', 409],
    ['reporting_closed', 409],
    ['too_many_attachments', 409],
    ['attachment_not_clean', 409],
    ['internal_error', 500],
  ] as const)('knows the code %s, answered with HTTP %i', (code, status) => {
    expect(errorCodes).toContain(code);
    expect(problemKinds[code].status).toBe(status);
  });

  it('has each code once, and no code the table above does not list', () => {
    expect(new Set(errorCodes).size).toBe(errorCodes.length);
    expect(errorCodes).toHaveLength(31);
    expect(Object.keys(problemKinds).sort()).toEqual([...errorCodes].sort());
  });
});
