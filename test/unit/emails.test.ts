import { newApplication, type Application } from '../../layers/domain/application';
import { parseInstant } from '../../layers/domain/calendar';
import { setArsMailboxTemplate, UNCONFIGURED_ARS_MAILBOX } from '../../layers/domain/ars-mailbox';
import { arsMailbox, newCampaign } from '../../layers/domain/campaign';
import { defaultCampaign } from '../../layers/domain/default-campaign';
import { acknowledgementEmail, decisionEmail, emailHtml, fundingOutcomeEmail, regionFundingSummaryEmail } from '../../layers/domain/emails';
import { withCheckKey } from '../../layers/domain/finess';
import type { FundingOutcome } from '../../layers/domain/funding';
import type { Pilot } from '../../layers/domain/pilot';

const at = (text: string): Date => parseInstant(text)!;
const campaign = newCampaign(defaultCampaign, at('2023-08-01T00:00:00+02:00'));
const draft = newApplication({ id: 'MES-000007', campaignId: campaign.id, ownerId: 'o', ownerEmail: 'direction@ehpad.local', create: { finess: withCheckKey('33000007'), name: 'EHPAD Les Tilleuls' }, now: at('2023-10-12T14:05:00+02:00') });
const submitted: Application = { ...draft, status: 'deposee', submittedAt: '2023-10-12T14:05:00+02:00' };
const pilot: Pilot = { finess: submitted.finess, campaignId: campaign.id, applicationId: submitted.id, conventionId: 'CNV-000007', ars: 'NAQ', name: 'EHPAD Les Tilleuls', amountEur: 20000, firstInstalmentEur: 10000, signedAt: '2024-01-10T10:00:00+01:00', reportingClients: [] };
const outcome = (met: boolean): FundingOutcome => ({ amountEur: 20000, firstInstalmentEur: 10000, secondInstalmentEur: 10000, secondInstalmentStatus: met ? 'acquis' : 'non_acquis', targetsMet: met, progress: [], decidedAt: '2024-10-31T00:00:00+01:00' });

describe('the wording of emails', () => {
  it('quotes the establishment after "du dossier" in a decision, never "la candidature de EHPAD"', () => {
    const retained = decisionEmail({ ...submitted, status: 'retenue', decision: { decision: 'retenue', motivation: 'Oui.', decidedAt: '2023-11-20T10:00:00+01:00', decidedBy: 'ars' } } as Application, campaign);
    expect(retained.text).toContain(`la candidature du dossier « EHPAD Les Tilleuls » (n° MES-000007, FINESS ${'33 000 007'}`);
    expect(retained.text).not.toContain('candidature de EHPAD');
    const unnamed = decisionEmail({ ...submitted, name: undefined, status: 'non_retenue', decision: { decision: 'non_retenue', motivation: 'Non.', decidedAt: '2023-11-20T10:00:00+01:00', decidedBy: 'ars' } } as Application, campaign);
    expect(unnamed.text).toContain('la candidature de votre structure (dossier n° MES-000007');
  });

  it('says "Les objectifs ne sont pas tous atteints", and a region summary subject says what it counts', () => {
    expect(fundingOutcomeEmail(pilot, outcome(false), ['a@b.local']).text).toContain("Les objectifs ne sont pas tous atteints : la seconde tranche de 10 000 € n'est pas acquise.");
    const summary = regionFundingSummaryEmail(campaign, 'NAQ', 'ars@x.local', [{ pilot, outcome: outcome(false) }]);
    expect(summary.subject).toBe("Financement à l'usage : seconde tranche acquise pour 0 pilote sur 1 — Nouvelle-Aquitaine");
  });

  it('names the receipt to attach to the acknowledgement', () => {
    const email = acknowledgementEmail(submitted, campaign);
    expect(email.attachments).toEqual([{ kind: 'receipt', applicationId: 'MES-000007' }]);
    expect(email.text).toContain('Votre récépissé de dépôt est joint à ce message (PDF)');
  });
});

describe('the HTML part', () => {
  it('is drawn from the text: escaped, paragraphs and lists, French spacing, the signature as footer, nothing remote', () => {
    const html = emailHtml({ subject: 'Objet <test>', text: "Bonjour,\n\nLe dossier « <b>A&B</b> » : reçu.\n- un\n- deux\n\nL'équipe de l'expérimentation Mon espace santé en établissements et services médico-sociaux\nCeci est un message automatique : merci de ne pas y répondre." });
    expect(html).toContain('<title>Objet &lt;test&gt;</title>');
    expect(html).toContain('Le dossier «\u00a0&lt;b&gt;A&amp;B&lt;/b&gt;\u00a0»\u00a0: reçu.');
    expect(html).toContain('<li>un</li><li>deux</li>');
    expect(html).not.toMatch(/<img|src=|https?:\/\//);
  });
});

describe("the ARS's mailbox", () => {
  afterAll(() => setArsMailboxTemplate(UNCONFIGURED_ARS_MAILBOX));

  it('is the campaign’s own, else the deployment’s; never a guessed government address', () => {
    expect(arsMailbox({}, 'NAQ')).toBe('ars-naq@mailbox-not-configured.invalid');
    setArsMailboxTemplate('mes-{code}@ars.example');
    expect(arsMailbox({}, 'OCC')).toBe('mes-occ@ars.example');
    expect(arsMailbox({ arsContacts: { OCC: 'contact@ars-occ.local' } } as never, 'OCC')).toBe('contact@ars-occ.local');
    expect(() => setArsMailboxTemplate('ars@ars.example')).toThrow(RangeError);
  });
});
