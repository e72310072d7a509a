import { withCheckKey } from '../../../layers/domain/finess';

let serial = Math.floor(Math.random() * 90_000);

/** A valid FINESS (Luhn key) in the given département, different on every call. */
export function finessIn(department: string): string {
  serial += 1;
  // Corsican numbers have no public key rule: any 7 digits after 2A/2B pass the format check.
  if (/^2[AB]$/.test(department)) return `${department}${String(serial).padStart(7, '0').slice(-7)}`;
  const body = department.length === 3 ? `970${department.slice(2)}` : department;
  return withCheckKey(`${body}${String(serial).padStart(8 - body.length, '0')}`.slice(0, 8));
}

/** Everything an eligible application needs, for an EHPAD. */
export function eligibleFields(overrides: Record<string, unknown> = {}) {
  return {
    name: 'EHPAD Les Tilleuls',
    category: '500',
    contact: { name: 'Claire Martin', email: 'direction@ehpad-tilleuls.local', phone: '05 56 00 00 00' },
    dui: { editor: 'Éditeur DUI', product: 'Dossier usager', segurReferenced: true, mesCapable: true },
    readiness: { dmp: 'en_cours', mss: 'en_production', ins: 'en_cours' },
    pathways: ['personnes_agees'],
    exchanges: "Envoi du DLU et de la lettre de liaison à l'hôpital ; messagerie sécurisée avec les familles.",
    awarenessMeans: 'Réunions des familles, formation des équipes soignantes.',
    capacity: 80,
    ...overrides,
  };
}

export const DEFAULT_CAMPAIGN = 'mes-esms-2023';
/** A moment when the default campaign's intake is open. */
export const DURING_INTAKE = '2023-10-12T14:05:00+02:00';
