import type { Application } from '../domain/application';
import { formatDeadline, formatParisDateTime, parseInstant } from '../domain/calendar';
import { milestoneInstants, type Campaign } from '../domain/campaign';
import { formatFiness } from '../domain/finess';
import { arsName } from '../domain/regions';
import { renderPdf, type DocumentContent } from './pdf';

/** The deposit instant of a submitted file; undefined for a draft, which has no receipt. */
export const depositedAt = (application: Application): Date | undefined => (application.submittedAt ? parseInstant(application.submittedAt) : undefined);

export const receiptFileName = (application: Pick<Application, 'id'>): string => `recepisse-${application.id}.pdf`;

/** The récépissé de dépôt: what was deposited, when (Paris time), with whom, and what happens next. */
export function receiptContent(application: Application, campaign: Campaign): DocumentContent {
  const at = depositedAt(application);
  if (!at) throw new RangeError(`Application ${application.id} is not submitted: it has no receipt`);
  const { intakeClosesAt, selectionEndsAt } = milestoneInstants(campaign);
  const ars = arsName(application.ars);
  return {
    title: 'Récépissé de dépôt',
    subject: `Dossier n° ${application.id}`,
    datedAt: at,
    blocks: [
      { kind: 'paragraph', text: `Le présent récépissé atteste le dépôt du dossier de candidature ci-dessous dans le cadre de l'appel à projets « ${campaign.title} ».` },
      { kind: 'field', label: 'Numéro de dossier', value: application.id },
      { kind: 'field', label: 'Établissement ou service', value: application.name ?? '' },
      { kind: 'field', label: 'Numéro FINESS', value: formatFiness(application.finess) },
      { kind: 'field', label: 'Appel à projets', value: `${campaign.title} (${campaign.id})` },
      { kind: 'field', label: 'Déposé le', value: `${formatParisDateTime(at)} (heure de Paris)` },
      { kind: 'field', label: "ARS chargée de l'instruction", value: `ARS ${ars}` },
      { kind: 'heading', text: 'La suite' },
      { kind: 'item', text: `Le dossier reste modifiable jusqu'à la clôture des candidatures, le ${formatDeadline(intakeClosesAt)}.` },
      { kind: 'item', text: `L'ARS ${ars} instruit ensuite les candidatures de sa région et prend sa décision au plus tard le ${formatDeadline(selectionEndsAt)}.` },
      { kind: 'item', text: 'La décision est communiquée par courriel ; si le dossier est retenu, une convention de financement est à signer par les deux parties.' },
      { kind: 'paragraph', text: "Ce récépissé ne préjuge pas de la recevabilité ni de la décision sur le dossier. Conservez-le : le numéro de dossier est à rappeler dans tout échange avec l'ARS." },
    ],
  };
}

export const renderReceipt = (application: Application, campaign: Campaign): Promise<Uint8Array> => renderPdf(receiptContent(application, campaign));
