/**
 * `npm start`: the whole platform on one machine, offline. DynamoDB Local (Java), the SES emulator and its
 * inbox, the HTTP API emulator with the /local endpoints, the OpenID Connect provider, the web app, and the
 * milestone ticker on the simulated clock.
 *
 * Environment: PORT (3000), DYNAMODB_PORT (8000), SES_PORT (8005), S3_PORT (4568), ARS (national, or one ARS code),
 * LOCAL_IN_MEMORY=1 (no persistence), LOCAL_TICKER=0 (no ticker), LOCAL_DATA_DIR (.local). A port of 0 picks a
 * free one; the ready line `LOCAL_STACK_READY {json}` gives the ports chosen (the integration tests read it).
 * LOCAL_WEB_BUILD=1/0 and LOCAL_DEMO=1/0: build the web app when stale, seed the demo campaign. Both default to
 * on under `npm start` only, so that the stacks tests spawn stay quick and hold only what their tests create.
 */
import { createServer as createNetServer } from 'node:net';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Server } from 'node:http';
import { createTables, localTableName } from './bootstrap';
import { JAVA_INSTALL_HINT, javaAvailable, startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local';
import { createHttpEmulator, type LambdaHandler } from './http-emulator';
import { scanResultEvent, startLocalS3, type ScanResult } from './s3-local';
import { LocalJwt } from './local-jwt';
import { localEndpoints } from './local-endpoints';
import { createLocalOidc, WEB_CLIENT_ID, WEB_SCOPE, OIDC_PATH } from './oidc-provider';
import { allowUploadsTo, buildWebApp, webBuildState, webDist, webStatic, type WebBuildResult } from './web-static';
import { mainTable } from '../../layers/adapters/tables';
import { localTickerScheduleGroup } from '../../layers/adapters/schedule-settings';
import { localDuiVendors } from '../lib/dui-vendors';
import { authorizerAudience } from '../lib/authorizer';
import { isArsCode } from '../../layers/domain/regions';
import type { FunctionName } from '../../layers/http/routes';

const root = resolve(__dirname, '..', '..');

async function freePort(preferred: number): Promise<number> {
  if (preferred !== 0) return preferred;
  return new Promise((resolvePort, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`Port ${port} is already in use: set PORT to another port.`) : error),
    );
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolvePort(typeof address === 'object' && address ? address.port : port);
    });
  });
}

// The SDK warns on every start that Node 20 support ends in 2027; Lambda runs Node 22, so keep the console readable.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const text = typeof warning === 'string' ? warning : warning.name + warning.message;
  if (/NodeVersionSupportWarning|will require node >=22/.test(text) || rest.some((arg) => String(arg).includes('NodeVersionSupportWarning'))) return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

/** What was started, stopped in reverse order on Ctrl-C, SIGTERM or a start-up failure. */
const stoppers: { what: string; stop: () => Promise<unknown> }[] = [];
let stopping = false;

async function stopAll(code: number, why: string): Promise<never> {
  if (!stopping) {
    stopping = true;
    if (stoppers.length > 0) console.log(`\n${why}: stopping ${stoppers.map((stopper) => stopper.what).reverse().join(', ')}…`);
    for (const stopper of stoppers.reverse()) await stopper.stop().catch(() => undefined);
  }
  process.exit(code);
}

/** The port a setting names (0 picks a free one), refused at once when something already listens on it. */
async function portFor(setting: string, fallback: number): Promise<number> {
  const port = await freePort(Number(process.env[setting] ?? fallback));
  await new Promise<void>((resolvePort, reject) => {
    const probe = createNetServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`Port ${port} is already in use (another local stack?): set ${setting} to another port.`) : error),
    );
    // DynamoDB Local listens on every interface: probe there, where a second one would clash.
    probe.listen(port, () => probe.close(() => resolvePort()));
  });
  return port;
}

async function main(): Promise<void> {
  if (!javaAvailable()) {
    console.error(`\n✖ ${JAVA_INSTALL_HINT}\n`);
    process.exit(1);
  }
  const inMemory = process.env.LOCAL_IN_MEMORY === '1';
  const dataDir = resolve(root, process.env.LOCAL_DATA_DIR ?? '.local');
  const tablePrefix = process.env.LOCAL_TABLE_PREFIX ?? 'mes-pilotes-local';
  const deployment = process.env.ARS ?? 'national';
  const underNpmStart = process.env.npm_lifecycle_event === 'start';
  const switchOn = (name: string) => (process.env[name] === undefined ? underNpmStart : process.env[name] === '1');

  // The build runs beside the databases' start; the page is there by the time the banner is.
  const buildState = webBuildState();
  const build: Promise<WebBuildResult | undefined> =
    switchOn('LOCAL_WEB_BUILD') && !process.env.LOCAL_WEB_DIST && (buildState === 'missing' || buildState === 'stale') ? (console.log(`Building the web app (web/ → web/dist, ${buildState === 'missing' ? 'first build' : 'sources changed'})…`), buildWebApp()) : Promise.resolve(undefined);

  process.once('SIGINT', () => void stopAll(0, 'Ctrl-C'));
  process.once('SIGTERM', () => void stopAll(0, 'SIGTERM'));

  // Every port is checked before anything starts on it: a taken one is said by name, nothing is left running.
  const port = await portFor('PORT', 3000);
  const dynamoPort = await portFor('DYNAMODB_PORT', 8000);
  const sesPort = await portFor('SES_PORT', 8005);
  const s3Port = await portFor('S3_PORT', 4568);
  const dynamodb: DynamoDbLocal = await startDynamoDbLocal({ port: dynamoPort, dataDir: inMemory ? undefined : join(dataDir, 'dynamodb') });
  stoppers.push({ what: `DynamoDB Local (port ${dynamoPort})`, stop: () => dynamodb.stop() });

  // aws-ses-v2-local runs in this process: its inbox page is at the root of its port.
  const sesServer: Server = await (await import('aws-ses-v2-local')).default({ host: '127.0.0.1', port: sesPort });
  stoppers.push({ what: `the SES emulator (port ${sesPort})`, stop: () => new Promise((done) => sesServer.close(done)) });

  // s3rver behind a gate that checks presigned POST policies, with the emulated GuardDuty scanner (infra/local/s3-local.ts).
  const attachmentsBucket = 'mes-pilotes-local-attachments';
  // Each scan result goes to the attachments function, as EventBridge delivers GuardDuty's event in AWS (set once handlers load).
  let deliverScanResult: ((result: ScanResult) => Promise<void>) | undefined;
  const s3 = await startLocalS3({
    port: s3Port,
    bucket: attachmentsBucket,
    accessKeyId: 'local',
    secretAccessKey: 'local',
    region: process.env.AWS_REGION ?? 'eu-west-3',
    allowedOrigins: [`http://localhost:${port}`, `http://127.0.0.1:${port}`],
    directory: inMemory ? undefined : join(dataDir, 's3'),
    onScanResult: (result) => deliverScanResult?.(result),
  });
  stoppers.push({ what: `the local S3 and scanner (port ${s3.port})`, stop: () => s3.stop() });
  allowUploadsTo([s3.endpoint]);

  // The handlers read their configuration at import: set it before loading any of them.
  Object.assign(process.env, {
    AWS_REGION: process.env.AWS_REGION ?? 'eu-west-3',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    DYNAMODB_ENDPOINT: dynamodb.endpoint,
    SES_ENDPOINT: `http://127.0.0.1:${sesPort}`,
    S3_ENDPOINT: s3.endpoint,
    ATTACHMENTS_BUCKET: attachmentsBucket,
    [mainTable.envVar]: localTableName(mainTable, tablePrefix),
    DEPLOYMENT_ARS: deployment,
    MAIL_FROM: process.env.MAIL_FROM ?? 'ne-pas-repondre@mes-pilotes.local',
    // The ARS mailboxes of the local stack (a deployment's `arsMailbox` setting): reserved names, never a real domain.
    ARS_MAILBOX: process.env.ARS_MAILBOX ?? 'ars-{code}-mes@ars.invalid',
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
    // No EventBridge Scheduler here: the ticker runs the milestone function (layers/adapters/schedule-settings.ts).
    SCHEDULE_GROUP_NAME: localTickerScheduleGroup,
    // The vendors' machine clients; locally a vendor's name is its client id (infra/lib/dui-vendors.ts).
    DUI_CLIENT_IDS: localDuiVendors().join(','),
  });

  const client = new DynamoDBClient({ endpoint: dynamodb.endpoint, region: process.env.AWS_REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await createTables(client, tablePrefix);
  const { seedDefaultCampaign, seedDemo } = await import('./seed');
  const seeded = await seedDefaultCampaign();
  const demo = switchOn('LOCAL_DEMO') && (deployment === 'national' || isArsCode(deployment)) ? await seedDemo(deployment, new Date()) : undefined;

  // The issuer and the redirect URIs name the port: it is chosen before anything listens on it.
  const base = `http://localhost:${port}`;
  // The deployment's public URL, as the CDK app gives it in AWS (the OpenAPI document's server).
  process.env.PUBLIC_API_URL ??= base;
  const issuer = `${base}${OIDC_PATH}`;
  // The authorizer's audience as the CDK app configures it (infra/lib/authorizer.ts): the web client and each DUI vendor.
  const jwt = LocalJwt.create(inMemory ? undefined : join(dataDir, 'jwt-key.pem'), [issuer], authorizerAudience(WEB_CLIENT_ID, localDuiVendors()));
  // LOCAL_WEB_DIST serves another build (a test's stub page), never rebuilt.
  const dist = process.env.LOCAL_WEB_DIST ? resolve(process.env.LOCAL_WEB_DIST) : webDist;
  const oidc = await createLocalOidc({ origin: base, signingKey: jwt.signingJwk(), dsfrCssFile: join(dist, 'dsfr', 'dsfr.min.css') });
  const web = webStatic({ dist, config: { oidc: { authority: issuer, clientId: WEB_CLIENT_ID, scope: WEB_SCOPE }, environment: 'local' } });
  const loadHandler = async (fn: FunctionName): Promise<LambdaHandler> => (await import(`../../functions/${fn}/handler`)).handler as LambdaHandler;
  deliverScanResult = async (result) => {
    const { lambdaContext } = await import('./http-emulator');
    const handler = (await loadHandler('attachments')) as unknown as (event: unknown, context: unknown) => Promise<unknown>;
    await handler(scanResultEvent(result), lambdaContext('attachments', `scan-${Date.now()}`));
  };
  const local = await localEndpoints({ jwt, sesPort, ticker: process.env.LOCAL_TICKER !== '0' });
  stoppers.push({ what: 'the milestone ticker', stop: () => local.stop() });
  const built = await build;
  const api = createHttpEmulator({ jwt, loadHandler, local: local.handle, oidc, web });
  await listen(api, port);
  stoppers.push({ what: `the API and web app (port ${port})`, stop: () => new Promise((done) => api.close(done)) });

  const webState = process.env.LOCAL_WEB_DIST ? 'fresh' : webBuildState();
  const webLine =
    built && !built.ok
      ? `✖ the web app did not build (${built.logFile}); the API runs. Last lines:\n${built.log.trim().split('\n').filter((line) => !/^\s+at /.test(line)).slice(-12).map((line) => `      ${line}`).join('\n')}`
      : webState === 'absent'
        ? 'no web/ folder in this checkout: API only'
        : webState === 'missing'
          ? 'not built (npm start builds it; LOCAL_WEB_BUILD=0 was set)'
          : `${base}/  ${built ? `(built now in ${built.seconds.toFixed(0)} s)` : webState === 'stale' ? '(older than web/src: not rebuilt)' : `(${dist})`}`;
  const ready = { apiUrl: base, webUrl: `${base}/`, oidcIssuer: issuer, dynamodbEndpoint: dynamodb.endpoint, sesUrl: `http://localhost:${sesPort}`, s3Endpoint: s3.endpoint, tableName: process.env[mainTable.envVar], deployment };
  console.log(`
open ${base}

mes-pilotes — local stack ready (${deployment === 'national' ? 'national deployment' : `deployment for ARS ${deployment}`})

  Web app                  ${webLine}
  Sign in (local OIDC)     ${issuer}   any email, a profile; demo applicant: directrice@ehpad-demo.local
  API (HTTP API emulator)  ${base}/v1   routes from layers/http/routes.ts; docs at ${base}/docs, local endpoints at ${base}/local/
  SES inbox                http://localhost:${sesPort}     emails sent by the platform (JSON: /store)
  DynamoDB Local           ${dynamodb.endpoint}   ${inMemory ? 'in memory' : `data in ${join(dataDir, 'dynamodb')}`}
  S3 (s3rver) + scanner    ${s3.endpoint}/${attachmentsBucket}   attachments, ${inMemory ? 'in a temporary directory' : `data in ${join(dataDir, 's3')}`}; EICAR is flagged
  Campaigns                mes-esms-2023 ${seeded ? '(seeded now)' : '(already there)'}${demo === undefined ? '' : `, demo ${demo ? '(seeded now, intake open today)' : '(already there)'}`}
  Milestone ticker         ${process.env.LOCAL_TICKER === '0' ? 'off' : 'every minute at the simulated clock (GET/PUT /local/clock)'}

Try it:
  TOKEN=$(curl -s -X POST ${base}/local/token -H 'content-type: application/json' \\
    -d '{"sub":"reviewer-naq","email":"instruction@ars-naq.local","groups":["ars-NAQ"]}' | sed -E 's/.*"token":"([^"]+)".*/\\1/')
  curl -s ${base}/v1/campaigns/mes-esms-2023 -H "authorization: Bearer $TOKEN"

Ctrl-C stops everything.
LOCAL_STACK_READY ${JSON.stringify(ready)}`);
}

main().catch(async (error: unknown) => {
  console.error(`\n✖ The local stack could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  await stopAll(1, 'Start-up failed');
});
