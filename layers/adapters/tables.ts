/**
 * The one definition of the DynamoDB tables: infra/lib/data-stack.ts builds CDK Tables from it and the
 * local stack sends the matching CreateTable calls.
 *
 * Single-table design for the main table. Access patterns and the keys that answer them:
 * - campaign by id ................................ pk CAMPAIGN#<id>             sk CAMPAIGN
 * - all campaigns, by intake opening .............. gsi1pk CAMPAIGNS             gsi1sk <intakeOpensAt>#<id>
 * - application by id ............................. pk APP#<id>                  sk APP
 * - applications of a campaign + ARS (+ status) ... gsi1pk APPS#<campaign>#<ars> gsi1sk <status>#<createdAt>#<id>
 * - applications of a campaign (+ status) ......... gsi2pk APPS#<campaign>       gsi2sk <status>#<createdAt>#<id>
 * - applications of an owner ...................... gsi3pk OWNER#<sub>           gsi3sk APP#<campaign>#<createdAt>
 * - applications given to an address (transfer) .... gsi3pk EMAIL#<address>      gsi3sk APP#<campaign>#<createdAt>
 * - collaborators of an application ................ pk APP#<id>                  sk MEMBER#<address>; gsi3pk EMAIL#<address> (shared files)
 * - the FINESS's first submitted application ....... pk CAMPAIGN#<campaign>       sk FINESS#<finess>  (written at submission, deleted at withdrawal)
 * - history of an application, oldest first ....... pk APP#<id>                  sk HIST#<version>
 * - idempotent replay of a create ................. pk IDEMP#<caller>#<key hash> sk IDEMP  (expires after 24 h)
 * - applications of a region by review score ...... gsi4pk RANKED#<campaign>#<ars> gsi4sk <average×100, 3 digits>#<id>  (once reviewed)
 * - retained count of a region (quota) ............ pk CAMPAIGN#<campaign>       sk QUOTA#<ars>
 * - convention by id .............................. pk CONV#<id>                 sk CONV
 * - conventions of a campaign + ARS (+ status) .... gsi1pk CONVS#<campaign>#<ars> gsi1sk <status>#<id>
 * - conventions of a campaign (+ status) .......... gsi2pk CONVS#<campaign>      gsi2sk <status>#<id>
 * - pilot by FINESS (and campaign) ................ pk PILOT#<finess>            sk CAMPAIGN#<campaign>
 * - pilots of a campaign + ARS .................... gsi1pk PILOTS#<campaign>#<ars> gsi1sk <finess>
 * - pilots of a campaign .......................... gsi2pk PILOTS#<campaign>     gsi2sk <ars>#<finess>
 * - usage figures of a pilot for one month ........ pk PILOT#<finess>            sk USAGE#<campaign>#<YYYY-MM>
 * - usage months of a campaign + ARS (exports) .... gsi1pk USAGE#<campaign>#<ars> gsi1sk <finess>#<YYYY-MM>
 * - usage months of a campaign (exports) .......... gsi2pk USAGE#<campaign>      gsi2sk <ars>#<finess>#<YYYY-MM>
 * - corrections of a pilot's months (append-only) . pk PILOT#<finess>            sk USAGEHIST#<campaign>#<YYYY-MM>#<version>
 * - pilots a machine client may report for ....... pk CLIENT#<clientId>         sk PILOT#<finess>#<campaign>  (who registered it, when)
 * - usage counters of a region and month .......... pk CAMPAIGN#<campaign>       sk USAGESUM#<ars>#<YYYY-MM>  (ADD in the write's commit, versioned)
 * - usage write plans not yet landed ............... pk USAGEPLAN#<id>            sk PLAN; gsi1pk USAGEPLANS gsi1sk <leaseUntil>#<id>
 * - emails to send (outbox), oldest first ......... pk MAIL#<dedup key>          sk MAIL; gsi1pk OUTBOX gsi1sk <createdAt> while pending
 * Later capabilities add their own rows to this list next to the items they define.
 */
export type KeyType = 'S' | 'N';

export interface KeyDefinition {
  readonly name: string;
  readonly type: KeyType;
}

export interface IndexDefinition {
  readonly indexName: string;
  readonly partitionKey: KeyDefinition;
  readonly sortKey: KeyDefinition;
}

export interface TableDefinition {
  /** Logical id in CDK and the suffix of the local table name. */
  readonly id: string;
  /** Environment variable through which functions learn the physical table name. */
  readonly envVar: string;
  readonly partitionKey: KeyDefinition;
  readonly sortKey: KeyDefinition;
  readonly globalIndexes: readonly IndexDefinition[];
  readonly timeToLiveAttribute?: string;
}

const stringKey = (name: string): KeyDefinition => ({ name, type: 'S' });

export const mainTable: TableDefinition = {
  id: 'Main',
  envVar: 'TABLE_NAME',
  partitionKey: stringKey('pk'),
  sortKey: stringKey('sk'),
  globalIndexes: [
    { indexName: 'gsi1', partitionKey: stringKey('gsi1pk'), sortKey: stringKey('gsi1sk') },
    { indexName: 'gsi2', partitionKey: stringKey('gsi2pk'), sortKey: stringKey('gsi2sk') },
    { indexName: 'gsi3', partitionKey: stringKey('gsi3pk'), sortKey: stringKey('gsi3sk') },
    { indexName: 'gsi4', partitionKey: stringKey('gsi4pk'), sortKey: stringKey('gsi4sk') },
  ],
  timeToLiveAttribute: 'expiresAt',
};

export const tables: readonly TableDefinition[] = [mainTable];
