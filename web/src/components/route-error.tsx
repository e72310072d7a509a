import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Link, useRouteError } from 'react-router';
import { problemText } from './problem-alert';

/** Never a blank page: whatever broke while showing a page, the person reads what to do. */
export function RouteError() {
  const error = useRouteError();
  // The console keeps the technical cause for whoever investigates; the page shows none.
  console.error(error);
  return (
    <div className="fr-container fr-my-6w">
      <h1 tabIndex={-1}>Cette page n'a pas pu s'afficher</h1>
      <Alert severity="error" as="h2" title="Une erreur est survenue" description={problemText(error)} />
      <p className="fr-mt-4w">
        Vous pouvez <a href={typeof window === 'undefined' ? '/' : window.location.pathname}>recharger la page</a> ou revenir à{' '}
        <Link to="/">l'accueil</Link>.
      </p>
    </div>
  );
}
