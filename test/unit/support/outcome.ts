import { DomainError } from '../../../layers/domain/errors';

/** What a rule answers: 'ok', or the code of the DomainError it throws (anything else is rethrown). */
export function outcome(call: () => unknown): string {
  try {
    call();
    return 'ok';
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}

/** The DomainError a rule throws, to read its detail or errors; fails when it throws none. */
export function thrown(call: () => unknown): DomainError {
  try {
    call();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('no DomainError thrown');
}
