import { newApplication, type Application, type Decision } from '../../layers/domain/application';
import { parseInstant } from '../../layers/domain/calendar';
import { newCampaign } from '../../layers/domain/campaign';
import type { Convention } from '../../layers/domain/convention';
import { defaultCampaign } from '../../layers/domain/default-campaign';
import {
  acknowledgementEmail,
  conventionLapsedEmail,
  conventionReminderEmail,
  conventionSignedEmail,
  decisionEmail,
  draftReminderEmail,
  emailHtml,
  euros,
  experimentationStartEmail,
  fundingOutcomeEmail,
  noDecisionEmail,
  NO_DECISION_MOTIVATION,
  regionFundingSummaryEmail,
  reportingReminderEmail,
  reviewAwaitingEmail,
  selectionReminderEmail,
  transferredAwayEmail,
  transferredToEmail,
} from '../../layers/domain/emails';
import { withCheckKey } from '../../layers/domain/finess';
import type { FundingOutcome, TargetProgress } from '../../layers/domain/funding';
import type { Pilot } from '../../layers/domain/pilot';

// Every email read as its recipient reads it: the exact subject and the exact text, line by line.

const at = (text: string): Date => parseInstant(text)!;
const SIGNATURE = ['', "L'équipe de l'expérimentation Mon espace santé en établissements et services médico-sociaux", 'Ceci est un message automatique : merci de ne pas y répondre.'];
const lines = (text: string): string[] => text.split('\n');

// The 2023 calendar: intake closes 2023-11-01 00:00, selection ends 2023-12-16 00:00, conventions are due 2024-02-15
// 00:00 (exclusive ends, read as the minute before), experimentation from 2024-02-15 to 2024-10-15, 15 days of grace.
const campaign = newCampaign({ ...defaultCampaign, title: 'Appel à projets ESMS 2023' }, at('2023-08-01T00:00:00+02:00'));
const finess = withCheckKey('33000007');
const draft = newApplication({
  id: 'MES-000007',
  campaignId: campaign.id,
  ownerId: 'owner',
  ownerEmail: 'direction@ehpad.local',
  create: { finess, name: 'EHPAD Les Tilleuls', contact: { name: 'Claire Martin' } },
  now: at('2023-10-02T08:30:00Z'),
});
const collaborators = [
  { email: 'cadre@ehpad.local', invitedAt: '2023-10-03T09:00:00+02:00', invitedBy: 'owner', joinedAt: '2023-10-04T09:00:00+02:00' },
  { email: 'invite@ehpad.local', invitedAt: '2023-10-05T09:00:00+02:00', invitedBy: 'owner' },
];
// Submitted at 12:05 UTC, which is 14:05 in Paris (summer time).
const submitted: Application = { ...draft, collaborators, status: 'deposee', submittedAt: '2023-10-12T12:05:00Z', updatedAt: '2023-10-12T12:05:00Z' };
const decided = (decision: Decision['decision'], motivation: string, application: Application = submitted): Application => ({
  ...application,
  status: decision,
  decision: { decision, motivation, decidedAt: '2023-11-20T10:00:00+01:00', decidedBy: 'ars' },
});

const convention: Convention = {
  id: 'CNV-000007',
  applicationId: 'MES-000007',
  applicationVersion: 3,
  campaignId: campaign.id,
  finess,
  name: 'EHPAD Les Tilleuls',
  ars: 'NAQ',
  amountEur: 25000,
  firstInstalmentEur: 12500,
  dueAt: '2024-02-15T00:00:00+01:00',
  status: 'signee',
  signatures: {},
  // 09:00 UTC in winter is 10:00 in Paris.
  signedAt: '2024-01-10T09:00:00Z',
  version: 3,
  createdAt: '2023-12-16T00:00:00+01:00',
  updatedAt: '2024-01-11T16:30:00+01:00',
};
const pilot: Pilot = { finess, campaignId: campaign.id, applicationId: 'MES-000007', conventionId: 'CNV-000007', ars: 'NAQ', name: 'EHPAD Les Tilleuls', amountEur: 25000, firstInstalmentEur: 12500, signedAt: '2024-01-10T10:00:00+01:00', reportingClients: [] };
const progress = (label: string, total: number, target: number): TargetProgress => ({ indicator: label, label, total, target, met: total >= target, percent: Math.floor((100 * total) / target) });
const outcome = (acquired: boolean, rows: readonly TargetProgress[] = []): FundingOutcome => ({
  amountEur: 25000,
  firstInstalmentEur: 12500,
  secondInstalmentEur: 12500,
  secondInstalmentStatus: acquired ? 'acquis' : 'non_acquis',
  targetsMet: acquired,
  progress: rows,
  decidedAt: '2024-10-31T00:00:00+01:00',
});

describe('the acknowledgement of a submitted application', () => {
  it('confirms the dossier number, the Paris time of submission, the establishment, its ARS and the attached receipt', () => {
    const email = acknowledgementEmail(submitted, campaign);
    expect(email.to).toEqual(['direction@ehpad.local', 'cadre@ehpad.local']);
    expect(email.subject).toBe('Votre dossier n° MES-000007 a bien été déposé');
    expect(lines(email.text)).toEqual([
      'Bonjour Claire Martin,',
      '',
      "Votre dossier n° MES-000007 a bien été déposé le 12 octobre 2023 à 14 h 05 (heure de Paris), dans le cadre de l'appel à projets « Appel à projets ESMS 2023 ».",
      '',
      'Établissement ou service : EHPAD Les Tilleuls',
      'Numéro FINESS : 33 000 007 6',
      "ARS chargée de l'instruction : Nouvelle-Aquitaine",
      '',
      "Vous pouvez encore modifier votre dossier jusqu'à la clôture des candidatures, le 31 octobre 2023 à 23 h 59 (heure de Paris).",
      "L'ARS Nouvelle-Aquitaine instruira ensuite les candidatures de sa région ; sa décision vous sera communiquée par courriel.",
      '',
      'Votre récépissé de dépôt est joint à ce message (PDF) ; il reste téléchargeable depuis votre dossier.',
      ...SIGNATURE,
    ]);
    expect(email.attachments).toEqual([{ kind: 'receipt', applicationId: 'MES-000007' }]);
  });

  it('greets without a name, leaves the establishment blank when unnamed, and dates by the last update when no submission time is kept', () => {
    const { name: _name, contact: _contact, ...unnamed } = submitted;
    const email = acknowledgementEmail({ ...unnamed, submittedAt: undefined, updatedAt: '2023-10-20T21:45:00Z' }, campaign);
    expect(lines(email.text).slice(0, 5)).toEqual([
      'Bonjour,',
      '',
      "Votre dossier n° MES-000007 a bien été déposé le 20 octobre 2023 à 23 h 45 (heure de Paris), dans le cadre de l'appel à projets « Appel à projets ESMS 2023 ».",
      '',
      'Établissement ou service : ',
    ]);
  });
});

describe('the decision email', () => {
  it('announces a retained candidacy with its motivation, the funding in euros, the signature deadline and the experimentation dates', () => {
    const email = decisionEmail(decided('retenue', 'Projet solide et équipe engagée.'), campaign);
    expect(email.to).toEqual(['direction@ehpad.local', 'cadre@ehpad.local']);
    expect(email.subject).toBe('Dossier n° MES-000007 : votre candidature est retenue');
    expect(lines(email.text)).toEqual([
      'Bonjour Claire Martin,',
      '',
      "Nous avons le plaisir de vous informer que la candidature du dossier « EHPAD Les Tilleuls » (n° MES-000007, FINESS 33 000 007 6) a été retenue par l'ARS Nouvelle-Aquitaine pour l'expérimentation Mon espace santé en ESMS.",
      '',
      'Motivation de la décision : Projet solide et équipe engagée.',
      '',
      "Une convention de financement d'un montant de 20 000 € est à signer par votre structure et par l'ARS au plus tard le 14 février 2024 à 23 h 59 (heure de Paris). La première moitié du financement est versée à la signature ; la seconde dépend de l'atteinte des objectifs d'usage à la fin de l'expérimentation (du 15 février 2024 au 15 octobre 2024).",
      ...SIGNATURE,
    ]);
  });

  it('announces a candidacy not retained with its motivation and thanks, under a neutral subject', () => {
    const email = decisionEmail(decided('non_retenue', 'DUI non référencé Ségur.'), campaign);
    expect(email.subject).toBe('Dossier n° MES-000007 : décision sur votre candidature');
    expect(lines(email.text)).toEqual([
      'Bonjour Claire Martin,',
      '',
      "Nous sommes au regret de vous informer que la candidature du dossier « EHPAD Les Tilleuls » (n° MES-000007, FINESS 33 000 007 6) n'a pas été retenue par l'ARS Nouvelle-Aquitaine pour l'expérimentation Mon espace santé en ESMS.",
      '',
      'Motivation de la décision : DUI non référencé Ségur.',
      '',
      "Nous vous remercions de l'intérêt que vous avez porté à cet appel à projets.",
      ...SIGNATURE,
    ]);
  });

  it('names an unnamed candidacy by its structure and dossier number', () => {
    const { name: _name, contact: _contact, ...unnamed } = submitted;
    const email = decisionEmail(decided('retenue', 'Oui.', unnamed), campaign);
    expect(lines(email.text).slice(0, 3)).toEqual([
      'Bonjour,',
      '',
      "Nous avons le plaisir de vous informer que la candidature de votre structure (dossier n° MES-000007, FINESS 33 000 007 6) a été retenue par l'ARS Nouvelle-Aquitaine pour l'expérimentation Mon espace santé en ESMS.",
    ]);
  });

  it('reads an application without a decision as not retained, with an empty motivation', () => {
    const email = decisionEmail(submitted, campaign);
    expect(email.subject).toBe('Dossier n° MES-000007 : décision sur votre candidature');
    expect(lines(email.text)[4]).toBe('Motivation de la décision : ');
  });

  it('quotes the funding of the campaign in euros, groups of three digits split by plain spaces', () => {
    const email = decisionEmail(decided('retenue', 'Oui.'), { ...campaign, fundingPerPilotEur: 1234567 });
    expect(email.text).toContain("Une convention de financement d'un montant de 1 234 567 € est à signer");
  });
});

describe('amounts in euros', () => {
  it.each([
    [0, '0 €'],
    [999, '999 €'],
    [20000, '20 000 €'],
    [1234567.5, '1 234 567,5 €'],
  ])('writes %p as "%s", with plain spaces only', (amount, text) => {
    expect(euros(amount)).toBe(text);
  });
});

describe('the convention emails', () => {
  it('confirms a signed convention with its Paris signature time, amount and first instalment', () => {
    const email = conventionSignedEmail(convention, ['direction@ehpad.local', 'ars-naq@ars.example']);
    expect(email.to).toEqual(['direction@ehpad.local', 'ars-naq@ars.example']);
    expect(email.subject).toBe('Convention CNV-000007 signée — EHPAD Les Tilleuls');
    expect(lines(email.text)).toEqual([
      'Bonjour,',
      '',
      "La convention de financement CNV-000007 entre EHPAD Les Tilleuls (FINESS 33 000 007 6) et l'ARS Nouvelle-Aquitaine a été signée par les deux parties le 10 janvier 2024 à 10 h 00 (heure de Paris).",
      '',
      'Montant : 25 000 €. Première tranche versée à la signature : 12 500 €.',
      "La seconde tranche dépendra de l'atteinte des objectifs d'usage, mesurés par les remontées mensuelles pendant l'expérimentation.",
      ...SIGNATURE,
    ]);
  });

  it('dates a signature by the last update when no signature time is kept', () => {
    const email = conventionSignedEmail({ ...convention, signedAt: undefined }, []);
    expect(lines(email.text)[2]).toContain('a été signée par les deux parties le 11 janvier 2024 à 16 h 30 (heure de Paris).');
  });

  it.each([
    ['esms', 'votre structure'],
    ['ars', "l'ARS Nouvelle-Aquitaine"],
  ] as const)('reminds the %s party that its signature is awaited before the deadline', (party, who) => {
    const email = conventionReminderEmail(convention, party, ['signataire@x.local']);
    expect(email.to).toEqual(['signataire@x.local']);
    expect(email.subject).toBe('Convention CNV-000007 à signer avant le 14 février 2024 à 23 h 59');
    expect(lines(email.text)).toEqual([
      'Bonjour,',
      '',
      `La convention de financement CNV-000007 de EHPAD Les Tilleuls (FINESS 33 000 007 6) attend la signature de ${who}.`,
      'Elle doit être signée par les deux parties au plus tard le 14 février 2024 à 23 h 59 (heure de Paris) ; faute de quoi elle deviendra caduque.',
      ...SIGNATURE,
    ]);
  });

  it('tells that an unsigned convention has lapsed', () => {
    const email = conventionLapsedEmail({ ...convention, status: 'caduque', signedAt: undefined }, ['direction@ehpad.local']);
    expect(email.to).toEqual(['direction@ehpad.local']);
    expect(email.subject).toBe('Convention CNV-000007 caduque — EHPAD Les Tilleuls');
    expect(lines(email.text)).toEqual([
      'Bonjour,',
      '',
      "La convention de financement CNV-000007 de EHPAD Les Tilleuls (FINESS 33 000 007 6) n'a pas été signée par les deux parties avant le 14 février 2024 à 23 h 59 (heure de Paris).",
      "Elle est désormais caduque : la structure ne participera pas à l'expérimentation au titre de cette convention.",
      ...SIGNATURE,
    ]);
  });
});

describe('the emails to an ARS during the selection', () => {
  it('tells one awaiting application in the singular', () => {
    const email = reviewAwaitingEmail(campaign, 'NAQ', 'ars-naq@ars.example', 1);
    expect(email.to).toEqual(['ars-naq@ars.example']);
    expect(email.subject).toBe('1 candidature à instruire — Nouvelle-Aquitaine');
    expect(lines(email.text)).toEqual([
      'Bonjour,',
      '',
      "Les candidatures à l'appel à projets « Appel à projets ESMS 2023 » sont closes depuis le 31 octobre 2023 à 23 h 59 (heure de Paris).",
      "1 candidature de votre région est en attente d'instruction par l'ARS Nouvelle-Aquitaine.",
      '',
      'Les décisions sont à prendre au plus tard le 15 décembre 2023 à 23 h 59 (heure de Paris). Les dossiers sans décision à cette date seront classés sans suite.',
      ...SIGNATURE,
    ]);
  });

  it('tells several awaiting applications in the plural', () => {
    const email = reviewAwaitingEmail(campaign, 'OCC', 'ars-occ@ars.example', 2);
    expect(email.subject).toBe('2 candidatures à instruire — Occitanie');
    expect(lines(email.text)[3]).toBe("2 candidatures de votre région sont en attente d'instruction par l'ARS Occitanie.");
  });

  it('reminds of one undecided application in the singular, the subject giving the end of the selection without "heure de Paris"', () => {
    const email = selectionReminderEmail(campaign, 'OCC', 'ars-occ@ars.example', 1);
    expect(email.to).toEqual(['ars-occ@ars.example']);
    expect(email.subject).toBe('1 candidature sans décision — fin de la sélection le 15 décembre 2023 à 23 h 59');
    expect(lines(email.text)).toEqual([
      'Bonjour,',
      '',
      "1 candidature de la région Occitanie attend encore une décision de l'ARS.",
      'La sélection se termine le 15 décembre 2023 à 23 h 59 (heure de Paris). Les dossiers sans décision à cette date seront classés sans suite.',
      ...SIGNATURE,
    ]);
  });

  it('reminds of several undecided applications in the plural', () => {
    const email = selectionReminderEmail(campaign, 'NAQ', 'ars-naq@ars.example', 2);
    expect(email.subject).toBe('2 candidatures sans décision — fin de la sélection le 15 décembre 2023 à 23 h 59');
    expect(lines(email.text)[2]).toBe("2 candidatures de la région Nouvelle-Aquitaine attendent encore une décision de l'ARS.");
  });
});

describe('the emails to an applicant around the deadlines', () => {
  it('reminds a draft holder that the dossier is not submitted yet, naming it', () => {
    const email = draftReminderEmail(draft, campaign, 'direction@ehpad.local');
    expect(email.to).toEqual(['direction@ehpad.local']);
    expect(email.subject).toBe("Votre dossier n° MES-000007 n'est pas encore déposé");
    expect(lines(email.text)).toEqual([
      'Bonjour Claire Martin,',
      '',
      'Votre dossier n° MES-000007 (EHPAD Les Tilleuls) est toujours en brouillon.',
      "Les candidatures à l'appel à projets « Appel à projets ESMS 2023 » ferment le 31 octobre 2023 à 23 h 59 (heure de Paris).",
      "Pensez à compléter et déposer votre dossier avant cette date : un brouillon n'est pas examiné par l'ARS.",
      ...SIGNATURE,
    ]);
  });

  it('reminds about an unnamed draft by its number alone', () => {
    const { name: _name, contact: _contact, ...unnamed } = draft;
    expect(lines(draftReminderEmail(unnamed, campaign, 'direction@ehpad.local').text).slice(0, 3)).toEqual(['Bonjour,', '', 'Votre dossier n° MES-000007 est toujours en brouillon.']);
  });

  it('tells that an application left without decision is closed, with the motivation kept for it', () => {
    const email = noDecisionEmail(submitted, campaign);
    expect(email.to).toEqual(['direction@ehpad.local', 'cadre@ehpad.local']);
    expect(email.subject).toBe('Dossier n° MES-000007 : classé sans suite');
    expect(lines(email.text)).toEqual([
      'Bonjour Claire Martin,',
      '',
      "La sélection des pilotes de l'appel à projets « Appel à projets ESMS 2023 » s'est terminée le 15 décembre 2023 à 23 h 59 (heure de Paris).",
      "Aucune décision n'ayant été prise sur votre dossier n° MES-000007 avant cette date, il est classé sans suite.",
      "Pour toute question, vous pouvez contacter l'ARS de votre région.",
      ...SIGNATURE,
    ]);
    expect(NO_DECISION_MOTIVATION).toBe("Aucune décision n'a été prise avant la date limite de sélection.");
  });
});

describe('the emails to a pilot during the experimentation', () => {
  const experimentationIntro = [
    'Bonjour,',
    '',
    "L'expérimentation Mon espace santé en ESMS a commencé pour EHPAD Les Tilleuls (FINESS 33 000 007 6), du 15 février 2024 au 15 octobre 2024.",
    '',
    "Chaque mois, avant le 5 du mois suivant, remontez les indicateurs d'usage du mois écoulé : des nombres agrégés, jamais de données nominatives.",
    '- soit vous-même, depuis votre espace (PUT /v1/pilots/{finess}/usage/{mois}) ;',
    "- soit par votre logiciel de dossier usager (DUI), une fois son client enregistré par l'ARS (POST /v1/usage-reports).",
    '',
  ];

  it('explains at the start how to report, and lists the usage targets with their labels', () => {
    const email = experimentationStartEmail(pilot, campaign, ['direction@ehpad.local']);
    expect(email.to).toEqual(['direction@ehpad.local']);
    expect(email.subject).toBe('Expérimentation Mon espace santé : comment remonter vos indicateurs');
    expect(lines(email.text)).toEqual([
      ...experimentationIntro,
      "Objectifs d'usage conditionnant la seconde moitié du financement :",
      "- Documents envoyés au DMP : Document de liaison d'urgence (DLU) : 10 au total",
      '- Messages MSSanté échangés avec les usagers : 20 au total',
      "- Profils Mon espace santé activés avec l'aide de la structure : 20 au total",
      '',
      "Les remontées restent ouvertes jusqu'au 30 octobre 2024 à 23 h 59 (heure de Paris).",
      ...SIGNATURE,
    ]);
  });

  it('leaves the targets out when the campaign sets none', () => {
    const email = experimentationStartEmail(pilot, { ...campaign, targets: {} }, ['direction@ehpad.local']);
    expect(lines(email.text)).toEqual([...experimentationIntro, "Les remontées restent ouvertes jusqu'au 30 octobre 2024 à 23 h 59 (heure de Paris).", ...SIGNATURE]);
  });

  it('names a target whose indicator it does not know by its code', () => {
    const email = experimentationStartEmail(pilot, { ...campaign, targets: { 'autre.code': 3 } }, []);
    expect(lines(email.text)).toContain('- autre.code : 3 au total');
  });

  it.each([
    ['2024-03', 'mars 2024'],
    ['2024-08', 'août 2024'],
  ])('reminds that the figures of %s are missing, naming the month in French', (month, monthName) => {
    const email = reportingReminderEmail(pilot, campaign, month, ['direction@ehpad.local']);
    expect(email.to).toEqual(['direction@ehpad.local']);
    expect(email.subject).toBe(`Indicateurs de ${monthName} non reçus — EHPAD Les Tilleuls`);
    expect(lines(email.text)).toEqual([
      'Bonjour,',
      '',
      `Nous n'avons pas reçu les indicateurs d'usage de ${monthName} pour EHPAD Les Tilleuls (FINESS 33 000 007 6).`,
      'Merci de les remonter dès que possible, vous-même ou par votre logiciel DUI : ils conditionnent la seconde moitié du financement.',
      "Les remontées restent ouvertes jusqu'au 30 octobre 2024 à 23 h 59 (heure de Paris).",
      ...SIGNATURE,
    ]);
  });
});

describe('the funding outcome', () => {
  const targets = [progress('Messages MSSanté échangés avec les usagers', 24, 20), progress('Profils Mon espace santé activés', 12, 20)];

  it('tells a pilot its second instalment is acquired when every target is met', () => {
    const email = fundingOutcomeEmail(pilot, outcome(true, [targets[0]!]), ['direction@ehpad.local']);
    expect(email.to).toEqual(['direction@ehpad.local']);
    expect(email.subject).toBe('Seconde tranche de financement acquise — EHPAD Les Tilleuls');
    expect(lines(email.text)).toEqual([
      'Bonjour,',
      '',
      "Les remontées d'usage de l'expérimentation sont closes. Pour EHPAD Les Tilleuls (FINESS 33 000 007 6) :",
      '- Messages MSSanté échangés avec les usagers : 24 pour un objectif de 20 (atteint)',
      '',
      'Tous les objectifs sont atteints : la seconde tranche de 12 500 € est acquise.',
      ...SIGNATURE,
    ]);
  });

  it('tells a pilot which targets are missed, that the second instalment is lost and the first one kept', () => {
    const email = fundingOutcomeEmail(pilot, { ...outcome(false, targets), firstInstalmentEur: 12000, secondInstalmentEur: 13000 }, ['direction@ehpad.local']);
    expect(email.subject).toBe("Résultat du financement à l'usage — EHPAD Les Tilleuls");
    expect(lines(email.text)).toEqual([
      'Bonjour,',
      '',
      "Les remontées d'usage de l'expérimentation sont closes. Pour EHPAD Les Tilleuls (FINESS 33 000 007 6) :",
      '- Messages MSSanté échangés avec les usagers : 24 pour un objectif de 20 (atteint)',
      '- Profils Mon espace santé activés : 12 pour un objectif de 20 (non atteint)',
      '',
      "Les objectifs ne sont pas tous atteints : la seconde tranche de 13 000 € n'est pas acquise. La première tranche de 12 000 € reste acquise.",
      ...SIGNATURE,
    ]);
  });

  it('sums up a region for its ARS: which pilots acquire the second instalment, out of how many', () => {
    const other: Pilot = { ...pilot, finess: withCheckKey('33000015'), name: 'SSIAD du Médoc' };
    const third: Pilot = { ...pilot, finess: withCheckKey('33000023'), name: 'FAM Les Pins' };
    const email = regionFundingSummaryEmail(campaign, 'NAQ', 'ars-naq@ars.example', [
      { pilot, outcome: outcome(true) },
      { pilot: other, outcome: { ...outcome(false), secondInstalmentEur: 9000 } },
      { pilot: third, outcome: outcome(true) },
    ]);
    expect(email.to).toEqual(['ars-naq@ars.example']);
    expect(email.subject).toBe("Financement à l'usage : seconde tranche acquise pour 2 pilotes sur 3 — Nouvelle-Aquitaine");
    expect(lines(email.text)).toEqual([
      'Bonjour,',
      '',
      "Les remontées de l'expérimentation « Appel à projets ESMS 2023 » sont closes. Résultat du financement à l'usage pour la région Nouvelle-Aquitaine :",
      '- EHPAD Les Tilleuls (FINESS 33 000 007 6) : seconde tranche acquise (12 500 €)',
      '- SSIAD du Médoc (FINESS 33 000 015 9) : seconde tranche non acquise (9 000 €)',
      '- FAM Les Pins (FINESS 33 000 023 3) : seconde tranche acquise (12 500 €)',
      '',
      "Le détail par pilote est dans l'export funding.csv de la campagne.",
      ...SIGNATURE,
    ]);
  });

  it.each([
    [[true], "Financement à l'usage : seconde tranche acquise pour 1 pilote sur 1 — Nouvelle-Aquitaine"],
    [[false, false], "Financement à l'usage : seconde tranche acquise pour 0 pilote sur 2 — Nouvelle-Aquitaine"],
  ])('counts the pilots of a region in the singular up to one (%p)', (acquired, subject) => {
    expect(regionFundingSummaryEmail(campaign, 'NAQ', 'ars-naq@ars.example', acquired.map((met) => ({ pilot, outcome: outcome(met) }))).subject).toBe(subject);
  });
});

describe('the transfer of a dossier by the ARS', () => {
  it('tells the previous holders that the dossier is now held by another account', () => {
    const email = transferredAwayEmail(submitted, campaign, ['direction@ehpad.local', 'cadre@ehpad.local']);
    expect(email.to).toEqual(['direction@ehpad.local', 'cadre@ehpad.local']);
    expect(email.subject).toBe('Dossier n° MES-000007 : confié à un autre compte');
    expect(lines(email.text)).toEqual([
      'Bonjour,',
      '',
      "L'ARS Nouvelle-Aquitaine a confié le dossier n° MES-000007 (FINESS 33 000 007 6), de l'appel à projets « Appel à projets ESMS 2023 », à un autre compte.",
      "Vous n'y avez plus accès. Si vous pensez qu'il s'agit d'une erreur, contactez l'ARS de votre région.",
      ...SIGNATURE,
    ]);
  });

  it('tells the new holder which address to sign in with to find it', () => {
    const email = transferredToEmail(submitted, campaign, 'nouvelle.direction@ehpad.local');
    expect(email.to).toEqual(['nouvelle.direction@ehpad.local']);
    expect(email.subject).toBe('Dossier n° MES-000007 : il vous est confié');
    expect(lines(email.text)).toEqual([
      'Bonjour,',
      '',
      "L'ARS Nouvelle-Aquitaine vous a confié le dossier n° MES-000007 (FINESS 33 000 007 6), de l'appel à projets « Appel à projets ESMS 2023 ».",
      "Connectez-vous à la plateforme avec l'adresse nouvelle.direction@ehpad.local pour le retrouver dans « Mes dossiers ».",
      ...SIGNATURE,
    ]);
  });
});

describe('the HTML part of an email', () => {
  const NBSP = '\u00a0';
  /** The lines of the content block, between the header and the footer. */
  const content = (html: string): string[] => {
    const all = html.split('\n');
    const start = all.indexOf('<div style="padding:24px">');
    return all.slice(start + 1, all.indexOf('</div>', start));
  };

  it("lays an email out as the State's header, its paragraphs and its signature as a footer, with inline styles only", () => {
    const email = conventionLapsedEmail(convention, ['direction@ehpad.local']);
    expect(emailHtml(email).split('\n')).toEqual([
      '<!DOCTYPE html>',
      '<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Convention CNV-000007 caduque — EHPAD Les Tilleuls</title></head>',
      '<body style="margin:0;padding:0;background:#f6f6f6;font-family:Marianne,Arial,Helvetica,sans-serif;color:#161616;font-size:16px;line-height:1.5">',
      '<div style="max-width:640px;margin:0 auto;background:#ffffff">',
      '<div style="padding:16px 24px;border-bottom:1px solid #dddddd">',
      '<p style="margin:0;font-weight:700;font-size:14px;line-height:1.2;text-transform:uppercase">République<br>française</p>',
      '<p style="margin:8px 0 0;font-weight:700;font-size:16px;color:#000091">Mon espace santé en établissements et services médico-sociaux</p>',
      '</div>',
      '<div style="padding:24px">',
      '<p style="margin:0 0 16px">Bonjour,</p>',
      `<p style="margin:0 0 16px">La convention de financement CNV-000007 de EHPAD Les Tilleuls (FINESS 33 000 007 6) n'a pas été signée par les deux parties avant le 14 février 2024 à 23 h 59 (heure de Paris).<br>Elle est désormais caduque${NBSP}: la structure ne participera pas à l'expérimentation au titre de cette convention.</p>`,
      '</div>',
      `<div style="padding:16px 24px;border-top:3px solid #000091;font-size:14px;color:#3a3a3a"><p style="margin:0 0 4px">L'équipe de l'expérimentation Mon espace santé en établissements et services médico-sociaux</p><p style="margin:0 0 4px">Ceci est un message automatique${NBSP}: merci de ne pas y répondre.</p></div>`,
      '</div>',
      '</body></html>',
    ]);
  });

  it('turns the "- " lines of a paragraph into a list after its text, and a paragraph of items alone into a list alone', () => {
    const html = emailHtml(experimentationStartEmail(pilot, { ...campaign, targets: { 'mss.usagers': 20 } }, []));
    expect(content(html).slice(2)).toEqual([
      `<p style="margin:0 0 8px">Chaque mois, avant le 5 du mois suivant, remontez les indicateurs d'usage du mois écoulé${NBSP}: des nombres agrégés, jamais de données nominatives.</p><ul style="margin:0 0 16px;padding-left:24px"><li>soit vous-même, depuis votre espace (PUT /v1/pilots/{finess}/usage/{mois})${NBSP};</li><li>soit par votre logiciel de dossier usager (DUI), une fois son client enregistré par l'ARS (POST /v1/usage-reports).</li></ul>`,
      `<p style="margin:0 0 8px">Objectifs d'usage conditionnant la seconde moitié du financement${NBSP}:</p><ul style="margin:0 0 16px;padding-left:24px"><li>Messages MSSanté échangés avec les usagers${NBSP}: 20 au total</li></ul>`,
      `<p style="margin:0 0 16px">Les remontées restent ouvertes jusqu'au 30 octobre 2024 à 23 h 59 (heure de Paris).</p>`,
    ]);
    expect(content(emailHtml({ subject: 'Liste', text: 'Bonjour,\n\n- un\n- deux' }))).toEqual(['<p style="margin:0 0 16px">Bonjour,</p>', '<ul style="margin:0 0 16px;padding-left:24px"><li>un</li><li>deux</li></ul>']);
  });

  it('escapes what the text and the subject hold, so that no markup of theirs is rendered', () => {
    const html = emailHtml({ subject: 'Objet <i>A&B</i> "cité"', text: 'Le dossier <b>A&B</b> "cité" &lt;\n- <script>x</script>' });
    expect(html).toContain('<title>Objet &lt;i&gt;A&amp;B&lt;/i&gt; &quot;cité&quot;</title>');
    expect(content(html)).toEqual([
      '<p style="margin:0 0 8px">Le dossier &lt;b&gt;A&amp;B&lt;/b&gt; &quot;cité&quot; &amp;lt;</p><ul style="margin:0 0 16px;padding-left:24px"><li>&lt;script&gt;x&lt;/script&gt;</li></ul>',
    ]);
  });

  it('puts a no-break space inside « » and before : ; ! ? in the body and the footer, never where the text has no space', () => {
    const html = emailHtml({ subject: 'Objet : « x »', text: 'Le dossier « A » : reçu ; vu ! lu ? oui:non;« B»\n- point : « C »' });
    expect(content(html)).toEqual([
      `<p style="margin:0 0 8px">Le dossier «${NBSP}A${NBSP}»${NBSP}: reçu${NBSP}; vu${NBSP}! lu${NBSP}? oui:non;«${NBSP}B»</p><ul style="margin:0 0 16px;padding-left:24px"><li>point${NBSP}: «${NBSP}C${NBSP}»</li></ul>`,
    ]);
    expect(html).toContain('<title>Objet : « x »</title>');
  });

  it('keeps a text without the signature whole, the footer still signing it', () => {
    const html = emailHtml({ subject: 'Sans signature', text: 'Bonjour,\n\nFin du message.' });
    expect(content(html)).toEqual(['<p style="margin:0 0 16px">Bonjour,</p>', '<p style="margin:0 0 16px">Fin du message.</p>']);
    expect(html).toContain(`<p style="margin:0 0 4px">L'équipe de l'expérimentation Mon espace santé en établissements et services médico-sociaux</p><p style="margin:0 0 4px">Ceci est un message automatique${NBSP}: merci de ne pas y répondre.</p></div>`);
  });

  it('breaks paragraphs at blank lines only, however many, drops blank paragraphs and keeps single line breaks as <br>', () => {
    const html = emailHtml({ subject: 'Paragraphes', text: '\n\n  Un\ndeux  \n\n\n\n   \n\nTrois\n' });
    expect(content(html)).toEqual(['<p style="margin:0 0 16px">Un<br>deux</p>', '<p style="margin:0 0 16px">Trois</p>']);
  });

  it('draws nothing remote: no image, no link, no style sheet', () => {
    const html = emailHtml(decisionEmail(decided('retenue', 'Oui.'), campaign));
    expect(html).not.toMatch(/<img|<link|<style|src=|https?:\/\//);
  });
});
