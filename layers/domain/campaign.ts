import * as z from 'zod/mini';
import { addParisDays, formatDeadline, formatParisDate, isIsoDate, parisDate, parseInstant, startOfParisDay, toParisIso } from './calendar';
import { DomainError, type FieldError } from './errors';
import { deploymentArsMailbox } from './ars-mailbox';
import { defaultIndicatorCodes, INDICATOR_CODE_PATTERN } from './indicators';
import { arsCodes } from './regions';

export const phases = ['a_venir', 'candidatures', 'selection', 'conventionnement', 'experimentation', 'cloturee'] as const;
export type Phase = (typeof phases)[number];

/** An instant with an offset; stored and returned in Paris time (`2023-11-01T00:00:00+01:00`). */
const instantSchema = z.pipe(
  z.string().check(
    z.maxLength(40),
    z.refine((text) => parseInstant(text) !== undefined, { message: 'Instant ISO 8601 avec décalage attendu, par ex. 2023-11-01T00:00:00+01:00' }),
  ),
  z.transform((text: string) => toParisIso(parseInstant(text)!)),
);

const dateSchema = z.string().check(z.maxLength(10), z.refine(isIsoDate, { message: 'Date AAAA-MM-JJ attendue' }));

export const campaignIdSchema = z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{2,62}[a-z0-9]$/, 'Identifiant en minuscules, chiffres et tirets (4 à 64 caractères)'));

const titleSchema = z.string().check(z.trim(), z.minLength(3), z.maxLength(200));
const quotasSchema = z.partialRecord(z.enum(arsCodes as [string, ...string[]]), z.number().check(z.int(), z.gte(0), z.lte(10_000)));
const indicatorCodeSchema = z.string().check(z.regex(INDICATOR_CODE_PATTERN, 'Code indicateur invalide'));
const targetsSchema = z.record(indicatorCodeSchema, z.number().check(z.int(), z.gte(0), z.lte(100_000_000)));
/** Where each ARS receives the platform's emails (reminders, signed conventions); a default is derived otherwise. */
const arsContactsSchema = z.partialRecord(z.enum(arsCodes as [string, ...string[]]), z.email().check(z.maxLength(254)));

export const milestoneFields = {
  intakeOpensAt: instantSchema,
  intakeClosesAt: instantSchema,
  selectionEndsAt: instantSchema,
  conventionsDueAt: instantSchema,
  experimentationStart: dateSchema,
  experimentationEnd: dateSchema,
  reportingGraceDays: z.number().check(z.int(), z.gte(0), z.lte(120)),
};
export type MilestoneField = keyof typeof milestoneFields;

export const campaignSchema = z.object({
  id: campaignIdSchema,
  title: titleSchema,
  ...milestoneFields,
  quotas: quotasSchema,
  fundingPerPilotEur: z.number().check(z.int(), z.gte(0), z.lte(10_000_000)),
  indicators: z.array(indicatorCodeSchema).check(z.minLength(1), z.maxLength(100)),
  targets: targetsSchema,
  arsContacts: z.optional(arsContactsSchema),
  version: z.number().check(z.int(), z.gte(1)),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Campaign = z.output<typeof campaignSchema>;

/** Project decision (DOMAIN.md): amounts are configuration; this default mirrors ESMS numérique orders of magnitude. */
export const DEFAULT_FUNDING_PER_PILOT_EUR = 20_000;
export const DEFAULT_REPORTING_GRACE_DAYS = 15;

export const campaignCreateSchema = z.strictObject({
  id: campaignIdSchema,
  title: titleSchema,
  ...milestoneFields,
  reportingGraceDays: z._default(milestoneFields.reportingGraceDays, DEFAULT_REPORTING_GRACE_DAYS),
  quotas: z._default(quotasSchema, {}),
  fundingPerPilotEur: z._default(z.number().check(z.int(), z.gte(0), z.lte(10_000_000)), DEFAULT_FUNDING_PER_PILOT_EUR),
  indicators: z._default(z.array(indicatorCodeSchema).check(z.minLength(1), z.maxLength(100)), [...defaultIndicatorCodes]),
  targets: z._default(targetsSchema, {}),
  arsContacts: z.optional(arsContactsSchema),
});
export type CampaignCreate = z.output<typeof campaignCreateSchema>;

export const campaignPatchSchema = z
  .partial(
    z.strictObject({
      title: titleSchema,
      ...milestoneFields,
      quotas: quotasSchema,
      fundingPerPilotEur: z.number().check(z.int(), z.gte(0), z.lte(10_000_000)),
      targets: targetsSchema,
      arsContacts: arsContactsSchema,
    }),
  )
  .check(z.refine((patch) => Object.keys(patch).length > 0, { message: 'Au moins un champ à modifier est attendu' }));
export type CampaignPatch = z.output<typeof campaignPatchSchema>;

export const campaignViewSchema = z.extend(campaignSchema, { phase: z.enum(phases), reportingClosesAt: z.string() });
export type CampaignView = z.output<typeof campaignViewSchema>;

const dayAfter = (date: string, days = 1): string => parisDate(addParisDays(startOfParisDay(date), days));

type Calendar = Pick<Campaign, MilestoneField>;

/** The instant at which each milestone takes effect (date milestones: Paris midnight; the end date is inclusive). */
export function milestoneInstants(calendar: Calendar): Record<MilestoneField | 'reportingClosesAt', Date> {
  const reportingClosesAt = startOfParisDay(dayAfter(calendar.experimentationEnd, calendar.reportingGraceDays + 1));
  return {
    intakeOpensAt: parseInstant(calendar.intakeOpensAt)!,
    intakeClosesAt: parseInstant(calendar.intakeClosesAt)!,
    selectionEndsAt: parseInstant(calendar.selectionEndsAt)!,
    conventionsDueAt: parseInstant(calendar.conventionsDueAt)!,
    experimentationStart: startOfParisDay(calendar.experimentationStart),
    experimentationEnd: startOfParisDay(dayAfter(calendar.experimentationEnd)),
    reportingGraceDays: reportingClosesAt,
    reportingClosesAt,
  };
}

export function phaseAt(calendar: Calendar, now: Date): Phase {
  const at = milestoneInstants(calendar);
  const t = now.getTime();
  if (t < at.intakeOpensAt.getTime()) return 'a_venir';
  if (t < at.intakeClosesAt.getTime()) return 'candidatures';
  if (t < at.selectionEndsAt.getTime()) return 'selection';
  if (t < at.experimentationStart.getTime()) return 'conventionnement';
  if (t < at.reportingClosesAt.getTime()) return 'experimentation';
  return 'cloturee';
}

/** The order the programme needs; each problem names the field to fix. */
export function calendarProblems(calendar: Calendar): FieldError[] {
  const at = milestoneInstants(calendar);
  const problems: FieldError[] = [];
  const before = (a: MilestoneField, b: MilestoneField, message: string, strict = true) => {
    const ok = strict ? at[a].getTime() < at[b].getTime() : at[a].getTime() <= at[b].getTime();
    if (!ok) problems.push({ path: b, message });
  };
  before('intakeOpensAt', 'intakeClosesAt', "La clôture des candidatures doit suivre leur ouverture");
  before('intakeClosesAt', 'selectionEndsAt', 'La fin de la sélection doit suivre la clôture des candidatures');
  before('selectionEndsAt', 'conventionsDueAt', 'La date limite des conventions doit suivre la fin de la sélection');
  before('selectionEndsAt', 'experimentationStart', "L'expérimentation doit commencer après la fin de la sélection", false);
  before('experimentationStart', 'experimentationEnd', "La fin de l'expérimentation doit suivre son début");
  return problems;
}

export function assertCalendar(calendar: Calendar): void {
  const problems = calendarProblems(calendar);
  if (problems.length > 0) throw new DomainError('validation_failed', 'Le calendrier de la campagne est incohérent.', problems);
}

export function assertTargetsWithinIndicators(indicators: readonly string[], targets: Record<string, number>): void {
  const unknown = Object.keys(targets).filter((code) => !indicators.includes(code));
  if (unknown.length > 0) {
    throw new DomainError(
      'validation_failed',
      'Chaque objectif doit porter sur un indicateur de la campagne.',
      unknown.map((code) => ({ path: `targets.${code}`, message: 'Indicateur absent de la campagne' })),
    );
  }
}

export function newCampaign(input: CampaignCreate, now: Date): Campaign {
  assertCalendar(input);
  assertTargetsWithinIndicators(input.indicators, input.targets);
  const at = toParisIso(now);
  return { ...input, indicators: [...new Set(input.indicators)], version: 1, createdAt: at, updatedAt: at };
}

const milestoneLabels: Record<MilestoneField, string> = {
  intakeOpensAt: "L'ouverture des candidatures",
  intakeClosesAt: 'La clôture des candidatures',
  selectionEndsAt: 'La fin de la sélection',
  conventionsDueAt: 'La date limite de signature des conventions',
  experimentationStart: "Le début de l'expérimentation",
  experimentationEnd: "La fin de l'expérimentation",
  reportingGraceDays: 'La fin des remontées',
};

/** A milestone may move only while it is still ahead, and only to a time still ahead. */
export function patchCampaign(campaign: Campaign, patch: CampaignPatch, now: Date): Campaign {
  const next: Campaign = { ...campaign, ...patch, version: campaign.version + 1, updatedAt: toParisIso(now) };
  const before = milestoneInstants(campaign);
  const after = milestoneInstants(next);
  // Only a milestone the patch gives can move, but for the end of reporting, which follows the end of the
  // experimentation and so is ahead whenever that is.
  for (const field of Object.keys(milestoneFields) as MilestoneField[]) {
    if (after[field].getTime() === before[field].getTime()) continue;
    if (before[field].getTime() <= now.getTime()) {
      throw new DomainError('milestone_passed', `${milestoneLabels[field]} est déjà passée : le délai courait jusqu'au ${formatDeadline(before[field])}. Elle ne peut plus être modifiée.`, [
        { path: field, message: 'Jalon déjà passé' },
      ]);
    }
    if (after[field].getTime() <= now.getTime()) {
      throw new DomainError('milestone_passed', `${milestoneLabels[field]} ne peut pas être placée dans le passé.`, [{ path: field, message: 'Date déjà passée' }]);
    }
  }
  if (patch.quotas !== undefined && before.selectionEndsAt.getTime() <= now.getTime()) {
    throw new DomainError('milestone_passed', 'La sélection est terminée : les quotas ne peuvent plus être modifiés.', [{ path: 'quotas', message: 'Sélection terminée' }]);
  }
  if ((patch.targets !== undefined || patch.fundingPerPilotEur !== undefined) && before.experimentationStart.getTime() <= now.getTime()) {
    throw new DomainError('milestone_passed', "L'expérimentation a commencé : objectifs et financement ne peuvent plus être modifiés.", [
      { path: patch.targets !== undefined ? 'targets' : 'fundingPerPilotEur', message: 'Expérimentation commencée' },
    ]);
  }
  assertCalendar(next);
  assertTargetsWithinIndicators(next.indicators, next.targets);
  return next;
}

export function viewCampaign(campaign: Campaign, now: Date): CampaignView {
  return { ...campaign, phase: phaseAt(campaign, now), reportingClosesAt: toParisIso(milestoneInstants(campaign).reportingClosesAt) };
}

/** What users read about a window: "31 octobre 2023 à 23 h 59 (heure de Paris)". */
export const intakeDeadlineText = (campaign: Campaign): string => formatDeadline(milestoneInstants(campaign).intakeClosesAt);
export const experimentationText = (campaign: Campaign): string =>
  `du ${formatParisDate(campaign.experimentationStart)} au ${formatParisDate(campaign.experimentationEnd)}`;

/** The mailbox of an ARS for this campaign's emails: the campaign's own, else the deployment's (ars-mailbox.ts). */
export const arsMailbox = (campaign: Pick<Campaign, 'arsContacts'>, ars: string): string =>
  (campaign.arsContacts as Record<string, string> | undefined)?.[ars] ?? deploymentArsMailbox(ars);
