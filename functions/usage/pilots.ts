import { applicationRepository } from '../../layers/adapters/application-repository';
import { campaignRepository } from '../../layers/adapters/campaign-repository';
import { pilotRepository, type ClientGrant } from '../../layers/adapters/pilot-repository';
import { authorize, type Action, type Holding, type Relation } from '../../layers/domain/access';
import type { Campaign } from '../../layers/domain/campaign';
import { DomainError, notFound } from '../../layers/domain/errors';
import { checkFiness } from '../../layers/domain/finess';
import type { Pilot } from '../../layers/domain/pilot';
import type { Principal } from '../../layers/http/auth';

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

/**
 * What anyone not entitled to a pilot is told, whether the FINESS is not a pilot of the campaign or is
 * someone else's pilot: the two must look the same.
 */
export const pilotNotFound = (): DomainError => notFound("Ce FINESS n'est pas pilote de cette campagne, ou son pilote");

/** The pilot of this FINESS in this campaign, or 404 (an unknown campaign included). */
export async function pilotInCampaign(campaignId: string | undefined, finess: string): Promise<PilotInCampaign> {
  const [campaign, pilot] = await Promise.all([campaignRepository.get(campaignId ?? ''), pilotRepository.get(finess, campaignId ?? '')]);
  if (!campaign || !pilot) throw pilotNotFound();
  return { campaign, pilot };
}

/**
 * Who holds a pilot is who holds its application (a transfer or a collaborator changes it), plus the
 * machine clients registered for it. A machine client needs only the pilot itself.
 */
async function holdingOf(principal: Principal, pilot: Pilot): Promise<Holding> {
  if (principal.roles.has('client')) return { ars: pilot.ars, reportingClients: pilot.reportingClients };
  const application = await applicationRepository.get(pilot.applicationId);
  return { ...(application ?? {}), ars: pilot.ars, reportingClients: pilot.reportingClients };
}

/** The access policy on a pilot; a stranger's 404 is the same as for a FINESS that is no pilot. */
export async function authorizePilot(principal: Principal, pilot: Pilot, action: Action): Promise<Relation> {
  try {
    return authorize(principal, await holdingOf(principal, pilot), action);
  } catch (error) {
    if (error instanceof DomainError && error.code === 'not_found') throw pilotNotFound();
    throw error;
  }
}

/**
 * The pilots a machine client may report for, kept a minute per warm container: DUI software pushes its
 * pilots' figures in many calls. Registrations are only ever added, so a cached list can refuse wrongly but
 * never authorise wrongly; refusals are checked again against the table.
 */
const GRANTS_CACHE_MS = 60_000;
const grantsCache = new Map<string, { grants: Map<string, ClientGrant>; until: number }>();

/** The client's pilots in one campaign, by FINESS. */
export async function clientGrants(clientId: string, campaignId: string, fresh = false): Promise<Map<string, ClientGrant>> {
  const cacheKey = `${clientId}#${campaignId}`;
  const cached = grantsCache.get(cacheKey);
  if (!fresh && cached && cached.until > Date.now()) return cached.grants;
  const grants = new Map<string, ClientGrant>();
  for (const grant of await pilotRepository.clientGrants(clientId)) if (grant.campaignId === campaignId) grants.set(grant.finess, grant);
  if (grantsCache.size >= 1_000) grantsCache.clear();
  grantsCache.set(cacheKey, { grants, until: Date.now() + GRANTS_CACHE_MS });
  return grants;
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
