import { applicationStatuses } from '../../layers/domain/application';
import {
  applicationStatusTitles,
  conventionStatusTitles,
  criterionTitles,
  decisionTitles,
  formatCount,
  formatEuros,
  historyActionTitles,
  modeTitles,
  pathwayTitles,
  phaseTitles,
  readinessServices,
  readinessTitles,
  secondInstalmentTitles,
  sectorTitles,
} from '../../layers/domain/labels';
import { criteria } from '../../layers/domain/selection';

// The French words people read for each code the API speaks: every value of every table, exactly.

const NBSP = '\u00a0';

describe('the labels of the codes', () => {
  it.each([
    ['brouillon', 'Brouillon'],
    ['deposee', 'Déposé'],
    ['en_instruction', "En cours d'instruction"],
    ['retenue', 'Retenu'],
    ['non_retenue', 'Non retenu'],
    ['sans_suite', 'Classé sans suite'],
  ])('titles the application status %s "%s"', (status, title) => {
    expect(applicationStatusTitles[status as keyof typeof applicationStatusTitles]).toBe(title);
  });

  it('titles every application status, and no other', () => {
    expect(Object.keys(applicationStatusTitles).sort()).toEqual([...applicationStatuses].sort());
  });

  it('titles the phases of a campaign', () => {
    expect(phaseTitles).toEqual({
      a_venir: 'À venir',
      candidatures: 'Candidatures ouvertes',
      selection: 'Sélection en cours',
      conventionnement: 'Signature des conventions',
      experimentation: 'Expérimentation en cours',
      cloturee: 'Clôturée',
    });
  });

  it('titles the convention statuses and the second instalment statuses', () => {
    expect(conventionStatusTitles).toEqual({ a_signer: 'À signer', signee: 'Signée', caduque: 'Caduque' });
    expect(secondInstalmentTitles).toEqual({ en_attente: 'En attente de la fin des remontées', acquis: 'Acquis', non_acquis: 'Non acquis' });
  });

  it('titles what the application form asks: pathways, readiness and its services, sector, mode', () => {
    expect(pathwayTitles).toEqual({
      personnes_agees: 'Personnes âgées',
      personnes_handicapees: 'Personnes en situation de handicap',
      cancer: 'Cancer',
      mere_enfant: 'Mère-enfant',
      autre: 'Autre',
    });
    expect(readinessTitles).toEqual({ en_production: 'En production', en_cours: 'En cours de déploiement', non: 'Pas encore' });
    expect(readinessServices).toEqual({
      dmp: 'Dossier médical partagé (DMP)',
      mss: 'Messagerie sécurisée de santé (MSSanté)',
      ins: 'Identité nationale de santé (INS)',
    });
    expect(sectorTitles).toEqual({ PA: 'Personnes âgées', PH: 'Personnes en situation de handicap' });
    expect(modeTitles).toEqual({ etablissement: 'En établissement', domicile: 'À domicile' });
  });

  it('titles each line of an application history, and has no title for an unknown action', () => {
    expect(historyActionTitles).toEqual({
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
    });
    expect(historyActionTitles.inconnue).toBeUndefined();
  });

  it('titles and explains every selection criterion of the review grid', () => {
    expect(Object.keys(criterionTitles)).toEqual([...criteria]);
    expect(criterionTitles).toEqual({
      maturite_dui: { title: 'Maturité du DUI', hint: 'Référencement Ségur, capacité à alimenter Mon espace santé, DMP, MSSanté et INS en service.' },
      parcours: { title: 'Parcours d’usage', hint: 'Les parcours retenus et les échanges prévus entre usagers et professionnels.' },
      sensibilisation: { title: 'Sensibilisation', hint: 'Les moyens d’information et de formation des usagers, des aidants et des équipes.' },
      partenariats: { title: 'Partenariats', hint: 'Les professionnels et structures avec qui les échanges sont prévus.' },
      capacite: { title: 'Capacité à conduire le projet', hint: 'La taille de la structure, son équipe et son organisation pour l’expérimentation.' },
    });
  });

  it('titles the two decisions of the selection', () => {
    expect(decisionTitles).toEqual({ retenue: 'Retenu', non_retenue: 'Non retenu' });
  });
});

describe('money and counts as people read them', () => {
  it.each([
    [0, `0${NBSP}€`],
    [950, `950${NBSP}€`],
    [20000, `20${NBSP}000${NBSP}€`],
    [1234567.5, `1${NBSP}234${NBSP}567,5${NBSP}€`],
  ])('writes %p euros with no-break spaces only, so that the amount never wraps', (amount, text) => {
    expect(formatEuros(amount)).toBe(text);
  });

  it.each([
    [0, '0'],
    [999, '999'],
    [1250, `1${NBSP}250`],
    [2500000, `2${NBSP}500${NBSP}000`],
  ])('writes the count %p with no-break spaces between groups of three digits', (count, text) => {
    expect(formatCount(count)).toBe(text);
  });
});
