import { formatDeadline, formatParisDateTime, parseInstant } from './calendar';
import { milestoneInstants, type Campaign } from './campaign';
import type { Application } from './application';
import { formatFiness } from './finess';
import { arsName } from './regions';

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
