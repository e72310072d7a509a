import * as z from 'zod/mini';
import { formatDeadline, toParisIso } from './calendar';
import { milestoneInstants, type Campaign } from './campaign';
import type { Application, Review } from './application';
import { statusLabel } from './application';
import { DomainError } from './errors';
import { longText } from './text';

/** The five selection criteria of the call for projects, each scored 0 to 5. */
export const criteria = ['maturite_dui', 'parcours', 'sensibilisation', 'partenariats', 'capacite'] as const;
export type Criterion = (typeof criteria)[number];

const score = z.number().check(z.int(), z.gte(0), z.lte(5));

export const reviewSchema = z.strictObject({
  scores: z.strictObject({ maturite_dui: score, parcours: score, sensibilisation: score, partenariats: score, capacite: score }),
  comment: z._default(longText(5000), ''),
});
export type ReviewInput = z.output<typeof reviewSchema>;

export const decisionSchema = z.strictObject({
  decision: z.enum(['retenue', 'non_retenue']),
  motivation: z.pipe(longText(2000), z.string().check(z.minLength(1, 'La motivation est obligatoire'))),
});
export type DecisionInput = z.output<typeof decisionSchema>;

/** Reviews and decisions are accepted while now < selectionEndsAt. */
export function assertSelectionOpen(campaign: Campaign, now: Date): void {
  const end = milestoneInstants(campaign).selectionEndsAt;
  if (now.getTime() >= end.getTime()) {
    throw new DomainError('selection_closed', `La sélection était ouverte jusqu'au ${formatDeadline(end)} : elle est close.`);
  }
}

export function review(application: Application, input: ReviewInput, actor: string, now: Date): Application {
  if (application.status !== 'en_instruction' && !isAwaitingNotification(application)) {
    throw new DomainError('invalid_transition', `Le dossier est ${statusLabel(application.status)} : seul un dossier en instruction peut être évalué.`);
  }
  const values = Object.values(input.scores);
  const average = Math.round((values.reduce((sum, value) => sum + value, 0) / values.length) * 100) / 100;
  const at = toParisIso(now);
  const assessed: Review = { scores: input.scores, comment: input.comment, average, reviewedAt: at, reviewedBy: actor };
  return { ...application, review: assessed, version: application.version + 1, updatedAt: at };
}

/** A decision may be taken, or changed, while in review or decided but not yet notified. */
export function decide(application: Application, input: DecisionInput, actor: string, now: Date): Application {
  const decidable = application.status === 'en_instruction' || ((application.status === 'retenue' || application.status === 'non_retenue') && !application.decision?.notifiedAt);
  if (!decidable) {
    const why = application.decision?.notifiedAt ? 'la décision a déjà été notifiée' : `le dossier est ${statusLabel(application.status)}`;
    throw new DomainError('invalid_transition', `Aucune décision ne peut être prise : ${why}.`);
  }
  const at = toParisIso(now);
  return {
    ...application,
    status: input.decision,
    decision: { decision: input.decision, motivation: input.motivation, decidedAt: at, decidedBy: actor },
    version: application.version + 1,
    updatedAt: at,
  };
}

/** How a decision moves the region's count of retained applications: +1, −1 or 0. */
export function retainedDelta(before: Application, after: Application): number {
  return (after.status === 'retenue' ? 1 : 0) - (before.status === 'retenue' ? 1 : 0);
}

export function markNotified(application: Application, now: Date): Application {
  if (!application.decision || application.decision.notifiedAt) throw new DomainError('invalid_transition', 'Aucune décision à notifier.');
  const at = toParisIso(now);
  return { ...application, decision: { ...application.decision, notifiedAt: at }, version: application.version + 1, updatedAt: at };
}

export const isAwaitingNotification = (application: Application): boolean =>
  (application.status === 'retenue' || application.status === 'non_retenue') && application.decision !== undefined && !application.decision.notifiedAt;
