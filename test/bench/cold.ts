/**
 * `npm run bench:cold`: only the cold-start section of `npm run bench` — every function bundled as deployed,
 * imported in fresh processes beside the empty handler and the bare SDK floor, and each one's import CPU as
 * a ratio to that floor (target ≤ 1.6; see bundles.ts floorRatio). Prints the table; bench/results.md is left to the whole bench.
 *
 * Environment: BENCH_COLD_RUNS (15).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { benchBundles, coldRuns as runs, EMPTY, FLOOR, floorRatio, production, sameVariant } from './bundles';
import { table } from './markdown';
import { fixed } from './stats';

const root = resolve(__dirname, '..', '..');
const outDir = join(root, 'bench', 'tmp', 'cold');
const TARGET = 1.6;

async function main(): Promise<void> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  process.stderr.write(`bench: bundling every function and timing cold init (${runs} fresh processes each)…\n`);
  const measures = (await benchBundles({ root, outDir, runs, representative: 'applications', productionOnly: true })).filter((m) => sameVariant(m.variant, production));
  const floor = measures.find((m) => m.fn === FLOOR)!;
  const rows = measures
    .filter((m) => m.fn !== EMPTY)
    .map((m) => {
      const ratio = floorRatio(m, floor);
      return [m.fn, `${(m.bytes / 1024).toFixed(0)}`, `${(m.packageBytes / 1024).toFixed(0)}`, fixed(m.importMs), fixed(m.importCpuMs), fixed(m.leastImportCpuMs), `${fixed(ratio, 2)}×`, m.fn === FLOOR ? '' : ratio <= TARGET ? 'yes' : '**no**'];
    });
  console.log(table(['function', 'bundle KiB', 'package KiB (gzip)', 'import ms (median)', 'import CPU ms (median)', 'import CPU ms (least)', 'least CPU × bare SDK floor', `≤ ${TARGET}`], rows));
  const over = measures.filter((m) => m.fn !== EMPTY && m.fn !== FLOOR && floorRatio(m, floor) > TARGET).map((m) => m.fn);
  process.stderr.write(over.length > 0 ? `bench: over ${TARGET}× the floor: ${over.join(', ')}\n` : `bench: every function within ${TARGET}× the floor\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`\n✖ bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
