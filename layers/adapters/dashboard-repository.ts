import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ApplicationStatus } from '../domain/application';
import type { ArsCode } from '../domain/regions';
import { dynamo, mainTableName } from './dynamo';

/**
 * The dashboard's counts of applications, signed conventions and pilots, read from the list indexes of
 * tables.ts with only the attributes counted (a campaign has hundreds of these at most). Usage figures,
 * which grow with every month, come from the counters instead (usage-repository).
 */
async function projected(index: 'gsi1' | 'gsi2', partition: string, attributes: string[], prefix?: string): Promise<Record<string, unknown>[]> {
  const pkName = `${index}pk`;
  const skName = `${index}sk`;
  const names = Object.fromEntries(attributes.map((attribute, position) => [`#a${position}`, attribute]));
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(
      new QueryCommand({
        TableName: mainTableName,
        IndexName: index,
        KeyConditionExpression: prefix ? `${pkName} = :pk AND begins_with(${skName}, :prefix)` : `${pkName} = :pk`,
        ExpressionAttributeValues: { ':pk': partition, ...(prefix ? { ':prefix': prefix } : {}) },
        ExpressionAttributeNames: names,
        ProjectionExpression: Object.keys(names).join(', '),
        ExclusiveStartKey: start,
      }),
    );
    items.push(...((page.Items ?? []) as Record<string, unknown>[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

function countByRegion(items: readonly Record<string, unknown>[]): Map<ArsCode, number> {
  const counts = new Map<ArsCode, number>();
  for (const item of items) counts.set(item.ars as ArsCode, (counts.get(item.ars as ArsCode) ?? 0) + 1);
  return counts;
}

/** A region's partition of gsi1, or the campaign's partition of gsi2 for every region. */
const partitionOf = (prefix: string, campaignId: string, ars: ArsCode | undefined) =>
  ars ? (['gsi1', `${prefix}#${campaignId}#${ars}`] as const) : (['gsi2', `${prefix}#${campaignId}`] as const);

export const dashboardRepository = {
  async applicationsByStatus(campaignId: string, ars?: ArsCode): Promise<Map<ArsCode, Partial<Record<ApplicationStatus, number>>>> {
    const [index, partition] = partitionOf('APPS', campaignId, ars);
    const counts = new Map<ArsCode, Partial<Record<ApplicationStatus, number>>>();
    for (const item of await projected(index, partition, ['ars', 'status'])) {
      const region = counts.get(item.ars as ArsCode) ?? {};
      const status = item.status as ApplicationStatus;
      region[status] = (region[status] ?? 0) + 1;
      counts.set(item.ars as ArsCode, region);
    }
    return counts;
  },

  async conventionsSigned(campaignId: string, ars?: ArsCode): Promise<Map<ArsCode, number>> {
    const [index, partition] = partitionOf('CONVS', campaignId, ars);
    return countByRegion(await projected(index, partition, ['ars'], 'signee#'));
  },

  async pilots(campaignId: string, ars?: ArsCode): Promise<Map<ArsCode, number>> {
    const [index, partition] = partitionOf('PILOTS', campaignId, ars);
    return countByRegion(await projected(index, partition, ['ars']));
  },
};
