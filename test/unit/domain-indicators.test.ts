import { defaultIndicatorCodes, INDICATOR_CODE_PATTERN, indicatorLabel } from '../../layers/domain/indicators';

// DOMAIN.md, usage indicators: the documents sent to the DMP by type, then the MSSanté, MES and INS counts.
const expected: readonly (readonly [string, string])[] = [
  ['docs_dmp.80788-3', "Documents envoyés au DMP : Projet personnalisé d'accompagnement"],
  ['docs_dmp.74207-2', "Documents envoyés au DMP : Document de liaison d'urgence (DLU)"],
  ['docs_dmp.88348-8', "Documents envoyés au DMP : Lettre de liaison d'entrée en structure sociale ou médico-sociale"],
  ['docs_dmp.83981-1', "Documents envoyés au DMP : Lettre de liaison à la sortie d'une structure sociale ou médico-sociale"],
  ['docs_dmp.34842-5', "Documents envoyés au DMP : Grille d'évaluation médico-sociale"],
  ['docs_dmp.28653-4', 'Documents envoyés au DMP : Document du secteur social / médico-social'],
  ['docs_dmp.18776-5', 'Documents envoyés au DMP : Plan personnalisé de soins'],
  ['docs_dmp.96163-1', 'Documents envoyés au DMP : Bilan de soins infirmiers'],
  ['docs_dmp.BIL_AUTO', "Documents envoyés au DMP : Bilan perte d'autonomie"],
  ['docs_dmp.EXPPAT_3', 'Documents envoyés au DMP : Directives anticipées'],
  ['docs_dmp.AUTORIS-SOINS', 'Documents envoyés au DMP : Autorisation de soins'],
  ['mss.usagers', 'Messages MSSanté échangés avec les usagers'],
  ['mss.professionnels', 'Messages MSSanté échangés entre professionnels'],
  ['bal.nominatives', 'Boîtes aux lettres MSSanté nominatives en service'],
  ['bal.organisationnelles', 'Boîtes aux lettres MSSanté organisationnelles en service'],
  ['mes.activations_accompagnees', "Profils Mon espace santé activés avec l'aide de la structure"],
  ['mes.profils_completes', 'Profils médicaux complétés avec aide'],
  ['mes.delegations', "Délégations d'accès mises en place pour les aidants"],
  ['ins.qualifiees', 'Identités INS qualifiées dans le DUI'],
];

describe('the default usage indicators', () => {
  it('are the 19 of DOMAIN.md, in order, each with its French label', () => {
    // The table is built when the module loads: load it inside the test, so that mutation testing sees it.
    let indicators!: typeof import('../../layers/domain/indicators');
    jest.isolateModules(() => {
      indicators = require('../../layers/domain/indicators') as typeof import('../../layers/domain/indicators');
    });
    expect(indicators.defaultIndicators.map(({ code, label }) => [code, label])).toEqual(expected);
    expect(indicators.defaultIndicatorCodes).toEqual(expected.map(([code]) => code));
    expect(defaultIndicatorCodes).toEqual(expected.map(([code]) => code));
  });

  it.each(expected)('labels %s "%s"', (code, label) => {
    expect(indicatorLabel(code)).toBe(label);
  });

  it('labels a code a campaign added by the code itself', () => {
    expect(indicatorLabel('docs_dmp.11488-4')).toBe('docs_dmp.11488-4');
    expect(indicatorLabel('')).toBe('');
  });

  it('all have the shape of an indicator code', () => {
    for (const code of defaultIndicatorCodes) expect(code).toMatch(INDICATOR_CODE_PATTERN);
  });
});

describe('an indicator code', () => {
  // The pattern is built when the module loads: load it inside each test, so that mutation testing sees it.
  const pattern = (): RegExp => {
    let indicators!: typeof import('../../layers/domain/indicators');
    jest.isolateModules(() => {
      indicators = require('../../layers/domain/indicators') as typeof import('../../layers/domain/indicators');
    });
    return indicators.INDICATOR_CODE_PATTERN;
  };

  it.each([
    'mss.usagers',
    'docs_dmp.AUTORIS-SOINS',
    'ab.c',
    `${'a'.repeat(30)}.x`,
    `mss.${'A'.repeat(40)}`,
    'ins.qualifiees_2024',
  ])('may be "%s"', (code) => {
    expect(pattern().test(code)).toBe(true);
  });

  it.each([
    ['a one-letter family', 'a.usagers'],
    ['a family of 31 characters', `${'a'.repeat(31)}.x`],
    ['a code of 41 characters', `mss.${'A'.repeat(41)}`],
    ['no code', 'mss.'],
    ['no dot', 'mssusagers'],
    ['an upper-case family', 'MSS.usagers'],
    ['a digit in the family', 'mss2.usagers'],
    ['two dots', 'mss.usagers.x'],
    ['a space', 'mss.usa gers'],
    ['text around it', ' mss.usagers'],
    ['a trailing line', 'mss.usagers\n'],
  ])('may not have %s (%j)', (_what, code) => {
    expect(pattern().test(code)).toBe(false);
  });
});
