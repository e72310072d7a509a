import { campaignRepository } from '../../layers/adapters/campaign-repository';
import { newCampaign } from '../../layers/domain/campaign';
import { DomainError } from '../../layers/domain/errors';
import { defaultCampaign } from '../../layers/domain/default-campaign';

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
