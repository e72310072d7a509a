import { lazy } from 'react';
import { useRoutes } from 'react-router';

const Home = lazy(() => import('./home'));
const NewCampaign = lazy(() => import('./new-campaign'));
const Campaign = lazy(() => import('./campaign'));
const Dashboard = lazy(() => import('./dashboard'));
const NotFound = lazy(() => import('../public/not-found'));

/** /national/…: the campaigns, a new one, a campaign's calendar, its national dashboard. */
export default function NationalRoutes() {
  return useRoutes([
    { index: true, element: <Home /> },
    { path: 'campagnes/nouvelle', element: <NewCampaign /> },
    { path: 'campagnes/:campaignId', element: <Campaign /> },
    { path: 'campagnes/:campaignId/tableau-de-bord', element: <Dashboard /> },
    { path: '*', element: <NotFound /> },
  ]);
}
