import { memoryPorts } from '../../../layers/adapters/memory/ports';
import { defaultCampaign } from '../../../layers/domain/default-campaign';
import { createCampaign, updateCampaign } from '../../../layers/domain/use-cases/campaigns';
import { applicantFiles } from '../../../layers/domain/use-cases/applications';
import { applicant, at, instants, ms, portsWith, storedApplication } from './fixtures';

const BEFORE = at('2023-08-01T00:00:00+02:00');

describe('campaigns', () => {
  it('creates a campaign once, with its schedules and the receipt of its answer', async () => {
    const ports = memoryPorts();
    const receipt = { answer: 'kept' };
    const created = await createCampaign(ports, { input: defaultCampaign, at: BEFORE, receiptFor: () => receipt });
    expect(ports.state.campaigns.get(created.id)).toMatchObject({ version: 1 });
    expect(ports.state.schedules.get(created.id)).toBe(1);
    expect(ports.state.receipts).toEqual([receipt]);
    await expect(createCampaign(ports, { input: defaultCampaign, at: BEFORE })).rejects.toMatchObject({ code: 'campaign_exists' });
  });

  it('moves a milestone still ahead, and not one that has passed; a stale If-Match is refused', async () => {
    const ports = memoryPorts();
    const { id } = await createCampaign(ports, { input: defaultCampaign, at: BEFORE });
    const moved = await updateCampaign(ports, { campaignId: id, at: BEFORE, patch: { intakeClosesAt: '2023-11-02T00:00:00+01:00' } });
    expect(moved).toMatchObject({ version: 2, intakeClosesAt: '2023-11-02T00:00:00+01:00' });
    expect(ports.state.schedules.get(id)).toBe(2);
    await expect(updateCampaign(ports, { campaignId: id, at: ms(instants.intakeOpensAt, 1), patch: { intakeOpensAt: '2023-09-02T00:00:00+02:00' } })).rejects.toMatchObject({ code: 'milestone_passed' });
    await expect(updateCampaign(ports, { campaignId: id, at: BEFORE, ifMatch: () => 1, patch: { title: 'Autre titre' } })).rejects.toMatchObject({ code: 'version_conflict' });
    await expect(updateCampaign(ports, { campaignId: 'inconnue', at: BEFORE, patch: { title: 'Autre titre' } })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('my applications', () => {
  it('lists the files the caller owns or collaborates on, newest first, page by page, with their campaign', async () => {
    const ports = portsWith();
    const owner = applicant('porteur');
    const files = [0, 1, 2].map((index) => storedApplication(ports, { createdAt: `2023-10-1${index}T10:00:00+02:00` }, owner));
    storedApplication(ports, {}, applicant('autre'));
    const shared = storedApplication(ports, { createdAt: '2023-10-20T10:00:00+02:00', collaborators: [{ email: 'porteur@esms.local', invitedAt: '2023-10-20T10:00:00+02:00', invitedBy: 'x' }] }, applicant('autre-porteur'));
    const first = await applicantFiles(ports, { caller: owner, start: 0, limit: 2 });
    expect(first.files.map((file) => file.application.id)).toEqual([shared.id, files[2]!.id]);
    expect(first.more).toBe(true);
    expect(first.files[0]?.campaign?.id).toBe(files[0]!.campaignId);
    const second = await applicantFiles(ports, { caller: owner, start: 2, limit: 2 });
    expect(second).toMatchObject({ more: false });
    expect(second.files.map((file) => file.application.id)).toEqual([files[1]!.id, files[0]!.id]);
  });
});

describe('changing a campaign', () => {
  it('reads the campaign fresh (never a warm cache) before a change, stores the change and syncs its schedules', async () => {
    const ports = memoryPorts();
    const { id } = await createCampaign(ports, { input: defaultCampaign, at: BEFORE });
    const reads: unknown[] = [];
    const get = ports.campaigns.get;
    ports.campaigns.get = async (campaignId, options) => {
      reads.push(options);
      return get(campaignId, options);
    };
    const moved = await updateCampaign(ports, { campaignId: id, at: BEFORE, ifMatch: () => 1, patch: { title: 'Autre titre' } });
    expect(reads).toEqual([{ fresh: true }]);
    expect(ports.state.campaigns.get(id)).toEqual(moved);
    expect(moved).toMatchObject({ title: 'Autre titre', version: 2 });
    expect(ports.state.schedules.get(id)).toBe(2);
  });

  it('creates a campaign without a receipt when none is asked for, and stores it as built', async () => {
    const ports = memoryPorts();
    const created = await createCampaign(ports, { input: defaultCampaign, at: BEFORE });
    expect(ports.state.campaigns.get(created.id)).toEqual(created);
    expect(ports.state.receipts).toEqual([]);
  });
});
