/**
 * The default usage indicator set (DOMAIN.md, project decision): monthly aggregate counts per pilot,
 * never patient-level data. A campaign may choose a subset or add codes of the same shape.
 */
export interface IndicatorDefinition {
  readonly code: string;
  readonly label: string;
}

/** Documents sent to the DMP / Mon espace santé, by XDS type code (LOINC, or TRE_A05 for the last three). */
const dmpDocumentTypes: readonly (readonly [string, string])[] = [
  ['80788-3', "Projet personnalisé d'accompagnement"],
  ['74207-2', "Document de liaison d'urgence (DLU)"],
  ['88348-8', "Lettre de liaison d'entrée en structure sociale ou médico-sociale"],
  ['83981-1', 'Lettre de liaison à la sortie d\'une structure sociale ou médico-sociale'],
  ['34842-5', "Grille d'évaluation médico-sociale"],
  ['28653-4', 'Document du secteur social / médico-social'],
  ['18776-5', 'Plan personnalisé de soins'],
  ['96163-1', 'Bilan de soins infirmiers'],
  ['BIL_AUTO', "Bilan perte d'autonomie"],
  ['EXPPAT_3', 'Directives anticipées'],
  ['AUTORIS-SOINS', 'Autorisation de soins'],
];

export const defaultIndicators: readonly IndicatorDefinition[] = [
  ...dmpDocumentTypes.map(([type, label]) => ({ code: `docs_dmp.${type}`, label: `Documents envoyés au DMP : ${label}` })),
  { code: 'mss.usagers', label: 'Messages MSSanté échangés avec les usagers' },
  { code: 'mss.professionnels', label: 'Messages MSSanté échangés entre professionnels' },
  { code: 'bal.nominatives', label: 'Boîtes aux lettres MSSanté nominatives en service' },
  { code: 'bal.organisationnelles', label: 'Boîtes aux lettres MSSanté organisationnelles en service' },
  { code: 'mes.activations_accompagnees', label: 'Profils Mon espace santé activés avec l\'aide de la structure' },
  { code: 'mes.profils_completes', label: 'Profils médicaux complétés avec aide' },
  { code: 'mes.delegations', label: "Délégations d'accès mises en place pour les aidants" },
  { code: 'ins.qualifiees', label: 'Identités INS qualifiées dans le DUI' },
];

export const defaultIndicatorCodes: readonly string[] = defaultIndicators.map((indicator) => indicator.code);

/** `docs_dmp.<type>`, `mss.usagers`…: lower-case family, a dot, then a code. */
export const INDICATOR_CODE_PATTERN = /^[a-z_]{2,30}\.[A-Za-z0-9_-]{1,40}$/;

export const indicatorLabel = (code: string): string =>
  defaultIndicators.find((indicator) => indicator.code === code)?.label ?? code;
