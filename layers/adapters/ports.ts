import type { Applications, Campaigns, Conventions, Mail, Pilots, Receipt, UsageReports } from '../domain/ports';
import { putAlone } from './batching';
import { IdempotencyRace } from './idempotency';
import type { TransactItem } from './transactions';
import { dynamoApplications } from './application-repository';
import { campaignRepository } from './campaign-repository';
import { dynamoConventions } from './convention-repository';
import { dynamoPilots } from './pilot-repository';
import { dynamoUsage, usageReportsOn, type WriterFaults } from './usage-writer';
import { dedupKeyOf, deliver, enqueueOnce } from './outbox';

/** Mail through the email ledger: recorded with the change (the repositories), sent now if SES answers. */
export const ledgerMail: Mail = {
  queueOnce: (email, at) => enqueueOnce(email, at),
  async sendNow(emails, at) {
    // Not sent now (SES refused, someone else holds it): the ledger keeps it pending for the milestone sweep.
    for (const email of emails) await deliver(dedupKeyOf(email), at).catch(() => false);
  },
};

export const dynamoCampaigns: Campaigns = {
  get: (id, options) => campaignRepository.get(id, options),
  create: (campaign, receipt) => campaignRepository.create(campaign, receipt),
  update: (campaign, expectedVersion) => campaignRepository.update(campaign, expectedVersion),
};

/** The ports the functions run their use cases on, in AWS and on the local stack. */
export const dynamoPorts: { applications: Applications; campaigns: Campaigns; conventions: Conventions; pilots: Pilots; usage: UsageReports; mail: Mail } = {
  applications: dynamoApplications,
  campaigns: dynamoCampaigns,
  conventions: dynamoConventions,
  pilots: dynamoPilots,
  usage: dynamoUsage,
  mail: ledgerMail,
};

/** An Idempotency-Key's record written on its own (a batch whose writes are not one transaction). */
export async function keepReceipt(receipt: Receipt | undefined): Promise<void> {
  if (receipt) await putAlone(receipt as TransactItem, () => new IdempotencyRace());
}

/** The local stack's fault injection writes usage through a writer with faults; deployed functions never call this. */
export function injectUsageWriterFaults(faults: WriterFaults): void {
  dynamoPorts.usage = usageReportsOn(faults);
}
