import { applicationCreateSchema, applicationEditSchema, collaboratorSchema, transferSchema } from '../../layers/domain/application';
import { defaultCampaign } from '../../layers/domain/default-campaign';
import { campaignCreateSchema, campaignIdSchema, campaignPatchSchema } from '../../layers/domain/campaign';
import { signatureSchema } from '../../layers/domain/convention';
import { decisionSchema, reviewSchema } from '../../layers/domain/selection';
import { lineText, longText } from '../../layers/domain/text';

// What each request body accepts and refuses: only whether it parses, and to what, never the library's messages.
type Schema = { safeParse(input: unknown): { success: boolean; data?: unknown } };
const accepts = (schema: Schema, input: unknown) => schema.safeParse(input).success;
const parsed = (schema: Schema, input: unknown) => {
  const result = schema.safeParse(input);
  if (!result.success) throw new Error(`refused: ${JSON.stringify(input)}`);
  return result.data;
};

describe('typed text', () => {
  const line = lineText(5);
  const long = longText(5);
  it.each([
    ['plain', 'abc', true, true],
    ['trimmed to the limit', '  abcde  ', true, true],
    ['over the limit', 'abcdef', false, false],
    ['empty', '', false, true],
    ['only spaces', '   ', false, true],
    ['a newline', 'a\nb', false, true],
    ['a tab', 'a\tb', false, true],
    ['a control character', 'a\u0007b', false, false],
    ['a line separator', 'a\u2028b', false, false],
    ['markup', '<b>x', false, false],
    ['a closing tag', '< /b', false, false],
    ['a lone surrogate', 'a\ud800', false, false],
    ['a comparison', 'a < 3', true, true],
  ])('%s: one line %s, several lines %s', (_what, text, oneLine, severalLines) => {
    expect([accepts(line, text), accepts(long, text)]).toEqual([oneLine, severalLines]);
  });

  it('is stored trimmed', () => {
    expect(parsed(line, '  abc ')).toBe('abc');
    expect(parsed(long, ' a\nb ')).toBe('a\nb');
  });
});

describe('an application body', () => {
  const valid = {
    finess: '330000001',
    name: 'EHPAD',
    category: '500',
    contact: { name: 'Claire', email: 'c@esms.local', phone: '+33 5 56 00 00 00' },
    dui: { editor: 'E', product: 'P', segurReferenced: true, mesCapable: false },
    readiness: { dmp: 'en_cours', mss: 'non', ins: 'en_production' },
    pathways: ['personnes_agees', 'cancer'],
    exchanges: 'DLU',
    awarenessMeans: 'Réunions',
    capacity: 80,
  };
  it('accepts a complete body and an empty draft', () => {
    expect(accepts(applicationCreateSchema, valid)).toBe(true);
    expect(accepts(applicationCreateSchema, { finess: '330000001' })).toBe(true);
    const { finess: _finess, ...edit } = valid;
    expect(accepts(applicationEditSchema, edit)).toBe(true);
    expect(accepts(applicationEditSchema, {})).toBe(true);
  });

  it.each([
    ['no FINESS', { finess: undefined }],
    ['a FINESS over 20 characters', { finess: '3'.repeat(21) }],
    ['an unknown field', { status: 'retenue' }],
    ['a category of 2 digits', { category: '50' }],
    ['a category with a letter', { category: '50a' }],
    ['a name over 200 characters', { name: 'x'.repeat(201) }],
    ['an invalid email', { contact: { email: 'pas-une-adresse' } }],
    ['an email over 254 characters', { contact: { email: `${'a'.repeat(250)}@esms.local` } }],
    ['a phone with letters', { contact: { phone: '05 56 AB' } }],
    ['a phone too short', { contact: { phone: '12345' } }],
    ['a phone too long', { contact: { phone: '1'.repeat(21) } }],
    ['an unknown contact field', { contact: { fax: '05' } }],
    ['a DUI flag as text', { dui: { segurReferenced: 'oui' } }],
    ['an unknown DUI field', { dui: { version: '2' } }],
    ['an unknown readiness level', { readiness: { dmp: 'bientot' } }],
    ['an unknown readiness field', { readiness: { ehr: 'non' } }],
    ['an unknown pathway', { pathways: ['autre-chose'] }],
    ['a pathway twice', { pathways: ['cancer', 'cancer'] }],
    ['exchanges over 5000 characters', { exchanges: 'x'.repeat(5001) }],
    ['awareness means over 5000 characters', { awarenessMeans: 'x'.repeat(5001) }],
    ['a capacity with decimals', { capacity: 1.5 }],
    ['a negative capacity', { capacity: -1 }],
    ['a capacity over 100 000', { capacity: 100_001 }],
  ])('refuses %s', (_what, change) => {
    expect(accepts(applicationCreateSchema, { ...valid, ...change })).toBe(false);
  });

  it('takes the limits themselves', () => {
    expect(accepts(applicationCreateSchema, { ...valid, finess: '3'.repeat(20), name: 'x'.repeat(200), capacity: 100_000, exchanges: 'x'.repeat(5000), awarenessMeans: 'x'.repeat(5000), contact: { phone: '123456', name: 'x'.repeat(120) }, pathways: ['personnes_agees', 'personnes_handicapees', 'cancer', 'mere_enfant', 'autre'] })).toBe(true);
    expect(accepts(applicationCreateSchema, { ...valid, capacity: 0, contact: { phone: '1'.repeat(20) }, dui: { editor: 'x'.repeat(120), product: 'x'.repeat(120) } })).toBe(true);
    expect(accepts(applicationCreateSchema, { ...valid, contact: { name: 'x'.repeat(121) } })).toBe(false);
    expect(accepts(applicationCreateSchema, { ...valid, dui: { editor: 'x'.repeat(121) } })).toBe(false);
    expect(accepts(applicationCreateSchema, { ...valid, dui: { product: 'x'.repeat(121) } })).toBe(false);
    expect(parsed(applicationCreateSchema, { ...valid, contact: { phone: '  0556000000 ' } })).toMatchObject({ contact: { phone: '0556000000' } });
  });

  it('for a transfer or an invitation, takes an address (and a motivation)', () => {
    expect(accepts(transferSchema, { email: 'r@esms.local', motivation: 'Changement de direction.' })).toBe(true);
    expect(accepts(transferSchema, { email: 'r@esms.local', motivation: '  ' })).toBe(false);
    expect(accepts(transferSchema, { email: 'r@esms.local', motivation: 'x'.repeat(2001) })).toBe(false);
    expect(accepts(transferSchema, { email: 'r@esms.local' })).toBe(false);
    expect(accepts(transferSchema, { email: 'non', motivation: 'x' })).toBe(false);
    expect(accepts(transferSchema, { email: `${'a'.repeat(250)}@esms.local`, motivation: 'x' })).toBe(false);
    expect(accepts(collaboratorSchema, { email: 'c@esms.local' })).toBe(true);
    expect(accepts(collaboratorSchema, { email: 'c@esms.local', role: 'x' })).toBe(false);
    expect(accepts(collaboratorSchema, { email: `${'a'.repeat(250)}@esms.local` })).toBe(false);
  });
});

describe('a review, a decision, a signature', () => {
  const scores = { maturite_dui: 0, parcours: 5, sensibilisation: 3, partenariats: 3, capacite: 3 };
  it('a review takes the five scores from 0 to 5, the comment empty by default', () => {
    expect(parsed(reviewSchema, { scores })).toEqual({ scores, comment: '' });
    for (const bad of [{ ...scores, parcours: 6 }, { ...scores, parcours: -1 }, { ...scores, parcours: 2.5 }, { ...scores, autre: 1 }, { parcours: 1 }]) {
      expect({ bad, ok: accepts(reviewSchema, { scores: bad }) }).toEqual({ bad, ok: false });
    }
    expect(accepts(reviewSchema, { scores, comment: 'x'.repeat(5001) })).toBe(false);
    expect(accepts(reviewSchema, { scores, note: 1 })).toBe(false);
  });

  it('a decision is retenue or non_retenue with a motivation', () => {
    expect(accepts(decisionSchema, { decision: 'retenue', motivation: 'Solide.' })).toBe(true);
    expect(accepts(decisionSchema, { decision: 'non_retenue', motivation: 'x'.repeat(2000) })).toBe(true);
    expect(accepts(decisionSchema, { decision: 'sans_suite', motivation: 'x' })).toBe(false);
    expect(accepts(decisionSchema, { decision: 'retenue', motivation: ' ' })).toBe(false);
    expect(accepts(decisionSchema, { decision: 'retenue', motivation: 'x'.repeat(2001) })).toBe(false);
    expect(accepts(decisionSchema, { decision: 'retenue', motivation: 'x', by: 'y' })).toBe(false);
  });

  it('a signature names its party', () => {
    expect([accepts(signatureSchema, { party: 'esms' }), accepts(signatureSchema, { party: 'ars' }), accepts(signatureSchema, { party: 'national' }), accepts(signatureSchema, { party: 'ars', at: 'x' })]).toEqual([true, true, false, false]);
  });
});

describe('a campaign body', () => {
  const { quotas: _q, fundingPerPilotEur: _f, indicators: _i, targets: _t, reportingGraceDays: _g, ...minimal } = defaultCampaign;
  it('fills the defaults and writes instants in Paris time', () => {
    expect(parsed(campaignCreateSchema, { ...minimal, intakeOpensAt: '2023-08-31T22:00:00Z' })).toMatchObject({ intakeOpensAt: '2023-09-01T00:00:00+02:00', reportingGraceDays: 15, quotas: {}, fundingPerPilotEur: 20_000, targets: {} });
    expect((parsed(campaignCreateSchema, minimal) as { indicators: string[] }).indicators.length).toBeGreaterThan(5);
  });

  it.each([
    ['an id too short', { id: 'abc' }],
    ['an id in capitals', { id: 'Mes-2023' }],
    ['an id ending with a dash', { id: 'mes-2023-' }],
    ['an id of 65 characters', { id: 'a'.repeat(65) }],
    ['a title of 2 characters', { title: ' ab ' }],
    ['a title over 200', { title: 'x'.repeat(201) }],
    ['an instant without offset', { intakeOpensAt: '2023-09-01T00:00:00' }],
    ['an instant over 40 characters', { intakeOpensAt: `2023-09-01T00:00:00.${'0'.repeat(30)}+02:00` }],
    ['a date that does not exist', { experimentationStart: '2024-02-30' }],
    ['a negative grace', { reportingGraceDays: -1 }],
    ['a grace over 120 days', { reportingGraceDays: 121 }],
    ['a quota for an unknown region', { quotas: { XXX: 1 } }],
    ['a negative quota', { quotas: { NAQ: -1 } }],
    ['a quota over 10 000', { quotas: { NAQ: 10_001 } }],
    ['a fractional funding', { fundingPerPilotEur: 1.5 }],
    ['a funding over 10 million', { fundingPerPilotEur: 10_000_001 }],
    ['a negative funding', { fundingPerPilotEur: -1 }],
    ['no indicator', { indicators: [] }],
    ['an invalid indicator code', { indicators: ['pas un code'] }],
    ['a negative target', { targets: { 'mss.usagers': -1 } }],
    ['a target over 100 million', { targets: { 'mss.usagers': 100_000_001 } }],
    ['an invalid ARS mailbox', { arsContacts: { NAQ: 'pas-une-adresse' } }],
    ['an unknown field', { version: 3 }],
  ])('refuses %s', (_what, change) => {
    expect(accepts(campaignCreateSchema, { ...minimal, ...change })).toBe(false);
  });

  it('takes the limits themselves', () => {
    expect(accepts(campaignCreateSchema, { ...minimal, id: 'a'.repeat(64), title: 'abc', reportingGraceDays: 120, quotas: { NAQ: 10_000 }, fundingPerPilotEur: 10_000_000, targets: { 'mss.usagers': 100_000_000 }, arsContacts: { NAQ: 'ars@sante.local' } })).toBe(true);
    expect(accepts(campaignCreateSchema, { ...minimal, id: 'a2-b', reportingGraceDays: 0, fundingPerPilotEur: 0, quotas: { NAQ: 0 }, targets: { 'mss.usagers': 0 } })).toBe(true);
    expect(accepts(campaignIdSchema, 'mes-esms-2023')).toBe(true);
  });

  it('a patch changes at least one field, each as on creation', () => {
    expect(accepts(campaignPatchSchema, {})).toBe(false);
    expect(accepts(campaignPatchSchema, { title: 'Nouveau titre' })).toBe(true);
    expect(accepts(campaignPatchSchema, { id: 'autre-id' })).toBe(false);
    expect(accepts(campaignPatchSchema, { indicators: ['mss.usagers'] })).toBe(false);
    expect(accepts(campaignPatchSchema, { quotas: { NAQ: -1 } })).toBe(false);
    expect(accepts(campaignPatchSchema, { fundingPerPilotEur: 10_000_001 })).toBe(false);
    expect(accepts(campaignPatchSchema, { arsContacts: { NAQ: 'ars@sante.local' } })).toBe(true);
    expect(parsed(campaignPatchSchema, { selectionEndsAt: '2023-12-15T23:00:00Z' })).toEqual({ selectionEndsAt: '2023-12-16T00:00:00+01:00' });
  });
});
