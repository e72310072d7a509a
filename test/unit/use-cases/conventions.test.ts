import fc from 'fast-check';
import { newConvention, type Convention } from '../../../layers/domain/convention';
import { signConvention, openConvention } from '../../../layers/domain/use-cases/conventions';
import { arsMailbox } from '../../../layers/domain/campaign';
import { DURING_CONVENTIONS, acting, applicant, arsStaff, campaign, instants, ms, nationalStaff, portsWith, storedApplication } from './fixtures';

function conventionToSign() {
  const ports = portsWith();
  const owner = applicant('porteur');
  const application = storedApplication(ports, { status: 'retenue', decision: { decision: 'retenue', motivation: 'Oui.', decidedAt: '2023-11-20T10:00:00+01:00', decidedBy: 'ars-NAQ:agent', notifiedAt: '2023-12-20T10:00:00+01:00' } }, owner);
  const convention: Convention = newConvention(application, campaign, DURING_CONVENTIONS);
  ports.state.conventions.set(convention.id, convention);
  return { ports, owner, application, convention };
}

describe('signing a convention', () => {
  it('takes one signature per party; the second makes the pilot, adds both history lines and tells both parties', async () => {
    const { ports, owner, convention } = conventionToSign();
    const first = await signConvention(ports, { ...acting(owner, DURING_CONVENTIONS), conventionId: convention.id, party: 'esms', signerEmail: 'porteur@esms.local' });
    expect(first).toMatchObject({ status: 'a_signer', version: 2 });
    expect(ports.state.pilots.size).toBe(0);
    expect(ports.state.emails.size).toBe(0);
    const second = await signConvention(ports, { ...acting(arsStaff('NAQ'), DURING_CONVENTIONS), conventionId: convention.id, party: 'ars', signerEmail: 'agent@ars.local' });
    expect(second).toMatchObject({ status: 'signee', version: 3 });
    expect([...ports.state.pilots.values()]).toEqual([expect.objectContaining({ finess: convention.finess, conventionId: convention.id, reportingClients: [] })]);
    expect(ports.state.history.get(convention.applicationId)?.slice(-3).map((entry) => entry.action)).toEqual(['signature_esms', 'signature_ars', 'convention_signee']);
    expect([...ports.state.emails.values()].map(({ email, sent }) => [email.recipientKey, email.to, sent])).toEqual([
      [`${convention.id}#esms`, ['porteur@esms.local'], true],
      [`${convention.id}#ars`, ['agent@ars.local'], true],
    ]);
  });

  it.each([
    ['a party that already signed', 'already_signed', 'esms', applicant('porteur')],
    ['national staff for the ARS', 'forbidden', 'ars', nationalStaff],
    ['the staff of another region', 'not_found', 'ars', arsStaff('OCC')],
    ['a stranger', 'not_found', 'esms', applicant('inconnu')],
  ] as const)('refuses %s (%s) and writes nothing', async (_who, code, party, caller) => {
    const { ports, owner, convention } = conventionToSign();
    await signConvention(ports, { ...acting(owner, DURING_CONVENTIONS), conventionId: convention.id, party: 'esms' });
    const before = ports.state.conventions.get(convention.id);
    await expect(signConvention(ports, { ...acting(caller, DURING_CONVENTIONS), conventionId: convention.id, party })).rejects.toMatchObject({ code });
    expect(ports.state.conventions.get(convention.id)).toEqual(before);
  });

  it('is possible until the instant conventions are due, and not from then on', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: -172_800_000, max: 172_800_000 }), async (offset) => {
        const { ports, owner, convention } = conventionToSign();
        const when = ms(instants.conventionsDueAt, offset);
        const outcome = signConvention(ports, { ...acting(owner, when), conventionId: convention.id, party: 'esms' });
        if (offset < 0) await expect(outcome).resolves.toMatchObject({ status: 'a_signer' });
        else await expect(outcome).rejects.toMatchObject({ code: 'convention_due_passed' });
      }),
      { numRuns: 50, examples: [[-1], [0]] },
    );
  });

  it('refuses a stale If-Match', async () => {
    const { ports, owner, convention } = conventionToSign();
    await expect(signConvention(ports, { ...acting(owner, DURING_CONVENTIONS), conventionId: convention.id, party: 'esms', ifMatch: () => convention.version + 1 })).rejects.toMatchObject({ code: 'version_conflict' });
  });

  it('shows the convention to its holders and its region only', async () => {
    const { ports, owner, convention } = conventionToSign();
    await expect(openConvention(ports, { caller: owner, conventionId: convention.id, action: 'read' })).resolves.toMatchObject({ convention: { id: convention.id } });
    await expect(openConvention(ports, { caller: arsStaff('OCC'), conventionId: convention.id, action: 'read' })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('what a signature stores', () => {
  it('keeps who signed, when, and the signer’s address only when the token gives one, with a history line', async () => {
    const { ports, owner, convention } = conventionToSign();
    const sent: unknown[] = [];
    ports.mail.sendNow = async (emails) => void sent.push(...emails);
    const signed = await signConvention(ports, { ...acting(owner, DURING_CONVENTIONS), conventionId: convention.id, party: 'esms', ifMatch: () => convention.version });
    expect(sent).toEqual([]);
    expect(ports.state.conventions.get(convention.id)).toEqual(signed);
    expect(signed.signatures).toEqual({ esms: { at: '2024-01-10T10:00:00+01:00', by: 'candidat:porteur' } });
    expect(ports.state.history.get(convention.applicationId)?.at(-1)).toEqual({ at: '2024-01-10T10:00:00+01:00', actor: 'candidat:porteur', action: 'signature_esms', from: 'retenue', to: 'retenue' });
    const countersigned = await signConvention(ports, { ...acting(arsStaff('NAQ'), DURING_CONVENTIONS), conventionId: convention.id, party: 'ars', signerEmail: 'agent@ars.local' });
    expect(countersigned.signatures.ars).toEqual({ at: '2024-01-10T10:00:00+01:00', by: 'ars-NAQ:agent-NAQ', email: 'agent@ars.local' });
  });

  it('tells the ARS at the campaign’s contact when its signer gave no address, and the joined collaborators with the owner', async () => {
    const { ports, owner, application, convention } = conventionToSign();
    ports.state.campaigns.set(campaign.id, { ...campaign, arsContacts: { NAQ: 'contact@ars-naq.local' } });
    ports.state.applications.set(application.id, { ...application, collaborators: [{ email: 'collegue@esms.local', invitedAt: '2023-10-01T10:00:00+02:00', invitedBy: 'x', joinedAt: '2023-10-02T10:00:00+02:00' }] });
    await signConvention(ports, { ...acting(arsStaff('NAQ'), DURING_CONVENTIONS), conventionId: convention.id, party: 'ars' });
    await signConvention(ports, { ...acting(owner, DURING_CONVENTIONS), conventionId: convention.id, party: 'esms' });
    expect([...ports.state.emails.values()].map(({ email, sent }) => [email.campaignId, email.event, email.recipientKey, email.to, sent])).toEqual([
      [campaign.id, 'convention_signee', `${convention.id}#esms`, ['porteur@esms.local', 'collegue@esms.local'], true],
      [campaign.id, 'convention_signee', `${convention.id}#ars`, ['contact@ars-naq.local'], true],
    ]);
    expect([...ports.state.emails.values()][0]?.email.subject).toContain(convention.id);
  });

  it('tells only the ARS, at the deployment’s mailbox, when neither the file nor the campaign is found any more', async () => {
    const { ports, owner, application, convention } = conventionToSign();
    await signConvention(ports, { ...acting(owner, DURING_CONVENTIONS), conventionId: convention.id, party: 'esms' });
    ports.state.applications.delete(application.id);
    ports.state.campaigns.delete(campaign.id);
    await signConvention(ports, { ...acting(arsStaff('NAQ'), DURING_CONVENTIONS), conventionId: convention.id, party: 'ars' });
    expect([...ports.state.emails.values()].map(({ email }) => [email.recipientKey, email.to])).toEqual([[`${convention.id}#ars`, [arsMailbox({}, 'NAQ')]]]);
  });

  it('refuses the ARS signing for the establishment, and an unknown convention as not found', async () => {
    const { ports, convention } = conventionToSign();
    await expect(signConvention(ports, { ...acting(arsStaff('NAQ'), DURING_CONVENTIONS), conventionId: convention.id, party: 'esms' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(signConvention(ports, { ...acting(arsStaff('NAQ'), DURING_CONVENTIONS), conventionId: 'CNV-INCONNUE', party: 'ars' })).rejects.toMatchObject({
      code: 'not_found',
      detail: "La convention demandée n'existe pas ou ne vous est pas accessible.",
    });
    expect(ports.state.conventions.get(convention.id)).toEqual(convention);
  });
});

describe('opening a convention', () => {
  it('shows it to its region even when its file is gone, and names the convention to a stranger', async () => {
    const { ports, owner, application, convention } = conventionToSign();
    await expect(openConvention(ports, { caller: applicant('inconnu'), conventionId: convention.id, action: 'read' })).rejects.toMatchObject({
      code: 'not_found',
      detail: "La convention demandée n'existe pas ou ne vous est pas accessible.",
    });
    await expect(openConvention(ports, { caller: owner, conventionId: convention.id, action: 'sign_ars' })).rejects.toMatchObject({ code: 'forbidden' });
    ports.state.applications.delete(application.id);
    await expect(openConvention(ports, { caller: arsStaff('NAQ'), conventionId: convention.id, action: 'read' })).resolves.toEqual({ convention, application: undefined });
    await expect(openConvention(ports, { caller: owner, conventionId: convention.id, action: 'read' })).rejects.toMatchObject({ code: 'not_found' });
  });
});
