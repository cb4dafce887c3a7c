/**
 * Experiment (issue #18, target 3: `node app.js` at N=10 <= 1.5 x its L1 twin), not part of
 * `npm run bench`. Can any design with one Provider-framework provider per stack meet the target?
 * Findings and numbers: bench/experiments/whole-process.md.
 *
 * Run with `npx ts-node -r tsconfig-paths/register --project bench/tsconfig.json bench/experiments/whole-process.ts <command>`
 * (compile the library first: `npx projen compile`):
 * - `setup`: installs the library as it ships (`npm pack` of lib/) under bench/results/whole-process/node_modules
 *   (its own copy: other benchmarks reinstall bench/results/node_modules) and bundles the workers there:
 *   bench/synth-stacks.ts (L1 twin, floor, library: the code bench/synth.ts measures) and
 *   whole-process-worker.ts (lean floor, library on the lean provider, empty stack, probes), and the
 *   preloads (stub-region-facts.js, cpu-report.js);
 * - `bundle`: bundles the workers again, keeping the installed package;
 * - `check`: synthesizes at N=10 and compares templates, asset manifests and staged assets: the lean
 *   floor and the floor with stubbed region facts against the floor, the library on the lean
 *   provider against the library, in each context (check.json);
 * - `measure [rounds] [context] [sides]`: `node worker once <side> 10` in fresh processes, every side
 *   once per round in rotated order, one warm-up round; wall and CPU time, medians, paired (per-round)
 *   ratios to the L1 twin and differences (measure-<context>-<time>.json);
 * - `profile [runs] [context]`: `--cpu-prof` of the floor, the lean floor and the L1 twin, time by
 *   aws-cdk-lib module and phase (median of the runs);
 * - `flags`: which of the feature flags `cdk init` writes change the floor's and the lean floor's templates.
 * Contexts (given to the app as the CDK CLI gives it, in CDK_CONTEXT_JSON): `bare` (none, as
 * bench/synth.ts runs `node app.js`), `cli` (what `cdk synth` adds: path and asset metadata, version
 * reporting, bundling stacks), `cli-recommended` (the same plus the feature flags `cdk init` writes
 * into a new project's cdk.json).
 */
import { execFileSync, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { loadavg, tmpdir } from 'os';
import * as path from 'path';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { bundleWorker, CLI_CONTEXT, installPackedLibrary } from '../synth';
import { machine, median, ROOT, RESULTS_DIR } from '../util';

const OUT = path.join(RESULTS_DIR, 'whole-process');
const SYNTH_WORKER = path.join(OUT, 'synth-worker.js');
const LEAN_WORKER = path.join(OUT, 'lean-worker.js');
const STUB = path.join(OUT, 'stub-region-facts.js');
const CPU_REPORT = path.join(OUT, 'cpu-report.js');
const INSTALLED = path.join(OUT, 'node_modules', '@cdk-customer-profiles', 'constructs');
const N = 10;

interface SideSpec {
  readonly worker: string;
  readonly side: string;
  readonly preload?: string;
  /** The handler bundle's hash in LEAN_HANDLER_HASH (computed by `setup`, as the library's build could). */
  readonly handlerHash?: boolean;
}

/** The processes compared. */
const SIDES: Record<string, SideSpec> = {
  'empty': { worker: LEAN_WORKER, side: 'empty' },
  'l1': { worker: SYNTH_WORKER, side: 'l1' },
  'lean': { worker: LEAN_WORKER, side: 'lean' },
  'floor': { worker: SYNTH_WORKER, side: 'floor' },
  'floor-stub': { worker: SYNTH_WORKER, side: 'floor', preload: STUB },
  'library': { worker: SYNTH_WORKER, side: 'library' },
  'lean-prehashed': { worker: LEAN_WORKER, side: 'lean-prehashed', handlerHash: true },
  'lean-library': { worker: LEAN_WORKER, side: 'lean-library' },
  'probe-l1-modules': { worker: LEAN_WORKER, side: 'probe-l1-modules' },
  'probe-l2-modules': { worker: LEAN_WORKER, side: 'probe-l2-modules' },
  'probe-assets': { worker: LEAN_WORKER, side: 'probe-assets' },
  'probe-region-info': { worker: LEAN_WORKER, side: 'probe-region-info' },
};


const CONTEXTS: Record<string, Record<string, unknown> | undefined> = {
  'bare': undefined,
  'cli': CLI_CONTEXT,
  'cli-recommended': { ...cxapi.CURRENTLY_RECOMMENDED_FLAGS, ...CLI_CONTEXT },
};

function env(context: string, spec?: SideSpec): NodeJS.ProcessEnv {
  const c = CONTEXTS[context];
  if (!(context in CONTEXTS)) throw new Error(`unknown context ${context}`);
  const e = { ...process.env };
  delete e[cxapi.CONTEXT_ENV];
  if (c) e[cxapi.CONTEXT_ENV] = JSON.stringify(c);
  if (spec?.handlerHash) e.LEAN_HANDLER_HASH = (JSON.parse(readFileSync(path.join(OUT, 'setup.json'), 'utf8')) as { handlerHash: string }).handlerHash;
  return e;
}

/** sha256 of the handler bundle's files (names and contents), what the library's build could write next to it. */
function hashDirectory(dir: string): string {
  const hash = createHash('sha256');
  for (const f of readdirSync(dir).sort()) hash.update(f).update(readFileSync(path.join(dir, f)));
  return hash.digest('hex');
}

function setup(): void {
  // Earlier results (measure-*.json, profile-*.json) stay.
  const filename = installPackedLibrary(path.join(OUT, 'pack'), INSTALLED);
  bundleWorkers();
  const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'bench/synth-stacks.ts'], { cwd: ROOT, encoding: 'utf8' }).trim();
  const handlerHash = hashDirectory(path.join(INSTALLED, 'assets', 'handler'));
  writeFileSync(path.join(OUT, 'setup.json'), JSON.stringify({ commit, srcDirty: dirty !== '', handlerHash, at: new Date().toISOString() }, null, 2) + '\n');
  console.log(`installed ${filename} under ${path.relative(ROOT, OUT)} (HEAD ${commit}${dirty ? ', src/ modified' : ''}); workers bundled`);
}

/** The workers and preloads, bundled next to the installed library (`bundle` alone keeps the installed package). */
function bundleWorkers(): void {
  const bundle = bundleWorker;
  bundle(path.join(ROOT, 'bench', 'synth-stacks.ts'), SYNTH_WORKER);
  bundle(path.join(__dirname, 'whole-process-worker.ts'), LEAN_WORKER);
  bundle(path.join(__dirname, 'stub-region-facts.ts'), STUB);
  bundle(path.join(__dirname, 'cpu-report.ts'), CPU_REPORT);
}

/** Synthesizes one side into `outdir` (left there). */
function synthInto(name: string, outdir: string, context: string): void {
  const spec = SIDES[name];
  const pre = spec.preload ? ['-r', spec.preload] : [];
  if (spec.worker === LEAN_WORKER) {
    execFileSync(process.execPath, [...pre, spec.worker, 'template', spec.side, String(N), outdir], { cwd: ROOT, env: env(context, spec) });
  } else {
    const script = `require(${JSON.stringify(spec.worker)}).synthOnce(${JSON.stringify(spec.side)}, ${N}, ${JSON.stringify(outdir)})`;
    execFileSync(process.execPath, [...pre, '-e', script], { cwd: ROOT, env: env(context) });
  }
}

/** Differences between two JSON values, as paths. */
function differences(a: unknown, b: unknown, at = ''): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}/${k}`));
  }
  return [`${at}: ${JSON.stringify(a)?.slice(0, 160)} != ${JSON.stringify(b)?.slice(0, 160)}`];
}

function check(): void {
  const report: Record<string, unknown> = {};
  for (const context of Object.keys(CONTEXTS)) {
    const dirs: Record<string, string> = {};
    const names = context === 'bare' ? ['floor', 'lean', 'floor-stub', 'library', 'lean-library'] : ['floor', 'lean', 'library', 'lean-library'];
    for (const name of names) {
      dirs[name] = mkdtempSync(path.join(tmpdir(), `wp-${name}-`));
      synthInto(name, dirs[name], context);
    }
    const read = (name: string, file: string) => JSON.parse(readFileSync(path.join(dirs[name], file), 'utf8')) as Record<string, unknown>;
    const bytes = (name: string, file: string) => readFileSync(path.join(dirs[name], file), 'utf8');
    const result: Record<string, unknown> = {};
    // Each side against the one it stands in for: the lean floor and the stubbed floor against the floor, the library on the lean provider against the library.
    const against: Record<string, string> = { 'lean': 'floor', 'floor-stub': 'floor', 'lean-library': 'library' };
    for (const other of names.filter((x) => x in against)) {
      const base = against[other];
      const templateDiff = differences(read(base, 'Bench.template.json'), read(other, 'Bench.template.json'));
      const assetsDiff = differences(read(base, 'Bench.assets.json'), read(other, 'Bench.assets.json'));
      const staged = (name: string) => readdirSync(dirs[name]).filter((f) => f.startsWith('asset.')).sort();
      result[`${other} vs ${base}`] = {
        templateBytesEqual: bytes(base, 'Bench.template.json') === bytes(other, 'Bench.template.json'),
        templateDifferences: templateDiff,
        assetManifestDifferences: assetsDiff,
        stagedAssetsEqual: JSON.stringify(staged(base)) === JSON.stringify(staged(other)),
        staged: staged(other),
      };
    }
    const types = (name: string) => {
      const counts: Record<string, number> = {};
      for (const r of Object.values(read(name, 'Bench.template.json').Resources as Record<string, { Type: string }>)) {
        if (!r.Type.startsWith('Custom::CustomerProfiles')) counts[r.Type] = (counts[r.Type] ?? 0) + 1;
      }
      return counts;
    };
    result.supportResources = Object.fromEntries(names.map((name) => [name, types(name)]));
    report[context] = result;
    for (const d of Object.values(dirs)) rmSync(d, { recursive: true, force: true });
  }
  writeFileSync(path.join(OUT, 'check.json'), JSON.stringify(report, null, 2) + '\n');
  console.log(JSON.stringify(report, null, 2));
}

/**
 * One `node worker once <side> N`: the process's wall milliseconds (from here), its CPU milliseconds
 * (all threads, from cpu-report.js) and the worker's own timing of build + synthesis.
 */
function processOnce(name: string, context: string): { processMs: number; processCpuMs: number; inProcessMs: number } {
  const spec = SIDES[name];
  const pre = [...(spec.preload ? ['-r', spec.preload] : []), '-r', CPU_REPORT];
  const t = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [...pre, spec.worker, 'once', spec.side, String(N)], { cwd: ROOT, env: env(context, spec), encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const processMs = Number(process.hrtime.bigint() - t) / 1e6;
  if (run.status !== 0) throw new Error(`${name} failed: ${run.stderr}`);
  const report = run.stderr.split('\n').find((l) => l.startsWith('cpu-report '));
  if (!report) throw new Error(`${name}: no cpu-report in ${run.stderr}`);
  return {
    processMs,
    processCpuMs: (JSON.parse(report.slice('cpu-report '.length)) as { cpuMs: number }).cpuMs,
    inProcessMs: (JSON.parse(run.stdout) as { wallMs: number }).wallMs,
  };
}

function quartiles(xs: number[]): [number, number] {
  const s = [...xs].sort((a, b) => a - b);
  return [s[Math.floor((s.length - 1) / 4)], s[Math.ceil((3 * (s.length - 1)) / 4)]];
}

function measure(rounds: number, context: string, names: string[]): void {
  const load0 = loadavg();
  const series: Record<string, { processMs: number; processCpuMs: number; inProcessMs: number }[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < rounds + 1; i++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(i + k) % names.length];
      const t = processOnce(name, context);
      // Round 0 warms the file system cache for every side.
      if (i > 0) series[name].push(t);
    }
  }
  const proc = (name: string) => series[name].map((t) => t.processMs);
  const summary = Object.fromEntries(names.map((name) => [name, {
    processMedianMs: median(proc(name)),
    processQuartilesMs: quartiles(proc(name)),
    processCpuMedianMs: median(series[name].map((t) => t.processCpuMs)),
    pairedCpuRatioToL1: names.includes('l1') ? median(series[name].map((t, i) => t.processCpuMs / series.l1[i].processCpuMs)) : undefined,
    inProcessMedianMs: median(series[name].map((t) => t.inProcessMs)),
    pairedRatioToL1: names.includes('l1') ? median(proc(name).map((t, i) => t / proc('l1')[i])) : undefined,
    pairedRatioToEmpty: names.includes('empty') ? median(proc(name).map((t, i) => t / proc('empty')[i])) : undefined,
    pairedMinusL1Ms: names.includes('l1') ? median(proc(name).map((t, i) => t - proc('l1')[i])) : undefined,
    pairedMinusEmptyMs: names.includes('empty') ? median(proc(name).map((t, i) => t - proc('empty')[i])) : undefined,
    pairedCpuMinusEmptyMs: names.includes('empty') ? median(series[name].map((t, i) => t.processCpuMs - series.empty[i].processCpuMs)) : undefined,
  }]));
  // Paired differences of the sides that tell the floor's costs apart (each round's two processes ran back to back).
  const pairs = ([['library', 'floor'], ['floor', 'lean'], ['floor', 'floor-stub'], ['lean', 'lean-prehashed'], ['lean', 'l1'], ['library', 'lean'], ['library', 'lean-library'], ['lean-library', 'lean']] as const)
    .filter(([x, y]) => names.includes(x) && names.includes(y))
    .map(([x, y]) => ({
      pair: `${x} vs ${y}`,
      medianDifferenceMs: median(proc(x).map((t, i) => t - proc(y)[i])),
      medianRatio: median(proc(x).map((t, i) => t / proc(y)[i])),
      medianCpuDifferenceMs: median(series[x].map((t, i) => t.processCpuMs - series[y][i].processCpuMs)),
      medianCpuRatio: median(series[x].map((t, i) => t.processCpuMs / series[y][i].processCpuMs)),
    }));
  const result = { machine: machine(), at: new Date().toISOString(), loadAverage: loadavg(), context, n: N, rounds, summary, pairs, series };
  writeFileSync(path.join(OUT, `measure-${context}-${Date.now()}.json`), JSON.stringify(result, null, 2) + '\n');
  const f = (x: number | undefined, d = 0) => (x === undefined ? '-' : x.toFixed(d));
  console.log(`context ${context}, N=${N}, ${rounds} rounds (medians; paired = median of per-round ratios), load average before ${load0.map((x) => x.toFixed(1)).join(' ')}, after ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  for (const name of names) {
    const s = summary[name];
    console.log(`${name.padEnd(17)} process ${f(s.processMedianMs).padStart(4)} ms [${s.processQuartilesMs.map((x) => f(x)).join('..')}]  cpu ${f(s.processCpuMedianMs).padStart(4)} ms (/L1 ${f(s.pairedCpuRatioToL1, 2)})  in-process ${f(s.inProcessMedianMs).padStart(4)} ms  /L1 ${f(s.pairedRatioToL1, 2)}  -L1 ${f(s.pairedMinusL1Ms).padStart(4)} ms  -empty ${f(s.pairedMinusEmptyMs).padStart(4)} ms (cpu ${f(s.pairedCpuMinusEmptyMs).padStart(4)} ms)`);
  }
  for (const p of pairs) console.log(`${p.pair.padEnd(28)} paired difference ${f(p.medianDifferenceMs)} ms, ratio ${f(p.medianRatio, 2)}; cpu ${f(p.medianCpuDifferenceMs)} ms, ratio ${f(p.medianCpuRatio, 2)}`);
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

/** aws-cdk-lib module (or other owner) of a script URL. */
function owner(url: string): string | undefined {
  const dep = url.match(/node_modules\/aws-cdk-lib\/node_modules\/((@[^/]+\/)?[^/]+)\//);
  if (dep) return `aws-cdk-lib's dependency ${dep[1]}`;
  const lib = url.match(/node_modules\/aws-cdk-lib\/([^/]+)\//);
  if (lib) return lib[1] === 'core' && /\/core\/lib\/fs\//.test(url) ? 'core/fs (fingerprint, copy)' : lib[1] === 'core' && /asset-staging/.test(url) ? 'core/asset-staging' : lib[1];
  if (/node_modules\/aws-cdk-lib\/[^/]+\.js/.test(url)) return 'aws-cdk-lib (root)';
  if (/@cdk-customer-profiles\/constructs/.test(url)) return 'this library';
  if (/node_modules\/constructs\//.test(url)) return 'constructs';
  if (/whole-process\/(synth|lean)-worker\.js/.test(url)) return 'worker (stack code)';
  return undefined;
}

/** Milliseconds per category of one .cpuprofile: exclusive by innermost owner on the stack, inclusive for a few phases. */
function analyze(file: string): Record<string, number> {
  const prof = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };
  const parent = new Map<number, ProfileNode>();
  const byId = new Map<number, ProfileNode>();
  for (const node of prof.nodes) {
    byId.set(node.id, node);
    for (const c of node.children ?? []) parent.set(c, node);
  }
  const out: Record<string, number> = {};
  const add = (k: string, ms: number) => { out[k] = (out[k] ?? 0) + ms; };
  const memo = new Map<number, { owner: string; phases: string[] }>();
  const classify = (leaf: ProfileNode) => {
    const cached = memo.get(leaf.id);
    if (cached) return cached;
    let first: string | undefined;
    const phases = new Set<string>();
    let gc = false;
    let loads = 0;
    for (let n: ProfileNode | undefined = leaf; n; n = parent.get(n.id)) {
      const { url, functionName } = n.callFrame;
      if (functionName === 'Module._load') loads++;
      if (n === leaf && functionName === '(garbage collector)') gc = true;
      if (n === leaf && (functionName === '(idle)' || functionName === '(program)')) first = functionName;
      first ??= owner(url);
      if (/\/region-info\//.test(url)) phases.add('incl: region-info');
      if (/\/core\/lib\/fs\/fingerprint/.test(url)) phases.add('incl: fingerprint');
      if (/\/core\/lib\/fs\/copy/.test(url)) phases.add('incl: copy assets');
      if (/\/core\/lib\/private\/synthesis\.js/.test(url)) phases.add('incl: app.synth()');
    }
    // The worker itself runs inside one Module._load (node's main module): a second one is a require of the app.
    if (loads >= 2) phases.add('incl: require() of modules');
    const result = { owner: gc ? '(garbage collector)' : first ?? 'node (bootstrap, internals)', phases: [...phases] };
    memo.set(leaf.id, result);
    return result;
  };
  for (let i = 0; i < prof.samples.length; i++) {
    const ms = (prof.timeDeltas[i + 1] ?? 0) / 1000;
    const { owner: o, phases } = classify(byId.get(prof.samples[i])!);
    add(o, ms);
    for (const p of phases) add(p, ms);
    add('total profiled', ms);
  }
  return out;
}

function profile(runs: number, context: string, names: string[]): void {
  const result: Record<string, Record<string, number>> = {};
  for (const name of names) {
    const spec = SIDES[name];
    const dir = mkdtempSync(path.join(tmpdir(), `wp-prof-${name}-`));
    const perRun: Record<string, number>[] = [];
    for (let i = 0; i < runs; i++) {
      const pre = spec.preload ? ['-r', spec.preload] : [];
      execFileSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, ...pre, spec.worker, 'once', spec.side, String(N)], { cwd: ROOT, env: env(context, spec) });
    }
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.cpuprofile'))) perRun.push(analyze(path.join(dir, f)));
    const keys = [...new Set(perRun.flatMap((r) => Object.keys(r)))];
    result[name] = Object.fromEntries(keys.map((k) => [k, median(perRun.map((r) => r[k] ?? 0))]).sort((a, b) => (b[1] as number) - (a[1] as number)));
    rmSync(dir, { recursive: true, force: true });
  }
  writeFileSync(path.join(OUT, `profile-${context}-${Date.now()}.json`), JSON.stringify({ machine: machine(), context, runs, result }, null, 2) + '\n');
  const keys = [...new Set(Object.values(result).flatMap((r) => Object.keys(r)))];
  console.log(`${'ms (median of runs)'.padEnd(34)}${names.map((n) => n.padStart(10)).join('')}`);
  for (const k of keys) {
    console.log(`${k.padEnd(34)}${names.map((n) => (result[n][k] ?? 0).toFixed(1).padStart(10)).join('')}`);
  }
}

/**
 * Which of the feature flags `cdk init` writes (cx-api's CURRENTLY_RECOMMENDED_FLAGS) change the
 * floor's and the lean floor's templates, each flag alone against no flag (the CDK::Metadata
 * resource, which names the constructs used, left out).
 */
function flags(names: string[]): void {
  const recommended = cxapi.CURRENTLY_RECOMMENDED_FLAGS as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  for (const name of names) {
    const template = (context: Record<string, unknown>) => {
      const dir = mkdtempSync(path.join(tmpdir(), `wp-flags-${name}-`));
      const spec = SIDES[name];
      const e = { ...env('bare', spec), [cxapi.CONTEXT_ENV]: JSON.stringify(context) };
      if (spec.worker === LEAN_WORKER) {
        execFileSync(process.execPath, [spec.worker, 'template', spec.side, String(N), dir], { cwd: ROOT, env: e });
      } else {
        execFileSync(process.execPath, ['-e', `require(${JSON.stringify(spec.worker)}).synthOnce(${JSON.stringify(spec.side)}, ${N}, ${JSON.stringify(dir)})`], { cwd: ROOT, env: e });
      }
      const t = JSON.parse(readFileSync(path.join(dir, 'Bench.template.json'), 'utf8')) as { Resources: Record<string, unknown> };
      delete t.Resources.CDKMetadata;
      rmSync(dir, { recursive: true, force: true });
      return JSON.stringify(t);
    };
    const base = template({});
    const changing = Object.keys(recommended).filter((k) => template({ [k]: recommended[k] }) !== base);
    result[name] = { recommendedFlags: Object.keys(recommended).length, changing };
  }
  writeFileSync(path.join(OUT, 'flags.json'), JSON.stringify(result, null, 2) + '\n');
  console.log(JSON.stringify(result, null, 2));
}

if (require.main === module) {
  const [command, a, b, c] = process.argv.slice(2);
  const names = (list: string | undefined, fallback: string[]) => (list ? list.split(',') : fallback);
  if (command === 'setup') setup();
  else if (command === 'bundle') bundleWorkers();
  else if (command === 'check') check();
  else if (command === 'measure') measure(Number(a ?? 15), b ?? 'bare', names(c, ['l1', 'floor', 'lean', 'floor-stub', 'empty', 'library']));
  else if (command === 'flags') flags(names(a, ['floor', 'lean']));
  else if (command === 'profile') profile(Number(a ?? 5), b ?? 'bare', names(c, ['l1', 'lean', 'floor']));
  else throw new Error('usage: whole-process.ts setup | check | flags [sides] | measure [rounds] [context] [sides] | profile [runs] [context] [sides]');
}
