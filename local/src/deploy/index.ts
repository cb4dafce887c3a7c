import * as fs from 'fs';
import { ProviderLimits, ResourceTypes } from '@cdk-customer-profiles/constructs/lib/private/contract';
import { Clock, Emulator } from '../emulator';
import { AssemblyLike, stacksFromAssembly, stacksFromAssemblyDir } from './assembly';
import { LocalDeployEngine } from './engine';
import { EventListener } from './events';
import { BUNDLED_HANDLER_PATH, CustomResourceHandler } from './provider-runtime';
import { DeploymentState, emptyState } from './state';
import { DeployResult, ProgressReader, StackInput, StackPlan } from './types';

export type { AssemblyLike } from './assembly';
export { stacksFromAssembly, stacksFromAssemblyDir } from './assembly';
export type {
  DeployResult, EngineOptions, ProgressReader, ProgressSubject, ResourceAction, ResourceChange, StackInput, StackPlan, StackResult,
} from './types';
export { LocalDeployEngine } from './engine';
export { orderStacks } from './schedule';
export { cfnStringify } from './requests';
export type { EngineEvent, EventListener, ProgressEvent, ResourceStatus, StackEvent } from './events';
export type { IdentityPolicySink } from './iam-policies';
export { formatEvent } from './events';
export type { CustomResourceHandler } from './provider-runtime';
export { loadBundledHandler, BUNDLED_HANDLER_PATH } from './provider-runtime';
export type { DeploymentState, ResourceState, StackState } from './state';
export { emptyState, loadState, saveState } from './state';
export type { CfnTemplate } from './template';

/** The Provider's query interval and total timeout, in simulated (service) time. */
const QUERY_INTERVAL_MS = ProviderLimits.QUERY_INTERVAL_SECONDS * 1000;
const TOTAL_TIMEOUT_MS = ProviderLimits.TOTAL_TIMEOUT_SECONDS * 1000;

/** An app to deploy: a CDK `App` (synthesized on deploy), a synthesized assembly, its directory, or stacks. */
export type DeployableApp = { synth(): AssemblyLike } | AssemblyLike | string | StackInput[];

export interface LocalDeploymentOptions {
  /**
   * How many times faster than real time the emulator's clock runs (data store readiness,
   * recommender training). The Provider's 15 s polling and 55 min timeout scale with it.
   * @default 600
   */
  readonly fast?: number;
  /**
   * Instead of a fast clock, start the emulator on a manual clock and move it forward by the
   * Provider's query interval (15 s) at every isComplete poll that answered "not yet": simulated
   * time then depends only on the number of polls, which makes tests deterministic.
   * @default false
   */
  readonly stepped?: boolean;
  /** Use this emulator instead of starting one (it is not stopped by `stop()`). With a manual clock, it is stepped. */
  readonly emulator?: Emulator;
  /** An in-process handler instead of the bundled one (which runs in a child process). @default the bundled handler */
  readonly handler?: CustomResourceHandler;
  /** Receives stack events and progress lines. */
  readonly onEvent?: EventListener;
  /**
   * Start from this state (e.g. loaded from a file). When it holds an emulator snapshot
   * (`stateWithEmulator()`), a started emulator is restored from it. @default empty
   */
  readonly state?: DeploymentState;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default '123456789012' */
  readonly account?: string;
  /**
   * Authorize the handler's requests in the emulator with its role's identity policies, as
   * deployed at each moment of a deployment (the role's inline policies, its default policy and
   * any overflow managed policies; AWS managed policies grant nothing), so that a permission the
   * library's statements lack, or one CloudFormation's order removes before a cleanup delete,
   * fails here as it would in AWS. Off: every request is allowed.
   * @default true
   */
  readonly iam?: boolean;
}

/**
 * A local deployment for tests and the CLI: the embedded emulator plus the deploy engine, with
 * the state carried from one `deploy` to the next, so that a second `deploy` of a changed app is
 * an update.
 *
 * ```ts
 * const local = await LocalDeployment.start();
 * const result = await local.deploy(app);            // a CDK App, or app.synth()
 * expect(local.emulator.state.domain('customers')).toBeDefined();
 * await local.destroy();
 * await local.stop();
 * ```
 */
export class LocalDeployment {
  public static async start(options: LocalDeploymentOptions = {}): Promise<LocalDeployment> {
    if (!options.handler && !fs.existsSync(BUNDLED_HANDLER_PATH)) {
      throw new Error(`The custom-resource handler bundle is missing: ${BUNDLED_HANDLER_PATH} (build it with \`node scripts/bundle-handler.mjs\`)`);
    }
    const fast = options.fast ?? 600;
    if (!(fast > 0)) {
      throw new Error(`fast must be a positive number, got ${fast}`);
    }
    let emulator = options.emulator;
    let restored = false;
    if (!emulator) {
      const emulatorOptions = {
        clock: options.stepped ? Clock.manual() : Clock.scaled(fast),
        region: options.region,
        accountId: options.account,
      };
      const snapshot = options.state?.emulator;
      if (snapshot !== undefined) {
        try {
          emulator = await Emulator.start({ ...emulatorOptions, restore: snapshot });
          restored = true;
        } catch {
          // An unreadable snapshot (another format, region or account): `restore()` re-creates
          // the resources from the deployment state instead.
          emulator = undefined;
        }
      }
      emulator ??= await Emulator.start(emulatorOptions);
    }
    return new LocalDeployment(emulator, !options.emulator, restored, isManual(emulator.clock) ? undefined : fast, options);
  }

  public readonly emulator: Emulator;
  public readonly engine: LocalDeployEngine;
  /** True when the emulator was started from the snapshot in `options.state.emulator`. */
  public readonly emulatorRestored: boolean;
  private currentState: DeploymentState;
  private readonly ownsEmulator: boolean;

  /** `fast` undefined: a manual clock, stepped at every poll. */
  private constructor(emulator: Emulator, ownsEmulator: boolean, restored: boolean, fast: number | undefined, options: LocalDeploymentOptions) {
    this.emulator = emulator;
    this.emulatorRestored = restored;
    this.ownsEmulator = ownsEmulator;
    this.currentState = options.state ?? emptyState();
    this.engine = new LocalDeployEngine({
      handler: options.handler,
      endpoint: emulator.endpoint,
      region: options.region,
      account: options.account,
      // Real milliseconds; a floor keeps polling from spinning, and the timeout keeps a margin
      // for real HTTP time, which does not scale with the emulator's clock.
      queryIntervalMs: fast === undefined ? 1 : Math.max(10, QUERY_INTERVAL_MS / fast),
      totalTimeoutMs: fast === undefined ? TOTAL_TIMEOUT_MS : Math.max(30_000, TOTAL_TIMEOUT_MS / fast),
      // Stepped: the state machine's maxAttempts, so that the timeout is in simulated time too.
      maxPolls: fast === undefined ? TOTAL_TIMEOUT_MS / QUERY_INTERVAL_MS : undefined,
      onPoll: fast === undefined ? () => emulator.clock.advance(QUERY_INTERVAL_MS) : undefined,
      progressIntervalMs: fast === undefined ? 0 : undefined,
      onEvent: options.onEvent,
      progress: emulatorProgress(emulator),
      identityPolicies: options.iam === false ? undefined : (policies, principalArn) => emulator.setIdentityPolicies(policies, principalArn),
    });
  }

  /** The state after the last operation (what a state file would hold). */
  public get state(): DeploymentState {
    return this.currentState;
  }

  /** The state with a snapshot of the emulator (what the CLI saves, so that the next run starts where this one ended). */
  public stateWithEmulator(): DeploymentState {
    return { ...this.currentState, emulator: this.emulator.snapshot() };
  }

  /** What `deploy(app)` would change. */
  public plan(app: DeployableApp): StackPlan[] {
    return this.engine.plan(stacksOf(app), this.currentState);
  }

  /** Deploys every stack of the app (creating or updating), rolling back a failed stack. */
  public async deploy(app: DeployableApp): Promise<DeployResult> {
    const result = await this.engine.deploy(stacksOf(app), this.currentState);
    this.currentState = result.state;
    return result;
  }

  /** Deletes the named stacks (default: all), dependents first. */
  public async destroy(stackNames?: string[]): Promise<DeployResult> {
    const result = await this.engine.destroy(this.currentState, stackNames);
    this.currentState = result.state;
    return result;
  }

  /** Re-creates the resources of the current state in the emulator (after a restart). */
  public async restore(): Promise<string[]> {
    return this.engine.restore(this.currentState);
  }

  /** Stops the emulator, when this deployment started it. */
  public async stop(): Promise<void> {
    if (this.ownsEmulator) {
      await this.emulator.stop();
    }
  }
}

/**
 * Deploys an app on a fresh emulator and returns the deployment (to assert on, update, destroy
 * and stop) with the result. Throws when the deployment failed, with the first failure.
 */
export async function deployApp(
  app: DeployableApp,
  options: LocalDeploymentOptions = {},
): Promise<{ deployment: LocalDeployment; result: DeployResult }> {
  const deployment = await LocalDeployment.start(options);
  const result = await deployment.deploy(app);
  if (!result.success) {
    await deployment.stop();
    const failed = result.stacks.find((s) => !s.success);
    throw new Error(`Local deployment failed: ${failed?.stackName}: ${failed?.reason ?? failed?.status}`);
  }
  return { deployment, result };
}

/** Readiness progress read from the emulator between polls: data store % and recommender status. */
export function emulatorProgress(emulator: Emulator): ProgressReader {
  return ({ resourceType, physicalId }) => {
    if (resourceType === ResourceTypes.DOMAIN) {
      const readiness = field(field(emulator.state.domain(physicalId), 'DataStore'), 'Readiness');
      const percent = field(readiness, 'ProgressPercentage');
      const message = field(readiness, 'Message');
      return typeof percent === 'number' ? `data store ${percent}%${typeof message === 'string' && message ? ` (${message})` : ''}` : undefined;
    }
    if (resourceType === ResourceTypes.RECOMMENDER) {
      const [domain, name] = physicalId.split('/');
      const recommender = name ? emulator.state.recommender(domain, name) : undefined;
      const status = field(recommender, 'Status');
      const update = field(field(recommender, 'LatestRecommenderUpdate'), 'Status');
      if (typeof status !== 'string') {
        return undefined;
      }
      return `recommender ${status}${typeof update === 'string' && update !== status ? ` (latest update ${update})` : ''}`;
    }
    return undefined;
  };
}

/** Scaled clocks refuse `advance`. */
function isManual(clock: Clock): boolean {
  try {
    clock.advance(0);
    return true;
  } catch {
    return false;
  }
}

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

/** The stacks of an app, a cloud assembly, its directory, or stacks as they are. */
export function stacksOf(app: DeployableApp): StackInput[] {
  if (typeof app === 'string') {
    return stacksFromAssemblyDir(app);
  }
  if (Array.isArray(app)) {
    return app;
  }
  if ('synth' in app && typeof app.synth === 'function') {
    return stacksFromAssembly(app.synth());
  }
  return stacksFromAssembly(app as AssemblyLike);
}
