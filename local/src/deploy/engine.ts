import { randomUUID } from 'crypto';
import * as fs from 'fs';
import { ENDPOINT_ENV, ProviderLimits, ResourceTypes } from '@cdk-customer-profiles/constructs/lib/private/contract';
import { EngineEvent, EventListener, ProgressEvent, ResourceStatus, StackEvent } from './events';
import { HandlerProcess } from './handler-process';
import { HandlerIdentity, handlerIdentityOf, IdentityPolicySink, identityPoliciesOf } from './iam-policies';
import { evaluateCondition, NO_VALUE, pseudoParameters, resolveValue, ResolveContext } from './intrinsics';
import { cleanup, DeleteOutcome, liveResources, Mutable, PhaseHost, rollbackCreate, rollbackUpdate, StackRun, UpdateOutcome } from './phases';
import { placeholderAttribute, placeholderPhysicalId } from './placeholders';
import { CustomResourceHandler, CustomResourceRequest, invokeProvider, BUNDLED_HANDLER_PATH, ProviderResponse, ProviderTiming } from './provider-runtime';
import { dependents, forwardOrder, reverseOrder, runGraph, safeGraph } from './run-graph';
import { DeploymentState, ResourceState, StackState } from './state';
import { CfnResource, CfnTemplate, dependencyGraph, getAttUsage, referencedIds, waves } from './template';

/** One stack of an app, as the engine takes it (see `stacksFromAssembly`). */
export interface StackInput {
  readonly stackName: string;
  readonly template: CfnTemplate;
  /** Names of the stacks this one depends on (deployed first). */
  readonly dependencies?: string[];
  /** @default the engine's region */
  readonly region?: string;
  /** @default the engine's account */
  readonly account?: string;
}

/** What a resource needs in order to print readiness progress. Never its properties. */
export interface ProgressSubject {
  readonly stackName: string;
  readonly logicalId: string;
  readonly resourceType: string;
  readonly physicalId: string;
}

/** Returns a progress message for a resource that is still being waited for, or undefined. */
export type ProgressReader = (subject: ProgressSubject) => string | undefined;

export interface EngineOptions {
  /**
   * An in-process custom-resource handler (a fake, or the handler's source in tests).
   * @default the bundled handler (`handlerBundle`), run in a child process like a Lambda function
   */
  readonly handler?: CustomResourceHandler;
  /** The handler bundle run in a child process when `handler` is not given. @default assets/handler/index.js of this package */
  readonly handlerBundle?: string;
  /** Service endpoint the handler's client uses (set in `CUSTOMER_PROFILES_ENDPOINT` while the engine runs). @default - unset */
  readonly endpoint?: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default '123456789012' */
  readonly account?: string;
  /** Milliseconds between isComplete calls. @default 50 */
  readonly queryIntervalMs?: number;
  /** Milliseconds before a resource fails with "Operation timed out" (the Provider's totalTimeout). @default 55 minutes */
  readonly totalTimeoutMs?: number;
  /** isComplete calls before "Operation timed out", whatever the time. @default - no limit but totalTimeoutMs */
  readonly maxPolls?: number;
  /** How many resources of a stack may be in progress at once. @default 10 */
  readonly concurrency?: number;
  /** Receives every stack event and progress line as it happens. */
  readonly onEvent?: EventListener;
  /** Reads readiness progress between isComplete polls. */
  readonly progress?: ProgressReader;
  /** Called after every isComplete that answered "not yet" (a test can move a manual clock here). */
  readonly onPoll?: () => void;
  /** At most one progress line per resource per this many milliseconds (a changed message only). @default 1000 */
  readonly progressIntervalMs?: number;
  /** Custom resource types sent to the handler. @default this library's four types */
  readonly emulatedTypes?: readonly string[];
  /**
   * Receives the handler role's identity policies as deployed, at the start of each stack
   * operation and after every change of an IAM resource (and `undefined`, authorization off,
   * when the operation ends or the template names no handler role). `LocalDeployment` passes
   * the emulator's `setIdentityPolicies`. @default - none (the handler is not authorized)
   */
  readonly identityPolicies?: IdentityPolicySink;
}

export type ResourceAction = 'create' | 'update' | 'delete' | 'no-change' | 'may-update';

/** The planned change of one resource. */
export interface ResourceChange {
  readonly logicalId: string;
  readonly resourceType: string;
  readonly action: ResourceAction;
  /** False for types that are only given placeholders. */
  readonly emulated: boolean;
  /** Why `may-update`: the dependencies whose values may change. */
  readonly because?: string[];
}

/** The planned changes of one stack. */
export interface StackPlan {
  readonly stackName: string;
  readonly action: 'create' | 'update' | 'no-change';
  readonly changes: ResourceChange[];
}

/** The outcome of one stack. */
export interface StackResult {
  readonly stackName: string;
  /** Final stack status (CREATE_COMPLETE, UPDATE_COMPLETE, ROLLBACK_COMPLETE, UPDATE_ROLLBACK_COMPLETE, DELETE_COMPLETE, ...FAILED). */
  readonly status: string;
  readonly success: boolean;
  /** The first failure, when the stack failed. */
  readonly reason?: string;
  readonly created: string[];
  readonly updated: string[];
  readonly replaced: string[];
  readonly deleted: string[];
  /** Resources kept because of `DeletionPolicy` / `UpdateReplacePolicy: Retain`. */
  readonly retained: string[];
  /** Logical ids of resources given placeholders only (with their types). */
  readonly notEmulated: { logicalId: string; resourceType: string }[];
  readonly outputs: Record<string, unknown>;
  /** Deletes that failed after a successful update (the stack stays UPDATE_COMPLETE, as in CloudFormation). */
  readonly cleanupFailures: string[];
}

/** The outcome of a deploy or destroy. */
export interface DeployResult {
  readonly success: boolean;
  /** The state to keep for the next run. */
  readonly state: DeploymentState;
  readonly stacks: StackResult[];
  readonly events: EngineEvent[];
}

const DEFAULT_REGION = 'us-east-1';
const DEFAULT_ACCOUNT = '123456789012';
const STACK_TYPE = 'AWS::CloudFormation::Stack';

/**
 * Plays CloudFormation's part for this library's custom resources: see docs/local-deploy.md.
 * Stacks run one after the other in dependency order; within a stack, each resource starts as
 * soon as its dependencies are done.
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
    return orderStacks(stacks).map((input) => {
      const old = state.stacks[input.stackName];
      const resources = this.activeResources(input, old?.stackId ?? 'plan');
      const oldResources = old ? old.template.Resources ?? {} : {};
      const graph = dependencyGraph(resources);
      const changes: ResourceChange[] = [];
      const changing = new Set<string>();
      for (const wave of waves(graph)) {
        for (const id of wave) {
          const def = resources[id];
          const emulated = this.emulated.has(def.Type);
          let action: ResourceAction;
          let because: string[] | undefined;
          if (!old || !old.resources[id]) {
            action = 'create';
          } else if (oldResources[id]?.Type !== def.Type
            || JSON.stringify(oldResources[id]?.Properties ?? {}) !== JSON.stringify(def.Properties ?? {})) {
            action = 'update';
          } else {
            // Unchanged in the template, but a value it reads may change (CloudFormation's "Dynamic").
            because = [...(graph.get(id) ?? [])].filter((dep) => changing.has(dep) && referencedIds(def.Properties ?? {}).has(dep));
            action = because.length > 0 ? 'may-update' : 'no-change';
          }
          if (action !== 'no-change') {
            changing.add(id);
          }
          changes.push({ logicalId: id, resourceType: def.Type, action, emulated, ...(because && because.length > 0 ? { because } : {}) });
        }
      }
      for (const [id, rs] of Object.entries(old?.resources ?? {})) {
        if (!(id in resources)) {
          changes.push({ logicalId: id, resourceType: rs.type, action: 'delete', emulated: rs.emulated });
        }
      }
      const stackAction = !old ? 'create' : changes.some((c) => c.action !== 'no-change') ? 'update' : 'no-change';
      return { stackName: input.stackName, action: stackAction, changes };
    });
  }

  /** Deploys `stacks` (creating or updating each), rolling a failed stack back. Stops at the first failed stack. */
  public async deploy(stacks: StackInput[], state: DeploymentState): Promise<DeployResult> {
    this.events = [];
    const working: Mutable<DeploymentState> = { ...state, stacks: { ...state.stacks } };
    const results: StackResult[] = [];
    await this.withEnvironment(async () => {
      for (const input of orderStacks(stacks)) {
        const result = await this.deployStack(input, working);
        results.push(result);
        if (!result.success) {
          break;
        }
      }
    });
    return { success: results.every((r) => r.success), state: working, stacks: results, events: this.events };
  }

  /** Deletes the named stacks (default: all in the state), dependents first, honouring `DeletionPolicy`. */
  public async destroy(state: DeploymentState, stackNames?: string[]): Promise<DeployResult> {
    this.events = [];
    const working: Mutable<DeploymentState> = { ...state, stacks: { ...state.stacks } };
    const names = stackNames ?? Object.keys(state.stacks);
    const targets = orderStacks(names.filter((n) => n in state.stacks).map((n) => ({
      stackName: n,
      template: state.stacks[n].template,
      dependencies: state.stacks[n].dependencies,
    }))).reverse();
    const results: StackResult[] = [];
    await this.withEnvironment(async () => {
      for (const target of targets) {
        const result = await this.destroyStack(working.stacks[target.stackName], working, new Set(names));
        results.push(result);
        if (!result.success) {
          break;
        }
      }
    });
    return { success: results.every((r) => r.success), state: working, stacks: results, events: this.events };
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
          const response = await invokeProvider({
            RequestType: 'Create',
            ServiceToken: String(resource.properties.ServiceToken ?? ''),
            ResponseURL: 'http://localhost/local-deploy/response',
            StackId: stack.stackId,
            RequestId: randomUUID(),
            LogicalResourceId: id,
            ResourceType: resource.type,
            ResourceProperties: resource.properties,
          }, this.handler, this.timing);
          if (response.Status === 'FAILED' || response.PhysicalResourceId !== resource.physicalId) {
            warnings.push(`${stack.stackName}/${id}: could not be restored in the emulator (${response.Status === 'FAILED' ? response.Reason : `physical id ${response.PhysicalResourceId}`})`);
          }
          return true;
        });
      }
    });
    return warnings;
  }

  // ------------------------------------------------------------------ deploy

  private async deployStack(input: StackInput, state: Mutable<DeploymentState>): Promise<StackResult> {
    const old = state.stacks[input.stackName];
    const result = newResult(input.stackName);
    if (old && old.status.endsWith('_FAILED')) {
      return this.failStack(result, input.stackName, 'UPDATE_FAILED' as ResourceStatus,
        `Stack ${input.stackName} is in ${old.status} state and can not be updated: destroy it first`);
    }
    const region = input.region ?? old?.region ?? this.options.region ?? DEFAULT_REGION;
    const account = input.account ?? old?.account ?? this.options.account ?? DEFAULT_ACCOUNT;
    const stackId = old?.stackId ?? `arn:aws:cloudformation:${region}:${account}:stack/${input.stackName}/${randomUUID()}`;
    const isCreate = !old;
    const stackStatus = isCreate ? 'CREATE' : 'UPDATE';
    this.stackEvent(input.stackName, `${stackStatus}_IN_PROGRESS` as ResourceStatus, isCreate ? 'User Initiated' : undefined);

    let run: StackRun;
    let graph: Map<string, Set<string>>;
    try {
      run = this.newRun(input, old, stackId, region, account, state, result);
      graph = dependencyGraph(run.resources);
      this.checkTypeChanges(run);
    } catch (e) {
      return this.failStack(result, input.stackName, `${stackStatus}_FAILED` as ResourceStatus, message(e));
    }
    this.pushIdentity(run);

    // The update phase: every resource in dependency order, the handler role's policies among
    // them (each change of one is pushed to the emulator as it completes).
    const order = waves(graph).flat();
    const phase: UpdateOutcome = { created: [], updated: new Map(), replaced: new Map(), attempted: new Map() };
    const { created, updated, replaced, attempted } = phase;
    let failure: string | undefined;

    const ok = await runGraph(order, (id) => graph.get(id) ?? [], this.concurrency, true, async (id) => {
      let outcome: ApplyOutcome;
      try {
        outcome = await this.applyResource(run, id);
      } catch (e) {
        // Not a resource failure but the engine's own (a bug, a dead handler process): still roll back.
        failure ??= `The following resource(s) failed: [${id}]. ${message(e)}`;
        return false;
      }
      switch (outcome.kind) {
        case 'created': created.push(id); return true;
        case 'updated': updated.set(id, outcome.newProperties); return true;
        case 'replaced': replaced.set(id, outcome.previous); return true;
        case 'unchanged': return true;
        case 'create-failed':
          attempted.set(id, outcome.attempt);
          failure ??= `The following resource(s) failed to create: [${id}]. ${outcome.reason}`;
          return false;
        case 'update-failed':
          if (outcome.invoked) {
            updated.set(id, outcome.newProperties);
          }
          if (outcome.attempt) {
            attempted.set(id, outcome.attempt);
          }
          failure ??= `The following resource(s) failed to update: [${id}]. ${outcome.reason}`;
          return false;
      }
    });

    let outputs: Record<string, unknown> = {};
    let exports: Record<string, string> = {};
    if (ok) {
      try {
        ({ outputs, exports } = this.resolveOutputs(run));
        this.checkExportsInUse(input.stackName, old?.exports ?? {}, exports, state, 'updated');
      } catch (e) {
        failure = message(e);
        this.stackEvent(input.stackName, `${stackStatus}_FAILED` as ResourceStatus, failure);
      }
    }

    if (failure !== undefined) {
      result.reason = failure;
      if (isCreate) {
        await rollbackCreate(this.host, run, graph, phase, failure, state);
      } else {
        await rollbackUpdate(this.host, run, old, graph, phase, failure, state);
      }
      return result;
    }

    const newState: StackState = {
      stackName: input.stackName,
      stackId,
      region,
      account,
      status: `${stackStatus}_COMPLETE`,
      template: input.template,
      resources: Object.fromEntries(order.map((id) => [id, run.current.get(id)!])),
      outputs,
      exports,
      dependencies: input.dependencies ?? [],
    };
    state.stacks[input.stackName] = newState;
    result.created.push(...created);
    result.updated.push(...updated.keys());
    result.replaced.push(...replaced.keys());
    result.outputs = outputs;

    if (old) {
      // Then cleanup, under the policies the update phase left (UPDATE_COMPLETE_CLEANUP_IN_PROGRESS, see phases.ts).
      await cleanup(this.host, run, old, replaced);
    }
    result.status = `${stackStatus}_COMPLETE`;
    result.success = true;
    this.stackEvent(input.stackName, result.status as ResourceStatus);
    return result;
  }

  /** Creates or updates one resource, unless its resolved properties did not change. */
  private async applyResource(run: StackRun, id: string): Promise<ApplyOutcome> {
    const def = run.resources[id];
    const previous = run.old?.resources[id];
    const action = previous ? 'UPDATE' : 'CREATE';
    let properties: Record<string, unknown>;
    try {
      properties = resolveValue(def.Properties ?? {}, run.ctx) as Record<string, unknown>;
    } catch (e) {
      this.resourceEvent(run, id, def.Type, `${action}_FAILED` as ResourceStatus, message(e));
      return previous
        ? { kind: 'update-failed', reason: message(e), newProperties: previous.properties, invoked: false }
        : { kind: 'create-failed', reason: message(e), attempt: attemptOf(id, def.Type, '', {}) };
    }
    const emulated = this.emulated.has(def.Type);
    if (!emulated) {
      return this.applyPlaceholder(run, id, def, properties, previous);
    }
    const wireProperties = cfnStringify(properties) as Record<string, unknown>;
    if (previous && JSON.stringify(previous.properties) === JSON.stringify(wireProperties)) {
      return { kind: 'unchanged' };
    }
    const serviceToken = typeof wireProperties.ServiceToken === 'string' ? wireProperties.ServiceToken : '';
    if (previous && previous.properties.ServiceToken !== serviceToken) {
      this.resourceEvent(run, id, def.Type, 'UPDATE_FAILED', 'Modifying service token is not allowed.');
      return { kind: 'update-failed', reason: 'Modifying service token is not allowed.', newProperties: previous.properties, invoked: false };
    }

    this.resourceEvent(run, id, def.Type, `${action}_IN_PROGRESS` as ResourceStatus, undefined, previous?.physicalId);
    const response = await this.invoke(run, id, def.Type, {
      RequestType: previous ? 'Update' : 'Create',
      ServiceToken: serviceToken,
      ResponseURL: 'http://localhost/local-deploy/response',
      StackId: run.stackId,
      RequestId: randomUUID(),
      LogicalResourceId: id,
      ResourceType: def.Type,
      ResourceProperties: wireProperties,
      ...(previous ? { OldResourceProperties: previous.properties, PhysicalResourceId: previous.physicalId } : {}),
    });
    const reason = response.Status === 'FAILED' ? response.Reason : this.missingAttribute(run, id, response);
    if (reason !== undefined) {
      this.resourceEvent(run, id, def.Type, `${action}_FAILED` as ResourceStatus, reason, response.PhysicalResourceId);
      // The physical id a failed response carries may name something the handler created (a
      // replacement's new half, a create that failed while waiting): the rollback deletes it.
      const attempt = attemptOf(id, def.Type, response.PhysicalResourceId, wireProperties);
      return previous
        ? { kind: 'update-failed', reason, newProperties: wireProperties, invoked: true, ...(response.PhysicalResourceId !== previous.physicalId ? { attempt } : {}) }
        : { kind: 'create-failed', reason, attempt };
    }
    const next: ResourceState = {
      logicalId: id,
      type: def.Type,
      physicalId: response.PhysicalResourceId,
      attributes: response.Data,
      properties: wireProperties,
      emulated: true,
    };
    run.current.set(id, next);
    if (previous && previous.physicalId !== next.physicalId) {
      this.resourceEvent(run, id, def.Type, 'UPDATE_IN_PROGRESS',
        'Requested update requires the creation of a new physical resource; hence creating one.', next.physicalId);
      this.resourceEvent(run, id, def.Type, 'UPDATE_COMPLETE', undefined, next.physicalId);
      return { kind: 'replaced', previous };
    }
    this.resourceEvent(run, id, def.Type, `${action}_COMPLETE` as ResourceStatus, undefined, next.physicalId);
    return previous ? { kind: 'updated', newProperties: wireProperties } : { kind: 'created' };
  }

  /** Resource types that are not ours: placeholders, reported as not emulated. */
  private applyPlaceholder(run: StackRun, id: string, def: CfnResource, properties: Record<string, unknown>, previous?: ResourceState): ApplyOutcome {
    if (previous && JSON.stringify(previous.properties) === JSON.stringify(properties)) {
      return { kind: 'unchanged' };
    }
    const physicalId = previous?.physicalId ?? placeholderPhysicalId(def.Type, properties, this.scope(run, id));
    const action = previous ? 'UPDATE' : 'CREATE';
    // One event, not two: nothing happens between them, and there are many such resources.
    run.current.set(id, { logicalId: id, type: def.Type, physicalId, attributes: {}, properties, emulated: false });
    this.deployedChanged(run, def.Type);
    this.resourceEvent(run, id, def.Type, `${action}_COMPLETE` as ResourceStatus, 'not emulated: placeholder attributes', physicalId);
    if (!run.result.notEmulated.some((n) => n.logicalId === id)) {
      run.result.notEmulated.push({ logicalId: id, resourceType: def.Type });
    }
    return previous ? { kind: 'updated', newProperties: properties } : { kind: 'created' };
  }

  /** CloudFormation fails a custom resource whose response lacks an attribute the template reads. */
  private missingAttribute(run: StackRun, id: string, response: ProviderResponse): string | undefined {
    for (const attribute of run.getAtts.get(id) ?? []) {
      if (!(attribute in response.Data)) {
        return `CustomResource attribute error: Vendor response doesn't contain ${attribute} key in object ${run.stackId}|${id}`;
      }
    }
    return undefined;
  }

  // ------------------------------------------------------------------ destroy

  private async destroyStack(stack: StackState, state: Mutable<DeploymentState>, destroying: Set<string>): Promise<StackResult> {
    const result = newResult(stack.stackName);
    try {
      const remaining = Object.entries(state.stacks).filter(([n]) => !destroying.has(n));
      const others: Mutable<DeploymentState> = { ...state, stacks: Object.fromEntries(remaining) };
      this.checkExportsInUse(stack.stackName, stack.exports, {}, others, 'deleted');
    } catch (e) {
      return this.failStack(result, stack.stackName, 'DELETE_FAILED', message(e));
    }
    this.stackEvent(stack.stackName, 'DELETE_IN_PROGRESS', 'User Initiated');
    const defs = stack.template.Resources ?? {};
    const graph = safeGraph(defs);
    const ids = Object.keys(stack.resources);
    const remaining: Record<string, ResourceState> = { ...stack.resources };
    const identity = handlerIdentityOf(defs, this.emulated);
    const scope = { partition: partitionOf(stack.region), account: stack.account };
    this.pushIdentityOf(identity, Object.values(remaining), scope);
    let failure: string | undefined;
    await runGraph(reverseOrder(ids, graph), (id) => dependents(id, graph, ids), this.concurrency, false, async (id) => {
      const outcome = await this.deleteResource(stack.stackName, stack.stackId, stack.resources[id], defs[id]?.DeletionPolicy, false);
      if (outcome === 'failed') {
        failure ??= `The following resource(s) failed to delete: [${id}].`;
        return false;
      }
      (outcome === 'retained' ? result.retained : result.deleted).push(id);
      delete remaining[id];
      if (affectsIdentity(stack.resources[id].type)) {
        this.pushIdentityOf(identity, Object.values(remaining), scope);
      }
      return true;
    });
    if (failure !== undefined) {
      state.stacks[stack.stackName] = { ...stack, status: 'DELETE_FAILED', resources: remaining };
      return this.failStack(result, stack.stackName, 'DELETE_FAILED', failure);
    }
    delete state.stacks[stack.stackName];
    result.status = 'DELETE_COMPLETE';
    result.success = true;
    this.stackEvent(stack.stackName, 'DELETE_COMPLETE');
    return result;
  }

  /**
   * Deletes one resource unless its policy keeps it. `rollingBackCreate` is true when the
   * operation that created it is being rolled back (where `RetainExceptOnCreate` deletes).
   */
  private async deleteResource(
    stackName: string,
    stackId: string,
    resource: ResourceState,
    policy: string | undefined,
    rollingBackCreate: boolean,
  ): Promise<DeleteOutcome> {
    const emit = (status: ResourceStatus, reason?: string): void =>
      this.emit(stackEventOf(stackName, resource.logicalId, resource.type, status, reason, resource.physicalId));
    if (policy === 'Retain' || (policy === 'RetainExceptOnCreate' && !rollingBackCreate)) {
      emit('DELETE_SKIPPED', `${policy}: the resource is kept`);
      return 'retained';
    }
    if (!resource.emulated) {
      emit('DELETE_COMPLETE', 'not emulated');
      return 'deleted';
    }
    emit('DELETE_IN_PROGRESS');
    const response = await this.invokeFor(stackName, resource.logicalId, resource.type, {
      RequestType: 'Delete',
      ServiceToken: String(resource.properties.ServiceToken ?? ''),
      ResponseURL: 'http://localhost/local-deploy/response',
      StackId: stackId,
      RequestId: randomUUID(),
      LogicalResourceId: resource.logicalId,
      ResourceType: resource.type,
      ResourceProperties: resource.properties,
      PhysicalResourceId: resource.physicalId,
    });
    if (response.Status === 'FAILED') {
      emit('DELETE_FAILED', response.Reason);
      return 'failed';
    }
    emit('DELETE_COMPLETE');
    return 'deleted';
  }

  // ------------------------------------------------------------------ helpers

  private newRun(
    input: StackInput,
    old: StackState | undefined,
    stackId: string,
    region: string,
    account: string,
    state: DeploymentState,
    result: Mutable<StackResult>,
  ): StackRun {
    const pseudo = pseudoParameters({ region, accountId: account, stackName: input.stackName, stackId });
    const template = input.template;
    const current = new Map<string, ResourceState>();
    const parameters: Record<string, unknown> = { ...pseudo, ...parameterDefaults(template) };
    const conditions = new Map<string, boolean>();
    const partition = String(pseudo['AWS::Partition']);
    const scopeOf = (id: string) => ({ stackName: input.stackName, logicalId: id, region, account, partition });
    const ctx: ResolveContext = {
      parameters,
      mappings: template.Mappings,
      ref: (id) => current.get(id)?.physicalId,
      getAtt: (id, attribute) => {
        const resource = current.get(id);
        if (!resource) {
          throw new Error(`Template error: instance of Fn::GetAtt references undefined resource ${id}`);
        }
        if (!resource.emulated) {
          return placeholderAttribute(resource.type, resource.physicalId, attribute, scopeOf(id));
        }
        if (!(attribute in resource.attributes)) {
          throw new Error(`Template error: resource ${id} does not support attribute ${attribute}`);
        }
        return resource.attributes[attribute];
      },
      importValue: (name) => {
        for (const stack of Object.values(state.stacks)) {
          if (stack.stackName !== input.stackName && name in stack.exports) {
            return stack.exports[name];
          }
        }
        throw new Error(`No export named ${name} found.`);
      },
      condition: (name) => {
        if (!conditions.has(name)) {
          const expression = template.Conditions?.[name];
          if (expression === undefined) {
            throw new Error(`Template format error: Unresolved condition dependency ${name}`);
          }
          conditions.set(name, evaluateCondition(expression, ctx));
        }
        return conditions.get(name)!;
      },
    };
    const resources = this.filterByCondition(template, ctx);
    const removed = new Map<string, ResourceState>();
    for (const [id, previous] of Object.entries(old?.resources ?? {})) {
      (id in resources ? current : removed).set(id, previous);
    }
    return {
      name: input.stackName,
      stackId,
      region,
      account,
      partition,
      template,
      resources,
      old,
      current,
      removed,
      identity: handlerIdentityOf(resources, this.emulated) ?? (old ? handlerIdentityOf(old.template.Resources ?? {}, this.emulated) : undefined),
      ctx,
      getAtts: getAttUsage(template),
      result,
      state,
    };
  }

  /** The template's resources whose `Condition` holds (evaluated with defaults only; used by plan). */
  private activeResources(input: StackInput, stackId: string): Record<string, CfnResource> {
    const region = input.region ?? this.options.region ?? DEFAULT_REGION;
    const account = input.account ?? this.options.account ?? DEFAULT_ACCOUNT;
    const pseudo = pseudoParameters({ region, accountId: account, stackName: input.stackName, stackId });
    const parameters = { ...pseudo, ...parameterDefaults(input.template) };
    const ctx: ResolveContext = {
      parameters,
      mappings: input.template.Mappings,
      ref: () => 'unknown',
      getAtt: () => 'unknown',
      importValue: () => 'unknown',
      condition: (name) => evaluateCondition(input.template.Conditions?.[name], ctx),
    };
    return this.filterByCondition(input.template, ctx);
  }

  private filterByCondition(template: CfnTemplate, ctx: ResolveContext): Record<string, CfnResource> {
    const out: Record<string, CfnResource> = {};
    for (const [id, def] of Object.entries(template.Resources ?? {})) {
      if (def.Condition === undefined || ctx.condition(def.Condition)) {
        out[id] = def;
      }
    }
    return out;
  }

  private checkTypeChanges(run: StackRun): void {
    const changed = Object.entries(run.resources)
      .filter(([id, def]) => run.old?.resources[id] && run.old.resources[id].type !== def.Type)
      .map(([id]) => id);
    if (changed.length > 0) {
      throw new Error(`Update of resource type is not permitted. The new template modifies resource type of the following resources: [${changed.join(', ')}]`);
    }
  }

  private resolveOutputs(run: StackRun): { outputs: Record<string, unknown>; exports: Record<string, string> } {
    const outputs: Record<string, unknown> = {};
    const exports: Record<string, string> = {};
    for (const [name, output] of Object.entries(run.template.Outputs ?? {})) {
      if (output.Condition !== undefined && !run.ctx.condition(output.Condition)) {
        continue;
      }
      const value = resolveValue(output.Value, run.ctx);
      if (value === NO_VALUE) {
        continue;
      }
      outputs[name] = value;
      if (output.Export) {
        const exportName = String(resolveValue(output.Export.Name, run.ctx));
        const owner = Object.values(run.state.stacks).find((other) => other.stackName !== run.name && exportName in other.exports);
        if (owner) {
          throw new Error(`Export with name ${exportName} is already exported by stack ${owner.stackName}`);
        }
        exports[exportName] = typeof value === 'string' ? value : JSON.stringify(value);
      }
    }
    return { outputs, exports };
  }

  /** CloudFormation refuses to change or remove an export another stack imports. */
  private checkExportsInUse(
    stackName: string,
    before: Record<string, string>,
    after: Record<string, string>,
    state: DeploymentState,
    verb: 'updated' | 'deleted',
  ): void {
    for (const [name, value] of Object.entries(before)) {
      if (after[name] === value) {
        continue;
      }
      for (const other of Object.values(state.stacks)) {
        if (other.stackName !== stackName && importsOf(other.template).has(name)) {
          throw new Error(`Export ${name} cannot be ${verb} as it is in use by ${other.stackName}`);
        }
      }
    }
  }

  private async invoke(run: StackRun, id: string, type: string, request: CustomResourceRequest): Promise<ProviderResponse> {
    return this.invokeFor(run.name, id, type, request);
  }

  private async invokeFor(stackName: string, id: string, type: string, request: CustomResourceRequest): Promise<ProviderResponse> {
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
      AWS_REGION: this.options.region ?? DEFAULT_REGION,
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

  /** The engine's part the phases (cleanup, rollback) call. */
  private get host(): PhaseHost {
    return {
      concurrency: this.concurrency,
      deleteResource: (...args) => this.deleteResource(...args),
      invoke: (...args) => this.invoke(...args),
      stackEvent: (...args) => this.stackEvent(...args),
      resourceEvent: (...args) => this.resourceEvent(...args),
      deployedChanged: (...args) => this.deployedChanged(...args),
    };
  }

  /** After a resource of `type` changed in `run`: the handler's identity policies again, when they may have changed. */
  private deployedChanged(run: StackRun, type: string): void {
    if (affectsIdentity(type)) {
      this.pushIdentity(run);
    }
  }

  /**
   * Tells the emulator the handler role's identity policies as deployed now (issue #14: the
   * emulator authorizes every request of the handler with them). `undefined` (authorization
   * off) when the template names no handler role, e.g. a hand-written template with a literal
   * ServiceToken.
   */
  private pushIdentity(run: StackRun): void {
    this.pushIdentityOf(run.identity, liveResources(run), run);
  }

  private pushIdentityOf(identity: HandlerIdentity | undefined, live: ResourceState[], scope: { partition: string; account: string }): void {
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

  private scope(run: StackRun, id: string) {
    return { stackName: run.name, logicalId: id, region: run.region, account: run.account, partition: run.partition };
  }

  private failStack(result: Mutable<StackResult>, stackName: string, status: ResourceStatus, reason: string): StackResult {
    result.status = status;
    result.reason = reason;
    result.success = false;
    this.stackEvent(stackName, status, reason);
    return result;
  }

  private stackEvent(stackName: string, status: ResourceStatus, reason?: string): void {
    this.emit(stackEventOf(stackName, stackName, STACK_TYPE, status, reason));
  }

  private resourceEvent(run: StackRun, id: string, type: string, status: ResourceStatus, reason?: string, physicalId?: string): void {
    this.emit(stackEventOf(run.name, id, type, status, reason, physicalId));
  }

  private emit(event: EngineEvent): void {
    this.events.push(event);
    this.options.onEvent?.(event);
  }
}

type ApplyOutcome =
  | { kind: 'created' }
  | { kind: 'updated'; newProperties: Record<string, unknown> }
  | { kind: 'replaced'; previous: ResourceState }
  | { kind: 'unchanged' }
  /** `attempt`: what a rollback sends a Delete to (its physical id is empty when the handler was not called). */
  | { kind: 'create-failed'; reason: string; attempt: ResourceState }
  /**
   * `invoked`: the handler was called, so the resource may have changed and gets the reverse
   * update; `attempt`: a failed replacement's new physical id, deleted by the rollback.
   */
  | { kind: 'update-failed'; reason: string; newProperties: Record<string, unknown>; invoked: boolean; attempt?: ResourceState };

function attemptOf(logicalId: string, type: string, physicalId: string, properties: Record<string, unknown>): ResourceState {
  return { logicalId, type, physicalId, attributes: {}, properties, emulated: true };
}

/** Resources whose changes may change the handler's identity policies (its role, policies, function). */
function affectsIdentity(type: string): boolean {
  return type.startsWith('AWS::IAM::') || type === 'AWS::Lambda::Function';
}

function partitionOf(region: string): string {
  return String(pseudoParameters({ region, accountId: '', stackName: '', stackId: '' })['AWS::Partition']);
}

function newResult(stackName: string): Mutable<StackResult> {
  return {
    stackName,
    status: '',
    success: false,
    created: [],
    updated: [],
    replaced: [],
    deleted: [],
    retained: [],
    notEmulated: [],
    outputs: {},
    cleanupFailures: [],
  };
}

function stackEventOf(
  stackName: string, logicalId: string, resourceType: string, status: ResourceStatus, reason?: string, physicalId?: string,
): StackEvent {
  return {
    kind: 'event',
    timestamp: new Date().toISOString(),
    stackName,
    logicalId,
    resourceType,
    status,
    ...(physicalId ? { physicalId } : {}),
    ...(reason ? { reason } : {}),
  };
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Parameter values: the engine takes none, so each parameter is its default (CDK's BootstrapVersion has one). */
function parameterDefaults(template: CfnTemplate): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, parameter] of Object.entries(template.Parameters ?? {})) {
    if (parameter.Default === undefined) {
      throw new Error(`Parameters: [${name}] must have values (the local deploy engine uses parameter defaults only)`);
    }
    out[name] = parameter.Type.startsWith('List<') || parameter.Type === 'CommaDelimitedList'
      ? String(parameter.Default).split(',')
      : parameter.Default;
  }
  return out;
}

/** CloudFormation passes custom resource properties as strings: numbers and booleans included. */
export function cfnStringify(value: unknown): unknown {
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  if (Array.isArray(value)) {
    return value.map(cfnStringify);
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cfnStringify(v)]));
  }
  return value;
}

/** Export names read with `Fn::ImportValue` (literal names only, which is what CDK writes). */
function importsOf(template: CfnTemplate): Set<string> {
  const names = new Set<string>();
  const scan = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(scan);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'Fn::ImportValue' && typeof inner === 'string') {
          names.add(inner);
        } else {
          scan(inner);
        }
      }
    }
  };
  scan(template.Resources ?? {});
  scan(template.Outputs ?? {});
  return names;
}

/** Stacks in dependency order (a stack after the stacks it depends on); unknown dependencies are ignored. */
export function orderStacks<T extends { stackName: string; dependencies?: string[] }>(stacks: T[]): T[] {
  const byName = new Map(stacks.map((s) => [s.stackName, s]));
  const graph = new Map(stacks.map((s) => [s.stackName, new Set((s.dependencies ?? []).filter((d) => byName.has(d)))]));
  return waves(graph).flat().map((name) => byName.get(name)!);
}
