import type { ArsCode } from '@domain/regions';
import { useOutletContext } from 'react-router';
import type { Campaign } from '../../api/client';
import type { StaffScope } from './staff';

/** What every page of a region's console shares: the campaign, the region, who is working. */
export interface RegionContext {
  readonly campaign: Campaign;
  readonly ars: ArsCode;
  readonly scope: StaffScope;
  /** Reads the campaign again (after the national team moved a milestone, say). */
  readonly reloadCampaign: () => Promise<void>;
}

export const useRegion = (): RegionContext => useOutletContext<RegionContext>();
