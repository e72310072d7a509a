import { dynamoPorts } from '../../layers/adapters/ports';
import { authorize } from '../../layers/domain/access';
import { DomainError, notFound } from '../../layers/domain/errors';
import { campaignOf } from '../../layers/domain/use-cases/context';
import { conventionFileName, renderConvention } from '../../layers/documents/convention-template';
import { PDF_CONTENT_TYPE } from '../../layers/documents/pdf';
import { depositedAt, receiptFileName, renderReceipt } from '../../layers/documents/receipt';
import { httpHandler } from '../../layers/http/handler';
import { binary } from '../../layers/http/request';

const APPLICATION = 'Le dossier demandé';
const CONVENTION = 'La convention demandée';

/** Read-only: the documents are drawn from the stored file each time (the same file gives the same bytes). */
export const handler = httpHandler('documents', {
  'GET /v1/applications/{id}/receipt.pdf': async (request) => {
    const application = await dynamoPorts.applications.get(request.params.id ?? '');
    if (!application) throw notFound(APPLICATION);
    // Visibility first, so that a stranger learns nothing, then the right to download.
    authorize(request.principal, application, 'read', APPLICATION);
    authorize(request.principal, application, 'download', APPLICATION);
    if (!depositedAt(application)) throw new DomainError('invalid_transition', "Le dossier n'est pas encore déposé : son récépissé sera disponible une fois le dossier déposé.");
    const campaign = await campaignOf(dynamoPorts.campaigns, application.campaignId);
    return binary(await renderReceipt(application, campaign), PDF_CONTENT_TYPE, receiptFileName(application));
  },

  'GET /v1/conventions/{id}/document.pdf': async (request) => {
    const convention = await dynamoPorts.conventions.get(request.params.id ?? '');
    if (!convention) throw notFound(CONVENTION);
    const application = await dynamoPorts.applications.get(convention.applicationId);
    const holding = { ...(application ?? {}), ars: convention.ars };
    authorize(request.principal, holding, 'read', CONVENTION);
    authorize(request.principal, holding, 'download', CONVENTION);
    const campaign = await campaignOf(dynamoPorts.campaigns, convention.campaignId);
    return binary(await renderConvention(convention, campaign), PDF_CONTENT_TYPE, conventionFileName(convention));
  },
});
