import { parseInstant } from '../../layers/domain/calendar';
import { newCampaign } from '../../layers/domain/campaign';
import { defaultCampaign } from '../../layers/domain/default-campaign';
import { campaignCalendar, foldLine } from '../../layers/domain/ics';

const at = (text: string): Date => parseInstant(text)!;

describe('the campaign calendar (RFC 5545)', () => {
  // Built inside each test (not when the file loads), so that mutation testing sees which test covers what.
  const calendar = () => {
    const campaign = newCampaign({ ...defaultCampaign, title: 'Appel; 2023, test\\ ligne\nsuite' }, at('2023-08-01T10:00:00+02:00'));
    const text = campaignCalendar(campaign);
    /** The calendar with its folded lines joined again. */
    return { text, lines: text.split('\r\n'), unfolded: text.replace(/\r\n /g, '').split('\r\n') };
  };

  it('is CRLF lines ending with one, framed by VCALENDAR, with six events', () => {
    const { text, lines, unfolded } = calendar();
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(lines.slice(0, 7)).toEqual(['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//mes-pilotes//Calendrier de campagne//FR', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH', 'X-WR-CALNAME:Appel\\; 2023\\, test\\\\ ligne\\nsuite', 'X-WR-TIMEZONE:Europe/Paris']);
    expect(unfolded.filter((line) => line === 'BEGIN:VEVENT')).toHaveLength(6);
    expect(unfolded.filter((line) => line === 'END:VEVENT')).toHaveLength(6);
    expect(unfolded.filter((line) => line === 'TRANSP:TRANSPARENT')).toHaveLength(6);
    expect(unfolded.filter((line) => line === 'DTSTAMP:20230801T080000Z')).toHaveLength(6);
  });

  it('gives each milestone its UTC instant, and the experimentation and the last reporting day as whole days', () => {
    const { text } = calendar();
    const events = text.replace(/\r\n /g, '').split('BEGIN:VEVENT').slice(1).map((block) => block.split('\r\n').filter(Boolean));
    const pick = (event: string[], name: string) => event.find((line) => line.startsWith(name))!;
    expect(events.map((event) => [pick(event, 'UID:'), pick(event, 'DTSTART'), pick(event, 'DTEND'), pick(event, 'SUMMARY:')])).toEqual([
      ['UID:mes-esms-2023-intake-opens@mes-pilotes', 'DTSTART:20230831T220000Z', 'DTEND:20230831T220000Z', 'SUMMARY:Ouverture des candidatures'],
      ['UID:mes-esms-2023-intake-closes@mes-pilotes', 'DTSTART:20231031T230000Z', 'DTEND:20231031T230000Z', 'SUMMARY:Clôture des candidatures'],
      ['UID:mes-esms-2023-selection-ends@mes-pilotes', 'DTSTART:20231215T230000Z', 'DTEND:20231215T230000Z', 'SUMMARY:Fin de la sélection des pilotes'],
      ['UID:mes-esms-2023-conventions-due@mes-pilotes', 'DTSTART:20240214T230000Z', 'DTEND:20240214T230000Z', 'SUMMARY:Date limite de signature des conventions'],
      ['UID:mes-esms-2023-experimentation@mes-pilotes', 'DTSTART;VALUE=DATE:20240215', 'DTEND;VALUE=DATE:20241016', 'SUMMARY:Expérimentation Mon espace santé en ESMS'],
      ['UID:mes-esms-2023-reporting-closes@mes-pilotes', 'DTSTART;VALUE=DATE:20241030', 'DTEND;VALUE=DATE:20241031', "SUMMARY:Fin des remontées d'usage"],
    ]);
    expect(pick(events[1]!, 'DESCRIPTION:')).toBe('DESCRIPTION:Dernier délai de dépôt : 31 octobre 2023 à 23 h 59 (heure de Paris).');
    expect(pick(events[0]!, 'DESCRIPTION:')).toBe('DESCRIPTION:Appel\\; 2023\\, test\\\\ ligne\\nsuite. Dépôt des candidatures ouvert.');
    expect(pick(events[5]!, 'DESCRIPTION:')).toBe("DESCRIPTION:Dernières remontées acceptées jusqu'au 30 octobre 2024 à 23 h 59 (heure de Paris).");
  });

  it('describes each milestone with its deadline as users read it', () => {
    const { text } = calendar();
    const descriptions = text.replace(/\r\n /g, '').split('\r\n').filter((line) => line.startsWith('DESCRIPTION:'));
    expect(descriptions).toEqual([
      'DESCRIPTION:Appel\\; 2023\\, test\\\\ ligne\\nsuite. Dépôt des candidatures ouvert.',
      'DESCRIPTION:Dernier délai de dépôt : 31 octobre 2023 à 23 h 59 (heure de Paris).',
      'DESCRIPTION:Décisions des ARS au plus tard le 15 décembre 2023 à 23 h 59 (heure de Paris).',
      'DESCRIPTION:Conventions signées au plus tard le 14 février 2024 à 23 h 59 (heure de Paris).',
      "DESCRIPTION:Période d'expérimentation : remontée mensuelle des indicateurs d'usage.",
      "DESCRIPTION:Dernières remontées acceptées jusqu'au 30 octobre 2024 à 23 h 59 (heure de Paris).",
    ]);
  });

  it('escapes a Windows line break in a title as one newline', () => {
    const campaign = newCampaign({ ...defaultCampaign, title: 'Ligne 1\r\nLigne 2' }, at('2023-08-01T10:00:00+02:00'));
    expect(campaignCalendar(campaign).split('\r\n')).toContain('X-WR-CALNAME:Ligne 1\\nLigne 2');
  });

  it('folds no line over 75 octets', () => {
    const { lines } = calendar();
    for (const line of lines) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
  });
});

describe('folding a line', () => {
  it('leaves 75 octets alone and folds the 76th onto a line starting with a space', () => {
    expect(foldLine('a'.repeat(75))).toBe('a'.repeat(75));
    expect(foldLine('a'.repeat(76))).toBe(`${'a'.repeat(75)}\r\n a`);
    expect(foldLine('a'.repeat(75 + 74 + 1))).toBe(`${'a'.repeat(75)}\r\n ${'a'.repeat(74)}\r\n a`);
    expect(foldLine('')).toBe('');
  });

  it('never cuts a UTF-8 character', () => {
    const folded = foldLine(`${'a'.repeat(74)}é`);
    expect(folded).toBe(`${'a'.repeat(74)}\r\n é`);
    expect(foldLine(`${'a'.repeat(73)}é`)).toBe(`${'a'.repeat(73)}é`);
  });
});
