import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { useEffect, useRef } from 'react';
import { useLocation } from 'react-router';
import { signIn } from '../api/auth';
import { ApiProblem } from '../api/client';

/** What went wrong, as a sentence: an ApiProblem's detail, or a plain French fallback. */
export const problemText = (error: unknown): string =>
  error instanceof ApiProblem ? error.detail : 'Une erreur inattendue est survenue : rechargez la page puis réessayez.';

/**
 * The top alert of a refused request; focus moves to it so that the person hears why. Field problems are
 * listed as links to their field (each field also shows its own message).
 */
export function ProblemAlert({ error, title = "Votre demande n'a pas abouti", fieldLabels = {} }: { error: unknown; title?: string; fieldLabels?: Record<string, string> }) {
  const ref = useRef<HTMLDivElement>(null);
  const location = useLocation();
  useEffect(() => {
    if (error) ref.current?.focus();
  }, [error]);
  if (!error) return null;
  const problem = error instanceof ApiProblem ? error : undefined;
  // An expired session is told once, by RequireSession, above the page it keeps.
  if (problem?.sessionExpired && location.pathname !== '/') return null;
  const fields = (problem?.errors ?? []).filter((entry) => fieldLabels[entry.path]);
  return (
    <div ref={ref} tabIndex={-1} className="fr-mb-4w">
      <Alert
        severity="error"
        as="h2"
        title={problem?.sessionExpired ? 'Session expirée' : title}
        description={
          <>
            <p>{problemText(error)}</p>
            {fields.length > 0 && (
              <ul>
                {fields.map((entry) => (
                  <li key={entry.path}>
                    <a href={`#${fieldId(entry.path)}`}>
                      {fieldLabels[entry.path]} : {entry.message}
                    </a>
                  </li>
                ))}
              </ul>
            )}
            {problem?.sessionExpired && (
              <Button className="fr-mt-2w" onClick={() => void signIn(location.pathname + location.search)}>
                Se reconnecter
              </Button>
            )}
          </>
        }
      />
    </div>
  );
}

/** The id of the control that edits an API field path ("contact.email" → "champ-contact-email"). */
export const fieldId = (path: string): string => `champ-${path.replace(/[^A-Za-z0-9]+/g, '-')}`;

/** The messages of an ApiProblem by field path, for each field's own error state. */
export function fieldMessages(error: unknown): Record<string, string> {
  if (!(error instanceof ApiProblem)) return {};
  return Object.fromEntries(error.errors.map((entry) => [entry.path, entry.message]));
}
