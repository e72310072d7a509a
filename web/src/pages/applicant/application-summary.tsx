import { categoryOf } from '@domain/categories';
import { pathwayTitles, readinessServices, readinessTitles } from '@domain/labels';
import { arsName } from '@domain/regions';
import type { ReactNode } from 'react';
import type { Application } from '../../api/client';

const none = <span className="fr-text--light">Non renseigné</span>;
const or = (value: ReactNode | undefined): ReactNode => (value === undefined || value === '' ? none : value);

/** Everything the applicant wrote, read-only (the confirmation step, the file page). */
export function ApplicationSummary({ application }: { application: Application }) {
  const category = application.category ? categoryOf(application.category) : undefined;
  const rows: [string, ReactNode][] = [
    ['Numéro FINESS', application.finess],
    ['ARS', `${arsName(application.ars)} (département ${application.department})`],
    ['Nom', or(application.name)],
    ['Catégorie', or(category ? `${category.label} (${category.code})` : application.category)],
    ['Capacité', or(application.capacity)],
    ['Contact', or([application.contact?.name, application.contact?.email, application.contact?.phone].filter(Boolean).join(' — '))],
    ['DUI', or([application.dui?.editor, application.dui?.product].filter(Boolean).join(' — '))],
    ['Capacités du logiciel', or([application.dui?.segurReferenced && 'Référencé Ségur', application.dui?.mesCapable && 'Capable d’alimenter Mon espace santé'].filter(Boolean).join(' ; '))],
    ...(Object.keys(readinessServices) as (keyof typeof readinessServices)[]).map((service): [string, ReactNode] => {
      const level = application.readiness?.[service];
      return [readinessServices[service], or(level ? readinessTitles[level] : undefined)];
    }),
    ['Parcours d’usage', or((application.pathways ?? []).map((pathway) => pathwayTitles[pathway]).join(', '))],
    ['Échanges prévus', or(application.exchanges && <span className="app-pre-line">{application.exchanges}</span>)],
    ['Information et formation', or(application.awarenessMeans && <span className="app-pre-line">{application.awarenessMeans}</span>)],
  ];
  return (
    <dl className="app-summary">
      {rows.map(([term, value]) => (
        <div key={term} className="fr-mb-2w">
          <dt className="fr-text--bold">{term}</dt>
          <dd className="fr-ml-0">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
