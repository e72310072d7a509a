import { DomainError } from '../../layers/domain/errors';
import { checkFiness } from '../../layers/domain/finess';
import type { Pilot } from '../../layers/domain/pilot';

/** A FINESS from the path or a report: its check is a 400 naming the field. */
export function checkedFiness(input: string | undefined, path = 'finess'): string {
  const result = checkFiness(input ?? '');
  if (!result.ok) throw new DomainError('finess_invalid', result.message, [{ path, message: result.message }]);
  return result.finess;
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
