import { authorize, type Action, type Caller } from '../access';
import type { Application } from '../application';
import type { Campaign } from '../campaign';
import { ConcurrentModificationError, notFound } from '../errors';
import type { Applications, Campaigns } from '../ports';

/** Who acts and when: every use case takes the caller (for the access policy), their name in history lines, and the clock's instant. */
export interface Acting {
  readonly caller: Caller;
  /** How history lines and signatures name the caller (layers/http/auth actorOf). */
  readonly actor: string;
  readonly at: Date;
}

export async function campaignOf(campaigns: Pick<Campaigns, 'get'>, id: string | undefined, options?: { fresh?: boolean }): Promise<Campaign> {
  const campaign = id ? await campaigns.get(id, options) : undefined;
  if (!campaign) throw notFound('La campagne demandée');
  return campaign;
}

/**
 * If-Match: the version the caller read must still be the stored one. It is read only once access is
 * granted, so that a stranger learns nothing from a malformed one.
 */
export type IfMatch = () => number | undefined;

export function assertVersion(current: { readonly version: number }, ifMatch: IfMatch | undefined): void {
  const expected = ifMatch?.();
  if (expected !== undefined && expected !== current.version) throw new ConcurrentModificationError();
}

/** A use case on one application: who acts, on which file, at the version the caller read if they name one. */
export interface OnApplication extends Acting {
  readonly applicationId: string;
  /** From If-Match, for a change. */
  readonly ifMatch?: IfMatch;
}

export const APPLICATION = 'Le dossier demandé';

/** An application the caller may act on (404 for a stranger, 403 without the right), at the version If-Match names if any. */
export async function applicationToAct(applications: Applications, caller: Caller, id: string, action: Action, ifMatch?: IfMatch): Promise<Application> {
  const application = await applications.get(id);
  if (!application) throw notFound(APPLICATION);
  authorize(caller, application, action);
  assertVersion(application, ifMatch);
  return application;
}
