import { campaignRepository } from '../../layers/adapters/campaign-repository';
import { pilotRepository, type ClientGrant } from '../../layers/adapters/pilot-repository';
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

/**
 * The pilots a machine client may report for, kept a minute per warm container: DUI software pushes its
 * pilots' figures in many calls. Registrations are only ever added, so a cached list can refuse wrongly but
 * never authorise wrongly; refusals are checked again against the table.
 */
const GRANTS_CACHE_MS = 60_000;
const grantsCache = new Map<string, { grants: Map<string, ClientGrant[]>; until: number }>();

export async function clientGrants(clientId: string, fresh = false): Promise<Map<string, ClientGrant[]>> {
  const cached = grantsCache.get(clientId);
  if (!fresh && cached && cached.until > Date.now()) return cached.grants;
  const grants = new Map<string, ClientGrant[]>();
  for (const grant of await pilotRepository.clientGrants(clientId)) grants.set(grant.finess, [...(grants.get(grant.finess) ?? []), grant]);
  if (grantsCache.size >= 1_000) grantsCache.clear();
  grantsCache.set(clientId, { grants, until: Date.now() + GRANTS_CACHE_MS });
  return grants;
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
