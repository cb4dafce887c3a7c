import * as fs from 'fs';
import { ENDPOINT_ENV, ProviderLimits, ResourceTypes } from '@cdk-customer-profiles/constructs/lib/private/contract';
import { EngineEvent, ProgressEvent, stackEventOf, stackLevelEvent } from './events';
import { HandlerProcess } from './handler-process';
import { HandlerIdentity, identityPoliciesOf } from './iam-policies';
import { CustomResourceHandler, CustomResourceRequest, invokeProvider, BUNDLED_HANDLER_PATH, ProviderResponse, ProviderTiming } from './provider-runtime';
import { cfnRequest } from './requests';
import { affectsIdentity, EngineHost, liveResources, Mutable, StackRun } from './run';
import { forwardOrder, runGraph, safeGraph } from './run-graph';
import { orderStacks, planStacks } from './schedule';
import { deployStack, destroyStack } from './stack-operations';
import type { DeploymentState, ResourceState } from './state';
import { DEFAULT_ACCOUNT, DEFAULT_REGION, DeployResult, EngineOptions, StackInput, StackPlan, StackResult } from './types';

// The engine's option and result types, with the class that takes and returns them.
export type {
  DeployResult, EngineOptions, ProgressReader, ProgressSubject, ResourceAction, ResourceChange, StackInput, StackPlan, StackResult,
} from './types';

/**
 * Plays CloudFormation's part for this library's custom resources: see docs/local-deploy.md.
 * Stacks run one after the other in dependency order; within a stack, each resource starts as
 * soon as its dependencies are done. This class holds what lasts across stacks (the options, the
 * handler, the events); the work is done in stack-operations.ts and the modules it calls.
 */
export class LocalDeployEngine {
  private readonly options: EngineOptions;
  private readonly emulated: Set<string>;
  private activeHandler?: CustomResourceHandler;
  private events: EngineEvent[] = [];

  public constructor(options: EngineOptions = {}) {
    this.options = options;
    this.emulated = new Set(options.emulatedTypes ?? Object.values(ResourceTypes));
  }

  /** What a deploy of `stacks` would do, from the templates alone (no handler calls). */
  public plan(stacks: StackInput[], state: DeploymentState): StackPlan[] {
    return planStacks(stacks, state, this.emulated, { region: this.region, account: this.account });
  }

  /** Deploys `stacks` (creating or updating each), rolling a failed stack back. Stops at the first failed stack. */
  public async deploy(stacks: StackInput[], state: DeploymentState): Promise<DeployResult> {
    return this.operation(state, orderStacks(stacks), (input, working) => deployStack(this.host, input, working));
  }

  /** Deletes the named stacks (default: all in the state), dependents first, honouring `DeletionPolicy`. */
  public async destroy(state: DeploymentState, stackNames?: string[]): Promise<DeployResult> {
    const names = stackNames ?? Object.keys(state.stacks);
    const targets = orderStacks(names.filter((n) => n in state.stacks).map((n) => ({
      stackName: n,
      template: state.stacks[n].template,
      dependencies: state.stacks[n].dependencies,
    }))).reverse();
    return this.operation(state, targets, (target, working) => destroyStack(this.host, working.stacks[target.stackName], working, new Set(names)));
  }

  /**
   * Re-creates the emulated resources of `state` in a fresh service (the CLI's emulator lives
   * only as long as one command): a Create with the stored properties, in dependency order,
   * without events. Returns a warning per resource that did not come back with its physical id.
   */
  public async restore(state: DeploymentState): Promise<string[]> {
    const warnings: string[] = [];
    const stacks = orderStacks(Object.values(state.stacks).map((s) => ({ ...s, dependencies: s.dependencies })));
    await this.withEnvironment(async () => {
      for (const stack of stacks) {
        const graph = safeGraph(stack.template.Resources ?? {});
        const ids = Object.values(stack.resources).filter((r) => r.emulated).map((r) => r.logicalId);
        await runGraph(forwardOrder(ids, graph), (id) => graph.get(id) ?? [], this.concurrency, false, async (id) => {
          const resource = stack.resources[id];
          const response = await invokeProvider(cfnRequest({
            RequestType: 'Create',
            StackId: stack.stackId,
            LogicalResourceId: id,
            ResourceType: resource.type,
            ResourceProperties: resource.properties,
          }), this.handler, this.timing);
          if (response.Status === 'FAILED' || response.PhysicalResourceId !== resource.physicalId) {
            warnings.push(`${stack.stackName}/${id}: could not be restored in the emulator (${response.Status === 'FAILED' ? response.Reason : `physical id ${response.PhysicalResourceId}`})`);
          }
          return true;
        });
      }
    });
    return warnings;
  }

  /** Runs `step` on each target in order on a copy of `state`, stopping at the first failed stack. */
  private async operation<T>(
    state: DeploymentState, targets: T[], step: (target: T, working: Mutable<DeploymentState>) => Promise<StackResult>,
  ): Promise<DeployResult> {
    this.events = [];
    const working: Mutable<DeploymentState> = { ...state, stacks: { ...state.stacks } };
    const results: StackResult[] = [];
    await this.withEnvironment(async () => {
      for (const target of targets) {
        const result = await step(target, working);
        results.push(result);
        if (!result.success) {
          break;
        }
      }
    });
    return { success: results.every((r) => r.success), state: working, stacks: results, events: this.events };
  }

  /** The engine's part that the stack operations, phases and resource steps call. */
  private get host(): EngineHost {
    return {
      concurrency: this.concurrency,
      emulated: this.emulated,
      region: this.region,
      account: this.account,
      invoke: (...args) => this.invoke(...args),
      emit: (event) => this.emit(event),
      stackEvent: (stackName, status, reason) => this.emit(stackLevelEvent(stackName, status, reason)),
      resourceEvent: (run, id, type, status, reason, physicalId) => this.emit(stackEventOf(run.name, id, type, status, reason, physicalId)),
      pushIdentity: (...args) => this.pushIdentity(...args),
      deployedChanged: (run, type) => this.deployedChanged(run, type),
    };
  }

  /** A request through the Provider framework, with readiness progress lines (throttled, changed messages only) between polls. */
  private async invoke(stackName: string, id: string, type: string, request: CustomResourceRequest): Promise<ProviderResponse> {
    let lastMessage: string | undefined;
    let lastAt = 0;
    return invokeProvider(request, this.handler, this.timing, (event) => {
      this.options.onPoll?.();
      const read = this.options.progress;
      if (!read) {
        return;
      }
      let text: string | undefined;
      try {
        text = read({ stackName, logicalId: id, resourceType: type, physicalId: event.PhysicalResourceId });
      } catch {
        // Progress is cosmetic: a reader that cannot find the resource yet says nothing.
        text = undefined;
      }
      const now = Date.now();
      if (text && text !== lastMessage && now - lastAt >= (this.options.progressIntervalMs ?? 1000)) {
        lastMessage = text;
        lastAt = now;
        const progress: ProgressEvent = {
          kind: 'progress',
          timestamp: new Date().toISOString(),
          stackName,
          logicalId: id,
          resourceType: type,
          physicalId: event.PhysicalResourceId,
          message: text,
        };
        this.emit(progress);
      }
    });
  }

  private get handler(): CustomResourceHandler {
    if (!this.activeHandler) {
      throw new Error('The handler is only available during an operation');
    }
    return this.activeHandler;
  }

  private get timing(): ProviderTiming {
    return {
      queryIntervalMs: this.options.queryIntervalMs ?? 50,
      totalTimeoutMs: this.options.totalTimeoutMs ?? ProviderLimits.TOTAL_TIMEOUT_SECONDS * 1000,
      maxPolls: this.options.maxPolls,
    };
  }

  private get concurrency(): number {
    return Math.max(1, this.options.concurrency ?? 10);
  }

  private get region(): string {
    return this.options.region ?? DEFAULT_REGION;
  }

  private get account(): string {
    return this.options.account ?? DEFAULT_ACCOUNT;
  }

  /**
   * Makes the handler available for the duration of `body`. The bundled handler runs in a child
   * process whose environment carries the endpoint override and region. An in-process handler
   * reads them from this process's environment, so they are set there and restored afterwards.
   * Credentials are left alone: against an endpoint override without credentials in the
   * environment, the handler's client factory signs with dummy ones itself.
   */
  private async withEnvironment(operation: () => Promise<void>): Promise<void> {
    try {
      await this.withHandler(operation);
    } finally {
      // The handler only runs during an operation: between them, the service is not authorized as it.
      this.options.identityPolicies?.(undefined);
    }
  }

  private async withHandler(body: () => Promise<void>): Promise<void> {
    const wanted: Record<string, string | undefined> = {
      [ENDPOINT_ENV]: this.options.endpoint,
      // The engine's region, which is also the emulator's: not whatever AWS_REGION the caller has.
      AWS_REGION: this.region,
    };
    if (!this.options.handler) {
      const bundle = this.options.handlerBundle ?? BUNDLED_HANDLER_PATH;
      if (!fs.existsSync(bundle)) {
        throw new Error(`The custom-resource handler bundle is missing: ${bundle} (build it with \`node scripts/bundle-handler.mjs\`)`);
      }
      const child = new HandlerProcess({ bundle, env: wanted });
      this.activeHandler = child;
      try {
        await body();
      } finally {
        this.activeHandler = undefined;
        await child.stop();
      }
      return;
    }
    const saved: Record<string, string | undefined> = {};
    for (const [key, value] of Object.entries(wanted)) {
      saved[key] = process.env[key];
      if (value !== undefined) {
        process.env[key] = value;
      }
    }
    this.activeHandler = this.options.handler;
    try {
      await body();
    } finally {
      this.activeHandler = undefined;
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) {
          delete process.env[key];
        } else {
          process.env[key] = value;
        }
      }
    }
  }

  /** After a resource of `type` changed in `run`: the handler's identity policies again, when they may have changed. */
  private deployedChanged(run: StackRun, type: string): void {
    if (affectsIdentity(type)) {
      this.pushIdentity(run.identity, liveResources(run), run);
    }
  }

  /**
   * Tells the emulator the handler role's identity policies as deployed now (issue #14: the
   * emulator authorizes every request of the handler with them). `undefined` (authorization
   * off) when the template names no handler role, e.g. a hand-written template with a literal
   * ServiceToken.
   */
  private pushIdentity(identity: HandlerIdentity | undefined, live: ResourceState[], scope: { partition: string; account: string }): void {
    const sink = this.options.identityPolicies;
    if (!sink) {
      return;
    }
    if (!identity) {
      sink(undefined);
      return;
    }
    const { policies, principalArn } = identityPoliciesOf(identity, live, scope);
    sink(policies, principalArn);
  }

  private emit(event: EngineEvent): void {
    this.events.push(event);
    this.options.onEvent?.(event);
  }
}
