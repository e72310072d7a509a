import fc from 'fast-check';
import { applicationStatuses, closeIntake, closeWithoutDecision } from '../../../layers/domain/application';
import { newConvention } from '../../../layers/domain/convention';
import { pilotOf } from '../../../layers/domain/pilot';
import { runDueSteps } from '../../../layers/domain/use-cases/milestones';
import { DURING_CONVENTIONS, DURING_INTAKE, at, campaign, instants, ms, portsWith, storedApplication } from './fixtures';

describe('the closing transitions', () => {
  it.each(applicationStatuses.map((status) => [status]))('from %s: closing the intake and ending the selection apply only to their status', (status) => {
    const application = storedApplication(portsWith(), { status });
    const intake = () => closeIntake(application, DURING_INTAKE);
    const selection = () => closeWithoutDecision(application, DURING_INTAKE);
    if (status === 'deposee') expect(intake()).toMatchObject({ status: 'en_instruction', version: application.version + 1 });
    else expect(intake).toThrow(expect.objectContaining({ code: 'invalid_transition' }));
    if (status === 'en_instruction') expect(selection()).toMatchObject({ status: 'sans_suite', version: application.version + 1 });
    else expect(selection).toThrow(expect.objectContaining({ code: 'invalid_transition' }));
  });
});

describe('the milestone steps', () => {
  it.each([
    ['intake closes', instants.intakeClosesAt, 'deposee', 'en_instruction'],
    ['selection ends', instants.selectionEndsAt, 'en_instruction', 'sans_suite'],
  ] as const)('move files when the %s, not a millisecond before', async (_when, milestone, from, to) => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: -3 * 86_400_000, max: 3 * 86_400_000 }), async (offset) => {
        const ports = portsWith();
        const file = storedApplication(ports, { status: from });
        await runDueSteps(ports, campaign, ms(milestone, offset));
        expect(ports.state.applications.get(file.id)?.status).toBe(offset >= 0 ? to : from);
      }),
      { numRuns: 40, examples: [[-1], [0]] },
    );
  });

  it('ends the selection once: each undecided file closed with its history line and its email, a second run doing nothing', async () => {
    const ports = portsWith();
    const files = [storedApplication(ports), storedApplication(ports), storedApplication(ports, { status: 'retenue' })];
    const after = ms(instants.selectionEndsAt, 60_000);
    const first = await runDueSteps(ports, campaign, after);
    expect(first).toMatchObject({ transitions: 2 });
    expect(first.steps).toContain('fin_selection');
    expect(files.map((file) => ports.state.applications.get(file.id)?.status)).toEqual(['sans_suite', 'sans_suite', 'retenue']);
    expect(ports.state.history.get(files[0]!.id)?.at(-1)).toMatchObject({ action: 'fin_selection', actor: 'systeme', from: 'en_instruction', to: 'sans_suite' });
    const emails = [...ports.state.emails.keys()].filter((key) => key.includes('#sans_suite_delai#'));
    expect(emails).toHaveLength(2);
    const second = await runDueSteps(ports, campaign, after);
    expect(second).toMatchObject({ transitions: 0, emailsQueued: 0 });
  });

  it('lapses the conventions still unsigned at dueAt and tells both parties', async () => {
    const ports = portsWith();
    const application = storedApplication(ports, { status: 'retenue' });
    const convention = newConvention(application, campaign, DURING_CONVENTIONS);
    ports.state.conventions.set(convention.id, convention);
    await runDueSteps(ports, campaign, ms(instants.conventionsDueAt, -1));
    expect(ports.state.conventions.get(convention.id)?.status).toBe('a_signer');
    const report = await runDueSteps(ports, campaign, instants.conventionsDueAt);
    expect(ports.state.conventions.get(convention.id)).toMatchObject({ status: 'caduque', version: 2 });
    expect(report.steps).toContain('conventions_caduques');
    expect([...ports.state.emails.keys()].filter((key) => key.includes('#convention_caduque#')).sort()).toEqual([`${campaign.id}#convention_caduque#${convention.id}#ars`, `${campaign.id}#convention_caduque#${convention.id}#esms`]);
  });

  it('reminds only the pilots missing last month’s report, once', async () => {
    const ports = portsWith();
    const [reported, missing] = [storedApplication(ports, { status: 'retenue' }), storedApplication(ports, { status: 'retenue' })].map((application) => {
      const pilot = pilotOf({ ...newConvention(application, campaign, DURING_CONVENTIONS), status: 'signee', signedAt: '2024-01-20T10:00:00+01:00' });
      ports.state.pilots.set(`${pilot.finess}#${pilot.campaignId}`, pilot);
      return pilot;
    });
    await ports.usage.write([{ id: 0, input: { pilot: reported!, month: '2024-03', indicators: { 'mss.usagers': 3 }, actor: 'client:dui', now: at('2024-04-02T10:00:00+02:00') } }]);
    const fifth = at('2024-04-05T08:00:00+02:00');
    const first = await runDueSteps(ports, campaign, fifth);
    expect(first.steps).toContain('rappel_remontees_2024-03');
    const reminders = [...ports.state.emails.keys()].filter((key) => key.includes('#rappel_remontee_2024-03#'));
    expect(reminders).toEqual([`${campaign.id}#rappel_remontee_2024-03#${missing!.finess}`]);
    const again = await runDueSteps(ports, campaign, fifth);
    expect(again.steps).not.toContain('rappel_remontees_2024-03');
  });
});
