import type { ReactNode } from 'react';
import { PageHeading } from '../../components/page-heading';

/** The frame of the statement pages (accessibility, legal notice, personal data, cookies). */
export function StaticPage({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="fr-container fr-my-6w">
      <div className="fr-grid-row">
        <div className="fr-col-12 fr-col-md-9">
          <PageHeading>{title}</PageHeading>
          {children}
        </div>
      </div>
    </div>
  );
}
