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

  it('applies every concurrent update made without If-Match, one after the other, each in the history', async () => {
    await setClock(IN_INTAKE_2031);
    const owner = await roles.candidat('conc-owner-2');
    const draft = await api('POST', `/v1/campaigns/${CAMPAIGN}/applications`, { token: owner, body: { finess: finessIn('33') } });
    const responses = await Promise.all(Array.from({ length: 4 }, (_, index) => api('PUT', `/v1/applications/${draft.json.id}`, { token: owner, body: { ...eligibleFields(), capacity: index } })));
    const succeeded = responses.filter((response) => response.status === 200).length;
    responses.filter((response) => response.status !== 200).forEach((response) => expectProblem(response, 412, 'version_conflict'));
    const stored = await api('GET', `/v1/applications/${draft.json.id}`, { token: owner });
    expect(stored.json.version).toBe(1 + succeeded);
    const history = await api('GET', `/v1/applications/${draft.json.id}/history`, { token: owner });
    expect(history.json.items.filter((entry: { action: string }) => entry.action === 'modification')).toHaveLength(succeeded);
    expect(succeeded).toBeGreaterThanOrEqual(3);
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
