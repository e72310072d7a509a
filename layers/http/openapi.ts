import type * as z from 'zod/mini';
import type { ErrorCode } from '../domain/errors';
import { buildDocument, type DocumentOptions, type OpenApiDocument } from './openapi/document';
import { querySchemas, type RequestSchemaName, type ResponseSchemaName } from './openapi/schemas';

/** What a route answers on success: a named JSON schema, or another media type described in words. */
export interface SuccessDoc {
  /** 204: no body; 303: a redirection, its Location the URL to follow. */
  readonly status: 200 | 201 | 204 | 303;
  readonly description: string;
  readonly schema?: ResponseSchemaName;
  /** For non-JSON answers (CSV, iCalendar, HTML, the Swagger UI files). */
  readonly media?: readonly string[];
  /** A second success status the same operation may answer (e.g. 201 on the first report, 200 after). */
  readonly alsoStatus?: { readonly status: 200 | 201; readonly description: string };
  readonly etag?: boolean;
  readonly location?: boolean;
}

/**
 * The document of one route; method, path, summary, access and tag (fn) come from the route table.
 * `errors` lists the codes specific to the route: the ones every route of its kind may answer (401/403 for
 * protected routes, 400/413/415 with a body, 404 with path parameters, 412 with If-Match, 429, 500) are added
 * by the builder.
 */
export interface OperationDoc {
  readonly operationId: string;
  /** Who may call, beyond the roles of the route table, and what the operation does. */
  readonly description: string;
  readonly body?: RequestSchemaName;
  readonly query?: z.ZodMiniObject;
  readonly paginated?: boolean;
  readonly ifMatch?: boolean;
  readonly idempotencyKey?: boolean;
  readonly success: SuccessDoc;
  readonly errors: readonly ErrorCode[];
}

const json = (status: 200 | 201, schema: ResponseSchemaName, description: string, more: Partial<SuccessDoc> = {}): SuccessDoc => ({ status, schema, description, ...more });
const csv = (what: string): SuccessDoc => ({ status: 200, media: ['text/csv'], description: `${what}: \`;\`-separated, UTF-8 with BOM, one header row.` });
const xlsx = (what: string): SuccessDoc => ({
  status: 200,
  media: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  description: `${what}: one worksheet with the rows and columns of the CSV, the header row frozen; typed cells (numbers, booleans, text, dates). Excel has no time zones: dates and times are Paris wall-clock times (the header of each date column carries a note saying so).`,
});
const exportCounts =
  ' With `publishable=true`, each count of things reported (usage values, target totals) from 1 to 4 is written "NS"; identifiers, amounts, targets, versions, scores and capacities are not counts and are unchanged.';
const ownerArsNational = 'The owner, the ARS of its region and national staff; anyone else gets 404 (existence is not revealed).';

/**
 * One entry per route of layers/http/routes.ts, keyed by routeKey. test/unit/openapi.test.ts fails when a
 * route has no entry here or an entry names no route, so a new route cannot ship undocumented.
 */
export const operationDocs: Readonly<Record<string, OperationDoc>> = {
  'GET /v1/campaigns': {
    operationId: 'listCampaigns',
    description: 'Every campaign with its `phase`, computed from now.',
    paginated: true,
    success: json(200, 'CampaignPage', 'A page of campaigns.'),
    errors: ['validation_failed'],
  },
  'POST /v1/campaigns': {
    operationId: 'createCampaign',
    description: 'National staff create a call for projects with its calendar. Creating an existing id answers 409 `campaign_exists` (a retry is safe).',
    body: 'CampaignCreate',
    success: json(201, 'Campaign', 'Created.', { etag: true, location: true }),
    errors: ['campaign_exists'],
  },
  'GET /v1/campaigns/{campaignId}': {
    operationId: 'getCampaign',
    description: 'The campaign with its `phase`, computed from now.',
    success: json(200, 'Campaign', 'The campaign.', { etag: true }),
    errors: [],
  },
  'PATCH /v1/campaigns/{campaignId}': {
    operationId: 'updateCampaign',
    description: 'National staff move milestones not yet passed (schedules follow), change quotas before the end of the selection, targets and funding before the experimentation starts.',
    body: 'CampaignPatch',
    ifMatch: true,
    success: json(200, 'Campaign', 'Updated.', { etag: true }),
    errors: ['milestone_passed'],
  },
  'GET /v1/campaigns/{campaignId}/calendar.ics': {
    operationId: 'getCampaignCalendar',
    description: 'The milestones as an iCalendar file (RFC 5545), for any calendar application.',
    success: { status: 200, media: ['text/calendar'], description: 'The calendar.' },
    errors: [],
  },

  'POST /v1/campaigns/{campaignId}/applications': {
    operationId: 'createApplication',
    description:
      'An applicant creates a draft while the intake is open; only `finess` is required and it is checked at once. A regional deployment refuses a FINESS of another region (422 `wrong_region`, the detail names the right ARS).',
    body: 'ApplicationCreate',
    idempotencyKey: true,
    success: json(201, 'Application', 'The draft.', { etag: true, location: true }),
    errors: ['finess_invalid', 'intake_not_open', 'intake_closed', 'duplicate_finess', 'too_many_drafts', 'wrong_region'],
  },
  'GET /v1/campaigns/{campaignId}/applications': {
    operationId: 'listApplications',
    description: 'ARS reviewers list their own region (`ars` forced), national staff any region. Staff see reviews and decisions not yet notified.',
    query: querySchemas.applications,
    paginated: true,
    success: json(200, 'ApplicationPage', 'A page of applications.'),
    errors: ['validation_failed'],
  },
  'GET /v1/applications/{id}': {
    operationId: 'getApplication',
    description: `${ownerArsNational} Staff also see \`review\`, and a decision as soon as it is taken; the applicant sees a decision once notified.`,
    success: json(200, 'Application', 'The application.', { etag: true }),
    errors: [],
  },
  'PUT /v1/applications/{id}': {
    operationId: 'replaceApplication',
    description: 'The owner replaces every editable field (absent ones are cleared) while `brouillon` or `deposee` and the intake is open; a submitted application must stay eligible.',
    body: 'ApplicationEdit',
    ifMatch: true,
    success: json(200, 'Application', 'Replaced.', { etag: true }),
    errors: ['intake_not_open', 'intake_closed', 'invalid_transition', 'ineligible'],
  },
  'POST /v1/applications/{id}/submit': {
    operationId: 'submitApplication',
    description: 'The owner submits a draft while the intake is open (`brouillon → deposee`) and receives the acknowledgement email. 422 `ineligible` lists one `errors` entry per unmet rule. Submitting a `deposee` application again is a no-op 200.',
    ifMatch: true,
    success: json(200, 'Application', 'Submitted.', { etag: true }),
    errors: ['intake_not_open', 'intake_closed', 'invalid_transition', 'ineligible', 'duplicate_finess'],
  },
  'POST /v1/applications/{id}/withdraw': {
    operationId: 'withdrawApplication',
    description: 'The owner withdraws (to `sans_suite`) before any decision is notified.',
    ifMatch: true,
    success: json(200, 'Application', 'Withdrawn.', { etag: true }),
    errors: ['invalid_transition'],
  },
  'GET /v1/me/applications': {
    operationId: 'listMyApplications',
    description:
      "The caller's applications, as owner or collaborator (access by the token's verified email), across campaigns, newest first: each with its campaign's title and phase, its status as the applicant may know it, the notified decision, the convention and its status once it exists, and `pilot`.",
    paginated: true,
    success: json(200, 'MyApplicationPage', 'A page of the caller\'s applications.'),
    errors: ['validation_failed'],
  },
  'POST /v1/applications/{id}/collaborators': {
    operationId: 'inviteCollaborator',
    description:
      'The owner invites a collaborator by email (at most 10: 409 `too_many_collaborators`). Whoever signs in with that address verified may then do all the owner does but manage collaborators. The platform writes to that address only once its holder has signed in. Inviting someone already invited changes nothing (200).',
    body: 'CollaboratorInput',
    ifMatch: true,
    success: json(201, 'Application', 'Invited.', { etag: true, alsoStatus: { status: 200, description: 'Already a collaborator.' } }),
    errors: ['too_many_collaborators'],
  },
  'DELETE /v1/applications/{id}/collaborators/{email}': {
    operationId: 'removeCollaborator',
    description: 'The owner removes a collaborator, who loses access at once.',
    ifMatch: true,
    success: json(200, 'Application', 'Removed.', { etag: true }),
    errors: [],
  },
  'POST /v1/applications/{id}/transfer': {
    operationId: 'transferApplication',
    description:
      "The ARS of the region (or national staff) gives the application, with its convention and pilot, to whoever signs in with that verified email, with a motivation; the previous owner and collaborators lose access at once and are told by email, as is the new address. This is how an ARS resolves a FINESS submitted by the wrong account.",
    body: 'TransferInput',
    ifMatch: true,
    success: json(200, 'Application', 'Transferred.', { etag: true }),
    errors: [],
  },
  'GET /v1/applications/{id}/history': {
    operationId: 'getApplicationHistory',
    description: `${ownerArsNational} Every transition and decision, oldest first, append-only; the applicant sees no review and, of the decisions, only the one notified to them. One page (\`nextCursor\` is null).`,
    success: json(200, 'HistoryPage', 'The history.'),
    errors: [],
  },

  'PUT /v1/applications/{id}/review': {
    operationId: 'reviewApplication',
    description: 'The ARS of the region (or national staff) scores an application `en_instruction` (or decided but not yet notified, to revise a score) before `selectionEndsAt`. Never shown to the applicant.',
    body: 'ReviewInput',
    ifMatch: true,
    success: json(200, 'Application', 'The application with its review.', { etag: true }),
    errors: ['selection_closed', 'invalid_transition'],
  },
  'POST /v1/applications/{id}/decision': {
    operationId: 'decideApplication',
    description:
      'The ARS of the region (or national staff) retains or not, with a motivation, while `en_instruction` (or decided but not yet notified) and before `selectionEndsAt`. The regional quota holds under concurrent decisions.',
    body: 'DecisionInput',
    ifMatch: true,
    success: json(200, 'Application', 'The decided application.', { etag: true }),
    errors: ['selection_closed', 'invalid_transition', 'quota_reached'],
  },
  'POST /v1/campaigns/{campaignId}/regions/{ars}/notify': {
    operationId: 'notifyRegion',
    description:
      "The region's ARS (or national staff) sends each decided, not yet notified applicant its decision email and creates a convention for each retained one. Idempotent: a second call notifies nobody twice.",
    success: json(200, 'NotifyResult', 'How many were notified and how many conventions were created.'),
    errors: ['convention_due_passed'],
  },

  'GET /v1/conventions/{id}': {
    operationId: 'getConvention',
    description: 'The ESMS owner, the ARS of its region and national staff; anyone else gets 404.',
    success: json(200, 'Convention', 'The convention.', { etag: true }),
    errors: [],
  },
  'GET /v1/campaigns/{campaignId}/conventions': {
    operationId: 'listConventions',
    description: 'ARS reviewers list their own region, national staff any region.',
    query: querySchemas.conventions,
    paginated: true,
    success: json(200, 'ConventionPage', 'A page of conventions.'),
    errors: ['validation_failed'],
  },
  'POST /v1/conventions/{id}/signatures': {
    operationId: 'signConvention',
    description:
      "`esms` is signed by the application's owner, `ars` by that region's ARS. With both signatures the convention is `signee`, the ESMS becomes a pilot and both parties get an email.",
    body: 'SignatureInput',
    ifMatch: true,
    success: json(200, 'Convention', 'Signed.', { etag: true }),
    errors: ['convention_due_passed', 'already_signed'],
  },

  'GET /v1/applications/{id}/receipt.pdf': {
    operationId: 'getApplicationReceipt',
    description: `The receipt (récépissé de dépôt) of a submitted application: file number, establishment and FINESS, campaign, deposit instant in Paris time, the ARS in charge and what happens next. The same file gives the same bytes. ${ownerArsNational} 409 \`invalid_transition\` while the application is a draft.`,
    success: { status: 200, media: ['application/pdf'], description: 'The receipt, a PDF (fonts embedded), as an attachment.' },
    errors: ['invalid_transition'],
  },
  'GET /v1/conventions/{id}/document.pdf': {
    operationId: 'getConventionDocument',
    description: 'The convention as a PDF: the parties, FINESS, campaign, amount and its two instalments, the due date and, once signed, each signature with its signer and instant in Paris time. Both parties (the ESMS holders and the ARS of its region) and national staff; anyone else gets 404.',
    success: { status: 200, media: ['application/pdf'], description: 'The convention, a PDF (fonts embedded), as an attachment.' },
    errors: [],
  },

  'GET /v1/campaigns/{campaignId}/exports/applications.csv': {
    operationId: 'exportApplications',
    description: `ARS (own region) and national staff: one row per application, reviews and decisions included; the FINESS as its 9 characters.${exportCounts}`,
    query: querySchemas.published,
    success: csv('Applications'),
    errors: ['validation_failed'],
  },
  'GET /v1/campaigns/{campaignId}/exports/usage.csv': {
    operationId: 'exportUsage',
    description: `ARS (own region) and national staff: one row per pilot, month and indicator.${exportCounts}`,
    query: querySchemas.published,
    success: csv('Usage figures'),
    errors: ['validation_failed'],
  },
  'GET /v1/campaigns/{campaignId}/exports/funding.csv': {
    operationId: 'exportFunding',
    description: `ARS (own region) and national staff: one row per pilot with its instalments.${exportCounts}`,
    query: querySchemas.published,
    success: csv('Funding'),
    errors: ['validation_failed'],
  },
  'GET /v1/campaigns/{campaignId}/exports/applications.xlsx': {
    operationId: 'exportApplicationsXlsx',
    description: `The applications export as XLSX: same rows and columns as \`applications.csv\`.${exportCounts}`,
    query: querySchemas.published,
    success: xlsx('Applications'),
    errors: ['validation_failed'],
  },
  'GET /v1/campaigns/{campaignId}/exports/usage.xlsx': {
    operationId: 'exportUsageXlsx',
    description: `The usage export as XLSX: same rows and columns as \`usage.csv\`.${exportCounts}`,
    query: querySchemas.published,
    success: xlsx('Usage figures'),
    errors: ['validation_failed'],
  },
  'GET /v1/campaigns/{campaignId}/exports/funding.xlsx': {
    operationId: 'exportFundingXlsx',
    description: `The funding export as XLSX: same rows and columns as \`funding.csv\`.${exportCounts}`,
    query: querySchemas.published,
    success: xlsx('Funding'),
    errors: ['validation_failed'],
  },

  'GET /v1/campaigns/{campaignId}/pilots': {
    operationId: 'listPilots',
    description: 'ARS reviewers list their own region, national staff any region. A pilot is a retained application whose convention is signed.',
    query: querySchemas.region,
    paginated: true,
    success: json(200, 'PilotPage', 'A page of pilots.'),
    errors: ['validation_failed'],
  },
  'PUT /v1/campaigns/{campaignId}/pilots/{finess}/usage/{month}': {
    operationId: 'putUsage',
    description:
      "The pilot's owner or a machine client registered for the pilot replaces that month's figures (the replaced ones stay in `corrections`); the same figures again change nothing. Staff of the region get 403; anyone else gets 404, the same as for a FINESS that is not a pilot of the campaign.",
    body: 'UsageInput',
    ifMatch: true,
    success: json(201, 'UsageMonth', "The month's first figures.", { etag: true, location: true, alsoStatus: { status: 200, description: 'Figures replaced (or unchanged).' } }),
    errors: ['finess_invalid', 'period_outside_experimentation', 'reporting_closed'],
  },
  'POST /v1/usage-reports': {
    operationId: 'reportUsageBatch',
    description:
      'DUI software (client credentials, scope `usage/write`) reports up to 500 months of one campaign (`campaignId`) at once; each report is accepted or refused on its own and a refused one writes nothing. The answer is 200 whatever the outcome of each report.',
    body: 'UsageBatch',
    idempotencyKey: true,
    success: json(200, 'UsageBatchResult', 'One result per report.'),
    errors: [],
  },
  'POST /v1/campaigns/{campaignId}/pilots/{finess}/reporting-clients': {
    operationId: 'registerReportingClient',
    description: "The region's ARS (or national staff) authorises a DUI vendor's machine client (`client_id`) to report for the pilot. Only the clients of the deployment's DUI vendors can be registered: any other `clientId` answers 400 `validation_failed`.",
    body: 'ReportingClientInput',
    idempotencyKey: true,
    success: json(201, 'Pilot', 'Registered.', { alsoStatus: { status: 200, description: 'Already registered.' } }),
    errors: ['finess_invalid'],
  },
  'GET /v1/campaigns/{campaignId}/pilots/{finess}/usage': {
    operationId: 'getPilotUsage',
    description: 'The owner, its registered machine clients, the ARS of its region and national staff: months with their corrections, totals, progress against the targets and the funding.',
    success: json(200, 'PilotUsage', "The pilot's usage and funding."),
    errors: ['finess_invalid'],
  },
  'GET /v1/campaigns/{campaignId}/dashboard': {
    operationId: 'getDashboard',
    description:
      'Key figures: applications by status, retained, conventions signed, pilots reporting, totals per indicator; per region for national staff. With `publishable=true` every count from 1 to 4 (files, pilots, indicator totals, in each month and region, and in `summary`) is "NS" (statistical secrecy); 0 stays 0. Only each count is hidden: no secondary suppression, so a hidden count may be deduced from a total and the others shown.',
    query: querySchemas.published,
    success: json(200, 'Dashboard', 'The key figures.'),
    errors: ['validation_failed'],
  },

  'POST /v1/applications/{id}/attachments': {
    operationId: 'createAttachment',
    description:
      'The holders of the file (owner, collaborators) while it may be edited (draft or submitted, intake open; else 409 `invalid_transition` or `intake_closed`): PDF, JPEG or PNG, at most 10 MB, at most 10 per application (409 `too_many_attachments`). The answer holds a presigned POST valid 15 minutes, bound to that key, type and exact size: send `fields` then the file as `file` in a `multipart/form-data` POST to `upload.url`. Each file is then scanned for malware; it can be downloaded only once `sain`.',
    body: 'AttachmentCreate',
    success: json(201, 'AttachmentUpload', 'Created, waiting for its upload.', { location: true }),
    errors: ['validation_failed', 'invalid_transition', 'intake_closed', 'intake_not_open', 'too_many_attachments'],
  },
  'GET /v1/applications/{id}/attachments': {
    operationId: 'listAttachments',
    description: `${ownerArsNational} Each with its status: \`en_attente\` (not uploaded yet), \`en_analyse\` (uploaded, malware scan running), \`sain\` (clean, downloadable), \`infecte\` (malware found: refused, never downloadable).`,
    success: json(200, 'AttachmentList', 'The attachments, oldest first.'),
    errors: [],
  },
  'GET /v1/applications/{id}/attachments/{attachmentId}': {
    operationId: 'downloadAttachment',
    description: `${ownerArsNational} Only a \`sain\` file: anything else answers 409 \`attachment_not_clean\`.`,
    success: { status: 303, description: 'See Other: `Location` is a download URL valid 5 minutes.' },
    errors: ['attachment_not_clean'],
  },
  'DELETE /v1/applications/{id}/attachments/{attachmentId}': {
    operationId: 'deleteAttachment',
    description: 'The holders of the file while it may be edited (as for adding one).',
    success: { status: 204, description: 'Removed (the file too).' },
    errors: ['invalid_transition', 'intake_closed', 'intake_not_open'],
  },

  'GET /v1/openapi.json': {
    operationId: 'getOpenApiDocument',
    description: 'This document (OpenAPI 3.1), generated from the route table and the schemas the handlers validate with.',
    success: { status: 200, media: ['application/json'], description: 'The OpenAPI document.' },
    errors: [],
  },
  'GET /docs': {
    operationId: 'getDocsPage',
    description: 'A readable page of this document (Swagger UI, served by this API: no third-party site).',
    success: { status: 200, media: ['text/html'], description: 'The page.' },
    errors: [],
  },
  'GET /docs/{asset}': {
    operationId: 'getDocsAsset',
    description: 'The two Swagger UI files the page loads.',
    success: { status: 200, media: ['text/css', 'text/javascript'], description: 'The file.' },
    errors: [],
  },
};

/** The OpenAPI 3.1 document of the route table. */
export const openApiDocument = (options: DocumentOptions = {}): OpenApiDocument => buildDocument(operationDocs, options);
export type { DocumentOptions, OpenApiDocument };
