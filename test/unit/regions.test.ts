import { arsCodes, arsName, arsOfDepartment, arsRegions, isArsCode } from '../../layers/domain/regions';

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
});
