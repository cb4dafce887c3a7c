import { randomUUID } from 'crypto';
import * as http from 'http';
import { AddressInfo } from 'net';
import { authorizationsFor, authorize } from './authorization';
import { Clock } from './clock';
import { describeDomain, omitFromGetDomain, readinessProgress, registerDomainOperations } from './domain';
import { describeDomainObjectType, registerDomainObjectTypeOperations } from './domain-object-type';
import { ServiceError } from './errors';
import { Faults } from './faults';
import { checkPolicies, defaultPrincipalArn, IamOptions, PolicyDocument } from './iam';
import { isRecord, ServiceModel } from './model';
import { registerProfileObjectOperations } from './profile-objects';
import { errorResponse, HttpResponseParts, Input, Output, parseInput, serializeOutput } from './protocol';
import { describeRecommender, registerRecommenderOperations } from './recommender';
import { OperationRegistry } from './registry';
import { describeSegmentDefinition, registerSegmentDefinitionOperations } from './segment-definition';
import { EmulatorSnapshot, restoreSnapshot, takeSnapshot } from './snapshot';
import { Context, DEFAULT_TIMING, DEFAULT_TRAINING_REQUIREMENTS, SeedRecommendation, SeedRecord, Store, Timing, TrainingRequirements } from './state';
import { registerTagOperations } from './tags';
import { validateInput, validateShape, validationMessage } from './validate';

export interface EmulatorOptions {
  /** @default 0 (a free port) */
  readonly port?: number;
  /** Address to listen on. @default '127.0.0.1' (loopback only) */
  readonly host?: string;
  /** Requests whose path starts with `admin.prefix` go to `admin.handle` (not logged, no faults, no IAM): the standalone server's admin API. */
  readonly admin?: AdminRoutes;
  /** @default Clock.manual() */
  readonly clock?: Clock;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default '123456789012' */
  readonly accountId?: string;
  readonly timing?: Partial<Timing>;
  /**
   * The data a recommender's training needs (see TrainingRequirements: an assumption, after
   * Amazon Personalize's documented minimum). `NO_TRAINING_REQUIREMENTS` lets recommenders
   * train on an empty domain (handler tests).
   * @default DEFAULT_TRAINING_REQUIREMENTS (1,000 interactions, 25 users with 2 or more each)
   */
  readonly training?: Partial<TrainingRequirements>;
  /**
   * Check every response against the output shape (required members, types, constraints) and
   * answer 500 when the emulator itself breaks the model. @default true
   */
  readonly checkOutputs?: boolean;
  /** Start with the resources of a snapshot taken by `emu.snapshot()` (as far along as when it was taken). */
  readonly restore?: unknown;
  /**
   * Authorize every request against the caller's identity policies, as IAM does
   * (`emu.setIdentityPolicies` changes them at run time).
   * @default - IAM off: every request is allowed
   */
  readonly iam?: IamOptions;
}

/** A path prefix that no modeled route can match, and its handler. */
export interface AdminRoutes {
  readonly prefix: string;
  readonly handle: (method: string, url: URL, body: Buffer) => Promise<HttpResponseParts>;
}

/** One line of the request log (no bodies: they carry customer data). */
export interface RequestRecord {
  readonly operation: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly timeMs: number;
}

/** Read-only views of the emulator's resources, in the shape their Get* operation answers. */
export class StateView {
  constructor(private readonly ctx: Context) {}

  public domains(): string[] {
    this.sweep();
    return [...this.ctx.store.domains.keys()].sort();
  }

  public domain(name: string): Output | undefined {
    this.sweep();
    const d = this.ctx.store.domains.get(name);
    return d ? plain(describeDomain(this.ctx, d)) : undefined;
  }

  public objectType(domainName: string, name: string): Output | undefined {
    this.sweep();
    const d = this.ctx.store.domains.get(domainName);
    const t = d?.objectTypes.get(name);
    return d && t ? plain(describeDomainObjectType(this.ctx, t)) : undefined;
  }

  public recommender(domainName: string, name: string): Output | undefined {
    this.sweep();
    const r = this.ctx.store.domains.get(domainName)?.recommenders.get(name);
    return r ? plain(describeRecommender(this.ctx, r)) : undefined;
  }

  public segmentDefinition(domainName: string, name: string): Output | undefined {
    this.sweep();
    const s = this.ctx.store.domains.get(domainName)?.segments.get(name);
    return s ? plain(describeSegmentDefinition(this.ctx, s)) : undefined;
  }

  private sweep(): void {
    this.ctx.store.sweep(this.ctx.clock.now());
  }
}

/**
 * A local Amazon Connect Customer Profiles endpoint: restJson1 over HTTP on 127.0.0.1, routes
 * and input validation from the service model, state in memory, slow things on `clock`.
 */
export class Emulator {
  public static async start(options: EmulatorOptions = {}): Promise<Emulator> {
    const emu = new Emulator(options);
    await emu.listen(options.port ?? 0);
    return emu;
  }

  public readonly clock: Clock;
  public readonly faults: Faults;
  public readonly requests: RequestRecord[] = [];
  public readonly state: StateView;
  public readonly timing: Timing;
  private readonly model = ServiceModel.load();
  private readonly registry: OperationRegistry;
  private readonly store: Store;
  private readonly ctx: Context;
  private readonly server: http.Server;
  private readonly checkOutputs: boolean;
  private port = 0;
  private readonly host: string;
  private readonly admin: AdminRoutes | undefined;
  private policies: PolicyDocument[] | undefined;
  private principalArn: string;

  private constructor(options: EmulatorOptions) {
    this.clock = options.clock ?? Clock.manual();
    this.checkOutputs = options.checkOutputs ?? true;
    this.host = options.host ?? '127.0.0.1';
    this.admin = options.admin;
    if (this.admin) checkAdminPrefix(this.model, this.admin.prefix);
    this.timing = { ...DEFAULT_TIMING, ...(options.timing ?? {}) };
    this.store = new Store(options.region ?? 'us-east-1', options.accountId ?? '123456789012');
    const training = { ...DEFAULT_TRAINING_REQUIREMENTS, ...(options.training ?? {}) };
    this.ctx = { store: this.store, clock: this.clock, timing: this.timing, training, model: this.model };
    this.state = new StateView(this.ctx);
    this.principalArn = defaultPrincipalArn(this.store.accountId);
    if (options.iam) this.setIdentityPolicies(options.iam.policies, options.iam.principalArn);
    if (options.restore !== undefined) restoreSnapshot(this.store, options.restore, this.clock.now());
    this.faults = new Faults(new Set(this.model.operations.keys()));
    this.registry = new OperationRegistry(this.model);
    registerDomainOperations(this.registry);
    registerTagOperations(this.registry);
    registerDomainObjectTypeOperations(this.registry);
    registerRecommenderOperations(this.registry);
    registerSegmentDefinitionOperations(this.registry);
    registerProfileObjectOperations(this.registry);
    this.server = http.createServer((req, res) => {
      // handle() answers every error itself; this only catches a broken socket while writing.
      this.handle(req, res).catch(() => res.destroy());
    });
  }

  /** `http://HOST:PORT` (a wildcard host is reached on loopback) */
  public get endpoint(): string {
    const host = this.host === '0.0.0.0' ? '127.0.0.1' : this.host === '::' ? '::1' : this.host;
    return `http://${host.includes(':') ? `[${host}]` : host}:${this.port}`;
  }

  /** True when requests are authorized against identity policies. */
  public get iamEnabled(): boolean {
    return this.policies !== undefined;
  }

  /**
   * The caller's identity policies from now on (the next request is authorized with them);
   * `undefined` turns IAM off. `principalArn` names the caller in AccessDeniedException messages
   * (kept from the previous call when not given).
   */
  public setIdentityPolicies(policies: PolicyDocument[] | undefined, principalArn?: string): void {
    if (policies) checkPolicies(policies);
    // A copy: the caller may go on changing its documents while a deployment runs.
    this.policies = policies === undefined ? undefined : JSON.parse(JSON.stringify(policies)) as PolicyDocument[];
    if (principalArn !== undefined) this.principalArn = principalArn;
  }

  /** Names of the operations the emulator implements. */
  public get implementedOperations(): string[] {
    return this.registry.names();
  }

  /** Stops the server and drops its connections; calling it again does nothing. */
  public async stop(): Promise<void> {
    if (!this.server.listening) return;
    await new Promise<void>((resolve, reject) => {
      this.server.close((err) => (err ? reject(err) : resolve()));
      // The SDK keeps connections alive; close them so stop() does not wait for their timeout.
      this.server.closeAllConnections();
    });
  }

  /** A JSON-serializable copy of every resource, for `EmulatorOptions.restore`. */
  public snapshot(): EmulatorSnapshot {
    this.store.sweep(this.clock.now());
    return takeSnapshot(this.store, this.clock.now());
  }

  public resetRequests(): void {
    this.requests.length = 0;
  }

  /** Replaces every resource with those of a snapshot (as `EmulatorOptions.restore` does at start). */
  public restore(snapshot: unknown): void {
    restoreSnapshot(this.store, snapshot, this.clock.now());
  }

  /** Forgets every resource, fault and logged request (the clock and IAM settings stay). */
  public reset(): void {
    this.store.domains.clear();
    this.store.tags.clear();
    this.faults.clear();
    this.resetRequests();
  }

  /**
   * Runs an operation in-process with the same validation and rules as over HTTP, but without
   * faults, throttling, IAM or the request log (test set-up, such as loading sample data).
   */
  public call(operation: string, input: Input): Output {
    const op = this.model.operation(operation);
    const errors = validateInput(this.model, op.inputShape, input);
    if (errors.length > 0) throw new ServiceError('BadRequestException', validationMessage(errors));
    const handler = this.registry.get(operation);
    if (!handler) throw new ServiceError('NotImplementedException', `Operation ${operation} is not implemented by the local Customer Profiles emulator`);
    this.store.sweep(this.clock.now());
    return handler(input, this.ctx);
  }

  /**
   * Makes the recommender end in FAILED with this reason: a transition under way (training,
   * starting, stopping) ends in FAILED when it would have finished; a settled recommender fails
   * now; an update under way fails (and the recommender keeps its previous configuration).
   */
  public failRecommender(domainName: string, recommenderName: string, reason: string): void {
    this.store.sweep(this.clock.now());
    const rec = this.store.domains.get(domainName)?.recommenders.get(recommenderName);
    if (!rec) throw new Error(`failRecommender: no recommender ${recommenderName} in domain ${domainName}`);
    const now = this.clock.now();
    if (rec.latestUpdate && !rec.latestUpdate.applied && rec.latestUpdate.until > now) {
      rec.latestUpdate.failureReason = reason;
      return;
    }
    const past = rec.phases.filter((p) => p.from <= now);
    const future = rec.phases.filter((p) => p.from > now);
    const end = future.length > 0 ? future[future.length - 1].from : now;
    rec.phases = [...past, ...future.slice(0, -1), { status: 'FAILED', from: end }];
    rec.failureReason = reason;
  }

  /** Stops the domain's data store readiness where it is, reporting `message`. */
  public failDataStore(domainName: string, message: string): void {
    const domain = this.store.domains.get(domainName);
    if (!domain?.dataStore?.enabled || domain.dataStore.readyFrom === undefined) {
      throw new Error(`failDataStore: domain ${domainName} does not exist or has no data store enabled`);
    }
    const progress = Math.min(99, readinessProgress(this.ctx, domain.dataStore.readyFrom));
    domain.dataStore.failure = { message, progress };
  }

  /**
   * Makes GetDomain answer this domain without `DataStore.Readiness`, or without `DataStore` at
   * all: both are optional in the model (a test hook; not kept in snapshots).
   */
  public omitFromGetDomain(domainName: string, member: 'Readiness' | 'DataStore'): void {
    omitFromGetDomain(this.seedDomain('omitFromGetDomain', domainName), member);
  }

  /** Makes the domain's segment estimates (running and future) end FAILED with this message; `undefined` lets them succeed again. */
  public failSegmentEstimates(domainName: string, message: string | undefined): void {
    this.seedDomain('failSegmentEstimates', domainName).estimateFailure = message;
  }

  /** Object records for ListObjectTypeAttributeValues and GetObjectTypeAttributeStatistics. */
  public seedObjects(domainName: string, objectTypeName: string, records: SeedRecord[]): void {
    const domain = this.seedDomain('seedObjects', domainName);
    const at = this.clock.now();
    domain.objects.set(objectTypeName, [...(domain.objects.get(objectTypeName) ?? []), ...records.map((r) => ({ values: { ...r }, at }))]);
  }

  /**
   * Profiles that segment estimates and memberships count (in the Profile shape: ProfileId,
   * FirstName, Attributes, ...). A profile without a ProfileId gets a random one.
   */
  public seedProfiles(domainName: string, profiles: Array<Record<string, unknown>>): void {
    const domain = this.seedDomain('seedProfiles', domainName);
    const seeded = profiles.map((p) => ({ ProfileId: randomUUID().replace(/-/g, ''), ...p }));
    seeded.forEach((p, i) => {
      // A profile off the model would only surface later, as a broken GetSegmentMembership answer.
      const violations = validateShape(this.model, 'com.amazonaws.customerprofiles#Profile', p);
      if (violations.length > 0) throw new Error(`seedProfiles: profile ${i} does not fit the Profile shape: ${violations.join('; ')}`);
    });
    domain.profiles.push(...seeded);
  }

  /** Items GetProfileRecommendations returns for a profile. */
  public seedRecommendations(domainName: string, recommenderName: string, profileId: string, items: SeedRecommendation[]): void {
    const domain = this.seedDomain('seedRecommendations', domainName);
    const bad = items.find((i) => i.score !== undefined && !(i.score >= 0 && i.score <= 1));
    if (bad) throw new Error(`seedRecommendations: scores are between 0 and 1, got ${bad.score} for ${bad.catalogItemId}`);
    const byProfile = domain.recommendations.get(recommenderName) ?? new Map<string, SeedRecommendation[]>();
    byProfile.set(profileId, items.map((i) => ({ ...i })));
    domain.recommendations.set(recommenderName, byProfile);
  }

  private seedDomain(what: string, domainName: string) {
    const domain = this.store.domains.get(domainName);
    if (!domain) throw new Error(`${what}: domain ${domainName} does not exist (create it first)`);
    return domain;
  }

  private async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, this.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = performance.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let operation = 'Unknown';
    let response: HttpResponseParts;
    try {
      const body = await readBody(req);
      if (this.admin && (url.pathname === this.admin.prefix || url.pathname.startsWith(`${this.admin.prefix}/`))) {
        const answer = await this.admin.handle(method, url, body);
        res.writeHead(answer.status, { ...answer.headers, 'content-length': String(Buffer.byteLength(answer.body)) });
        res.end(answer.body);
        return;
      }
      const match = this.model.match(method, url.pathname, url.searchParams);
      if (!match) {
        throw new ServiceError('UnknownOperationException', `No operation matches ${method} ${url.pathname}`);
      }
      operation = match.operation.name;
      response = await this.dispatch(match.operation.name, () => {
        const input = parseInput(this.model, match.operation, { labels: match.labels, query: url.searchParams, headers: req.headers, body });
        const errors = validateInput(this.model, match.operation.inputShape, input);
        if (errors.length > 0) throw new ServiceError('BadRequestException', validationMessage(errors));
        const handler = this.registry.get(match.operation.name);
        if (!handler) {
          throw new ServiceError('NotImplementedException', `Operation ${match.operation.name} is not implemented by the local Customer Profiles emulator`);
        }
        this.store.sweep(this.clock.now());
        // After validation, as the service: a malformed request is refused before it is authorized.
        if (this.policies) authorize(this.policies, this.principalArn, authorizationsFor(match.operation.name, input, this.store));
        const output = handler(input, this.ctx);
        if (this.checkOutputs) {
          const violations = validateShape(this.model, match.operation.outputShape, output);
          if (violations.length > 0) {
            throw new Error(`the ${match.operation.name} output does not satisfy the model: ${violations.join('; ')}`);
          }
        }
        return serializeOutput(this.model, match.operation, output);
      });
    } catch (err) {
      response = toErrorResponse(err);
    }
    if (this.timing.latencyMs > 0) await sleep(this.timing.latencyMs);
    const headers = { ...response.headers, 'x-amzn-requestid': randomUUID(), 'content-length': String(Buffer.byteLength(response.body)) };
    res.writeHead(response.status, headers);
    res.end(response.body);
    const timeMs = Math.round((performance.now() - started) * 1000) / 1000;
    this.requests.push({ operation, method, path: url.pathname, status: response.status, timeMs });
  }

  /** Faults and throttling come first, as with the service: a throttled request is never validated. */
  private async dispatch(operation: string, run: () => HttpResponseParts): Promise<HttpResponseParts> {
    const fault = this.faults.take(operation);
    if (fault && fault.latencyMs > 0) await sleep(fault.latencyMs);
    if (fault?.error) throw new ServiceError(fault.error.name, fault.error.message);
    if (!this.faults.admit()) throw new ServiceError('ThrottlingException', 'Rate exceeded');
    return run();
  }
}

/** An admin prefix must never shadow an operation: no modeled route may start with its first segment. */
function checkAdminPrefix(model: ServiceModel, prefix: string): void {
  const first = /^\/([^/]+)$/.exec(prefix)?.[1];
  if (!first) throw new Error(`admin prefix must be one path segment such as /_emulator, got ${prefix}`);
  for (const op of model.operations.values()) {
    const seg = op.segments[0];
    if (!seg || seg.kind === 'label' || seg.value === first) {
      throw new Error(`admin prefix ${prefix} could match the route of ${op.name} (${op.method} ${op.uri})`);
    }
  }
}

/** A deep copy without undefined members, like what the SDK hands back (timestamps stay Dates). */
function plain(output: Output): Output {
  const copy = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(copy);
    if (isRecord(v)) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = copy(x);
      return out;
    }
    return v;
  };
  return copy(output) as Output;
}

function toErrorResponse(err: unknown): HttpResponseParts {
  if (err instanceof ServiceError) return errorResponse(err.errorName, err.status, err.message);
  // A bug in the emulator: say so without echoing the request.
  const message = err instanceof Error ? err.message : String(err);
  return errorResponse('InternalServerException', 500, `Emulator error: ${message}`);
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
