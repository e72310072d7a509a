import { StaticPage } from './static-page';

export default function Accessibility() {
  return (
    <StaticPage title="Déclaration d'accessibilité">
      <p>
        L'Agence du numérique en santé s'engage à rendre ses services numériques accessibles, conformément à l'article 47 de la loi n° 2005-102 du
        11 février 2005. Cette déclaration d'accessibilité s'applique au service « Mes pilotes — Mon espace santé en ESMS ».
      </p>
      <h2>État de conformité</h2>
      <p>
        Le service est <strong>partiellement conforme</strong> avec le référentiel général d'amélioration de l'accessibilité (RGAA), version 4.1 :
        aucun audit complet n'a encore été réalisé.
      </p>
      <h2>Ce qui est vérifié</h2>
      <ul>
        <li>Le service utilise les composants du Système de design de l'État (DSFR), avec des libellés pour chaque champ.</li>
        <li>Chaque erreur est reliée au champ concerné et annoncée ; après chaque changement de page, la lecture reprend au titre de la page.</li>
        <li>Chaque parcours se fait au clavier seul et reste lisible sur un écran de 320 pixels de large.</li>
        <li>Des tests automatisés (axe-core) vérifient chaque page à chaque modification : ils ne couvrent qu'une partie des critères du RGAA.</li>
      </ul>
      <h2>Contenus non accessibles</h2>
      <p>Les fichiers d'export (CSV) et le fichier de calendrier (ICS) sont des formats de données, lus par d'autres logiciels.</p>
      <h2>Signaler un problème</h2>
      <p>
        Si vous n'arrivez pas à accéder à un contenu ou à un service, écrivez-nous à{' '}
        <a href="mailto:accessibilite-mes-esms@esante.gouv.fr">accessibilite-mes-esms@esante.gouv.fr</a> : nous vous répondrons et vous proposerons
        une autre façon d'obtenir l'information ou de faire votre démarche (votre ARS peut aussi recevoir votre candidature autrement).
      </p>
      <h2>Voies de recours</h2>
      <p>
        Si vous nous avez signalé un défaut d'accessibilité sans obtenir de réponse satisfaisante, vous pouvez saisir le Défenseur des droits : par
        le formulaire en ligne sur <a href="https://formulaire.defenseurdesdroits.fr/">formulaire.defenseurdesdroits.fr</a>, auprès de l'un de ses
        délégués dans votre région, ou par courrier gratuit (Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07).
      </p>
    </StaticPage>
  );
}
