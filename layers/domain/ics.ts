import { milestoneInstants, type Campaign } from './campaign';
import { formatDeadline, parisDate, startOfParisDay, addParisDays, toIcsDate, toIcsUtc } from './calendar';

interface IcsEvent {
  readonly uid: string;
  readonly summary: string;
  readonly description: string;
  /** A timed event at an instant, or an all-day event on a Paris date (the end date is inclusive). */
  readonly at: { instant: Date } | { firstDay: string; lastDay: string };
}

/** RFC 5545 §3.3.11: backslash, semicolon, comma and newlines are escaped in TEXT values. */
const escapeText = (text: string): string => text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');

/** RFC 5545 §3.1: lines longer than 75 octets are folded with CRLF and a space, never inside a UTF-8 sequence. */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let currentBytes = 0;
  for (const char of line) {
    const bytes = Buffer.byteLength(char, 'utf8');
    const limit = parts.length === 0 ? 75 : 74;
    if (currentBytes + bytes > limit) {
      parts.push(current);
      current = '';
      currentBytes = 0;
    }
    current += char;
    currentBytes += bytes;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

function campaignEvents(campaign: Campaign): IcsEvent[] {
  const at = milestoneInstants(campaign);
  const lastReportingDay = parisDate(addParisDays(at.reportingClosesAt, -1));
  const event = (key: string, summary: string, description: string, when: IcsEvent['at']): IcsEvent => ({
    uid: `${campaign.id}-${key}@mes-pilotes`,
    summary,
    description,
    at: when,
  });
  return [
    event('intake-opens', 'Ouverture des candidatures', `${campaign.title}. Dépôt des candidatures ouvert.`, { instant: at.intakeOpensAt }),
    event('intake-closes', 'Clôture des candidatures', `Dernier délai de dépôt : ${formatDeadline(at.intakeClosesAt)}.`, { instant: at.intakeClosesAt }),
    event('selection-ends', 'Fin de la sélection des pilotes', `Décisions des ARS au plus tard le ${formatDeadline(at.selectionEndsAt)}.`, { instant: at.selectionEndsAt }),
    event('conventions-due', 'Date limite de signature des conventions', `Conventions signées au plus tard le ${formatDeadline(at.conventionsDueAt)}.`, { instant: at.conventionsDueAt }),
    event('experimentation', 'Expérimentation Mon espace santé en ESMS', 'Période d\'expérimentation : remontée mensuelle des indicateurs d\'usage.', {
      firstDay: campaign.experimentationStart,
      lastDay: campaign.experimentationEnd,
    }),
    event('reporting-closes', 'Fin des remontées d\'usage', `Dernières remontées acceptées jusqu'au ${formatDeadline(at.reportingClosesAt)}.`, {
      firstDay: lastReportingDay,
      lastDay: lastReportingDay,
    }),
  ];
}

/** The campaign's milestones as an RFC 5545 calendar (CRLF lines, UTC instants, all-day dates). */
export function campaignCalendar(campaign: Campaign): string {
  const stamp = toIcsUtc(new Date(Date.parse(campaign.updatedAt)));
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//mes-pilotes//Calendrier de campagne//FR', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH', `X-WR-CALNAME:${escapeText(campaign.title)}`, 'X-WR-TIMEZONE:Europe/Paris'];
  for (const event of campaignEvents(campaign)) {
    lines.push('BEGIN:VEVENT', `UID:${event.uid}`, `DTSTAMP:${stamp}`);
    if ('instant' in event.at) {
      lines.push(`DTSTART:${toIcsUtc(event.at.instant)}`, `DTEND:${toIcsUtc(event.at.instant)}`);
    } else {
      const dayAfterLast = parisDate(addParisDays(startOfParisDay(event.at.lastDay), 1));
      lines.push(`DTSTART;VALUE=DATE:${toIcsDate(event.at.firstDay)}`, `DTEND;VALUE=DATE:${toIcsDate(dayAfterLast)}`);
    }
    lines.push(`SUMMARY:${escapeText(event.summary)}`, `DESCRIPTION:${escapeText(event.description)}`, 'TRANSP:TRANSPARENT', 'END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
