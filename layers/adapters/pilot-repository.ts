import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Pilot } from '../domain/pilot';
import type { ArsCode } from '../domain/regions';
import { batchGetAll } from './batching';
import type { Page } from './campaign-repository';
import { pilotFromItem, pilotKey } from './pilot-item';
import { decodeCursor, dynamo, encodeCursor, mainTableName } from './dynamo';
import { toParisIso } from '../domain/calendar';
import type { Pilots, Receipt } from '../domain/ports';
import { IdempotencyRace } from './idempotency';
import { named, transactNamed, type TransactItem } from './transactions';

/**
 * Pilots: written by the conventions function at the second signature (pilot-item.ts pilotItem);
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
   * when) kept in the client's partition, where its list of pilots is read, with the Idempotency-Key's record
   * if any. False when it was already registered.
   */
  async registerClient(pilot: Pilot, clientId: string, by: string, at: Date, receipt?: Receipt): Promise<boolean> {
    const items = [...registerClientItems(pilot, clientId, by, toParisIso(at)), ...(receipt ? [named('receipt', receipt as TransactItem)] : [])];
    try {
      await transactNamed(items, (failed) => (failed.has('receipt') ? new IdempotencyRace() : new AlreadyRegistered()));
      return true;
    } catch (error) {
      if (error instanceof AlreadyRegistered) return false;
      throw error;
    }
  },
};

class AlreadyRegistered extends Error {
  constructor() {
    super('reporting client already registered');
    this.name = 'AlreadyRegistered';
  }
}

function registerClientItems(pilot: Pilot, clientId: string, by: string, at: string) {
  return [
    named('pilot', {
      Update: {
        TableName: mainTableName,
        Key: pilotKey(pilot.finess, pilot.campaignId),
        UpdateExpression: 'SET reportingClients = list_append(if_not_exists(reportingClients, :empty), :client)',
        ConditionExpression: 'attribute_exists(pk) AND NOT contains(reportingClients, :clientId)',
        ExpressionAttributeValues: { ':empty': [], ':client': [clientId], ':clientId': clientId },
      },
    }),
    named('grant', { Put: { TableName: mainTableName, Item: clientGrantItem(pilot, clientId, by, at), ConditionExpression: 'attribute_not_exists(pk)' } }),
  ];
}

/**
 * The pilots a machine client may report for, kept a minute per warm container: DUI software pushes its
 * pilots' figures in many calls. Registrations are only ever added, so a cached list can refuse wrongly but
 * never authorise wrongly; refusals are checked again against the table (`fresh`).
 */
const GRANTS_CACHE_MS = 60_000;
const grantsCache = new Map<string, { grants: Map<string, ClientGrant>; until: number }>();

async function grantsOf(clientId: string, campaignId: string, fresh: boolean): Promise<Map<string, ClientGrant>> {
  const cacheKey = `${clientId}#${campaignId}`;
  const cached = grantsCache.get(cacheKey);
  if (!fresh && cached && cached.until > Date.now()) return cached.grants;
  const grants = new Map<string, ClientGrant>();
  for (const grant of await pilotRepository.clientGrants(clientId)) if (grant.campaignId === campaignId) grants.set(grant.finess, grant);
  if (grantsCache.size >= 1_000) grantsCache.clear();
  grantsCache.set(cacheKey, { grants, until: Date.now() + GRANTS_CACHE_MS });
  return grants;
}

export const dynamoPilots: Pilots = {
  get: (finess, campaignId) => pilotRepository.get(finess, campaignId),
  all: (campaignId) => pilotRepository.all(campaignId),
  grantsOf,
  registerClient: (pilot, clientId, by, at, receipt) => pilotRepository.registerClient(pilot, clientId, by, at, receipt),
};
