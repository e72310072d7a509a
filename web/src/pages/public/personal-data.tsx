import { StaticPage } from './static-page';

export default function PersonalData() {
  return (
    <StaticPage title="Données personnelles">
      <p>
        Le service traite les données nécessaires à l'appel à projets « Mon espace santé en ESMS » : l'instruction des candidatures, les conventions
        et le suivi des usages, sur le fondement de la mission d'intérêt public des agences régionales de santé.
      </p>
      <h2>Données traitées</h2>
      <ul>
        <li>Votre adresse électronique et l'identifiant de votre compte, pour vous connecter et vous écrire au sujet de votre dossier ;</li>
        <li>les informations de l'établissement ou du service saisies dans la candidature, dont les coordonnées d'un contact ;</li>
        <li>des chiffres d'usage mensuels agrégés (nombres de documents, de messages…) : aucune donnée de santé ni aucune donnée nominative des personnes accompagnées.</li>
      </ul>
      <h2>Destinataires</h2>
      <p>L'ARS de la région de l'établissement et l'équipe nationale du programme. Aucune donnée n'est cédée ni utilisée à des fins commerciales.</p>
      <h2>Durée de conservation</h2>
      <p>Les dossiers sont conservés pendant la durée du programme puis archivés selon les règles applicables aux archives publiques.</p>
      <h2>Vos droits</h2>
      <p>
        Vous pouvez accéder à vos données, les faire rectifier ou limiter leur traitement en écrivant au délégué à la protection des données de
        l'Agence du numérique en santé : <a href="mailto:dpo@esante.gouv.fr">dpo@esante.gouv.fr</a>. Vous pouvez aussi adresser une réclamation à
        la CNIL.
      </p>
    </StaticPage>
  );
}
