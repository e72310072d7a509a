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

/** A pilot a machine client may report for (written with the registration, read as the client's list). */
export interface ClientGrant {
  readonly finess: string;
  readonly campaignId: string;
  readonly ars: ArsCode;
}

const grantKey = (clientId: string, finess: string, campaignId: string) => ({ pk: `CLIENT#${clientId}`, sk: `PILOT#${finess}#${campaignId}` });

export function clientGrantItem(pilot: Pick<Pilot, 'finess' | 'campaignId' | 'ars'>, clientId: string, by: string, at: string) {
  return { ...grantKey(clientId, pilot.finess, pilot.campaignId), type: 'reporting_client', clientId, finess: pilot.finess, campaignId: pilot.campaignId, ars: pilot.ars, registeredAt: at, registeredBy: by };
}

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

  /** Every pilot this machine client may report for: one Query on its own partition, whatever their number. */
  async clientGrants(clientId: string): Promise<ClientGrant[]> {
    const grants: ClientGrant[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await dynamo.send(
        new QueryCommand({
          TableName: mainTableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :pilot)',
          ExpressionAttributeValues: { ':pk': `CLIENT#${clientId}`, ':pilot': 'PILOT#' },
          ProjectionExpression: 'finess, campaignId, ars',
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      grants.push(...((page.Items ?? []) as ClientGrant[]));
      start = page.LastEvaluatedKey;
    } while (start);
    return grants;
  },

  /**
   * Authorising a machine client: added to the pilot's list unless already there, and the registration (who,
   * when) kept in the client's partition, where its list of pilots is read. A failed condition on the first
   * item means it was already registered.
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
      { Put: { TableName: mainTableName, Item: clientGrantItem(pilot, clientId, by, at), ConditionExpression: 'attribute_not_exists(pk)' } },
    ];
  },
};
