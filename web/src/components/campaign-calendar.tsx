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
  return (
    <div className="fr-table fr-table--no-caption fr-mb-2w">
      <div className="fr-table__wrapper">
        <div className="fr-table__container">
          <div className="fr-table__content">
            <table>
              <caption>Calendrier de la campagne « {campaign.title} »</caption>
              <thead>
                <tr>
                  <th scope="col">Étape</th>
                  <th scope="col">Date</th>
                </tr>
              </thead>
              <tbody>
                {rows.map(([step, when]) => (
                  <tr key={step}>
                    <th scope="row">{step}</th>
                    <td>{when}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      </div>
    </div>
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
