import { parseInstant, toParis } from './calendar';

/**
 * CSV as French spreadsheet users expect it: `;` separators, CRLF, UTF-8 with a BOM so accents open
 * correctly, quotes doubled. A cell that a spreadsheet would run as a formula is prefixed with a quote.
 */
export type Cell = string | number | boolean | null | undefined;

const FORMULA_START = /^[=@\t\r]|^[+-](?![0-9 ]*$)/;

function cellText(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'oui' : 'non';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(value).replace('.', ',');
  return FORMULA_START.test(value) ? `'${value}` : value;
}

function quoted(text: string): string {
  return /[;"\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const lines = [header, ...rows].map((row) => row.map((cell) => quoted(cellText(cell))).join(';'));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** "31/10/2023 23:59" in Paris time, the form French spreadsheets read as a date. */
export function csvDateTime(iso: string | undefined): string {
  const instant = iso ? parseInstant(iso) : undefined;
  if (!instant) return '';
  const wall = toParis(instant);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(wall.day)}/${two(wall.month)}/${wall.year} ${two(wall.hour)}:${two(wall.minute)}`;
}

export const csvResponseHeaders = (filename: string): Record<string, string> => ({
  'content-type': 'text/csv; charset=utf-8',
  'content-disposition': `attachment; filename="${filename}"`,
  'cache-control': 'no-store',
});
