/**
 * Target 1 (synth cost): a stack with one domain and N object types, N recommenders and N
 * segments written with this library, against the same stack written with the native L1
 * classes (bench/synth-stacks.ts).
 *
 * The library is measured as it ships: its source is bundled into plain JavaScript (esbuild,
 * aws-cdk-lib and constructs external) and run by `node`, without ts-node (whose compilation and
 * source-map support would be measured otherwise). Two measurements, both interleaved:
 * - in-process: both stacks are built and synthesized alternately in one Node process (after
 *   warm-up rounds); every synthesis writes a fresh cloud assembly, so asset fingerprinting and
 *   staging of the handler and of the Provider framework's runtime are paid every time, as in
 *   `cdk synth`;
 * - whole process: `node app.js` for one synthesis, alternately library and L1, which adds
 *   Node's start and the loading of the modules each stack needs (what `cdk synth` waits for).
 * In-process, a third stack is timed in turn with the two: the floor (bench/synth-stacks.ts,
 * floorStack), the library's own provider with bare custom resources, which shows how much of the
 * ratio any library built on one Provider-framework provider per stack must pay.
 * Also counts the support resources (everything that is not a Customer Profiles resource).
 */
import { execFileSync } from 'child_process';
import * as path from 'path';
import { buildSync } from 'esbuild';
import { machine, median, ROOT, RESULTS_DIR, writeResult } from './util';

/** The worker bundle: under bench/results, so that the library finds ../../assets/handler as it does from lib/private. */
const WORKER = path.join(RESULTS_DIR, 'synth-worker.js');

function buildWorker(): void {
  buildSync({
    entryPoints: [path.join(ROOT, 'bench', 'synth-stacks.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile: WORKER,
    external: ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs'],
    logLevel: 'error',
  });
}

function runWorker(args: (string | number)[]): unknown {
  const out = execFileSync(process.execPath, [WORKER, ...args.map(String)], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out.toString());
}

/** Wall milliseconds of `node worker once <side> <n>`, measured from the parent. */
function processMs(side: 'library' | 'l1', n: number): number {
  const t = process.hrtime.bigint();
  runWorker(['once', side, n]);
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
    ratio: number;
    libraryCpuMs: number;
    l1CpuMs: number;
    cpuRatio: number;
    /** The floor (floorStack): the library's provider and bare custom resources, and its ratio to L1. */
    floorMs: number;
    floorRatio: number;
  };
  readonly wholeProcess: { libraryMs: number; l1Ms: number; ratio: number };
}

export interface SynthOptions {
  readonly sizes?: number[];
  readonly rounds?: number;
  readonly warmup?: number;
  readonly processRounds?: number;
}

export async function benchSynth(options: SynthOptions = {}) {
  const sizes = options.sizes ?? [10, 50, 100];
  const rounds = options.rounds ?? 15;
  const warmup = options.warmup ?? 5;
  const processRounds = options.processRounds ?? 7;
  buildWorker();
  const rows: SynthRow[] = [];
  for (const n of sizes) {
    const series = runWorker(['interleaved', n, rounds, warmup]) as { library: Timing[]; l1: Timing[]; floor: Timing[] };
    const floor = median(series.floor.map((t) => t.wallMs));
    const lib = median(series.library.map((t) => t.wallMs));
    const l1 = median(series.l1.map((t) => t.wallMs));
    const libCpu = median(series.library.map((t) => t.cpuMs));
    const l1Cpu = median(series.l1.map((t) => t.cpuMs));
    const procLib: number[] = [];
    const procL1: number[] = [];
    for (let i = 0; i < processRounds; i++) {
      if (i % 2 === 0) {
        procLib.push(processMs('library', n));
        procL1.push(processMs('l1', n));
      } else {
        procL1.push(processMs('l1', n));
        procLib.push(processMs('library', n));
      }
    }
    rows.push({
      n,
      resources: runWorker(['counts', n]) as SynthRow['resources'],
      inProcess: {
        libraryMs: lib,
        l1Ms: l1,
        ratio: lib / l1,
        libraryCpuMs: libCpu,
        l1CpuMs: l1Cpu,
        cpuRatio: libCpu / l1Cpu,
        floorMs: floor,
        floorRatio: floor / l1,
      },
      wholeProcess: { libraryMs: median(procLib), l1Ms: median(procL1), ratio: median(procLib) / median(procL1) },
    });
  }
  // The fixed cost: both stacks with N=0 (the library's domain brings the provider and its support resources).
  const zero = runWorker(['interleaved', 0, rounds, warmup]) as { library: Timing[]; l1: Timing[]; floor: Timing[] };
  const fixed = {
    libraryMs: median(zero.library.map((t) => t.wallMs)),
    l1Ms: median(zero.l1.map((t) => t.wallMs)),
    floorMs: median(zero.floor.map((t) => t.wallMs)),
  };
  const result = { machine: machine(), target: 1.15, rounds, warmup, processRounds, fixed, rows };
  writeResult('synth', result);
  return result;
}

export function formatSynth(r: Awaited<ReturnType<typeof benchSynth>>): string[] {
  return r.rows.map((row) =>
    `synth N=${row.n}: in-process library ${row.inProcess.libraryMs.toFixed(0)} ms vs L1 ${row.inProcess.l1Ms.toFixed(0)} ms = ${row.inProcess.ratio.toFixed(2)}`
    + ` (CPU ${row.inProcess.cpuRatio.toFixed(2)}; floor ${row.inProcess.floorRatio.toFixed(2)}); whole process ${row.wholeProcess.libraryMs.toFixed(0)} vs ${row.wholeProcess.l1Ms.toFixed(0)} ms = ${row.wholeProcess.ratio.toFixed(2)}`
    + ` (target <= ${r.target}); resources ${row.resources.total}, support ${row.resources.support}`);
}

if (require.main === module) {
  const quick = process.argv.includes('--quick');
  const options = quick ? { sizes: [10, 100], rounds: 5, warmup: 2, processRounds: 3 } : {};
  void benchSynth(options).then((r) => formatSynth(r).forEach((l) => console.log(l)));
}
