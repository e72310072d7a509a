import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { completeSignIn } from '../../api/auth';
import { Loading } from '../../components/loading';
import { PageHeading } from '../../components/page-heading';

/** Where the provider sends the browser back with the code; the code is exchanged, then on to the page asked for. */
export default function SignInCallback() {
  const navigate = useNavigate();
  const [failed, setFailed] = useState(false);
  const started = useRef(false);
  useEffect(() => {
    // The code can be exchanged once only (StrictMode runs effects twice in development).
    if (started.current) return;
    started.current = true;
    completeSignIn()
      .then((returnTo) => navigate(returnTo, { replace: true }))
      .catch((error: unknown) => {
        console.error(error);
        setFailed(true);
      });
  }, [navigate]);
  return (
    <div className="fr-container fr-my-6w">
      <PageHeading>Connexion</PageHeading>
      {failed ? (
        <Alert
          severity="error"
          as="h2"
          title="La connexion n'a pas abouti"
          description={
            <p>
              Le lien de connexion a peut-être expiré. <Link to="/">Revenez à l'accueil</Link> puis choisissez « Se connecter » à nouveau.
            </p>
          }
        />
      ) : (
        <Loading what="Connexion en cours…" />
      )}
    </div>
  );
}
