import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { useEffect, useRef, type ReactNode } from 'react';
import { useLocation } from 'react-router';
import { sessionEnded, signIn } from '../api/auth';
import { PageHeading } from './page-heading';
import { useSession } from './session';

const EXPIRED = 'Votre session a expiré : reconnectez-vous pour continuer.';

/**
 * The applicant's pages: signed out, the person is asked to sign in and comes back here afterwards. When the
 * session expires on a page already shown, the page stays (nothing typed disappears) under an alert.
 */
export function RequireSession({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  const shown = useRef(false);
  const alert = useRef<HTMLDivElement>(null);
  const again = () => void signIn(location.pathname + location.search);
  const expiredHere = !session && shown.current;
  useEffect(() => {
    if (expiredHere) alert.current?.focus();
  }, [expiredHere]);
  if (session) shown.current = true;
  if (session || expiredHere) {
    return (
      <>
        {expiredHere && (
          <div ref={alert} tabIndex={-1} className="fr-container fr-mt-4w">
            <Alert severity="warning" as="h2" title="Session expirée" description={<><p>{EXPIRED}</p><Button className="fr-mt-2w" onClick={again}>Se reconnecter</Button></>} />
          </div>
        )}
        {children}
      </>
    );
  }
  const ended = sessionEnded();
  return (
    <div className="fr-container fr-my-6w">
      <PageHeading>{ended ? 'Session expirée' : 'Connexion requise'}</PageHeading>
      <p>{ended ? EXPIRED : "Connectez-vous pour accéder à votre espace candidat : vos dossiers, vos conventions et vos remontées d'usage."}</p>
      <Button iconId="fr-icon-account-circle-line" onClick={again}>
        {ended ? 'Se reconnecter' : 'Se connecter'}
      </Button>
    </div>
  );
}
