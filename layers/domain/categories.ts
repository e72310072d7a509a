// The FINESS category codes of the ESMS that may apply, with their sector and mode of care.

export type Sector = 'PA' | 'PH';
export type Mode = 'etablissement' | 'domicile';

export interface EsmsCategory {
  /** FINESS category code, e.g. '500'. */
  code: string;
  /** French label shown to users. */
  label: string;
  sector: Sector;
  mode: Mode;
}

// Mode follows where care happens: CAMSP and CMPP receive children in their premises
// ('etablissement'); SESSAD, SAMSAH and SAVS work in the person's own living places ('domicile').
export const esmsCategories = [
  { code: '500', label: 'Établissement d’hébergement pour personnes âgées dépendantes (EHPAD)', sector: 'PA', mode: 'etablissement' },
  { code: '501', label: 'Établissement d’hébergement pour personnes âgées (EHPA) percevant des crédits d’assurance maladie', sector: 'PA', mode: 'etablissement' },
  { code: '502', label: 'Établissement d’hébergement pour personnes âgées (EHPA) ne percevant pas de crédits d’assurance maladie', sector: 'PA', mode: 'etablissement' },
  { code: '202', label: 'Résidence autonomie', sector: 'PA', mode: 'etablissement' },
  { code: '207', label: 'Centre de jour pour personnes âgées', sector: 'PA', mode: 'etablissement' },
  { code: '381', label: 'Établissement expérimental pour personnes âgées', sector: 'PA', mode: 'etablissement' },

  { code: '255', label: 'Maison d’accueil spécialisée (MAS)', sector: 'PH', mode: 'etablissement' },
  { code: '437', label: 'Foyer d’accueil médicalisé (FAM)', sector: 'PH', mode: 'etablissement' },
  { code: '448', label: 'Établissement d’accueil médicalisé pour personnes handicapées (EAM)', sector: 'PH', mode: 'etablissement' },
  { code: '449', label: 'Établissement d’accueil non médicalisé pour personnes handicapées (EANM)', sector: 'PH', mode: 'etablissement' },
  { code: '382', label: 'Foyer de vie pour adultes handicapés', sector: 'PH', mode: 'etablissement' },
  { code: '252', label: 'Foyer d’hébergement pour adultes handicapés', sector: 'PH', mode: 'etablissement' },
  { code: '246', label: 'Établissement et service d’aide par le travail (ESAT)', sector: 'PH', mode: 'etablissement' },
  { code: '183', label: 'Institut médico-éducatif (IME)', sector: 'PH', mode: 'etablissement' },
  { code: '186', label: 'Institut thérapeutique, éducatif et pédagogique (ITEP)', sector: 'PH', mode: 'etablissement' },
  { code: '188', label: 'Établissement pour enfants ou adolescents polyhandicapés (EEAP)', sector: 'PH', mode: 'etablissement' },
  { code: '192', label: 'Institut d’éducation motrice (IEM)', sector: 'PH', mode: 'etablissement' },
  { code: '194', label: 'Institut pour déficients visuels', sector: 'PH', mode: 'etablissement' },
  { code: '195', label: 'Institut pour déficients auditifs', sector: 'PH', mode: 'etablissement' },
  { code: '196', label: 'Institut d’éducation sensorielle pour enfants sourds-aveugles', sector: 'PH', mode: 'etablissement' },
  { code: '390', label: 'Établissement d’accueil temporaire d’enfants handicapés', sector: 'PH', mode: 'etablissement' },
  { code: '395', label: 'Établissement d’accueil temporaire d’adultes handicapés', sector: 'PH', mode: 'etablissement' },
  { code: '377', label: 'Établissement expérimental pour l’enfance handicapée', sector: 'PH', mode: 'etablissement' },
  { code: '379', label: 'Établissement expérimental pour adultes handicapés', sector: 'PH', mode: 'etablissement' },

  { code: '190', label: 'Centre d’action médico-sociale précoce (CAMSP)', sector: 'PH', mode: 'etablissement' },
  { code: '189', label: 'Centre médico-psycho-pédagogique (CMPP)', sector: 'PH', mode: 'etablissement' },
  { code: '182', label: 'Service d’éducation spéciale et de soins à domicile (SESSAD)', sector: 'PH', mode: 'domicile' },
  { code: '445', label: 'Service d’accompagnement médico-social pour adultes handicapés (SAMSAH)', sector: 'PH', mode: 'domicile' },
  { code: '446', label: 'Service d’accompagnement à la vie sociale (SAVS)', sector: 'PH', mode: 'domicile' },

  { code: '354', label: 'Service de soins infirmiers à domicile (SSIAD)', sector: 'PA', mode: 'domicile' },
  { code: '460', label: 'Service autonomie à domicile – aide (SAA, ex-SAAD)', sector: 'PA', mode: 'domicile' },
  { code: '209', label: 'Service autonomie à domicile – aide et soins (SAAS, ex-SPASAD)', sector: 'PA', mode: 'domicile' },
  // SAADF help families through a parent's illness or disability or a child's handicap: nearest to PH.
  { code: '640', label: 'Service d’aide et d’accompagnement à domicile aux familles (SAADF)', sector: 'PH', mode: 'domicile' },
] as const satisfies readonly EsmsCategory[];

export type EsmsCategoryCode = (typeof esmsCategories)[number]['code'];

export const esmsCategoryCodes: readonly EsmsCategoryCode[] = esmsCategories.map((category) => category.code);

const categoryByCode: ReadonlyMap<string, EsmsCategory> = new Map(
  esmsCategories.map((category) => [category.code, category]),
);

export function isEsmsCategoryCode(code: string): code is EsmsCategoryCode {
  return categoryByCode.has(code);
}

export function categoryOf(code: string): EsmsCategory | undefined {
  return categoryByCode.get(code);
}
