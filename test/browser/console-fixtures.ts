/**
 * The console tests' data, prepared through the API with /local/token tokens and the simulated clock, on a
 * campaign of their own (a unique id per run, in 2041: no other test uses that year).
 */
import { withCheckKey } from '../../layers/domain/finess';
import { call, runMilestones, setClock } from './support/browser';

export const token = async (sub: string, email: string, groups: string[]): Promise<string> => {
  const response = await call('POST', '/local/token', { body: { sub, email, groups } });
  if (response.status !== 200) throw new Error(`token: ${response.status} ${response.text}`);
  return response.json.token as string;
};

export const nationalToken = () => token('console-national', 'equipe@national.local', ['national']);
export const arsToken = (ars: string) => token(`console-ars-${ars}`, `instruction@ars-${ars.toLowerCase()}.local`, [`ars-${ars}`]);

async function ok(method: string, path: string, options: { token?: string; body?: unknown }, expected = [200, 201]): Promise<any> {
  const response = await call(method, path, options);
  if (!expected.includes(response.status)) throw new Error(`${method} ${path}: ${response.status} ${response.text}`);
  return response.json;
}

/** The calendar of the run's campaign; the simulated clock walks through it. */
export const CALENDAR = {
  intakeOpensAt: '2041-01-01T00:00:00+01:00',
  intakeClosesAt: '2041-03-01T00:00:00+01:00',
  selectionEndsAt: '2041-05-01T00:00:00+02:00',
  conventionsDueAt: '2041-07-01T00:00:00+02:00',
  experimentationStart: '2041-07-01',
  experimentationEnd: '2041-12-31',
};
export const DURING_INTAKE = '2041-02-01T10:00:00+01:00';
export const DURING_SELECTION = '2041-03-10T10:00:00+01:00';

export interface SeededFile {
  id: string;
  finess: string;
  name: string;
  ars: string;
  category: string;
  ownerEmail: string;
  ownerToken: string;
}

const randomDigits = (n: number) => String(Math.floor(Math.random() * 10 ** n)).padStart(n, '0');

/** A FINESS of that département no other test uses: the département, random digits, the key. */
export const finessIn = (department: string) => withCheckKey(`${department}${randomDigits(8 - department.length)}`);

export async function createCampaign(id: string, quotas: Record<string, number>): Promise<void> {
  await ok('POST', '/v1/campaigns', { token: await nationalToken(), body: { id, title: `Campagne de test de la console ${id}`, ...CALENDAR, quotas, targets: { 'mss.usagers': 10 } } });
}

/** Submitted files, each by its own applicant account; `names` are the establishments' names. */
export async function submitFiles(campaignId: string, files: { name: string; department: string; category: string }[]): Promise<SeededFile[]> {
  const seeded: SeededFile[] = [];
  for (const [index, file] of files.entries()) {
    const ownerEmail = `direction-${index}-${randomDigits(6)}@esms-console.local`;
    const ownerToken = await token(`console-owner-${ownerEmail}`, ownerEmail, ['candidat']);
    const finess = finessIn(file.department);
    const created = await ok('POST', `/v1/campaigns/${campaignId}/applications`, {
      token: ownerToken,
      body: {
        finess,
        name: file.name,
        category: file.category,
        contact: { name: 'Camille Martin', email: ownerEmail },
        dui: { editor: 'Éditeur', product: 'DUI', segurReferenced: true, mesCapable: true },
        readiness: { dmp: 'en_production', mss: 'en_cours', ins: 'en_production' },
        pathways: ['personnes_agees'],
        exchanges: 'Documents de liaison vers le DMP, messagerie sécurisée avec les médecins traitants.',
        awarenessMeans: 'Réunions des familles et formation des équipes.',
        capacity: 80,
      },
    });
    await ok('POST', `/v1/applications/${created.id}/submit`, { token: ownerToken });
    seeded.push({ id: created.id, finess, name: file.name, ars: created.ars, category: file.category, ownerEmail, ownerToken });
  }
  return seeded;
}

/** Intake closes: the submitted files go to review (en_instruction). */
export async function closeIntake(campaignId: string): Promise<void> {
  await setClock(DURING_SELECTION);
  await runMilestones(campaignId);
}

export async function openIntake(): Promise<void> {
  await setClock(DURING_INTAKE);
}

export { ok };
