import { Footer } from '@codegouvfr/react-dsfr/Footer';
import { Header } from '@codegouvfr/react-dsfr/Header';
import { SkipLinks } from '@codegouvfr/react-dsfr/SkipLinks';
import { Suspense } from 'react';
import { Outlet, useLocation, useNavigation } from 'react-router';
import { signIn, signOut } from '../api/auth';
import { Loading } from './loading';
import { useSession } from './session';

export const SERVICE_TITLE = 'Mes pilotes — Mon espace santé en ESMS';

export function Layout() {
  const session = useSession();
  const location = useLocation();
  const navigation = useNavigation();

  const here = location.pathname + location.search;
  const quickAccessItems = session
    ? [
        ...(session.email
          ? [
              <p key="compte" className="fr-text--sm fr-mb-0 fr-px-1w fr-py-1w">
                <span className="fr-sr-only">Connecté avec l'adresse </span>
                {session.email}
              </p>,
            ]
          : []),
        { iconId: 'fr-icon-folder-2-line' as const, text: 'Mes dossiers', linkProps: { to: '/mes-dossiers' } },
        { iconId: 'fr-icon-logout-box-r-line' as const, text: 'Se déconnecter', buttonProps: { onClick: () => void signOut() } },
      ]
    : [{ iconId: 'fr-icon-account-circle-line' as const, text: 'Se connecter', buttonProps: { onClick: () => void signIn(here === '/' ? '/mes-dossiers' : here) } }];

  return (
    <>
      <SkipLinks
        links={[
          { anchor: '#contenu', label: 'Contenu' },
          { anchor: '#pied-de-page', label: 'Pied de page' },
        ]}
      />
      <Header
        brandTop={
          <>
            République
            <br />
            Française
          </>
        }
        serviceTitle={SERVICE_TITLE}
        serviceTagline="L'appel à projets des établissements et services médico-sociaux"
        homeLinkProps={{ to: '/', title: `Accueil — ${SERVICE_TITLE}` }}
        quickAccessItems={quickAccessItems}
        // No display-settings button in this service: the modal it opens would stay unreachable.
        disableDisplay
        navigation={[
          { text: 'Accueil', linkProps: { to: '/' }, isActive: location.pathname === '/' },
          ...(session ? [{ text: 'Mes dossiers', linkProps: { to: '/mes-dossiers' }, isActive: location.pathname.startsWith('/mes-dossiers') || location.pathname.startsWith('/dossiers') }] : []),
          // ARS reviewers and the national team: the console (its pages are lazy chunks, only this link is here).
          ...(session?.groups.some((group) => group === 'national' || group.startsWith('ars-'))
            ? [{ text: 'Instruction', linkProps: { to: '/instruction' }, isActive: location.pathname.startsWith('/instruction') || location.pathname.startsWith('/national') }]
            : []),
        ]}
      />
      <main id="contenu" className="app-main" tabIndex={-1}>
        {navigation.state === 'loading' && <Loading />}
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
      <Footer
        id="pied-de-page"
        accessibility="partially compliant"
        accessibilityLinkProps={{ to: '/accessibilite' }}
        termsLinkProps={{ to: '/mentions-legales' }}
        contentDescription="Mes pilotes est le service de l'appel à projets « Mon espace santé en ESMS », opéré par l'Agence du numérique en santé et les agences régionales de santé."
        bottomItems={[
          { text: 'Données personnelles', linkProps: { to: '/donnees-personnelles' } },
          { text: 'Gestion des cookies', linkProps: { to: '/gestion-des-cookies' } },
          { text: "Documentation de l'API", linkProps: { href: '/docs' } },
        ]}
      />
    </>
  );
}
