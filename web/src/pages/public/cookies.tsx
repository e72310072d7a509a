import { StaticPage } from './static-page';

export default function Cookies() {
  return (
    <StaticPage title="Gestion des cookies">
      <p>
        Ce service ne dépose aucun cookie de mesure d'audience ni de publicité, et ne charge aucun contenu d'un site tiers : aucun consentement ne
        vous est donc demandé.
      </p>
      <p>
        Pour vous garder connecté, votre navigateur conserve vos jetons de connexion dans le stockage de cet onglet (ils disparaissent à sa fermeture)
        ; le service de connexion dépose un cookie de session strictement nécessaire.
      </p>
    </StaticPage>
  );
}
