import fc from 'fast-check';
import { newApplication, type Application } from '../../layers/domain/application';
import { parseInstant } from '../../layers/domain/calendar';
import { newCampaign } from '../../layers/domain/campaign';
import { conventionIdOf, conventionView, firstInstalment, lapse, newConvention, sign, type Convention } from '../../layers/domain/convention';
import { defaultCampaign } from '../../layers/domain/default-campaign';
import { withCheckKey } from '../../layers/domain/finess';
import { outcome } from './support/outcome';

const at = (text: string): Date => parseInstant(text)!;
const campaign = newCampaign({ ...defaultCampaign, fundingPerPilotEur: 25_001 }, at('2023-08-01T00:00:00+02:00'));
const NOW = at('2024-01-10T10:00:00+01:00');
const DUE = at('2024-02-15T00:00:00+01:00');
const application: Application = {
  ...newApplication({ id: 'MES-000042', campaignId: campaign.id, ownerId: 'p', create: { finess: withCheckKey('33000001'), name: 'EHPAD Les Tilleuls' }, now: at('2023-10-01T10:00:00+02:00') }),
  status: 'retenue',
  version: 5,
};
const convention = newConvention(application, campaign, at('2023-12-16T00:00:00+01:00'));
const esms = { at: '2024-01-10T10:00:00+01:00', by: 'candidat:p', email: 'p@esms.local' };
const ars = { at: '2024-01-11T10:00:00+01:00', by: 'ars-NAQ:agent' };


describe('a new convention', () => {
  it('takes its id, pilot and amounts from the retained file and the campaign, due at conventionsDueAt', () => {
    expect(convention).toEqual({
      id: 'CNV-000042',
      applicationId: 'MES-000042',
      applicationVersion: 5,
      campaignId: campaign.id,
      finess: application.finess,
      name: 'EHPAD Les Tilleuls',
      ars: 'NAQ',
      amountEur: 25_001,
      firstInstalmentEur: 12_501,
      dueAt: '2024-02-15T00:00:00+01:00',
      status: 'a_signer',
      signatures: {},
      version: 1,
      createdAt: '2023-12-16T00:00:00+01:00',
      updatedAt: '2023-12-16T00:00:00+01:00',
    });
    expect(newConvention({ ...application, name: undefined }, campaign, NOW).name).toBe(application.finess);
    expect(conventionIdOf('MES-2023-000001')).toBe('CNV-2023-000001');
    expect(conventionIdOf('XMES-1')).toBe('XMES-1');
    expect([firstInstalment(20_000), firstInstalment(3), firstInstalment(0)]).toEqual([10_000, 2, 0]);
  });
});

describe('signing', () => {
  it('takes one signature, then the second makes it signee', () => {
    const once = sign(convention, 'esms', esms, NOW);
    expect(once).toEqual({ ...convention, signatures: { esms }, status: 'a_signer', version: 2, updatedAt: '2024-01-10T10:00:00+01:00' });
    expect(Object.keys(once)).not.toContain('signedAt');
    const twice = sign(once, 'ars', ars, at('2024-01-11T10:00:00+01:00'));
    expect(twice).toEqual({ ...once, signatures: { esms, ars }, status: 'signee', signedAt: '2024-01-11T10:00:00+01:00', version: 3, updatedAt: '2024-01-11T10:00:00+01:00' });
    expect(sign(sign(convention, 'ars', ars, NOW), 'esms', esms, NOW).status).toBe('signee');
  });

  it('refuses a second signature of the same party, saying which', () => {
    const once = sign(convention, 'esms', esms, NOW);
    expect(() => sign(once, 'esms', esms, NOW)).toThrow("L'établissement a déjà signé cette convention.");
    expect(() => sign(sign(convention, 'ars', ars, NOW), 'ars', ars, NOW)).toThrow("L'ARS a déjà signé cette convention.");
    expect(outcome(() => sign(once, 'esms', esms, NOW))).toBe('already_signed');
  });

  it('is possible until the last millisecond before dueAt, never from dueAt on, nor on a lapsed convention', () => {
    fc.assert(
      fc.property(fc.constantFrom<'esms' | 'ars'>('esms', 'ars'), fc.integer({ min: -3 * 86_400_000, max: 3 * 86_400_000 }), (party, offset) => {
        const result = outcome(() => sign(convention, party, esms, new Date(DUE.getTime() + offset)));
        expect(result).toBe(offset >= 0 ? 'convention_due_passed' : 'ok');
      }),
    );
    expect(outcome(() => sign(convention, 'esms', esms, new Date(DUE.getTime() - 1)))).toBe('ok');
    expect(outcome(() => sign(convention, 'esms', esms, DUE))).toBe('convention_due_passed');
    expect(outcome(() => sign({ ...convention, status: 'caduque' }, 'esms', esms, NOW))).toBe('convention_due_passed');
    expect(() => sign(convention, 'esms', esms, DUE)).toThrow('La convention devait être signée au plus tard le 14 février 2024 à 23 h 59 (heure de Paris).');
  });
});

describe('lapsing', () => {
  it('makes a convention waiting for a signature caduque, and nothing else', () => {
    expect(lapse(convention, DUE)).toEqual({ ...convention, status: 'caduque', version: 2, updatedAt: '2024-02-15T00:00:00+01:00' });
    const signed: Convention = sign(sign(convention, 'esms', esms, NOW), 'ars', ars, NOW);
    expect(outcome(() => lapse(signed, DUE))).toBe('invalid_transition');
    expect(outcome(() => lapse({ ...convention, status: 'caduque' }, DUE))).toBe('invalid_transition');
    expect(() => lapse(signed, DUE)).toThrow('Seule une convention à signer peut devenir caduque.');
  });
});

describe('the convention view', () => {
  it('lists the fields in order, with each signature as who and when only', () => {
    const signed = sign(sign(convention, 'esms', esms, NOW), 'ars', ars, NOW);
    const view = conventionView(signed);
    expect(Object.keys(view)).toEqual(['id', 'applicationId', 'campaignId', 'finess', 'name', 'ars', 'amountEur', 'firstInstalmentEur', 'dueAt', 'status', 'signatures', 'signedAt', 'version', 'createdAt', 'updatedAt']);
    expect(view.signatures).toEqual({ esms: { at: esms.at, by: esms.by }, ars: { at: ars.at, by: ars.by } });
    expect(conventionView(convention).signatures).toEqual({});
    expect(Object.keys(conventionView(convention))).not.toContain('signedAt');
  });
});
