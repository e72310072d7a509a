/**
 * `npm run bench`: bundle sizes and cold init, request overhead against the bare DynamoDB calls, consumed
 * capacity, a bounded load, the ingestion benchmark when present, the web app in Chromium, and the campaign's bill. Prints the tables
 * and writes them to bench/results.md. Nothing here asserts: the figures are for people to read.
 *
 * Environment: BENCH_APPLICATIONS (120), BENCH_COLD_RUNS (15), BENCH_LOAD_CONNECTIONS (50), BENCH_LOAD_SECONDS (30).
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnLocalStack, type RunningStack } from '../integration/support/spawn';
import { capacityOf, latencyOf, type Capacity } from './analysis';
import { benchBundles, coldRuns, EMPTY, FLOOR, production, sameVariant } from './bundles';
import { campaignBill } from './cost';
import { HttpPlatform } from './http-platform';
import { InProcessPlatform } from './in-process';
import { runLoad } from './load';
import { section, table } from './markdown';
import { BareReplay } from './replay';
import { bundleTables, capacityTable, costTable, latencyTable, loadTable, machine } from './report';
import { operations, runScenario, type Operation } from './scenario';
import { median } from './stats';

const root = resolve(__dirname, '..', '..');
const tmp = join(root, 'bench', 'tmp');
const settings = {
  applications: Number(process.env.BENCH_APPLICATIONS ?? 120),
  coldRuns,
  loadConnections: Number(process.env.BENCH_LOAD_CONNECTIONS ?? 50),
  loadSeconds: Number(process.env.BENCH_LOAD_SECONDS ?? 30),
};
const REPRESENTATIVE = 'applications';

// The SDK warns once that Node 20 support ends in 2027 (Lambda runs Node 24): keep the console for the figures.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const text = typeof warning === 'string' ? warning : `${warning.name}${warning.message}`;
  if (/NodeVersionSupportWarning|will require node >=22/.test(text) || rest.some((arg) => String(arg).includes('NodeVersionSupportWarning'))) return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

const progress = (message: string): void => void process.stderr.write(`bench: ${message}\n`);

interface IngestionModule {
  benchIngestion(options: { stack: RunningStack['info']; log: (line: string) => void }): Promise<{ rows: { name: string; value: string }[] }>;
}

/** The ingestion benchmark of test/bench/ingestion.ts (written alongside), run against the same stack if it is there. */
async function ingestionSection(stack: RunningStack): Promise<string> {
  const title = 'Ingestion — POST /v1/usage-reports vs a bare BatchWriteItem loop';
  if (!existsSync(join(__dirname, 'ingestion.ts'))) return section(title, 'Skipped: test/bench/ingestion.ts is not there yet.');
  try {
    // A path in a variable: this file still type-checks and runs when that module is absent.
    const modulePath = './ingestion';
    const { benchIngestion } = (await import(modulePath)) as IngestionModule;
    const { rows } = await benchIngestion({ stack: stack.info, log: progress });
    return section(title, table(['figure', 'value'], rows.map((row) => [row.name.replace(/^Ingestion: /, ''), row.value])));
  } catch (error) {
    return section(title, `Failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

type Rows = { rows: { name: string; value: string }[] };

/** A section of figure/value rows, or the reason it could not be measured (the rest of the bench goes on). */
async function rowsSection(title: string, measure: () => Promise<Rows>): Promise<string> {
  try {
    const { rows } = await measure();
    return section(title, table(['figure', 'value'], rows.map((row) => [row.name, row.value])));
  } catch (error) {
    return section(title, `Failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The web app in Chromium (test/bench/web.ts): first-page bytes and time to a usable form against a static page. */
const webSection = (stack: RunningStack) =>
  rowsSection('Web app — bytes of the first page, time to a usable form (Chromium)', async () => (await import('./web')).benchWeb({ stack: stack.info, log: progress }));

/** The ARS console in Chromium with 2,000 files in the region (test/bench/web-console.ts). */
const consoleSection = (stack: RunningStack) =>
  rowsSection('ARS console — 2,000 files in the region, bytes of its first page, time to a usable files list (Chromium)', async () =>
    (await import('./web-console')).benchWebConsole({ stack: stack.info, log: progress }),
  );

async function main(): Promise<void> {
  const started = Date.now();
  const header = machine(root, `${settings.applications} applications, ${settings.coldRuns} fresh processes per bundle, load ${settings.loadConnections} clients × ${settings.loadSeconds} s`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });

  progress(`bundling every function and timing cold init (${settings.coldRuns} fresh processes each)…`);
  const bundles = await benchBundles({ root, outDir: join(tmp, 'bundles'), runs: settings.coldRuns, representative: REPRESENTATIVE });

  progress('starting the local stack (in memory, free ports)…');
  const stack = await spawnLocalStack({ LOCAL_TABLE_PREFIX: 'bench-http', LOCAL_DEMO: '1', LOCAL_WEB_BUILD: '0' });
  const parts: string[] = [];
  try {
    progress(`${settings.applications} applications through the handlers in process, capturing every DynamoDB call…`);
    const inProcess = await InProcessPlatform.start(stack.info, 'bench-inprocess');
    const captured = await runScenario(inProcess, settings.applications);
    const storageBytesPerApplication = (await inProcess.storedBytes()) / settings.applications;

    progress(`the same through HTTP, each call followed by its DynamoDB calls replayed bare (${inProcess.calls.length} in all)…`);
    const bare = await BareReplay.create(inProcess.calls, inProcess.tableName, stack.info.dynamodbEndpoint, 'bench-bare');
    const http = new HttpPlatform(stack.info.apiUrl, (operation, instance) => bare.through(operation, instance));
    const viaHttp = await runScenario(http, settings.applications);
    bare.close();

    const capacity = new Map<Operation, Capacity>();
    for (const operation of Object.values(operations)) {
      const figures = capacityOf(inProcess.calls, operation, operation === operations.notify ? settings.applications : 1);
      if (figures) capacity.set(operation, figures);
    }

    progress(`load: ${settings.loadConnections} clients for ${settings.loadSeconds} s…`);
    const load = await runLoad(http, stack.info.apiUrl, settings.loadConnections, settings.loadSeconds).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));

    progress('ingestion benchmark…');
    const ingestion = await ingestionSection(stack);
    progress('web app in Chromium…');
    const web = await webSection(stack);
    progress('ARS console in Chromium (2,000 files)…');
    const consoleFigures = await consoleSection(stack);

    const durationMs = new Map<Operation, number>();
    for (const operation of Object.values(operations)) {
      const samples = http.samples.get(operation);
      if (operation === operations.notify && samples?.length) durationMs.set(operation, samples[0]! / settings.applications);
      else {
        const latency = latencyOf(samples);
        if (latency) durationMs.set(operation, latency.median);
      }
    }
    const submit = capacity.get(operations.submit);
    const deployed = bundles.filter((m) => m.fn !== EMPTY && m.fn !== FLOOR && sameVariant(m.variant, production));
    const bill = campaignBill({
      capacity,
      durationMs,
      ledgerWcuPerEmail: submit && submit.emails > 0 ? submit.emailWcu / submit.emails : 0,
      coldInitMs: median(deployed.map((m) => m.processMs)),
      storageBytesPerApplication,
    });

    const skipped = [...viaHttp.skipped, ...captured.skipped].map((entry) => `- ${entry.operation}: ${entry.reason}`);
    parts.push(
      latencyTable(http.samples, bare, viaHttp),
      capacityTable(capacity, settings.applications),
      loadTable(load),
      ingestion,
      web,
      consoleFigures,
      costTable(bill),
      ...(skipped.length > 0 ? [section('Skipped', [...new Set(skipped)].join('\n'))] : []),
    );
  } finally {
    await stack.stop();
  }

  const report = [`# Benchmarks (\`npm run bench\`)`, `${header}\n- Load average at the end: ${loadavg().map((value) => value.toFixed(2)).join(', ')}`, bundleTables(bundles, REPRESENTATIVE), ...parts, `Whole run: ${((Date.now() - started) / 1000).toFixed(0)} s.`].join('\n\n');
  console.log(report);
  writeFileSync(join(root, 'bench', 'results.md'), `${report}\n`);
  progress('written to bench/results.md');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`\n✖ bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
