import { startReactDsfr } from '@codegouvfr/react-dsfr/spa';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Link, RouterProvider } from 'react-router';
import { restoreSession } from './api/auth';
import { router } from './app';
// The icon families the app uses, bundled (the DSFR's icons.min.css holds all of them: 16 KB more on the first page).
import '@codegouvfr/react-dsfr/dsfr/utility/icons/icons-system/icons-system.min.css';
import '@codegouvfr/react-dsfr/dsfr/utility/icons/icons-user/icons-user.min.css';
import '@codegouvfr/react-dsfr/dsfr/utility/icons/icons-document/icons-document.min.css';
import './app.css';

startReactDsfr({ defaultColorScheme: 'light', Link });

declare module '@codegouvfr/react-dsfr/spa' {
  interface RegisterLink {
    Link: typeof Link;
  }
}

// The session kept in this tab is read before the first render, so that no page flashes "signed out".
restoreSession().finally(() => {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <RouterProvider router={router} />
    </StrictMode>,
  );
});
