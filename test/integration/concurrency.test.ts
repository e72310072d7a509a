import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { api, dynamo, expectProblem, inbox, roles, setClock, stack } from './support/stack';
import { eligibleFields, finessIn } from './support/fixtures';
import { closeIntake, createCampaign, IN_CONVENTIONS_2031, IN_INTAKE_2031, submittedApplication } from './support/flow';

const CAMPAIGN = 'test-concurrency-2031';

beforeAll(() => createCampaign(CAMPAIGN, { quotas: { NAQ: 5 } }));
afterAll(() => setClock(null));

describe('conflicting writes on one application', () => {
  it('lets exactly one of ten concurrent If-Match updates win; the others get 412 and no update is lost', async () => {
    await setClock(IN_INTAKE_2031);
    const owner = await roles.candidat('conc-owner');
    const draft = await api('POST', `/v1/campaigns/${CAMPAIGN}/applications`, { token: owner, body: { finess: finessIn('33') } });
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, index) => api('PUT', `/v1/applications/${draft.json.id}`, { token: owner, body: { name: `Nom ${index}` }, headers: { 'if-match': '"1"' } })),
    );
    const winners = responses.filter((response) => response.status === 200);
    expect(winners).toHaveLength(1);
    responses.filter((response) => response.status !== 200).forEach((response) => expectProblem(response, 412, 'version_conflict'));
    const stored = await api('GET', `/v1/applications/${draft.json.id}`, { token: owner });
    expect(stored.json).toMatchObject({ version: 2, name: winners[0]!.json.name });
  });

  it('applies every concurrent update made without If-Match, one after the other, each in the history (never a 412)', async () => {
    await setClock(IN_INTAKE_2031);
    const owner = await roles.candidat('conc-owner-2');
    const draft = await api('POST', `/v1/campaigns/${CAMPAIGN}/applications`, { token: owner, body: { finess: finessIn('33') } });
    const responses = await Promise.all(Array.from({ length: 8 }, (_, index) => api('PUT', `/v1/applications/${draft.json.id}`, { token: owner, body: { ...eligibleFields(), capacity: index } })));
    expect(responses.map((response) => response.status)).toEqual(Array(8).fill(200));
    const stored = await api('GET', `/v1/applications/${draft.json.id}`, { token: owner });
    expect(stored.json.version).toBe(9);
    const history = await api('GET', `/v1/applications/${draft.json.id}/history`, { token: owner });
    expect(history.json.items.filter((entry: { action: string }) => entry.action === 'modification')).toHaveLength(8);
  });

  it('submits once when the owner double-clicks: one acknowledgement, one transition', async () => {
    await setClock(IN_INTAKE_2031);
    const owner = await roles.candidat('conc-double-click');
    const draft = await api('POST', `/v1/campaigns/${CAMPAIGN}/applications`, { token: owner, body: { finess: finessIn('33'), ...eligibleFields({ contact: { email: 'double-click@esms.local' } }) } });
    const responses = await Promise.all(Array.from({ length: 5 }, () => api('POST', `/v1/applications/${draft.json.id}/submit`, { token: owner })));
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
    const history = await api('GET', `/v1/applications/${draft.json.id}/history`, { token: owner });
    expect(history.json.items.filter((entry: { action: string }) => entry.action === 'depot')).toHaveLength(1);
    expect((await inbox()).filter((email) => email.destination.to.includes('conc-double-click@esms.local'))).toHaveLength(1);
  });
});

describe('conflicting writes on one convention', () => {
  it('takes both signatures sent at the same instant: signed once, one pilot, one email per party', async () => {
    await setClock(IN_INTAKE_2031);
    const application = await submittedApplication(CAMPAIGN, '33', 'conc-sign');
    await closeIntake(CAMPAIGN);
    const ars = await roles.ars('NAQ');
    await api('POST', `/v1/applications/${application.id}/decision`, { token: ars, body: { decision: 'retenue', motivation: 'Très bon dossier.' } });
    await api('POST', `/v1/campaigns/${CAMPAIGN}/regions/NAQ/notify`, { token: ars });
    await setClock(IN_CONVENTIONS_2031);
    const convention = (await api('GET', `/v1/campaigns/${CAMPAIGN}/conventions?ars=NAQ`, { token: ars })).json.items.find((item: { applicationId: string }) => item.applicationId === application.id);
    const [esms, arsSigned] = await Promise.all([
      api('POST', `/v1/conventions/${convention.id}/signatures`, { token: application.owner, body: { party: 'esms' } }),
      api('POST', `/v1/conventions/${convention.id}/signatures`, { token: ars, body: { party: 'ars' } }),
    ]);
    expect([esms.status, arsSigned.status]).toEqual([200, 200]);
    const stored = await api('GET', `/v1/conventions/${convention.id}`, { token: ars });
    expect(stored.json).toMatchObject({ status: 'signee', version: 3 });
    const pilot = await dynamo.send(new GetCommand({ TableName: stack.tableName, Key: { pk: `PILOT#${application.finess}`, sk: `CAMPAIGN#${CAMPAIGN}` } }));
    expect(pilot.Item?.conventionId).toBe(convention.id);
    const signedEmails = (await inbox()).filter((email) => email.subject.startsWith(`Convention ${convention.id} signée`));
    expect(signedEmails).toHaveLength(2);
  });
});

describe('concurrent decisions without If-Match', () => {
  it('lets the last of 20 decisions on one file win, with 10 more on other files at the same time: no 412, every one in the history', async () => {
    await setClock(IN_INTAKE_2031);
    const contested = await submittedApplication(CAMPAIGN, '33', 'conc-decisions-contested');
    const others = await Promise.all(Array.from({ length: 10 }, (_, index) => submittedApplication(CAMPAIGN, '87', `conc-decisions-${index}`)));
    await closeIntake(CAMPAIGN);
    const ars = await roles.ars('NAQ');
    const retained = async () =>
      Number((await dynamo.send(new GetCommand({ TableName: stack.tableName, Key: { pk: `CAMPAIGN#${CAMPAIGN}`, sk: 'QUOTA#NAQ' }, ConsistentRead: true }))).Item?.retained ?? 0);
    const before = await retained();
    const decide = (id: string, decision: string, index: number) =>
      api('POST', `/v1/applications/${id}/decision`, { token: ars, body: { decision, motivation: `Décision n° ${index}` } });
    const responses = await Promise.all([
      ...Array.from({ length: 20 }, (_, index) => decide(contested.id, index % 2 === 0 ? 'non_retenue' : 'retenue', index)),
      ...others.map((other, index) => decide(other.id, 'non_retenue', index)),
    ]);
    expect(responses.map((response) => response.status)).toEqual(Array(30).fill(200));
    const history = (await api('GET', `/v1/applications/${contested.id}/history`, { token: ars })).json.items.filter((entry: { action: string }) => entry.action === 'decision');
    expect(history).toHaveLength(20);
    const stored = await api('GET', `/v1/applications/${contested.id}`, { token: ars });
    expect(stored.json.decision.motivation).toBe(history[history.length - 1].motivation);
    // The quota counter saw each retained decision and each change back exactly once.
    expect((await retained()) - before).toBe(stored.json.decision.decision === 'retenue' ? 1 : 0);
  });
});
