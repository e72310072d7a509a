import * as z from 'zod/mini';
import { applicationCreateSchema, applicationEditSchema, applicationStatuses, collaboratorSchema, editableFields, transferSchema } from '../../domain/application';
import { campaignCreateSchema, campaignIdSchema, campaignPatchSchema, campaignViewSchema, phases } from '../../domain/campaign';
import { conventionStatuses, signatureSchema } from '../../domain/convention';
import { attachmentContentTypes, attachmentCreateSchema, attachmentStatuses } from '../../domain/attachment';
import { errorCodes } from '../../domain/errors';
import { secondInstalmentStatuses } from '../../domain/funding';
import { arsCodes } from '../../domain/regions';
import { decisionSchema, reviewSchema } from '../../domain/selection';
import { MAX_REPORTS_PER_BATCH, reportingClientSchema, usageBatchSchema, usagePutSchema, usageReportSchema } from '../../domain/usage';

/**
 * The schemas of the OpenAPI document. Request bodies are the very zod schemas the handlers parse with;
 * responses have no zod schema in the domain (the views are plain functions), so they are written here from
 * the view functions' output and checked against real responses by test/integration/authz-matrix.test.ts.
 */

/** Classic zod's `.meta()`: a copy of the schema carrying the metadata (zod/mini has no such method). */
export const meta = <T extends z.ZodMiniType>(schema: T, data: z.core.GlobalMeta): T => {
  const copy = z.clone(schema);
  z.globalRegistry.add(copy, data);
  return copy;
};

const instant = (description?: string) =>
  meta(z.string(), { format: 'date-time', examples: ['2023-11-01T00:00:00+01:00'], ...(description ? { description } : {}) });
const isoDate = () => meta(z.string(), { format: 'date', examples: ['2024-02-15'] });
const isoMonth = () => meta(z.string(), { pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$', examples: ['2024-03'] });
const count = () => z.int().check(z.gte(0));
const arsCode = () => z.enum(arsCodes as [string, ...string[]]);
const figures = () => meta(z.record(z.string(), z.int()), { description: 'Figures per indicator code.', examples: [{ 'mss.usagers': 42 }] });

// ---- responses ---------------------------------------------------------------------------------------

const campaign = z.strictObject({
  ...z.extend(campaignViewSchema, {
    intakeOpensAt: instant('Intake opens (inclusive).'),
    intakeClosesAt: instant('Intake closes (exclusive).'),
    selectionEndsAt: instant('Selection ends (exclusive).'),
    conventionsDueAt: instant('Conventions must be signed before this instant.'),
    experimentationStart: isoDate(),
    experimentationEnd: isoDate(),
    phase: meta(z.enum(phases), { description: 'Computed from now.' }),
    reportingClosesAt: instant('experimentationEnd + reportingGraceDays: no usage report is accepted from this instant on.'),
    createdAt: instant(),
    updatedAt: instant(),
  }).shape,
});

const decision = meta(
  z.strictObject({
    decision: z.enum(['retenue', 'non_retenue']),
    motivation: z.string(),
    decidedAt: z.optional(instant()),
    decidedBy: z.optional(z.string()),
    notifiedAt: z.optional(instant()),
  }),
  { description: 'Staff see it once taken (with decidedAt/decidedBy); the applicant only once notified.' },
);

const review = meta(z.strictObject({ scores: reviewSchema.shape.scores, comment: z.string(), average: z.number(), reviewedAt: instant(), reviewedBy: z.string() }), {
  description: 'The ARS assessment: staff only, never shown to the applicant.',
});

const application = z.strictObject({
  id: meta(z.string(), { examples: ['MES-7K3M9Q2X'] }),
  campaignId: z.string(),
  finess: meta(z.string(), { examples: ['330781360'] }),
  ...editableFields,
  sector: z.optional(z.enum(['PA', 'PH'])),
  mode: z.optional(z.enum(['etablissement', 'domicile'])),
  department: z.string(),
  ars: arsCode(),
  status: z.enum(applicationStatuses),
  version: z.int().check(z.gte(1)),
  createdAt: instant(),
  updatedAt: instant(),
  submittedAt: z.optional(instant()),
  decision: z.optional(decision),
  conventionId: meta(z.optional(z.string()), { description: 'Once a retained decision is notified: the convention of this application.', examples: ['CNV-7K3M9Q2X'] }),
  collaborators: meta(
    z.optional(z.array(z.strictObject({ email: meta(z.string(), { format: 'email' }), invitedAt: instant(), joinedAt: z.optional(instant('First request made with this address verified.')) }))),
    { description: 'People the owner invited (at most 10); they may do all the owner does but manage collaborators.' },
  ),
  review: z.optional(review),
});

const myApplication = meta(
  z.extend(z.omit(application, { review: true }), {
    campaign: z.optional(z.strictObject({ id: z.string(), title: z.string(), phase: z.enum(phases) })),
    convention: z.optional(z.strictObject({ id: z.string(), status: z.enum(conventionStatuses), dueAt: instant() })),
    pilot: meta(z.boolean(), { description: 'True once the convention is signed by both parties.' }),
  }),
  { description: 'One of the caller\'s applications, as the applicant sees it, with its campaign and convention.' },
);

const historyEntry = z.strictObject({
  at: instant(),
  actor: meta(z.string(), { examples: ['ars-NAQ:3f1c…', 'candidat:9a7e…', 'systeme'] }),
  action: meta(z.string(), { examples: ['creation', 'depot', 'decision', 'notification', 'signature_esms'] }),
  from: z.nullable(z.enum(applicationStatuses)),
  to: z.enum(applicationStatuses),
  motivation: z.optional(z.string()),
});

const signature = z.strictObject({ at: instant(), by: z.string() });
const convention = z.strictObject({
  id: meta(z.string(), { examples: ['CNV-7K3M9Q2X'] }),
  applicationId: z.string(),
  campaignId: z.string(),
  finess: z.string(),
  name: z.string(),
  ars: arsCode(),
  amountEur: count(),
  firstInstalmentEur: count(),
  dueAt: instant(),
  status: z.enum(conventionStatuses),
  signatures: z.strictObject({ esms: z.optional(signature), ars: z.optional(signature) }),
  signedAt: z.optional(instant()),
  version: z.int().check(z.gte(1)),
  createdAt: instant(),
  updatedAt: instant(),
});

const notifyResult = z.strictObject({ notified: count(), conventionsCreated: count() });

const pilot = z.strictObject({
  finess: z.string(),
  campaignId: z.string(),
  name: z.string(),
  ars: arsCode(),
  applicationId: z.string(),
  conventionId: z.string(),
  amountEur: count(),
  firstInstalmentEur: count(),
  signedAt: instant(),
  reportingClients: meta(z.array(z.string()), { description: 'Machine clients (client_id) allowed to report for this pilot.' }),
});

const correction = z.strictObject({
  version: z.int().check(z.gte(2)),
  at: instant(),
  actor: z.string(),
  from: figures(),
  to: figures(),
  replacedReportedAt: instant(),
  replacedReportedBy: z.string(),
});
const monthFields = {
  month: isoMonth(),
  indicators: figures(),
  version: z.int().check(z.gte(1)),
  reportedAt: instant(),
  reportedBy: z.string(),
  corrections: meta(z.array(correction), { description: 'Every replacement of this month, oldest first (append-only).' }),
};
const usageMonth = z.strictObject({ finess: z.string(), campaignId: z.string(), ...monthFields });

const batchResult = z.discriminatedUnion('status', [
  z.strictObject({ index: count(), status: z.literal('acceptee'), finess: z.string(), month: isoMonth(), version: z.int().check(z.gte(1)), unchanged: z.boolean() }),
  z.strictObject({
    index: count(),
    status: z.literal('refusee'),
    code: z.enum(errorCodes),
    detail: z.string(),
    errors: z.optional(z.array(z.strictObject({ path: z.string(), message: z.string() }))),
  }),
]);
const usageBatchResult = z.strictObject({ accepted: count(), refused: count(), results: meta(z.array(batchResult), { description: 'One result per report, in the order sent.' }) });

const pilotUsage = z.strictObject({
  finess: z.string(),
  campaignId: z.string(),
  name: z.string(),
  ars: arsCode(),
  period: z.strictObject({ firstMonth: isoMonth(), lastMonth: isoMonth(), reportingClosesAt: instant(), reportingMonth: z.nullable(isoMonth()) }),
  indicators: z.array(z.strictObject({ code: z.string(), label: z.string(), kind: z.enum(['stock', 'flux']) })),
  months: z.array(z.strictObject(monthFields)),
  missingMonths: z.array(isoMonth()),
  totals: figures(),
  progress: z.array(z.strictObject({ indicator: z.string(), label: z.string(), target: count(), total: count(), met: z.boolean(), percent: count() })),
  funding: z.strictObject({
    amountEur: count(),
    firstInstalmentEur: count(),
    secondInstalmentEur: count(),
    secondInstalmentStatus: z.enum(secondInstalmentStatuses),
    targetsMet: z.boolean(),
    decidedAt: instant(),
  }),
});

// With `?publishable=true` a count of 1 to 4 is "NS" (layers/domain/statistical-secrecy.ts).
const shownCount = () => z.union([count(), z.literal('NS')]);
const shownFigures = () =>
  meta(z.record(z.string(), z.union([z.int(), z.literal('NS')])), { description: 'Figures per indicator code.', examples: [{ 'mss.usagers': 42, 'mes.delegations': 'NS' }] });
const keyFigures = {
  applications: z.strictObject({ total: shownCount(), byStatus: z.record(z.enum(applicationStatuses), shownCount()) }),
  retained: shownCount(),
  conventionsSigned: shownCount(),
  pilots: shownCount(),
  pilotsReporting: shownCount(),
  totals: shownFigures(),
  months: z.array(z.strictObject({ month: isoMonth(), pilotsReporting: shownCount(), totals: shownFigures() })),
  summary: meta(z.string(), { examples: ['19 structures pilotes, 89 boîtes aux lettres nominatives'] }),
};
const dashboard = z.strictObject({
  campaignId: z.string(),
  ars: z.nullable(arsCode()),
  generatedAt: instant(),
  reportingMonth: z.nullable(isoMonth()),
  ...keyFigures,
  regions: meta(z.optional(z.array(z.strictObject({ ars: arsCode(), name: z.string(), ...keyFigures }))), { description: 'National view only: one entry per region with activity.' }),
});

const problem = meta(
  z.strictObject({
    type: meta(z.string(), { format: 'uri-reference', examples: ['/problems/intake_closed'] }),
    title: z.string(),
    status: z.int().check(z.gte(400), z.lte(599)),
    code: z.enum(errorCodes),
    detail: meta(z.string(), { description: 'A French sentence meant for a person.' }),
    errors: meta(z.optional(z.array(z.strictObject({ path: z.string(), message: z.string() }))), { description: 'One entry per field problem.' }),
    correlationId: meta(z.optional(z.string()), { description: 'On 500 only: quote it to support.' }),
  }),
  { description: 'RFC 9457 problem details (application/problem+json).' },
);

const attachmentFields = {
  id: meta(z.string(), { examples: ['PJ-7K3M9Q2XAB'] }),
  name: z.string(),
  contentType: z.enum(attachmentContentTypes),
  size: meta(z.int().check(z.gte(1)), { description: 'Bytes.' }),
};
const attachment = z.strictObject({ ...attachmentFields, status: z.enum(attachmentStatuses), uploadedAt: z.optional(instant('When the file reached the bucket.')) });
const attachmentUpload = z.strictObject({
  ...attachmentFields,
  status: z.literal('en_attente'),
  upload: z.strictObject({
    url: meta(z.string(), { format: 'uri', description: 'Where to POST the form (multipart/form-data).' }),
    fields: meta(z.record(z.string(), z.string()), { description: 'Form fields to send, in any order, before the `file` field.' }),
  }),
});

const page = <T extends z.ZodMiniType>(item: T) =>
  z.strictObject({ items: z.array(item), nextCursor: meta(z.nullable(z.string()), { description: 'Pass it as `cursor` for the next page; null on the last one.' }) });

/** Named response schemas: components.schemas, converted as output (what the API returns). */
export const responseSchemas = {
  Campaign: campaign,
  CampaignPage: page(campaign),
  Application: application,
  ApplicationPage: page(application),
  MyApplicationPage: page(myApplication),
  HistoryPage: page(historyEntry),
  NotifyResult: notifyResult,
  Convention: convention,
  ConventionPage: page(convention),
  Pilot: pilot,
  PilotPage: page(pilot),
  UsageMonth: usageMonth,
  UsageBatchResult: usageBatchResult,
  PilotUsage: pilotUsage,
  Dashboard: dashboard,
  AttachmentUpload: attachmentUpload,
  AttachmentList: z.strictObject({ items: z.array(attachment) }),
  Problem: problem,
} as const;
export type ResponseSchemaName = keyof typeof responseSchemas;

// ---- requests ----------------------------------------------------------------------------------------

/**
 * Named request bodies: the handlers' own schemas, converted as input (defaults make fields optional).
 * The batch is parsed report by report (so one bad report refuses only itself): its document shows the
 * per-report schema the handler applies to each.
 */
export const requestSchemas = {
  CampaignCreate: campaignCreateSchema,
  CampaignPatch: campaignPatchSchema,
  ApplicationCreate: applicationCreateSchema,
  ApplicationEdit: applicationEditSchema,
  ReviewInput: reviewSchema,
  DecisionInput: decisionSchema,
  SignatureInput: signatureSchema,
  UsageInput: usagePutSchema,
  UsageBatch: z.extend(usageBatchSchema, { reports: z.array(usageReportSchema).check(z.minLength(1), z.maxLength(MAX_REPORTS_PER_BATCH)) }),
  ReportingClientInput: reportingClientSchema,
  CollaboratorInput: collaboratorSchema,
  TransferInput: transferSchema,
  AttachmentCreate: attachmentCreateSchema,
} as const;
export type RequestSchemaName = keyof typeof requestSchemas;

/**
 * Query strings. The handlers keep theirs private (functions/applications, conventions, usage, exports);
 * these mirror them field for field and should move next to the domain types so both import one schema.
 */
const region = meta(z.optional(arsCode()), { description: 'ARS code. An ARS reviewer may only name its own region (403 otherwise) and gets it when omitted; national staff get every region when omitted.' });
export const querySchemas = {
  region: z.object({ ars: region }),
  applications: z.object({
    ars: region,
    status: z.optional(z.enum(applicationStatuses)),
    category: meta(z.optional(z.string().check(z.regex(/^[0-9]{3}$/))), { description: 'FINESS category code.' }),
    q: meta(z.optional(z.string().check(z.minLength(1), z.maxLength(100))), { description: 'Matches the name (accents and case ignored) or the FINESS.' }),
    decision: z.optional(z.enum(['retenue', 'non_retenue'])),
    sort: meta(z.optional(z.enum(['score', 'date'])), { description: '`score` (best average first) needs `ars`.' }),
  }),
  conventions: z.object({ ars: region, status: z.optional(z.enum(conventionStatuses)) }),
  published: z.object({
    ars: region,
    publishable: meta(z.optional(z.enum(['true', 'false'])), {
      description:
        '`true`: figures meant to be published, under statistical secrecy: every count from 1 to 4 is written `"NS"` (non significatif); 0 and counts of 5 or more stay as they are. Default `false`. Any other value answers 400 `validation_failed`.',
    }),
  }),
  page: z.object({
    limit: meta(z._default(z.int().check(z.gte(1), z.lte(200)), 50), { description: 'Page size.' }),
    cursor: meta(z.optional(z.string().check(z.minLength(1), z.maxLength(2048))), { description: 'The `nextCursor` of the previous page (opaque).' }),
  }),
} as const;

/** Path parameters by name; `id` depends on the resource. */
export function pathParameterSchema(name: string, path: string): { schema: z.ZodMiniType; description: string } {
  switch (name) {
    case 'campaignId':
      return { schema: meta(campaignIdSchema, { examples: ['mes-esms-2023'] }), description: 'Campaign id.' };
    case 'id':
      return path.startsWith('/v1/conventions')
        ? { schema: meta(z.string(), { examples: ['CNV-7K3M9Q2X'] }), description: 'Convention id.' }
        : { schema: meta(z.string(), { examples: ['MES-7K3M9Q2X'] }), description: 'Application (dossier) number.' };
    case 'ars':
      return { schema: arsCode(), description: 'ARS code of the region.' };
    case 'finess':
      return { schema: meta(z.string().check(z.maxLength(20)), { examples: ['330781360'] }), description: "The pilot's FINESS number." };
    case 'month':
      return { schema: isoMonth(), description: 'Month of the experimentation, YYYY-MM.' };
    case 'email':
      return { schema: meta(z.string().check(z.maxLength(254)), { format: 'email', examples: ['adjoint@ehpad-tilleuls.fr'] }), description: "The collaborator's email address (URL-encoded)." };
    case 'attachmentId':
      return { schema: meta(z.string().check(z.maxLength(64)), { examples: ['PJ-7K3M9Q2XAB'] }), description: 'Attachment id.' };
    case 'asset':
      return { schema: z.enum(['swagger-ui.css', 'swagger-ui-bundle.js']), description: 'One of the two Swagger UI files.' };
    default:
      throw new Error(`OpenAPI: no schema for path parameter {${name}} of ${path}`);
  }
}

/**
 * What the zod schemas cannot say (refinements and transforms do not reach JSON Schema): formats and
 * descriptions of request fields, by property name, added where the generated schema has no such key.
 */
export const requestFieldDocs: Readonly<Record<string, Record<string, unknown>>> = {
  intakeOpensAt: { format: 'date-time', description: 'ISO 8601 instant with offset; stored and returned in Paris time.', examples: ['2023-09-01T00:00:00+02:00'] },
  intakeClosesAt: { format: 'date-time', description: 'Exclusive end of the intake.', examples: ['2023-11-01T00:00:00+01:00'] },
  selectionEndsAt: { format: 'date-time', description: 'Exclusive end of the selection.', examples: ['2023-12-16T00:00:00+01:00'] },
  conventionsDueAt: { format: 'date-time', description: 'Conventions must be signed before this instant.', examples: ['2024-02-15T00:00:00+01:00'] },
  experimentationStart: { format: 'date', examples: ['2024-02-15'] },
  experimentationEnd: { format: 'date', description: 'Inclusive.', examples: ['2024-10-15'] },
  finess: { description: 'FINESS number (9 characters, spaces allowed); its key is checked (400 finess_invalid).', examples: ['330781360'] },
  month: { pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$', examples: ['2024-03'] },
  motivation: { minLength: 1, description: 'Required, 1 to 2000 characters; sent to the applicant.' },
  clientId: { description: 'The `client_id` of the DUI software (Cognito app client with scope usage/write).' },
};
