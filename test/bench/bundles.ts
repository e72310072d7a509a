import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { lazyModulesFor } from '../../infra/lib/function-config';
import { esmRequireBanner } from '../../infra/lib/house-function';
import { functionNames } from '../../layers/http/routes';
import { median } from './stats';

const run = promisify(execFile);

/**
 * The functions as Lambda gets them: esbuild with the options of infra/lib/house-function.ts (keep the two
 * in step), in variants, then imported in fresh Node processes to time the cold init.
 */
export interface Variant {
  readonly sdk: 'external' | 'bundled';
  readonly minify: boolean;
  readonly sourcemap: boolean;
}

/** What infra/lib/house-function.ts deploys today. */
// What infra/lib/house-function.ts deploys (bundleAwsSDK: true, minify, source maps).
export const production: Variant = { sdk: 'bundled', minify: true, sourcemap: true };
/** Production with the other choice of AWS SDK (the runtime's or bundled), measured for every function too. */
export const otherSdk: Variant = { ...production, sdk: production.sdk === 'bundled' ? 'external' : 'bundled' };

export const variantName = (variant: Variant): string =>
  `SDK ${variant.sdk}, ${variant.minify ? 'minified' : 'not minified'}, ${variant.sourcemap ? 'source maps' : 'no source maps'}`;

const variantDir = (variant: Variant): string => `${variant.sdk}-${variant.minify ? 'min' : 'full'}-${variant.sourcemap ? 'map' : 'nomap'}`;

/**
 * Fresh processes per bundle (BENCH_COLD_RUNS, 15): a process now and then takes a third longer (the machine's
 * other work), and with 7 such a tail moved a function's median ratio by ±0.15; 15 keep it within a few hundredths.
 */
export const coldRuns = Number(process.env.BENCH_COLD_RUNS ?? 15);

export const EMPTY = 'empty handler';
/** The DynamoDB client and document client with a one-line handler (test/bench/sdk-floor-handler.ts). */
export const FLOOR = 'bare SDK floor';

export interface BundleMeasure {
  readonly fn: string;
  readonly variant: Variant;
  /** index.mjs */
  readonly bytes: number;
  readonly mapBytes: number;
  /** The deployment package, compressed (gzip of code and map, close to Lambda's zip). */
  readonly packageBytes: number;
  /** Median time to import the bundle in a fresh process (wall clock). */
  readonly importMs: number;
  /** Median CPU time of that import: steadier than the wall clock when other work shares the machine. */
  readonly importCpuMs: number;
  /** The least CPU time of that import over the runs: the machine's other work only ever adds to it. */
  readonly leastImportCpuMs: number;
  /** Median time from process start to the end of that import (what a Lambda init also pays for Node itself). */
  readonly processMs: number;
}

/** Lambda's runtime is Node.js 24 (infra/lib/house-function.ts houseRuntime); CDK targets that version. */
const TARGET = 'node24';

/**
 * Every function: each of the route table's functionNames (a missing handler is an error, not a silent gap)
 * and any other `functions/<name>/handler.ts` (the milestones and pre-token triggers).
 */
export function functionEntries(root: string): { fn: string; entry: string }[] {
  const functionsDir = join(root, 'functions');
  const onDisk = readdirSync(functionsDir).filter((name) => existsSync(join(functionsDir, name, 'handler.ts')));
  const missing = functionNames.filter((fn) => !onDisk.includes(fn));
  if (missing.length > 0) throw new Error(`functionNames in layers/http/routes.ts without functions/<name>/handler.ts: ${missing.join(', ')}`);
  return [...new Set<string>([...functionNames, ...onDisk])].sort().map((fn) => ({ fn, entry: join(functionsDir, fn, 'handler.ts') }));
}

/**
 * A function's lazy modules (infra/lib/function-config.ts lazyModulesFor) stay out of its index.mjs, as
 * house-function.ts deploys them (bundled apart under node_modules/, loaded by `await import()` on the request
 * that needs them); here they resolve from the repository's node_modules, and no import ever reaches them.
 */
async function bundle(entry: string, outDir: string, variant: Variant, lazyModules: readonly string[] = []): Promise<{ file: string; bytes: number; mapBytes: number; packageBytes: number }> {
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, 'index.mjs');
  await build({
    entryPoints: [entry],
    outfile: file,
    bundle: true,
    platform: 'node',
    target: TARGET,
    format: 'esm',
    mainFields: ['module', 'main'],
    banner: { js: esmRequireBanner },
    minify: variant.minify,
    sourcemap: variant.sourcemap,
    sourcesContent: false,
    external: [...(variant.sdk === 'external' ? ['@aws-sdk/*'] : []), ...lazyModules],
    logLevel: 'error',
  });
  const code = readFileSync(file);
  const map = variant.sourcemap ? readFileSync(`${file}.map`) : Buffer.alloc(0);
  return { file, bytes: code.byteLength, mapBytes: map.byteLength, packageBytes: gzipSync(Buffer.concat([code, map])).byteLength };
}

/** What every handler reads at import (infra/lib/house-function.ts sets the same in AWS). */
const importEnvironment = {
  TABLE_NAME: 'mes-pilotes-bench-Main',
  DEPLOYMENT_ARS: 'national',
  MAIL_FROM: 'ne-pas-repondre@mes-pilotes.local',
  // The campaigns function's scheduler and the usage function's vendors, as in AWS (layers/adapters/scheduler.ts, config.ts).
  SCHEDULE_GROUP_NAME: 'mes-pilotes-national-milestones',
  MILESTONE_FUNCTION_ARN: 'arn:aws:lambda:eu-west-3:123456789012:function:milestones',
  SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/scheduler',
  SCHEDULER_DLQ_ARN: 'arn:aws:sqs:eu-west-3:123456789012:milestones-dead-letters',
  DUI_CLIENT_IDS: 'dui-local-a,dui-local-b',
  // The attachments function's bucket (layers/adapters/attachment-store.ts).
  ATTACHMENTS_BUCKET: 'mes-pilotes-bench-attachments',
  AWS_REGION: 'eu-west-3',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  LOG_LEVEL: 'warn',
};

interface ImportTimes {
  importMs: number;
  importCpuMs: number;
  processMs: number;
}

async function importOnce(file: string, sourcemap: boolean): Promise<ImportTimes> {
  const script = [
    'const c=process.cpuUsage(); const t=process.hrtime.bigint();',
    `await import(${JSON.stringify(pathToFileURL(file).href)});`,
    'const importMs=Number(process.hrtime.bigint()-t)/1e6; const u=process.cpuUsage(c);',
    'console.log(JSON.stringify({ importMs, importCpuMs: (u.user+u.system)/1000, processMs: performance.now() }))',
  ].join(' ');
  // Production sets NODE_OPTIONS=--enable-source-maps; without a map the flag costs nothing, so it follows the variant.
  const flags = [...(sourcemap ? ['--enable-source-maps'] : []), '--no-warnings', '--input-type=module', '-e', script];
  const { stdout } = await run(process.execPath, flags, { env: { PATH: process.env.PATH ?? '', ...importEnvironment } });
  return JSON.parse(stdout.trim().split('\n').pop()!) as ImportTimes;
}

export interface BundleBenchOptions {
  readonly root: string;
  readonly outDir: string;
  /** Fresh processes per bundle (the median is kept). */
  readonly runs: number;
  /** The function whose every variant is measured (all functions get production and production with the other SDK). */
  readonly representative: string;
  /** Only the deployed variant, the empty handler and the floor (`npm run bench:cold`): the ratios, faster. */
  readonly productionOnly?: boolean;
}

const allVariants: Variant[] = (['external', 'bundled'] as const).flatMap((sdk) =>
  [true, false].flatMap((minify) => [true, false].map((sourcemap) => ({ sdk, minify, sourcemap }))),
);

export async function benchBundles(options: BundleBenchOptions): Promise<BundleMeasure[]> {
  const entries = [
    ...functionEntries(options.root),
    { fn: EMPTY, entry: join(options.root, 'test', 'bench', 'empty-handler.ts') },
    { fn: FLOOR, entry: join(options.root, 'test', 'bench', 'sdk-floor-handler.ts') },
  ];
  const targets: { fn: string; variant: Variant; file: string; bytes: number; mapBytes: number; packageBytes: number }[] = [];
  for (const { fn, entry } of entries) {
    const everyVariant = !options.productionOnly && (fn === options.representative || fn === EMPTY);
    const variants = everyVariant ? allVariants : fn === FLOOR || options.productionOnly ? [production] : [production, otherSdk];
    for (const variant of variants) {
      const built = await bundle(entry, join(options.outDir, fn.replace(/\W+/g, '-'), variantDir(variant)), variant, fn === EMPTY || fn === FLOOR ? [] : lazyModulesFor(fn));
      targets.push({ fn, variant, ...built });
    }
  }
  // Round-robin over the bundles, so that a slow moment of the machine hits every bundle alike. The empty
  // handler, the denominator of every ratio, is cheap: it gets three imports per round.
  const samples = targets.map(() => ({ importMs: [] as number[], importCpuMs: [] as number[], processMs: [] as number[] }));
  for (let round = 0; round < options.runs; round += 1) {
    for (const [index, target] of targets.entries()) {
      for (let repeat = 0; repeat < (target.fn === EMPTY ? 3 : 1); repeat += 1) {
        const measured = await importOnce(target.file, target.variant.sourcemap);
        samples[index]!.importMs.push(measured.importMs);
        samples[index]!.importCpuMs.push(measured.importCpuMs);
        samples[index]!.processMs.push(measured.processMs);
      }
    }
  }
  return targets.map((target, index) => ({
    fn: target.fn,
    variant: target.variant,
    bytes: target.bytes,
    mapBytes: target.mapBytes,
    packageBytes: target.packageBytes,
    importMs: median(samples[index]!.importMs),
    importCpuMs: median(samples[index]!.importCpuMs),
    leastImportCpuMs: Math.min(...samples[index]!.importCpuMs),
    processMs: median(samples[index]!.processMs),
  }));
}

/**
 * A function's import CPU against the bare SDK floor's (the target is 1.6 at most): the least of each, as
 * the code's own cost. Measured here, on a shared machine, the medians of two bundles of the same size and code
 * differed by up to 0.3 from one run to the next; the least moved by under 0.1.
 */
export const floorRatio = (m: BundleMeasure, floor: BundleMeasure): number => m.leastImportCpuMs / floor.leastImportCpuMs;

export const sameVariant = (a: Variant, b: Variant): boolean => a.sdk === b.sdk && a.minify === b.minify && a.sourcemap === b.sourcemap;

