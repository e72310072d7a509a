/**
 * The in-memory adapters (layers/adapters/memory) stand in for the DynamoDB ones in the use cases' unit
 * tests: the same scenarios, run on both against DynamoDB Local, must end the same way (the errors the
 * stores raise by name, what they store).
 */
import { stack } from './support/stack';
import { memoryPorts } from '../../layers/adapters/memory/ports';
import type { Caller } from '../../layers/domain/access';
import { applicationCreateSchema, type Application } from '../../layers/domain/application';
import { parseInstant } from '../../layers/domain/calendar';
import { newCampaign } from '../../layers/domain/campaign';
import { defaultCampaign } from '../../layers/domain/default-campaign';
import { withCheckKey } from '../../layers/domain/finess';
import type { Applications, Campaigns, Conventions, Mail } from '../../layers/domain/ports';
import { createApplication, submitApplication, withdrawApplication } from '../../layers/domain/use-cases/applications';
import { signConvention } from '../../layers/domain/use-cases/conventions';
import { decideOnApplication, notifyRegion } from '../../layers/domain/use-cases/selection';
import { eligibleFields } from './support/fixtures';

Object.assign(process.env, {
  TABLE_NAME: stack.tableName,
  DYNAMODB_ENDPOINT: stack.dynamodbEndpoint,
  AWS_REGION: 'eu-west-3',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  MAIL_FROM: 'ne-pas-repondre@mes-pilotes.local',
  POWERTOOLS_TRACE_ENABLED: 'false',
  POWERTOOLS_METRICS_DISABLED: 'true',
});

interface Stores {
  applications: Applications;
  campaigns: Campaigns;
  conventions: Conventions;
  mail: Mail;
}

const at = (text: string): Date => parseInstant(text)!;
const INTAKE = at('2023-10-12T14:05:00+02:00');
const SELECTION = at('2023-11-20T10:00:00+01:00');
const CONVENTIONS = at('2024-01-10T10:00:00+01:00');
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
let serial = Math.floor(Math.random() * 10_000);
const finess = () => withCheckKey(`33${String((serial += 1)).padStart(6, '0')}`);
const person = (id: string): Caller => ({ id: `${id}-${run}`, verifiedEmail: `${id}-${run}@esms.local`, roles: new Set(['candidat']), regions: [], clientId: undefined });
const naq: Caller = { id: `agent-${run}`, verifiedEmail: `agent-${run}@ars.local`, roles: new Set(['ars']), regions: ['NAQ'], clientId: undefined };
const acting = (caller: Caller, instant: Date) => ({ caller, actor: `x:${caller.id}`, at: instant });

let dynamo: Stores;
beforeAll(async () => {
  const { dynamoPorts } = await import('../../layers/adapters/ports');
  // Emails are recorded by the stores in both; sending them is not what is compared here.
  dynamo = { ...dynamoPorts, mail: memoryPorts().mail };
});

async function withCampaign(stores: Stores, quota: number): Promise<string> {
  const id = `contrat-${run}-${(serial += 1)}`;
  await stores.campaigns.create(newCampaign({ ...defaultCampaign, id, quotas: { NAQ: quota } }, at('2023-08-01T00:00:00+02:00')));
  return id;
}

const draftOf = (number: string) => applicationCreateSchema.parse({ finess: number, ...eligibleFields() });

let ids = 0;
const newId = () => `MES-C${run}${(ids += 1)}`.toUpperCase();

/** A submitted application, then moved to review as the milestone would. */
async function inReview(stores: Stores, campaignId: string, owner: Caller): Promise<Application> {
  const draft = await createApplication(stores, { ...acting(owner, INTAKE), campaignId, input: draftOf(finess()), deployment: 'national', newId });
  const { application } = await submitApplication(stores, { ...acting(owner, INTAKE), applicationId: draft.id });
  const next = { ...application, status: 'en_instruction' as const, version: application.version + 1 };
  await stores.applications.save({ application: next, expectedVersion: application.version, at: SELECTION });
  return next;
}

const outcome = (promise: Promise<unknown>) => promise.then(() => 'ok', (error: { code?: string }) => error.code ?? String(error));

async function scenario(stores: Stores) {
  const campaignId = await withCampaign(stores, 1);
  const [alice, bob] = [person('alice'), person('bob')];
  const steps: Record<string, unknown> = {};
  // Two drafts of one FINESS: the first submission takes it, the second is refused by name.
  const shared = finess();
  const first = await createApplication(stores, { ...acting(alice, INTAKE), campaignId, input: draftOf(shared), deployment: 'national', newId });
  const second = await createApplication(stores, { ...acting(bob, INTAKE), campaignId, input: draftOf(shared), deployment: 'national', newId });
  steps.firstSubmit = await outcome(submitApplication(stores, { ...acting(alice, INTAKE), applicationId: first.id }));
  steps.secondSubmit = await outcome(submitApplication(stores, { ...acting(bob, INTAKE), applicationId: second.id }));
  steps.thirdDraftOfHeldFiness = await outcome(createApplication(stores, { ...acting(bob, INTAKE), campaignId, input: draftOf(shared), deployment: 'national', newId }));
  steps.staleSave = await outcome(stores.applications.save({ application: { ...first, version: 9 }, expectedVersion: first.version, at: INTAKE }));
  // The quota of one: the second retained is refused by name, a withdrawal gives the place back.
  const [kept, other, third] = [await inReview(stores, campaignId, alice), await inReview(stores, campaignId, bob), await inReview(stores, campaignId, bob)];
  const retain = { decision: 'retenue' as const, motivation: 'Oui.' };
  steps.retainFirst = await outcome(decideOnApplication(stores, { ...acting(naq, SELECTION), applicationId: kept.id, input: retain }));
  steps.retainSecond = await outcome(decideOnApplication(stores, { ...acting(naq, SELECTION), applicationId: other.id, input: retain }));
  steps.withdrawRetained = await outcome(withdrawApplication(stores, { ...acting(alice, SELECTION), applicationId: kept.id }));
  steps.retainAfterWithdrawal = await outcome(decideOnApplication(stores, { ...acting(naq, SELECTION), applicationId: other.id, input: retain }));
  steps.rejectThird = await outcome(decideOnApplication(stores, { ...acting(naq, SELECTION), applicationId: third.id, input: { decision: 'non_retenue', motivation: 'Non.' } }));
  // Notifying makes one convention; signing twice makes it signee, a third signature is refused.
  steps.notify = await notifyRegion(stores, { ...acting(naq, CONVENTIONS), campaignId, ars: 'NAQ' });
  const conventionId = other.id.replace(/^MES-/, 'CNV-');
  steps.signEsms = await outcome(signConvention(stores, { ...acting(bob, CONVENTIONS), conventionId, party: 'esms' }));
  steps.signArs = await outcome(signConvention(stores, { ...acting(naq, CONVENTIONS), conventionId, party: 'ars' }));
  steps.signAgain = await outcome(signConvention(stores, { ...acting(naq, CONVENTIONS), conventionId, party: 'ars' }));
  steps.convention = (await stores.conventions.get(conventionId))?.status;
  steps.statuses = await Promise.all([first, second, kept, other, third].map(async (application) => (await stores.applications.get(application.id))?.status));
  steps.history = (await stores.applications.history(other.id)).map((entry) => entry.action);
  return steps;
}

describe('the in-memory adapters against the DynamoDB ones', () => {
  it('end the same scenario the same way: FINESS, versions, the quota, notification, signatures', async () => {
    const inMemory = await scenario(memoryPorts());
    const onDynamo = await scenario(dynamo);
    expect(onDynamo).toEqual(inMemory);
    expect(inMemory).toMatchObject({
      firstSubmit: 'ok',
      secondSubmit: 'duplicate_finess',
      thirdDraftOfHeldFiness: 'duplicate_finess',
      staleSave: 'version_conflict',
      retainFirst: 'ok',
      retainSecond: 'quota_reached',
      withdrawRetained: 'ok',
      retainAfterWithdrawal: 'ok',
      notify: { notified: 2, conventionsCreated: 1 },
      signEsms: 'ok',
      signArs: 'ok',
      signAgain: 'already_signed',
      convention: 'signee',
      statuses: ['deposee', 'brouillon', 'sans_suite', 'retenue', 'non_retenue'],
    });
  });
});
