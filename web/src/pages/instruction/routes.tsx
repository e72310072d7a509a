import { lazy } from 'react';
import { useRoutes } from 'react-router';

// Each page its own chunk, as the applicant's pages are.
const Home = lazy(() => import('./home'));
const RegionLayout = lazy(() => import('./region-layout'));
const Applications = lazy(() => import('./applications'));
const ApplicationFile = lazy(() => import('./application'));
const Notify = lazy(() => import('./notify'));
const Conventions = lazy(() => import('./conventions'));
const Pilots = lazy(() => import('./pilots'));
const Pilot = lazy(() => import('./pilot'));
const Exports = lazy(() => import('./exports'));
const Dashboard = lazy(() => import('./dashboard'));
const NotFound = lazy(() => import('../public/not-found'));

/** /instruction/…: the campaigns, then one region's console. */
export default function InstructionRoutes() {
  // Route objects (not <Route> elements): the first page's router code already reads them.
  return useRoutes([
    { index: true, element: <Home /> },
    {
      path: ':campaignId/:ars',
      element: <RegionLayout />,
      children: [
        { index: true, element: <Applications /> },
        { path: 'dossiers/:id', element: <ApplicationFile /> },
        { path: 'notification', element: <Notify /> },
        { path: 'conventions', element: <Conventions /> },
        { path: 'pilotes', element: <Pilots /> },
        { path: 'pilotes/:finess', element: <Pilot /> },
        { path: 'exports', element: <Exports /> },
        { path: 'tableau-de-bord', element: <Dashboard /> },
      ],
    },
    { path: '*', element: <NotFound /> },
  ]);
}
