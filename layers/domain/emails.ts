import { applicantRecipients } from './access';
import { formatDeadline, formatParisDate, formatParisDateTime, parseInstant } from './calendar';
import type { FundingOutcome } from './funding';
import { indicatorLabel } from './indicators';
import type { Pilot } from './pilot';
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
  /** Documents drawn when the email is sent (the ledger keeps the reference, not the bytes: DynamoDB items stop at 400 KB). */
  readonly attachments?: readonly EmailAttachmentRef[];
}

/** A document to attach, named by what it is drawn from. */
export type EmailAttachmentRef = { readonly kind: 'receipt'; readonly applicationId: string };

export const SERVICE_NAME = 'Mon espace santé en établissements et services médico-sociaux';

const SIGNATURE = [
  '',
  "L'équipe de l'expérimentation Mon espace santé en établissements et services médico-sociaux",
  'Ceci est un message automatique : merci de ne pas y répondre.',
].join('\n');

const greeting = (name: string | undefined): string => (name ? `Bonjour ${name},` : 'Bonjour,');

export function acknowledgementEmail(application: Application, campaign: Campaign): EmailMessage {
  const submittedAt = parseInstant(application.submittedAt ?? application.updatedAt)!;
  return {
    to: applicantRecipients(application),
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
      '',
      'Votre récépissé de dépôt est joint à ce message (PDF) ; il reste téléchargeable depuis votre dossier.',
      SIGNATURE,
    ].join('\n'),
    attachments: [{ kind: 'receipt', applicationId: application.id }],
  };
}

export const euros = (amount: number): string => `${new Intl.NumberFormat('fr-FR').format(amount)} €`.replace(/\u202f/g, ' ');

/** "du dossier « EHPAD Les Tilleuls » (n° MES-…, FINESS …)": the name quoted, never "de EHPAD" (no elision to get wrong). */
const candidacyOf = (application: Application): string =>
  application.name ? `du dossier « ${application.name} » (n° ${application.id}, FINESS ${formatFiness(application.finess)})` : `de votre structure (dossier n° ${application.id}, FINESS ${formatFiness(application.finess)})`;

export function decisionEmail(application: Application, campaign: Campaign): EmailMessage {
  const retained = application.decision?.decision === 'retenue';
  const due = milestoneInstants(campaign).conventionsDueAt;
  const motivation = application.decision?.motivation ?? '';
  const lines = retained
    ? [
        `Nous avons le plaisir de vous informer que la candidature ${candidacyOf(application)} a été retenue par l'ARS ${arsName(application.ars)} pour l'expérimentation Mon espace santé en ESMS.`,
        '',
        `Motivation de la décision : ${motivation}`,
        '',
        `Une convention de financement d'un montant de ${euros(campaign.fundingPerPilotEur)} est à signer par votre structure et par l'ARS au plus tard le ${formatDeadline(due)}. La première moitié du financement est versée à la signature ; la seconde dépend de l'atteinte des objectifs d'usage à la fin de l'expérimentation (${experimentationText(campaign)}).`,
      ]
    : [
        `Nous sommes au regret de vous informer que la candidature ${candidacyOf(application)} n'a pas été retenue par l'ARS ${arsName(application.ars)} pour l'expérimentation Mon espace santé en ESMS.`,
        '',
        `Motivation de la décision : ${motivation}`,
        '',
        "Nous vous remercions de l'intérêt que vous avez porté à cet appel à projets.",
      ];
  return {
    to: applicantRecipients(application),
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
      `La convention de financement ${convention.id} entre ${convention.name} (FINESS ${formatFiness(convention.finess)}) et l'ARS ${arsName(convention.ars)} a été signée par les deux parties le ${formatParisDateTime(parseInstant(convention.signedAt ?? convention.updatedAt)!)} (heure de Paris).`,
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

export function draftReminderEmail(application: Application, campaign: Campaign, to: string): EmailMessage {
  return {
    to: [to],
    subject: `Votre dossier n° ${application.id} n'est pas encore déposé`,
    text: [
      greeting(application.contact?.name),
      '',
      `Votre dossier n° ${application.id}${application.name ? ` (${application.name})` : ''} est toujours en brouillon.`,
      `Les candidatures à l'appel à projets « ${campaign.title} » ferment le ${formatDeadline(milestoneInstants(campaign).intakeClosesAt)}.`,
      "Pensez à compléter et déposer votre dossier avant cette date : un brouillon n'est pas examiné par l'ARS.",
      SIGNATURE,
    ].join('\n'),
  };
}

export function selectionReminderEmail(campaign: Campaign, ars: ArsCode, to: string, undecided: number): EmailMessage {
  const end = milestoneInstants(campaign).selectionEndsAt;
  return {
    to: [to],
    // Stryker disable next-line Regex: formatDeadline ends with its one " (heure de Paris)", so the $ anchor changes nothing
    subject: `${undecided} candidature${undecided > 1 ? 's' : ''} sans décision — fin de la sélection le ${formatDeadline(end).replace(/ \(heure de Paris\)$/, '')}`,
    text: [
      'Bonjour,',
      '',
      `${undecided} candidature${undecided > 1 ? 's' : ''} de la région ${arsName(ars)} ${undecided > 1 ? 'attendent' : 'attend'} encore une décision de l'ARS.`,
      `La sélection se termine le ${formatDeadline(end)}. Les dossiers sans décision à cette date seront classés sans suite.`,
      SIGNATURE,
    ].join('\n'),
  };
}

export const NO_DECISION_MOTIVATION = "Aucune décision n'a été prise avant la date limite de sélection.";

export function noDecisionEmail(application: Application, campaign: Campaign): EmailMessage {
  return {
    to: applicantRecipients(application),
    subject: `Dossier n° ${application.id} : classé sans suite`,
    text: [
      greeting(application.contact?.name),
      '',
      `La sélection des pilotes de l'appel à projets « ${campaign.title} » s'est terminée le ${formatDeadline(milestoneInstants(campaign).selectionEndsAt)}.`,
      `Aucune décision n'ayant été prise sur votre dossier n° ${application.id} avant cette date, il est classé sans suite.`,
      "Pour toute question, vous pouvez contacter l'ARS de votre région.",
      SIGNATURE,
    ].join('\n'),
  };
}

export function conventionReminderEmail(convention: Convention, party: 'esms' | 'ars', to: readonly string[]): EmailMessage {
  const due = parseInstant(convention.dueAt)!;
  const who = party === 'esms' ? 'votre structure' : `l'ARS ${arsName(convention.ars)}`;
  return {
    to,
    // Stryker disable next-line Regex: formatDeadline ends with its one " (heure de Paris)", so the $ anchor changes nothing
    subject: `Convention ${convention.id} à signer avant le ${formatDeadline(due).replace(/ \(heure de Paris\)$/, '')}`,
    text: [
      'Bonjour,',
      '',
      `La convention de financement ${convention.id} de ${convention.name} (FINESS ${formatFiness(convention.finess)}) attend la signature de ${who}.`,
      `Elle doit être signée par les deux parties au plus tard le ${formatDeadline(due)} ; faute de quoi elle deviendra caduque.`,
      SIGNATURE,
    ].join('\n'),
  };
}

export function conventionLapsedEmail(convention: Convention, to: readonly string[]): EmailMessage {
  return {
    to,
    subject: `Convention ${convention.id} caduque — ${convention.name}`,
    text: [
      'Bonjour,',
      '',
      `La convention de financement ${convention.id} de ${convention.name} (FINESS ${formatFiness(convention.finess)}) n'a pas été signée par les deux parties avant le ${formatDeadline(parseInstant(convention.dueAt)!)}.`,
      "Elle est désormais caduque : la structure ne participera pas à l'expérimentation au titre de cette convention.",
      SIGNATURE,
    ].join('\n'),
  };
}

export function experimentationStartEmail(pilot: Pilot, campaign: Campaign, to: readonly string[]): EmailMessage {
  const targets = Object.entries(campaign.targets).map(([code, target]) => `- ${indicatorLabel(code)} : ${target} au total`);
  return {
    to,
    subject: `Expérimentation Mon espace santé : comment remonter vos indicateurs`,
    text: [
      'Bonjour,',
      '',
      `L'expérimentation Mon espace santé en ESMS a commencé pour ${pilot.name} (FINESS ${formatFiness(pilot.finess)}), ${experimentationText(campaign)}.`,
      '',
      "Chaque mois, avant le 5 du mois suivant, remontez les indicateurs d'usage du mois écoulé : des nombres agrégés, jamais de données nominatives.",
      '- soit vous-même, depuis votre espace (PUT /v1/pilots/{finess}/usage/{mois}) ;',
      "- soit par votre logiciel de dossier usager (DUI), une fois son client enregistré par l'ARS (POST /v1/usage-reports).",
      '',
      ...(targets.length > 0 ? ["Objectifs d'usage conditionnant la seconde moitié du financement :", ...targets, ''] : []),
      `Les remontées restent ouvertes jusqu'au ${formatDeadline(milestoneInstants(campaign).reportingClosesAt)}.`,
      SIGNATURE,
    ].join('\n'),
  };
}

export function reportingReminderEmail(pilot: Pilot, campaign: Campaign, month: string, to: readonly string[]): EmailMessage {
  // Stryker disable next-line Regex: "1er " can only open the date of a first of the month, so the ^ anchor changes nothing
  const monthName = formatParisDate(`${month}-01`).replace(/^1er /, '');
  return {
    to,
    subject: `Indicateurs de ${monthName} non reçus — ${pilot.name}`,
    text: [
      'Bonjour,',
      '',
      `Nous n'avons pas reçu les indicateurs d'usage de ${monthName} pour ${pilot.name} (FINESS ${formatFiness(pilot.finess)}).`,
      "Merci de les remonter dès que possible, vous-même ou par votre logiciel DUI : ils conditionnent la seconde moitié du financement.",
      `Les remontées restent ouvertes jusqu'au ${formatDeadline(milestoneInstants(campaign).reportingClosesAt)}.`,
      SIGNATURE,
    ].join('\n'),
  };
}

export function fundingOutcomeEmail(pilot: Pilot, outcome: FundingOutcome, to: readonly string[]): EmailMessage {
  const acquired = outcome.secondInstalmentStatus === 'acquis';
  return {
    to,
    subject: acquired ? `Seconde tranche de financement acquise — ${pilot.name}` : `Résultat du financement à l'usage — ${pilot.name}`,
    text: [
      'Bonjour,',
      '',
      `Les remontées d'usage de l'expérimentation sont closes. Pour ${pilot.name} (FINESS ${formatFiness(pilot.finess)}) :`,
      ...outcome.progress.map((target) => `- ${target.label} : ${target.total} pour un objectif de ${target.target} (${target.met ? 'atteint' : 'non atteint'})`),
      '',
      acquired
        ? `Tous les objectifs sont atteints : la seconde tranche de ${euros(outcome.secondInstalmentEur)} est acquise.`
        : `Les objectifs ne sont pas tous atteints : la seconde tranche de ${euros(outcome.secondInstalmentEur)} n'est pas acquise. La première tranche de ${euros(outcome.firstInstalmentEur)} reste acquise.`,
      SIGNATURE,
    ].join('\n'),
  };
}

export function regionFundingSummaryEmail(campaign: Campaign, ars: ArsCode, to: string, rows: readonly { pilot: Pilot; outcome: FundingOutcome }[]): EmailMessage {
  const acquired = rows.filter((row) => row.outcome.secondInstalmentStatus === 'acquis').length;
  return {
    to: [to],
    subject: `Financement à l'usage : seconde tranche acquise pour ${acquired} pilote${acquired > 1 ? 's' : ''} sur ${rows.length} — ${arsName(ars)}`,
    text: [
      'Bonjour,',
      '',
      `Les remontées de l'expérimentation « ${campaign.title} » sont closes. Résultat du financement à l'usage pour la région ${arsName(ars)} :`,
      ...rows.map((row) => `- ${row.pilot.name} (FINESS ${formatFiness(row.pilot.finess)}) : seconde tranche ${row.outcome.secondInstalmentStatus === 'acquis' ? 'acquise' : 'non acquise'} (${euros(row.outcome.secondInstalmentEur)})`),
      '',
      "Le détail par pilote est dans l'export funding.csv de la campagne.",
      SIGNATURE,
    ].join('\n'),
  };
}

/** A transfer by the ARS: the previous holders lose the file, the new address receives it. */
export function transferredAwayEmail(application: Application, campaign: Campaign, to: readonly string[]): EmailMessage {
  return {
    to,
    subject: `Dossier n° ${application.id} : confié à un autre compte`,
    text: [
      'Bonjour,',
      '',
      `L'ARS ${arsName(application.ars)} a confié le dossier n° ${application.id} (FINESS ${formatFiness(application.finess)}), de l'appel à projets « ${campaign.title} », à un autre compte.`,
      "Vous n'y avez plus accès. Si vous pensez qu'il s'agit d'une erreur, contactez l'ARS de votre région.",
      SIGNATURE,
    ].join('\n'),
  };
}

export function transferredToEmail(application: Application, campaign: Campaign, to: string): EmailMessage {
  return {
    to: [to],
    subject: `Dossier n° ${application.id} : il vous est confié`,
    text: [
      'Bonjour,',
      '',
      `L'ARS ${arsName(application.ars)} vous a confié le dossier n° ${application.id} (FINESS ${formatFiness(application.finess)}), de l'appel à projets « ${campaign.title} ».`,
      `Connectez-vous à la plateforme avec l'adresse ${to} pour le retrouver dans « Mes dossiers ».`,
      SIGNATURE,
    ].join('\n'),
  };
}

const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** French typography in HTML: a no-break space inside « » and before : ; ! ? (the text keeps plain spaces). */
const frenchSpacing = (html: string): string => html.replace(/« /g, '«\u00a0').replace(/ ([:;!?»])/g, '\u00a0$1');

function htmlParagraph(paragraph: string): string {
  const lines = paragraph.split('\n');
  const items = lines.filter((line) => line.startsWith('- '));
  const body = lines.filter((line) => !line.startsWith('- '));
  const list = items.length > 0 ? `<ul style="margin:0 0 16px;padding-left:24px">${items.map((line) => `<li>${frenchSpacing(escapeHtml(line.slice(2)))}</li>`).join('')}</ul>` : '';
  const text = body.length > 0 ? `<p style="margin:0 0 ${items.length > 0 ? 8 : 16}px">${body.map((line) => frenchSpacing(escapeHtml(line))).join('<br>')}</p>` : '';
  return text + list;
}

/**
 * The HTML part of an email, drawn from its text (one source for both parts): the State's block and the service
 * name as a header, paragraphs and lists, the signature as a footer. No image, no remote resource, inline styles
 * only (mail clients drop style sheets).
 */
export function emailHtml(message: Pick<EmailMessage, 'subject' | 'text'>): string {
  const signed = message.text.endsWith(SIGNATURE) ? message.text.slice(0, -SIGNATURE.length) : message.text;
  const footer = SIGNATURE.split('\n').filter((line) => line !== '');
  const paragraphs = signed.split(/\n{2,}/).map((paragraph) => paragraph.trim()).filter((paragraph) => paragraph !== '');
  return [
    '<!DOCTYPE html>',
    `<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(message.subject)}</title></head>`,
    '<body style="margin:0;padding:0;background:#f6f6f6;font-family:Marianne,Arial,Helvetica,sans-serif;color:#161616;font-size:16px;line-height:1.5">',
    '<div style="max-width:640px;margin:0 auto;background:#ffffff">',
    '<div style="padding:16px 24px;border-bottom:1px solid #dddddd">',
    '<p style="margin:0;font-weight:700;font-size:14px;line-height:1.2;text-transform:uppercase">République<br>française</p>',
    `<p style="margin:8px 0 0;font-weight:700;font-size:16px;color:#000091">${escapeHtml(SERVICE_NAME)}</p>`,
    '</div>',
    `<div style="padding:24px">`,
    ...paragraphs.map(htmlParagraph),
    '</div>',
    `<div style="padding:16px 24px;border-top:3px solid #000091;font-size:14px;color:#3a3a3a">${footer.map((line) => `<p style="margin:0 0 4px">${frenchSpacing(escapeHtml(line))}</p>`).join('')}</div>`,
    '</div>',
    '</body></html>',
  ].join('\n');
}
