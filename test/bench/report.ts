/** The markdown of bench/results.md: one section per measure, figures as measured. */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem, type as osType, release } from 'node:os';
import { latencyOf, WARMUP, type Capacity, type Latency } from './analysis';
import { EMPTY, FLOOR, floorRatio, otherSdk, production, sameVariant, variantName, type BundleMeasure } from './bundles';
import { campaignVolumes, prices, type campaignBill } from './cost';
import type { LoadResult } from './load';
import { section, table } from './markdown';
import type { BareReplay } from './replay';
import { mainOperations, operations, type Operation, type ScenarioResult } from './scenario';
import { fixed, median } from './stats';

/** Who ran the bench, where and when: the head of bench/results.md. */
export function machine(root: string, settings: string): string {
  const list = cpus();
  const model = list[0]?.model.trim() ?? 'unknown CPU';
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }).toString().trim();
  } catch {
    // not a git checkout
  }
  return [
    `- Date: ${new Date().toISOString()}`,
    `- Node.js ${process.version} (Lambda runs Node.js 24 on arm64: absolute times differ, ratios travel better)`,
    `- Machine: ${list.length} × ${model}, ${(totalmem() / 1024 ** 3).toFixed(1)} GiB, ${osType()} ${release()}`,
    `- Load average at start: ${loadavg().map((value) => value.toFixed(2)).join(', ')}`,
    `- Commit: ${commit} (working tree as it was)`,
    `- Settings: ${settings}`,
  ].join('\n');
}

export function bundleTables(measures: BundleMeasure[], representative: string): string {
  const emptyOf = (variant: BundleMeasure['variant']) => measures.find((m) => m.fn === EMPTY && sameVariant(m.variant, variant));
  const floorOf = (variant: BundleMeasure['variant']) => measures.find((m) => m.fn === FLOOR && sameVariant(m.variant, variant));
  const row = (m: BundleMeasure, label = m.fn) => {
    const empty = emptyOf(m.variant);
    const floor = floorOf(m.variant);
    return [
      label,
      `${(m.bytes / 1024).toFixed(0)}`,
      `${(m.mapBytes / 1024).toFixed(0)}`,
      `${(m.packageBytes / 1024).toFixed(0)}`,
      fixed(m.importMs),
      empty ? `${fixed(m.importMs / empty.importMs, 0)}×` : '–',
      fixed(m.importCpuMs),
      empty ? `${fixed(m.importCpuMs / empty.importCpuMs, 0)}×` : '–',
      fixed(m.leastImportCpuMs),
      floor ? `${fixed(floorRatio(m, floor), 2)}×` : '–',
      fixed(m.processMs),
    ];
  };
  const header = ['function', 'bundle KiB', 'map KiB', 'package KiB (gzip)', 'import ms', '× empty', 'import CPU ms', '× empty', 'least import CPU ms', 'least CPU × bare SDK floor (target ≤ 1.6)', 'start + import ms'];
  const bundled = { ...production, sdk: 'bundled' as const };
  const external = { ...production, sdk: 'external' as const };
  const ofVariant = (variant: BundleMeasure['variant']) => measures.filter((m) => sameVariant(m.variant, variant));
  const functionsOnly = (variant: BundleMeasure['variant']) => ofVariant(variant).filter((m) => m.fn !== EMPTY && m.fn !== FLOOR);
  const typical = (variant: BundleMeasure['variant'], pick: (m: BundleMeasure) => number) => median(functionsOnly(variant).map(pick));
  const change = (from: number, to: number, digits = 0) => `${fixed(from, digits)} → ${fixed(to, digits)} (${to >= from ? '+' : ''}${fixed(((to - from) / from) * 100, 0)} %)`;
  const ofRepresentative = (variant: BundleMeasure['variant']) => measures.find((m) => m.fn === representative && sameVariant(m.variant, variant));
  const compare = (question: string, a: BundleMeasure['variant'], b: BundleMeasure['variant']) => {
    const [x, y] = [ofRepresentative(a), ofRepresentative(b)];
    if (!x || !y) return [question, '–', '–', '–', '–'];
    return [question, `${variantName(a)} → ${variantName(b)}`, change(x.importMs, y.importMs), change(x.importCpuMs, y.importCpuMs), change(x.packageBytes / 1024, y.packageBytes / 1024)];
  };
  const decisions = table(
    ['question', 'from → to', 'import ms', 'import CPU ms', 'package KiB'],
    [
      [
        'AWS SDK (median over the functions)',
        `${variantName(external)} → ${variantName(bundled)}`,
        change(typical(external, (m) => m.importMs), typical(bundled, (m) => m.importMs)),
        change(typical(external, (m) => m.importCpuMs), typical(bundled, (m) => m.importCpuMs)),
        change(typical(external, (m) => m.packageBytes / 1024), typical(bundled, (m) => m.packageBytes / 1024)),
      ],
      compare(`AWS SDK (\`${representative}\`)`, external, bundled),
      compare('Minify, SDK bundled', { ...bundled, minify: false }, bundled),
      compare('Minify, SDK external', { ...external, minify: false }, external),
      compare('Source maps (with --enable-source-maps), SDK bundled', { ...bundled, sourcemap: false }, bundled),
      compare('Source maps (with --enable-source-maps), SDK external', { ...external, sourcemap: false }, external),
    ],
  );
  const variants = measures.filter((m) => m.fn === representative).map((m) => row(m, variantName(m.variant)));
  const empties = measures.filter((m) => m.fn === EMPTY || m.fn === FLOOR).map((m) => row(m, `${m.fn}, ${variantName(m.variant)}`));
  return [
    section(`Bundles and cold init — as deployed (${variantName(production)})`, table(header, functionsOnly(production).map((m) => row(m)))),
    section(`Bundles and cold init — ${variantName(otherSdk)}`, table(header, functionsOnly(otherSdk).map((m) => row(m)))),
    section(`Every variant of \`${representative}\``, table(['variant', ...header.slice(1)], variants)),
    section('The baselines: the empty handler ("× empty") and the bare SDK floor (DynamoDB client and document client, a one-line handler)', table(['variant', ...header.slice(1)], empties)),
    section('Bundling decisions, measured', decisions, 'Each row changes one setting; medians of fresh-process imports in this run. On a busy machine the wall clock wanders; the CPU time of the import is the steadier of the two.'),
  ].join('\n\n');
}

export function latencyTable(http: Map<Operation, number[]>, bare: BareReplay, scenario: ScenarioResult): string {
  const rows = Object.values(operations)
    .filter((operation) => operation !== operations.notify)
    .map((operation) => {
      const viaHttp = latencyOf(http.get(operation));
      const raw = latencyOf(bare.samples.get(operation));
      const skipped = scenario.skipped.find((entry) => entry.operation === operation);
      if (!viaHttp || !raw) return [operation, skipped ? `skipped: ${skipped.reason.slice(0, 120)}` : 'no samples', '', '', '', '', '', ''];
      const ratio = (a: Latency, b: Latency, pick: (l: Latency) => number) => `${fixed(pick(a) / pick(b))}×`;
      return [mainOperations.includes(operation) ? `**${operation}**` : operation, fixed(viaHttp.median), fixed(viaHttp.p99), fixed(raw.median), fixed(raw.p99), ratio(viaHttp, raw, (l) => l.median), ratio(viaHttp, raw, (l) => l.p99), String(viaHttp.samples)];
    });
  return section(
    'Request overhead — through the local HTTP emulator vs the same DynamoDB calls made bare',
    table(['operation', 'HTTP median ms', 'HTTP p99 ms', 'bare median ms', 'bare p99 ms', '× median', '× p99', 'samples'], rows),
    `One client, one request at a time. "Bare" replays the low-level requests the handlers sent (captured in process) with one SDK client against a fresh table of the same DynamoDB Local, in the same order, each operation's calls right after its HTTP request. Submit and the completing signature also send email through the SES emulator, which the bare figure leaves out. The first ${WARMUP} calls of each operation are warm-up. Replay mismatches: ${bare.mismatches}.`,
  );
}

export function capacityTable(capacity: Map<Operation, Capacity>, count: number): string {
  const rows = [...capacity.entries()].map(([operation, c]) => [
    mainOperations.includes(operation) ? `**${operation}**` : operation,
    c.requests,
    fixed(c.rcu, 2),
    fixed(c.wcu, 1),
    fixed(c.floorRcu, 2),
    fixed(c.floorWcu, 1),
    c.emails > 0 ? `${fixed(c.emails, 1)} / ${fixed(c.emailWcu, 1)}` : '–',
    fixed(c.wcuReported, 1),
  ]);
  return section(
    'Consumed capacity per operation (ReturnConsumedCapacity), beside the floor the data design allows',
    table(['operation', 'DynamoDB requests', 'RCU', 'WCU', 'floor RCU', 'floor WCU', 'emails / their WCU', 'WCU as DynamoDB Local reports'], rows),
    [
      `Averages over the first calls of each operation; "notify a region" is per application notified (${count} in one request).`,
      'RCU: as DynamoDB Local reports them (it follows AWS for reads). WCU: AWS rules applied to the item images before and after each write (1 KiB units, ×2 on the table inside a transaction, each index entry put, updated or deleted at 1×); DynamoDB Local\'s own transactional figures are not AWS\'s (one to three small items all report 4), shown last for the record.',
      'Floor: each item the operation leaves changed, written once (in a transaction where it used one) with its index entries; each item it read, read once, eventually consistent. Emails: ledger items written per call and the WCU they cost (queued in the transaction, claimed, marked sent).',
    ].join(' '),
  );
}

export function loadTable(load: LoadResult | Error): string {
  if (load instanceof Error) return section('Load', `Not run: ${load.message}`);
  const codes = Object.entries(load.statusCodes).map(([code, count]) => `${code}: ${count}`).join(', ');
  return section(
    `Load — ${load.connections} concurrent clients for ${load.seconds} s against the local stack (loopback)`,
    table(
      ['clients', 'seconds', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'errors', 'timeouts', 'non-2xx'],
      [[String(load.connections), fixed(load.seconds, 0), String(load.requests), fixed(load.perSecond, 0), fixed(load.p50, 0), fixed(load.p99, 0), fixed(load.max, 0), String(load.errors), String(load.timeouts), String(load.non2xx)]],
    ),
    `Each client loops over: create an application (a new FINESS each time), read it back, read the campaign, list 20 applications as national staff. Status codes: ${codes}. ${load.errors + load.timeouts + load.non2xx === 0 ? 'Zero errors.' : '**Errors: see the counts.**'} (API Gateway throttles the deployed stage at 50 req/s, burst 100: infra/lib/api-stack.ts.)`,
  );
}

export function costTable(bill: ReturnType<typeof campaignBill>): string {
  const v = campaignVolumes;
  const rows = bill.lines.map((line) => [line.component, line.quantity, `$${line.usd.toFixed(2)}`, line.basis]);
  rows.push(['**Total**', '', `**$${bill.total.toFixed(2)}**`, '']);
  return section(
    `Cost model — one national campaign (${v.applications.toLocaleString('en')} applications, ${v.pilots.toLocaleString('en')} pilots, ${v.reportMonths} months of reports)`,
    table(['component', 'quantity', 'USD', 'basis'], rows),
    `List prices (test/bench/cost.ts): DynamoDB on-demand $${(prices.dynamoWriteUnit * 1e6).toFixed(3)}/M WRU, $${(prices.dynamoReadUnit * 1e6).toFixed(3)}/M RRU; Lambda arm64 $${prices.lambdaArmGbSecond}/GB-s + $0.20/M; HTTP API $1.00/M; SES $0.10/1,000. Volumes and the estimated lines are assumptions listed in the README.${bill.missing.length > 0 ? ` Not measured in this run, left out: ${bill.missing.join(', ')}.` : ''}`,
  );
}
