import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Pilot } from '../domain/pilot';
import type { ArsCode } from '../domain/regions';
import { batchGetAll } from './batching';
import type { Page } from './campaign-repository';
import { pilotFromItem, pilotKey } from './convention-repository';
import { decodeCursor, dynamo, encodeCursor, mainTableName } from './dynamo';
import type { TransactItem } from './transactions';

/**
 * Pilots: written by the conventions function at the second signature (convention-repository pilotItem);
 * read here by FINESS, by campaign (and region), and given their reporting clients.
 */
export interface PilotFilter {
  readonly campaignId: string;
  readonly ars?: ArsCode;
  readonly limit: number;
  readonly cursor?: string;
}

const registrationKey = (finess: string, campaignId: string, clientId: string) => ({ pk: `PILOT#${finess}`, sk: `REPCLIENT#${campaignId}#${clientId}` });

export const pilotRepository = {
  /** Every campaign this FINESS is a pilot of (in practice one). */
  async forFiness(finess: string): Promise<Pilot[]> {
    const result = await dynamo.send(
      new QueryCommand({
        TableName: mainTableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :campaign)',
        ExpressionAttributeValues: { ':pk': `PILOT#${finess}`, ':campaign': 'CAMPAIGN#' },
        ConsistentRead: true,
      }),
    );
    return (result.Items ?? []).map(pilotFromItem);
  },

  async get(finess: string, campaignId: string): Promise<Pilot | undefined> {
    const { Item } = await dynamo.send(new GetCommand({ TableName: mainTableName, Key: pilotKey(finess, campaignId), ConsistentRead: true }));
    return Item ? pilotFromItem(Item) : undefined;
  },

  /** Many pilots by (FINESS, campaign) in BatchGetItem calls; missing ones are simply absent. */
  async getMany(keys: readonly { finess: string; campaignId: string }[]): Promise<Pilot[]> {
    const items = await batchGetAll(keys.map((key) => pilotKey(key.finess, key.campaignId)));
    return items.map(pilotFromItem);
  },

  /**
   * A campaign's pilots page by page, by FINESS: one region's partition of gsi1, or gsi2 for every region
   * (ordered by region then FINESS). The milestone engine walks them with this too.
   */
  async list(filter: PilotFilter): Promise<Page<Pilot>> {
    const byRegion = filter.ars !== undefined;
    const result = await dynamo.send(
      new QueryCommand({
        TableName: mainTableName,
        IndexName: byRegion ? 'gsi1' : 'gsi2',
        KeyConditionExpression: `${byRegion ? 'gsi1pk' : 'gsi2pk'} = :pk`,
        ExpressionAttributeValues: { ':pk': byRegion ? `PILOTS#${filter.campaignId}#${filter.ars}` : `PILOTS#${filter.campaignId}` },
        Limit: filter.limit,
        ExclusiveStartKey: decodeCursor(filter.cursor),
      }),
    );
    return { items: (result.Items ?? []).map(pilotFromItem), nextCursor: encodeCursor(result.LastEvaluatedKey) };
  },

  /** Every pilot of a campaign (or of one region of it). */
  async *all(campaignId: string, ars?: ArsCode): AsyncGenerator<Pilot> {
    let cursor: string | undefined;
    do {
      const page = await this.list({ campaignId, ars, limit: 200, cursor });
      yield* page.items;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  },

  /**
   * Authorising a machine client: added to the pilot's list unless already there, and the registration (who,
   * when) kept as its own item. False-condition on the first item means it was already registered.
   */
  registerClientItems(pilot: Pilot, clientId: string, by: string, at: string): TransactItem[] {
    return [
      {
        Update: {
          TableName: mainTableName,
          Key: pilotKey(pilot.finess, pilot.campaignId),
          UpdateExpression: 'SET reportingClients = list_append(if_not_exists(reportingClients, :empty), :client)',
          ConditionExpression: 'attribute_exists(pk) AND NOT contains(reportingClients, :clientId)',
          ExpressionAttributeValues: { ':empty': [], ':client': [clientId], ':clientId': clientId },
        },
      },
      {
        Put: {
          TableName: mainTableName,
          Item: { ...registrationKey(pilot.finess, pilot.campaignId, clientId), type: 'reporting_client', finess: pilot.finess, campaignId: pilot.campaignId, clientId, registeredAt: at, registeredBy: by },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
  },
};
