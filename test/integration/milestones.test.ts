import { api, clearInbox, expectProblem, inbox, roles, runMilestones, setClock, setFaults, type StoredEmail } from './support/stack';
import { eligibleFields, finessIn } from './support/fixtures';
import { createCampaign, submittedApplication, type Submitted } from './support/flow';
import { calendarOf } from '../support/calendars';

/** Each scenario gets its own campaign so runs scoped to it see nothing else. */
const calendar2032 = calendarOf(2032);
const IN_INTAKE = '2032-02-10T10:00:00+01:00';

async function campaignWithSubmissions(id: string, count: number): Promise<Submitted[]> {
  await createCampaign(id, calendar2032);
  await setClock(IN_INTAKE);
  const submitted: Submitted[] = [];
  const departments = ['33', '31', '69', '75', '2A', '974'];
  for (let index = 0; index < count; index += 1) submitted.push(await submittedApplication(id, departments[index % departments.length]!, `${id}-esms-${index}`));
  return submitted;
}

const about = (emails: StoredEmail[], text: string) => emails.filter((email) => email.body.text?.includes(text) || email.subject.includes(text));
const countBy = <T>(items: T[], key: (item: T) => string) => items.reduce((map, item) => map.set(key(item), (map.get(key(item)) ?? 0) + 1), new Map<string, number>());

afterEach(() => setFaults({ sesFailures: 0, deathAfterEmails: null, markSentFailures: 0 }));
afterAll(() => setClock(null));

describe('reminders before the intake closes', () => {
  it('reminds, once, each holder of a draft who has submitted nothing, two days before closing', async () => {
    const id = 'test-ms-drafts';
    await createCampaign(id, calendar2032);
    await setClock(IN_INTAKE);
    const idle = await roles.candidat('ms-draft-idle', 'idle@esms.local');
    await api('POST', `/v1/campaigns/${id}/applications`, { token: idle, body: { finess: finessIn('33') } });
    await api('POST', `/v1/campaigns/${id}/applications`, { token: idle, body: { finess: finessIn('33') } });
    const busy = await roles.candidat('ms-draft-busy', 'busy@esms.local');
    await api('POST', `/v1/campaigns/${id}/applications`, { token: busy, body: { finess: finessIn('64') } });
    const done = await api('POST', `/v1/campaigns/${id}/applications`, { token: busy, body: { finess: finessIn('64'), ...eligibleFields({ contact: { email: 'busy@esms.local' } }) } });
    await api('POST', `/v1/applications/${done.json.id}/submit`, { token: busy });
    await clearInbox();

    await setClock('2032-02-27T23:59:00+01:00');
    await runMilestones(id);
    expect(about(await inbox(), "n'est pas encore déposé")).toHaveLength(0);

    await setClock('2032-02-28T06:00:00+01:00');
    await runMilestones(id);
    await runMilestones(id);
    const reminders = about(await inbox(), "n'est pas encore déposé");
    expect(reminders.map((email) => email.destination.to[0])).toEqual(['idle@esms.local']);
    expect(reminders[0]!.body.text).toContain('ferment le 29 février 2032 à 23 h 59 (heure de Paris)');
  });
});

describe('duplicate concurrent runs', () => {
  it('apply each transition once and send each email once', async () => {
    const id = 'test-ms-concurrent';
    const submitted = await campaignWithSubmissions(id, 6);
    await clearInbox();
    await setClock('2032-03-01T00:00:00+01:00');
    const runs = await Promise.all([runMilestones(id), runMilestones(id), runMilestones(id)]);
    const transitions = runs.reduce((sum: number, run) => sum + (run.campaigns[0]?.transitions ?? 0), 0);
    expect(transitions).toBe(6);
    for (const application of submitted) {
      const history = await api('GET', `/v1/applications/${application.id}/history`, { token: application.owner });
      expect(history.json.items.filter((entry: { action: string }) => entry.action === 'cloture_candidatures')).toHaveLength(1);
    }
    await runMilestones(id);
    const notices = about(await inbox(), `Campagne ${id}`);
    expect([...countBy(notices, (email) => email.destination.to[0]!).values()].every((count) => count === 1)).toBe(true);
    expect(notices).toHaveLength(6);
  });
});

describe('the work a run reads', () => {
  it('follows the work due: once a step is done, later runs read a few units whatever the campaign holds', async () => {
    const id = 'test-ms-capacity';
    await campaignWithSubmissions(id, 6);
    await setClock('2032-03-01T00:00:00+01:00');
    const first = (await runMilestones(id)).campaigns[0];
    expect(first.steps).toEqual(['cloture_candidatures', 'instruction_ouverte']);
    expect(first.capacity.write).toBeGreaterThan(6);
    const second = (await runMilestones(id)).campaigns[0];
    expect(second.steps).toEqual([]);
    expect(second.transitions).toBe(0);
    expect(second.capacity.write).toBe(0);
    expect(second.capacity.read).toBeLessThanOrEqual(3);
    expect(second.capacity.read).toBeLessThan(first.capacity.read);
  });
});

describe('a run that dies half-way', () => {
  it.each([0, 1, 3])('dies after %i of 5 emails: the next run sends the rest, none twice', async (k) => {
    const id = `test-ms-death-${k}`;
    const submitted = await campaignWithSubmissions(id, 5);
    await setClock('2032-03-01T00:00:00+01:00');
    await runMilestones(id);
    await clearInbox();

    // Five applicants without a decision at the end of selection: five emails to send.
    await setClock('2032-04-15T00:00:00+02:00');
    await setFaults({ deathAfterEmails: k });
    const died = await runMilestones(id);
    expect(died).toEqual({ died: true });
    const afterDeath = about(await inbox(), 'classé sans suite');
    expect(afterDeath).toHaveLength(k);

    // The email being sent when the process died stays claimed until its lease (5 minutes) runs out.
    await setClock('2032-04-15T00:10:00+02:00');
    await runMilestones(id);
    await runMilestones(id);
    const all = about(await inbox(), 'classé sans suite');
    expect(all).toHaveLength(5);
    expect(new Set(all.map((email) => email.destination.to[0])).size).toBe(5);
    for (const application of submitted) {
      const seen = await api('GET', `/v1/applications/${application.id}`, { token: application.owner });
      expect(seen.json.status).toBe('sans_suite');
      const history = await api('GET', `/v1/applications/${application.id}/history`, { token: application.owner });
      expect(history.json.items.filter((entry: { action: string }) => entry.action === 'fin_selection')).toHaveLength(1);
      expect(history.json.items.at(-1).motivation).toBe("Aucune décision n'a été prise avant la date limite de sélection.");
    }
  });
});

describe('SES failing, then recovering', () => {
  it('keeps the emails pending and sends each exactly once when SES is back', async () => {
    const id = 'test-ms-ses';
    await campaignWithSubmissions(id, 4);
    await clearInbox();
    await setClock('2032-03-01T00:00:00+01:00');
    await setFaults({ sesFailures: 100 });
    const failing = await runMilestones(id);
    expect(failing.emailsSent).toBe(0);
    expect(about(await inbox(), `Campagne ${id}`)).toHaveLength(0);

    await setFaults({ sesFailures: 0 });
    await runMilestones(id);
    await runMilestones(id);
    const notices = about(await inbox(), `Campagne ${id}`);
    expect(notices).toHaveLength(4);
    expect(new Set(notices.map((email) => email.destination.to[0])).size).toBe(4);
  });
});

describe('SES accepted an email but its send could not be recorded', () => {
  it('never puts it back to pending: sent once, then at most once more after its lease, and never again', async () => {
    const id = 'test-ms-mark-sent';
    await createCampaign(id, calendar2032);
    await setClock(IN_INTAKE);
    await clearInbox();
    // One failed attempt to record the send is retried at once: still exactly one email.
    await setFaults({ markSentFailures: 1 });
    const retried = await submittedApplication(id, '33', `${id}-retried`);
    // Every attempt fails: the email stays claimed until its lease ends.
    await setFaults({ markSentFailures: 3 });
    const unrecorded = await submittedApplication(id, '33', `${id}-unrecorded`);
    await setFaults({ markSentFailures: 0 });
    const acknowledgements = async (application: Submitted) => about(await inbox(), `${application.id} a bien été déposé`).length;
    expect([await acknowledgements(retried), await acknowledgements(unrecorded)]).toEqual([1, 1]);

    await runMilestones(id);
    expect(await acknowledgements(unrecorded)).toBe(1);
    await setClock('2032-02-10T10:06:00+01:00');
    await runMilestones(id);
    expect(await acknowledgements(unrecorded)).toBe(2);
    await setClock('2032-02-10T10:20:00+01:00');
    await runMilestones(id);
    await runMilestones(id);
    expect([await acknowledgements(retried), await acknowledgements(unrecorded)]).toEqual([1, 2]);
  });
});

describe('the end of selection and the convention deadline', () => {
  it('reminds ARS at −7 and −1 days, closes undecided files, reminds unsigned parties and lapses conventions', async () => {
    const id = 'test-ms-calendar';
    const submitted = await campaignWithSubmissions(id, 3);
    const arsNaq = await roles.ars('NAQ');
    await setClock('2032-03-01T00:00:00+01:00');
    await runMilestones(id);
    await clearInbox();

    await setClock('2032-04-08T06:00:00+02:00');
    await runMilestones(id);
    await setClock('2032-04-14T06:00:00+02:00');
    await runMilestones(id);
    await runMilestones(id);
    const reminders = about(await inbox(), 'sans décision');
    expect(countBy(reminders, (email) => email.destination.to[0]!)).toEqual(new Map([['ars-naq-mes@ars.invalid', 2], ['ars-occ-mes@ars.invalid', 2], ['ars-ara-mes@ars.invalid', 2]]));
    expect(reminders[0]!.body.text).toContain('le 14 avril 2032 à 23 h 59 (heure de Paris)');

    const naq = submitted[0]!;
    await api('POST', `/v1/applications/${naq.id}/decision`, { token: arsNaq, body: { decision: 'retenue', motivation: 'Dossier complet.' } });
    await api('POST', `/v1/campaigns/${id}/regions/NAQ/notify`, { token: arsNaq });
    await clearInbox();

    await setClock('2032-04-15T00:00:00+02:00');
    await runMilestones(id);
    expect((await api('GET', `/v1/applications/${submitted[1]!.id}`, { token: submitted[1]!.owner })).json.status).toBe('sans_suite');
    expect((await api('GET', `/v1/applications/${naq.id}`, { token: naq.owner })).json.status).toBe('retenue');

    const convention = (await api('GET', `/v1/campaigns/${id}/conventions`, { token: arsNaq })).json.items[0];
    await api('POST', `/v1/conventions/${convention.id}/signatures`, { token: naq.owner, body: { party: 'esms' } });
    await clearInbox();
    await setClock('2032-05-18T06:00:00+02:00');
    await runMilestones(id);
    await setClock('2032-05-25T06:00:00+02:00');
    await runMilestones(id);
    await setClock('2032-05-31T06:00:00+02:00');
    await runMilestones(id);
    const toSign = about(await inbox(), 'à signer avant');
    expect(toSign.map((email) => email.destination.to[0])).toEqual(['ars-naq-mes@ars.invalid', 'ars-naq-mes@ars.invalid', 'ars-naq-mes@ars.invalid']);

    await setClock('2032-06-01T00:00:00+02:00');
    await runMilestones(id);
    await runMilestones(id);
    expect((await api('GET', `/v1/conventions/${convention.id}`, { token: arsNaq })).json.status).toBe('caduque');
    const lapsed = (await inbox()).filter((email) => email.subject.startsWith(`Convention ${convention.id} caduque`));
    expect(lapsed.map((email) => email.destination.to[0]).sort()).toEqual(['ars-naq-mes@ars.invalid', `${naq.ownerSub}@esms.local`]);
    expectProblem(await api('POST', `/v1/conventions/${convention.id}/signatures`, { token: arsNaq, body: { party: 'ars' } }), 409, 'convention_due_passed');
  });
});
