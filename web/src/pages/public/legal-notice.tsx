import { StaticPage } from './static-page';

export default function LegalNotice() {
  return (
    <StaticPage title="Mentions légales">
      <h2>Éditeur</h2>
      <p>
        Agence du numérique en santé (ANS), groupement d'intérêt public, 9 rue Georges Pitard, 75015 Paris, pour le compte du ministère chargé de la
        santé et des agences régionales de santé (ARS), opérateurs de l'État.
      </p>
      <h2>Directeur de la publication</h2>
      <p>Le directeur général de l'Agence du numérique en santé.</p>
      <h2>Hébergement</h2>
      <p>Le service est hébergé sur une infrastructure d'hébergement certifiée pour les données de santé (HDS), dans l'Union européenne.</p>
      <h2>Système de design de l'État</h2>
      <p>Ce service utilise le Système de design de l'État (DSFR), réservé aux sites de l'État et de ses opérateurs.</p>
      <h2>Accessibilité</h2>
      <p>
        Le service est partiellement conforme au RGAA : voir la <a href="/accessibilite">déclaration d'accessibilité</a>.
      </p>
    </StaticPage>
  );
}
