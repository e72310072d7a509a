import fc from 'fast-check';
import { MAX_OPEN_DRAFTS } from '../../../layers/domain/application';
import {
  applicantFiles,
  applicationHistory,
  createApplication,
  editApplication,
  inviteToApplication,
  openApplication,
  removeFromApplication,
  submitApplication,
  transferApplication,
  withdrawApplication,
} from '../../../layers/domain/use-cases/applications';
import { DURING_INTAKE, DURING_SELECTION, acting, applicant, arsStaff, campaign, eligible, finessIn, instants, ms, portsWith, storedApplication, storedConvention } from './fixtures';

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

const NO_FILE = "Le dossier demandé n'existe pas ou ne vous est pas accessible.";
const INTAKE_AT = '2023-10-12T14:05:00+02:00';
const SELECTION_AT = '2023-11-20T10:00:00+01:00';

describe('opening a file', () => {
  it('tells a stranger the file does not exist, and refuses a right the relation lacks', async () => {
    const ports = portsWith();
    const file = storedApplication(ports);
    await expect(openApplication(ports, { ...acting(applicant('inconnu'), DURING_INTAKE), applicationId: file.id, action: 'read' })).rejects.toMatchObject({ code: 'not_found', detail: NO_FILE });
    await expect(openApplication(ports, { ...acting(applicant('porteur'), DURING_INTAKE), applicationId: 'MES-INCONNU', action: 'read' })).rejects.toMatchObject({ code: 'not_found', detail: NO_FILE });
    await expect(openApplication(ports, { ...acting(arsStaff('NAQ'), DURING_INTAKE), applicationId: file.id, action: 'edit' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(openApplication(ports, { ...acting(arsStaff('NAQ'), DURING_INTAKE), applicationId: file.id, action: 'read' })).resolves.toEqual({ application: file, relation: 'region_staff' });
  });

  it('records a collaborator’s first visit once, at its instant, without a new version; the owner’s visit and later ones write nothing', async () => {
    const ports = portsWith();
    const later = { email: 'plus-tard@esms.local', invitedAt: INTAKE_AT, invitedBy: 'candidat:porteur' };
    const file = storedApplication(ports, { collaborators: [{ email: 'collegue@esms.local', invitedAt: INTAKE_AT, invitedBy: 'candidat:porteur' }, later] });
    await openApplication(ports, { ...acting(applicant('porteur'), DURING_INTAKE), applicationId: file.id, action: 'read' });
    expect(ports.state.applications.get(file.id)).toEqual(file);
    const colleague = applicant('collegue', 'collegue@esms.local');
    const first = await openApplication(ports, { ...acting(colleague, DURING_INTAKE), applicationId: file.id, action: 'read' });
    const joinedFile = { ...file, collaborators: [{ email: 'collegue@esms.local', invitedAt: INTAKE_AT, invitedBy: 'candidat:porteur', joinedAt: INTAKE_AT }, later] };
    expect(first).toEqual({ application: joinedFile, relation: 'collaborator' });
    expect(ports.state.applications.get(file.id)).toEqual(joinedFile);
    let writes = 0;
    const recordJoined = ports.applications.recordJoined;
    ports.applications.recordJoined = async (application) => {
      writes += 1;
      return recordJoined(application);
    };
    await openApplication(ports, { ...acting(colleague, DURING_SELECTION), applicationId: file.id, action: 'read' });
    expect(ports.state.applications.get(file.id)?.collaborators?.[0]?.joinedAt).toBe(INTAKE_AT);
    expect(writes).toBe(0);
  });

  it('checks If-Match against the stored version only once access is granted', async () => {
    const ports = portsWith();
    const file = storedApplication(ports);
    const open = (caller: ReturnType<typeof applicant>, version: number) => openApplication(ports, { ...acting(caller, DURING_INTAKE), applicationId: file.id, action: 'read', ifMatch: () => version });
    await expect(open(applicant('porteur'), file.version)).resolves.toMatchObject({ relation: 'owner' });
    await expect(open(applicant('porteur'), file.version + 1)).rejects.toMatchObject({ code: 'version_conflict' });
    await expect(open(applicant('inconnu'), file.version + 1)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('gives its reader the whole history', async () => {
    const ports = portsWith();
    const owner = applicant('porteur');
    const draft = await create(ports, owner);
    await editApplication(ports, { ...acting(owner, DURING_INTAKE), applicationId: draft.id, edit: eligible });
    const { application, entries } = await applicationHistory(ports, { ...acting(owner, DURING_INTAKE), applicationId: draft.id });
    expect(application.version).toBe(2);
    expect(entries).toEqual([
      { at: INTAKE_AT, actor: 'candidat:porteur', action: 'creation', from: null, to: 'brouillon' },
      { at: INTAKE_AT, actor: 'candidat:porteur', action: 'modification', from: 'brouillon', to: 'brouillon' },
    ]);
    await expect(applicationHistory(ports, { ...acting(applicant('inconnu'), DURING_INTAKE), applicationId: draft.id })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('creating a draft, the rules', () => {
  it('is accepted by the deployment of the FINESS’s region, and refused by another, naming the rule', async () => {
    await expect(create(portsWith(), applicant('porteur'), DURING_INTAKE, finessIn('33'), 'NAQ')).resolves.toMatchObject({ ars: 'NAQ', status: 'brouillon' });
    await expect(create(portsWith(), applicant('porteur'), DURING_INTAKE, finessIn('34'), 'NAQ')).rejects.toMatchObject({ code: 'wrong_region' });
  });

  it('counts only the caller’s open drafts of this campaign against the fifty, and says how many there are', async () => {
    const ports = portsWith();
    const owner = applicant('porteur');
    for (let count = 0; count < MAX_OPEN_DRAFTS - 1; count += 1) await create(ports, owner);
    storedApplication(ports, { status: 'deposee' }, owner);
    storedApplication(ports, { status: 'brouillon', campaignId: 'autre-campagne' }, owner);
    storedApplication(ports, { status: 'brouillon' }, applicant('autre'));
    await expect(create(ports, owner)).resolves.toMatchObject({ status: 'brouillon' });
    await expect(create(ports, owner)).rejects.toMatchObject({
      code: 'too_many_drafts',
      detail: "Vous avez déjà 50 brouillons dans cette campagne : déposez ou retirez-en avant d'en créer un autre.",
    });
  });
});

describe('what each change stores', () => {
  it('edits: the fields, a new version and a modification line; outside the intake nothing', async () => {
    const ports = portsWith();
    const owner = applicant('porteur');
    const draft = await create(ports, owner);
    const edited = await editApplication(ports, { ...acting(owner, DURING_INTAKE), applicationId: draft.id, ifMatch: () => 1, edit: { ...eligible, name: 'EHPAD Renommé' } });
    expect(ports.state.applications.get(draft.id)).toEqual(edited);
    expect(edited).toMatchObject({ name: 'EHPAD Renommé', version: 2, updatedAt: INTAKE_AT });
    await expect(editApplication(ports, { ...acting(owner, ms(instants.intakeOpensAt, -1)), applicationId: draft.id, edit: eligible })).rejects.toMatchObject({ code: 'intake_not_open' });
    expect(ports.state.applications.get(draft.id)).toEqual(edited);
  });

  it('submits: the deposit line, and the acknowledgement to the owner’s address; once the intake is closed, refused', async () => {
    const ports = portsWith();
    const owner = applicant('porteur');
    const draft = await create(ports, owner);
    const late = await create(ports, owner);
    const { application } = await submitApplication(ports, { ...acting(owner, DURING_INTAKE), applicationId: draft.id });
    expect(ports.state.applications.get(draft.id)).toEqual(application);
    expect(ports.state.history.get(draft.id)?.at(-1)).toEqual({ at: INTAKE_AT, actor: 'candidat:porteur', action: 'depot', from: 'brouillon', to: 'deposee' });
    expect([...ports.state.emails.entries()].map(([key, { email }]) => [key, email.recipientKey, email.subject])).toEqual([
      [`${campaign.id}#accuse_depot#${draft.id}`, draft.id, expect.stringContaining(draft.id)],
    ]);
    await expect(submitApplication(ports, { ...acting(owner, instants.intakeClosesAt), applicationId: late.id })).rejects.toMatchObject({ code: 'intake_closed' });
    expect(ports.state.applications.get(late.id)?.status).toBe('brouillon');
    // Submitting again after the close changes nothing and says so.
    await expect(submitApplication(ports, { ...acting(owner, instants.intakeClosesAt), applicationId: draft.id })).resolves.toEqual({ application, submitted: false });
  });

  it('submits without queuing any email when the owner has no verified address', async () => {
    const ports = portsWith();
    const owner = applicant('porteur');
    const draft = storedApplication(ports, { status: 'brouillon', ownerEmail: undefined }, owner);
    await expect(submitApplication(ports, { ...acting(owner, DURING_INTAKE), applicationId: draft.id })).resolves.toMatchObject({ submitted: true });
    expect(ports.state.emails.size).toBe(0);
  });

  it('withdraws a retained file not yet notified: its place in the quota is given back, the line shows the status the applicant saw', async () => {
    const ports = portsWith({ NAQ: 1 });
    const owner = applicant('porteur');
    const file = storedApplication(ports, { status: 'retenue', decision: { decision: 'retenue', motivation: 'Oui.', decidedAt: SELECTION_AT, decidedBy: 'ars-NAQ:agent' } }, owner);
    ports.state.retained.set(`${campaign.id}#NAQ`, 1);
    const withdrawn = await withdrawApplication(ports, { ...acting(owner, DURING_SELECTION), applicationId: file.id });
    expect(withdrawn).toMatchObject({ status: 'sans_suite', version: file.version + 1 });
    expect(withdrawn.decision).toBeUndefined();
    expect(ports.state.retained.get(`${campaign.id}#NAQ`)).toBe(0);
    expect(ports.state.history.get(file.id)?.at(-1)).toEqual({ at: SELECTION_AT, actor: 'candidat:porteur', action: 'retrait', from: 'en_instruction', to: 'sans_suite' });
    await expect(withdrawApplication(ports, { ...acting(arsStaff('NAQ'), DURING_SELECTION), applicationId: file.id })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('invites and removes: the collaborators, a new version each, and a line naming the address', async () => {
    const ports = portsWith();
    const owner = applicant('porteur');
    const draft = await create(ports, owner);
    const { application: invited } = await inviteToApplication(ports, { ...acting(owner, DURING_INTAKE), applicationId: draft.id, email: ' Collegue@ESMS.local ' });
    expect(ports.state.applications.get(draft.id)).toEqual(invited);
    expect(invited).toMatchObject({ version: 2, collaborators: [{ email: 'collegue@esms.local', invitedAt: INTAKE_AT, invitedBy: 'candidat:porteur' }] });
    expect(ports.state.history.get(draft.id)?.at(-1)).toEqual({ at: INTAKE_AT, actor: 'candidat:porteur', action: 'collaborateur_invite', from: 'brouillon', to: 'brouillon', motivation: 'collegue@esms.local' });
    const again = await inviteToApplication(ports, { ...acting(owner, DURING_INTAKE), applicationId: draft.id, email: 'collegue@esms.local' });
    expect(again).toEqual({ application: invited, invited: false });
    expect(ports.state.history.get(draft.id)).toHaveLength(2);
    const removed = await removeFromApplication(ports, { ...acting(owner, DURING_INTAKE), applicationId: draft.id, email: 'COLLEGUE@esms.local' });
    expect(ports.state.applications.get(draft.id)).toEqual(removed);
    expect(removed).toMatchObject({ version: 3, collaborators: [] });
    expect(ports.state.history.get(draft.id)?.at(-1)).toEqual({ at: INTAKE_AT, actor: 'candidat:porteur', action: 'collaborateur_retire', from: 'brouillon', to: 'brouillon', motivation: 'collegue@esms.local' });
  });

  it('transfers: the line with the motivation, each email keyed by the new version and sent; no farewell when the address stays', async () => {
    const ports = portsWith();
    const file = storedApplication(ports, { collaborators: [{ email: 'collegue@esms.local', invitedAt: INTAKE_AT, invitedBy: 'x', joinedAt: INTAKE_AT }] });
    const moved = await transferApplication(ports, { ...acting(arsStaff('NAQ'), DURING_SELECTION), applicationId: file.id, email: 'nouveau@esms.local', motivation: 'Changement de direction.' });
    expect(ports.state.applications.get(file.id)).toEqual(moved);
    expect(moved).toMatchObject({ version: file.version + 1, ownerEmail: 'nouveau@esms.local' });
    expect(moved.collaborators).toBeUndefined();
    expect(ports.state.history.get(file.id)?.at(-1)).toEqual({ at: SELECTION_AT, actor: 'ars-NAQ:agent-NAQ', action: 'transfert', from: 'en_instruction', to: 'en_instruction', motivation: 'Changement de direction.' });
    const key = `${file.id}#v${file.version + 1}`;
    expect([...ports.state.emails.values()].map(({ email, sent }) => [email.event, email.recipientKey, email.to, sent])).toEqual([
      ['transfert_ancien', key, ['porteur@esms.local', 'collegue@esms.local'], true],
      ['transfert_nouveau', key, ['nouveau@esms.local'], true],
    ]);

    const again = await transferApplication(ports, { ...acting(arsStaff('NAQ'), DURING_SELECTION), applicationId: file.id, email: 'nouveau@esms.local', motivation: 'Confirmation.' });
    expect([...ports.state.emails.values()].filter(({ email }) => email.recipientKey === `${file.id}#v${again.version}`).map(({ email }) => email.event)).toEqual(['transfert_nouveau']);
    await expect(transferApplication(ports, { ...acting(applicant('nouveau', 'nouveau@esms.local'), DURING_SELECTION), applicationId: file.id, email: 'x@esms.local', motivation: 'Non.' })).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('my applications, what each file comes with', () => {
  it('leaves out a file that names the caller’s address but is now another account’s, and brings each notified retained file’s convention', async () => {
    const ports = portsWith();
    const owner = applicant('porteur');
    const notified = storedApplication(ports, { status: 'retenue', createdAt: '2023-10-15T10:00:00+02:00', decision: { decision: 'retenue', motivation: 'Oui.', decidedAt: SELECTION_AT, decidedBy: 'ars', notifiedAt: SELECTION_AT } }, owner);
    const convention = storedConvention(ports, notified);
    const undecided = storedApplication(ports, { createdAt: '2023-10-14T10:00:00+02:00' }, owner);
    storedApplication(ports, { createdAt: '2023-10-16T10:00:00+02:00', ownerId: 'repreneur' }, owner);
    let campaignReads = 0;
    const get = ports.campaigns.get;
    ports.campaigns.get = async (id, options) => {
      campaignReads += 1;
      return get(id, options);
    };
    const { files, more } = await applicantFiles(ports, { caller: owner, start: 0, limit: 2 });
    expect(more).toBe(false);
    expect(files.map((file) => [file.application.id, file.campaign?.id, file.convention])).toEqual([
      [notified.id, campaign.id, convention],
      [undecided.id, campaign.id, undefined],
    ]);
    expect(campaignReads).toBe(1);
  });
});
