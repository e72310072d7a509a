import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import type { ReactNode } from 'react';
import { useLocation } from 'react-router';
import { signIn } from '../../api/auth';
import { PageHeading } from '../page-heading';
import { useSession } from '../session';
import { staffScope, type StaffScope } from './staff';

/**
 * The console's pages: signed out, the person is asked to sign in and comes back here; a signed-in person who is
 * neither an ARS reviewer nor of the national team is told the space is not theirs (the API would refuse anyway).
 */
export function RequireStaff({ national = false, children }: { national?: boolean; children: (scope: StaffScope) => ReactNode }) {
  const session = useSession();
  const location = useLocation();
  const scope = staffScope(session);
  if (!session) {
    return (
      <div className="fr-container fr-my-6w">
        <PageHeading>Connexion requise</PageHeading>
        <p>Connectez-vous avec votre compte d'agent de l'ARS ou de l'équipe nationale pour instruire les dossiers.</p>
        <Button iconId="fr-icon-account-circle-line" onClick={() => void signIn(location.pathname + location.search)}>
          Se connecter
        </Button>
      </div>
    );
  }
  if (!scope || (national && scope.kind !== 'national')) {
    return (
      <div className="fr-container fr-my-6w">
        <PageHeading>Accès réservé</PageHeading>
        <Alert
          severity="warning"
          small
          description={
            national
              ? "Cet espace est réservé à l'équipe nationale du programme."
              : "Cet espace est réservé aux agents des ARS et à l'équipe nationale du programme. Votre compte n'y a pas accès."
          }
        />
      </div>
    );
  }
  return <>{children(scope)}</>;
}
