import { assertVersion, campaignOf, applicationToAct, type IfMatch } from '../../../layers/domain/use-cases/context';
import { applicant, arsStaff, campaign, portsWith, storedApplication } from './fixtures';

describe('the campaign a use case acts on', () => {
  it('is not found, without any read, when the request names none', async () => {
    const reads: unknown[] = [];
    const campaigns = {
      get: async (id: string, options?: { fresh?: boolean }) => {
        reads.push([id, options]);
        return campaign;
      },
    };
    await expect(campaignOf(campaigns, undefined)).rejects.toMatchObject({ code: 'not_found', detail: "La campagne demandée n'existe pas ou ne vous est pas accessible." });
    await expect(campaignOf(campaigns, '')).rejects.toMatchObject({ code: 'not_found' });
    expect(reads).toEqual([]);
    await expect(campaignOf(campaigns, campaign.id, { fresh: true })).resolves.toBe(campaign);
    expect(reads).toEqual([[campaign.id, { fresh: true }]]);
  });
});

describe('If-Match', () => {
  const table: [string, IfMatch | undefined, 'ok' | 'version_conflict'][] = [
    ['names no version', undefined, 'ok'],
    ['is absent from the request', () => undefined, 'ok'],
    ['names the stored version', () => 3, 'ok'],
    ['names an older version', () => 2, 'version_conflict'],
    ['names a newer version', () => 4, 'version_conflict'],
  ];
  it.each(table)('when it %s: %s', (_what, ifMatch, expected) => {
    const check = () => assertVersion({ version: 3 }, ifMatch);
    if (expected === 'ok') expect(check).not.toThrow();
    else expect(check).toThrow(expect.objectContaining({ code: expected }));
  });
});

describe('an application to act on', () => {
  it('is not found, then not allowed, then at the wrong version, in that order', async () => {
    const ports = portsWith();
    const file = storedApplication(ports);
    const stale = () => file.version + 1;
    await expect(applicationToAct(ports.applications, arsStaff('NAQ'), 'MES-INCONNU', 'review', stale)).rejects.toMatchObject({ code: 'not_found', detail: "Le dossier demandé n'existe pas ou ne vous est pas accessible." });
    await expect(applicationToAct(ports.applications, applicant('porteur'), file.id, 'review', stale)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(applicationToAct(ports.applications, arsStaff('NAQ'), file.id, 'review', stale)).rejects.toMatchObject({ code: 'version_conflict' });
    await expect(applicationToAct(ports.applications, arsStaff('NAQ'), file.id, 'review')).resolves.toEqual(file);
  });
});
