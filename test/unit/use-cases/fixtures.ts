import type { Caller } from '../../../layers/domain/access';
import { historyEntry, newApplication, type Application } from '../../../layers/domain/application';
import { parseInstant } from '../../../layers/domain/calendar';
import { milestoneInstants, newCampaign, type Campaign } from '../../../layers/domain/campaign';
import { newConvention, type Convention } from '../../../layers/domain/convention';
import { defaultCampaign } from '../../../layers/domain/default-campaign';
import { withCheckKey } from '../../../layers/domain/finess';
import { pilotOf, type Pilot } from '../../../layers/domain/pilot';
import type { ArsCode } from '../../../layers/domain/regions';
import { memoryPorts } from '../../../layers/adapters/memory/ports';

export const at = (text: string): Date => parseInstant(text)!;
export const campaign: Campaign = newCampaign(defaultCampaign, at('2023-08-01T00:00:00+02:00'));
export const instants = milestoneInstants(campaign);
export const DURING_INTAKE = at('2023-10-12T14:05:00+02:00');
export const DURING_SELECTION = at('2023-11-20T10:00:00+01:00');
export const DURING_CONVENTIONS = at('2024-01-10T10:00:00+01:00');
export const ms = (instant: Date, delta: number): Date => new Date(instant.getTime() + delta);

let serial = 0;
/** A valid FINESS in Gironde (NAQ) unless told otherwise, new on every call. */
export function finessIn(department = '33'): string {
  serial += 1;
  return withCheckKey(`${department}${String(serial).padStart(6, '0')}`);
}

export const eligible = {
  name: 'EHPAD Les Tilleuls',
  category: '500',
  contact: { name: 'Claire Martin', email: 'direction@ehpad-tilleuls.local', phone: '05 56 00 00 00' },
  dui: { editor: 'Éditeur DUI', product: 'Dossier usager', segurReferenced: true, mesCapable: true },
  readiness: { dmp: 'en_cours' as const, mss: 'en_production' as const, ins: 'en_cours' as const },
  pathways: ['personnes_agees' as const],
  exchanges: "Envoi du DLU et de la lettre de liaison à l'hôpital.",
  awarenessMeans: 'Réunions des familles.',
  capacity: 80,
};

export const applicant = (id: string, email = `${id}@esms.local`): Caller => ({ id, verifiedEmail: email, roles: new Set(['candidat']), regions: [], clientId: undefined });
export const arsStaff = (ars: ArsCode, id = `agent-${ars}`): Caller => ({ id, verifiedEmail: `${id}@ars.local`, roles: new Set(['ars']), regions: [ars], clientId: undefined });
export const nationalStaff: Caller = { id: 'national-1', verifiedEmail: 'national@sante.local', roles: new Set(['national']), regions: [], clientId: undefined };
export const actorName = (caller: Caller): string => `${caller.roles.has('ars') ? `ars-${caller.regions[0]}` : caller.roles.has('national') ? 'national' : 'candidat'}:${caller.id}`;
export const acting = (caller: Caller, instant: Date) => ({ caller, actor: actorName(caller), at: instant });

/** Fresh in-memory ports holding the campaign (its quotas as given). */
export function portsWith(quotas: Campaign['quotas'] = {}) {
  const ports = memoryPorts();
  ports.state.campaigns.set(campaign.id, { ...campaign, quotas });
  return ports;
}

let dossier = 0;
/** An application stored as it stands in a status (en_instruction by default), owned by `owner`. */
export function storedApplication(ports: ReturnType<typeof memoryPorts>, overrides: Partial<Application> = {}, owner = applicant('porteur')): Application {
  dossier += 1;
  const draft = newApplication({ id: `MES-${String(dossier).padStart(6, '0')}`, campaignId: campaign.id, ownerId: owner.id!, ownerEmail: owner.verifiedEmail, create: { finess: finessIn(), ...eligible }, now: DURING_INTAKE });
  const application: Application = { ...draft, status: 'en_instruction', submittedAt: draft.createdAt, ...overrides };
  ports.state.applications.set(application.id, application);
  ports.state.history.set(application.id, [historyEntry(application, null, 'creation', actorName(owner))]);
  if (application.status !== 'brouillon') ports.state.finess.set(`${application.campaignId}#${application.finess}`, application.id);
  return application;
}

/** A convention to sign for a retained file, stored (`signatures` and the like as given). */
export function storedConvention(ports: ReturnType<typeof memoryPorts>, application: Application, overrides: Partial<Convention> = {}): Convention {
  const convention: Convention = { ...newConvention(application, campaign, DURING_CONVENTIONS), ...overrides };
  ports.state.conventions.set(convention.id, convention);
  return convention;
}

/** The pilot of a retained file whose convention both parties signed, stored. */
export function storedPilot(ports: ReturnType<typeof memoryPorts>, application: Application): Pilot {
  const pilot = pilotOf({ ...newConvention(application, campaign, DURING_CONVENTIONS), status: 'signee', signedAt: '2024-01-20T10:00:00+01:00' });
  ports.state.pilots.set(`${pilot.finess}#${pilot.campaignId}`, pilot);
  return pilot;
}
