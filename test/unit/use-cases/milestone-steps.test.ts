import type { Application } from '../../../layers/domain/application';
import { arsMailbox } from '../../../layers/domain/campaign';
import { queuedEmailKey } from '../../../layers/domain/ports';
import { SYSTEM_ACTOR, runDueSteps } from '../../../layers/domain/use-cases/milestones';
import type { MemoryPorts } from '../../../layers/adapters/memory/ports';
import { applicant, at, campaign, finessIn, instants, ms, portsWith, storedApplication, storedConvention, storedPilot } from './fixtures';

const DRAFTS_DUE = at('2023-10-31T10:00:00+01:00');
const SELECTION_J7 = at('2023-12-10T10:00:00+01:00');
const SELECTION_J1 = at('2023-12-15T10:00:00+01:00');
const CONVENTIONS_J14 = at('2024-02-02T10:00:00+01:00');
const CONVENTIONS_J7 = at('2024-02-09T10:00:00+01:00');
const CONVENTIONS_J1 = at('2024-02-14T10:00:00+01:00');
const NAQ_MAILBOX = arsMailbox(campaign, 'NAQ');
const OCC_MAILBOX = arsMailbox(campaign, 'OCC');

/** What the ledger holds for an event: recipient key, addresses and subject, in the order queued. */
const queued = (ports: MemoryPorts, event: string) =>
  [...ports.state.emails.values()].filter(({ email }) => email.event === event).map(({ email }) => ({ key: email.recipientKey, to: email.to, subject: email.subject, campaignId: email.campaignId }));

const inOccitanie = (overrides: Partial<Application> = {}): Partial<Application> => ({ finess: finessIn('34'), ars: 'OCC', ...overrides });

const joined = (email: string) => ({ email, invitedAt: '2023-10-01T10:00:00+02:00', invitedBy: 'candidat:porteur', joinedAt: '2023-10-02T10:00:00+02:00' });

describe('the draft reminder, two days before the intake closes', () => {
  function draftsOfThreeHolders() {
    const ports = portsWith();
    const [alice, bob, carol] = [applicant('alice'), applicant('bob'), applicant('carol')];
    const alicesFirst = storedApplication(ports, { status: 'brouillon' }, alice);
    storedApplication(ports, { status: 'brouillon' }, alice);
    storedApplication(ports, { status: 'brouillon' }, bob);
    storedApplication(ports, { status: 'deposee' }, bob);
    const given = storedApplication(ports, { status: 'brouillon', ownerId: undefined, ownerEmail: 'repreneur@esms.local' }, carol);
    storedApplication(ports, { status: 'brouillon', ownerEmail: undefined }, applicant('sans-adresse'));
    return { ports, alicesFirst, given };
  }

  it('reminds each holder who submitted nothing once, at their verified address, naming their first draft', async () => {
    const { ports, alicesFirst, given } = draftsOfThreeHolders();
    const report = await runDueSteps(ports, campaign, DRAFTS_DUE);
    expect(report).toEqual({ transitions: 0, emailsQueued: 2, steps: ['rappel_brouillons'] });
    expect(queued(ports, 'rappel_brouillon')).toEqual([
      { key: 'alice', to: ['alice@esms.local'], subject: `Votre dossier n° ${alicesFirst.id} n'est pas encore déposé`, campaignId: campaign.id },
      { key: 'EMAIL#repreneur@esms.local', to: ['repreneur@esms.local'], subject: `Votre dossier n° ${given.id} n'est pas encore déposé`, campaignId: campaign.id },
    ]);
    expect([...ports.state.stepsDone]).toEqual([`${campaign.id}#rappel_brouillons`]);
  });

  it('is skipped once done, and resumed after a run that died half-way queues only what is missing', async () => {
    const { ports } = draftsOfThreeHolders();
    await runDueSteps(ports, campaign, DRAFTS_DUE);
    await expect(runDueSteps(ports, campaign, DRAFTS_DUE)).resolves.toEqual({ transitions: 0, emailsQueued: 0, steps: [] });
    // The run died after queuing Alice's reminder, before marking the step done.
    ports.state.stepsDone.clear();
    const [alices] = [...ports.state.emails.entries()];
    ports.state.emails.clear();
    ports.state.emails.set(...alices!);
    await expect(runDueSteps(ports, campaign, DRAFTS_DUE)).resolves.toEqual({ transitions: 0, emailsQueued: 1, steps: ['rappel_brouillons'] });
    expect(queued(ports, 'rappel_brouillon').map((email) => email.key)).toEqual(['alice', 'EMAIL#repreneur@esms.local']);
  });

  it('is not due the millisecond before its window nor once the intake is closed', async () => {
    const { ports } = draftsOfThreeHolders();
    await expect(runDueSteps(ports, campaign, ms(at('2023-10-30T00:00:00+01:00'), -1))).resolves.toEqual({ transitions: 0, emailsQueued: 0, steps: [] });
    expect(ports.state.emails.size).toBe(0);
    await expect(runDueSteps(ports, campaign, at('2023-10-30T00:00:00+01:00'))).resolves.toMatchObject({ steps: ['rappel_brouillons'] });
  });
});

describe('closing the intake', () => {
  it('moves each submitted file into review with a system history line, then tells each region how many await it', async () => {
    const ports = portsWith();
    const naq = storedApplication(ports, { status: 'deposee' });
    const occ = [storedApplication(ports, inOccitanie({ status: 'deposee' })), storedApplication(ports, inOccitanie({ status: 'deposee' }))];
    const draft = storedApplication(ports, { status: 'brouillon' });
    const report = await runDueSteps(ports, campaign, instants.intakeClosesAt);
    expect(report).toEqual({ transitions: 3, emailsQueued: 2, steps: ['cloture_candidatures', 'instruction_ouverte'] });
    expect(ports.state.applications.get(naq.id)).toMatchObject({ status: 'en_instruction', version: naq.version + 1 });
    expect(ports.state.applications.get(draft.id)).toEqual(draft);
    expect(ports.state.history.get(occ[0]!.id)?.at(-1)).toEqual({ at: '2023-11-01T00:00:00+01:00', actor: SYSTEM_ACTOR, action: 'cloture_candidatures', from: 'deposee', to: 'en_instruction' });
    expect(queued(ports, 'instruction_ouverte')).toEqual([
      { key: 'NAQ', to: [NAQ_MAILBOX], subject: '1 candidature à instruire — Nouvelle-Aquitaine', campaignId: campaign.id },
      { key: 'OCC', to: [OCC_MAILBOX], subject: '2 candidatures à instruire — Occitanie', campaignId: campaign.id },
    ]);
    // Only the announcement is a one-time step; the sweep finds nothing the second time.
    expect([...ports.state.stepsDone]).toEqual([`${campaign.id}#instruction_ouverte`]);
    await expect(runDueSteps(ports, campaign, ms(instants.intakeClosesAt, 1))).resolves.toEqual({ transitions: 0, emailsQueued: 0, steps: [] });
  });

  it('counts no transition for a file another run moved first, and lets any other failure through', async () => {
    const ports = portsWith();
    const raced = storedApplication(ports, { status: 'deposee' });
    const moved = storedApplication(ports, { status: 'deposee' });
    const save = ports.applications.save;
    ports.applications.save = async (change) => {
      // The other run applied the same transition just before this one writes.
      if (change.application.id === raced.id) ports.state.applications.set(raced.id, { ...raced, status: 'en_instruction', version: raced.version + 1 });
      return save(change);
    };
    await expect(runDueSteps(ports, campaign, instants.intakeClosesAt)).resolves.toMatchObject({ transitions: 1, steps: ['cloture_candidatures', 'instruction_ouverte'] });
    expect(ports.state.applications.get(moved.id)?.status).toBe('en_instruction');

    const failing = portsWith();
    storedApplication(failing, { status: 'deposee' });
    failing.applications.save = async () => {
      throw new Error('table unavailable');
    };
    await expect(runDueSteps(failing, campaign, instants.intakeClosesAt)).rejects.toThrow('table unavailable');
  });
});

describe('the selection reminders', () => {
  it.each([
    ['j7', SELECTION_J7],
    ['j1', SELECTION_J1],
  ] as const)('%s: each region is told how many files still await a decision, once', async (window, instant) => {
    const ports = portsWith();
    storedApplication(ports);
    storedApplication(ports);
    storedApplication(ports, inOccitanie());
    storedApplication(ports, { status: 'retenue' });
    ports.state.stepsDone.add(`${campaign.id}#instruction_ouverte`);
    const report = await runDueSteps(ports, campaign, instant);
    expect(report).toEqual({ transitions: 0, emailsQueued: 2, steps: [`rappel_selection_${window}`] });
    expect(queued(ports, `rappel_selection_${window}`)).toEqual([
      { key: 'NAQ', to: [NAQ_MAILBOX], subject: '2 candidatures sans décision — fin de la sélection le 15 décembre 2023 à 23 h 59', campaignId: campaign.id },
      { key: 'OCC', to: [OCC_MAILBOX], subject: '1 candidature sans décision — fin de la sélection le 15 décembre 2023 à 23 h 59', campaignId: campaign.id },
    ]);
    await expect(runDueSteps(ports, campaign, instant)).resolves.toEqual({ transitions: 0, emailsQueued: 0, steps: [] });
  });
});

describe('ending the selection', () => {
  it('closes each undecided file, telling its holders when it has any, and counts only the emails it queued', async () => {
    const ports = portsWith();
    const told = storedApplication(ports, { collaborators: [joined('collegue@esms.local')] });
    const unreachable = storedApplication(ports, { ownerId: 'sans-adresse', ownerEmail: undefined });
    ports.state.stepsDone.add(`${campaign.id}#instruction_ouverte`);
    const report = await runDueSteps(ports, campaign, instants.selectionEndsAt);
    expect(report).toEqual({ transitions: 2, emailsQueued: 1, steps: ['fin_selection'] });
    expect(ports.state.applications.get(unreachable.id)).toMatchObject({ status: 'sans_suite', version: unreachable.version + 1 });
    expect(ports.state.history.get(told.id)?.at(-1)).toEqual({
      at: '2023-12-16T00:00:00+01:00',
      actor: SYSTEM_ACTOR,
      action: 'fin_selection',
      from: 'en_instruction',
      to: 'sans_suite',
      motivation: "Aucune décision n'a été prise avant la date limite de sélection.",
    });
    expect(queued(ports, 'sans_suite_delai')).toEqual([{ key: told.id, to: ['porteur@esms.local', 'collegue@esms.local'], subject: `Dossier n° ${told.id} : classé sans suite`, campaignId: campaign.id }]);
  });

  it('counts neither the transition nor the email of a file another run closed first', async () => {
    const ports = portsWith();
    const raced = storedApplication(ports);
    storedApplication(ports);
    ports.state.stepsDone.add(`${campaign.id}#instruction_ouverte`);
    const save = ports.applications.save;
    ports.applications.save = async (change) => {
      if (change.application.id === raced.id) ports.state.applications.set(raced.id, { ...raced, version: raced.version + 1 });
      return save(change);
    };
    await expect(runDueSteps(ports, campaign, instants.selectionEndsAt)).resolves.toEqual({ transitions: 1, emailsQueued: 1, steps: ['fin_selection'] });
    expect(queued(ports, 'sans_suite_delai')).toHaveLength(1);
  });
});

function conventionsToSign(ports: MemoryPorts) {
  const owner = applicant('porteur');
  const unsigned = storedConvention(ports, storedApplication(ports, { status: 'retenue', collaborators: [joined('collegue@esms.local')] }, owner));
  const esmsSigned = storedConvention(ports, storedApplication(ports, inOccitanie({ status: 'retenue' }), owner), { signatures: { esms: { at: '2024-01-20T10:00:00+01:00', by: 'candidat:porteur' } } });
  const arsSigned = storedConvention(ports, storedApplication(ports, { status: 'retenue' }, owner), { signatures: { ars: { at: '2024-01-20T10:00:00+01:00', by: 'ars-NAQ:agent', email: 'agent@ars.local' } } });
  const orphan = storedConvention(ports, { ...storedApplication(ports, { status: 'retenue' }, owner), id: 'MES-ORPHAN' });
  for (const step of ['instruction_ouverte']) ports.state.stepsDone.add(`${campaign.id}#${step}`);
  return { unsigned, esmsSigned, arsSigned, orphan };
}

describe('the convention reminders', () => {
  it.each([
    ['j14', CONVENTIONS_J14],
    ['j7', CONVENTIONS_J7],
    ['j1', CONVENTIONS_J1],
  ] as const)('%s: each party that has not signed is reminded, the applicant at the addresses holding the file', async (window, instant) => {
    const ports = portsWith();
    const { unsigned, esmsSigned, arsSigned, orphan } = conventionsToSign(ports);
    const report = await runDueSteps(ports, campaign, instant);
    expect(report).toEqual({ transitions: 0, emailsQueued: 5, steps: [`rappel_conventions_${window}`] });
    expect(queued(ports, `rappel_convention_${window}`).map(({ key, to }) => [key, to])).toEqual([
      [`${unsigned.id}#esms`, ['porteur@esms.local', 'collegue@esms.local']],
      [`${unsigned.id}#ars`, [NAQ_MAILBOX]],
      [`${esmsSigned.id}#ars`, [OCC_MAILBOX]],
      [`${arsSigned.id}#esms`, ['porteur@esms.local']],
      [`${orphan.id}#ars`, [NAQ_MAILBOX]],
    ]);
    expect(queued(ports, `rappel_convention_${window}`)[0]?.subject).toMatch(new RegExp(`^Convention ${unsigned.id} à signer avant le `));
    await expect(runDueSteps(ports, campaign, instant)).resolves.toEqual({ transitions: 0, emailsQueued: 0, steps: [] });
  });
});

describe('lapsing the conventions', () => {
  it('lapses each unsigned convention and tells both parties, the ARS at the address that signed if it did', async () => {
    const ports = portsWith();
    const { unsigned, esmsSigned, arsSigned, orphan } = conventionsToSign(ports);
    const report = await runDueSteps(ports, campaign, instants.conventionsDueAt);
    expect(report).toEqual({ transitions: 4, emailsQueued: 7, steps: ['conventions_caduques', 'debut_experimentation'] });
    expect(ports.state.conventions.get(unsigned.id)).toMatchObject({ status: 'caduque', version: 2, updatedAt: '2024-02-15T00:00:00+01:00' });
    expect(queued(ports, 'convention_caduque').map(({ key, to }) => [key, to])).toEqual([
      [`${unsigned.id}#esms`, ['porteur@esms.local', 'collegue@esms.local']],
      [`${unsigned.id}#ars`, [NAQ_MAILBOX]],
      [`${esmsSigned.id}#esms`, ['porteur@esms.local']],
      [`${esmsSigned.id}#ars`, [OCC_MAILBOX]],
      [`${arsSigned.id}#esms`, ['porteur@esms.local']],
      [`${arsSigned.id}#ars`, ['agent@ars.local']],
      [`${orphan.id}#ars`, [NAQ_MAILBOX]],
    ]);
    await expect(runDueSteps(ports, campaign, instants.conventionsDueAt)).resolves.toEqual({ transitions: 0, emailsQueued: 0, steps: [] });
  });

  it('counts nothing for a convention another run lapsed first', async () => {
    const ports = portsWith();
    const { unsigned } = conventionsToSign(ports);
    const saveLapse = ports.conventions.saveLapse;
    ports.conventions.saveLapse = async (lapsed, previous, emails, when) => {
      if (previous.id === unsigned.id) ports.state.conventions.set(unsigned.id, { ...unsigned, version: unsigned.version + 1 });
      return saveLapse(lapsed, previous, emails, when);
    };
    await expect(runDueSteps(ports, campaign, instants.conventionsDueAt)).resolves.toMatchObject({ transitions: 3, emailsQueued: 5 });
    expect(queued(ports, 'convention_caduque').some(({ key }) => key.startsWith(unsigned.id))).toBe(false);
  });
});

function pilots(ports: MemoryPorts) {
  const owner = applicant('porteur');
  const met = storedPilot(ports, storedApplication(ports, { status: 'retenue', name: 'EHPAD Atteint', collaborators: [joined('collegue@esms.local')] }, owner));
  const missed = storedPilot(ports, storedApplication(ports, { status: 'retenue', name: 'EHPAD Manqué' }, owner));
  const occitan = storedPilot(ports, storedApplication(ports, inOccitanie({ status: 'retenue', name: 'EHPAD Occitan' }), owner));
  const orphan = storedPilot(ports, { ...storedApplication(ports, { status: 'retenue', name: 'EHPAD Orphelin' }, owner), id: 'MES-ORPHAN-PILOT' });
  return { met, missed, occitan, orphan };
}

describe('the experimentation announcements', () => {
  it('tells each pilot how to report, at the addresses holding its file, once', async () => {
    const ports = portsWith();
    const { met, missed, occitan } = pilots(ports);
    const after = ms(instants.conventionsDueAt, 60_000);
    const report = await runDueSteps(ports, campaign, after);
    expect(report).toEqual({ transitions: 0, emailsQueued: 3, steps: ['instruction_ouverte', 'debut_experimentation'] });
    expect(queued(ports, 'debut_experimentation').map(({ key, to }) => [key, to])).toEqual([
      [met.finess, ['porteur@esms.local', 'collegue@esms.local']],
      [missed.finess, ['porteur@esms.local']],
      [occitan.finess, ['porteur@esms.local']],
    ]);
    await expect(runDueSteps(ports, campaign, after)).resolves.toEqual({ transitions: 0, emailsQueued: 0, steps: [] });
  });

  it('reminds the pilots missing last month at the addresses holding their file', async () => {
    const ports = portsWith();
    const { met, missed, occitan } = pilots(ports);
    await ports.usage.write([{ id: 0, input: { pilot: missed, month: '2024-03', indicators: { 'mss.usagers': 3 }, actor: 'client:dui', now: at('2024-04-02T10:00:00+02:00') } }]);
    for (const step of ['instruction_ouverte', 'debut_experimentation']) ports.state.stepsDone.add(`${campaign.id}#${step}`);
    const report = await runDueSteps(ports, campaign, at('2024-04-05T08:00:00+02:00'));
    expect(report).toEqual({ transitions: 0, emailsQueued: 2, steps: ['rappel_remontees_2024-03'] });
    expect(queued(ports, 'rappel_remontee_2024-03').map(({ key, to, subject }) => [key, to, subject])).toEqual([
      [met.finess, ['porteur@esms.local', 'collegue@esms.local'], 'Indicateurs de mars 2024 non reçus — EHPAD Atteint'],
      [occitan.finess, ['porteur@esms.local'], 'Indicateurs de mars 2024 non reçus — EHPAD Occitan'],
    ]);
  });
});

describe('the funding outcome, once reporting closes', () => {
  it('tells each pilot its outcome and each region its pilots’, once', async () => {
    const ports = portsWith();
    const { met, missed, occitan, orphan } = pilots(ports);
    await ports.usage.write([
      { id: 0, input: { pilot: met, month: '2024-03', indicators: { 'docs_dmp.74207-2': 10, 'mss.usagers': 20, 'mes.activations_accompagnees': 20 }, actor: 'client:dui', now: at('2024-04-02T10:00:00+02:00') } },
      { id: 1, input: { pilot: missed, month: '2024-03', indicators: { 'docs_dmp.74207-2': 10, 'mss.usagers': 19, 'mes.activations_accompagnees': 20 }, actor: 'client:dui', now: at('2024-04-02T10:00:00+02:00') } },
    ]);
    for (const step of ['instruction_ouverte']) ports.state.stepsDone.add(`${campaign.id}#${step}`);
    const report = await runDueSteps(ports, campaign, instants.reportingClosesAt);
    expect(report).toEqual({ transitions: 0, emailsQueued: 5, steps: ['resultat_financement'] });
    expect(queued(ports, 'resultat_financement').map(({ key, to, subject }) => [key, to, subject])).toEqual([
      [met.finess, ['porteur@esms.local', 'collegue@esms.local'], 'Seconde tranche de financement acquise — EHPAD Atteint'],
      [missed.finess, ['porteur@esms.local'], "Résultat du financement à l'usage — EHPAD Manqué"],
      [occitan.finess, ['porteur@esms.local'], "Résultat du financement à l'usage — EHPAD Occitan"],
    ]);
    expect(queued(ports, 'resultat_financement').some(({ key }) => key === orphan.finess)).toBe(false);
    expect(queued(ports, 'resultat_financement_region').map(({ key, to, subject }) => [key, to, subject])).toEqual([
      ['NAQ', [NAQ_MAILBOX], "Financement à l'usage : seconde tranche acquise pour 1 pilote sur 3 — Nouvelle-Aquitaine"],
      ['OCC', [OCC_MAILBOX], "Financement à l'usage : seconde tranche acquise pour 0 pilote sur 1 — Occitanie"],
    ]);
    await expect(runDueSteps(ports, campaign, instants.reportingClosesAt)).resolves.toEqual({ transitions: 0, emailsQueued: 0, steps: [] });
  });
});

describe('a step that fails', () => {
  it('is not marked done, so the next run does it', async () => {
    const ports = portsWith();
    const draft = storedApplication(ports, { status: 'brouillon' });
    const queueOnce = ports.mail.queueOnce;
    ports.mail.queueOnce = async () => {
      throw new Error('ledger unavailable');
    };
    await expect(runDueSteps(ports, campaign, DRAFTS_DUE)).rejects.toThrow('ledger unavailable');
    expect(ports.state.stepsDone.size).toBe(0);
    ports.mail.queueOnce = queueOnce;
    await expect(runDueSteps(ports, campaign, DRAFTS_DUE)).resolves.toEqual({ transitions: 0, emailsQueued: 1, steps: ['rappel_brouillons'] });
    expect(ports.state.emails.has(queuedEmailKey({ campaignId: campaign.id, event: 'rappel_brouillon', recipientKey: draft.ownerId! }))).toBe(true);
  });
});
