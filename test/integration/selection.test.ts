import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { parse } from 'csv-parse/sync';
import { api, clearInbox, dynamo, expectProblem, inbox, roles, setClock, stack, tableSnapshot } from './support/stack';
import { closeIntake, createCampaign, IN_CONVENTIONS_2031, IN_INTAKE_2031, submittedApplication, type Submitted } from './support/flow';

const CAMPAIGN = 'test-selection-2031';
const scores = { maturite_dui: 4, parcours: 5, sensibilisation: 3, partenariats: 4, capacite: 2 };

let naq: Submitted[];
let occ: Submitted;
let arsNaq: string;

beforeAll(async () => {
  await createCampaign(CAMPAIGN, { quotas: { NAQ: 2 }, fundingPerPilotEur: 30000 });
  await setClock(IN_INTAKE_2031);
  naq = [];
  for (let index = 0; index < 6; index += 1) naq.push(await submittedApplication(CAMPAIGN, '33', `esms-sel-${index}`, { name: `Résidence Les Écureuils ${index}` }));
  occ = await submittedApplication(CAMPAIGN, '31', 'esms-sel-occ');
  await closeIntake(CAMPAIGN);
  arsNaq = await roles.ars('NAQ');
});
afterAll(() => setClock(null));

const decide = (id: string, decision: string, tokenValue = arsNaq, headers: Record<string, string> = {}) =>
  api('POST', `/v1/applications/${id}/decision`, { token: tokenValue, body: { decision, motivation: 'Projet solide, DUI référencé Ségur, parcours personnes âgées détaillé.' }, headers });

describe('closing the intake', () => {
  it('moved every submitted application to review and told each ARS how many await it', async () => {
    const read = await api('GET', `/v1/applications/${naq[0]!.id}`, { token: arsNaq });
    expect(read.json.status).toBe('en_instruction');
    const history = await api('GET', `/v1/applications/${naq[0]!.id}/history`, { token: arsNaq });
    expect(history.json.items.at(-1)).toMatchObject({ action: 'cloture_candidatures', actor: 'systeme', from: 'deposee', to: 'en_instruction' });
    const notices = (await inbox()).filter((email) => email.subject.includes('à instruire') && email.body.text?.includes(`Campagne ${CAMPAIGN}`));
    expect(notices.map((email) => [email.destination.to[0], email.subject]).sort()).toEqual([
      ['ars-naq-mes@ars.invalid', '6 candidatures à instruire — Nouvelle-Aquitaine'],
      ['ars-occ-mes@ars.invalid', '1 candidature à instruire — Occitanie'],
    ]);
  });
});

describe('reviews', () => {
  it('records the scores and their average for the ARS, and never shows them to the applicant', async () => {
    const reviewed = await api('PUT', `/v1/applications/${naq[1]!.id}/review`, { token: arsNaq, body: { scores, comment: 'Bon dossier' } });
    expect(reviewed.status).toBe(200);
    expect(reviewed.json.review).toMatchObject({ scores, comment: 'Bon dossier', average: 3.6, reviewedBy: 'ars-NAQ:ars-naq-1' });
    const asApplicant = await api('GET', `/v1/applications/${naq[1]!.id}`, { token: naq[1]!.owner });
    expect(asApplicant.json.review).toBeUndefined();
    const applicantHistory = await api('GET', `/v1/applications/${naq[1]!.id}/history`, { token: naq[1]!.owner });
    expect(applicantHistory.json.items.map((entry: { action: string }) => entry.action)).not.toContain('evaluation');
  });

  it('refuses bad scores, other regions and reviews after the selection deadline, writing nothing', async () => {
    const before = await tableSnapshot();
    expectProblem(await api('PUT', `/v1/applications/${naq[2]!.id}/review`, { token: arsNaq, body: { scores: { ...scores, capacite: 6 } } }), 400, 'validation_failed');
    expectProblem(await api('PUT', `/v1/applications/${naq[2]!.id}/review`, { token: arsNaq, body: { scores: { parcours: 3 } } }), 400, 'validation_failed');
    expectProblem(await api('PUT', `/v1/applications/${naq[2]!.id}/review`, { token: arsNaq, body: { scores: { ...scores, innovation: 5 } } }), 400, 'validation_failed');
    expectProblem(await api('PUT', `/v1/applications/${naq[2]!.id}/review`, { token: await roles.ars('OCC'), body: { scores } }), 404, 'not_found');
    expectProblem(await api('PUT', `/v1/applications/${naq[2]!.id}/review`, { token: naq[2]!.owner, body: { scores } }), 403, 'forbidden');
    await setClock('2031-04-15T00:00:00+02:00');
    expectProblem(await api('PUT', `/v1/applications/${naq[2]!.id}/review`, { token: arsNaq, body: { scores } }), 409, 'selection_closed');
    expect(await tableSnapshot()).toBe(before);
    await setClock('2031-03-10T10:00:00+01:00');
  });

  it('lets an ARS sort its region by average score and filter by decision', async () => {
    await api('PUT', `/v1/applications/${naq[3]!.id}/review`, { token: arsNaq, body: { scores: { ...scores, capacite: 5 } } });
    await api('PUT', `/v1/applications/${naq[4]!.id}/review`, { token: arsNaq, body: { scores: { maturite_dui: 1, parcours: 1, sensibilisation: 1, partenariats: 1, capacite: 1 } } });
    const ranked = await api('GET', `/v1/campaigns/${CAMPAIGN}/applications?sort=score`, { token: arsNaq });
    expect(ranked.status).toBe(200);
    expect(ranked.json.items.map((item: { id: string }) => item.id)).toEqual([naq[3]!.id, naq[1]!.id, naq[4]!.id]);
    expect(ranked.json.items.map((item: { review: { average: number } }) => item.review.average)).toEqual([4.2, 3.6, 1]);
  });
});

describe('decisions and the regional quota', () => {
  it('requires a motivation, honours If-Match and hides the decision from the applicant until notified', async () => {
    expectProblem(await api('POST', `/v1/applications/${naq[0]!.id}/decision`, { token: arsNaq, body: { decision: 'retenue', motivation: '' } }), 400, 'validation_failed');
    expectProblem(await api('POST', `/v1/applications/${naq[0]!.id}/decision`, { token: arsNaq, body: { decision: 'retenue', motivation: 'x'.repeat(2001) } }), 400, 'validation_failed');
    expectProblem(await decide(naq[0]!.id, 'retenue', arsNaq, { 'if-match': '"1"' }), 412, 'version_conflict');
    const decided = await decide(naq[0]!.id, 'non_retenue');
    expect(decided.json).toMatchObject({ status: 'non_retenue', decision: { decision: 'non_retenue' } });
    const asApplicant = await api('GET', `/v1/applications/${naq[0]!.id}`, { token: naq[0]!.owner });
    expect(asApplicant.json.status).toBe('en_instruction');
    expect(asApplicant.json.decision).toBeUndefined();
  });

  it('holds the quota of 2 when six decisions to retain arrive at once', async () => {
    const candidates = [naq[1]!, naq[2]!, naq[3]!, naq[4]!, naq[5]!, naq[0]!];
    const responses = await Promise.all(candidates.map((application) => decide(application.id, 'retenue')));
    expect(responses.filter((response) => response.status === 200)).toHaveLength(2);
    const refused = responses.filter((response) => response.status !== 200);
    expect(refused).toHaveLength(4);
    refused.forEach((response) => expectProblem(response, 409, 'quota_reached'));
    const counter = await dynamo.send(new GetCommand({ TableName: stack.tableName, Key: { pk: `CAMPAIGN#${CAMPAIGN}`, sk: 'QUOTA#NAQ' } }));
    expect(counter.Item?.retained).toBe(2);
    const listed = await api('GET', `/v1/campaigns/${CAMPAIGN}/applications?status=retenue`, { token: arsNaq });
    expect(listed.json.items).toHaveLength(2);
  });

  it('frees a place when a retained application is changed to not retained before notification', async () => {
    const retained = (await api('GET', `/v1/campaigns/${CAMPAIGN}/applications?status=retenue`, { token: arsNaq })).json.items as { id: string }[];
    expect((await decide(retained[0]!.id, 'non_retenue')).status).toBe(200);
    const undecided = naq.find((application) => !retained.some((item) => item.id === application.id) && application.id !== naq[0]!.id)!;
    expect((await decide(undecided.id, 'retenue')).status).toBe(200);
    expectProblem(await decide(retained[0]!.id, 'retenue'), 409, 'quota_reached');
  });
});

describe('notification and conventions', () => {
  it('emails each decided applicant once, creates a convention per retained one, and notifies nobody twice', async () => {
    await clearInbox();
    const [first, second] = await Promise.all([
      api('POST', `/v1/campaigns/${CAMPAIGN}/regions/NAQ/notify`, { token: arsNaq }),
      api('POST', `/v1/campaigns/${CAMPAIGN}/regions/NAQ/notify`, { token: arsNaq }),
    ]);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    const decided = (await api('GET', `/v1/campaigns/${CAMPAIGN}/applications?limit=200`, { token: arsNaq })).json.items.filter((item: { decision?: unknown }) => item.decision);
    expect(first.json.notified + second.json.notified).toBe(decided.length);
    expect(first.json.conventionsCreated + second.json.conventionsCreated).toBe(2);
    const third = await api('POST', `/v1/campaigns/${CAMPAIGN}/regions/NAQ/notify`, { token: arsNaq });
    expect(third.json).toEqual({ notified: 0, conventionsCreated: 0 });

    const emails = await inbox();
    for (const item of decided) {
      const mine = emails.filter((email) => email.subject.includes(item.id));
      expect(mine).toHaveLength(1);
      expect(mine[0]!.body.text).toContain('Motivation de la décision : Projet solide');
    }
    const retainedEmail = emails.find((email) => email.subject.endsWith('votre candidature est retenue'))!;
    expect(retainedEmail.body.text).toContain('30 000 €');
    // The establishment's name quoted after "du dossier", never "la candidature de EHPAD …".
    expect(retainedEmail.body.text).toMatch(/que la candidature du dossier « [^»]+ » \(n° MES-[A-Z0-9]+, FINESS [\d ]+\) a été retenue par l'ARS Nouvelle-Aquitaine/);
    expect(retainedEmail.body.text).not.toMatch(/candidature de [A-Z]/);
    expect(retainedEmail.body.text).toContain('1er juin 2031');

    const owner = naq.find((application) => application.id === decided.find((item: { status: string }) => item.status === 'retenue').id)!;
    const seen = await api('GET', `/v1/applications/${owner.id}`, { token: owner.owner });
    expect(seen.json).toMatchObject({ status: 'retenue', decision: { decision: 'retenue' } });
    expectProblem(await decide(owner.id, 'non_retenue'), 409, 'invalid_transition');
    expectProblem(await api('POST', `/v1/campaigns/${CAMPAIGN}/regions/NAQ/notify`, { token: await roles.ars('OCC') }), 404, 'not_found');
  });

  it('signs a convention by both parties, makes a pilot, and emails both exactly once', async () => {
    await setClock(IN_CONVENTIONS_2031);
    await clearInbox();
    const conventions = await api('GET', `/v1/campaigns/${CAMPAIGN}/conventions?status=a_signer`, { token: arsNaq });
    expect(conventions.json.items).toHaveLength(2);
    const convention = conventions.json.items[0];
    expect(convention).toMatchObject({ amountEur: 30000, firstInstalmentEur: 15000, dueAt: '2031-06-01T00:00:00+02:00', status: 'a_signer', ars: 'NAQ' });
    const owner = naq.find((application) => application.id === convention.applicationId)!;
    const path = `/v1/conventions/${convention.id}/signatures`;

    expectProblem(await api('GET', `/v1/conventions/${convention.id}`, { token: await roles.ars('OCC') }), 404, 'not_found');
    expectProblem(await api('POST', path, { token: arsNaq, body: { party: 'esms' } }), 403, 'forbidden');
    expectProblem(await api('POST', path, { token: owner.owner, body: { party: 'ars' } }), 403, 'forbidden');
    expectProblem(await api('POST', path, { token: owner.owner, body: { party: 'both' } }), 400, 'validation_failed');

    const esms = await api('POST', path, { token: owner.owner, body: { party: 'esms' } });
    expect(esms.json).toMatchObject({ status: 'a_signer', signatures: { esms: { by: `candidat:${owner.ownerSub}` } } });
    expectProblem(await api('POST', path, { token: owner.owner, body: { party: 'esms' } }), 409, 'already_signed');
    const both = await api('POST', path, { token: arsNaq, body: { party: 'ars' } });
    expect(both.json.status).toBe('signee');

    const emails = (await inbox()).filter((email) => email.subject.startsWith(`Convention ${convention.id} signée`));
    expect(emails.map((email) => email.destination.to[0]).sort()).toEqual([`${owner.ownerSub}@esms.local`, 'instruction@ars-naq.local']);
    for (const email of emails) expect(email.body.text).toMatch(/et l'ARS Nouvelle-Aquitaine a été signée par les deux parties le \d/);
    const pilot = await dynamo.send(new GetCommand({ TableName: stack.tableName, Key: { pk: `PILOT#${owner.finess}`, sk: `CAMPAIGN#${CAMPAIGN}` } }));
    expect(pilot.Item).toMatchObject({ conventionId: convention.id, ars: 'NAQ', amountEur: 30000 });

    const history = await api('GET', `/v1/applications/${owner.id}/history`, { token: arsNaq });
    expect(history.json.items.map((entry: { action: string }) => entry.action).slice(-4)).toEqual(['notification', 'signature_esms', 'signature_ars', 'convention_signee']);
  });

  it('refuses signatures from the due date on', async () => {
    const pending = (await api('GET', `/v1/campaigns/${CAMPAIGN}/conventions?status=a_signer`, { token: arsNaq })).json.items[0];
    await setClock('2031-06-01T00:00:00+02:00');
    const owner = naq.find((application) => application.id === pending.applicationId)!;
    expectProblem(await api('POST', `/v1/conventions/${pending.id}/signatures`, { token: owner.owner, body: { party: 'esms' } }), 409, 'convention_due_passed');
    await setClock(IN_CONVENTIONS_2031);
  });
});

describe('the applications export', () => {
  it('is a ;-separated UTF-8 CSV with BOM that a CSV parser reads back with accents intact', async () => {
    const response = await api('GET', `/v1/campaigns/${CAMPAIGN}/exports/applications.csv`, { token: arsNaq });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const raw = Buffer.from(await (await fetch(`${stack.apiUrl}/v1/campaigns/${CAMPAIGN}/exports/applications.csv`, { headers: { authorization: `Bearer ${arsNaq}` } })).arrayBuffer());
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows: Record<string, string>[] = parse(raw, { bom: true, delimiter: ';', columns: true });
    expect(rows).toHaveLength(6);
    expect(rows.every((row) => row.ARS === 'Nouvelle-Aquitaine')).toBe(true);
    expect(rows.map((row) => row.Nom)).toContain('Résidence Les Écureuils 3');
    const best = rows.find((row) => row.Nom === 'Résidence Les Écureuils 3')!;
    expect(best['Note moyenne']).toBe('4,2');
    expect(best['Libellé catégorie']).toContain('Établissement');
    expect(rows.filter((row) => row['Décision'] === 'retenue')).toHaveLength(2);
    expect(rows.find((row) => row['Décision'])!['Motivation']).toContain('Projet solide');

    const national = parse(Buffer.from(await (await fetch(`${stack.apiUrl}/v1/campaigns/${CAMPAIGN}/exports/applications.csv`, { headers: { authorization: `Bearer ${await roles.national()}` } })).arrayBuffer()), { bom: true, delimiter: ';', columns: true });
    expect(national).toHaveLength(7);
    expect(occ.id).toBeDefined();
  });
});
