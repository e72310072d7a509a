import { formatDeadline, formatParisDateTime, parseInstant } from './calendar';
import { experimentationText, milestoneInstants, type Campaign } from './campaign';
import type { Convention } from './convention';
import type { Application } from './application';
import { formatFiness } from './finess';
import { arsName, type ArsCode } from './regions';

/**
 * Every email the platform sends, in French, with Paris times. Kept together so the programme's wording
 * reads the same everywhere.
 */
export interface EmailMessage {
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
}

const SIGNATURE = [
  '',
  "L'équipe de l'expérimentation Mon espace santé en établissements et services médico-sociaux",
  'Ceci est un message automatique : merci de ne pas y répondre.',
].join('\n');

const greeting = (name: string | undefined): string => (name ? `Bonjour ${name},` : 'Bonjour,');

export function acknowledgementEmail(application: Application, campaign: Campaign): EmailMessage {
  const submittedAt = parseInstant(application.submittedAt ?? application.updatedAt)!;
  return {
    to: application.contact?.email ? [application.contact.email] : [],
    subject: `Votre dossier n° ${application.id} a bien été déposé`,
    text: [
      greeting(application.contact?.name),
      '',
      `Votre dossier n° ${application.id} a bien été déposé le ${formatParisDateTime(submittedAt)} (heure de Paris), dans le cadre de l'appel à projets « ${campaign.title} ».`,
      '',
      `Établissement ou service : ${application.name ?? ''}`,
      `Numéro FINESS : ${formatFiness(application.finess)}`,
      `ARS chargée de l'instruction : ${arsName(application.ars)}`,
      '',
      `Vous pouvez encore modifier votre dossier jusqu'à la clôture des candidatures, le ${formatDeadline(milestoneInstants(campaign).intakeClosesAt)}.`,
      `L'ARS ${arsName(application.ars)} instruira ensuite les candidatures de sa région ; sa décision vous sera communiquée par courriel.`,
      SIGNATURE,
    ].join('\n'),
  };
}

const euros = (amount: number): string => `${new Intl.NumberFormat('fr-FR').format(amount)} €`.replace(/\u202f/g, ' ');

export function decisionEmail(application: Application, campaign: Campaign): EmailMessage {
  const retained = application.decision?.decision === 'retenue';
  const due = milestoneInstants(campaign).conventionsDueAt;
  const lines = retained
    ? [
        `Nous avons le plaisir de vous informer que la candidature de ${application.name ?? 'votre structure'} (dossier n° ${application.id}, FINESS ${formatFiness(application.finess)}) a été retenue par l'ARS ${arsName(application.ars)} pour l'expérimentation Mon espace santé en ESMS.`,
        '',
        `Motivation de la décision : ${application.decision?.motivation ?? ''}`,
        '',
        `Une convention de financement d'un montant de ${euros(campaign.fundingPerPilotEur)} est à signer par votre structure et par l'ARS au plus tard le ${formatDeadline(due)}. La première moitié du financement est versée à la signature ; la seconde dépend de l'atteinte des objectifs d'usage à la fin de l'expérimentation (${experimentationText(campaign)}).`,
      ]
    : [
        `Nous sommes au regret de vous informer que la candidature de ${application.name ?? 'votre structure'} (dossier n° ${application.id}, FINESS ${formatFiness(application.finess)}) n'a pas été retenue par l'ARS ${arsName(application.ars)} pour l'expérimentation Mon espace santé en ESMS.`,
        '',
        `Motivation de la décision : ${application.decision?.motivation ?? ''}`,
        '',
        "Nous vous remercions de l'intérêt que vous avez porté à cet appel à projets.",
      ];
  return {
    to: application.contact?.email ? [application.contact.email] : [],
    subject: retained ? `Dossier n° ${application.id} : votre candidature est retenue` : `Dossier n° ${application.id} : décision sur votre candidature`,
    text: [greeting(application.contact?.name), '', ...lines, SIGNATURE].join('\n'),
  };
}

export function conventionSignedEmail(convention: Convention, to: readonly string[]): EmailMessage {
  return {
    to,
    subject: `Convention ${convention.id} signée — ${convention.name}`,
    text: [
      'Bonjour,',
      '',
      `La convention de financement ${convention.id} entre ${convention.name} (FINESS ${formatFiness(convention.finess)}) et l'ARS ${arsName(convention.ars)} est signée par les deux parties le ${formatParisDateTime(parseInstant(convention.signedAt ?? convention.updatedAt)!)} (heure de Paris).`,
      '',
      `Montant : ${euros(convention.amountEur)}. Première tranche versée à la signature : ${euros(convention.firstInstalmentEur)}.`,
      "La seconde tranche dépendra de l'atteinte des objectifs d'usage, mesurés par les remontées mensuelles pendant l'expérimentation.",
      SIGNATURE,
    ].join('\n'),
  };
}

export function reviewAwaitingEmail(campaign: Campaign, ars: ArsCode, to: string, count: number): EmailMessage {
  return {
    to: [to],
    subject: `${count} candidature${count > 1 ? 's' : ''} à instruire — ${arsName(ars)}`,
    text: [
      'Bonjour,',
      '',
      `Les candidatures à l'appel à projets « ${campaign.title} » sont closes depuis le ${formatDeadline(milestoneInstants(campaign).intakeClosesAt)}.`,
      `${count} candidature${count > 1 ? 's' : ''} de votre région ${count > 1 ? 'sont' : 'est'} en attente d'instruction par l'ARS ${arsName(ars)}.`,
      '',
      `Les décisions sont à prendre au plus tard le ${formatDeadline(milestoneInstants(campaign).selectionEndsAt)}. Les dossiers sans décision à cette date seront classés sans suite.`,
      SIGNATURE,
    ].join('\n'),
  };
}
