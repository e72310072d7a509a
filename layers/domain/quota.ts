import type { Application } from './application';
import type { Campaign } from './campaign';
import { DomainError } from './errors';
import type { ArsCode } from './regions';
import { retainedDelta } from './selection';

/**
 * The regional quota: a campaign may cap how many applications each region retains. Every decision moves
 * the region's count of retained applications (+1, −1 or 0), and a withdrawal of a retained file gives its
 * place back. Only a move up is capped; the count is kept by the store, which checks the cap in the write.
 */
export interface QuotaCharge {
  readonly campaignId: string;
  readonly ars: ArsCode;
  /** +1 (one more retained), −1 (a place given back). */
  readonly delta: number;
  /** The region's cap, when the campaign sets one and the move is up. */
  readonly quota?: number;
}

export const regionalQuota = (campaign: Pick<Campaign, 'quotas'>, ars: ArsCode): number | undefined => campaign.quotas[ars];

/** What a decision charges to the region's quota; nothing when the retained count does not move. */
export function decisionCharge(campaign: Pick<Campaign, 'id' | 'quotas'>, before: Application, after: Application): QuotaCharge | undefined {
  const delta = retainedDelta(before, after);
  if (delta === 0) return undefined;
  const quota = delta > 0 ? regionalQuota(campaign, before.ars) : undefined;
  return { campaignId: campaign.id, ars: before.ars, delta, ...(quota !== undefined ? { quota } : {}) };
}

/** A retained application not yet notified gives its place back when withdrawn (withdraw() refuses a notified one). */
export function withdrawalCharge(before: Application): QuotaCharge | undefined {
  return before.status === 'retenue' ? { campaignId: before.campaignId, ars: before.ars, delta: -1 } : undefined;
}

/** Whether a region already holding `retained` retained applications may take this charge. */
export const admits = (retained: number, charge: QuotaCharge): boolean => charge.delta <= 0 || charge.quota === undefined || retained < charge.quota;

export const quotaReached = (quota: number | undefined): DomainError =>
  new DomainError('quota_reached', `Le quota de la région est atteint : ${quota} dossier(s) retenu(s) au plus. Revenez sur une autre décision pour en retenir un nouveau.`);
