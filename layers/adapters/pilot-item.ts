import type { Pilot } from '../domain/pilot';

/** How a pilot is stored: keyed by FINESS and campaign, listed by region (gsi1) and by campaign (gsi2). */
export const pilotKey = (finess: string, campaignId: string) => ({ pk: `PILOT#${finess}`, sk: `CAMPAIGN#${campaignId}` });

export function pilotItem(pilot: Pilot) {
  return {
    ...pilotKey(pilot.finess, pilot.campaignId),
    type: 'pilot',
    ...pilot,
    reportingClients: [...pilot.reportingClients],
    gsi1pk: `PILOTS#${pilot.campaignId}#${pilot.ars}`,
    gsi1sk: pilot.finess,
    gsi2pk: `PILOTS#${pilot.campaignId}`,
    gsi2sk: `${pilot.ars}#${pilot.finess}`,
  };
}

const STORAGE_ONLY = new Set(['pk', 'sk', 'type', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk']);

export const pilotFromItem = (item: Record<string, unknown>): Pilot => Object.fromEntries(Object.entries(item).filter(([name]) => !STORAGE_ONLY.has(name))) as unknown as Pilot;
