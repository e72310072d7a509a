import { toParis } from '../../layers/domain/calendar';
import type { Cell } from '../../layers/domain/csv';
import type { ColumnKind, ExportTable } from '../../layers/domain/export-tables';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const numberFormats: Partial<Record<ColumnKind, string>> = {
  integer: '0',
  count: '0',
  decimal: '0.00',
  euros: '#,##0.00 "€"',
  instant: 'dd/mm/yyyy hh:mm',
};

/** Shown on the header of each date column: the reason the times look "local". */
export const PARIS_TIME_NOTE = "Heure de Paris : Excel n'a pas de fuseau horaire, la date et l'heure sont celles de Paris.";

/**
 * Excel dates have no time zone: an instant is written as its Paris wall-clock date and time (the serial
 * number of that day and time), so the cell reads "31/10/2023 23:59" as the CSV does, and date arithmetic
 * and filters work on it. exceljs turns a Date into a serial from its UTC fields, hence the UTC Date of
 * the Paris wall-clock fields.
 */
export function excelParisDate(instant: Date): Date {
  const wall = toParis(instant);
  return new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second));
}

const cellValue = (value: Cell): string | number | boolean | Date | null => {
  if (value === undefined || value === null) return null;
  return value instanceof Date ? excelParisDate(value) : value;
};

const MAX_WIDTH = 60;

function widthOf(table: ExportTable, index: number): number {
  const header = table.columns[index]!.header.length;
  // A sample is enough to size a column; long texts wrap at the cap anyway.
  const widest = table.rows.slice(0, 200).reduce((max, row) => {
    const value = row[index];
    const length = value instanceof Date ? 16 : value === undefined || value === null ? 0 : String(value).length;
    return Math.max(max, length);
  }, header);
  return Math.min(MAX_WIDTH, Math.max(8, widest + 2));
}

/**
 * The export as an XLSX workbook of one sheet: the same header and rows as the CSV, typed cells (numbers,
 * booleans, Paris-time dates with a French date format, text), the header row frozen and filterable.
 * exceljs is loaded here, on the first XLSX asked, so the function's cold start (CSV, routing) never pays for it.
 */
export async function tableXlsx(table: ExportTable, createdAt: Date): Promise<Buffer> {
  // A lazy module of the function (infra/lib/function-config.ts lazyModulesOf), required rather than imported: see there.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Workbook } = require('exceljs') as typeof import('exceljs');
  const workbook = new Workbook();
  workbook.creator = 'mes-pilotes';
  workbook.created = createdAt;
  workbook.modified = createdAt;
  const sheet = workbook.addWorksheet(table.sheet, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1, activeCell: 'A2' }] });
  sheet.columns = table.columns.map((column, index) => ({
    header: column.header,
    key: String(index),
    width: widthOf(table, index),
    ...(numberFormats[column.kind] ? { style: { numFmt: numberFormats[column.kind] } } : {}),
  }));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  table.columns.forEach((column, index) => {
    if (column.kind === 'instant') header.getCell(index + 1).note = PARIS_TIME_NOTE;
  });
  for (const row of table.rows) sheet.addRow(row.map(cellValue));
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: Math.max(1, table.columns.length) } };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
