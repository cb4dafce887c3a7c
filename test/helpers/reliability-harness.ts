import { ChildProcess, spawn } from 'child_process';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { resetClients } from '../../lambda/index';
import * as source from '../../lambda/index';
import type { CustomResourceHandler, DeployResult, EngineEvent } from '../../local/src/deploy';
import { BUNDLED_HANDLER_PATH, LocalDeployment } from '../../local/src/deploy';
import { Clock, Emulator, NO_TRAINING_REQUIREMENTS, Timing } from '../../local/src/emulator';
import {
  DataStore, Domain, DomainObjectType, IDomain, Recommender, RecommenderRecipe, SegmentDefinition, SegmentQuery,
} from '../../src';
import { DEADLINE_KEY, ResourceTypes } from '../../src/private/contract';

/**
 * The fault-matrix harness: the local deploy engine (stepped clock: 15 s of service time per
 * isComplete poll) with the library's handler in process, wrapped so that a test can
 *  - redeliver a request after the handler did its work but "crashed" before answering
 *    (CloudFormation / Lambda retrying the same request, same RequestId),
 *  - run a hook after onEvent (to make the service fail a resource while it is being created),
 *  - move a resource's own deadline into the past after some polls (time passing, without
 *    waiting for it).
 */

export const STACK = 'Reliability';
export const DOMAIN = 'customers';
export const OBJECT_TYPE = 'orders';
export const RECOMMENDER = 'for-you';
export const SEGMENT = 'gold';
/** The sensitive members the app sets (must never reach a log line or a failure reason). */
export const SECRET_SQL = "SELECT * FROM _profile WHERE _profile.Attributes.secret_tier = 'sapphire-7f3a'";
export const SECRET_DESCRIPTION = 'Confidential description 9c1e of the segment';

/** Each custom resource type of the library with the names the handler uses in its messages. */
export interface ResourceKind {
  readonly kind: 'Domain' | 'DomainObjectType' | 'Recommender' | 'SegmentDefinition';
  readonly type: string;
  readonly logicalPrefix: string;
  /** The operation that creates it. */
  readonly create: string;
  readonly read: string;
  readonly delete: string;
  /** How the handler names it in messages. */
  readonly label: string;
  /** Whether the emulator still holds it. */
  readonly exists: (emu: Emulator) => boolean;
}

export const KINDS: readonly ResourceKind[] = [
  {
    kind: 'Domain',
    type: ResourceTypes.DOMAIN,
    logicalPrefix: 'Customers',
    create: 'CreateDomain',
    read: 'GetDomain',
    delete: 'DeleteDomain',
    label: `Domain '${DOMAIN}'`,
    exists: (emu) => emu.state.domain(DOMAIN) !== undefined,
  },
  {
    kind: 'DomainObjectType',
    type: ResourceTypes.DOMAIN_OBJECT_TYPE,
    logicalPrefix: 'Orders',
    create: 'PutDomainObjectType',
    read: 'GetDomainObjectType',
    delete: 'DeleteDomainObjectType',
    label: `Domain object type '${DOMAIN}/${OBJECT_TYPE}'`,
    exists: (emu) => emu.state.objectType(DOMAIN, OBJECT_TYPE) !== undefined,
  },
  {
    kind: 'Recommender',
    type: ResourceTypes.RECOMMENDER,
    logicalPrefix: 'ForYou',
    create: 'CreateRecommender',
    read: 'GetRecommender',
    delete: 'DeleteRecommender',
    label: `Recommender '${DOMAIN}/${RECOMMENDER}'`,
    exists: (emu) => emu.state.recommender(DOMAIN, RECOMMENDER) !== undefined,
  },
  {
    kind: 'SegmentDefinition',
    type: ResourceTypes.SEGMENT_DEFINITION,
    logicalPrefix: 'Gold',
    create: 'CreateSegmentDefinition',
    read: 'GetSegmentDefinition',
    delete: 'DeleteSegmentDefinition',
    label: `Segment definition '${DOMAIN}/${SEGMENT}'`,
    exists: (emu) => emu.state.segmentDefinition(DOMAIN, SEGMENT) !== undefined,
  },
];

export function kind(name: ResourceKind['kind']): ResourceKind {
  return KINDS.find((k) => k.kind === name)!;
}

/** What the app of a test looks like; every field has a default. */
export interface AppOptions {
  readonly expirationDays?: number;
  readonly domainName?: string;
  readonly objectTypeName?: string;
  readonly objectTypeDescription?: string;
  readonly recommenderName?: string;
  readonly recommenderDescription?: string;
  readonly segmentName?: string;
  readonly segmentDisplayName?: string;
  /** DESTROY for every resource (the user asked for deletion). @default the construct defaults */
  readonly destroy?: boolean;
  /** Leave out resource kinds (and everything after them). */
  readonly only?: ReadonlyArray<ResourceKind['kind']>;
  /** A domain this stack does not manage, used instead of creating one. */
  readonly importDomain?: string;
}

/** A stack with a domain, an object type, a recommender and an SQL segment (each with a sensitive member). */
export function reliabilityApp(options: AppOptions = {}): App {
  const app = new App();
  const stack = new Stack(app, STACK);
  const removalPolicy = options.destroy ? RemovalPolicy.DESTROY : undefined;
  const only = new Set(options.only ?? KINDS.map((k) => k.kind));
  let domain: IDomain;
  if (options.importDomain) {
    domain = Domain.fromDomainName(stack, 'Imported', options.importDomain);
  } else {
    domain = new Domain(stack, 'Customers', {
      domainName: options.domainName ?? DOMAIN,
      dataStore: DataStore.enabled({ readinessTimeout: Duration.minutes(30) }),
      defaultExpiration: Duration.days(options.expirationDays ?? 365),
      removalPolicy,
    });
  }
  if (only.has('DomainObjectType')) {
    new DomainObjectType(stack, 'Orders', {
      domain,
      objectTypeName: options.objectTypeName ?? OBJECT_TYPE,
      description: options.objectTypeDescription ?? 'Orders of the web shop',
      fields: { OrderId: { source: '_source.OrderId', target: '_order.OrderId' } },
      removalPolicy,
    });
  }
  if (only.has('Recommender')) {
    new Recommender(stack, 'ForYou', {
      domain,
      recommenderName: options.recommenderName ?? RECOMMENDER,
      recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU,
      description: options.recommenderDescription ?? 'Home page picks',
      events: [{ eventType: 'purchase' }],
      timeout: Duration.minutes(50),
      removalPolicy,
    });
  }
  if (only.has('SegmentDefinition')) {
    new SegmentDefinition(stack, 'Gold', {
      domain,
      segmentDefinitionName: options.segmentName ?? SEGMENT,
      displayName: options.segmentDisplayName ?? 'Gold tier',
      description: SECRET_DESCRIPTION,
      query: SegmentQuery.sql(SECRET_SQL),
      removalPolicy,
    });
  }
  return app;
}

export interface Hooks {
  /** Resource type whose next Create (onEvent) is redelivered once after the handler did its work. */
  crashAfterCreate?: string;
  /** Same for the next request of this type and request type (Update, Delete). */
  crashAfter?: { resourceType: string; requestType: string };
  /** Called after each successful onEvent. */
  afterOnEvent?: (event: { ResourceType: string; RequestType: string; PhysicalResourceId?: string }) => void | Promise<void>;
  /**
   * After this many polls of a resource of this type, its deadline is in the past; only for the
   * first `requests` requests of that type (default: all), so that a rollback can have its own time.
   */
  deadline?: { resourceType: string; afterPolls: number; requests?: number };
}

export interface Harness {
  readonly local: LocalDeployment;
  readonly emu: Emulator;
  readonly hooks: Hooks;
  /** Every engine event (stack events, progress). */
  readonly events: EngineEvent[];
  /** How many times each request was delivered to onEvent, by RequestId. */
  readonly deliveries: Map<string, number>;
  stop(): Promise<void>;
}

/**
 * A harness for each test of the enclosing `describe`: started before it (the handler's logs
 * silenced), stopped after it. `use` receives each new one.
 */
export function startHarnessForEachTest(use: (harness: Harness) => void): void {
  let current: Harness | undefined;
  beforeEach(async () => {
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    current = await startHarness();
    use(current);
  });
  afterEach(async () => {
    await current?.stop();
    jest.restoreAllMocks();
  });
}

/** Starts an emulator on a manual clock and a local deployment stepped on it, with the wrapped handler. */
export async function startHarness(timing: Partial<Timing> = {}): Promise<Harness> {
  // The matrix injects faults and throttles per request, which ingesting the thousand-odd
  // objects a training needs would consume: its recommenders train on an empty domain, as in the
  // handler tests (local/test/emulator/training.test.ts covers the minimum).
  const emu = await Emulator.start({
    clock: Clock.manual(),
    timing: { dataStoreReadySeconds: 120, recommenderTrainingSeconds: 600, ...timing },
    training: NO_TRAINING_REQUIREMENTS,
  });
  const hooks: Hooks = {};
  const deliveries = new Map<string, number>();
  const polls = new Map<string, number>();
  const subject = new Set<string>();
  const handler: CustomResourceHandler = {
    async onEvent(event) {
      deliveries.set(event.RequestId, (deliveries.get(event.RequestId) ?? 0) + 1);
      const crash = (event.RequestType === 'Create' && hooks.crashAfterCreate === event.ResourceType)
        || (hooks.crashAfter?.resourceType === event.ResourceType && hooks.crashAfter.requestType === event.RequestType);
      if (crash) {
        hooks.crashAfterCreate = undefined;
        hooks.crashAfter = undefined;
        // The work is done, then the function dies before answering: the same request comes again.
        await source.onEvent(event as never);
        deliveries.set(event.RequestId, (deliveries.get(event.RequestId) ?? 0) + 1);
      }
      const result = await source.onEvent(event as never);
      await hooks.afterOnEvent?.(event);
      return result as never;
    },
    async isComplete(event) {
      const key = `${event.LogicalResourceId}|${event.RequestId}`;
      const n = (polls.get(key) ?? 0) + 1;
      polls.set(key, n);
      const d = hooks.deadline;
      if (d && d.resourceType === event.ResourceType && n === 1 && subject.size < (d.requests ?? Infinity)) {
        subject.add(event.RequestId);
      }
      const expired = d && d.resourceType === event.ResourceType && subject.has(event.RequestId) && n > d.afterPolls;
      const request = expired ? { ...event, Data: { ...event.Data, [DEADLINE_KEY]: Date.now() - 1 } } : event;
      return (await source.isComplete(request as never)) as never;
    },
  };
  const events: EngineEvent[] = [];
  const local = await LocalDeployment.start({ emulator: emu, handler, onEvent: (e) => events.push(e) });
  return {
    local,
    emu,
    hooks,
    events,
    deliveries,
    async stop() {
      resetClients();
      await local.stop();
      await emu.stop();
    },
  };
}

/** The handler source (what the bundle is built from) as the engine's in-process handler. */
export function sourceHandler(): CustomResourceHandler {
  return {
    onEvent: async (e) => (await source.onEvent(e as never)) as never,
    isComplete: async (e) => (await source.isComplete(e as never)) as never,
  };
}

/** Stack statuses CloudFormation can leave a stack in and still accept the next operation. */
export const SETTLED = ['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'ROLLBACK_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', 'DELETE_COMPLETE'];

/** The stack's final status and failure reason. */
export function outcome(result: DeployResult): { status: string; reason?: string } {
  const stack = result.stacks.find((s) => s.stackName === STACK) ?? result.stacks[0];
  return { status: stack.status, reason: stack.reason };
}

/**
 * The bundled handler (`assets/handler/index.js`, what ships) in its own Node process, like a
 * Lambda function, with everything it writes to stdout and stderr kept for inspection.
 */
export class CapturingBundleHandler implements CustomResourceHandler {
  public output = '';
  private child?: ChildProcess;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(private readonly env: Record<string, string>) {}

  public onEvent(event: Parameters<CustomResourceHandler['onEvent']>[0]) {
    return this.call('onEvent', event) as ReturnType<CustomResourceHandler['onEvent']>;
  }

  public isComplete(event: Parameters<CustomResourceHandler['isComplete']>[0]) {
    return this.call('isComplete', event) as ReturnType<CustomResourceHandler['isComplete']>;
  }

  public async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.disconnect();
    });
  }

  private call(fn: string, event: unknown): Promise<unknown> {
    const child = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      child.send({ id, fn, event });
    });
  }

  private start(): ChildProcess {
    if (this.child) return this.child;
    const worker = [
      'const mod = require(process.env.BUNDLE);',
      "process.on('message', async (m) => {",
      '  try { const r = await mod[m.fn](m.event); process.send({ id: m.id, ok: true, r: r === undefined ? null : r }); }',
      '  catch (e) { process.send({ id: m.id, ok: false, message: String(e && e.message) }); }',
      '});',
      "process.on('disconnect', () => process.exit(0));",
    ].join('\n');
    const child = spawn(process.execPath, ['-e', worker], {
      env: { ...process.env, ...this.env, BUNDLE: BUNDLED_HANDLER_PATH },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    child.stdout!.setEncoding('utf8').on('data', (c: string) => { this.output += c; });
    child.stderr!.setEncoding('utf8').on('data', (c: string) => { this.output += c; });
    child.on('message', (m: { id: number; ok: boolean; r?: unknown; message?: string }) => {
      const waiter = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.ok) waiter?.resolve(m.r ?? undefined);
      else waiter?.reject(new Error(m.message));
    });
    this.child = child;
    return child;
  }
}
