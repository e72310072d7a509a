import { callApi, expectProblem } from './support/stack';
import { spawnLocalStack, type RunningStack } from '../../infra/local/spawn';
import { DEFAULT_CAMPAIGN, DURING_INTAKE, finessIn } from './support/fixtures';

let regional: RunningStack;

beforeAll(async () => {
  regional = await spawnLocalStack({ ARS: 'NAQ', LOCAL_TABLE_PREFIX: 'mes-pilotes-naq' });
  await callApi(regional.info.apiUrl, 'PUT', '/local/clock', { body: { now: DURING_INTAKE } });
}, 90_000);
afterAll(() => regional?.stop());

const token = async (sub: string) =>
  (await callApi(regional.info.apiUrl, 'POST', '/local/token', { body: { sub, email: `${sub}@esms.local`, groups: ['candidat'] } })).json.token as string;

describe('a deployment for one ARS (Nouvelle-Aquitaine)', () => {
  it('accepts FINESS of its region, overseas and Corsica refused with wrong_region naming the right ARS', async () => {
    const candidat = await token('esms-regional');
    const create = (finess: string) => callApi(regional.info.apiUrl, 'POST', `/v1/campaigns/${DEFAULT_CAMPAIGN}/applications`, { token: candidat, body: { finess } });

    expect((await create(finessIn('33'))).status).toBe(201);

    const toulouse = await create(finessIn('31'));
    expectProblem(toulouse, 422, 'wrong_region');
    expect(toulouse.json.detail).toContain("l'ARS Occitanie (OCC)");

    const reunion = await create(finessIn('974'));
    expectProblem(reunion, 422, 'wrong_region');
    expect(reunion.json.detail).toContain('La Réunion (REU)');

    const corsica = await create('2A0000019');
    expectProblem(corsica, 422, 'wrong_region');
    expect(corsica.json.detail).toContain('Corse (COR)');
  });
});
