// The ARS reviewers' console (/instruction/…) and the national team's pages (/national/…). Two lazy entries only:
// the first page carries these few bytes, and each page of the console is a chunk of its own behind them
// (pages/instruction/routes.tsx, pages/national/routes.tsx). An applicant never downloads any of it.
import type { RouteObject } from 'react-router';

type RoutesModule = { default: React.ComponentType };
const section = (load: () => Promise<RoutesModule>): Pick<RouteObject, 'lazy'> => ({
  lazy: async () => ({ Component: (await load()).default }),
});

export const consoleRoutes: RouteObject[] = [
  { path: 'instruction/*', ...section(() => import('./pages/instruction/routes')) },
  { path: 'national/*', ...section(() => import('./pages/national/routes')) },
];
