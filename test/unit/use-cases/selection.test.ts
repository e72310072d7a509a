import fc from 'fast-check';
import { ConcurrentModificationError } from '../../../layers/domain/errors';
import { decideOnApplication, notifyRegion, reviewApplication } from '../../../layers/domain/use-cases/selection';
import { withdrawApplication } from '../../../layers/domain/use-cases/applications';
import { DURING_CONVENTIONS, DURING_SELECTION, acting, applicant, arsStaff, instants, ms, nationalStaff, portsWith, storedApplication } from './fixtures';

const scores = { maturite_dui: 4, parcours: 3, sensibilisation: 5, partenariats: 2, capacite: 4 };
const retain = { decision: 'retenue' as const, motivation: 'Projet solide.' };
const reject = { decision: 'non_retenue' as const, motivation: 'Projet trop tôt.' };

describe('reviewing and deciding', () => {
  it('scores an application of the reviewer’s region and writes one history line', async () => {
    const ports = portsWith();
    const application = storedApplication(ports);
    const reviewed = await reviewApplication(ports, { ...acting(arsStaff('NAQ'), DURING_SELECTION), applicationId: application.id, input: { scores, comment: '' } });
    expect(reviewed.review).toMatchObject({ average: 3.6, reviewedBy: 'ars-NAQ:agent-NAQ' });
    expect(ports.state.applications.get(application.id)?.version).toBe(application.version + 1);
    expect(ports.state.history.get(application.id)?.map((entry) => entry.action)).toEqual(['creation', 'evaluation']);
  });

  it.each([
    ['another region’s staff', 'not_found', arsStaff('OCC')],
    ['the applicant', 'forbidden', applicant('porteur')],
  ])('refuses %s (%s) and writes nothing', async (_who, code, caller) => {
    const ports = portsWith();
    const application = storedApplication(ports);
    await expect(decideOnApplication(ports, { ...acting(caller, DURING_SELECTION), applicationId: application.id, input: retain })).rejects.toMatchObject({ code });
    expect(ports.state.applications.get(application.id)).toEqual(application);
  });

  it('refuses a stale If-Match, and a malformed one only once access is granted', async () => {
    const ports = portsWith();
    const application = storedApplication(ports);
    const stale = () => application.version - 1;
    await expect(decideOnApplication(ports, { ...acting(arsStaff('NAQ'), DURING_SELECTION), applicationId: application.id, ifMatch: stale, input: retain })).rejects.toBeInstanceOf(ConcurrentModificationError);
    const malformed = () => {
      throw new Error('malformed If-Match read');
    };
    await expect(decideOnApplication(ports, { ...acting(arsStaff('OCC'), DURING_SELECTION), applicationId: application.id, ifMatch: malformed, input: retain })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('accepts decisions until the instant selection ends, and none from then on', async () => {
    const end = instants.selectionEndsAt;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: -86_400_000, max: 86_400_000 }), async (offset) => {
        const ports = portsWith();
        const application = storedApplication(ports);
        const when = ms(end, offset);
        const outcome = decideOnApplication(ports, { ...acting(nationalStaff, when), applicationId: application.id, input: retain });
        if (offset < 0) await expect(outcome).resolves.toMatchObject({ status: 'retenue' });
        else await expect(outcome).rejects.toMatchObject({ code: 'selection_closed' });
      }),
      { numRuns: 60, examples: [[-1], [0], [1]] },
    );
  });
});

describe('the regional quota', () => {
  it('refuses the decision that would retain one more than the quota, naming the rule', async () => {
    const ports = portsWith({ NAQ: 1 });
    const [first, second] = [storedApplication(ports), storedApplication(ports)];
    const staff = acting(arsStaff('NAQ'), DURING_SELECTION);
    await decideOnApplication(ports, { ...staff, applicationId: first.id, input: retain });
    await expect(decideOnApplication(ports, { ...staff, applicationId: second.id, input: retain })).rejects.toMatchObject({ code: 'quota_reached' });
    expect(ports.state.applications.get(second.id)?.status).toBe('en_instruction');
    // Changing the first decision gives the place back.
    await decideOnApplication(ports, { ...staff, applicationId: first.id, input: reject });
    await expect(decideOnApplication(ports, { ...staff, applicationId: second.id, input: retain })).resolves.toMatchObject({ status: 'retenue' });
    expect(ports.state.retained.get(`${first.campaignId}#NAQ`)).toBe(1);
  });

  it('gives a place back when a retained application not yet notified is withdrawn', async () => {
    const owner = applicant('porteur-retrait');
    const ports = portsWith({ NAQ: 1 });
    const first = storedApplication(ports, {}, owner);
    const second = storedApplication(ports);
    const staff = acting(arsStaff('NAQ'), DURING_SELECTION);
    await decideOnApplication(ports, { ...staff, applicationId: first.id, input: retain });
    await withdrawApplication(ports, { ...acting(owner, DURING_SELECTION), applicationId: first.id });
    await expect(decideOnApplication(ports, { ...staff, applicationId: second.id, input: retain })).resolves.toMatchObject({ status: 'retenue' });
  });

  it('holds under any order of decisions: never more retained than the quota, the count always the number retained', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 4 }),
        fc.array(fc.record({ file: fc.integer({ min: 0, max: 5 }), retained: fc.boolean() }), { maxLength: 30 }),
        async (quota, decisions) => {
          const ports = portsWith({ NAQ: quota });
          const files = Array.from({ length: 6 }, () => storedApplication(ports));
          for (const { file, retained } of decisions) {
            await decideOnApplication(ports, { ...acting(arsStaff('NAQ'), DURING_SELECTION), applicationId: files[file]!.id, input: retained ? retain : reject }).catch((error: { code?: string }) => {
              if (error.code !== 'quota_reached') throw error;
            });
          }
          const retainedNow = [...ports.state.applications.values()].filter((application) => application.status === 'retenue').length;
          expect(retainedNow).toBeLessThanOrEqual(quota);
          expect(ports.state.retained.get(`${files[0]!.campaignId}#NAQ`) ?? 0).toBe(retainedNow);
        },
      ),
      { numRuns: 80 },
    );
  });
});

describe('notifying a region’s decisions', () => {
  it('tells each applicant once, creates a convention for each retained file and sends the emails', async () => {
    const ports = portsWith();
    const [kept, refused] = [storedApplication(ports), storedApplication(ports)];
    const staff = acting(arsStaff('NAQ'), DURING_SELECTION);
    await decideOnApplication(ports, { ...staff, applicationId: kept.id, input: retain });
    await decideOnApplication(ports, { ...staff, applicationId: refused.id, input: reject });
    const outcome = await notifyRegion(ports, { ...acting(arsStaff('NAQ'), DURING_CONVENTIONS), campaignId: kept.campaignId, ars: 'NAQ' });
    expect(outcome).toEqual({ notified: 2, conventionsCreated: 1 });
    expect([...ports.state.conventions.values()].map((convention) => convention.applicationId)).toEqual([kept.id]);
    expect([...ports.state.emails.values()].map(({ email, sent }) => [email.event, email.recipientKey, sent])).toEqual([
      ['decision', kept.id, true],
      ['decision', refused.id, true],
    ]);
    await expect(notifyRegion(ports, { ...acting(arsStaff('NAQ'), DURING_CONVENTIONS), campaignId: kept.campaignId, ars: 'NAQ' })).resolves.toEqual({ notified: 0, conventionsCreated: 0 });
  });

  it('is refused from the instant conventions are due, and allowed the millisecond before', async () => {
    const ports = portsWith();
    const file = storedApplication(ports);
    await decideOnApplication(ports, { ...acting(arsStaff('NAQ'), DURING_SELECTION), applicationId: file.id, input: retain });
    const notify = (when: Date) => notifyRegion(ports, { ...acting(arsStaff('NAQ'), when), campaignId: file.campaignId, ars: 'NAQ' });
    await expect(notify(instants.conventionsDueAt)).rejects.toMatchObject({ code: 'convention_due_passed' });
    await expect(notify(ms(instants.conventionsDueAt, -1))).resolves.toEqual({ notified: 1, conventionsCreated: 1 });
  });
});
