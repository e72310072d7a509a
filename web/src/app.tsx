// The routes. Each page is its own chunk: a visitor of the public pages downloads neither the applicant's
// forms nor, later, the ARS console (/instruction/...) or the national pages (/national/...).
import { createBrowserRouter, type RouteObject } from 'react-router';
import { Layout } from './components/layout';
import { Loading } from './components/loading';
import { RouteError } from './components/route-error';
import { consoleRoutes } from './console-routes';

type PageModule = { default: React.ComponentType };
const page = (load: () => Promise<PageModule>): Pick<RouteObject, 'lazy'> => ({
  lazy: async () => ({ Component: (await load()).default }),
});

export const routes: RouteObject[] = [
  {
    element: <Layout />,
    errorElement: <RouteError />,
    hydrateFallbackElement: <Loading />,
    children: [
      {
        errorElement: <RouteError />,
        children: [
          { index: true, ...page(() => import('./pages/public/home')) },
          { path: 'campagnes/:campaignId', ...page(() => import('./pages/public/campaign')) },
          { path: 'accessibilite', ...page(() => import('./pages/public/accessibility')) },
          { path: 'mentions-legales', ...page(() => import('./pages/public/legal-notice')) },
          { path: 'donnees-personnelles', ...page(() => import('./pages/public/personal-data')) },
          { path: 'gestion-des-cookies', ...page(() => import('./pages/public/cookies')) },
          { path: 'connexion/retour', ...page(() => import('./pages/public/sign-in-callback')) },

          { path: 'mes-dossiers', ...page(() => import('./pages/applicant/my-applications')) },
          { path: 'campagnes/:campaignId/candidater', ...page(() => import('./pages/applicant/new-application')) },
          { path: 'dossiers/:id/candidature', ...page(() => import('./pages/applicant/application-form')) },
          { path: 'dossiers/:id/depot', ...page(() => import('./pages/applicant/submit-confirmation')) },
          { path: 'dossiers/:id/depose', ...page(() => import('./pages/applicant/submitted')) },
          { path: 'dossiers/:id', ...page(() => import('./pages/applicant/application-file')) },
          { path: 'conventions/:id', ...page(() => import('./pages/applicant/convention')) },
          { path: 'campagnes/:campaignId/pilotes/:finess', ...page(() => import('./pages/applicant/pilot')) },

          ...consoleRoutes,

          { path: '*', ...page(() => import('./pages/public/not-found')) },
        ],
      },
    ],
  },
];

export const router = createBrowserRouter(routes);
