import { campaignRepository } from '../../layers/adapters/campaign-repository';
import { pilotRepository } from '../../layers/adapters/pilot-repository';
import type { Campaign } from '../../layers/domain/campaign';
import { DomainError, notFound } from '../../layers/domain/errors';
import { checkFiness, formatFiness } from '../../layers/domain/finess';
import type { Pilot } from '../../layers/domain/pilot';
import { choosePilotCampaign } from '../../layers/domain/usage';
import { mayActForRegion, type Principal } from '../../layers/http/auth';

export interface PilotInCampaign {
  readonly pilot: Pilot;
  readonly campaign: Campaign;
}

/** A FINESS from the path or a report: its check is a 400 naming the field. */
export function checkedFiness(input: string | undefined, path = 'finess'): string {
  const result = checkFiness(input ?? '');
  if (!result.ok) throw new DomainError('finess_invalid', result.message, [{ path, message: result.message }]);
  return result.finess;
}

export const notAPilot = (finess: string): DomainError =>
  new DomainError(
    'not_a_pilot',
    `L'établissement ${formatFiness(finess)} n'est pas pilote : seuls les dossiers retenus dont la convention est signée par l'établissement et par l'ARS déclarent leurs chiffres.`,
  );

/** The pilot record a request about this FINESS means (see choosePilotCampaign); 409 not_a_pilot if none. */
export async function resolvePilot(finess: string, month: string | undefined, now: Date): Promise<PilotInCampaign> {
  const pilots = await pilotRepository.forFiness(finess);
  const candidates = (await Promise.all(pilots.map(async (pilot) => ({ pilot, campaign: await campaignRepository.get(pilot.campaignId) }))))
    .filter((candidate): candidate is PilotInCampaign => candidate.campaign !== undefined);
  const chosen = choosePilotCampaign(candidates, month, now);
  if (!chosen) throw notAPilot(finess);
  return chosen;
}

/** Every campaign, for matching a report's month to a window; kept a few seconds per warm container. */
let campaignsCache: { campaigns: Campaign[]; until: number } | undefined;
const CAMPAIGNS_CACHE_MS = 5_000;

export async function allCampaigns(): Promise<Campaign[]> {
  if (campaignsCache && campaignsCache.until > Date.now()) return campaignsCache.campaigns;
  const campaigns: Campaign[] = [];
  let cursor: string | undefined;
  do {
    const page = await campaignRepository.list(200, cursor);
    campaigns.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  campaignsCache = { campaigns, until: Date.now() + CAMPAIGNS_CACHE_MS };
  return campaigns;
}

/**
 * Pilot records seen recently by this warm container, for the DUI batch: software pushes the same pilots
 * month after month. A record only ever gains reporting clients, so a cached one can refuse wrongly but never
 * authorise wrongly; refusals are re-read from the table before they are answered.
 */
const PILOT_CACHE_MS = 60_000;
const pilotCache = new Map<string, { pilot: Pilot | undefined; until: number }>();
const pilotCacheKey = (finess: string, campaignId: string) => `${finess}#${campaignId}`;

export async function recentPilots(keys: readonly { finess: string; campaignId: string }[], fresh = false): Promise<Map<string, Pilot>> {
  const found = new Map<string, Pilot>();
  const missing: { finess: string; campaignId: string }[] = [];
  const now = Date.now();
  for (const key of keys) {
    const cached = fresh ? undefined : pilotCache.get(pilotCacheKey(key.finess, key.campaignId));
    if (cached && cached.until > now) {
      if (cached.pilot) found.set(pilotCacheKey(key.finess, key.campaignId), cached.pilot);
    } else missing.push(key);
  }
  const read = new Map((await pilotRepository.getMany(missing)).map((pilot) => [pilotCacheKey(pilot.finess, pilot.campaignId), pilot]));
  if (pilotCache.size > 20_000) pilotCache.clear();
  for (const key of missing) {
    const pilot = read.get(pilotCacheKey(key.finess, key.campaignId));
    pilotCache.set(pilotCacheKey(key.finess, key.campaignId), { pilot, until: now + PILOT_CACHE_MS });
    if (pilot) found.set(pilotCacheKey(key.finess, key.campaignId), pilot);
  }
  return found;
}

/** Who the caller is to this pilot: its owner, a machine client it registered, staff of its region, or nobody. */
export type Relation = 'owner' | 'client' | 'staff' | 'none';

export function relationTo(principal: Principal, pilot: Pilot): Relation {
  if (principal.id !== undefined && principal.id === pilot.ownerId && !principal.roles.has('client')) return 'owner';
  if (principal.roles.has('client') && principal.clientId !== undefined && pilot.reportingClients.includes(principal.clientId)) return 'client';
  if ((principal.roles.has('ars') || principal.roles.has('national')) && mayActForRegion(principal, pilot.ars)) return 'staff';
  return 'none';
}

/** The owner or a registered client reports; staff of the region are told why not; anyone else learns nothing. */
export function reportingRefusal(principal: Principal, pilot: Pilot): DomainError | undefined {
  const relation = relationTo(principal, pilot);
  if (relation === 'owner' || relation === 'client') return undefined;
  if (relation === 'staff') return new DomainError('forbidden', "Seul l'établissement pilote, ou un logiciel déclaré pour lui, transmet ses chiffres d'usage.");
  return notFound('Le pilote demandé');
}

export function assertMayReport(principal: Principal, pilot: Pilot): void {
  const refusal = reportingRefusal(principal, pilot);
  if (refusal) throw refusal;
}

export function assertMaySee(principal: Principal, pilot: Pilot): void {
  if (relationTo(principal, pilot) === 'none') throw notFound('Le pilote demandé');
}

export function pilotView(pilot: Pilot) {
  return {
    finess: pilot.finess,
    campaignId: pilot.campaignId,
    name: pilot.name,
    ars: pilot.ars,
    applicationId: pilot.applicationId,
    conventionId: pilot.conventionId,
    amountEur: pilot.amountEur,
    firstInstalmentEur: pilot.firstInstalmentEur,
    signedAt: pilot.signedAt,
    reportingClients: [...pilot.reportingClients],
  };
}
