/**
 * Targets 1 to 3 (synth cost): a stack with one domain and N object types, N recommenders and N
 * segments written with this library, against the same stack written with the native L1 classes,
 * and against the floor: the library's own provider with bare custom resources (bench/synth-stacks.ts).
 *
 * The library is measured as it ships: the package `npm pack` makes of the compiled library (jsii's
 * lib/ and the handler bundle; `npm run bench` compiles first) is installed under
 * bench/results/node_modules and loaded from there by a worker (the stacks of bench/synth-stacks.ts
 * bundled by esbuild, aws-cdk-lib, constructs and the library external) run by `node`, without
 * ts-node (whose compilation and source-map support would be measured otherwise). Two
 * measurements, both interleaved:
 * - in-process: the three stacks at every N are built and synthesized in turn in one Node process
 *   (after warm-up rounds); every synthesis writes a fresh cloud assembly, so asset fingerprinting
 *   and staging of the handler and of the Provider framework's runtime are paid every time, as in
 *   `cdk synth`. From it: the marginal cost of a resource ((N=100 - N=0) / resources added, target
 *   1) and the fixed cost (N=0 against the floor's N=0, target 2);
 * - whole process: `node app.js` for one synthesis at N=10, library, L1 and floor in turn, which
 *   adds Node's start and the loading of the modules each stack needs (target 3).
 * Also counts the support resources (everything that is not a Customer Profiles resource).
 */
import { execFileSync } from 'child_process';
import { existsSync, mkdirSync, rmSync } from 'fs';
import * as path from 'path';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { buildSync } from 'esbuild';
import { machine, median, ROOT, RESULTS_DIR, writeResult } from './util';

/** The worker bundle: under bench/results, next to the node_modules the library is installed in. */
const WORKER = path.join(RESULTS_DIR, 'synth-worker.js');

export const SYNTH_TARGETS = { perResource: 1.15, fixed: 1.1, wholeProcess: 1.5 } as const;
/** The stack size of the whole-process target. */
export const WHOLE_PROCESS_N = 10;

/** Where the packed library is installed, as a user's node_modules holds it. */
const INSTALLED = path.join(RESULTS_DIR, 'node_modules', '@cdk-customer-profiles', 'constructs');

/**
 * `npm pack` of the compiled library into `packDir`, unpacked into `installed` (what `npm install`
 * would put there); returns the package file's name. bench/experiments/ installs its own copy.
 */
export function installPackedLibrary(packDir: string, installed: string): string {
  if (!existsSync(path.join(ROOT, 'lib', 'index.js'))) {
    throw new Error('lib/ is missing: compile the library first (npx projen compile; npm run bench does)');
  }
  rmSync(packDir, { recursive: true, force: true });
  rmSync(installed, { recursive: true, force: true });
  mkdirSync(packDir, { recursive: true });
  mkdirSync(installed, { recursive: true });
  const out = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--workspaces=false', '--pack-destination', packDir], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [{ filename }] = JSON.parse(out) as { filename: string }[];
  execFileSync('tar', ['-xzf', path.join(packDir, path.basename(filename)), '-C', installed, '--strip-components=1']);
  return filename;
}

/**
 * A worker bundle of `entry`: plain JavaScript for `node`, with aws-cdk-lib, constructs and the
 * library external (loaded from node_modules, as a user's app loads them).
 */
export function bundleWorker(entry: string, outfile: string): void {
  buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    external: ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', '@cdk-customer-profiles/constructs', '@cdk-customer-profiles/constructs/*'],
    logLevel: 'error',
  });
}

function buildWorker(): void {
  installPackedLibrary(path.join(RESULTS_DIR, 'pack'), INSTALLED);
  bundleWorker(path.join(ROOT, 'bench', 'synth-stacks.ts'), WORKER);
}

/**
 * The context the CDK CLI gives an app (in CDK_CONTEXT_JSON) with its default settings: path and
 * asset metadata, version reporting (the `AWS::CDK::Metadata` resource, whose region condition
 * loads aws-cdk-lib's region facts for every stack, the L1 twin's included), bundling of every
 * stack. Checked against the devDependency's `cdk synth --app` (2026-12-02): an app that wrote out
 * its CDK_CONTEXT_JSON received exactly these four entries.
 */
export const CLI_CONTEXT = {
  [cxapi.PATH_METADATA_ENABLE_CONTEXT]: true,
  [cxapi.ASSET_RESOURCE_METADATA_ENABLED_CONTEXT]: true,
  [cxapi.ANALYTICS_REPORTING_ENABLED_CONTEXT]: true,
  [cxapi.BUNDLING_STACKS]: ['**'],
} as const;

/** How the whole-process app is run: by `cdk synth` (the CLI's context) or as a bare `node app.js`. */
export type ProcessContext = 'cdk-synth' | 'bare';

function runWorker(args: (string | number)[], context: ProcessContext = 'bare'): unknown {
  const env = { ...process.env };
  delete env[cxapi.CONTEXT_ENV];
  if (context === 'cdk-synth') env[cxapi.CONTEXT_ENV] = JSON.stringify(CLI_CONTEXT);
  const out = execFileSync(process.execPath, [WORKER, ...args.map(String)], { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out.toString());
}

type Side = 'library' | 'l1' | 'floor';

/** Wall milliseconds of `node worker once <side> <n>` in `context`, measured from the parent. */
function processMs(side: Side, n: number, context: ProcessContext): number {
  const t = process.hrtime.bigint();
  runWorker(['once', side, n], context);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

interface Timing {
  readonly wallMs: number;
  readonly cpuMs: number;
}

export interface SynthRow {
  readonly n: number;
  readonly resources: {
    total: number;
    customerProfiles: number;
    support: number;
    supportByType: Record<string, number>;
    providerPolicy: { statements: number; iamCharacters: number };
  };
  readonly inProcess: {
    libraryMs: number;
    l1Ms: number;
    floorMs: number;
    libraryCpuMs: number;
    l1CpuMs: number;
    floorCpuMs: number;
  };
}

export interface SynthOptions {
  readonly sizes?: number[];
  readonly rounds?: number;
  readonly warmup?: number;
  readonly processRounds?: number;
}

export async function benchSynth(options: SynthOptions = {}) {
  // N=0 and the largest N make targets 1 and 2; the sizes between are for the chart.
  const sizes = [...new Set([0, ...(options.sizes ?? [10, 50, 100])])].sort((a, b) => a - b);
  const rounds = options.rounds ?? 25;
  const warmup = options.warmup ?? 6;
  const processRounds = options.processRounds ?? 15;
  buildWorker();
  const series = runWorker(['interleaved', sizes.join(','), rounds, warmup]) as Record<string, Record<Side, Timing[]>>;
  const wall = (n: number, side: Side) => median(series[n][side].map((t) => t.wallMs));
  const cpu = (n: number, side: Side) => median(series[n][side].map((t) => t.cpuMs));
  const rows: SynthRow[] = sizes.map((n) => ({
    n,
    resources: runWorker(['counts', n]) as SynthRow['resources'],
    inProcess: {
      libraryMs: wall(n, 'library'),
      l1Ms: wall(n, 'l1'),
      floorMs: wall(n, 'floor'),
      libraryCpuMs: cpu(n, 'library'),
      l1CpuMs: cpu(n, 'l1'),
      floorCpuMs: cpu(n, 'floor'),
    },
  }));

  // Target 1: what one more resource costs, the N=0 stack (the domain and, for the library and the floor, the provider) taken off.
  const zero = rows[0];
  const big = rows[rows.length - 1];
  const added = big.resources.customerProfiles - zero.resources.customerProfiles;
  const marginal = (side: 'libraryMs' | 'l1Ms' | 'floorMs') => (big.inProcess[side] - zero.inProcess[side]) / added;
  // The verdicts use the median of per-round ratios: the sides of one round ran back to back, under the same load,
  // which a shared machine's load drifting between rounds cannot skew (the ratio of the medians is reported too).
  const pairedMedian = (ratio: (i: number) => number) => median(series[zero.n].library.map((_, i) => ratio(i)));
  const at = (n: number, side: Side, i: number) => series[n][side][i].wallMs;
  const pairedPerResource = pairedMedian((i) => (at(big.n, 'library', i) - at(zero.n, 'library', i)) / (at(big.n, 'l1', i) - at(zero.n, 'l1', i)));
  const pairedFixed = pairedMedian((i) => at(zero.n, 'library', i) / at(zero.n, 'floor', i));
  const perResource = {
    pairedRatio: pairedPerResource,
    fromN: zero.n,
    toN: big.n,
    resources: added,
    libraryMs: marginal('libraryMs'),
    l1Ms: marginal('l1Ms'),
    floorMs: marginal('floorMs'),
    ratio: marginal('libraryMs') / marginal('l1Ms'),
    floorRatio: marginal('floorMs') / marginal('l1Ms'),
    target: SYNTH_TARGETS.perResource,
  };
  // Target 2: the library's N=0 stack against the floor's (same provider, a bare custom resource for the domain).
  const fixed = {
    pairedRatio: pairedFixed,
    libraryMs: zero.inProcess.libraryMs,
    floorMs: zero.inProcess.floorMs,
    l1Ms: zero.inProcess.l1Ms,
    ratio: zero.inProcess.libraryMs / zero.inProcess.floorMs,
    target: SYNTH_TARGETS.fixed,
  };

  // Target 3: `node app.js` at N=10, the three sides in turn (rotated), in both contexts (alternating), median.
  const contexts: ProcessContext[] = ['cdk-synth', 'bare'];
  const sides: Side[] = ['library', 'l1', 'floor'];
  const proc: Record<ProcessContext, Record<Side, number[]>> = { 'cdk-synth': { library: [], l1: [], floor: [] }, 'bare': { library: [], l1: [], floor: [] } };
  for (let i = 0; i < processRounds + 1; i++) {
    for (const context of i % 2 ? contexts : [...contexts].reverse()) {
      for (let k = 0; k < sides.length; k++) {
        const side = sides[(i + k) % sides.length];
        const t = processMs(side, WHOLE_PROCESS_N, context);
        // The first round warms the file system cache for all of them.
        if (i > 0) proc[context][side].push(t);
      }
    }
  }
  const processResult = (context: ProcessContext) => {
    const p = proc[context];
    return {
      context,
      pairedRatio: median(p.library.map((t, i) => t / p.l1[i])),
      pairedFloorRatio: median(p.floor.map((t, i) => t / p.l1[i])),
      n: WHOLE_PROCESS_N,
      libraryMs: median(p.library),
      l1Ms: median(p.l1),
      floorMs: median(p.floor),
      ratio: median(p.library) / median(p.l1),
      floorRatio: median(p.floor) / median(p.l1),
      target: SYNTH_TARGETS.wholeProcess,
    };
  };
  // The verdict: the app as `cdk synth` runs it (what users wait for); a bare `node app.js` is reported next to it.
  const wholeProcess = processResult('cdk-synth');
  const wholeProcessBare = processResult('bare');
  const result = { machine: machine(), rounds, warmup, processRounds, rows, perResource, fixed, wholeProcess, wholeProcessBare };
  writeResult('synth', result);
  return result;
}

export function formatSynth(r: Awaited<ReturnType<typeof benchSynth>>): string[] {
  const f = (x: number) => x.toFixed(3);
  return [
    `per resource (N=${r.perResource.fromN}..${r.perResource.toN}, ${r.perResource.resources} resources): library ${f(r.perResource.libraryMs)} ms, L1 ${f(r.perResource.l1Ms)} ms, floor ${f(r.perResource.floorMs)} ms = ${r.perResource.ratio.toFixed(2)}, paired ${r.perResource.pairedRatio.toFixed(2)} (target <= ${r.perResource.target})`,
    `fixed (N=0): library ${r.fixed.libraryMs.toFixed(1)} ms, floor ${r.fixed.floorMs.toFixed(1)} ms, L1 ${r.fixed.l1Ms.toFixed(1)} ms = ${r.fixed.ratio.toFixed(2)}, paired ${r.fixed.pairedRatio.toFixed(2)} (target <= ${r.fixed.target})`,
    ...[r.wholeProcess, r.wholeProcessBare].map((w) => `whole process (N=${w.n}, ${w.context}): library ${w.libraryMs.toFixed(0)} ms, L1 ${w.l1Ms.toFixed(0)} ms, floor ${w.floorMs.toFixed(0)} ms = ${w.ratio.toFixed(2)}, paired ${w.pairedRatio.toFixed(2)}, floor paired ${w.pairedFloorRatio.toFixed(2)} (target <= ${w.target})`),
  ];
}

if (require.main === module) {
  const quick = process.argv.includes('--quick');
  const options = quick ? { sizes: [100], rounds: 7, warmup: 2, processRounds: 3 } : {};
  void benchSynth(options).then((r) => formatSynth(r).forEach((l) => console.log(l)));
}
