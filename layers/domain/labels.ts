// The French words people read for the programme's codes (API enum values are never shown raw).
import type { ApplicationStatus } from './application';
import type { Phase } from './campaign';
import type { ConventionStatus } from './convention';
import type { SecondInstalmentStatus } from './funding';
import type { Criterion } from './selection';

/** As a title or a badge; `statusLabel` in application.ts is the form used inside a sentence. */
export const applicationStatusTitles: Record<ApplicationStatus, string> = {
  brouillon: 'Brouillon',
  deposee: 'Déposé',
  en_instruction: "En cours d'instruction",
  retenue: 'Retenu',
  non_retenue: 'Non retenu',
  sans_suite: 'Classé sans suite',
};

export const phaseTitles: Record<Phase, string> = {
  a_venir: 'À venir',
  candidatures: 'Candidatures ouvertes',
  selection: 'Sélection en cours',
  conventionnement: 'Signature des conventions',
  experimentation: 'Expérimentation en cours',
  cloturee: 'Clôturée',
};

export const conventionStatusTitles: Record<ConventionStatus, string> = {
  a_signer: 'À signer',
  signee: 'Signée',
  caduque: 'Caduque',
};

export const secondInstalmentTitles: Record<SecondInstalmentStatus, string> = {
  en_attente: 'En attente de la fin des remontées',
  acquis: 'Acquis',
  non_acquis: 'Non acquis',
};

export const pathwayTitles = {
  personnes_agees: 'Personnes âgées',
  personnes_handicapees: 'Personnes en situation de handicap',
  cancer: 'Cancer',
  mere_enfant: 'Mère-enfant',
  autre: 'Autre',
} as const;

export const readinessTitles = {
  en_production: 'En production',
  en_cours: 'En cours de déploiement',
  non: 'Pas encore',
} as const;

/** The three services whose readiness the form asks about. */
export const readinessServices = {
  dmp: 'Dossier médical partagé (DMP)',
  mss: 'Messagerie sécurisée de santé (MSSanté)',
  ins: 'Identité nationale de santé (INS)',
} as const;

export const sectorTitles = { PA: 'Personnes âgées', PH: 'Personnes en situation de handicap' } as const;
export const modeTitles = { etablissement: 'En établissement', domicile: 'À domicile' } as const;

/** Money as people read it: "20 000 €" (no-break spaces, so that an amount never wraps). */
export const formatEuros = (amount: number): string => `${amount.toLocaleString('fr-FR').replace(/\u202f/g, '\u00a0')}\u00a0€`;

/** Counts the same way: "1 250". */
export const formatCount = (count: number): string => count.toLocaleString('fr-FR').replace(/\u202f/g, '\u00a0');

/** The lines of an application's history (`action` of HistoryEntry), as the applicant reads them. */
export const historyActionTitles: Readonly<Record<string, string>> = {
  creation: 'Brouillon créé',
  modification: 'Candidature modifiée',
  depot: 'Candidature déposée',
  retrait: 'Candidature retirée',
  collaborateur_invite: 'Collaborateur invité',
  collaborateur_retire: 'Collaborateur retiré',
  transfert: 'Dossier transféré à un autre compte',
  cloture_candidatures: 'Clôture des candidatures : instruction par l’ARS',
  evaluation: 'Évaluation par l’ARS',
  decision: 'Décision de l’ARS',
  notification: 'Décision notifiée',
  fin_selection: 'Fin de la sélection sans décision',
  signature_esms: 'Convention signée par l’établissement',
  signature_ars: 'Convention signée par l’ARS',
};

/** The selection criteria of the call (selection.ts), as the review grid names them. */
export const criterionTitles: Record<Criterion, { readonly title: string; readonly hint: string }> = {
  maturite_dui: { title: 'Maturité du DUI', hint: 'Référencement Ségur, capacité à alimenter Mon espace santé, DMP, MSSanté et INS en service.' },
  parcours: { title: 'Parcours d’usage', hint: 'Les parcours retenus et les échanges prévus entre usagers et professionnels.' },
  sensibilisation: { title: 'Sensibilisation', hint: 'Les moyens d’information et de formation des usagers, des aidants et des équipes.' },
  partenariats: { title: 'Partenariats', hint: 'Les professionnels et structures avec qui les échanges sont prévus.' },
  capacite: { title: 'Capacité à conduire le projet', hint: 'La taille de la structure, son équipe et son organisation pour l’expérimentation.' },
};

/** The decisions of the selection, as the ARS reads them. */
export const decisionTitles = { retenue: 'Retenu', non_retenue: 'Non retenu' } as const;
