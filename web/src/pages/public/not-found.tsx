import { Link } from 'react-router';
import { PageHeading } from '../../components/page-heading';

export default function NotFound() {
  return (
    <div className="fr-container fr-my-6w">
      <PageHeading>Page non trouvée</PageHeading>
      <p className="fr-text--lead">La page que vous cherchez est introuvable. Excusez-nous pour la gêne occasionnée.</p>
      <p>
        Si vous avez tapé l'adresse web dans le navigateur, vérifiez qu'elle est correcte. Sinon, revenez à <Link to="/">l'accueil</Link>.
      </p>
    </div>
  );
}
