import type { CampaignCreate } from './campaign';
import { DEFAULT_FUNDING_PER_PILOT_EUR } from './campaign';
import { defaultIndicatorCodes } from './indicators';

/** The 2023–2024 call for projects (seed 000, API.md): seeded on the first start of every stack. */
export const defaultCampaign: CampaignCreate = {
  id: 'mes-esms-2023',
  title: 'Expérimentation Mon espace santé en établissements et services médico-sociaux (ESMS) — appel à projets 2023',
  intakeOpensAt: '2023-09-01T00:00:00+02:00',
  intakeClosesAt: '2023-11-01T00:00:00+01:00',
  selectionEndsAt: '2023-12-16T00:00:00+01:00',
  conventionsDueAt: '2024-02-15T00:00:00+01:00',
  experimentationStart: '2024-02-15',
  experimentationEnd: '2024-10-15',
  reportingGraceDays: 15,
  quotas: {},
  fundingPerPilotEur: DEFAULT_FUNDING_PER_PILOT_EUR,
  indicators: [...defaultIndicatorCodes],
  // Project decision: modest usage targets over the whole experimentation, to be set per campaign by the national team.
  targets: {
    'docs_dmp.74207-2': 10,
    'mss.usagers': 20,
    'mes.activations_accompagnees': 20,
  },
};
