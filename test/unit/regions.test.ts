import { arsCodes, arsName, arsOfDepartment, arsRegions, isArsCode, type ArsCode } from '../../layers/domain/regions';

const metropolitan = Array.from({ length: 95 }, (_, i) => String(i + 1).padStart(2, '0')).filter((d) => d !== '20');
const allDepartments = [...metropolitan, '2A', '2B', '971', '972', '973', '974', '976'];

describe('ARS regions', () => {
  it('has the 18 ARS, each code once', () => {
    expect(arsCodes).toHaveLength(18);
    expect(new Set(arsCodes).size).toBe(18);
    expect([...arsCodes].sort()).toEqual(
      ['ARA', 'BFC', 'BRE', 'COR', 'CVL', 'GES', 'GUA', 'GUY', 'HDF', 'IDF', 'MAY', 'MTQ', 'NAQ', 'NOR', 'OCC', 'PAC', 'PDL', 'REU'],
    );
  });

  it.each(allDepartments)('puts département %s in exactly one ARS', (department) => {
    const owners = arsRegions.filter((region) => (region.departments as readonly string[]).includes(department));
    expect(owners).toHaveLength(1);
    expect(arsOfDepartment(department)).toBe(owners[0]?.code);
  });

  it('lists no département beyond the 101 of France', () => {
    const listed = arsRegions.flatMap((region) => [...region.departments]);
    expect(listed).toHaveLength(101);
    expect(new Set(listed)).toEqual(new Set(allDepartments));
  });

  it.each([
    ['33', 'NAQ'],
    ['75', 'IDF'],
    ['2A', 'COR'],
    ['2B', 'COR'],
    ['31', 'OCC'],
    ['971', 'GUA'],
    ['974', 'REU'],
    ['976', 'MAY'],
  ])('places département %s in %s', (department, code) => {
    expect(arsOfDepartment(department)).toBe(code);
  });

  it.each(['20', '96', '00', '975', '977', '1', '2a', ''])('knows no ARS for "%s"', (department) => {
    expect(arsOfDepartment(department)).toBeUndefined();
  });

  it('recognises ARS codes and names them', () => {
    expect(isArsCode('NAQ')).toBe(true);
    expect(isArsCode('naq')).toBe(false);
    expect(isArsCode('XYZ')).toBe(false);
    expect(arsName('NAQ')).toBe('Nouvelle-Aquitaine');
    expect(arsName('PAC')).toBe("Provence-Alpes-Côte d'Azur");
    expect(arsName('REU')).toBe('La Réunion');
  });

  // DOMAIN.md, "The 18 ARS and their départements", row by row.
  it.each([
    ['ARA', 'Auvergne-Rhône-Alpes', '01 03 07 15 26 38 42 43 63 69 73 74'],
    ['BFC', 'Bourgogne-Franche-Comté', '21 25 39 58 70 71 89 90'],
    ['BRE', 'Bretagne', '22 29 35 56'],
    ['CVL', 'Centre-Val de Loire', '18 28 36 37 41 45'],
    ['COR', 'Corse', '2A 2B'],
    ['GES', 'Grand Est', '08 10 51 52 54 55 57 67 68 88'],
    ['HDF', 'Hauts-de-France', '02 59 60 62 80'],
    ['IDF', 'Île-de-France', '75 77 78 91 92 93 94 95'],
    ['NOR', 'Normandie', '14 27 50 61 76'],
    ['NAQ', 'Nouvelle-Aquitaine', '16 17 19 23 24 33 40 47 64 79 86 87'],
    ['OCC', 'Occitanie', '09 11 12 30 31 32 34 46 48 65 66 81 82'],
    ['PDL', 'Pays de la Loire', '44 49 53 72 85'],
    ['PAC', "Provence-Alpes-Côte d'Azur", '04 05 06 13 83 84'],
    ['GUA', 'Guadeloupe', '971'],
    ['MTQ', 'Martinique', '972'],
    ['GUY', 'Guyane', '973'],
    ['REU', 'La Réunion', '974'],
    ['MAY', 'Mayotte', '976'],
  ] as const)('names %s "%s" and gives it the départements %s', (code, name, departments) => {
    expect(isArsCode(code)).toBe(true);
    expect(arsName(code)).toBe(name);
    expect(arsRegions.find((region) => region.code === code)).toEqual({ code, name, departments: departments.split(' ') });
    for (const department of departments.split(' ')) expect(arsOfDepartment(department)).toBe(code);
  });

  it('lists the ARS in the order of DOMAIN.md', () => {
    expect(arsCodes).toEqual(['ARA', 'BFC', 'BRE', 'CVL', 'COR', 'GES', 'HDF', 'IDF', 'NOR', 'NAQ', 'OCC', 'PDL', 'PAC', 'GUA', 'MTQ', 'GUY', 'REU', 'MAY']);
  });

  it.each(['', 'ars', 'ARS', 'NAQ ', 'Nouvelle-Aquitaine', '33', 'constructor', 'toString'])('knows no ARS code "%s"', (code) => {
    expect(isArsCode(code)).toBe(false);
  });

  it('refuses to name an unknown ARS, saying which code', () => {
    expect(() => arsName('XYZ' as ArsCode)).toThrow(new RangeError('Unknown ARS code: XYZ'));
    expect(() => arsName('XYZ' as ArsCode)).toThrow(RangeError);
  });
});
