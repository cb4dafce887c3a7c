/**
 * Targets 3-5, on the local emulator with the real, bundled handler:
 * - economy: Customer Profiles calls per resource and lifecycle step (create, redeploy without
 *   change, delete), read from the emulator's request log. Deterministic: one resource at a time,
 *   on a manual clock moved by the Provider's query interval (15 s) after each "not yet" poll.
 * - deployTime: the example stack on a scaled clock with the emulator's default (realistic)
 *   readiness durations; the simulated deployment time against the critical path of the
 *   resources' own readiness times plus one query interval per resource on that path.
 * - scale: 50 recommenders and 100 segments in one stack under a 5 requests/second throttle.
 */
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { CustomerDataStack } from '../examples/customer-data-stack';
import { DataStore, Domain, RecommenderRecipe, SegmentQuery } from '../src';
import {
  CustomResourceHandler, DeployResult, emptyState, EngineEvent, LocalDeployEngine, loadBundledHandler, stacksFromAssembly, StackInput,
} from '../src/local/deploy';
import { CfnTemplate, dependencyGraph } from '../src/local/deploy/template';
import { Clock, Emulator } from '../src/local/emulator';

/** The Provider's query interval (src/private/provider.ts), in simulated milliseconds. */
export const QUERY_INTERVAL_MS = 15_000;

/** A Customer Profiles call that only reads. Everything else changes the service. */
export function isRead(operation: string): boolean {
  return /^(Get|List|Search|Describe)/.test(operation);
}

/** Runs `fn` with console.log silenced: the in-process handler logs one JSON line per step, as in Lambda. */
export async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const log = console.log;
  console.log = () => undefined;
  try {
    return await fn();
  } finally {
    console.log = log;
  }
}

// ------------------------------------------------------------------ economy (target 3)

/** The calls one handler invocation made. */
export interface InvocationCalls {
  readonly logicalId: string;
  readonly resourceType: string;
  readonly requestType: string;
  readonly fn: 'onEvent' | 'isComplete';
  readonly operations: string[];
}

/** Calls of one resource in one lifecycle step. */
export interface StepCalls {
  readonly logicalId: string;
  readonly resourceType: string;
  readonly step: 'create' | 'redeploy' | 'delete';
  /** isComplete invocations (polls). */
  readonly polls: number;
  readonly writes: string[];
  readonly reads: number;
  /** The most reads any one poll made, and the reads onEvent made. */
  readonly maxReadsPerPoll: number;
  readonly onEventReads: number;
}

/**
 * Wraps a handler so that each invocation records the requests the emulator logged while it ran.
 * Exact only when invocations do not overlap (concurrency 1).
 */
export function recordingHandler(inner: CustomResourceHandler, emu: Emulator, into: InvocationCalls[]): CustomResourceHandler {
  const around = async <T>(fn: 'onEvent' | 'isComplete', event: { LogicalResourceId: string; ResourceType: string; RequestType: string }, call: () => Promise<T>) => {
    const before = emu.requests.length;
    try {
      return await call();
    } finally {
      into.push({
        logicalId: event.LogicalResourceId,
        resourceType: event.ResourceType,
        requestType: event.RequestType,
        fn,
        operations: emu.requests.slice(before).map((r) => r.operation),
      });
    }
  };
  return {
    onEvent: (event) => around('onEvent', event, () => inner.onEvent(event)),
    isComplete: (event) => around('isComplete', event, () => inner.isComplete(event)),
  };
}

function summarize(step: StepCalls['step'], calls: InvocationCalls[]): StepCalls[] {
  const byResource = new Map<string, InvocationCalls[]>();
  for (const c of calls) {
    byResource.set(c.logicalId, [...(byResource.get(c.logicalId) ?? []), c]);
  }
  return [...byResource.entries()].map(([logicalId, cs]) => {
    const ops = cs.flatMap((c) => c.operations);
    const polls = cs.filter((c) => c.fn === 'isComplete');
    return {
      logicalId,
      resourceType: cs[0].resourceType,
      step,
      polls: polls.length,
      writes: ops.filter((o) => !isRead(o)),
      reads: ops.filter(isRead).length,
      maxReadsPerPoll: Math.max(0, ...polls.map((p) => p.operations.filter(isRead).length)),
      onEventReads: cs.filter((c) => c.fn === 'onEvent').flatMap((c) => c.operations).filter(isRead).length,
    };
  });
}

function exampleStacks(): StackInput[] {
  const app = new App();
  new CustomerDataStack(app, 'CustomerData');
  return stacksFromAssembly(app.synth());
}

/**
 * Deploys the example stack, deploys it again unchanged, and destroys it, one resource at a time
 * on a manual clock, recording the Customer Profiles calls of every handler invocation.
 */
export async function economy(): Promise<{ steps: StepCalls[]; success: boolean[] }> {
  const emu = await Emulator.start({ clock: Clock.manual() });
  const calls: InvocationCalls[] = [];
  const engine = new LocalDeployEngine({
    handler: recordingHandler(loadBundledHandler(), emu, calls),
    endpoint: emu.endpoint,
    concurrency: 1,
    queryIntervalMs: 0,
    maxPolls: 220,
    onPoll: () => emu.clock.advance(QUERY_INTERVAL_MS),
  });
  const steps: StepCalls[] = [];
  const success: boolean[] = [];
  try {
    const created = await engine.deploy(exampleStacks(), emptyState());
    success.push(created.success);
    steps.push(...summarize('create', calls.splice(0)));
    const redeployed = await engine.deploy(exampleStacks(), created.state);
    success.push(redeployed.success);
    steps.push(...summarize('redeploy', calls.splice(0)));
    // Every emulated resource of the example takes part in each step, with or without calls.
    const ids = Object.values(created.state.stacks).flatMap((s) => Object.values(s.resources).filter((r) => r.emulated));
    for (const r of ids) {
      if (!steps.some((s) => s.step === 'redeploy' && s.logicalId === r.logicalId)) {
        steps.push({ logicalId: r.logicalId, resourceType: r.type, step: 'redeploy', polls: 0, writes: [], reads: 0, maxReadsPerPoll: 0, onEventReads: 0 });
      }
    }
    const destroyed = await engine.destroy(redeployed.state);
    success.push(destroyed.success);
    steps.push(...summarize('delete', calls.splice(0)));
  } finally {
    await emu.stop();
  }
  return { steps, success };
}

// ------------------------------------------------------------------ deploy time (target 4)

/** How long a resource of this library takes to become ready on the emulator, from its template. */
function readinessMs(type: string, config: string, emu: Emulator): number {
  const t = emu.timing;
  switch (type) {
    case 'Custom::CustomerProfilesDomain':
      return /"DataStore":\{"Enabled":true/.test(config) ? t.dataStoreReadySeconds * 1000 : 0;
    case 'Custom::CustomerProfilesRecommender':
      // A recommender that should end up stopped trains first, then stops.
      return (t.recommenderTrainingSeconds + (/"Enabled":false/.test(config) ? t.recommenderStopSeconds : 0)) * 1000;
    case 'Custom::CustomerProfilesSegmentDefinition':
      return /"ValidateBeforeCreate":false/.test(config) ? 0 : t.segmentEstimateSeconds * 1000;
    default:
      return 0;
  }
}

/** The Config property as text (literal parts of an Fn::Join are enough to read the flags). */
function configText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value ?? '').replace(/\\"/g, '"');
}

/** Longest path through the dependency graph, weighting each emulated resource by readiness + one query interval. */
export function criticalPath(template: CfnTemplate, emu: Emulator): { boundMs: number; path: string[]; readinessMs: number } {
  const resources = template.Resources ?? {};
  const graph = dependencyGraph(resources);
  const memo = new Map<string, { total: number; ready: number; path: string[] }>();
  const visit = (id: string): { total: number; ready: number; path: string[] } => {
    const known = memo.get(id);
    if (known) return known;
    const r = resources[id];
    const ours = r.Type.startsWith('Custom::CustomerProfiles');
    const ready = ours ? readinessMs(r.Type, configText(r.Properties?.Config), emu) : 0;
    let best = { total: 0, ready: 0, path: [] as string[] };
    for (const dep of graph.get(id) ?? []) {
      const d = visit(dep);
      if (d.total > best.total) best = d;
    }
    const own = ours ? ready + QUERY_INTERVAL_MS : 0;
    const result = { total: best.total + own, ready: best.ready + ready, path: ours ? [...best.path, id] : best.path };
    memo.set(id, result);
    return result;
  };
  let top = { total: 0, ready: 0, path: [] as string[] };
  for (const id of Object.keys(resources)) {
    const v = visit(id);
    if (v.total > top.total) top = v;
  }
  return { boundMs: top.total, path: top.path, readinessMs: top.ready };
}

/**
 * Deploys the example stack on a clock `factor` times faster than real time, with the emulator's
 * default readiness durations (data store 5 min, recommender training 30 min, stop 2 min,
 * segment estimate 5 s) and a service latency of `latencyMs` simulated milliseconds per call.
 */
export async function deployTime(factor = 200, latencyMs = 100) {
  const emu = await Emulator.start({ clock: Clock.scaled(factor), timing: { latencyMs: latencyMs / factor } });
  const events: EngineEvent[] = [];
  const engine = new LocalDeployEngine({
    handler: loadBundledHandler(),
    endpoint: emu.endpoint,
    queryIntervalMs: QUERY_INTERVAL_MS / factor,
    totalTimeoutMs: (55 * 60_000) / factor + 30_000,
    // CloudFormation starts every resource whose dependencies are done.
    concurrency: 100,
    onEvent: (e) => events.push(e),
  });
  const stacks = exampleStacks();
  let result: DeployResult;
  const simStart = emu.clock.now();
  const realStart = Date.now();
  try {
    result = await engine.deploy(stacks, emptyState());
  } finally {
    await emu.stop();
  }
  const simMs = emu.clock.now() - simStart;
  const bound = criticalPath(stacks[0].template, emu);
  const completed: Record<string, number> = {};
  for (const e of events) {
    if (e.kind === 'event' && e.status === 'CREATE_COMPLETE' && e.resourceType.startsWith('Custom::')) {
      completed[e.logicalId] = Math.round((Date.parse(e.timestamp) - realStart) * factor);
    }
  }
  return {
    success: result.success,
    factor,
    latencyMs,
    simulatedMs: Math.round(simMs),
    realMs: Date.now() - realStart,
    boundMs: bound.boundMs,
    criticalPathReadinessMs: bound.readinessMs,
    criticalPath: bound.path,
    ratio: simMs / bound.boundMs,
    completedAtMs: completed,
  };
}

// ------------------------------------------------------------------ scale (target 5)

export function scaleApp(recommenders: number, segments: number): App {
  const app = new App();
  const stack = new Stack(app, 'Scale');
  const domain = new Domain(stack, 'Customers', {
    domainName: 'scale-customers',
    dataStore: DataStore.enabled(),
    removalPolicy: RemovalPolicy.DESTROY,
  });
  for (let i = 0; i < recommenders; i++) {
    domain.addRecommender(`Recs${i}`, {
      recommenderName: `recs-${i}`,
      recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU,
      events: [{ eventType: 'purchase' }],
    });
  }
  for (let i = 0; i < segments; i++) {
    domain.addSegment(`Segment${i}`, {
      segmentDefinitionName: `segment-${i}`,
      displayName: `Segment ${i}`,
      query: SegmentQuery.sql(`SELECT * FROM _profile WHERE _profile.Attributes.tier = 'tier${i}'`),
    });
  }
  return app;
}

/**
 * Deploys `recommenders` recommenders and `segments` segments in one stack on the emulator with a
 * throttle of `rps` requests per second (real time), with the bundled handler in its own process.
 */
export async function scale(recommenders = 50, segments = 100, rps = 5, factor = 600) {
  const emu = await Emulator.start({ clock: Clock.scaled(factor) });
  emu.faults.throttle(rps);
  const engine = new LocalDeployEngine({
    endpoint: emu.endpoint,
    queryIntervalMs: QUERY_INTERVAL_MS / factor,
    totalTimeoutMs: 30 * 60_000,
  });
  const stacks = stacksFromAssembly(scaleApp(recommenders, segments).synth());
  const start = Date.now();
  let result: DeployResult;
  try {
    result = await engine.deploy(stacks, emptyState());
  } finally {
    await emu.stop();
  }
  const throttled = emu.requests.filter((r) => r.status === 429).length;
  const stack = result.stacks[0];
  return {
    recommenders,
    segments,
    rps,
    factor,
    success: result.success,
    status: stack?.status,
    reason: stack?.reason,
    created: (stack?.created ?? []).filter((id) => stacks[0].template.Resources?.[id]?.Type.startsWith('Custom::CustomerProfiles')).length,
    requests: emu.requests.length,
    throttled,
    realMs: Date.now() - start,
  };
}

if (require.main === module && !process.env.NO_MAIN) {
  const which = process.argv[2] ?? 'economy';
  const run = quietly(async () => which === 'economy' ? economy() : which === 'time' ? deployTime() : scale(Number(process.argv[3] ?? 50), Number(process.argv[4] ?? 100)));
  void run.then((r) => console.log(JSON.stringify(r, null, 1)), (e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
