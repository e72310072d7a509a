import { DynamoDBClient, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { createTables, localTableName } from '../../infra/local/bootstrap';
import { claimsAsApiGateway, LOCAL_ISSUER } from '../../infra/local/local-jwt';
import { localDuiVendors } from '../../infra/lib/dui-vendors';
import { localTickerScheduleGroup } from '../../layers/adapters/schedule-settings';
import { mainTable } from '../../layers/adapters/tables';
import { routesByKey, type FunctionName } from '../../layers/http/routes';
import type { StackInfo } from '../integration/support/spawn';
import { itemBytes, itemsRead, keyText, reportedUnits, writtenKeys, type Item } from './capacity';
import type { ApiReply, ApiRequest, Identity, Operation, Platform } from './scenario';

/**
 * The scenario with the handler modules imported in this process (the configuration they read at import set
 * first), so that every DynamoDB call they make can be seen: a middleware on the exported `dynamoClient`
 * asks for the consumed capacity, keeps the low-level request for the bare replay, and reads the item images
 * before and after each write (with a separate client, outside the calls it observes).
 */
export interface CapturedCall {
  readonly seq: number;
  readonly operation: Operation | undefined;
  /** Which call of that operation (0, 1, …). */
  readonly instance: number;
  readonly command: string;
  /** The low-level request, as sent (without ReturnConsumedCapacity). */
  readonly input: Record<string, unknown>;
  readonly failed: boolean;
  /** What DynamoDB Local reported. */
  readonly reported: { read: number; write: number };
  readonly writes: { key: string; before: Item | undefined; after: Item | undefined; transactional: boolean }[];
  readonly reads: { key: string; item: Item }[];
  /** Item images were read for this call (the first calls of each operation only: capacity does not vary). */
  readonly imaged: boolean;
}

/** Calls of each operation whose item images are read; the later ones only keep their requests for the replay. */
export const IMAGED_CALLS = 30;

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
type Middleware = (next: (args: { input: Record<string, unknown> }) => Promise<{ output: Record<string, unknown> }>, context: { commandName?: string }) => (args: { input: Record<string, unknown> }) => Promise<{ output: Record<string, unknown> }>;

const context = (fn: string): Context => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName: `bench-${fn}`,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:bench-${fn}`,
  memoryLimitInMB: '1024',
  awsRequestId: 'bench',
  logGroupName: `/aws/lambda/bench-${fn}`,
  logStreamName: 'bench',
  getRemainingTimeInMillis: () => 29_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

export class InProcessPlatform implements Platform {
  readonly calls: CapturedCall[] = [];
  private current: { operation: Operation; instance: number } | undefined;
  private readonly instances = new Map<Operation, number>();
  private readonly handlers = new Map<FunctionName, Promise<Handler>>();
  private seq = 0;

  private constructor(
    readonly tableName: string,
    private readonly images: DynamoDBClient,
  ) {}

  /** Creates its own table in the stack's DynamoDB Local, seeds the default campaign, hooks the client. */
  static async start(stack: StackInfo, tablePrefix: string): Promise<InProcessPlatform> {
    const tableName = localTableName(mainTable, tablePrefix);
    Object.assign(process.env, {
      AWS_REGION: 'eu-west-3',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      DYNAMODB_ENDPOINT: stack.dynamodbEndpoint,
      SES_ENDPOINT: stack.sesUrl,
      [mainTable.envVar]: tableName,
      DEPLOYMENT_ARS: 'national',
      MAIL_FROM: 'ne-pas-repondre@mes-pilotes.local',
      // As the local stack sets them (infra/local/start.ts): the ticker's schedule group, the vendors' clients.
      SCHEDULE_GROUP_NAME: localTickerScheduleGroup,
      DUI_CLIENT_IDS: localDuiVendors().join(','),
      // Only the DynamoDB calls matter here: no EMF metrics nor info logs on the bench's console.
      LOG_LEVEL: 'error',
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      POWERTOOLS_METRICS_DISABLED: 'true',
    });
    const images = new DynamoDBClient({ endpoint: stack.dynamodbEndpoint, region: 'eu-west-3', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await createTables(images, tablePrefix);
    const platform = new InProcessPlatform(tableName, images);
    const { dynamoClient } = await import('../../layers/adapters/dynamo');
    const middleware = dynamoClient.middlewareStack as unknown as { add(middleware: Middleware, options: { step: string; name: string }): void };
    middleware.add((next) => async (args) => next({ ...args, input: { ...args.input, ReturnConsumedCapacity: 'INDEXES' } }), { step: 'initialize', name: 'benchConsumedCapacity' });
    // At the build step the document client has already marshalled the request: it can be replayed as is.
    middleware.add((next, ctx) => (args) => platform.observe(ctx.commandName ?? 'UnknownCommand', args, next), { step: 'build', name: 'benchCapture' });
    const { seedDefaultCampaign } = await import('../../infra/local/seed');
    await seedDefaultCampaign();
    return platform;
  }

  async call(request: ApiRequest, operation?: Operation): Promise<ApiReply> {
    const route = routesByKey.get(request.route);
    if (!route) throw new Error(`unknown route ${request.route}`);
    const handler = await this.handler(route.fn);
    const [method, template] = request.route.split(' ') as [string, string];
    const path = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(request.params?.[name] ?? ''));
    const instance = operation ? (this.instances.get(operation) ?? 0) : 0;
    if (operation) this.instances.set(operation, instance + 1);
    this.current = operation ? { operation, instance } : undefined;
    try {
      const result = await handler(this.event(request, method, path), context(route.fn));
      const text = result.body ?? '';
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      return { status: result.statusCode ?? 200, text, json };
    } finally {
      this.current = undefined;
    }
  }

  async setClock(instant: string): Promise<void> {
    const { setSimulatedNow } = await import('../../layers/adapters/clock');
    setSimulatedNow(new Date(instant));
  }

  async runMilestones(campaignId: string): Promise<void> {
    const { handler } = await import('../../functions/milestones/handler');
    await handler({ campaignId }, context('milestones'));
  }

  /**
   * What the table holds now, as DynamoDB bills storage: each item plus 100 bytes, once on the table and once
   * in each index it appears in (all indexes project every attribute). A bench-only full read.
   */
  async storedBytes(): Promise<number> {
    let bytes = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.images.send(new ScanCommand({ TableName: this.tableName, ExclusiveStartKey: start as Item | undefined }));
      for (const item of (page.Items ?? []) as Item[]) {
        const copies = 1 + mainTable.globalIndexes.filter((index) => item[index.partitionKey.name] && item[index.sortKey.name]).length;
        bytes += copies * (itemBytes(item) + 100);
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return bytes;
  }

  private handler(fn: FunctionName): Promise<Handler> {
    if (!this.handlers.has(fn)) this.handlers.set(fn, import(`../../functions/${fn}/handler`).then((module: { handler: Handler }) => module.handler));
    return this.handlers.get(fn)!;
  }

  /** The event API Gateway's HTTP API (and infra/local/http-emulator.ts) hands to the function. */
  private event(request: ApiRequest, method: string, path: string): APIGatewayProxyEventV2 {
    const at = new Date();
    const query = request.query ? { ...request.query } : undefined;
    return {
      version: '2.0',
      routeKey: request.route,
      rawPath: path,
      rawQueryString: query ? new URLSearchParams(query).toString() : '',
      headers: { host: 'localhost', ...(request.body === undefined ? {} : { 'content-type': 'application/json' }) },
      queryStringParameters: query,
      pathParameters: request.params && Object.keys(request.params).length > 0 ? { ...request.params } : undefined,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      isBase64Encoded: false,
      requestContext: {
        accountId: '000000000000',
        apiId: 'bench',
        domainName: 'localhost',
        domainPrefix: 'localhost',
        http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
        requestId: `bench-${this.seq}`,
        routeKey: request.route,
        stage: '$default',
        time: at.toUTCString(),
        timeEpoch: at.getTime(),
        ...(request.as ? { authorizer: { jwt: { claims: claimsAsApiGateway(claimsOf(request.as)), scopes: undefined } } } : {}),
      } as APIGatewayProxyEventV2['requestContext'],
    };
  }

  private async observe(
    command: string,
    args: { input: Record<string, unknown> },
    next: (args: { input: Record<string, unknown> }) => Promise<{ output: Record<string, unknown> }>,
  ): Promise<{ output: Record<string, unknown> }> {
    const seq = (this.seq += 1);
    const { ReturnConsumedCapacity: _asked, ...request } = structuredClone(args.input);
    const owner = this.current;
    const imaged = owner !== undefined && owner.instance < IMAGED_CALLS;
    const { keys, transactional } = imaged ? writtenKeys(command, request) : { keys: [], transactional: false };
    const before = await this.imagesOf(keys);
    let output: Record<string, unknown> | undefined;
    try {
      const result = await next(args);
      output = result.output;
      return result;
    } finally {
      const after = await this.imagesOf(keys);
      this.calls.push({
        seq,
        operation: owner?.operation,
        instance: owner?.instance ?? 0,
        command,
        input: request,
        failed: output === undefined,
        reported: output ? reportedUnits(command, output.ConsumedCapacity) : { read: 0, write: 0 },
        writes: keys.map((key, index) => ({ key: keyText(key), before: before[index], after: after[index], transactional })),
        reads: output && imaged ? itemsRead(command, output).map((item) => ({ key: keyText(item), item })) : [],
        imaged,
      });
    }
  }

  private imagesOf(keys: Item[]): Promise<(Item | undefined)[]> {
    return Promise.all(keys.map(async (Key) => (await this.images.send(new GetItemCommand({ TableName: this.tableName, Key, ConsistentRead: true }))).Item as Item | undefined));
  }
}

/** The claims a Cognito ID token carries (infra/local/local-jwt.ts mints the same). */
function claimsOf(identity: Identity): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: LOCAL_ISSUER,
    sub: identity.sub,
    iat: now,
    exp: now + 3600,
    token_use: 'id',
    ...(identity.email ? { email: identity.email, email_verified: true } : {}),
    ...(identity.groups && identity.groups.length > 0 ? { 'cognito:groups': [...identity.groups] } : {}),
  };
}
