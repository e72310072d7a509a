import { applicationRepository } from '../../layers/adapters/application-repository';
import { enqueueOnce } from '../../layers/adapters/outbox';
import { arsMailbox, type Campaign } from '../../layers/domain/campaign';
import { toParisIso } from '../../layers/domain/calendar';
import type { Application, ApplicationStatus } from '../../layers/domain/application';
import { historyEntry } from '../../layers/domain/application';
import { reviewAwaitingEmail } from '../../layers/domain/emails';
import { ConcurrentModificationError } from '../../layers/domain/errors';
import type { ArsCode } from '../../layers/domain/regions';

export const SYSTEM_ACTOR = 'systeme';

/** What one run did, for its caller (the local endpoint prints it; CloudWatch logs it). */
export interface StepReport {
  transitions: number;
  emailsQueued: number;
}

/** Every application of a campaign in a status, page by page (the index answers exactly this question). */
export async function* applicationsIn(campaignId: string, status: ApplicationStatus): AsyncGenerator<Application> {
  let cursor: string | undefined;
  do {
    const page = await applicationRepository.list({ campaignId, status, limit: 200, cursor });
    yield* page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

/** Applies a transition written as a conditional write; a lost race means another run already did it. */
async function transition(application: Application, next: Application, action: string, motivation?: string): Promise<boolean> {
  try {
    await applicationRepository.save(next, application.version, historyEntry(next, application.status, action, SYSTEM_ACTOR, motivation));
    return true;
  } catch (error) {
    if (error instanceof ConcurrentModificationError) return false;
    throw error;
  }
}

/** At intakeClosesAt: deposee → en_instruction, then each ARS is told how many applications await review. */
export async function closeIntake(campaign: Campaign, at: Date, report: StepReport): Promise<void> {
  for await (const application of applicationsIn(campaign.id, 'deposee')) {
    const next: Application = { ...application, status: 'en_instruction', version: application.version + 1, updatedAt: toParisIso(at) };
    if (await transition(application, next, 'cloture_candidatures')) report.transitions += 1;
  }
  const perRegion = new Map<ArsCode, number>();
  for await (const application of applicationsIn(campaign.id, 'en_instruction')) perRegion.set(application.ars, (perRegion.get(application.ars) ?? 0) + 1);
  for (const [ars, count] of perRegion) {
    const to = arsMailbox(campaign, ars);
    const queued = await enqueueOnce({ ...reviewAwaitingEmail(campaign, ars, to, count), campaignId: campaign.id, event: 'instruction_ouverte', recipientKey: ars }, at);
    if (queued) report.emailsQueued += 1;
  }
}
