// The 18 regional health agencies (ARS) and the départements each one covers.

export const arsRegions = [
  { code: 'ARA', name: 'Auvergne-Rhône-Alpes', departments: ['01', '03', '07', '15', '26', '38', '42', '43', '63', '69', '73', '74'] },
  { code: 'BFC', name: 'Bourgogne-Franche-Comté', departments: ['21', '25', '39', '58', '70', '71', '89', '90'] },
  { code: 'BRE', name: 'Bretagne', departments: ['22', '29', '35', '56'] },
  { code: 'CVL', name: 'Centre-Val de Loire', departments: ['18', '28', '36', '37', '41', '45'] },
  { code: 'COR', name: 'Corse', departments: ['2A', '2B'] },
  { code: 'GES', name: 'Grand Est', departments: ['08', '10', '51', '52', '54', '55', '57', '67', '68', '88'] },
  { code: 'HDF', name: 'Hauts-de-France', departments: ['02', '59', '60', '62', '80'] },
  { code: 'IDF', name: 'Île-de-France', departments: ['75', '77', '78', '91', '92', '93', '94', '95'] },
  { code: 'NOR', name: 'Normandie', departments: ['14', '27', '50', '61', '76'] },
  { code: 'NAQ', name: 'Nouvelle-Aquitaine', departments: ['16', '17', '19', '23', '24', '33', '40', '47', '64', '79', '86', '87'] },
  { code: 'OCC', name: 'Occitanie', departments: ['09', '11', '12', '30', '31', '32', '34', '46', '48', '65', '66', '81', '82'] },
  { code: 'PDL', name: 'Pays de la Loire', departments: ['44', '49', '53', '72', '85'] },
  { code: 'PAC', name: "Provence-Alpes-Côte d'Azur", departments: ['04', '05', '06', '13', '83', '84'] },
  { code: 'GUA', name: 'Guadeloupe', departments: ['971'] },
  { code: 'MTQ', name: 'Martinique', departments: ['972'] },
  { code: 'GUY', name: 'Guyane', departments: ['973'] },
  { code: 'REU', name: 'La Réunion', departments: ['974'] },
  { code: 'MAY', name: 'Mayotte', departments: ['976'] },
] as const;

export type ArsRegion = (typeof arsRegions)[number];
export type ArsCode = ArsRegion['code'];

export const arsCodes: readonly ArsCode[] = arsRegions.map((region) => region.code);

const regionByCode: ReadonlyMap<string, ArsRegion> = new Map(arsRegions.map((region) => [region.code, region]));

const arsByDepartment: ReadonlyMap<string, ArsCode> = new Map(
  arsRegions.flatMap((region) => region.departments.map((department) => [department, region.code] as const)),
);

export function isArsCode(x: string): x is ArsCode {
  return regionByCode.has(x);
}

/** Départements as FINESS writes them: '01', '2A', '971'. */
export function arsOfDepartment(department: string): ArsCode | undefined {
  return arsByDepartment.get(department);
}

export function arsName(code: ArsCode): string {
  const region = regionByCode.get(code);
  if (!region) throw new RangeError(`Unknown ARS code: ${code}`);
  return region.name;
}
