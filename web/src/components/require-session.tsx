import { Button } from '@codegouvfr/react-dsfr/Button';
import type { ReactNode } from 'react';
import { useLocation } from 'react-router';
import { signIn } from '../api/auth';
import { PageHeading } from './page-heading';
import { useSession } from './session';

/** The applicant's pages: signed out, the person is asked to sign in and comes back here afterwards. */
export function RequireSession({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (session) return <>{children}</>;
  return (
    <div className="fr-container fr-my-6w">
      <PageHeading>Connexion requise</PageHeading>
      <p>Connectez-vous pour accéder à votre espace candidat : vos dossiers, vos conventions et vos remontées d'usage.</p>
      <Button iconId="fr-icon-account-circle-line" onClick={() => void signIn(location.pathname + location.search)}>
        Se connecter
      </Button>
    </div>
  );
}
