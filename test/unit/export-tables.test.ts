import type { Application } from '../../layers/domain/application';
import { tableCsv } from '../../layers/domain/csv';
import { applicationColumns, applicationsTable, fundingTable, publishableTable, tableOf, usageTable, type ExportTable } from '../../layers/domain/export-tables';
import type { Campaign } from '../../layers/domain/campaign';
import type { Pilot } from '../../layers/domain/pilot';
import type { UsageMonth } from '../../layers/domain/usage';
import { excelParisDate } from '../../functions/exports/xlsx';

/** The three exports are defined once: headers, kinds and typed values that both the CSV and the XLSX are written from. */

const application = {
  id: 'MES-7K3M9Q2X',
  campaignId: 'mes-esms-2023',
  finess: '330781360',
  name: '=HYPERLINK("http://x")',
  category: '500',
  sector: 'PA',
  mode: 'etablissement',
  department: '33',
  ars: 'NAQ',
  status: 'retenue',
  dui: { editor: 'Éditeur', product: 'Produit', segurReferenced: true, mesCapable: false },
  capacity: 80,
  createdAt: '2023-10-31T23:59:00+01:00',
  submittedAt: '2023-10-31T22:30:00Z',
  review: { average: 3.5 },
  decision: { decision: 'retenue', motivation: 'Projet mature.' },
} as unknown as Application;

const campaign = {
  id: 'c-2039',
  indicators: ['mss.usagers', 'docs_dmp.74207-2'],
  targets: { 'mss.usagers': 20, 'bal.nominatives': 5 },
  experimentationStart: '2039-04-01',
  experimentationEnd: '2039-08-15',
  reportingGraceDays: 15,
} as unknown as Campaign;

const pilot: Pilot = {
  finess: '2A0000017',
  campaignId: 'c-2039',
  applicationId: 'MES-1',
  conventionId: 'CNV-1',
  ars: 'COR',
  name: 'EHPAD de Corte',
  amountEur: 30_000,
  firstInstalmentEur: 15_000,
  signedAt: '2039-03-10T10:00:00+01:00',
  reportingClients: [],
} as unknown as Pilot;

const month = (name: string, indicators: Record<string, number>): UsageMonth => ({
  finess: pilot.finess,
  campaignId: campaign.id,
  ars: pilot.ars,
  month: name,
  indicators,
  version: 1,
  reportedAt: '2039-05-04T10:00:00+02:00',
  reportedBy: 'esms-1',
  createdAt: '2039-05-04T10:00:00+02:00',
});

const valueOf = (table: ExportTable, header: string, row = 0) => table.rows[row]![table.columns.findIndex((column) => column.header === header)];

describe('the applications export', () => {
  const table = applicationsTable([application]);

  it('keeps the columns of the CSV people already use, in order', () => {
    expect(table.columns.map((column) => column.header)).toEqual([
      'Dossier', 'Campagne', 'FINESS', 'Nom', 'Catégorie', 'Libellé catégorie', 'Secteur', 'Mode', 'Département', 'ARS', 'Statut',
      'Contact', 'Courriel', 'Téléphone', 'Éditeur DUI', 'Produit DUI', 'Référencé Ségur', 'Compatible MES', 'DMP', 'MSSanté', 'INS',
      'Parcours', 'Échanges prévus', 'Information et formation', 'Capacité', 'Créé le', 'Déposé le', 'Note moyenne', 'Décision', 'Motivation', 'Notifiée le',
    ]);
    expect(table.rows[0]).toHaveLength(applicationColumns.length);
  });

  it('holds typed values: the FINESS as its 9 characters, instants as Dates, numbers and booleans as such', () => {
    expect(valueOf(table, 'FINESS')).toBe('330781360');
    expect(valueOf(table, 'Créé le')).toEqual(new Date('2023-10-31T22:59:00Z'));
    expect(valueOf(table, 'Capacité')).toBe(80);
    expect(valueOf(table, 'Note moyenne')).toBe(3.5);
    expect([valueOf(table, 'Référencé Ségur'), valueOf(table, 'Compatible MES')]).toEqual([true, false]);
    expect(valueOf(table, 'Notifiée le')).toBeUndefined();
    expect(valueOf(table, 'ARS')).toBe('Nouvelle-Aquitaine');
  });

  it('is written by the CSV writer as French spreadsheets read it: Paris times, decimal comma, oui/non, formulas defused', () => {
    const [header, line] = tableCsv(table).replace(/^\uFEFF/, '').split('\r\n');
    expect(header!.split(';')[2]).toBe('FINESS');
    const cells = line!.split(';');
    expect(cells[2]).toBe('330781360');
    expect(cells[3]).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(cells.slice(16, 18)).toEqual(['oui', 'non']);
    // 23:59 in Paris on the last day of October 2023 (UTC+1), and 22:30Z is 23:30 in Paris.
    expect(cells.slice(24, 28)).toEqual(['80', '31/10/2023 23:59', '31/10/2023 23:30', '3,5']);
  });

  it('has no count column: publishable figures change nothing in it', () => {
    expect(table.columns.some((column) => column.kind === 'count')).toBe(false);
    expect(publishableTable(table)).toEqual(table);
  });
});

describe('the usage export', () => {
  const months = new Map([[pilot.finess, [month('2039-04', { 'mss.usagers': 4, 'docs_dmp.74207-2': 0 }), month('2039-05', { 'mss.usagers': 12 })]]]);
  const table = usageTable(campaign, [pilot], months);

  it('has one row per pilot, reported month and campaign indicator; a figure not reported stays empty', () => {
    expect(table.rows.map((row) => [row[4], row[5], row[7]])).toEqual([
      ['2039-04', 'mss.usagers', 4],
      ['2039-04', 'docs_dmp.74207-2', 0],
      ['2039-05', 'mss.usagers', 12],
      ['2039-05', 'docs_dmp.74207-2', undefined],
    ]);
    expect(valueOf(table, 'FINESS')).toBe('2A0000017');
    expect(valueOf(table, 'Déclaré le')).toEqual(new Date('2039-05-04T08:00:00Z'));
  });

  it('as published, writes values of 1 to 4 as NS and keeps 0, 5 and more, and empty cells', () => {
    const published = publishableTable(table);
    expect(published.rows.map((row) => row[7])).toEqual(['NS', 0, 12, undefined]);
    // Versions are numbers but not counts.
    expect(published.rows.map((row) => row[8])).toEqual([1, 1, 1, 1]);
    expect(published.columns).toEqual(table.columns);
  });
});

describe('the funding export', () => {
  const months = new Map([[pilot.finess, [month('2039-04', { 'mss.usagers': 3, 'bal.nominatives': 9 })]]]);
  const table = fundingTable(campaign, [pilot], months, new Date('2039-06-10T07:00:00Z'));

  it('has a total and an objective per target, sorted by code, and the months reported and missing', () => {
    expect(table.columns.slice(13).map((column) => [column.header, column.kind])).toEqual([
      ['bal.nominatives : total', 'count'],
      ['bal.nominatives : objectif', 'integer'],
      ['mss.usagers : total', 'count'],
      ['mss.usagers : objectif', 'integer'],
    ]);
    expect(table.rows[0]!.slice(13)).toEqual([9, 5, 3, 20]);
    expect([valueOf(table, 'Montant (€)'), valueOf(table, '2e tranche (€)'), valueOf(table, 'Objectifs atteints'), valueOf(table, 'Mois déclarés'), valueOf(table, 'Mois manquants')]).toEqual([
      30_000, 15_000, '1/2', 1, '2039-05',
    ]);
  });

  it('as published, hides only the small totals, never amounts or objectives', () => {
    expect(publishableTable(table).rows[0]!.slice(6, 9)).toEqual([30_000, 15_000, 15_000]);
    expect(publishableTable(table).rows[0]!.slice(13)).toEqual([9, 5, 'NS', 20]);
  });
});

describe('the tables', () => {
  it('give each row one value per column, from the same definition', () => {
    const table = tableOf('Essai', [{ header: 'A', kind: 'count', value: (n: number) => n }, { header: 'B', kind: 'text', value: (n: number) => `n${n}` }], [0, 1, 5]);
    expect(table).toEqual({ sheet: 'Essai', columns: [{ header: 'A', kind: 'count' }, { header: 'B', kind: 'text' }], rows: [[0, 'n0'], [1, 'n1'], [5, 'n5']] });
    expect(publishableTable(table).rows).toEqual([[0, 'n0'], ['NS', 'n1'], [5, 'n5']]);
  });
});

describe('XLSX dates', () => {
  it('are the Paris wall clock, summer and winter, since Excel has no time zones', () => {
    expect(excelParisDate(new Date('2023-10-31T22:59:00Z'))).toEqual(new Date(Date.UTC(2023, 9, 31, 23, 59)));
    expect(excelParisDate(new Date('2039-05-04T08:00:00Z'))).toEqual(new Date(Date.UTC(2039, 4, 4, 10, 0)));
    // The night the clocks go back: 00:30Z and 01:30Z are 02:30 and 02:30 again in Paris.
    expect(excelParisDate(new Date('2023-10-29T00:30:00Z'))).toEqual(new Date(Date.UTC(2023, 9, 29, 2, 30)));
    expect(excelParisDate(new Date('2023-10-29T01:30:00Z'))).toEqual(new Date(Date.UTC(2023, 9, 29, 2, 30)));
  });
});
