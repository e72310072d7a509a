import fc from 'fast-check';
import { cellText, csvDateTime, csvResponseHeaders, tableCsv, toCsv } from '../../layers/domain/csv';

describe('a CSV cell', () => {
  it.each([
    ['nothing', null, ''],
    ['an absent value', undefined, ''],
    ['true', true, 'oui'],
    ['false', false, 'non'],
    ['an integer', 80, '80'],
    ['zero', 0, '0'],
    ['a negative integer', -3, '-3'],
    ['a decimal', 3.5, '3,5'],
    ['a negative decimal', -0.25, '-0,25'],
    ['plain text', 'EHPAD Les Tilleuls', 'EHPAD Les Tilleuls'],
    ['empty text', '', ''],
  ] as const)('writes %s as "%s"', (_what, value, text) => {
    expect(cellText(value)).toBe(text);
  });

  it('writes an instant in Paris time, winter and summer, as French spreadsheets read a date', () => {
    expect(cellText(new Date('2023-10-31T22:59:00Z'))).toBe('31/10/2023 23:59');
    expect(csvDateTime(new Date('2024-07-04T06:05:00Z'))).toBe('04/07/2024 08:05');
    expect(csvDateTime(new Date('2023-12-31T23:00:00Z'))).toBe('01/01/2024 00:00');
  });

  it.each([
    ['=SUM(A1:A2)', "'=SUM(A1:A2)"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', "'\rcmd"],
    ['+A1', "'+A1"],
    ['-A1', "'-A1"],
    ['-1+2', "'-1+2"],
    ['+33 6 12 34 56 78x', "'+33 6 12 34 56 78x"],
  ])('defuses "%s", which a spreadsheet would run as a formula', (value, text) => {
    expect(cellText(value)).toBe(text);
  });

  it.each(['-5', '+33 6 12 34 56 78', '-', '+', '- 12', 'a=b', 'x@y.fr', 'mot-clé'])('keeps "%s", a number, a phone or plain text', (value) => {
    expect(cellText(value)).toBe(value);
  });
});

describe('a CSV file', () => {
  it('starts with a BOM, separates with ";", ends every line, the last too, with CRLF', () => {
    expect(toCsv(['A', 'B'], [['x', 1], [true, null]])).toBe('\uFEFFA;B\r\nx;1\r\noui;\r\n');
    expect(toCsv(['A'], [])).toBe('\uFEFFA\r\n');
  });

  it.each([
    ['a separator', 'a;b', '"a;b"'],
    ['a quote', 'dit "oui"', '"dit ""oui"""'],
    ['a line feed', 'ligne 1\nligne 2', '"ligne 1\nligne 2"'],
    ['a carriage return', 'ligne 1\rligne 2', '"ligne 1\rligne 2"'],
    ['a decimal comma alone', 3.5, '3,5'],
    ['a comma alone', 'a, b', 'a, b'],
  ] as const)('quotes a cell holding %s only when it must', (_what, value, written) => {
    expect(toCsv(['A'], [[value]])).toBe(`\uFEFFA\r\n${written}\r\n`);
  });

  it('quotes a defused formula that holds a quote, doubling it', () => {
    expect(toCsv(['A'], [['=HYPERLINK("http://x")']])).toBe('\uFEFFA\r\n"\'=HYPERLINK(""http://x"")"\r\n');
  });

  it('reads back, cell for cell, whatever text its cells hold', () => {
    const parse = (csv: string): string[][] => {
      const rows: string[][] = [];
      let row: string[] = [];
      let cell = '';
      let inQuotes = false;
      const body = csv.slice(1);
      for (let i = 0; i < body.length; i += 1) {
        const c = body[i]!;
        if (inQuotes) {
          if (c === '"' && body[i + 1] === '"') {
            cell += '"';
            i += 1;
          } else if (c === '"') inQuotes = false;
          else cell += c;
        } else if (c === '"') inQuotes = true;
        else if (c === ';') {
          row.push(cell);
          cell = '';
        } else if (c === '\r' && body[i + 1] === '\n') {
          row.push(cell);
          rows.push(row);
          row = [];
          cell = '';
          i += 1;
        } else cell += c;
      }
      return rows;
    };
    const safeText = fc.string({ unit: fc.constantFrom('a', 'é', ';', '"', '\n', '\r', ' ', ',', '1') });
    fc.assert(
      fc.property(fc.array(fc.array(safeText, { minLength: 2, maxLength: 2 }), { maxLength: 4 }), (rows) => {
        expect(parse(toCsv(['A', 'B'], rows))).toEqual([['A', 'B'], ...rows.map((cells) => cells.map((cell) => cellText(cell)))]);
      }),
    );
  });

  it('writes an export table: its headers, then its rows', () => {
    const table = { sheet: 'Essai', columns: [{ header: 'Nom', kind: 'text' as const }, { header: 'Capacité', kind: 'integer' as const }], rows: [['EHPAD', 80]] };
    expect(tableCsv(table)).toBe('\uFEFFNom;Capacité\r\nEHPAD;80\r\n');
  });

  it('is served as UTF-8 CSV to download under its name, never cached', () => {
    expect(csvResponseHeaders('candidatures.csv')).toEqual({
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="candidatures.csv"',
      'cache-control': 'no-store',
    });
  });
});
