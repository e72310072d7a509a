import { formatDeadline, formatParisDate, formatParisDateTime, parseInstant } from '@domain/calendar';
import type { Campaign } from '../api/client';

type InstantField = 'intakeOpensAt' | 'intakeClosesAt' | 'selectionEndsAt' | 'conventionsDueAt' | 'reportingClosesAt';

/**
 * The campaign's instants as the API gives them (with `reportingClosesAt` computed by it). Read with calendar.ts
 * alone: campaign.ts would bring zod, for its schemas, into the first page.
 */
export function campaignInstants(campaign: Campaign): Record<InstantField, Date> {
  const at = (field: InstantField): Date => parseInstant(campaign[field]) ?? new Date(Number.NaN);
  return {
    intakeOpensAt: at('intakeOpensAt'),
    intakeClosesAt: at('intakeClosesAt'),
    selectionEndsAt: at('selectionEndsAt'),
    conventionsDueAt: at('conventionsDueAt'),
    reportingClosesAt: at('reportingClosesAt'),
  };
}

/** The milestones of a call as the call writes them, in Paris time. */
export function CampaignCalendar({ campaign }: { campaign: Campaign }) {
  const at = campaignInstants(campaign);
  const rows: [string, string][] = [
    ['Ouverture des candidatures', `${formatParisDateTime(at.intakeOpensAt)} (heure de Paris)`],
    ['Date limite de dépôt des candidatures', formatDeadline(at.intakeClosesAt)],
    ['Fin de la sélection par les ARS', formatDeadline(at.selectionEndsAt)],
    ['Date limite de signature des conventions', formatDeadline(at.conventionsDueAt)],
    ["Période d'expérimentation", `du ${formatParisDate(campaign.experimentationStart)} au ${formatParisDate(campaign.experimentationEnd)}`],
    ['Fin des remontées d’usage', formatDeadline(at.reportingClosesAt)],
  ];
  // A list rather than a table: each step keeps its date beside it on a 320 px screen.
  return (
    <dl className="fr-mb-2w" aria-label={`Calendrier de la campagne « ${campaign.title} »`}>
      {rows.map(([step, when]) => (
        <div key={step} className="fr-grid-row fr-py-1w" style={{ borderBottom: '1px solid var(--border-default-grey)' }}>
          <dt className="fr-col-12 fr-col-md-5 fr-text--bold">{step}</dt>
          <dd className="fr-col-12 fr-col-md-7 fr-m-0">{when}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The iCalendar file of the milestones, for the person's own calendar. */
export function CalendarDownload({ campaign }: { campaign: Campaign }) {
  return (
    <a className="fr-link fr-link--download" href={`/v1/campaigns/${encodeURIComponent(campaign.id)}/calendar.ics`} download={`calendrier-${campaign.id}.ics`}>
      Ajouter le calendrier à votre agenda <span className="fr-link__detail">ICS — format iCalendar</span>
    </a>
  );
}
