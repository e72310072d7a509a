import { api, roles, runMilestones, setClock, token } from './stack';
import { eligibleFields, finessIn } from './fixtures';
import { calendarOf } from '../../support/calendars';

/** A campaign of its own for a test file, so its quotas and deadlines do not depend on other files. */
export const calendar2031 = calendarOf(2031);
export const IN_INTAKE_2031 = '2031-02-10T10:00:00+01:00';
export const IN_SELECTION_2031 = '2031-03-10T10:00:00+01:00';
export const IN_CONVENTIONS_2031 = '2031-05-01T10:00:00+02:00';

export async function createCampaign(id: string, overrides: Record<string, unknown> = {}): Promise<void> {
  const response = await api('POST', '/v1/campaigns', { token: await roles.national(), body: { id, title: `Campagne ${id}`, ...calendar2031, ...overrides } });
  if (response.status !== 201 && response.json?.code !== 'campaign_exists') throw new Error(`campaign: ${response.status} ${response.text}`);
}

export interface Submitted {
  id: string;
  finess: string;
  owner: string;
  ownerSub: string;
}

/** Creates and submits an eligible application (the clock must be inside the intake window). */
export async function submittedApplication(campaignId: string, department: string, ownerSub: string, fields: Record<string, unknown> = {}): Promise<Submitted> {
  const owner = await roles.candidat(ownerSub);
  const finess = finessIn(department);
  const created = await api('POST', `/v1/campaigns/${campaignId}/applications`, { token: owner, body: { finess, ...eligibleFields({ contact: { name: 'Direction', email: `${ownerSub}@esms.local` }, ...fields }) } });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${created.text}`);
  const submitted = await api('POST', `/v1/applications/${created.json.id}/submit`, { token: owner });
  if (submitted.status !== 200) throw new Error(`submit: ${submitted.status} ${submitted.text}`);
  return { id: created.json.id, finess, owner, ownerSub };
}

/** Moves the clock into the selection window and lets the milestone function close this campaign's intake. */
export async function closeIntake(campaignId: string, at = IN_SELECTION_2031): Promise<void> {
  await setClock(at);
  await runMilestones(campaignId);
}

export interface Callers {
  owner: string;
  stranger: string;
  noGroup: string;
  machine: string;
  arsNaq: string;
  arsOcc: string;
  national: string;
}

/** The tokens a refusal suite tries: the owner, another applicant, an account in no group, a DUI client, two ARS, national. */
export async function callersFor(prefix: string, ownerSub: string): Promise<Callers> {
  const [owner, stranger, noGroup, machine, arsNaq, arsOcc, national] = await Promise.all([
    roles.candidat(ownerSub),
    roles.candidat(`${prefix}-stranger`),
    token({ sub: `${prefix}-nogroup`, email: 'sans-groupe@esms.local' }),
    // A DUI vendor of the local stack (infra/lib/dui-vendors.ts), registered for none of the suite's resources.
    token({ sub: 'dui-local-b', clientId: 'dui-local-b', scope: 'usage/write' }),
    roles.ars('NAQ'),
    roles.ars('OCC'),
    roles.national(),
  ]);
  return { owner, stranger, noGroup, machine, arsNaq, arsOcc, national };
}
