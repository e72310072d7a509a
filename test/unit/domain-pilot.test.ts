import type { Convention } from '../../layers/domain/convention';
import { pilotOf } from '../../layers/domain/pilot';

const convention: Convention = {
  id: 'CNV-7K3M9Q2X',
  applicationId: 'MES-7K3M9Q2X',
  applicationVersion: 4,
  campaignId: 'mes-esms-2023',
  finess: '330781360',
  name: 'EHPAD Les Tilleuls',
  ars: 'NAQ',
  amountEur: 30_000,
  firstInstalmentEur: 15_000,
  dueAt: '2024-02-15T00:00:00+01:00',
  status: 'signee',
  signatures: {
    esms: { at: '2024-01-08T10:00:00+01:00', by: 'candidat:porteur' },
    ars: { at: '2024-01-10T16:30:00+01:00', by: 'ars-NAQ:agent' },
  },
  signedAt: '2024-01-10T16:30:00+01:00',
  version: 3,
  createdAt: '2023-12-16T00:00:00+01:00',
  updatedAt: '2024-01-10T16:31:00+01:00',
};

describe('the pilot a signed convention makes', () => {
  it('is the structure, its dossier, its convention and its funding, with no reporting client yet', () => {
    expect(pilotOf(convention)).toEqual({
      finess: '330781360',
      campaignId: 'mes-esms-2023',
      applicationId: 'MES-7K3M9Q2X',
      conventionId: 'CNV-7K3M9Q2X',
      ars: 'NAQ',
      name: 'EHPAD Les Tilleuls',
      amountEur: 30_000,
      firstInstalmentEur: 15_000,
      signedAt: '2024-01-10T16:30:00+01:00',
      reportingClients: [],
    });
  });

  it('is signed when the convention was last changed if no signature date was kept', () => {
    expect(pilotOf({ ...convention, signedAt: undefined }).signedAt).toBe('2024-01-10T16:31:00+01:00');
  });
});
