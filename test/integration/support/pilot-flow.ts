import { randomBytes } from 'node:crypto';
import { eligibleFields, finessIn } from './fixtures';
import { api, roles, runMilestones, setClock, token, type ApiResponse } from './stack';

/**
 * Pilots the way they come to exist: a fresh campaign with its own calendar (so tests never depend on the
 * default campaign's state), applications created and submitted during intake, the milestone run moving them
 * to review at the closing instant, a `retenue` decision, the region notified, and the convention signed by
 * the owner and by the ARS of the region.
 */
export interface TestCampaign {
  readonly id: string;
  readonly year: number;
  /** Instants of the calendar, Paris offsets. */
  readonly duringIntake: string;
  readonly afterIntake: string;
  /** Reporting: months `${year}-04` to `${year}-08`, closes at the end of 30 August. */
  readonly lastReportingInstant: string;
  readonly reportingClosed: string;
  readonly json: Record<string, unknown>;
}

export interface CampaignOptions {
  readonly year: number;
  readonly indicators?: string[];
  readonly targets?: Record<string, number>;
  readonly fundingPerPilotEur?: number;
}

function ok(response: ApiResponse, expected: number, what: string): ApiResponse {
  if (response.status !== expected) throw new Error(`${what}: expected ${expected}, got ${response.status} ${response.text}`);
  return response;
}

const suffix = () => randomBytes(3).toString('hex');

/** A campaign whose experimentation runs from 1 April to 15 August of `year`, reporting 15 days more. */
export async function createCampaign(options: CampaignOptions): Promise<TestCampaign> {
  const { year } = options;
  const id = `test-usage-${year}-${suffix()}`;
  const body = {
    id,
    title: `Campagne de test des remontées ${year}`,
    intakeOpensAt: `${year}-01-05T00:00:00+01:00`,
    intakeClosesAt: `${year}-02-01T00:00:00+01:00`,
    selectionEndsAt: `${year}-03-01T00:00:00+01:00`,
    conventionsDueAt: `${year}-03-20T00:00:00+01:00`,
    experimentationStart: `${year}-04-01`,
    experimentationEnd: `${year}-08-15`,
    reportingGraceDays: 15,
    ...(options.indicators ? { indicators: options.indicators } : {}),
    ...(options.targets ? { targets: options.targets } : {}),
    ...(options.fundingPerPilotEur !== undefined ? { fundingPerPilotEur: options.fundingPerPilotEur } : {}),
  };
  const created = ok(await api('POST', '/v1/campaigns', { token: await roles.national(), body }), 201, 'create campaign');
  return {
    id,
    year,
    duringIntake: `${year}-01-10T10:00:00+01:00`,
    afterIntake: `${year}-02-01T00:00:01+01:00`,
    lastReportingInstant: `${year}-08-30T23:59:59+02:00`,
    reportingClosed: `${year}-08-31T00:00:00+02:00`,
    json: created.json,
  };
}

export interface PilotSpec {
  /** Département of the FINESS (decides the region). */
  readonly department: string;
  /** A FINESS of that département to use (one already a pilot elsewhere, say); a new one otherwise. */
  readonly finess?: string;
  readonly name?: string;
  /** 'both' (default) makes a pilot; 'esms' leaves the convention waiting for the ARS. */
  readonly signatures?: 'both' | 'esms';
}

export interface TestPilot {
  readonly finess: string;
  readonly campaignId: string;
  readonly ars: string;
  readonly ownerSub: string;
  readonly ownerToken: string;
  readonly applicationId: string;
  readonly conventionId: string;
}

/** Runs the whole flow for each spec; leaves the clock just after intake closed. */
export async function createPilots(campaign: TestCampaign, specs: readonly PilotSpec[]): Promise<TestPilot[]> {
  await setClock(campaign.duringIntake);
  const drafts = await Promise.all(
    specs.map(async (spec, index) => {
      const ownerSub = `esms-${campaign.id}-${index}`;
      const ownerToken = await roles.candidat(ownerSub, `direction-${index}@${campaign.id}.local`);
      const finess = spec.finess ?? finessIn(spec.department);
      const fields = eligibleFields({ name: spec.name ?? `EHPAD pilote ${index + 1}`, contact: { name: 'Claire Martin', email: `direction-${index}@${campaign.id}.local` } });
      const draft = ok(await api('POST', `/v1/campaigns/${campaign.id}/applications`, { token: ownerToken, body: { finess, ...fields } }), 201, 'create application');
      ok(await api('POST', `/v1/applications/${draft.json.id}/submit`, { token: ownerToken }), 200, 'submit application');
      return { spec, finess, ownerSub, ownerToken, applicationId: draft.json.id as string, ars: draft.json.ars as string };
    }),
  );

  await setClock(campaign.afterIntake);
  await runMilestones();

  const regions = [...new Set(drafts.map((draft) => draft.ars))];
  const arsTokens = new Map(await Promise.all(regions.map(async (ars) => [ars, await roles.ars(ars)] as const)));
  for (const draft of drafts) {
    const decided = await api('POST', `/v1/applications/${draft.applicationId}/decision`, {
      token: arsTokens.get(draft.ars)!,
      body: { decision: 'retenue', motivation: 'Projet mature, DUI référencé Ségur, parcours clairs.' },
    });
    ok(decided, 200, `decide ${draft.applicationId} (is the application en_instruction after the milestone run?)`);
  }
  for (const ars of regions) ok(await api('POST', `/v1/campaigns/${campaign.id}/regions/${ars}/notify`, { token: arsTokens.get(ars)! }), 200, 'notify region');

  const pilots: TestPilot[] = [];
  for (const draft of drafts) {
    const conventionId = draft.applicationId.replace(/^MES-/, 'CNV-');
    ok(await api('POST', `/v1/conventions/${conventionId}/signatures`, { token: draft.ownerToken, body: { party: 'esms' } }), 200, 'sign as esms');
    if ((draft.spec.signatures ?? 'both') === 'both') {
      ok(await api('POST', `/v1/conventions/${conventionId}/signatures`, { token: arsTokens.get(draft.ars)!, body: { party: 'ars' } }), 200, 'sign as ars');
    }
    pilots.push({ finess: draft.finess, campaignId: campaign.id, ars: draft.ars, ownerSub: draft.ownerSub, ownerToken: draft.ownerToken, applicationId: draft.applicationId, conventionId });
  }
  return pilots;
}

/** A DUI vendor's machine token: client credentials carry the client id as subject and the usage/write scope. */
export const machineToken = (clientId: string, scope = 'usage/write'): Promise<string> => token({ sub: clientId, clientId, scope });

/** Registers a machine client for a pilot, as the ARS of its region. */
export async function registerClient(pilot: TestPilot, clientId: string): Promise<void> {
  ok(await api('POST', `/v1/campaigns/${pilot.campaignId}/pilots/${pilot.finess}/reporting-clients`, { token: await roles.ars(pilot.ars), body: { clientId } }), 201, 'register client');
}
