import fc from 'fast-check';
import {
  applicantHistory,
  applicationView,
  assertEligible,
  assertIntakeOpen,
  assertServedRegion,
  checkedFiness,
  closeIntake,
  closeWithoutDecision,
  conventionIdFor,
  eligibilityProblems,
  historyEntry,
  inviteCollaborator,
  markJoined,
  MAX_COLLABORATORS,
  newApplication,
  publicStatus,
  removeCollaborator,
  replaceFields,
  searchTextOf,
  statusLabel,
  submit,
  transfer,
  withdraw,
  type Application,
  type ApplicationStatus,
  type HistoryEntry,
} from '../../layers/domain/application';
import { parseInstant } from '../../layers/domain/calendar';
import { milestoneInstants, newCampaign } from '../../layers/domain/campaign';
import { defaultCampaign } from '../../layers/domain/default-campaign';
import { withCheckKey } from '../../layers/domain/finess';
import { outcome, thrown } from './support/outcome';

const at = (text: string): Date => parseInstant(text)!;
const campaign = newCampaign(defaultCampaign, at('2023-08-01T00:00:00+02:00'));
const m = milestoneInstants(campaign);
const NOW = at('2023-10-12T14:05:00+02:00');
const LATER = at('2023-10-13T09:00:00+02:00');
const FINESS = withCheckKey('33000001');

const eligible = {
  name: 'EHPAD Les Tilleuls',
  category: '500',
  contact: { name: 'Claire Martin', email: 'direction@ehpad-tilleuls.local' },
  dui: { segurReferenced: true, mesCapable: false },
  pathways: ['personnes_agees' as const],
  exchanges: "Envoi du DLU à l'hôpital.",
  awarenessMeans: 'Réunions des familles.',
};

const draft = newApplication({ id: 'MES-000001', campaignId: campaign.id, ownerId: 'porteur', ownerEmail: 'Porteur@ESMS.local', create: { finess: FINESS, ...eligible }, now: NOW });
const inStatus = (status: ApplicationStatus, extra: Partial<Application> = {}): Application => ({ ...draft, status, ...extra });
const decided = (status: 'retenue' | 'non_retenue', notified: boolean): Application =>
  inStatus(status, { decision: { decision: status, motivation: 'Projet solide.', decidedAt: '2023-11-20T10:00:00+01:00', decidedBy: 'ars', ...(notified ? { notifiedAt: '2023-12-01T10:00:00+01:00' } : {}) } });

describe('a new application', () => {
  it('is a draft of version 1 in the region of its FINESS, sector and mode from its category, owner address normalised', () => {
    expect(draft).toMatchObject({ id: 'MES-000001', campaignId: campaign.id, finess: FINESS, department: '33', ars: 'NAQ', sector: 'PA', ownerId: 'porteur', ownerEmail: 'porteur@esms.local', status: 'brouillon', version: 1, createdAt: '2023-10-12T14:05:00+02:00', updatedAt: '2023-10-12T14:05:00+02:00' });
  });

  it('keeps no owner address when none is given, and no sector for an unknown category', () => {
    const bare = newApplication({ id: 'MES-000002', campaignId: campaign.id, ownerId: 'porteur', create: { finess: FINESS, category: '999' }, now: NOW });
    expect(Object.keys(bare)).not.toContain('ownerEmail');
    expect(Object.keys(bare)).not.toContain('sector');
    expect(Object.keys(bare)).not.toContain('mode');
  });

  it('refuses an invalid FINESS with finess_invalid on the finess field', () => {
    const error = thrown(() => newApplication({ id: 'X', campaignId: campaign.id, ownerId: 'p', create: { finess: '330000000' }, now: NOW }));
    expect(error.code).toBe('finess_invalid');
    expect(error.errors).toEqual([{ path: 'finess', message: expect.any(String) }]);
    expect(checkedFiness(FINESS)).toMatchObject({ finess: FINESS, department: '33', ars: 'NAQ' });
  });

  it.each([
    ['national', 'NAQ', 'ok'],
    ['NAQ', 'NAQ', 'ok'],
    ['OCC', 'NAQ', 'wrong_region'],
  ] as const)('on a %s deployment, an ESMS of %s: %s', (deployment, ars, expected) => {
    expect(outcome(() => assertServedRegion(deployment, ars, FINESS))).toBe(expected);
  });

  it('on the wrong deployment, says which ARS to go to', () => {
    const error = thrown(() => assertServedRegion('OCC', 'NAQ', FINESS));
    expect(error.detail).toContain('(NAQ)');
    expect(error.errors).toEqual([{ path: 'finess', message: "Relève de l'ARS NAQ" }]);
  });
});

describe('the intake window [intakeOpensAt, intakeClosesAt)', () => {
  it('refuses before the opening, accepts from the opening instant, refuses from the closing instant on', () => {
    expect(outcome(() => assertIntakeOpen(campaign, new Date(m.intakeOpensAt.getTime() - 1)))).toBe('intake_not_open');
    expect(outcome(() => assertIntakeOpen(campaign, m.intakeOpensAt))).toBe('ok');
    expect(outcome(() => assertIntakeOpen(campaign, new Date(m.intakeClosesAt.getTime() - 1)))).toBe('ok');
    expect(outcome(() => assertIntakeOpen(campaign, m.intakeClosesAt))).toBe('intake_closed');
  });

  it('is open exactly on the instants of the window, around each end', () => {
    const around = fc.tuple(fc.constantFrom(m.intakeOpensAt, m.intakeClosesAt), fc.integer({ min: -3 * 86_400_000, max: 3 * 86_400_000 }));
    fc.assert(
      fc.property(around, ([edge, offset]) => {
        const t = edge.getTime() + offset;
        const expected = t < m.intakeOpensAt.getTime() ? 'intake_not_open' : t >= m.intakeClosesAt.getTime() ? 'intake_closed' : 'ok';
        expect(outcome(() => assertIntakeOpen(campaign, new Date(t)))).toBe(expected);
      }),
    );
  });

  it('tells the applicant when it opens and until when it was open, in Paris time', () => {
    expect(thrown(() => assertIntakeOpen(campaign, at('2023-08-15T10:00:00+02:00'))).detail).toBe('Les candidatures ouvrent le 1er septembre 2023 à 00 h 00 (heure de Paris).');
    expect(thrown(() => assertIntakeOpen(campaign, m.intakeClosesAt)).detail).toContain('31 octobre 2023');
  });
});

describe('eligibility', () => {
  const rules: Array<[string, Partial<Record<keyof typeof eligible, unknown>>, string]> = [
    ['no name', { name: undefined }, 'name'],
    ['an empty name', { name: '' }, 'name'],
    ['no category', { category: undefined }, 'category'],
    ['a category outside the ESMS of the call', { category: '101' }, 'category'],
    ['a DUI neither Ségur nor MES-capable', { dui: { segurReferenced: false, mesCapable: false } }, 'dui'],
    ['no DUI', { dui: undefined }, 'dui'],
    ['no pathway', { pathways: [] }, 'pathways'],
    ['pathways absent', { pathways: undefined }, 'pathways'],
    ['no exchanges', { exchanges: '' }, 'exchanges'],
    ['no awareness means', { awarenessMeans: undefined }, 'awarenessMeans'],
    ['no contact email', { contact: { name: 'Claire' } }, 'contact.email'],
    ['no contact', { contact: undefined }, 'contact.email'],
  ];

  it('is met by a complete file, Ségur-referenced or MES-capable alone', () => {
    expect(eligibilityProblems(eligible)).toEqual([]);
    expect(eligibilityProblems({ ...eligible, dui: { mesCapable: true } })).toEqual([]);
    expect(eligibilityProblems({ ...eligible, dui: { segurReferenced: true } })).toEqual([]);
  });

  it.each(rules)('is not met with %s: one problem on %s', (_what, change, path) => {
    const problems = eligibilityProblems({ ...eligible, ...change } as never);
    expect(problems.map((problem) => problem.path)).toEqual([path]);
    expect(problems[0]!.message.length).toBeGreaterThan(10);
  });

  it('lists every rule not met, and says how many in the error', () => {
    expect(eligibilityProblems({}).map((problem) => problem.path)).toEqual(['name', 'category', 'dui', 'pathways', 'exchanges', 'awarenessMeans', 'contact.email']);
    const many = thrown(() => assertEligible({}));
    expect(many).toMatchObject({ code: 'ineligible', detail: "Le dossier ne remplit pas 7 conditions de l'appel à projets." });
    expect(many.errors).toHaveLength(7);
    expect(thrown(() => assertEligible({ ...eligible, name: undefined })).detail).toBe("Le dossier ne remplit pas une condition de l'appel à projets.");
    expect(outcome(() => assertEligible(eligible))).toBe('ok');
  });
});

describe('submitting', () => {
  it('makes an eligible draft deposee, stamped and one version up', () => {
    expect(submit(draft, LATER)).toEqual({ ...draft, status: 'deposee', submittedAt: '2023-10-13T09:00:00+02:00', version: 2, updatedAt: '2023-10-13T09:00:00+02:00' });
  });

  it('refuses an ineligible draft with the problems', () => {
    const error = thrown(() => submit({ ...draft, exchanges: undefined }, LATER));
    expect(error.code).toBe('ineligible');
    expect(error.errors?.map((problem) => problem.path)).toEqual(['exchanges']);
  });

  it.each(['deposee', 'en_instruction', 'retenue', 'non_retenue', 'sans_suite'] as const)('refuses a file %s', (status) => {
    const error = thrown(() => submit(inStatus(status), LATER));
    expect(error.code).toBe('invalid_transition');
    expect(error.detail).toContain(statusLabel(status));
  });
});

describe('withdrawing', () => {
  const table: Array<[string, Application, string]> = [
    ['a draft', draft, 'ok'],
    ['a submitted file', inStatus('deposee'), 'ok'],
    ['a file in review', inStatus('en_instruction'), 'ok'],
    ['a retained file not yet notified', decided('retenue', false), 'ok'],
    ['a rejected file not yet notified', decided('non_retenue', false), 'ok'],
    ['a notified retained file', decided('retenue', true), 'invalid_transition'],
    ['a notified rejected file', decided('non_retenue', true), 'invalid_transition'],
    ['a file already closed', inStatus('sans_suite'), 'invalid_transition'],
  ];
  it.each(table)('%s: %s', (_what, application, expected) => {
    expect(outcome(() => withdraw(application, LATER))).toBe(expected);
  });

  it('closes the file without its unnotified decision, one version up', () => {
    const withdrawn = withdraw(decided('retenue', false), LATER);
    expect(withdrawn).toEqual({ ...draft, status: 'sans_suite', version: 2, updatedAt: '2023-10-13T09:00:00+02:00' });
    expect(Object.keys(withdrawn)).not.toContain('decision');
  });

  it('names the status the applicant knows when refusing', () => {
    expect(thrown(() => withdraw(decided('retenue', true), LATER)).detail).toBe('Le dossier est retenu : il ne peut plus être retiré.');
    expect(thrown(() => withdraw(inStatus('sans_suite'), LATER)).detail).toBe('Le dossier est classé sans suite : il ne peut plus être retiré.');
  });
});

describe('replacing the fields', () => {
  it('clears the absent fields, keeps what is not the applicant’s and derives sector and mode again', () => {
    const submitted = { ...submit(draft, NOW), collaborators: [{ email: 'c@esms.local', invitedAt: 'x', invitedBy: 'p' }] };
    const replaced = replaceFields(submitted, { ...eligible, category: '209', capacity: undefined }, LATER);
    expect(replaced).toMatchObject({ id: draft.id, finess: FINESS, ars: 'NAQ', ownerId: 'porteur', ownerEmail: 'porteur@esms.local', status: 'deposee', submittedAt: submitted.submittedAt, category: '209', sector: 'PA', mode: 'domicile', version: 3, updatedAt: '2023-10-13T09:00:00+02:00', collaborators: submitted.collaborators });
    const { name: _name, ...withoutName } = eligible;
    expect(Object.keys(replaceFields(draft, withoutName, LATER))).not.toContain('name');
    expect(Object.keys(replaceFields(draft, { ...eligible, category: undefined }, LATER))).not.toContain('sector');
  });

  it('keeps a draft editable into an ineligible state, but not a submitted file', () => {
    expect(outcome(() => replaceFields(draft, {}, LATER))).toBe('ok');
    expect(outcome(() => replaceFields(inStatus('deposee'), {}, LATER))).toBe('ineligible');
  });

  it.each(['en_instruction', 'retenue', 'non_retenue', 'sans_suite'] as const)('refuses a file %s', (status) => {
    expect(thrown(() => replaceFields(inStatus(status), eligible, LATER))).toMatchObject({ code: 'invalid_transition', detail: `Le dossier est ${statusLabel(status)} : il ne peut plus être modifié.` });
  });

  it('keeps an owner-less transferred file owner-less', () => {
    const transferred = transfer(draft, 'repreneur@esms.local', NOW);
    expect(Object.keys(replaceFields(transferred, eligible, LATER))).not.toContain('ownerId');
  });
});

describe('what the applicant sees', () => {
  it.each([
    ['brouillon', undefined, 'brouillon'],
    ['en_instruction', undefined, 'en_instruction'],
    ['retenue', false, 'en_instruction'],
    ['non_retenue', false, 'en_instruction'],
    ['retenue', true, 'retenue'],
    ['non_retenue', true, 'non_retenue'],
    ['sans_suite', undefined, 'sans_suite'],
  ] as const)('a file %s (notified: %s) reads %s', (status, notified, expected) => {
    const application = notified === undefined ? inStatus(status) : decided(status as 'retenue', notified);
    expect(publicStatus(application)).toBe(expected);
    expect(applicationView(application, 'applicant').status).toBe(expected);
  });

  it('hides the review and an unnotified decision from the applicant, not from staff', () => {
    const review = { scores: { parcours: 4 }, comment: 'Bien.', average: 4, reviewedAt: 'x', reviewedBy: 'ars' };
    const pending = { ...decided('retenue', false), review };
    expect(applicationView(pending, 'staff')).toMatchObject({ status: 'retenue', decision: pending.decision, review });
    const forApplicant = applicationView(pending, 'applicant');
    expect(Object.keys(forApplicant)).not.toContain('decision');
    expect(Object.keys(forApplicant)).not.toContain('review');
    const notified = { ...decided('retenue', true), review };
    expect(applicationView(notified, 'applicant').decision).toEqual({ decision: 'retenue', motivation: 'Projet solide.', notifiedAt: '2023-12-01T10:00:00+01:00' });
  });

  it('lists the fields in the order of API.md, without the owner, with the convention of a notified retained file', () => {
    const view = applicationView({ ...decided('retenue', true), collaborators: [{ email: 'c@esms.local', invitedAt: 'i', invitedBy: 'p', joinedAt: 'j' }, { email: 'd@esms.local', invitedAt: 'i', invitedBy: 'p' }] }, 'staff');
    expect(Object.keys(view)).toEqual(['id', 'campaignId', 'finess', 'name', 'category', 'sector', 'mode', 'department', 'ars', 'contact', 'dui', 'pathways', 'exchanges', 'awarenessMeans', 'status', 'version', 'createdAt', 'updatedAt', 'decision', 'conventionId', 'collaborators']);
    expect(view.conventionId).toBe('CNV-000001');
    expect(view.collaborators).toEqual([{ email: 'c@esms.local', invitedAt: 'i', joinedAt: 'j' }, { email: 'd@esms.local', invitedAt: 'i' }]);
    expect(conventionIdFor(decided('retenue', false))).toBeUndefined();
    expect(conventionIdFor(decided('non_retenue', true))).toBeUndefined();
  });

  it('searches by accent-free name and FINESS', () => {
    expect(searchTextOf({ name: 'EHPAD Élan', finess: '2A0000001' })).toBe('ehpad elan 2a0000001');
    expect(searchTextOf({ finess: '330000001' })).toBe(' 330000001');
  });

  it('reads the history without reviews, and with only the notified decision', () => {
    const line = (action: string, motivation?: string): HistoryEntry => ({ at: 'x', actor: 'a', action, from: null, to: 'en_instruction', ...(motivation ? { motivation } : {}) });
    const entries = [line('creation'), line('evaluation'), line('decision', 'first'), line('decision', 'second')];
    expect(applicantHistory(entries, decided('retenue', true)).map((entry) => entry.motivation ?? entry.action)).toEqual(['creation', 'second']);
    expect(applicantHistory(entries, decided('retenue', false)).map((entry) => entry.action)).toEqual(['creation']);
    expect(historyEntry(submit(draft, LATER), 'brouillon', 'depot', 'candidat:p')).toEqual({ at: '2023-10-13T09:00:00+02:00', actor: 'candidat:p', action: 'depot', from: 'brouillon', to: 'deposee' });
    expect(historyEntry(draft, null, 'decision', 'ars', 'Pourquoi')).toMatchObject({ motivation: 'Pourquoi' });
  });
});

describe('collaborators', () => {
  it('are invited once by normalised address, up to the maximum, never the owner', () => {
    const invited = inviteCollaborator(draft, ' Collegue@ESMS.local ', 'porteur', LATER);
    expect(invited.collaborators).toEqual([{ email: 'collegue@esms.local', invitedAt: '2023-10-13T09:00:00+02:00', invitedBy: 'porteur' }]);
    expect(invited.version).toBe(2);
    expect(inviteCollaborator(invited, 'collegue@esms.local', 'porteur', LATER)).toBe(invited);
    expect(thrown(() => inviteCollaborator(draft, 'porteur@esms.local', 'porteur', LATER))).toMatchObject({ code: 'validation_failed', errors: [{ path: 'email', message: 'Adresse du porteur' }] });
    let full = draft;
    for (let n = 0; n < MAX_COLLABORATORS; n += 1) full = inviteCollaborator(full, `c${n}@esms.local`, 'porteur', LATER);
    expect(full.collaborators).toHaveLength(MAX_COLLABORATORS);
    expect(outcome(() => inviteCollaborator(full, 'one-more@esms.local', 'porteur', LATER))).toBe('too_many_collaborators');
  });

  it('are removed by address, and join once', () => {
    const two = inviteCollaborator(inviteCollaborator(draft, 'a@esms.local', 'p', NOW), 'b@esms.local', 'p', NOW);
    const removed = removeCollaborator(two, 'A@esms.local', LATER);
    expect(removed.collaborators?.map((c) => c.email)).toEqual(['b@esms.local']);
    expect(removed.version).toBe(two.version + 1);
    expect(outcome(() => removeCollaborator(draft, 'a@esms.local', LATER))).toBe('not_found');
    const joined = markJoined(two, 'a@esms.local', LATER);
    expect(joined.collaborators?.map((c) => c.joinedAt)).toEqual(['2023-10-13T09:00:00+02:00', undefined]);
    expect(markJoined(joined, 'a@esms.local', at('2023-12-01T00:00:00+01:00')).collaborators?.[0]?.joinedAt).toBe('2023-10-13T09:00:00+02:00');
    expect(markJoined(draft, 'a@esms.local', LATER).collaborators).toEqual([]);
  });

  it('lose access with the owner on a transfer', () => {
    const shared = inviteCollaborator(draft, 'a@esms.local', 'p', NOW);
    const transferred = transfer(shared, 'Repreneur@ESMS.local', LATER);
    expect(transferred).toMatchObject({ ownerEmail: 'repreneur@esms.local', version: shared.version + 1, updatedAt: '2023-10-13T09:00:00+02:00' });
    expect(Object.keys(transferred)).not.toContain('ownerId');
    expect(Object.keys(transferred)).not.toContain('collaborators');
  });
});

describe('the milestone transitions', () => {
  it.each(applicationStatusesBut('deposee'))('closing the intake leaves a file %s alone (invalid_transition)', (status) => {
    expect(outcome(() => closeIntake(inStatus(status), LATER))).toBe('invalid_transition');
  });
  it.each(applicationStatusesBut('en_instruction'))('ending the selection leaves a file %s alone (invalid_transition)', (status) => {
    expect(outcome(() => closeWithoutDecision(inStatus(status), LATER))).toBe('invalid_transition');
  });
  it('send a submitted file to review, and a file still in review without decision to sans_suite', () => {
    expect(closeIntake(inStatus('deposee'), LATER)).toEqual({ ...inStatus('deposee'), status: 'en_instruction', version: 2, updatedAt: '2023-10-13T09:00:00+02:00' });
    expect(closeWithoutDecision(inStatus('en_instruction'), LATER)).toEqual({ ...draft, status: 'sans_suite', version: 2, updatedAt: '2023-10-13T09:00:00+02:00' });
    expect(thrown(() => closeIntake(draft, LATER)).detail).toContain('en brouillon');
    expect(thrown(() => closeWithoutDecision(draft, LATER)).detail).toContain('en brouillon');
  });
});

function applicationStatusesBut(kept: ApplicationStatus): ApplicationStatus[] {
  return (['brouillon', 'deposee', 'en_instruction', 'retenue', 'non_retenue', 'sans_suite'] as const).filter((status) => status !== kept);
}

describe('what each refusal says to the applicant', () => {
  const full = Array.from({ length: MAX_COLLABORATORS }, (_, n) => ({ email: `c${n}@esms.local`, invitedAt: 'x', invitedBy: 'porteur' }));
  it.each([
    ['a FINESS of another region', () => assertServedRegion('OCC', 'NAQ', FINESS), `Le numéro FINESS ${FINESS} relève de l'ARS Nouvelle-Aquitaine (NAQ) : cette plateforme est celle de l'ARS Occitanie. Déposez votre candidature auprès de l'ARS Nouvelle-Aquitaine.`],
    ['a closed intake', () => assertIntakeOpen(campaign, m.intakeClosesAt), "Les candidatures étaient ouvertes jusqu'au 31 octobre 2023 à 23 h 59 (heure de Paris) : elles sont closes."],
    ['a second submission', () => submit(inStatus('deposee'), LATER), 'Le dossier est déposé : il ne peut pas être déposé.'],
    ['inviting the owner', () => inviteCollaborator(draft, 'PORTEUR@esms.local', 'porteur', LATER), 'Cette adresse est celle du porteur du dossier.'],
    ['an eleventh collaborator', () => inviteCollaborator(inStatus('brouillon', { collaborators: full }), 'one-more@esms.local', 'porteur', LATER), "Un dossier compte au plus 10 collaborateurs : retirez-en un avant d'en inviter un autre."],
    ['removing someone who does not collaborate', () => removeCollaborator(draft, 'Absent@esms.local', LATER), 'absent@esms.local ne collabore pas à ce dossier.'],
    ['closing the intake of a file in review', () => closeIntake(inStatus('en_instruction'), LATER), 'Le dossier est en instruction : seul un dossier déposé passe en instruction.'],
    ['closing a retained file without decision', () => closeWithoutDecision(inStatus('retenue'), LATER), 'Le dossier est retenu : seul un dossier en instruction est classé sans suite faute de décision.'],
  ])('%s', (_what, refused, detail) => {
    expect(thrown(refused).detail).toBe(detail);
  });

  it('names the field of the owner’s own address', () => {
    expect(thrown(() => inviteCollaborator(draft, 'porteur@esms.local', 'porteur', LATER)).errors).toEqual([{ path: 'email', message: 'Adresse du porteur' }]);
  });
});
