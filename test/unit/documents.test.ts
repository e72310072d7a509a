import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { newApplication, type Application } from '../../layers/domain/application';
import { parseInstant } from '../../layers/domain/calendar';
import { newCampaign } from '../../layers/domain/campaign';
import { newConvention, sign } from '../../layers/domain/convention';
import { defaultCampaign } from '../../layers/domain/default-campaign';
import { formatFiness, withCheckKey } from '../../layers/domain/finess';
import { CONVENTION_TEMPLATE, conventionContent, conventionValues, fillTemplate, renderConvention } from '../../layers/documents/convention-template';
import { documentId, FONT_FILES, fontsDir, wrapText } from '../../layers/documents/pdf';
import { receiptContent, renderReceipt } from '../../layers/documents/receipt';

const at = (text: string): Date => parseInstant(text)!;
const campaign = newCampaign(defaultCampaign, at('2023-08-01T00:00:00+02:00'));
const draft = newApplication({
  id: 'MES-000042',
  campaignId: campaign.id,
  ownerId: 'porteur',
  ownerEmail: 'direction@ehpad-tilleuls.local',
  create: { finess: withCheckKey('33000042'), name: 'EHPAD Les Tilleuls', category: '500' },
  now: at('2023-10-12T14:05:00+02:00'),
});
const submitted: Application = { ...draft, status: 'deposee', submittedAt: '2023-10-12T14:05:00+02:00' };

/** The PDF's text as a reader gets it (poppler's pdftotext), spaces collapsed. */
const pdfText = (bytes: Uint8Array): string => execFileSync('pdftotext', ['-', '-'], { input: Buffer.from(bytes) }).toString('utf8').replace(/\s+/g, ' ');

describe('the receipt', () => {
  it('says the file, the establishment, the campaign, the deposit in Paris time, the ARS and what comes next', async () => {
    const text = pdfText(await renderReceipt(submitted, campaign));
    expect(text).toContain('Récépissé de dépôt');
    expect(text).toContain('Dossier n° MES-000042');
    expect(text).toContain('EHPAD Les Tilleuls');
    expect(text).toContain(`Numéro FINESS ${formatFiness(submitted.finess)}`);
    expect(text).toContain(campaign.title);
    expect(text).toContain('12 octobre 2023 à 14 h 05 (heure de Paris)');
    expect(text).toContain('ARS Nouvelle-Aquitaine');
    expect(text).toContain('31 octobre 2023 à 23 h 59 (heure de Paris)');
  });

  it('gives the same bytes for the same file, and other bytes (and document ID) for another', async () => {
    const first = Buffer.from(await renderReceipt(submitted, campaign));
    const again = Buffer.from(await renderReceipt(submitted, campaign));
    expect(again.equals(first)).toBe(true);
    const renamed = { ...submitted, name: 'EHPAD Les Ormes' };
    expect(Buffer.from(await renderReceipt(renamed, campaign)).equals(first)).toBe(false);
    expect(documentId(receiptContent(renamed, campaign))).not.toBe(documentId(receiptContent(submitted, campaign)));
    expect(first.toString('latin1')).toContain(`/ID [ <${documentId(receiptContent(submitted, campaign))}>`);
    expect(first.toString('latin1')).toMatch(/\/CreationDate \(D:20231012120500Z/);
  });

  it('has no receipt for a draft', () => {
    expect(() => receiptContent(draft, campaign)).toThrow(RangeError);
  });
});

describe('the convention template', () => {
  const convention = newConvention({ ...submitted, status: 'retenue' }, campaign, at('2023-12-20T10:00:00+01:00'));

  it('fills every placeholder of the template (none left, none unknown)', () => {
    const blocks = fillTemplate(CONVENTION_TEMPLATE, conventionValues(convention, campaign));
    const text = JSON.stringify(blocks);
    expect(text).not.toMatch(/\{\{|\}\}/);
    expect(blocks).toContainEqual({ kind: 'field', label: 'Numéro FINESS', value: conventionValues(convention, campaign).finess });
    expect(blocks).toContainEqual({ kind: 'field', label: 'Montant total', value: '20 000 €' });
    expect(blocks.filter((block) => block.kind === 'heading').map((block) => block.kind === 'heading' && block.text)).toEqual([
      'Les parties',
      'Article 1 — Objet',
      'Article 2 — Financement',
      'Article 3 — Engagements de la structure',
      'Article 4 — Signature et durée',
    ]);
    expect(() => fillTemplate('Montant : {{inconnu}}', {})).toThrow('{{inconnu}}');
  });

  it('renders the parties, FINESS, campaign, amount, both instalments and the due date; signatures pending', async () => {
    const text = pdfText(await renderConvention(convention, campaign));
    expect(text).toContain('Convention de financement');
    expect(text).toContain('Convention n° CNV-000042 — à signer');
    expect(text).toContain('ARS Nouvelle-Aquitaine');
    expect(text).toContain('EHPAD Les Tilleuls');
    expect(text).toContain(campaign.title);
    expect(text).toContain('Montant total 20 000 €');
    expect(text).toContain('Première tranche de 10 000 €');
    expect(text).toContain('Seconde tranche de 10 000 €');
    expect(text).toContain('14 février 2024 à 23 h 59 (heure de Paris)');
    expect(text).toContain('Pour la structure Pas encore signée.');
  });

  it('once signed, says who signed and when, in Paris time', async () => {
    const esms = sign(convention, 'esms', { at: '2024-01-10T09:30:00+01:00', by: 'candidat:porteur', email: 'direction@ehpad-tilleuls.local' }, at('2024-01-10T09:30:00+01:00'));
    const both = sign(esms, 'ars', { at: '2024-01-12T16:45:00+01:00', by: 'ars-NAQ:agent', email: 'instruction@ars-naq.local' }, at('2024-01-12T16:45:00+01:00'));
    const content = conventionContent(both, campaign);
    expect(content.datedAt.toISOString()).toBe('2024-01-12T15:45:00.000Z');
    const text = pdfText(await renderConvention(both, campaign));
    expect(text).toContain('signée par les deux parties');
    expect(text).toContain('Pour la structure Signée par direction@ehpad-tilleuls.local le 10 janvier 2024 à 09 h 30 (heure de Paris).');
    expect(text).toContain("Pour l'ARS Signée par instruction@ars-naq.local le 12 janvier 2024 à 16 h 45 (heure de Paris).");
  });
});

describe('line breaking', () => {
  /** The greedy breaking the renderer stands for: every candidate line laid out whole by fontkit. */
  const wholeLines = (text: string, widthOf: (text: string) => number, room: number): string[] =>
    text.split('\n').flatMap((paragraph) => {
      const lines: string[] = [];
      let line = '';
      for (const word of paragraph.split(' ')) {
        const candidate = line ? `${line} ${word}` : word;
        if (line && widthOf(candidate) > room) {
          lines.push(line);
          line = word;
        } else line = candidate;
      }
      return [...lines, line];
    });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fontkit = require('@pdf-lib/fontkit') as { create(bytes: Uint8Array): { layout(text: string): { advanceWidth: number } } };
  const fonts = Object.values(FONT_FILES).map((file) => fontkit.create(readFileSync(join(fontsDir(), file))));
  // French words and the marks that kern against a space in Marianne (quotes, guillemets, apostrophes, digits).
  const words = ['Récépissé', 'de', 'dépôt', 'l’ARS', 'Île-de-France', '«', '»', '« établissement »', '10\u00a0000\u00a0€', '23\u00a0h\u00a059', 'T.', 'Vous', 'AVANT', '’', '"', 'y', 'W', '(FINESS)', '–', 'œuvre', 'à', '1er', 'V.', 'L’', ''];

  it('breaks every paragraph where laying out each candidate line whole would, in both fonts', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...words), { maxLength: 60 }), fc.integer({ min: 0, max: 1 }), fc.integer({ min: 500, max: 40_000 }), (chosen, fontIndex, room) => {
        const font = fonts[fontIndex]!;
        const widthOf = (text: string) => font.layout(text).advanceWidth;
        const text = chosen.join(' ');
        expect(wrapText(text, widthOf, room)).toEqual(wholeLines(text, widthOf, room));
      }),
      { numRuns: 400 },
    );
  });

  it('keeps a word longer than the line whole, on a line of its own', () => {
    const widthOf = (text: string) => text.length * 500;
    expect(wrapText('un anticonstitutionnellement deux', widthOf, 3000)).toEqual(['un', 'anticonstitutionnellement', 'deux']);
  });
});
