import { campaignSchema, type Campaign } from '../domain/campaign';

/**
 * How a campaign is stored: pure mapping, no client, no configuration, so the CDK app can seed the default
 * campaign with exactly the item the repository writes.
 */
export const campaignKey = (id: string) => ({ pk: `CAMPAIGN#${id}`, sk: 'CAMPAIGN' });
export const CAMPAIGNS_PARTITION = 'CAMPAIGNS';

export function campaignItem(campaign: Campaign) {
  return { ...campaignKey(campaign.id), gsi1pk: CAMPAIGNS_PARTITION, gsi1sk: `${campaign.intakeOpensAt}#${campaign.id}`, type: 'campaign', ...campaign };
}

export function campaignFromItem(item: Record<string, unknown>): Campaign {
  const { pk: _pk, sk: _sk, gsi1pk: _g, gsi1sk: _s, type: _t, ...rest } = item;
  return campaignSchema.parse(rest);
}
