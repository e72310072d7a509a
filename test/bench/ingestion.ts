/**
 * Ingestion benchmark: 100,000 usage figures (2,000 pilots × 10 indicators × 5 months) sent through
 * POST /v1/usage-reports (500 reports per call, one call at a time) against DynamoDB Local, and the same
 * month items written by a bare BatchWriteItem loop (25 per call, one call at a time) in the same run: after
 * each API call, the bare loop writes that call's items, so both paths share the machine's ups and downs.
 * The API's time includes everything it does for real: JWT, validation, pilot and campaign checks, the commit
 * that moves the aggregate counters on the versions read (with the write plan), the months put by
 * BatchWriteItem, the plan deleted, and the Idempotency-Key record.
 *
 *   npx tsx test/bench/ingestion.ts            (starts its own in-memory local stack)
 *   benchIngestion({ stack })                  (from test/bench/run.ts, against a stack already running)
 */
import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { StackInfo } from '../../infra/local/spawn';

export interface IngestionOptions {
  /** A running local stack; without it one is started (in memory) and stopped at the end. */
  readonly stack?: StackInfo;
  readonly pilots?: number;
  readonly months?: number;
  readonly reportsPerCall?: number;
  readonly log?: (line: string) => void;
}

export interface IngestionResult {
  readonly rows: { name: string; value: string }[];
  readonly apiFiguresPerSecond: number;
  readonly bareFiguresPerSecond: number;
  readonly ratio: number;
}

const INDICATORS = [
  'docs_dmp.80788-3',
  'docs_dmp.74207-2',
  'docs_dmp.88348-8',
  'docs_dmp.83981-1',
  'mss.usagers',
  'mss.professionnels',
  'bal.nominatives',
  'bal.organisationnelles',
  'mes.activations_accompagnees',
  'ins.qualifiees',
];
const DEPARTMENTS = ['33', '64', '87', '31', '34', '75', '92', '69', '13', '59', '67', '35', '44', '21', '45', '76', '14', '80', '54', '25'];
const ALL_MONTHS = ['2024-03', '2024-04', '2024-05', '2024-06', '2024-07', '2024-08', '2024-09'];
/** Within mes-esms-2023's reporting window: every month above has begun, reporting closes on 31 October 2024. */
const CLOCK = '2024-09-20T10:00:00+02:00';
const BARE_BATCH = 25;

const fmt = (value: number, digits = 0): string => value.toLocaleString('fr-FR', { maximumFractionDigits: digits, minimumFractionDigits: digits }).replace(/\u202f/g, ' ');

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function call(apiUrl: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: any }> {
  const response = await fetch(`${apiUrl}${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

export async function benchIngestion(options: IngestionOptions = {}): Promise<IngestionResult> {
  const log = options.log ?? ((line: string) => console.error(line));
  const pilotCount = options.pilots ?? 2_000;
  const months = ALL_MONTHS.slice(0, options.months ?? 5);
  const perCall = options.reportsPerCall ?? 500;

  let stop: (() => Promise<void>) | undefined;
  let restoreClock: (() => Promise<void>) | undefined;
  let stack = options.stack;
  if (!stack) {
    const { spawnLocalStack } = await import('../../infra/local/spawn');
    log('starting an in-memory local stack…');
    const running = await spawnLocalStack({ LOCAL_TABLE_PREFIX: 'mes-pilotes-bench' });
    stack = running.info;
    stop = () => running.stop();
  }
  try {
    // The item builders are the ones the functions use (they read the table name at import).
    Object.assign(process.env, { TABLE_NAME: stack.tableName, AWS_REGION: process.env.AWS_REGION ?? 'eu-west-3', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' });
    const { pilotItem } = await import('../../layers/adapters/pilot-item');
    const { usageMonthItem } = await import('../../layers/adapters/usage-repository');
    const { clientGrantItem } = await import('../../layers/adapters/pilot-repository');
    const { withCheckKey, checkFiness } = await import('../../layers/domain/finess');
    const { defaultCampaign } = await import('../../layers/domain/default-campaign');

    const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: stack.dynamodbEndpoint, region: 'eu-west-3', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }), {
      marshallOptions: { removeUndefinedValues: true },
    });
    const tokenFor = async (claims: Record<string, unknown>) => (await call(stack!.apiUrl, 'POST', '/local/token', claims)).json.token as string;

    async function bareWrite(items: Record<string, unknown>[]): Promise<number> {
      let calls = 0;
      for (let start = 0; start < items.length; start += BARE_BATCH) {
        let pending = items.slice(start, start + BARE_BATCH).map((Item) => ({ PutRequest: { Item } }));
        for (let attempt = 0; pending.length > 0; attempt += 1) {
          if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
          const result = await dynamo.send(new BatchWriteCommand({ RequestItems: { [stack!.tableName]: pending } }));
          calls += 1;
          pending = (result.UnprocessedItems?.[stack!.tableName] ?? []) as typeof pending;
        }
      }
      return calls;
    }

    // Two campaigns whose ids have the same length: the API writes into one, the bare loop the same items into the other.
    const stamp = randomBytes(3).toString('hex');
    const apiCampaign = `bench-api-${stamp}`;
    const bareCampaign = `bench-raw-${stamp}`;
    // A client that can exist: one of the local stack's DUI vendors (infra/lib/dui-vendors.ts); its grants are per pilot.
    const clientId = 'dui-local-a';
    // A stack lent by run.ts gets its clock back at the end.
    const clockBefore = (await call(stack.apiUrl, 'GET', '/local/clock')).json as { now: string; simulated: boolean };
    restoreClock = () => call(stack!.apiUrl, 'PUT', '/local/clock', { now: clockBefore.simulated ? clockBefore.now : null }).then(() => undefined);
    await call(stack.apiUrl, 'PUT', '/local/clock', { now: CLOCK });
    const national = await tokenFor({ sub: 'bench-national', groups: ['national'] });
    const { indicators: _indicators, targets: _targets, id: _id, title: _title, ...calendar } = defaultCampaign;
    const created = await call(stack.apiUrl, 'POST', '/v1/campaigns', { id: apiCampaign, title: 'Banc de mesure des remontées', ...calendar, targets: { 'mss.usagers': 20 } }, { authorization: `Bearer ${national}` });
    if (created.status !== 201) throw new Error(`bench campaign: ${created.status} ${JSON.stringify(created.json)}`);

    // Pilots: written directly (the signature flow is what the integration tests cover), spread over 20 départements.
    const warmupCount = 1_000;
    const finesses = Array.from({ length: pilotCount + warmupCount }, (_, index) =>
      withCheckKey(`${DEPARTMENTS[index % DEPARTMENTS.length]}${String(100_000 + Math.floor(index / DEPARTMENTS.length) + Number.parseInt(stamp, 16) % 800_000).padStart(6, '0')}`),
    );
    const arsOf = new Map(
      finesses.map((finess) => {
        const check = checkFiness(finess);
        if (!check.ok) throw new Error(`bench FINESS ${finess}: ${check.message}`);
        return [finess, check.ars] as const;
      }),
    );
    const pilots = finesses.map((finess, index) =>
      pilotItem({
        finess,
        campaignId: apiCampaign,
        applicationId: `MES-BENCH${String(index).padStart(5, '0')}`,
        conventionId: `CNV-BENCH${String(index).padStart(5, '0')}`,
        ars: arsOf.get(finess)!,
        name: `Structure ${index + 1}`,
        amountEur: 20_000,
        firstInstalmentEur: 10_000,
        signedAt: '2024-02-01T10:00:00+01:00',
        reportingClients: [clientId],
      }),
    );
    // …and the bench client registered for each of them, as POST /v1/campaigns/{campaignId}/pilots/{finess}/reporting-clients does.
    const grants = finesses.map((finess) => clientGrantItem({ finess, campaignId: apiCampaign, ars: arsOf.get(finess)! }, clientId, 'national:bench', CLOCK));
    await bareWrite([...pilots, ...grants]);
    const client = await tokenFor({ sub: clientId, clientId, scope: 'usage/write' });

    const reportOf = (finess: string, month: string) => ({ finess, month, indicators: Object.fromEntries(INDICATORS.map((code, index) => [code, (finess.charCodeAt(index % 9) * 7 + index * 13 + month.charCodeAt(6)) % 500])) });
    // Month by month, as DUI software pushes its clients' figures at the start of each month.
    const measured = months.flatMap((month) => finesses.slice(0, pilotCount).map((finess) => reportOf(finess, month)));
    const warmup = months.flatMap((month) => finesses.slice(pilotCount).map((finess) => reportOf(finess, month)));
    const calls: (typeof measured)[] = [];
    for (let start = 0; start < measured.length; start += perCall) calls.push(measured.slice(start, start + perCall));
    const bodyBytes = Buffer.byteLength(JSON.stringify({ campaignId: apiCampaign, reports: calls[0] }));
    const figures = measured.length * INDICATORS.length;

    const send = async (reports: typeof measured, key: string) => {
      const response = await call(stack!.apiUrl, 'POST', '/v1/usage-reports', { campaignId: apiCampaign, reports }, { authorization: `Bearer ${client}`, 'idempotency-key': key });
      if (response.status !== 200 || response.json.refused !== 0) throw new Error(`usage-reports: ${response.status} ${JSON.stringify(response.json).slice(0, 500)}`);
    };

    // The same items the API writes (version 1, reported by the client at the simulated now), in the other campaign.
    const bareItemOf = (report: (typeof measured)[number]) =>
      usageMonthItem({
        finess: report.finess,
        campaignId: bareCampaign,
        ars: arsOf.get(report.finess)!,
        month: report.month,
        indicators: report.indicators,
        version: 1,
        reportedAt: CLOCK,
        reportedBy: `client:${clientId}`,
        createdAt: CLOCK,
      });

    // Warm-up: both paths run a while first (the JIT of this process, of the handlers and of DynamoDB Local).
    log(`warming up (${warmup.length} reports through the API, the same number of items by the bare loop)…`);
    for (let start = 0; start < warmup.length; start += perCall) await send(warmup.slice(start, start + perCall), `bench-warmup-${stamp}-${start}`);
    await bareWrite(warmup.map((report) => ({ ...bareItemOf(report), sk: `USAGE#${bareCampaign}W#${report.month}` })));

    // Measured: each API call is followed by the bare loop writing the same 500 items, so that both see the
    // same machine (other processes, DynamoDB Local's own pauses); the times are summed per path.
    log(`measuring: ${measured.length} reports (${figures} figures) in ${calls.length} API calls of ${perCall}, each followed by the same items through the bare loop…`);
    const latencies: number[] = [];
    let apiSeconds = 0;
    let bareSeconds = 0;
    let bareCalls = 0;
    for (const [index, reports] of calls.entries()) {
      const apiStart = performance.now();
      await send(reports, `bench-${stamp}-${index}`);
      const apiMs = performance.now() - apiStart;
      latencies.push(apiMs);
      apiSeconds += apiMs / 1000;
      const items = reports.map(bareItemOf);
      const bareStart = performance.now();
      bareCalls += await bareWrite(items);
      bareSeconds += (performance.now() - bareStart) / 1000;
    }

    // The counters moved with the figures: every (pilot, month) counted once.
    const counters = await dynamo.send(
      new QueryCommand({
        TableName: stack.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': `CAMPAIGN#${apiCampaign}`, ':prefix': 'USAGESUM#' },
        ConsistentRead: true,
      }),
    );
    const counted = (counters.Items ?? []).reduce((sum, item) => sum + Number(item.pilots ?? 0), 0);
    if (counted !== measured.length + warmup.length) throw new Error(`counters say ${counted} pilot-months, expected ${measured.length + warmup.length}`);

    const apiRate = figures / apiSeconds;
    const bareRate = figures / bareSeconds;
    const ratio = apiRate / bareRate;
    const rows = [
      { name: 'Ingestion: figures written', value: `${fmt(figures)} (${fmt(pilotCount)} pilots × ${INDICATORS.length} indicators × ${months.length} months = ${fmt(measured.length)} month items)` },
      { name: 'Ingestion: API POST /v1/usage-reports', value: `${fmt(apiRate)} figures/s (${fmt(apiSeconds, 2)} s, ${calls.length} calls of ${perCall} reports, ${fmt(bodyBytes / 1024, 0)} KiB each)` },
      { name: 'Ingestion: API call latency p50 / max', value: `${fmt(percentile(latencies, 50))} ms / ${fmt(Math.max(...latencies))} ms` },
      { name: 'Ingestion: bare BatchWriteItem loop', value: `${fmt(bareRate)} figures/s (${fmt(bareSeconds, 2)} s, ${fmt(bareCalls)} calls of ${BARE_BATCH} items, the same items)` },
      { name: 'Ingestion: API / bare loop', value: `${fmt(ratio, 2)} (target ≥ 0,8: ${ratio >= 0.8 ? 'reached' : 'not reached'})` },
    ];
    return { rows, apiFiguresPerSecond: apiRate, bareFiguresPerSecond: bareRate, ratio };
  } finally {
    await restoreClock?.().catch(() => undefined);
    await stop?.();
  }
}

if (require.main === module) {
  benchIngestion()
    .then(({ rows }) => {
      const width = Math.max(...rows.map((row) => row.name.length));
      for (const row of rows) console.log(`${row.name.padEnd(width)}  ${row.value}`);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
