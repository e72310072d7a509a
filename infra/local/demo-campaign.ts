import { addParisDays, parisDate, startOfParisDay, toParisIso } from '../../layers/domain/calendar';
import type { ApplicationCreate } from '../../layers/domain/application';
import type { CampaignCreate } from '../../layers/domain/campaign';
import { defaultCampaign } from '../../layers/domain/default-campaign';
import { withCheckKey } from '../../layers/domain/finess';
import { arsRegions, type ArsCode } from '../../layers/domain/regions';

export const DEMO_CAMPAIGN_ID = 'demo';
/** The owner of the sample applications; sign in with this address on the local login page to see them. */
export const DEMO_APPLICANT_EMAIL = 'directrice@ehpad-demo.local';

/**
 * The demonstration campaign of `npm start`: its intake is open on the start day, so that a newcomer can
 * apply at once. Every milestone is a Paris midnight counted in Paris days from the start day.
 */
export function demoCampaign(startDay: Date): CampaignCreate {
  const midnight = startOfParisDay(parisDate(startDay));
  const instant = (days: number) => toParisIso(addParisDays(midnight, days));
  const date = (days: number) => parisDate(addParisDays(midnight, days));
  return {
    ...defaultCampaign,
    id: DEMO_CAMPAIGN_ID,
    title: 'Campagne de démonstration',
    intakeOpensAt: instant(-10),
    intakeClosesAt: instant(30),
    selectionEndsAt: instant(60),
    conventionsDueAt: instant(90),
    experimentationStart: date(90),
    experimentationEnd: date(270),
  };
}

export interface DemoApplication {
  readonly id: string;
  readonly create: ApplicationCreate;
  readonly submitted: boolean;
}

/** A valid FINESS in the first département of the region: 8 characters, then the Luhn key (none in Corsica). */
function finessIn(ars: ArsCode, serial: number): string {
  const department = arsRegions.find((region) => region.code === ars)!.departments[0];
  // Overseas FINESS numbers start 970 then the last digit of the département (9711… is Guadeloupe).
  const prefix = department.length === 3 ? `970${department.charAt(2)}` : department;
  const first8 = `${prefix}${String(serial).padStart(8 - prefix.length, '0')}`;
  return /^[0-9]{8}$/.test(first8) ? withCheckKey(first8) : `${first8}0`;
}

/** The sample applications of `directrice@ehpad-demo.local`, in the deployment's region (Nouvelle-Aquitaine when national). */
export function demoApplications(deployment: ArsCode | 'national'): DemoApplication[] {
  const ars = deployment === 'national' ? 'NAQ' : deployment;
  const eligible = {
    category: '500',
    contact: { name: 'Claire Martin', email: DEMO_APPLICANT_EMAIL, phone: '05 56 00 00 00' },
    dui: { editor: 'Éditeur Démo', product: 'DUI Démo', segurReferenced: true, mesCapable: true },
    readiness: { dmp: 'en_production', mss: 'en_cours', ins: 'en_production' },
    pathways: ['personnes_agees'],
    exchanges: "Comptes rendus d'hospitalisation et lettres de liaison déposés dans le DMP ; échanges avec les médecins traitants par la messagerie sécurisée.",
    awarenessMeans: 'Réunion avec les familles, affiches dans le hall, formation des infirmières coordinatrices.',
    capacity: 84,
  } satisfies Omit<ApplicationCreate, 'finess'>;
  return [
    { id: 'MES-DEM0DEP0', submitted: true, create: { finess: finessIn(ars, 101), name: 'EHPAD Les Tilleuls (démonstration)', ...eligible } },
    {
      id: 'MES-DEM0BR00',
      submitted: false,
      create: { finess: finessIn(ars, 202), name: 'SSIAD du Val (démonstration)', category: '354', contact: { email: DEMO_APPLICANT_EMAIL }, pathways: ['personnes_agees'] },
    },
  ];
}
