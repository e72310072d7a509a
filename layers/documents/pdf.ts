import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Font, Fontkit } from 'pdf-lib/cjs/types/fontkit';

/**
 * What a document says, as data: the renderer below lays it out, so the wording of each document lives in its
 * own module (receipt.ts, convention-template.ts) and a test can read it without drawing anything.
 */
export type Block =
  | { readonly kind: 'heading'; readonly text: string }
  | { readonly kind: 'paragraph'; readonly text: string }
  | { readonly kind: 'field'; readonly label: string; readonly value: string }
  | { readonly kind: 'item'; readonly text: string };

export interface DocumentContent {
  /** The PDF's Title and the large heading of its first page. */
  readonly title: string;
  /** The PDF's Subject, and the line under the title (the file or convention number). */
  readonly subject: string;
  readonly blocks: readonly Block[];
  /** The instant the content describes (deposit, last signature): the PDF's creation and modification dates. */
  readonly datedAt: Date;
}

export const PDF_CONTENT_TYPE = 'application/pdf';

/** The State's font (Marianne, from the DSFR), as TrueType: fontkit cannot subset the DSFR's CFF woff files. */
export const FONT_FILES = { regular: 'Marianne-Regular.ttf', bold: 'Marianne-Bold.ttf' } as const;

/** In Lambda the bundle carries the fonts beside index.mjs (infra/lib/function-config.ts); elsewhere they are read from the sources. */
export function fontsDir(): string {
  const bundled = process.env.LAMBDA_TASK_ROOT;
  return bundled ? path.join(bundled, 'fonts') : path.join(__dirname, 'fonts');
}

let fonts: { regular: Uint8Array; bold: Uint8Array } | undefined;
const fontBytes = () => (fonts ??= { regular: readFileSync(path.join(fontsDir(), FONT_FILES.regular)), bold: readFileSync(path.join(fontsDir(), FONT_FILES.bold)) });

/**
 * fontkit with each font parsed once per process. A new Font reads its layout tables again on its first layout,
 * 10 to 30 ms a font measured, and every PDF embeds two; the subset of each document is still its own.
 */
const parsedFonts = new WeakMap<Uint8Array, Font>();
const onceParsed = (fontkit: Fontkit): Fontkit => ({
  create(buffer, postscriptName) {
    let font = postscriptName ? undefined : parsedFonts.get(buffer);
    if (!font) {
      font = fontkit.create(buffer, postscriptName);
      if (!postscriptName) parsedFonts.set(buffer, font);
    }
    return font;
  },
});

const SERVICE = 'Mon espace santé en établissements et services médico-sociaux';
const PAGE = { width: 595.28, height: 841.89, margin: 56 };
const BLUE = { r: 0, g: 0, b: 145 / 255 };

/** The same content always gives the same bytes: fixed dates, a document ID derived from the content, seeded subset names. */
export const documentId = (content: DocumentContent): string =>
  createHash('sha256').update(JSON.stringify({ ...content, datedAt: content.datedAt.toISOString() })).digest('hex').slice(0, 32);

/** French typography: a time ("23 h 59"), an amount ("10 000 €") and a quotation's guillemets never break across lines. */
const unbreakable = (text: string): string =>
  text
    .replace(/(\d) h (\d)/g, '$1\u00a0h\u00a0$2')
    .replace(/(\d) (?=\d{3}(?!\d))/g, '$1\u00a0')
    .replace(/ €/g, '\u00a0€')
    .replace(/« /g, '«\u00a0')
    .replace(/ »/g, '\u00a0»');

/** Widths of words and word boundaries at 1,000 pt, per font, kept across documents (the templates' words recur); bounded. */
const widths = new Map<string, number>();
function measured(font: 'regular' | 'bold', text: string, measure: () => number): number {
  const key = `${font} ${text}`;
  let width = widths.get(key);
  if (width === undefined) {
    if (widths.size >= 20_000) widths.clear();
    width = measure();
    widths.set(key, width);
  }
  return width;
}

/**
 * Greedy line breaking at spaces: each line as many words as fit in `room` (a longer word stands alone), as if
 * each candidate line were laid out whole, but laying out each word once. Kerning pairs a glyph with its neighbour,
 * so a line and a word join across the space as the line's last character and the space, then the space and the
 * word: width(line + ' ' + word) = width(line) + [width(last + ' ') − width(last)] + [width(' ' + word) − width(' ')].
 * `widthOf` is the font's (memoised by the caller); test/unit/documents.test.ts compares with whole-line layout.
 */
export function wrapText(text: string, widthOf: (text: string) => number, room: number): string[] {
  const space = widthOf(' ');
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    let lineWidth = 0;
    for (const word of paragraph.split(' ')) {
      if (!line) {
        line = word;
        lineWidth = widthOf(word);
        continue;
      }
      const last = /.$/su.exec(line)![0];
      const candidate = lineWidth + (widthOf(`${last} `) - widthOf(last)) + (widthOf(` ${word}`) - space);
      if (candidate > room) {
        lines.push(line);
        line = word;
        lineWidth = widthOf(word);
      } else {
        line = `${line} ${word}`;
        lineWidth = candidate;
      }
    }
    lines.push(line);
  }
  return lines;
}

/** pdf-lib and fontkit are loaded on first use, so a function that never renders a PDF never parses them. */
export async function renderPdf(content: DocumentContent): Promise<Uint8Array> {
  // Lazy modules of the function (infra/lib/function-config.ts lazyModulesOf), required rather than imported: see there.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { PDFDocument, PDFHexString, rgb } = require('pdf-lib') as typeof import('pdf-lib');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fontkit = require('@pdf-lib/fontkit') as Fontkit;

  const pdf = await PDFDocument.create({ updateMetadata: false });
  pdf.registerFontkit(onceParsed(fontkit));
  const regular = await pdf.embedFont(fontBytes().regular, { subset: true, customName: 'Marianne-Regular' });
  const bold = await pdf.embedFont(fontBytes().bold, { subset: true, customName: 'Marianne-Bold' });
  pdf.setTitle(content.title);
  pdf.setSubject(content.subject);
  pdf.setAuthor(SERVICE);
  pdf.setCreator(SERVICE);
  pdf.setProducer('mes-pilotes (pdf-lib)');
  pdf.setLanguage('fr-FR');
  pdf.setCreationDate(content.datedAt);
  pdf.setModificationDate(content.datedAt);
  const id = PDFHexString.of(documentId(content));
  pdf.context.trailerInfo.ID = pdf.context.obj([id, id]);

  const width = PAGE.width - 2 * PAGE.margin;
  let page = pdf.addPage([PAGE.width, PAGE.height]);
  let y = PAGE.height - PAGE.margin;
  const black = rgb(0.09, 0.09, 0.09);
  const blue = rgb(BLUE.r, BLUE.g, BLUE.b);

  const wrap = (text: string, font: typeof regular, size: number, room: number): string[] => {
    const name = font === bold ? 'bold' : 'regular';
    return wrapText(text, (part) => measured(name, part, () => font.widthOfTextAtSize(part, 1000)), (room * 1000) / size);
  };
  const write = (text: string, options: { font?: typeof regular; size?: number; indent?: number; color?: typeof black; gap?: number } = {}) => {
    const font = options.font ?? regular;
    const size = options.size ?? 10.5;
    const indent = options.indent ?? 0;
    for (const line of wrap(unbreakable(text), font, size, width - indent)) {
      if (y - size * 1.45 < PAGE.margin) {
        page = pdf.addPage([PAGE.width, PAGE.height]);
        y = PAGE.height - PAGE.margin;
      }
      y -= size * 1.45;
      page.drawText(line, { x: PAGE.margin + indent, y, size, font, color: options.color ?? black });
    }
    y -= options.gap ?? 4;
  };

  // The State's block: "République française" then the service, as on the DSFR header.
  write('RÉPUBLIQUE', { font: bold, size: 9, gap: 0 });
  write('FRANÇAISE', { font: bold, size: 9, gap: 6 });
  write(SERVICE, { size: 9, color: blue, gap: 18 });
  write(content.title, { font: bold, size: 18, color: blue, gap: 2 });
  write(content.subject, { size: 11, gap: 14 });
  for (const block of content.blocks) {
    if (block.kind === 'heading') {
      y -= 6;
      write(block.text, { font: bold, size: 12, color: blue, gap: 4 });
    } else if (block.kind === 'paragraph') write(block.text, { gap: 6 });
    else if (block.kind === 'item') write(`– ${block.text}`, { indent: 12, gap: 2 });
    else {
      write(block.label, { font: bold, size: 9, gap: 0 });
      write(block.value, { gap: 6 });
    }
  }
  return pdf.save({ useObjectStreams: false });
}
