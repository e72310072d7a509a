import { applicationRepository } from '../../layers/adapters/application-repository';
import { pilotRepository } from '../../layers/adapters/pilot-repository';
import { usageRepository } from '../../layers/adapters/usage-repository';
import type { Application } from '../../layers/domain/application';
import type { Campaign } from '../../layers/domain/campaign';
import { applicationsTable, fundingTable, usageTable, type ExportTable } from '../../layers/domain/export-tables';
import type { Pilot } from '../../layers/domain/pilot';
import type { ArsCode } from '../../layers/domain/regions';
import type { UsageMonth } from '../../layers/domain/usage';

async function allApplications(campaignId: string, ars: ArsCode | undefined): Promise<Application[]> {
  const all: Application[] = [];
  let cursor: string | undefined;
  do {
    const page = await applicationRepository.list({ campaignId, ars, limit: 500, cursor });
    all.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return all.sort((a, b) => a.ars.localeCompare(b.ars) || a.createdAt.localeCompare(b.createdAt));
}

async function pilotsOf(campaignId: string, ars: ArsCode | undefined): Promise<Pilot[]> {
  const pilots: Pilot[] = [];
  for await (const pilot of pilotRepository.all(campaignId, ars)) pilots.push(pilot);
  return pilots.sort((a, b) => a.ars.localeCompare(b.ars) || a.finess.localeCompare(b.finess));
}

/** Every reported month of the campaign (or region), grouped by FINESS, oldest month first. */
async function monthsByPilot(campaignId: string, ars: ArsCode | undefined): Promise<Map<string, UsageMonth[]>> {
  const byFiness = new Map<string, UsageMonth[]>();
  for await (const page of usageRepository.months({ campaignId, ars })) {
    for (const month of page) byFiness.set(month.finess, [...(byFiness.get(month.finess) ?? []), month]);
  }
  for (const months of byFiness.values()) months.sort((a, b) => a.month.localeCompare(b.month));
  return byFiness;
}

/** The exports by name: the data each reads, as the table both its CSV and its XLSX are written from. */
export const exportTables = {
  applications: async (campaign: Campaign, ars: ArsCode | undefined): Promise<ExportTable> => applicationsTable(await allApplications(campaign.id, ars)),
  usage: async (campaign: Campaign, ars: ArsCode | undefined): Promise<ExportTable> => {
    const [pilots, months] = await Promise.all([pilotsOf(campaign.id, ars), monthsByPilot(campaign.id, ars)]);
    return usageTable(campaign, pilots, months);
  },
  funding: async (campaign: Campaign, ars: ArsCode | undefined, now: Date): Promise<ExportTable> => {
    const [pilots, months] = await Promise.all([pilotsOf(campaign.id, ars), monthsByPilot(campaign.id, ars)]);
    return fundingTable(campaign, pilots, months, now);
  },
} as const;

export type ExportName = keyof typeof exportTables;
