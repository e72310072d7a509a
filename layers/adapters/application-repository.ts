import { GetCommand, QueryCommand, UpdateCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from './batching';
import type { Application, ApplicationStatus, HistoryEntry } from '../domain/application';
import { searchTextOf } from '../domain/application';
import { ConcurrentModificationError, DomainError } from '../domain/errors';
import type { ArsCode } from '../domain/regions';
import type { Page } from './campaign-repository';
import { decodeCursor, dynamo, encodeCursor, isConditionalCheckFailed, mainTableName, queryAll, regionalListKey } from './dynamo';
import { IdempotencyRace } from './idempotency';
import { named, transactNamed, type NamedItem, type TransactItem } from './transactions';
import { enqueue } from './outbox';
import { conventionRepository } from './convention-repository';
import type { Convention } from '../domain/convention';
import type { ApplicationChange, Applications, QueuedEmail, Receipt } from '../domain/ports';
import { quotaReached, type QuotaCharge } from '../domain/quota';

const appKey = (id: string) => ({ pk: `APP#${id}`, sk: 'APP' });
const finessKey = (campaignId: string, finess: string) => ({ pk: `CAMPAIGN#${campaignId}`, sk: `FINESS#${finess}` });
const historyKey = (id: string, version: number) => ({ pk: `APP#${id}`, sk: `HIST#${String(version).padStart(6, '0')}` });

const listSortKey = (application: Application) => `${application.status}#${application.createdAt}#${application.id}`;
const memberKey = (id: string, email: string) => ({ pk: `APP#${id}`, sk: `MEMBER#${email}` });
const holderSortKey = (application: Application) => `APP#${application.campaignId}#${application.createdAt}`;

/**
 * Whose files an index partition lists: an account (`OWNER#<sub>`) or, for a file transferred to an address
 * and for collaborators, a verified email (`EMAIL#<address>`).
 */
export const holderKey = (application: Pick<Application, 'ownerId' | 'ownerEmail'>): string =>
  application.ownerId !== undefined ? `OWNER#${application.ownerId}` : `EMAIL#${application.ownerEmail ?? ''}`;

const duplicateFiness = (): DomainError =>
  new DomainError(
    'duplicate_finess',
    "Un dossier a déjà été déposé pour cet établissement dans cette campagne. Si vous représentez l'établissement, contactez votre ARS : elle peut vous le confier.",
    [{ path: 'finess', message: 'Dossier déjà déposé pour ce FINESS' }],
  );

/** The campaign's FINESS is held by the first submitted application; a withdrawal frees it. */
const finessClaim = (application: Application): TransactItem => ({
  Put: {
    TableName: mainTableName,
    Item: { ...finessKey(application.campaignId, application.finess), type: 'finess', applicationId: application.id },
    ConditionExpression: 'attribute_not_exists(pk) OR applicationId = :id',
    ExpressionAttributeValues: { ':id': application.id },
  },
});

const finessRelease = (application: Application): TransactItem => ({
  Delete: {
    TableName: mainTableName,
    Key: finessKey(application.campaignId, application.finess),
    ConditionExpression: 'attribute_not_exists(pk) OR applicationId = :id',
    ExpressionAttributeValues: { ':id': application.id },
  },
});

/** A collaborator's entry in the index of their address, so that "my applications" finds the file. */
const memberPut = (application: Application, email: string): TransactItem => ({
  Put: {
    TableName: mainTableName,
    Item: { ...memberKey(application.id, email), type: 'member', applicationId: application.id, email, gsi3pk: `EMAIL#${email}`, gsi3sk: holderSortKey(application) },
  },
});
const memberDelete = (application: Application, email: string): TransactItem => ({ Delete: { TableName: mainTableName, Key: memberKey(application.id, email) } });

function toItem(application: Application) {
  return {
    ...appKey(application.id),
    type: 'application',
    ...application,
    searchText: searchTextOf(application),
    gsi1pk: `APPS#${application.campaignId}#${application.ars}`,
    gsi1sk: listSortKey(application),
    gsi2pk: `APPS#${application.campaignId}`,
    gsi2sk: listSortKey(application),
    gsi3pk: holderKey(application),
    gsi3sk: holderSortKey(application),
    ...(application.review
      ? { gsi4pk: `RANKED#${application.campaignId}#${application.ars}`, gsi4sk: `${String(Math.round(application.review.average * 100)).padStart(3, '0')}#${application.id}` }
      : {}),
  };
}

const STORAGE_ONLY = new Set(['pk', 'sk', 'type', 'searchText', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'gsi4pk', 'gsi4sk']);

function fromItem(item: Record<string, unknown>): Application {
  return Object.fromEntries(Object.entries(item).filter(([name]) => !STORAGE_ONLY.has(name))) as unknown as Application;
}

function historyPut(application: Application, entry: HistoryEntry): TransactItem {
  return historyItem(application.id, application.version, entry);
}

/**
 * A history line. Transitions are keyed by the version they produced; events that do not change the
 * application (a convention signature) add a suffix after the version they happened at, so the order holds.
 */
export function historyItem(applicationId: string, version: number, entry: HistoryEntry, suffix?: string): TransactItem {
  const key = historyKey(applicationId, version);
  return {
    Put: {
      TableName: mainTableName,
      Item: { ...key, ...(suffix ? { sk: `${key.sk}#${suffix}` } : {}), type: 'history', applicationId, ...entry },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export interface ApplicationFilter {
  readonly campaignId: string;
  readonly ars?: ArsCode;
  /** Best average review score first (reviewed applications of one region only). */
  readonly sortByScore?: boolean;
  readonly status?: ApplicationStatus;
  readonly category?: string;
  readonly q?: string;
  readonly limit: number;
  readonly cursor?: string;
}

export const applicationRepository = {
  async get(id: string): Promise<Application | undefined> {
    const { Item } = await dynamo.send(new GetCommand({ TableName: mainTableName, Key: appKey(id), ConsistentRead: true }));
    return Item ? fromItem(Item) : undefined;
  },

  /**
   * A draft reserves nothing: one transaction holds the application, its first history line and (with an
   * Idempotency-Key) the recorded response, on condition that no submitted file holds the FINESS yet.
   */
  async create(application: Application, entry: HistoryEntry, receipt?: Receipt): Promise<void> {
    const items = [
      named('application', { Put: { TableName: mainTableName, Item: toItem(application), ConditionExpression: 'attribute_not_exists(pk)' } }),
      named('finess', { ConditionCheck: { TableName: mainTableName, Key: finessKey(application.campaignId, application.finess), ConditionExpression: 'attribute_not_exists(pk)' } }),
      named('history', historyPut(application, entry)),
      ...(receipt ? [named('receipt', receipt as TransactItem)] : []),
    ];
    await transactNamed(items, (failed) => {
      if (failed.has('receipt')) return new IdempotencyRace();
      if (failed.has('finess')) return duplicateFiness();
      return new ConcurrentModificationError();
    });
  },

  /** A collaborator's first visit with the invited address verified; no new version, and a lost race is harmless. */
  async recordJoined(application: Application): Promise<void> {
    await dynamo
      .send(
        new UpdateCommand({
          TableName: mainTableName,
          Key: appKey(application.id),
          UpdateExpression: 'SET collaborators = :collaborators',
          ConditionExpression: 'version = :version',
          ExpressionAttributeValues: { ':collaborators': application.collaborators ?? [], ':version': application.version },
        }),
      )
      .catch((error: unknown) => {
        if (!isConditionalCheckFailed(error)) throw error;
      });
  },

  /**
   * The applications a person holds: owned by their account, given to their verified address by a transfer,
   * or shared with that address. The caller filters with the access policy; newest first.
   */
  async ofPerson(ownerId: string, verifiedEmail: string | undefined): Promise<Application[]> {
    const partition = (pk: string) =>
      queryAll({ TableName: mainTableName, IndexName: 'gsi3', KeyConditionExpression: 'gsi3pk = :pk AND begins_with(gsi3sk, :app)', ExpressionAttributeValues: { ':pk': pk, ':app': 'APP#' } });
    const items = (await Promise.all([partition(`OWNER#${ownerId}`), verifiedEmail ? partition(`EMAIL#${verifiedEmail}`) : []])).flat();
    const owned = items.filter((item) => item.type === 'application').map(fromItem);
    const sharedIds = items.filter((item) => item.type === 'member').map((item) => String(item.applicationId));
    const shared = (await batchGetAll([...new Set(sharedIds)].map((id) => appKey(id)))).map(fromItem);
    const unique = new Map([...owned, ...shared].map((application) => [application.id, application]));
    return [...unique.values()].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1));
  },

  /** A change at the version read (version_conflict otherwise) with its history line: the local seed writes so. */
  async save(application: Application, expectedVersion: number, entry: HistoryEntry | undefined): Promise<void> {
    await saveChange({ application, expectedVersion, entry, at: new Date() });
  },

  async history(id: string): Promise<HistoryEntry[]> {
    const items = await queryAll({
      TableName: mainTableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :hist)',
      ExpressionAttributeValues: { ':pk': `APP#${id}`, ':hist': 'HIST#' },
    });
    return items.map((item) => {
      const { at, actor, action, from, to, motivation } = item;
      return { at, actor, action, from: from ?? null, to, ...(motivation ? { motivation } : {}) } as HistoryEntry;
    });
  },

  /** The applications one holder (see holderKey) owns in a campaign. */
  async ofHolder(holder: string, campaignId: string): Promise<Application[]> {
    const items = await queryAll({
      TableName: mainTableName,
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :pk AND begins_with(gsi3sk, :campaign)',
      ExpressionAttributeValues: { ':pk': holder, ':campaign': `APP#${campaignId}#` },
    });
    return items.filter((item) => item.type === 'application').map(fromItem);
  },

  /** Decided applications of a region whose decision is not yet notified (every page). */
  async awaitingNotification(campaignId: string, ars: string): Promise<Application[]> {
    const found: Application[] = [];
    for (const status of ['retenue', 'non_retenue'] as const) {
      const items = await queryAll({
        TableName: mainTableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :status)',
        FilterExpression: 'attribute_not_exists(decision.notifiedAt)',
        ExpressionAttributeValues: { ':pk': `APPS#${campaignId}#${ars}`, ':status': `${status}#` },
      });
      found.push(...items.map(fromItem));
    }
    return found;
  },

  /** ARS lists read their region's partition of gsi1; national lists read gsi2; a status narrows the sort key. */
  async list(filter: ApplicationFilter): Promise<Page<Application>> {
    const ranked = filter.sortByScore === true && filter.ars !== undefined;
    // Ranked lists read the region's score index (reviewed files only); the status is then a filter.
    const key = ranked
      ? { IndexName: 'gsi4', KeyConditionExpression: 'gsi4pk = :pk', ExpressionAttributeValues: { ':pk': `RANKED#${filter.campaignId}#${filter.ars}` } as Record<string, unknown> }
      : regionalListKey('APPS', filter.campaignId, filter.ars, filter.status);
    const values = key.ExpressionAttributeValues;
    const filters: string[] = [];
    if (filter.status && ranked) {
      filters.push('#status = :status');
      values[':status'] = filter.status;
    }
    if (filter.category) {
      filters.push('category = :category');
      values[':category'] = filter.category;
    }
    if (filter.q) {
      filters.push('contains(searchText, :q)');
      values[':q'] = filter.q;
    }
    const input: QueryCommandInput = {
      TableName: mainTableName,
      ...key,
      Limit: filter.limit,
      ExclusiveStartKey: decodeCursor(filter.cursor),
      ScanIndexForward: !ranked,
      ...(filters.length > 0 ? { FilterExpression: filters.join(' AND ') } : {}),
      ...(filters.length > 0 && ranked && filter.status ? { ExpressionAttributeNames: { '#status': 'status' } } : {}),
    };
    const result = await dynamo.send(new QueryCommand(input));
    return { items: (result.Items ?? []).map(fromItem), nextCursor: encodeCursor(result.LastEvaluatedKey) };
  },
};

/** The region's retained count moves with each decision; a quota makes the increment conditional. */
function retainedCountUpdate(charge: QuotaCharge): TransactItem {
  const capped = charge.delta > 0 && charge.quota !== undefined;
  return {
    Update: {
      TableName: mainTableName,
      Key: { pk: `CAMPAIGN#${charge.campaignId}`, sk: `QUOTA#${charge.ars}` },
      UpdateExpression: 'SET #type = :type ADD retained :delta',
      ...(capped ? { ConditionExpression: 'attribute_not_exists(retained) OR retained < :quota' } : {}),
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':delta': charge.delta, ':type': 'quota', ...(capped ? { ':quota': charge.quota } : {}) },
    },
  };
}

const emailItems = (emails: readonly QueuedEmail[] | undefined, at: Date): NamedItem[] => (emails ?? []).map((email) => named('email', enqueue(email, at)));

/**
 * Optimistic locking: the new state is written only if the stored version is still the one read, in the
 * same transaction as its history line, the emails it causes and whatever else it moves (`also`). A failed
 * condition is the stale version's unless `explain` names the rule of another item.
 */
async function saveChange(change: ApplicationChange, also: readonly NamedItem[] = [], explain: (failed: ReadonlySet<string>) => Error | undefined = () => undefined): Promise<void> {
  const { application, expectedVersion, entry } = change;
  const items = [
    named('version', {
      Put: {
        TableName: mainTableName,
        Item: toItem(application),
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':expected': expectedVersion },
      },
    }),
    ...(entry ? [named('history', historyPut(application, entry))] : []),
    ...emailItems(change.emails, change.at),
    ...also,
  ];
  await transactNamed(items, (failed) => (failed.has('version') ? undefined : explain(failed)) ?? new ConcurrentModificationError());
}

/** The collaborators' index entries that follow a change of holders. */
function holderChanges(application: Application, previous: Application): NamedItem[] {
  const before = new Set((previous.collaborators ?? []).map((collaborator) => collaborator.email));
  const after = new Set((application.collaborators ?? []).map((collaborator) => collaborator.email));
  return [
    ...[...after].filter((email) => !before.has(email)).map((email) => named('member', memberPut(application, email))),
    ...[...before].filter((email) => !after.has(email)).map((email) => named('member', memberDelete(application, email))),
  ];
}

/** Every application of a campaign in a status, page by page (the index answers exactly this question). */
async function* inStatus(campaignId: string, status: ApplicationStatus): AsyncGenerator<Application> {
  let cursor: string | undefined;
  do {
    const page = await applicationRepository.list({ campaignId, status, limit: 200, cursor });
    yield* page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

/** The applications port on DynamoDB: every transaction item, condition and failed-condition mapping lives here. */
export const dynamoApplications: Applications = {
  get: (id) => applicationRepository.get(id),
  ownedBy: (ownerId, campaignId) => applicationRepository.ofHolder(`OWNER#${ownerId}`, campaignId),
  ofSameHolder: (application) => applicationRepository.ofHolder(holderKey(application), application.campaignId),
  heldBy: (ownerId, verifiedEmail) => applicationRepository.ofPerson(ownerId, verifiedEmail),
  inStatus,
  awaitingNotification: (campaignId, ars) => applicationRepository.awaitingNotification(campaignId, ars),
  create: (application, entry, receipt) => applicationRepository.create(application, entry, receipt),
  save: (change) => saveChange(change),
  saveSubmission: (change) => saveChange(change, [named('finess', finessClaim(change.application))], (failed) => (failed.has('finess') ? duplicateFiness() : undefined)),
  saveWithdrawal: (change, previous, charge) =>
    saveChange(change, [...(previous.status === 'brouillon' ? [] : [named('finess', finessRelease(previous))]), ...(charge ? [named('quota', retainedCountUpdate(charge))] : [])]),
  // The quota holds under concurrent decisions: the counter's condition is part of the decision's transaction.
  saveDecision: (change, charge) =>
    saveChange(change, charge ? [named('quota', retainedCountUpdate(charge))] : [], (failed) => (failed.has('quota') ? quotaReached(charge?.quota) : undefined)),
  saveNotification: (change, convention: Convention | undefined) => saveChange(change, convention ? [named('convention', conventionRepository.createItem(convention))] : []),
  saveHolders: (change, previous) => saveChange(change, holderChanges(change.application, previous)),
  recordJoined: (application) => applicationRepository.recordJoined(application),
  history: (id) => applicationRepository.history(id),
};
