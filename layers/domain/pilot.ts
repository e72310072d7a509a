import type { Convention } from './convention';
import type { ArsCode } from './regions';

/** A pilot is a retained application whose convention is signed: created in the transaction of the second signature. */
export interface Pilot {
  readonly finess: string;
  readonly campaignId: string;
  readonly applicationId: string;
  readonly conventionId: string;
  readonly ars: ArsCode;
  readonly name: string;
  readonly amountEur: number;
  readonly firstInstalmentEur: number;
  readonly signedAt: string;
  /** Machine clients (DUI software, `client_id`) allowed to report for this pilot. */
  readonly reportingClients: readonly string[];
}

export function pilotOf(convention: Convention): Pilot {
  return {
    finess: convention.finess,
    campaignId: convention.campaignId,
    applicationId: convention.applicationId,
    conventionId: convention.id,
    ars: convention.ars,
    name: convention.name,
    amountEur: convention.amountEur,
    firstInstalmentEur: convention.firstInstalmentEur,
    signedAt: convention.signedAt ?? convention.updatedAt,
    reportingClients: [],
  };
}
