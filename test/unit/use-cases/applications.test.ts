import fc from 'fast-check';
import { MAX_OPEN_DRAFTS } from '../../../layers/domain/application';
import {
  createApplication,
  editApplication,
  inviteToApplication,
  openApplication,
  removeFromApplication,
  submitApplication,
  transferApplication,
  withdrawApplication,
} from '../../../layers/domain/use-cases/applications';
import { DURING_INTAKE, DURING_SELECTION, acting, applicant, arsStaff, eligible, finessIn, instants, ms, portsWith, storedApplication } from './fixtures';

let ids = 0;
const newId = () => `MES-T${String((ids += 1)).padStart(6, '0')}`;
const create = (ports: ReturnType<typeof portsWith>, caller = applicant('porteur'), when = DURING_INTAKE, finess = finessIn(), deployment: 'national' | 'NAQ' | 'OCC' = 'national') =>
  createApplication(ports, { ...acting(caller, when), campaignId: 'mes-esms-2023', input: { finess, ...eligible }, deployment, newId });

describe('creating a draft', () => {
  it('stores the draft with its first history line and the receipt of its answer', async () => {
    const ports = portsWith();
    const receipt = { answer: 'kept' };
    const created = await createApplication(ports, { ...acting(applicant('porteur'), DURING_INTAKE), campaignId: 'mes-esms-2023', input: { finess: finessIn(), ...eligible }, deployment: 'national', newId, receiptFor: () => receipt });
    expect(ports.state.applications.get(created.id)).toMatchObject({ status: 'brouillon', version: 1, ars: 'NAQ', ownerId: 'porteur', ownerEmail: 'porteur@esms.local' });
    expect(ports.state.history.get(created.id)?.map((entry) => entry.action)).toEqual(['creation']);
    expect(ports.state.receipts).toEqual([receipt]);
  });

  it('is accepted from the instant the intake opens until the instant it closes, excluded', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(instants.intakeOpensAt, instants.intakeClosesAt), fc.integer({ min: -3_600_000, max: 3_600_000 }), async (edge, offset) => {
        const when = ms(edge, offset);
        const open = when.getTime() >= instants.intakeOpensAt.getTime() && when.getTime() < instants.intakeClosesAt.getTime();
        const outcome = create(portsWith(), applicant('porteur'), when);
        if (open) await expect(outcome).resolves.toMatchObject({ status: 'brouillon' });
        else await expect(outcome).rejects.toMatchObject({ code: when < instants.intakeOpensAt ? 'intake_not_open' : 'intake_closed' });
      }),
      { numRuns: 60, examples: [[instants.intakeOpensAt, 0], [instants.intakeOpensAt, -1], [instants.intakeClosesAt, -1], [instants.intakeClosesAt, 0]] },
    );
  });

  it.each([
    ['a deployment of another region', 'wrong_region', { deployment: 'OCC' as const }],
    ['an unknown campaign', 'not_found', { campaignId: 'inconnue' }],
    ['an invalid FINESS', 'finess_invalid', { finess: '123' }],
  ])('refuses %s (%s)', async (_what, code, change) => {
    const ports = portsWith();
    const { finess = finessIn(), ...rest } = change as { finess?: string };
    await expect(
      createApplication(ports, { ...acting(applicant('porteur'), DURING_INTAKE), campaignId: 'mes-esms-2023', input: { finess, ...eligible }, deployment: 'national', newId, ...rest }),
    ).rejects.toMatchObject({ code });
    expect(ports.state.applications.size).toBe(0);
  });

  it('refuses the draft after 50 open ones, and a FINESS a submitted file holds', async () => {
    const ports = portsWith();
    for (let count = 0; count < MAX_OPEN_DRAFTS; count += 1) await create(ports);
    await expect(create(ports)).rejects.toMatchObject({ code: 'too_many_drafts' });
    const held = storedApplication(ports, { status: 'deposee' });
    await expect(create(ports, applicant('autre'), DURING_INTAKE, held.finess)).rejects.toMatchObject({ code: 'duplicate_finess' });
  });
});

describe('submitting, editing and withdrawing', () => {
  it('takes the FINESS on the first submission, queues and sends the acknowledgement, and changes nothing the second time', async () => {
    const ports = portsWith();
    const owner = applicant('porteur');
    const draft = await create(ports, owner);
    const first = await submitApplication(ports, { ...acting(owner, DURING_INTAKE), applicationId: draft.id });
    expect(first).toMatchObject({ submitted: true, application: { status: 'deposee', version: 2 } });
    expect(ports.state.finess.get(`${draft.campaignId}#${draft.finess}`)).toBe(draft.id);
    expect([...ports.state.emails.values()].map(({ email, sent }) => [email.event, email.to, sent])).toEqual([['accuse_depot', ['porteur@esms.local'], true]]);
    await expect(submitApplication(ports, { ...acting(owner, DURING_INTAKE), applicationId: draft.id })).resolves.toMatchObject({ submitted: false, application: { version: 2 } });
  });

  it('lets one of two drafts of the same FINESS be submitted, the other refused by name', async () => {
    const ports = portsWith();
    const [alice, bob] = [applicant('alice'), applicant('bob')];
    const finess = finessIn();
    const [first, second] = [await create(ports, alice, DURING_INTAKE, finess), await create(ports, bob, DURING_INTAKE, finess)];
    await submitApplication(ports, { ...acting(alice, DURING_INTAKE), applicationId: first.id });
    await expect(submitApplication(ports, { ...acting(bob, DURING_INTAKE), applicationId: second.id })).rejects.toMatchObject({ code: 'duplicate_finess' });
    expect(ports.state.applications.get(second.id)?.status).toBe('brouillon');
  });

  it('edits while the intake is open, and refuses a stale If-Match and a stranger', async () => {
    const ports = portsWith();
    const owner = applicant('porteur');
    const draft = await create(ports, owner);
    await expect(editApplication(ports, { ...acting(owner, DURING_INTAKE), applicationId: draft.id, edit: { ...eligible, name: 'EHPAD Renommé' } })).resolves.toMatchObject({ name: 'EHPAD Renommé', version: 2 });
    await expect(editApplication(ports, { ...acting(owner, DURING_INTAKE), applicationId: draft.id, ifMatch: () => 1, edit: eligible })).rejects.toMatchObject({ code: 'version_conflict' });
    await expect(editApplication(ports, { ...acting(applicant('inconnu'), DURING_INTAKE), applicationId: draft.id, edit: eligible })).rejects.toMatchObject({ code: 'not_found' });
    await expect(editApplication(ports, { ...acting(owner, instants.intakeClosesAt), applicationId: draft.id, edit: eligible })).rejects.toMatchObject({ code: 'intake_closed' });
  });

  it('frees the FINESS on withdrawal, so another file of that ESMS can be submitted', async () => {
    const ports = portsWith();
    const owner = applicant('porteur');
    const submitted = storedApplication(ports, { status: 'deposee' }, owner);
    await expect(withdrawApplication(ports, { ...acting(owner, DURING_SELECTION), applicationId: submitted.id })).resolves.toMatchObject({ status: 'sans_suite' });
    expect(ports.state.finess.has(`${submitted.campaignId}#${submitted.finess}`)).toBe(false);
    expect(ports.state.history.get(submitted.id)?.at(-1)).toMatchObject({ action: 'retrait', from: 'deposee', to: 'sans_suite' });
  });
});

describe('holders of a file', () => {
  it('invites a collaborator once, who joins on their first visit and may then edit; the owner removes them', async () => {
    const ports = portsWith();
    const owner = applicant('porteur');
    const draft = await create(ports, owner);
    const invited = await inviteToApplication(ports, { ...acting(owner, DURING_INTAKE), applicationId: draft.id, email: 'Collegue@ESMS.local' });
    expect(invited).toMatchObject({ invited: true, application: { collaborators: [{ email: 'collegue@esms.local' }] } });
    await expect(inviteToApplication(ports, { ...acting(owner, DURING_INTAKE), applicationId: draft.id, email: 'collegue@esms.local' })).resolves.toMatchObject({ invited: false });
    const colleague = applicant('collegue', 'collegue@esms.local');
    const { relation } = await openApplication(ports, { ...acting(colleague, DURING_INTAKE), applicationId: draft.id, action: 'edit' });
    expect(relation).toBe('collaborator');
    expect(ports.state.applications.get(draft.id)?.collaborators?.[0]?.joinedAt).toBeDefined();
    await expect(inviteToApplication(ports, { ...acting(colleague, DURING_INTAKE), applicationId: draft.id, email: 'x@esms.local' })).rejects.toMatchObject({ code: 'forbidden' });
    await removeFromApplication(ports, { ...acting(owner, DURING_INTAKE), applicationId: draft.id, email: 'collegue@esms.local' });
    await expect(openApplication(ports, { ...acting(colleague, DURING_INTAKE), applicationId: draft.id, action: 'read' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('is transferred by the region’s staff to a new address: the old owner loses it, both are told', async () => {
    const ports = portsWith();
    const owner = applicant('porteur');
    const file = storedApplication(ports, {}, owner);
    const moved = await transferApplication(ports, { ...acting(arsStaff('NAQ'), DURING_SELECTION), applicationId: file.id, email: 'Nouveau@esms.local', motivation: 'Changement de direction.' });
    expect(moved).toMatchObject({ ownerEmail: 'nouveau@esms.local' });
    expect(moved.ownerId).toBeUndefined();
    expect([...ports.state.emails.values()].map(({ email }) => [email.event, email.to])).toEqual([
      ['transfert_ancien', ['porteur@esms.local']],
      ['transfert_nouveau', ['nouveau@esms.local']],
    ]);
    await expect(openApplication(ports, { ...acting(owner, DURING_SELECTION), applicationId: file.id, action: 'read' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(openApplication(ports, { ...acting(applicant('nouveau-compte', 'nouveau@esms.local'), DURING_SELECTION), applicationId: file.id, action: 'read' })).resolves.toMatchObject({ relation: 'owner' });
  });
});
