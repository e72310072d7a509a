import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { toParis } from '../../layers/domain/calendar';
import { responseSchemas } from '../../layers/http/openapi/schemas';
import { api, expectProblem, roles, setClock, stack } from './support/stack';
import { createCampaign, createPilots, type TestCampaign, type TestPilot } from './support/pilot-flow';

/**
 * The exports as CSV and XLSX, read back: the FINESS as its 9 characters, the XLSX with the CSV's rows and
 * columns in typed cells under a frozen header, and `publishable=true` writing small counts as "NS" in the
 * exports and the dashboard.
 *
 * Five pilots in Nouvelle-Aquitaine (a count that stays published) and one in Occitanie (a count that does not).
 */
let campaign: TestCampaign;
let naq: TestPilot[];
let occ: TestPilot;

const MAY_REPORT = '2039-05-04T10:00:00+02:00';
const JUNE_REPORT = '2039-06-04T10:00:00+02:00';
const JUNE = '2039-06-10T09:00:00+02:00';
const FINESS_CHARACTERS = /^[0-9][0-9AB][0-9]{7}$/;

beforeAll(async () => {
  campaign = await createCampaign({ year: 2039, targets: { 'mss.usagers': 20, 'bal.nominatives': 5 }, fundingPerPilotEur: 30_000 });
  const created = await createPilots(campaign, [
    { department: '33', name: 'EHPAD Les Tilleuls' },
    { department: '64', name: 'SSIAD du Béarn' },
    { department: '24', name: 'EHPAD du Périgord' },
    { department: '40', name: 'MAS des Landes' },
    { department: '47', name: "FAM de l'Agenais" },
    { department: '31', name: 'MAS du Lauragais' },
  ]);
  naq = created.slice(0, 5);
  occ = created[5]!;
  const put = (pilot: TestPilot, month: string, indicators: Record<string, number>) =>
    api('PUT', `/v1/campaigns/${campaign.id}/pilots/${pilot.finess}/usage/${month}`, { token: pilot.ownerToken, body: { indicators } });
  await setClock(MAY_REPORT);
  // April, Tilleuls: 10 messages (published), 3 documents (secret), 40 mailboxes.
  expect((await put(naq[0]!, '2039-04', { 'mss.usagers': 10, 'bal.nominatives': 40, 'docs_dmp.74207-2': 3 })).status).toBe(201);
  expect((await put(occ, '2039-04', { 'mss.usagers': 2, 'bal.nominatives': 2 })).status).toBe(201);
  await setClock(JUNE_REPORT);
  // May, Béarn alone: one pilot reporting the expected month.
  expect((await put(naq[1]!, '2039-05', { 'mss.usagers': 7, 'bal.nominatives': 4 })).status).toBe(201);
});
beforeEach(() => setClock(JUNE));
afterAll(() => setClock(null));

async function download(path: string, token: string): Promise<{ headers: Headers; bytes: Buffer }> {
  const response = await fetch(`${stack.apiUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const bytes = Buffer.from(await response.arrayBuffer());
  if (response.status !== 200) throw new Error(`${path}: ${response.status} ${bytes.toString('utf8')}`);
  return { headers: response.headers, bytes };
}

const csvOf = async (path: string, token: string): Promise<string[][]> => parse((await download(path, token)).bytes, { bom: true, delimiter: ';' });

interface Sheet {
  worksheet: ExcelJS.Worksheet;
  /** Every row, the header first, each cell's value as exceljs reads it (null when empty). */
  rows: ExcelJS.CellValue[][];
  headers: Headers;
}

async function xlsxOf(path: string, token: string): Promise<Sheet> {
  const { headers, bytes } = await download(path, token);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  expect(workbook.worksheets).toHaveLength(1);
  const worksheet = workbook.worksheets[0]!;
  const width = worksheet.getRow(1).cellCount;
  const rows: ExcelJS.CellValue[][] = [];
  worksheet.eachRow({ includeEmpty: true }, (row) => rows.push(Array.from({ length: width }, (_, index) => row.getCell(index + 1).value ?? null)));
  return { worksheet, rows, headers };
}

/** An XLSX cell as the CSV writes it (its Date holds the Paris wall clock in its UTC fields, as Excel has no zones). */
function asCsvText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'oui' : 'non';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(value).replace('.', ',');
  if (value instanceof Date) {
    const two = (n: number) => String(n).padStart(2, '0');
    return `${two(value.getUTCDate())}/${two(value.getUTCMonth() + 1)}/${value.getUTCFullYear()} ${two(value.getUTCHours())}:${two(value.getUTCMinutes())}`;
  }
  if (typeof value === 'string') return value;
  throw new Error(`unexpected cell ${JSON.stringify(value)}`);
}

const parisWallClock = (iso: string): Date => {
  const wall = toParis(new Date(iso));
  return new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second));
};

const column = (rows: readonly (readonly unknown[])[], header: string): number => {
  const index = rows[0]!.indexOf(header);
  if (index < 0) throw new Error(`no column ${header} in ${rows[0]!.join(' | ')}`);
  return index;
};

const base = () => `/v1/campaigns/${campaign.id}/exports`;

describe('the FINESS in the exports', () => {
  it('is the 9 characters, without the display spaces, in every CSV', async () => {
    const national = await roles.national();
    const finessOfAll = [...naq, occ].map((pilot) => pilot.finess).sort();
    for (const file of ['applications.csv', 'usage.csv', 'funding.csv']) {
      const rows = await csvOf(`${base()}/${file}`, national);
      const values = rows.slice(1).map((row) => row[column(rows, 'FINESS')]!);
      expect(values.every((value) => FINESS_CHARACTERS.test(value))).toBe(true);
      expect([...new Set(values)].sort()).toEqual(file === 'usage.csv' ? [naq[0]!.finess, naq[1]!.finess, occ.finess].sort() : finessOfAll);
    }
  });
});

describe('the XLSX exports', () => {
  it.each(['applications', 'usage', 'funding'])('%s.xlsx has the rows and columns of the CSV, a frozen header, typed cells', async (name) => {
    const national = await roles.national();
    const csv = await csvOf(`${base()}/${name}.csv`, national);
    const sheet = await xlsxOf(`${base()}/${name}.xlsx`, national);
    expect(sheet.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const fileName = { applications: 'candidatures', usage: 'usage', funding: 'financement' }[name];
    expect(sheet.headers.get('content-disposition')).toBe(`attachment; filename="${fileName}-${campaign.id}.xlsx"`);
    expect(sheet.worksheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.rows.length).toBe(csv.length);
    expect(sheet.rows.length).toBeGreaterThan(1);
    expect(sheet.rows.map((row) => row.map(asCsvText))).toEqual(csv);
    // The FINESS stays text (a number would lose the leading zero of the Ain or the letter of Corsica).
    expect(sheet.rows.slice(1).every((row) => typeof row[column(csv, 'FINESS')] === 'string')).toBe(true);
  });

  it('types the cells of the applications: dates as Paris wall-clock dates, numbers and booleans as such', async () => {
    const sheet = await xlsxOf(`${base()}/applications.xlsx?ars=NAQ`, await roles.ars('NAQ'));
    const header = sheet.rows[0]!;
    const listed = (await api('GET', `/v1/campaigns/${campaign.id}/applications?ars=NAQ&limit=200`, { token: await roles.ars('NAQ') })).json.items as { id: string; submittedAt: string }[];
    expect(sheet.rows).toHaveLength(1 + 5);
    for (const row of sheet.rows.slice(1)) {
      const application = listed.find((item) => item.id === row[header.indexOf('Dossier')])!;
      const submitted = row[header.indexOf('Déposé le')];
      expect(submitted).toBeInstanceOf(Date);
      expect(submitted).toEqual(parisWallClock(application.submittedAt));
      expect(row[header.indexOf('Capacité')]).toBe(80);
      expect(row[header.indexOf('Référencé Ségur')]).toBe(true);
    }
    // The header of a date column says the times are Paris times.
    const note = sheet.worksheet.getRow(1).getCell(header.indexOf('Déposé le') + 1).note;
    expect(JSON.stringify(note)).toContain('Heure de Paris');
  });

  it('types the usage figures as numbers and the report time as a date', async () => {
    const sheet = await xlsxOf(`${base()}/usage.xlsx?ars=NAQ`, await roles.ars('NAQ'));
    const header = sheet.rows[0]!;
    const row = sheet.rows.find((cells) => cells[header.indexOf('FINESS')] === naq[1]!.finess && cells[header.indexOf('Indicateur')] === 'mss.usagers')!;
    expect(row[header.indexOf('Valeur')]).toBe(7);
    expect(row[header.indexOf('Version')]).toBe(1);
    expect(row[header.indexOf('Déclaré le')]).toEqual(parisWallClock(JUNE_REPORT));
    expect(sheet.worksheet.getColumn(header.indexOf('Déclaré le') + 1).numFmt).toBe('dd/mm/yyyy hh:mm');
  });

  it('types the funding amounts as numbers and the signature as a date', async () => {
    const sheet = await xlsxOf(`${base()}/funding.xlsx?ars=NAQ`, await roles.ars('NAQ'));
    const header = sheet.rows[0]!;
    const tilleuls = sheet.rows.find((cells) => cells[header.indexOf('FINESS')] === naq[0]!.finess)!;
    expect([tilleuls[header.indexOf('Montant (€)')], tilleuls[header.indexOf('1re tranche (€)')], tilleuls[header.indexOf('mss.usagers : total')], tilleuls[header.indexOf('Mois déclarés')]]).toEqual([30_000, 15_000, 10, 1]);
    expect(tilleuls[header.indexOf('Signée le')]).toBeInstanceOf(Date);
  });
});

describe('publishable=true', () => {
  it('writes usage values from 1 to 4 as NS, keeps 0, empty cells and the rest, in the CSV and the XLSX', async () => {
    const token = await roles.ars('NAQ');
    const plain = await csvOf(`${base()}/usage.csv`, token);
    const published = await csvOf(`${base()}/usage.csv?publishable=true`, token);
    const value = column(plain, 'Valeur');
    const cellOf = (rows: string[][], finess: string, indicator: string) => rows.find((row) => row.includes(finess) && row.includes(indicator))![value];
    expect([cellOf(plain, naq[0]!.finess, 'docs_dmp.74207-2'), cellOf(published, naq[0]!.finess, 'docs_dmp.74207-2')]).toEqual(['3', 'NS']);
    expect([cellOf(plain, naq[0]!.finess, 'mss.usagers'), cellOf(published, naq[0]!.finess, 'mss.usagers')]).toEqual(['10', '10']);
    expect([cellOf(plain, naq[1]!.finess, 'bal.nominatives'), cellOf(published, naq[1]!.finess, 'bal.nominatives')]).toEqual(['4', 'NS']);
    expect(cellOf(published, naq[0]!.finess, 'mes.delegations')).toBe('');
    // Only the values change.
    expect(published.map((row) => row.filter((_, index) => index !== value))).toEqual(plain.map((row) => row.filter((_, index) => index !== value)));

    const sheet = await xlsxOf(`${base()}/usage.xlsx?publishable=true`, token);
    expect(sheet.headers.get('content-disposition')).toBe(`attachment; filename="usage-${campaign.id}-NAQ-publiable.xlsx"`);
    expect(sheet.rows.map((row) => row.map(asCsvText))).toEqual(published);
    const row = sheet.rows.find((cells) => cells.includes(naq[0]!.finess) && cells.includes('mss.usagers'))!;
    expect(row[value]).toBe(10);
  });

  it('writes target totals from 1 to 4 as NS in the funding export, not amounts, targets or months', async () => {
    const rows = await csvOf(`${base()}/funding.csv?publishable=true`, await roles.national());
    const header = rows[0]!;
    const lauragais = rows.find((row) => row.includes(occ.finess))!;
    const bearn = rows.find((row) => row.includes(naq[1]!.finess))!;
    const perigord = rows.find((row) => row.includes(naq[2]!.finess))!;
    expect([lauragais[header.indexOf('mss.usagers : total')], lauragais[header.indexOf('mss.usagers : objectif')], lauragais[header.indexOf('bal.nominatives : objectif')]]).toEqual(['NS', '20', '5']);
    expect([bearn[header.indexOf('mss.usagers : total')], bearn[header.indexOf('bal.nominatives : total')]]).toEqual(['7', 'NS']);
    expect([perigord[header.indexOf('mss.usagers : total')], perigord[header.indexOf('Mois déclarés')], perigord[header.indexOf('Montant (€)')]]).toEqual(['0', '0', '30000']);
  });

  it('leaves the applications export as it is (it holds no counts)', async () => {
    const token = await roles.national();
    expect(await csvOf(`${base()}/applications.csv?publishable=true`, token)).toEqual(await csvOf(`${base()}/applications.csv?publishable=false`, token));
  });

  it('gives the dashboard NS for counts of 1 to 4 and the real figures for 0 and from 5, per region too, in the schema of the document', async () => {
    const ars = await api('GET', `/v1/campaigns/${campaign.id}/dashboard?ars=NAQ&publishable=true`, { token: await roles.ars('NAQ') });
    expect(ars.status).toBe(200);
    expect(responseSchemas.Dashboard.safeParse(ars.json).success).toBe(true);
    expect(ars.json).toMatchObject({
      reportingMonth: '2039-05',
      applications: { total: 5, byStatus: { retenue: 5, brouillon: 0 } },
      retained: 5,
      conventionsSigned: 5,
      pilots: 5,
      pilotsReporting: 'NS',
      totals: { 'mss.usagers': 17, 'bal.nominatives': 'NS', 'docs_dmp.74207-2': 'NS', 'mes.delegations': 0 },
    });
    expect(ars.json.months).toEqual([
      expect.objectContaining({ month: '2039-04', pilotsReporting: 'NS', totals: expect.objectContaining({ 'mss.usagers': 10, 'bal.nominatives': 40, 'docs_dmp.74207-2': 'NS' }) }),
      expect.objectContaining({ month: '2039-05', pilotsReporting: 'NS', totals: expect.objectContaining({ 'mss.usagers': 7, 'bal.nominatives': 'NS' }) }),
    ]);
    expect(ars.json.summary).toBe('5 structures pilotes, NS boîtes aux lettres nominatives, 17 messages sécurisés, NS documents envoyés au DMP');
    // Without the option, the same figures in full.
    const plain = await api('GET', `/v1/campaigns/${campaign.id}/dashboard?ars=NAQ&publishable=false`, { token: await roles.ars('NAQ') });
    expect(plain.json).toMatchObject({ pilotsReporting: 1, totals: { 'bal.nominatives': 4, 'docs_dmp.74207-2': 3 } });

    const national = await api('GET', `/v1/campaigns/${campaign.id}/dashboard?publishable=true`, { token: await roles.national() });
    expect(responseSchemas.Dashboard.safeParse(national.json).success).toBe(true);
    expect(national.json).toMatchObject({ pilots: 6, retained: 6 });
    expect(national.json.regions.map((region: { ars: string; pilots: unknown; retained: unknown }) => [region.ars, region.pilots, region.retained])).toEqual([
      ['NAQ', 5, 5],
      ['OCC', 'NS', 'NS'],
    ]);
  });

  it('accepts only true or false: anything else is a 400 naming the parameter, on every export and the dashboard', async () => {
    const national = await roles.national();
    const paths = [
      ...['applications', 'usage', 'funding'].flatMap((name) => [`${base()}/${name}.csv`, `${base()}/${name}.xlsx`]),
      `/v1/campaigns/${campaign.id}/dashboard`,
    ];
    for (const path of paths) {
      for (const value of ['maybe', 'TRUE', '1', '', 'true,true']) {
        const response = await api('GET', `${path}?publishable=${encodeURIComponent(value)}`, { token: national });
        expectProblem(response, 400, 'validation_failed');
        expect(response.json.errors).toEqual([{ path: 'query.publishable', message: 'Valeur attendue : true ou false' }]);
        expect(response.json.detail).toBe('Le paramètre publishable vaut true ou false.');
      }
      // An unknown parameter is ignored, as on every route.
      expect((await api('GET', `${path}?ars=NAQ&format=inconnu`, { token: national })).status).toBe(200);
    }
  });
});
