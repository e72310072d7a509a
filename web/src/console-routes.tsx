// The routes of the ARS reviewers' console and of the national team. Every page is a lazy chunk: an applicant
// never downloads them; this module itself holds only paths and import() calls.
import type { RouteObject } from 'react-router';

type PageModule = { default: React.ComponentType };
const page = (load: () => Promise<PageModule>): Pick<RouteObject, 'lazy'> => ({
  lazy: async () => ({ Component: (await load()).default }),
});

export const consoleRoutes: RouteObject[] = [
  { path: 'instruction', ...page(() => import('./pages/instruction/home')) },
  {
    path: 'instruction/:campaignId/:ars',
    ...page(() => import('./pages/instruction/region-layout')),
    children: [
      { index: true, ...page(() => import('./pages/instruction/applications')) },
      { path: 'dossiers/:id', ...page(() => import('./pages/instruction/application')) },
      { path: 'notification', ...page(() => import('./pages/instruction/notify')) },
      { path: 'conventions', ...page(() => import('./pages/instruction/conventions')) },
      { path: 'pilotes', ...page(() => import('./pages/instruction/pilots')) },
      { path: 'pilotes/:finess', ...page(() => import('./pages/instruction/pilot')) },
      { path: 'exports', ...page(() => import('./pages/instruction/exports')) },
      { path: 'tableau-de-bord', ...page(() => import('./pages/instruction/dashboard')) },
    ],
  },
  { path: 'national', ...page(() => import('./pages/national/home')) },
  { path: 'national/campagnes/nouvelle', ...page(() => import('./pages/national/new-campaign')) },
  { path: 'national/campagnes/:campaignId', ...page(() => import('./pages/national/campaign')) },
  { path: 'national/campagnes/:campaignId/tableau-de-bord', ...page(() => import('./pages/national/dashboard')) },
];
