import fc from 'fast-check';
import { ConcurrentModificationError } from '../../../layers/domain/errors';
import { decideOnApplication, notifyRegion, reviewApplication } from '../../../layers/domain/use-cases/selection';
import { withdrawApplication } from '../../../layers/domain/use-cases/applications';
import { newConvention } from '../../../layers/domain/convention';
import { DURING_CONVENTIONS, DURING_SELECTION, acting, applicant, arsStaff, campaign, finessIn, instants, ms, nationalStaff, portsWith, storedApplication } from './fixtures';

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

describe('what reviewing and deciding store', () => {
  it('stores the review with its average, reviewer and instant, and one evaluation line; refuses from the instant selection ends', async () => {
    const ports = portsWith();
    const application = storedApplication(ports);
    const reviewed = await reviewApplication(ports, { ...acting(arsStaff('NAQ'), DURING_SELECTION), applicationId: application.id, ifMatch: () => application.version, input: { scores, comment: 'Bon dossier.' } });
    expect(ports.state.applications.get(application.id)).toEqual(reviewed);
    expect(reviewed.review).toEqual({ scores, comment: 'Bon dossier.', average: 3.6, reviewedAt: '2023-11-20T10:00:00+01:00', reviewedBy: 'ars-NAQ:agent-NAQ' });
    expect(ports.state.history.get(application.id)?.at(-1)).toEqual({ at: '2023-11-20T10:00:00+01:00', actor: 'ars-NAQ:agent-NAQ', action: 'evaluation', from: 'en_instruction', to: 'en_instruction' });
    const review = (when: Date) => reviewApplication(ports, { ...acting(arsStaff('NAQ'), when), applicationId: application.id, input: { scores, comment: '' } });
    await expect(review(instants.selectionEndsAt)).rejects.toMatchObject({ code: 'selection_closed' });
    expect(ports.state.applications.get(application.id)).toEqual(reviewed);
    await expect(review(ms(instants.selectionEndsAt, -1))).resolves.toMatchObject({ version: reviewed.version + 1 });
  });

  it.each([
    ['another region’s staff', 'not_found', arsStaff('OCC')],
    ['the applicant', 'forbidden', applicant('porteur')],
  ])('refuses a review by %s (%s)', async (_who, code, caller) => {
    const ports = portsWith();
    const application = storedApplication(ports);
    await expect(reviewApplication(ports, { ...acting(caller, DURING_SELECTION), applicationId: application.id, input: { scores, comment: '' } })).rejects.toMatchObject({ code });
    await expect(reviewApplication(ports, { ...acting(arsStaff('NAQ'), DURING_SELECTION), applicationId: application.id, ifMatch: () => application.version + 1, input: { scores, comment: '' } })).rejects.toMatchObject({ code: 'version_conflict' });
    expect(ports.state.applications.get(application.id)).toEqual(application);
  });

  it('stores the decision with its motivation, author and instant, a decision line, and counts it in the region', async () => {
    const ports = portsWith({ NAQ: 2 });
    const application = storedApplication(ports);
    const decided = await decideOnApplication(ports, { ...acting(nationalStaff, DURING_SELECTION), applicationId: application.id, input: retain });
    expect(ports.state.applications.get(application.id)).toEqual(decided);
    expect(decided).toMatchObject({ status: 'retenue', version: application.version + 1, decision: { decision: 'retenue', motivation: 'Projet solide.', decidedAt: '2023-11-20T10:00:00+01:00', decidedBy: 'national:national-1' } });
    expect(ports.state.history.get(application.id)?.at(-1)).toEqual({ at: '2023-11-20T10:00:00+01:00', actor: 'national:national-1', action: 'decision', from: 'en_instruction', to: 'retenue', motivation: 'Projet solide.' });
    expect(ports.state.retained.get(`${application.campaignId}#NAQ`)).toBe(1);
    await expect(decideOnApplication(ports, { ...acting(nationalStaff, DURING_SELECTION), applicationId: 'MES-INCONNU', input: retain })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('notifying, what is stored', () => {
  it('notifies only the region’s decided files: a notification line, the convention of each retained one, the emails sent', async () => {
    const ports = portsWith();
    const staff = acting(arsStaff('NAQ'), DURING_SELECTION);
    const kept = storedApplication(ports);
    const undecided = storedApplication(ports);
    const elsewhere = storedApplication(ports, { finess: finessIn('34'), ars: 'OCC' });
    await decideOnApplication(ports, { ...staff, applicationId: kept.id, input: retain });
    await decideOnApplication(ports, { ...acting(arsStaff('OCC'), DURING_SELECTION), applicationId: elsewhere.id, input: retain });
    const outcome = await notifyRegion(ports, { ...acting(arsStaff('NAQ'), DURING_CONVENTIONS), campaignId: campaign.id, ars: 'NAQ' });
    expect(outcome).toEqual({ notified: 1, conventionsCreated: 1 });
    const notified = ports.state.applications.get(kept.id)!;
    expect(notified).toMatchObject({ version: kept.version + 2, updatedAt: '2024-01-10T10:00:00+01:00', decision: { notifiedAt: '2024-01-10T10:00:00+01:00' } });
    expect(ports.state.history.get(kept.id)?.at(-1)).toEqual({ at: '2024-01-10T10:00:00+01:00', actor: 'ars-NAQ:agent-NAQ', action: 'notification', from: 'retenue', to: 'retenue' });
    expect([...ports.state.conventions.values()]).toEqual([newConvention(notified, campaign, DURING_CONVENTIONS)]);
    expect([...ports.state.emails.values()].map(({ email, sent }) => [email.campaignId, email.event, email.recipientKey, email.to, sent])).toEqual([[campaign.id, 'decision', kept.id, ['porteur@esms.local'], true]]);
    expect(ports.state.applications.get(undecided.id)).toEqual(undecided);
    expect(ports.state.applications.get(elsewhere.id)?.decision?.notifiedAt).toBeUndefined();
  });

  it('skips a file another notification got first, sends nothing for it, and lets any other failure through', async () => {
    const ports = portsWith();
    const staff = acting(arsStaff('NAQ'), DURING_SELECTION);
    const [raced, won] = [storedApplication(ports), storedApplication(ports)];
    await decideOnApplication(ports, { ...staff, applicationId: raced.id, input: retain });
    await decideOnApplication(ports, { ...staff, applicationId: won.id, input: reject });
    const saveNotification = ports.applications.saveNotification;
    ports.applications.saveNotification = async (change, convention) => {
      if (change.application.id === raced.id) ports.state.applications.set(raced.id, { ...change.application, version: change.application.version + 1 });
      return saveNotification(change, convention);
    };
    await expect(notifyRegion(ports, { ...acting(arsStaff('NAQ'), DURING_CONVENTIONS), campaignId: campaign.id, ars: 'NAQ' })).resolves.toEqual({ notified: 1, conventionsCreated: 0 });
    expect([...ports.state.emails.values()].map(({ email, sent }) => [email.recipientKey, sent])).toEqual([[won.id, true]]);
    expect(ports.state.conventions.size).toBe(0);

    const failing = portsWith();
    const file = storedApplication(failing);
    await decideOnApplication(failing, { ...staff, applicationId: file.id, input: reject });
    failing.applications.saveNotification = async () => {
      throw new Error('table unavailable');
    };
    await expect(notifyRegion(failing, { ...acting(arsStaff('NAQ'), DURING_CONVENTIONS), campaignId: campaign.id, ars: 'NAQ' })).rejects.toThrow('table unavailable');
  });

  it('names the deadline that has passed, and refuses an unknown campaign', async () => {
    const ports = portsWith();
    await expect(notifyRegion(ports, { ...acting(arsStaff('NAQ'), instants.conventionsDueAt), campaignId: campaign.id, ars: 'NAQ' })).rejects.toMatchObject({
      code: 'convention_due_passed',
      detail: "Les conventions devaient être signées au plus tard le 14 février 2024 à 23 h 59 (heure de Paris) : il n'est plus possible de notifier.",
    });
    await expect(notifyRegion(ports, { ...acting(arsStaff('NAQ'), DURING_CONVENTIONS), campaignId: 'inconnue', ars: 'NAQ' })).rejects.toMatchObject({ code: 'not_found' });
  });
});
