/**
 * Target 6 (API economy) and the kept guards (deploy time, scale), on the local emulator with the real, bundled handler:
 * - economy: Customer Profiles calls per resource and lifecycle step (create, redeploy without
 *   change, delete), read from the emulator's request log. Deterministic: one resource at a time,
 *   on a manual clock moved by the Provider's query interval (15 s) after each "not yet" poll.
 * - deployTime: the example stack on a scaled clock with the emulator's default (realistic)
 *   readiness durations; the simulated deployment time against the critical path of the
 *   resources' own readiness times plus one query interval per resource on that path.
 * - scale: 50 recommenders and 100 segments in one stack under a 5 requests/second throttle.
 */
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { addExampleStacks } from '../examples/app';
import {
  BUNDLED_HANDLER_PATH, CustomResourceHandler, DeployResult, emptyState, EngineEvent, LocalDeployEngine, stacksFromAssembly, StackInput,
} from '../local/src/deploy';
import { HandlerProcess } from '../local/src/deploy/handler-process';
import { invokeProvider } from '../local/src/deploy/provider-runtime';
import { ResourceState } from '../local/src/deploy/state';
import { CfnTemplate, dependencyGraph } from '../local/src/deploy/template';
import { Clock, Emulator, NO_TRAINING_REQUIREMENTS } from '../local/src/emulator';
import { DataStore, Domain, RecommenderRecipe, SegmentQuery } from '../src';

/** The Provider's query interval (src/private/provider.ts), in simulated milliseconds. */
export const QUERY_INTERVAL_MS = 15_000;

/** A Customer Profiles call that only reads. Everything else changes the service. */
export function isRead(operation: string): boolean {
  return /^(Get|List|Search|Describe)/.test(operation);
}

/** The bundled handler in its own Node process, as Lambda runs it, talking to `emu`. */
export function bundledHandler(emu: Emulator): HandlerProcess {
  return new HandlerProcess({ bundle: BUNDLED_HANDLER_PATH, env: { CUSTOMER_PROFILES_ENDPOINT: emu.endpoint, AWS_REGION: 'us-east-1' } });
}

/**
 * Starts the handler's process and loads the bundle before the clock starts (a Lambda cold start
 * is a fraction of a second; a scaled clock would multiply the process start by its factor).
 */
async function warmUp(handler: CustomResourceHandler): Promise<void> {
  const event = {
    RequestType: 'Create' as const,
    ServiceToken: '',
    ResponseURL: '',
    StackId: '',
    RequestId: 'warm-up',
    LogicalResourceId: 'WarmUp',
    ResourceType: 'Custom::WarmUp',
    ResourceProperties: {},
  };
  await handler.onEvent(event).catch(() => undefined);
}

// ------------------------------------------------------------------ economy (target 6)

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
  /**
   * create; redeploy (the same app deployed again: the engine, like CloudFormation, does not call
   * the handler); update-unchanged (an Update whose properties did not change, sent straight to the
   * handler: its own guard); delete.
   */
  readonly step: 'create' | 'redeploy' | 'update-unchanged' | 'delete';
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

/** The example app: the platform stack and the personalization stack that uses its domain. */
function exampleStacks(): StackInput[] {
  const app = new App();
  addExampleStacks(app);
  return stacksFromAssembly(app.synth());
}

/**
 * The benchmarks count and time the handler's calls and waits, not training data: recommenders
 * train on an empty domain here (the demo and the lifecycle tests ingest data instead).
 */
const ANY_DATA_TRAINS = { training: NO_TRAINING_REQUIREMENTS };

/**
 * Deploys the example stack, deploys it again unchanged, sends each resource an Update with
 * unchanged properties, and destroys the stack (then deletes the resources the stack retains by
 * default, domain and object types, with a direct Delete), one resource at a time on a manual
 * clock, recording the Customer Profiles calls of every handler invocation.
 */
export async function economy(): Promise<{ steps: StepCalls[]; success: boolean[] }> {
  const emu = await Emulator.start({ clock: Clock.manual(), ...ANY_DATA_TRAINS });
  const calls: InvocationCalls[] = [];
  const handler = bundledHandler(emu);
  const recorder = recordingHandler(handler, emu, calls);
  const onPoll = () => emu.clock.advance(QUERY_INTERVAL_MS);
  const engine = new LocalDeployEngine({ handler: recorder, endpoint: emu.endpoint, concurrency: 1, queryIntervalMs: 0, maxPolls: 220, onPoll });
  const direct = async (requestType: 'Update' | 'Delete', r: ResourceState, stackId: string) => {
    const response = await invokeProvider({
      RequestType: requestType,
      ServiceToken: String(r.properties.ServiceToken ?? ''),
      ResponseURL: 'http://localhost/bench',
      StackId: stackId,
      RequestId: `bench-${requestType}-${r.logicalId}`,
      LogicalResourceId: r.logicalId,
      ResourceType: r.type,
      ResourceProperties: r.properties,
      PhysicalResourceId: r.physicalId,
      ...(requestType === 'Update' ? { OldResourceProperties: r.properties } : {}),
    }, recorder, { queryIntervalMs: 0, totalTimeoutMs: 60_000 }, onPoll);
    return response.Status === 'SUCCESS';
  };
  const steps: StepCalls[] = [];
  const success: boolean[] = [];
  try {
    const created = await engine.deploy(exampleStacks(), emptyState());
    success.push(created.success);
    steps.push(...summarize('create', calls.splice(0)));
    // Every resource of ours, in both stacks, with the id of its stack.
    const ours = Object.values(created.state.stacks).flatMap((stack) => Object.values(stack.resources)
      .filter((r) => r.emulated).map((r) => ({ ...r, stackId: stack.stackId })));

    const redeployed = await engine.deploy(exampleStacks(), created.state);
    success.push(redeployed.success);
    const redeploy = summarize('redeploy', calls.splice(0));
    // Every resource of ours takes part in the step, with or without calls.
    steps.push(...ours.map((r) => redeploy.find((s) => s.logicalId === r.logicalId)
      ?? { logicalId: r.logicalId, resourceType: r.type, step: 'redeploy' as const, polls: 0, writes: [], reads: 0, maxReadsPerPoll: 0, onEventReads: 0 }));

    for (const r of ours) {
      success.push(await direct('Update', r, r.stackId));
    }
    steps.push(...summarize('update-unchanged', calls.splice(0)));

    const destroyed = await engine.destroy(redeployed.state);
    success.push(destroyed.success);
    const retained = destroyed.stacks.flatMap((s) => s.retained);
    // Retained resources last, children before their domain.
    const order = ours.filter((r) => retained.includes(r.logicalId)).sort((a, b) => Number(a.type.endsWith('Domain')) - Number(b.type.endsWith('Domain')));
    for (const r of order) {
      success.push(await direct('Delete', r, r.stackId));
    }
    steps.push(...summarize('delete', calls.splice(0)));
  } finally {
    await handler.stop();
    await emu.stop();
  }
  return { steps, success };
}

// ------------------------------------------------------------------ deploy time (kept)

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

/**
 * A resource's desired state as text: its properties, one per member (or the single `Config` JSON
 * string of templates written before the structured desired state); literal parts of an Fn::Join
 * are enough to read the flags.
 */
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
    const ready = ours ? readinessMs(r.Type, configText(r.Properties), emu) : 0;
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
export async function deployTime(factor = 50, latencyMs = 100) {
  const emu = await Emulator.start({ clock: Clock.scaled(factor), timing: { latencyMs: latencyMs / factor }, ...ANY_DATA_TRAINS });
  const events: EngineEvent[] = [];
  const handler = bundledHandler(emu);
  // Real start times of every isComplete call, per resource: the gaps show the per-poll overhead.
  const pollStarts = new Map<string, number[]>();
  const timed: CustomResourceHandler = {
    onEvent: (event) => handler.onEvent(event),
    isComplete: (event) => {
      pollStarts.set(event.LogicalResourceId, [...(pollStarts.get(event.LogicalResourceId) ?? []), Date.now()]);
      return handler.isComplete(event);
    },
  };
  const engine = new LocalDeployEngine({
    handler: timed,
    endpoint: emu.endpoint,
    queryIntervalMs: QUERY_INTERVAL_MS / factor,
    totalTimeoutMs: (55 * 60_000) / factor + 30_000,
    // CloudFormation starts every resource whose dependencies are done.
    concurrency: 100,
    onEvent: (e) => events.push(e),
  });
  const stacks = exampleStacks();
  let result: DeployResult;
  let simMs: number;
  await warmUp(handler);
  const simStart = emu.clock.now();
  const realStart = Date.now();
  try {
    result = await engine.deploy(stacks, emptyState());
    simMs = emu.clock.now() - simStart;
  } finally {
    await handler.stop();
    await emu.stop();
  }
  // The example's stacks deploy one after the other (the personalization stack depends on the
  // platform stack), so the bound is the sum of each stack's critical path.
  const paths = stacks.map((stack) => criticalPath(stack.template, emu));
  const bound = {
    boundMs: paths.reduce((sum, p) => sum + p.boundMs, 0),
    readinessMs: paths.reduce((sum, p) => sum + p.readinessMs, 0),
    path: paths.flatMap((p) => p.path),
  };
  const completed: Record<string, number> = {};
  for (const e of events) {
    if (e.kind === 'event' && e.status === 'CREATE_COMPLETE' && e.resourceType.startsWith('Custom::')) {
      completed[e.logicalId] = Math.round((Date.parse(e.timestamp) - realStart) * factor);
    }
  }
  const gaps = [...pollStarts.values()].flatMap((starts) => starts.slice(1).map((t, i) => t - starts[i]));
  const meanGapMs = gaps.length ? gaps.reduce((a, b) => a + b, 0) / gaps.length : 0;
  return {
    success: result.success,
    factor,
    latencyMs,
    /** Simulated time between two polls of a resource beyond the query interval: call time plus the engine's and emulator's work, times the factor. */
    pollOverheadMs: Math.round(meanGapMs * factor - QUERY_INTERVAL_MS),
    simulatedMs: Math.round(simMs),
    realMs: Date.now() - realStart,
    boundMs: bound.boundMs,
    criticalPathReadinessMs: bound.readinessMs,
    criticalPath: bound.path,
    ratio: simMs / bound.boundMs,
    completedAtMs: completed,
  };
}

// ------------------------------------------------------------------ scale (kept)

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
  const emu = await Emulator.start({ clock: Clock.scaled(factor), ...ANY_DATA_TRAINS });
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
  const run = which === 'economy' ? economy() : which === 'time' ? deployTime(Number(process.argv[3] ?? 50)) : scale(Number(process.argv[3] ?? 50), Number(process.argv[4] ?? 100));
  void run.then((r) => console.log(JSON.stringify(r, null, 1)), (e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
