import { toParis } from './calendar';
import type { ExportTable } from './export-tables';

/**
 * CSV as French spreadsheet users expect it: `;` separators, CRLF, UTF-8 with a BOM so accents open
 * correctly, quotes doubled. A cell that a spreadsheet would run as a formula is prefixed with a quote.
 * A cell is a typed value (an instant is a Date); this writer formats it, the XLSX writer keeps its type.
 */
export type Cell = string | number | boolean | Date | null | undefined;

const FORMULA_START = /^[=@\t\r]|^[+-](?![0-9 ]*$)/;

/** A cell as the CSV writes it: "oui"/"non", a decimal comma, an instant in Paris time, formulas defused. */
export function cellText(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'oui' : 'non';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(value).replace('.', ',');
  if (value instanceof Date) return csvDateTime(value);
  return FORMULA_START.test(value) ? `'${value}` : value;
}

function quoted(text: string): string {
  return /[;"\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const lines = [header, ...rows].map((row) => row.map((cell) => quoted(cellText(cell))).join(';'));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** An export (layers/domain/export-tables.ts) as CSV: its headers, then its rows. */
export const tableCsv = (table: ExportTable): string => toCsv(table.columns.map((column) => column.header), table.rows);

/** "31/10/2023 23:59" in Paris time, the form French spreadsheets read as a date. */
export function csvDateTime(instant: Date): string {
  const wall = toParis(instant);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(wall.day)}/${two(wall.month)}/${wall.year} ${two(wall.hour)}:${two(wall.minute)}`;
}

export const csvResponseHeaders = (filename: string): Record<string, string> => ({
  'content-type': 'text/csv; charset=utf-8',
  'content-disposition': `attachment; filename="${filename}"`,
  'cache-control': 'no-store',
});
