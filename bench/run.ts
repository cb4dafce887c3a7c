/**
 * `npm run bench`: runs every benchmark (after the projen task has bundled the handler) and
 * writes docs/benchmarks.md and docs/benchmarks.svg from the results. Raw results go to the
 * git-ignored bench/results/. `--quick` runs smaller versions (for development; its numbers are
 * not for the docs: it writes bench/results/benchmarks.quick.md instead). `--render` rewrites the
 * report from the last run's bench/results/run.json without measuring again.
 */
import { readFileSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { benchBundle } from './bundle';
import { deployTime, economy, scale, StepCalls } from './deploy';
import { PackageSize, packageSizes } from './package-size';
import { CallsRow, renderChart } from './svg';
import { benchSynth } from './synth';
import { machine, RESULTS_DIR, ROOT, writeResult } from './util';

const quick = process.argv.includes('--quick');

function log(line: string): void {
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
}

const ok = (met: boolean) => (met ? '**met**' : '**not met**');
const f2 = (x: number) => x.toFixed(2);
const ms = (x: number) => `${x.toFixed(0)} ms`;
const sec = (x: number) => `${(x / 1000).toFixed(1)} s`;
const kib = (x: number) => `${(x / 1024).toFixed(0)} KiB`;

/** Short labels for the example's logical ids (their hash suffix dropped). */
const label = (id: string) => id.replace(/[0-9A-F]{8}$/, '').replace(/^Customers(?=.)/, '');

function callsRows(steps: StepCalls[]): CallsRow[] {
  const ids = [...new Set(steps.filter((s) => s.step === 'create').map((s) => s.logicalId))];
  return ids.map((id) => {
    const get = (step: StepCalls['step']) => steps.find((s) => s.logicalId === id && s.step === step);
    const create = get('create')!;
    const redeploy = get('redeploy');
    const del = get('delete');
    return {
      label: `${label(id)} (${create.resourceType.replace('Custom::CustomerProfiles', '').replace('Domain', 'Domain ').replace('Definition', '').trim()})`,
      createWrites: create.writes.length,
      createReads: create.reads,
      polls: create.polls,
      redeployCalls: redeploy ? redeploy.writes.length + redeploy.reads : 0,
      deleteWrites: del?.writes.length ?? 0,
      deleteReads: del?.reads ?? 0,
      deletePolls: del?.polls ?? 0,
    };
  });
}

/** Everything one run measured (also saved as bench/results/run.json, so that `--render` can rewrite the docs). */
interface RunResults {
  readonly started: string;
  readonly load: number[];
  readonly loadAfter: number[];
  readonly bundle: Awaited<ReturnType<typeof benchBundle>>;
  readonly synth: Awaited<ReturnType<typeof benchSynth>>;
  readonly econ: Awaited<ReturnType<typeof economy>>;
  readonly time: Awaited<ReturnType<typeof deployTime>>;
  readonly sc: Awaited<ReturnType<typeof scale>>;
  /** Absent in results written before the package-size benchmark. */
  readonly packages?: PackageSize[];
}

async function measure(): Promise<RunResults> {
  const started = new Date().toISOString();
  const load = os.loadavg();
  log('target 2: handler bundle size and module initialisation');
  const bundle = await benchBundle(quick ? 5 : 21);
  log('target 1: synth cost');
  const synth = await benchSynth(quick ? { sizes: [10, 100], rounds: 5, warmup: 2, processRounds: 3 } : {});
  log('target 3: API economy');
  const econ = await economy();
  writeResult('economy', econ);
  // A smaller factor counts less of the emulator's own work as simulated time (see the report).
  const factor = quick ? 200 : 25;
  log(`target 4: deploy time of the example stack (clock x${factor})`);
  const time = await deployTime(factor);
  writeResult('deploy-time', time);
  log('target 5: scale under a throttle');
  const sc = quick ? await scale(10, 20) : await scale(50, 100);
  writeResult('scale', sc);
  log('target 6: npm package sizes');
  const packages = packageSizes();
  const results = { started, load, loadAfter: os.loadavg(), bundle, synth, econ, time, sc, packages };
  writeResult(quick ? 'run.quick' : 'run', results);
  return results;
}

async function main(): Promise<void> {
  const results: RunResults = process.argv.includes('--render')
    ? JSON.parse(readFileSync(path.join(RESULTS_DIR, quick ? 'run.quick.json' : 'run.json'), 'utf8'))
    : await measure();
  const { load, loadAfter, bundle, synth, econ, time, sc, packages } = results;
  const started = new Date(results.started);

  // ------------------------------------------------------------------ verdicts
  const synthMet = synth.rows.every((r) => r.inProcess.ratio <= synth.target);
  const supportConstant = new Set(synth.rows.map((r) => r.resources.support)).size === 1;
  // Where even the floor (the same provider with bare custom resources) misses the target: the
  // target holds for every N, so one such N puts it out of reach of this architecture.
  const floorAbove = synth.rows.filter((r) => r.inProcess.floorRatio > synth.target);
  const floorBlocks = floorAbove.length > 0;
  const sizeMet = bundle.size.ratio <= bundle.size.target;
  const initMet = bundle.init.ratio <= bundle.init.target;
  const of = (step: StepCalls['step']) => econ.steps.filter((s) => s.step === step);
  // The one read allowed in onEvent, a deliberate safety cost of ownership (a stack changes and deletes
  // only what it created): a delete reads the resource's owner tag first; an object type's create reads
  // first (PutDomainObjectType is an upsert, so the create itself cannot refuse a takeover), and so does a
  // segment's (it is created after the validating estimate, so the check comes before a physical id).
  const takeoverCheck = (s: StepCalls) => (s.step === 'delete'
    || (s.step === 'create' && (s.resourceType.endsWith('DomainObjectType') || s.resourceType.endsWith('SegmentDefinition')))) ? 1 : 0;
  const readsPerPollMet = econ.steps.every((s) =>
    s.maxReadsPerPoll <= 1 && s.onEventReads <= takeoverCheck(s) && s.reads - s.onEventReads <= s.polls);
  const redeployMet = of('redeploy').every((s) => s.writes.length === 0) && of('update-unchanged').every((s) => s.writes.length === 0);
  const deleteMet = of('delete').every((s) => s.writes.length === 1);
  const createSingle = of('create').filter((s) => s.writes.length === 1).length;
  const econMet = econ.success.every(Boolean) && readsPerPollMet && redeployMet && deleteMet;
  const timeMet = time.success && time.simulatedMs <= time.boundMs;
  const scaleMet = sc.success && sc.created === sc.recommenders + sc.segments + 1;

  const m = machine();
  const machineLine = `${m.cpu}, ${m.cores} cores, ${m.platform}, Node ${m.node}; load average ${load.map(f2).join(' / ')} at the start and `
    + `${loadAfter.map(f2).join(' / ')} at the end (the machine was shared: ratios, measured side by side, are what counts)`;

  // ------------------------------------------------------------------ chart
  const svg = renderChart(
    synth.rows.map((r) => ({ n: r.n, libraryMs: r.inProcess.libraryMs, l1Ms: r.inProcess.l1Ms, floorMs: r.inProcess.floorMs })),
    callsRows(econ.steps),
    `npm run bench, ${started.toISOString().slice(0, 16)}Z, ${m.cpu} x${m.cores}, Node ${m.node}`,
  );

  // ------------------------------------------------------------------ report
  const md: string[] = [];
  md.push('# Benchmarks', '');
  md.push('<!-- Written by `npm run bench` (bench/run.ts) from the results of that run. Do not edit by hand. -->', '');
  md.push('Run them with **`npm run bench`** (about five minutes: it bundles the handler, runs the five benchmarks of `bench/`, and rewrites this page and `docs/benchmarks.svg`).');
  md.push('Raw results land in `bench/results/*.json` (git-ignored). Every target is a ratio or a count measured in the same run, side by side with its baseline: these numbers come from a shared, busy machine, and only the ratios are meant to travel.', '');
  md.push(`**Run:** ${started.toISOString().slice(0, 16)}Z. **Machine:** ${machineLine}.`, '');
  md.push('![Synth time against N, and Customer Profiles calls per resource](benchmarks.svg)', '');

  md.push('## Summary', '');
  md.push('| # | target | result | |');
  md.push('|---|---|---|---|');
  const worst = synth.rows.reduce((a, b) => (b.inProcess.ratio > a.inProcess.ratio ? b : a));
  const best = synth.rows.reduce((a, b) => (b.inProcess.ratio < a.inProcess.ratio ? b : a));
  md.push(`| 1 | synth time <= 1.15 x the L1 stack, support resources constant in N | ratio ${f2(best.inProcess.ratio)} (N=${best.n}) to ${f2(worst.inProcess.ratio)} (N=${worst.n}); the floor of this architecture (same provider, bare custom resources) is ${synth.rows.map((r) => `${f2(r.inProcess.floorRatio)} at N=${r.n}`).join(', ')}; support resources ${synth.rows.map((r) => `${r.resources.support} at N=${r.n}`).join(', ')} | ${ok(synthMet)} (ratio${floorBlocks ? `: out of reach of one Provider-framework provider per stack at N=${floorAbove.map((r) => r.n).join(', ')}, see 1` : ''}); ${ok(supportConstant)} (constant) |`);
  md.push(`| 2 | bundle <= 0.5 x a plain esbuild bundle; init <= 0.65 x | size ${f2(bundle.size.ratio)}, init ${f2(bundle.init.ratio)} | ${ok(sizeMet)}, ${ok(initMet)} |`);
  md.push(`| 3 | minimum calls per resource and step | ${econ.steps.filter((s) => s.step === 'create').length} resources x 4 steps: at most one read per poll; in onEvent only the ownership reads (one per delete, and one per object type and segment create: deliberate); no write on a redeploy or an unchanged update; one write per delete | ${ok(econMet)} |`);
  md.push(`| 4 | simulated deploy time <= critical path of readiness + one query interval per resource on it | ${sec(time.simulatedMs)} against ${sec(time.boundMs)} (ratio ${time.ratio.toFixed(3)}) | ${ok(timeMet)} |`);
  md.push(`| 5 | ${sc.recommenders} recommenders + ${sc.segments} segments at ${sc.rps} requests/s without a failure | ${sc.status}, ${sc.created} resources, ${sc.throttled} throttled responses retried | ${ok(scaleMet)} |`);
  md.push('');

  // 1
  md.push('## 1. Synth cost', '');
  md.push('One domain with N object types, N recommenders and N segments (`bench/synth-stacks.ts`), written with this library and with the native L1 classes (`CfnDomain`, `CfnDomainObjectType`, `CfnRecommender`, `CfnSegmentDefinition`).');
  md.push('The library is measured as it ships, as JavaScript: `bench/synth.ts` bundles its source with esbuild (aws-cdk-lib external) and runs it with `node`, not ts-node, whose compilation and source-map support would dominate otherwise.');
  md.push(`- **in-process**: the stacks (the library's, the L1 one and the floor below) built and synthesized in turn in one process, ${synth.warmup} warm-up rounds, median of ${synth.rounds}. Each synthesis writes a fresh cloud assembly, so the fingerprinting and staging of the two Lambda assets (the handler, the Provider framework's runtime) are paid every time, as in \`cdk synth\`: no warm asset cache flatters the library.`);
  md.push(`- **whole process**: \`node app.js\` for one synthesis, library and L1 alternately, median of ${synth.processRounds}: adds Node's start and the first use of the aws-cdk-lib modules each stack needs (what \`cdk synth\` waits for).`);
  md.push('- **floor**: a third stack timed in turn with the two in-process: the library\'s own provider (`CustomerProfilesProvider`) and each resource as a bare `CfnResource` with a literal `Config` (`floorStack`): no L2 construct, validation, tags, token or IAM statement per resource. It is the least any library built on one Provider-framework provider per stack can cost.', '');
  md.push('| N | resources (ours + support) | in-process library | in-process L1 | ratio | CPU ratio | floor | floor / L1 | whole process library | whole process L1 | ratio |');
  md.push('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of synth.rows) {
    md.push(`| ${r.n} | ${r.resources.total} (${r.resources.customerProfiles} + ${r.resources.support}) | ${ms(r.inProcess.libraryMs)} | ${ms(r.inProcess.l1Ms)} | **${f2(r.inProcess.ratio)}** | ${f2(r.inProcess.cpuRatio)} | ${ms(r.inProcess.floorMs)} | ${f2(r.inProcess.floorRatio)} | ${ms(r.wholeProcess.libraryMs)} | ${ms(r.wholeProcess.l1Ms)} | ${f2(r.wholeProcess.ratio)} |`);
  }
  md.push('');
  for (const r of synth.rows) {
    md.push(`- Support resources at N=${r.n}: ${Object.entries(r.resources.supportByType).map(([t, c]) => `${c} ${t}`).join(', ')}; provider policy ${r.resources.providerPolicy.statements} statements, ${r.resources.providerPolicy.iamCharacters.toLocaleString('en')} IAM characters.`);
  }
  md.push('');
  const fixedMs = synth.fixed.floorMs - synth.fixed.l1Ms;
  const big = synth.rows[synth.rows.length - 1];
  const marginal = (total: number, base: number, n: number) => (total - base) / (3 * n);
  const perResourceLib = marginal(big.inProcess.libraryMs, synth.fixed.libraryMs, big.n);
  const perResourceL1 = marginal(big.inProcess.l1Ms, synth.fixed.l1Ms, big.n);
  const perResourceFloor = marginal(big.inProcess.floorMs, synth.fixed.floorMs, big.n);
  md.push(`**Verdict:** the support resources are ${supportConstant ? 'constant in N' : 'not constant in N'} (${ok(supportConstant)}); the 1.15 ratio is ${ok(synthMet)}${floorBlocks ? `, and no library built like this one can meet it at every N: the floor itself is above 1.15 at N=${floorAbove.map((r) => `${r.n} (${f2(r.inProcess.floorRatio)})`).join(', ')}` : ''}. Where the time goes:`);
  md.push(`- **The provider's fixed cost**: with N=0 the floor takes ${ms(synth.fixed.floorMs)}, the library ${ms(synth.fixed.libraryMs)} and the L1 stack ${ms(synth.fixed.l1Ms)}: about ${ms(fixedMs)} per synthesis is the provider (four Lambda functions, four roles with a policy each, the waiter state machine, and two assets, the handler and the framework's runtime, fingerprinted and copied into each fresh assembly). 15% of the L1 stack's time is ${synth.rows.map((r) => `${ms(0.15 * r.inProcess.l1Ms)} at N=${r.n}`).join(', ')}. The mission's design needs the framework: readiness waits of up to 55 minutes (data store, recommender training) are beyond one Lambda invocation, and the L1 stack has no provider to pay for.`);
  md.push(`- **Per resource** (N=${big.n}, the N=0 time taken off): the library ${perResourceLib.toFixed(3)} ms, the floor ${perResourceFloor.toFixed(3)} ms, L1 ${perResourceL1.toFixed(3)} ms: ${f2(perResourceLib / perResourceL1)}x an L1 resource (a bare custom resource: ${f2(perResourceFloor / perResourceL1)}x). What the library adds to a bare custom resource is its L2 construct: validation of every prop, the removal policy, tags produced at synthesis and checked, attributes as tokens, and a deeper call stack for the stack trace aws-cdk-lib records with every resource.`);
  md.push('- **Done in this round** (three commits: "Synth: Config written once, custom resources without the CustomResource wrapper, per-kind statements for a stack\'s own domain", "Provider: the framework\'s isComplete and onTimeout functions share one role", "Children of a domain of their own stack write its name as written into Config"): each custom resource is a `CfnResource` directly under its construct (the `CustomResource` wrapper is gone; logical IDs are unchanged, since aws-cdk-lib leaves the wrapper\'s `Default` child out of them, and `node.defaultChild` is now the `CfnResource`, as for aws-cdk-lib\'s own L2s); its `Config` is written once at construction (`src/private/config-json.ts`), character for character what `Stack.toJsonString` wrote, instead of a token that stringified the whole document at every resolution; children of a domain of their own stack write the domain\'s name as written (they wait for it through `DependsOn`) and depend on the domain only, not on the whole provider role; the handler is granted those children once per kind (`domains/<name>/<kind>/*`, with the reason in the policy\'s cdk-nag metadata), so the policy no longer grows with N and no overflow policy is ever added; the framework\'s isComplete and onTimeout functions share one role (13 support resources instead of 15). One-off A/B run of this harness\'s worker, the source before and after these commits built side by side and run interleaved in one process (40 rounds, 8 warm-up, medians, same machine and session): N=100 from 226 ms to 116 ms (L1 63 ms, floor 74 ms), N=10 from 40 ms to 28 ms (L1 9 ms, floor 22 ms).');
  md.push('- **Not done, with the reason:** building the provider\'s support resources as raw L1 resources instead of `cr.Provider` and `lambda.Function` (about half their cost in an experiment) would tie the library to aws-cdk-lib\'s internal framework runtime files and environment contract, which a user\'s newer aws-cdk-lib may change; even then the floor stays above 1.15 at N=10 (31 bare custom resources alone cost about what the 31 L1 resources cost), so it would not meet the target either.', '');

  // 2
  md.push('## 2. Handler cold start', '');
  md.push('`bench/bundle.ts`: the shipped bundle (`assets/handler/index.js`, built by `scripts/bundle-handler.mjs`: minified, ESM main fields first, credential chain replaced by an environment-only provider) against `esbuild --bundle --minify --platform=node` of a handler importing the same client and the same commands. Initialisation = `require` + client construction (`createClient`) in a fresh Node process, interleaved, median.', '');
  md.push('| | shipped | baseline | ratio | target |');
  md.push('|---|---|---|---|---|');
  md.push(`| size | ${kib(bundle.size.shippedBytes)} | ${kib(bundle.size.baselineBytes)} | **${f2(bundle.size.ratio)}** | <= ${bundle.size.target} ${ok(sizeMet)} |`);
  md.push(`| init (median of ${bundle.init.rounds}) | ${bundle.init.shippedMs.toFixed(1)} ms | ${bundle.init.baselineMs.toFixed(1)} ms | **${f2(bundle.init.ratio)}** | <= ${bundle.init.target} ${ok(initMet)} |`);
  md.push('');

  // 3
  md.push('## 3. API economy', '');
  md.push('`bench/deploy.ts` (`economy`), also a jest specification (`test/bench-api-economy.test.ts`, counts only): the example stack (`examples/customer-data-stack.ts`) deployed by the local engine with the bundled handler on the emulator, one resource at a time on a manual clock that moves 15 s (the query interval) after each "not yet" poll, each handler invocation charged with the requests the emulator logged while it ran. Steps: create; the same app deployed again; an Update whose properties did not change, sent straight to the handler (its own guard); delete (the domain and object types, retained by the stack by default, with a direct Delete).', '');
  md.push('| resource | create: writes | create: reads / polls | redeploy: calls | unchanged update: writes | delete: writes | delete: reads / polls |');
  md.push('|---|---|---|---|---|---|---|');
  for (const row of callsRows(econ.steps)) {
    const id = econ.steps.find((s) => s.step === 'create' && row.label.startsWith(label(s.logicalId)))!.logicalId;
    const get = (step: StepCalls['step']) => econ.steps.find((s) => s.logicalId === id && s.step === step);
    const create = get('create')!;
    const upd = get('update-unchanged');
    const del = get('delete');
    md.push(`| ${row.label} | ${create.writes.join(', ')} | ${create.reads} / ${create.polls} | ${row.redeployCalls} | ${upd?.writes.length ?? 0} | ${del?.writes.join(', ') ?? '-'} | ${del ? `${del.reads} / ${del.polls}` : '-'} |`);
  }
  md.push('');
  md.push(`${createSingle} of ${of('create').length} creates make exactly one write. The others make what their desired state needs and nothing more: a recommender created with \`enabled: false\` is trained and then stopped (StopRecommender); a segment is validated first (\`validateBeforeCreate\`, the default: CreateSegmentEstimate, then CreateSegmentDefinition once the estimate succeeded). Every poll makes at most one read (an object type is ready at once: its one poll reads nothing). **Done:** the segment's onEvent no longer reads the estimate it has just started (commit "Handler: a segment's validation estimate is read by isComplete only"): the framework's first isComplete follows at once, so that read was one call per segment for nothing.`, '');

  // 4
  md.push('## 4. Deploy time on the emulator', '');
  md.push(`\`bench/deploy.ts\` (\`deployTime\`): the example stack deployed by the engine (every resource starts when its dependencies are done, as in CloudFormation) with the bundled handler in its own process, on a clock ${time.factor} times faster than real time, with the emulator's default readiness durations (data store 300 s, recommender training 1,800 s, stop 120 s, segment estimate 5 s) and ${time.latencyMs} ms of service latency per call. The Provider's query interval is 15 s of simulated time. Simulated time also counts the emulator's and engine's own work times ${time.factor}, which is pessimistic: a smaller factor is closer to the real service, a larger one faster to run.`, '');
  md.push(`- critical path: ${time.criticalPath.map(label).join(' -> ')}, readiness ${sec(time.criticalPathReadinessMs)} + ${time.criticalPath.length} x 15 s = **${sec(time.boundMs)}**`);
  md.push(`- simulated deployment time: **${sec(time.simulatedMs)}** (ratio ${time.ratio.toFixed(3)}), ${sec(time.realMs)} of real time: ${ok(timeMet)}`);
  md.push(`- simulated time between two polls of a resource: 15 s + ${(time.pollOverheadMs / 1000).toFixed(2)} s (the call with its ${time.latencyMs} ms latency, plus the engine's and emulator's work times ${time.factor}); AWS's Step Functions retry and Lambda invocation add a few hundred milliseconds there too`);
  md.push(`- completion times (simulated): ${Object.entries(time.completedAtMs).map(([id, t]) => `${label(id)} ${sec(t)}`).join(', ')}`, '');
  md.push('Why the margin is small: polling only notices readiness at the next poll, and the next poll starts one interval after the previous one ended (the framework\'s retry waits the same way), so each wait ends up to one interval plus the call time after the readiness. The domain\'s readiness (300 s) is a whole number of intervals, so its lag is the overhead of its twenty polls. A recommender that must end stopped waits twice (training, then the stop) while the bound allows it one interval: the two waits add up to about one interval on average and to two at worst, so an unlucky run can exceed the bound by up to one interval.', '');

  // 5
  md.push('## 5. Scale', '');
  md.push(`\`bench/deploy.ts\` (\`scale\`): one stack with a domain, ${sc.recommenders} recommenders and ${sc.segments} segments, deployed by the engine (10 resources in progress at a time) with the bundled handler in its own process, on an emulator that throttles to **${sc.rps} requests per second** (token bucket, real time) and a clock ${sc.factor} times faster than real time. The handler's client retries throttled calls in the SDK's adaptive mode (up to 8 attempts, client-side rate limiting).`, '');
  md.push(`Result: **${sc.status}**, ${sc.created} of ${sc.recommenders + sc.segments + 1} resources created, ${sc.requests} requests of which ${sc.throttled} were throttled and retried, no failure, ${sec(sc.realMs)} of real time: ${ok(scaleMet)}.`, '');

  // 6
  if (packages) {
    const mib = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MiB`;
    md.push('## 6. Package size', '');
    md.push('`scripts/package-size.mjs` (also a CI step, which fails above the limits): `npm pack --dry-run` of each npm package of this repository, after the build. The construct library must stay within 1 MiB packed and 3 MiB unpacked; the local toolkit (emulator, service model, Spark SQL grammar, deploy engine, CLI) is a separate dev dependency and only reported.', '');
    md.push('| package | packed | unpacked | files | limit |', '| --- | --- | --- | --- | --- |');
    for (const p of packages) {
      const within = p.limits ? ok(p.packed <= p.limits.packed && p.unpacked <= p.limits.unpacked) : 'reported only';
      md.push(`| \`${p.name}\` | ${mib(p.packed)} | ${mib(p.unpacked)} | ${p.files} | ${p.limits ? `${mib(p.limits.packed)} / ${mib(p.limits.unpacked)}: ${within}` : within} |`);
    }
    md.push('');
  }

  md.push('## Reproduce', '');
  md.push('```sh\nnpm run bench                       # everything, rewrites this page and benchmarks.svg\nnpx ts-node -r tsconfig-paths/register --project bench/tsconfig.json bench/run.ts --quick   # smaller runs, writes bench/results/benchmarks.quick.md\nnpx jest test/bench-api-economy.test.ts                         # the call counts as a test\n```', '');

  const mdFile = quick ? path.join(RESULTS_DIR, 'benchmarks.quick.md') : path.join(ROOT, 'docs', 'benchmarks.md');
  const svgFile = quick ? path.join(RESULTS_DIR, 'benchmarks.quick.svg') : path.join(ROOT, 'docs', 'benchmarks.svg');
  writeFileSync(mdFile, md.join('\n'));
  writeFileSync(svgFile, svg);
  log(`wrote ${path.relative(ROOT, mdFile)} and ${path.relative(ROOT, svgFile)}`);
  for (const line of md.filter((l) => l.startsWith('| ') && /\| [1-5] \|/.test(l))) {
    console.log(line);
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
