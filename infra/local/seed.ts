import { applicationRepository } from '../../layers/adapters/application-repository';
import { campaignRepository } from '../../layers/adapters/campaign-repository';
import { historyEntry, newApplication, submit } from '../../layers/domain/application';
import { newCampaign } from '../../layers/domain/campaign';
import { DomainError } from '../../layers/domain/errors';
import { defaultCampaign } from '../../layers/domain/default-campaign';
import type { ArsCode } from '../../layers/domain/regions';
import { DEMO_APPLICANT_EMAIL, DEMO_CAMPAIGN_ID, demoApplications, demoCampaign } from './demo-campaign';
import { localSub } from './local-identity';

/** Seeds `mes-esms-2023` on the first start; true when it was created now. */
export async function seedDefaultCampaign(): Promise<boolean> {
  try {
    await campaignRepository.create(newCampaign(defaultCampaign, new Date()));
    return true;
  } catch (error) {
    if (error instanceof DomainError && error.code === 'campaign_exists') return false;
    throw error;
  }
}

/**
 * Seeds the `demo` campaign (intake open on the start day) and the sample applications of
 * directrice@ehpad-demo.local, once: when the campaign is already there, nothing changes. True when seeded now.
 */
export async function seedDemo(deployment: ArsCode | 'national', startDay: Date): Promise<boolean> {
  try {
    await campaignRepository.create(newCampaign(demoCampaign(startDay), startDay));
  } catch (error) {
    if (error instanceof DomainError && error.code === 'campaign_exists') return false;
    throw error;
  }
  const ownerId = localSub(DEMO_APPLICANT_EMAIL);
  const actor = `candidat:${ownerId}`;
  for (const sample of demoApplications(deployment)) {
    const draft = newApplication({ id: sample.id, campaignId: DEMO_CAMPAIGN_ID, ownerId, ownerEmail: DEMO_APPLICANT_EMAIL, create: sample.create, now: startDay });
    await applicationRepository.create(draft, historyEntry(draft, null, 'creation', actor));
    if (!sample.submitted) continue;
    const submitted = submit(draft, startDay);
    await applicationRepository.save(submitted, draft.version, historyEntry(submitted, draft.status, 'depot', actor));
  }
  return true;
}
