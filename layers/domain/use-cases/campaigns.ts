import { newCampaign, patchCampaign, type Campaign, type CampaignCreate, type CampaignPatch } from '../campaign';
import type { Campaigns, Receipt, Schedules } from '../ports';
import { assertVersion, campaignOf, type IfMatch } from './context';

export interface CampaignPorts {
  readonly campaigns: Campaigns;
  readonly schedules: Schedules;
}

/** A new campaign and its milestone schedules (they only sweep and notify: deadlines hold at request time). */
export async function createCampaign(ports: CampaignPorts, command: { readonly input: CampaignCreate; readonly at: Date; readonly receiptFor?: (campaign: Campaign) => Receipt | undefined }): Promise<Campaign> {
  const campaign = newCampaign(command.input, command.at);
  await ports.campaigns.create(campaign, command.receiptFor?.(campaign));
  await ports.schedules.sync(campaign, command.at);
  return campaign;
}

/** A milestone moves only while ahead; the schedules follow. */
export async function updateCampaign(ports: CampaignPorts, command: { readonly campaignId: string; readonly patch: CampaignPatch; readonly at: Date; readonly ifMatch?: IfMatch }): Promise<Campaign> {
  const current = await campaignOf(ports.campaigns, command.campaignId, { fresh: true });
  assertVersion(current, command.ifMatch);
  const next = patchCampaign(current, command.patch, command.at);
  await ports.campaigns.update(next, current.version);
  await ports.schedules.sync(next, command.at);
  return next;
}
