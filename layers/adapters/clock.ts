/**
 * The one source of "now" for handlers and the milestone function. In AWS it is the real clock; the local
 * stack (infra/local) may set a simulated now through PUT /local/clock to replay a campaign.
 */
let simulatedNow: Date | undefined;

export const now = (): Date => (simulatedNow ? new Date(simulatedNow.getTime()) : new Date());

export function setSimulatedNow(instant: Date | undefined): void {
  simulatedNow = instant ? new Date(instant.getTime()) : undefined;
}

export const isSimulated = (): boolean => simulatedNow !== undefined;
