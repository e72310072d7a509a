import { campaignItem } from '../../layers/adapters/campaign-item';
import { parseInstant } from '../../layers/domain/calendar';
import { newCampaign, type Campaign } from '../../layers/domain/campaign';
import { defaultCampaign } from '../../layers/domain/default-campaign';

/**
 * Its creation instant is fixed so that every synth writes the same item (never the wall clock): the
 * opening of its intake, when the campaign was known to exist.
 */
export const seedCreatedAt: Date = parseInstant(defaultCampaign.intakeOpensAt)!;

/** The campaigns every deployment has from its first start (API.md: `mes-esms-2023`). */
export const seededCampaigns: readonly Campaign[] = [newCampaign(defaultCampaign, seedCreatedAt)];

/** The DynamoDB item the campaign repository writes for a campaign, not a copy of it. */
export const repositoryItemOf = (campaign: Campaign): Record<string, unknown> => campaignItem(campaign);
