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

describe('an applications row', () => {
  it('holds every answer of a complete dossier, in the order of the columns', () => {
    const complete = {
      ...application,
      name: 'EHPAD Les Tilleuls',
      contact: { name: 'Claire Martin', email: 'direction@ehpad.local', phone: '05 56 00 00 00' },
      readiness: { dmp: 'en_cours', mss: 'en_production', ins: 'a_venir' },
      pathways: ['personnes_agees', 'domicile'],
      exchanges: 'Envoi du DLU.',
      awarenessMeans: 'Réunions des familles.',
      decision: { decision: 'retenue', motivation: 'Projet mature.', notifiedAt: '2023-12-16T09:00:00+01:00' },
    } as unknown as Application;
    const table = applicationsTable([complete]);
    expect(table.sheet).toBe('Candidatures');
    expect(table.rows).toEqual([
      [
        'MES-7K3M9Q2X', 'mes-esms-2023', '330781360', 'EHPAD Les Tilleuls', '500', 'Établissement d’hébergement pour personnes âgées dépendantes (EHPAD)', 'PA', 'etablissement', '33',
        'Nouvelle-Aquitaine', 'retenue', 'Claire Martin', 'direction@ehpad.local', '05 56 00 00 00', 'Éditeur', 'Produit', true, false, 'en_cours', 'en_production', 'a_venir',
        'personnes_agees, domicile', 'Envoi du DLU.', 'Réunions des familles.', 80, new Date('2023-10-31T22:59:00Z'), new Date('2023-10-31T22:30:00Z'), 3.5, 'retenue', 'Projet mature.',
        new Date('2023-12-16T08:00:00Z'),
      ],
    ]);
  });

  it('leaves empty what a draft has not answered yet', () => {
    const draft = { id: 'MES-1', campaignId: 'mes-esms-2023', finess: '330781360', department: '33', ars: 'NAQ', status: 'brouillon', createdAt: '2023-10-01T10:00:00+02:00' } as unknown as Application;
    const row = applicationsTable([draft]).rows[0]!;
    expect(row.slice(0, 4)).toEqual(['MES-1', 'mes-esms-2023', '330781360', undefined]);
    expect(row.slice(4)).toEqual([
      undefined, undefined, undefined, undefined, '33', 'Nouvelle-Aquitaine', 'brouillon', undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined,
      undefined, undefined, undefined, undefined, undefined, new Date('2023-10-01T08:00:00Z'), undefined, undefined, undefined, undefined, undefined,
    ]);
  });

  it('gives no category label to a code outside the ESMS categories', () => {
    expect(valueOf(applicationsTable([{ ...application, category: '101' } as Application]), 'Libellé catégorie')).toBeUndefined();
  });

  it('has one row per application, in the order given', () => {
    const rows = applicationsTable([application, { ...application, id: 'MES-2' } as Application]).rows;
    expect(rows.map((row) => row[0])).toEqual(['MES-7K3M9Q2X', 'MES-2']);
    expect(applicationsTable([]).rows).toEqual([]);
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

describe('a usage row', () => {
  it('holds the campaign, the pilot, the month, the indicator and its label, the figure and who reported it', () => {
    const table = usageTable(campaign, [pilot], new Map([[pilot.finess, [month('2039-04', { 'mss.usagers': 7 })]]]));
    expect(table.sheet).toBe('Usage');
    expect(table.columns.map((column) => [column.header, column.kind])).toEqual([
      ['Campagne', 'text'], ['ARS', 'text'], ['FINESS', 'text'], ['Structure', 'text'], ['Mois', 'text'], ['Indicateur', 'text'], ['Libellé', 'text'],
      ['Valeur', 'count'], ['Version', 'integer'], ['Déclaré le', 'instant'], ['Déclaré par', 'text'],
    ]);
    expect(table.rows[0]).toEqual([
      'c-2039', 'Corse', '2A0000017', 'EHPAD de Corte', '2039-04', 'mss.usagers', 'Messages MSSanté échangés avec les usagers', 7, 1, new Date('2039-05-04T08:00:00Z'), 'esms-1',
    ]);
  });

  it('has no row for a pilot that reported nothing', () => {
    expect(usageTable(campaign, [pilot], new Map()).rows).toEqual([]);
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

describe('a funding row', () => {
  const now = new Date('2039-06-10T07:00:00Z');

  it('holds the convention, the amounts, the second instalment, the targets met and the months', () => {
    const months = new Map([[pilot.finess, [month('2039-04', { 'mss.usagers': 25, 'bal.nominatives': 2 }), month('2039-05', { 'mss.usagers': 1, 'bal.nominatives': 6 })]]]);
    const table = fundingTable(campaign, [pilot], months, now);
    expect(table.sheet).toBe('Financement');
    expect(table.columns.map((column) => [column.header, column.kind])).toEqual([
      ['Campagne', 'text'], ['ARS', 'text'], ['FINESS', 'text'], ['Structure', 'text'], ['Convention', 'text'], ['Signée le', 'instant'], ['Montant (€)', 'euros'],
      ['1re tranche (€)', 'euros'], ['2e tranche (€)', 'euros'], ['Statut 2e tranche', 'text'], ['Objectifs atteints', 'text'], ['Mois déclarés', 'integer'], ['Mois manquants', 'text'],
      ['bal.nominatives : total', 'count'], ['bal.nominatives : objectif', 'integer'], ['mss.usagers : total', 'count'], ['mss.usagers : objectif', 'integer'],
    ]);
    expect(table.rows[0]).toEqual(['c-2039', 'Corse', '2A0000017', 'EHPAD de Corte', 'CNV-1', new Date('2039-03-10T09:00:00Z'), 30_000, 15_000, 15_000, 'en_attente', '2/2', 2, '', 6, 5, 26, 20]);
  });

  it('counts every month due as missing for a pilot that reported nothing', () => {
    const row = fundingTable(campaign, [pilot], new Map(), now).rows[0]!;
    expect(row.slice(10)).toEqual(['0/2', 0, '2039-04, 2039-05', 0, 5, 0, 20]);
  });

  it('has only the fixed columns for a campaign without targets', () => {
    const table = fundingTable({ ...campaign, targets: {} }, [pilot], new Map(), now);
    expect(table.columns).toHaveLength(13);
    expect(table.rows[0]!.slice(10)).toEqual(['0/0', 0, '2039-04, 2039-05']);
  });
});

describe('the tables', () => {
  it('give each row one value per column, from the same definition', () => {
    const table = tableOf('Essai', [{ header: 'A', kind: 'count', value: (n: number) => n }, { header: 'B', kind: 'text', value: (n: number) => `n${n}` }], [0, 1, 5]);
    expect(table).toEqual({ sheet: 'Essai', columns: [{ header: 'A', kind: 'count' }, { header: 'B', kind: 'text' }], rows: [[0, 'n0'], [1, 'n1'], [5, 'n5']] });
    expect(publishableTable(table).rows).toEqual([[0, 'n0'], ['NS', 'n1'], [5, 'n5']]);
  });

  it('as published, leave empty and text cells of a count column as they are, and text that looks small', () => {
    const table = tableOf('Essai', [{ header: 'A', kind: 'count', value: (cell: string | number | undefined) => cell }, { header: 'B', kind: 'integer', value: () => 2 }], [undefined, '3', 4]);
    expect(publishableTable(table)).toEqual({ sheet: 'Essai', columns: table.columns, rows: [[undefined, 2], ['3', 2], ['NS', 2]] });
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
