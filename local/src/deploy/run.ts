import type { EngineEvent, ResourceStatus } from './events';
import { filterByCondition, importedValue, parameterDefaults } from './exports';
import { HandlerIdentity, handlerIdentityOf } from './iam-policies';
import { evaluateCondition, pseudoParameters, ResolveContext } from './intrinsics';
import { placeholderAttribute } from './placeholders';
import type { CustomResourceRequest, ProviderResponse } from './provider-runtime';
import type { DeploymentState, ResourceState, StackState } from './state';
import { CfnResource, CfnTemplate, getAttUsage } from './template';
import type { StackInput, StackResult } from './types';

/** One stack operation's bookkeeping (`StackRun`), and what the engine's parts need of the engine (`EngineHost`). */

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Per-stack bookkeeping of one deploy. */
export interface StackRun {
  readonly name: string;
  readonly stackId: string;
  readonly region: string;
  readonly account: string;
  readonly partition: string;
  readonly template: CfnTemplate;
  readonly resources: Record<string, CfnResource>;
  readonly old?: StackState;
  /** What is deployed now of the resources of the new template (old states until they are updated). */
  readonly current: Map<string, ResourceState>;
  /** Resources of the old template that the new one no longer has: they exist until cleanup deletes them. */
  readonly removed: Map<string, ResourceState>;
  readonly ctx: ResolveContext;
  readonly getAtts: Map<string, Set<string>>;
  readonly result: Mutable<StackResult>;
  readonly state: DeploymentState;
  /** The handler's function and role in the template, when it names them (see iam-policies.ts). */
  readonly identity?: HandlerIdentity;
}

/** What the update phase did, for the cleanup or the rollback. */
export interface UpdateOutcome {
  readonly created: string[];
  /** Updated in place: the new properties (the reverse update sends them as OldResourceProperties). */
  readonly updated: Map<string, Record<string, unknown>>;
  /** Replaced: the old resource, deleted in cleanup (or kept, if the update rolls back). */
  readonly replaced: Map<string, ResourceState>;
  /**
   * Creates, and the new halves of replacements, that failed after the handler returned a
   * physical id: a resource may exist under it, so a rollback sends it a Delete.
   */
  readonly attempted: Map<string, ResourceState>;
}

/** What the stack operations, phases and resource steps need of the engine. */
export interface EngineHost {
  /** How many resources of a stack may be in progress at once. */
  readonly concurrency: number;
  /** The resource types sent to the handler; the others get placeholders. */
  readonly emulated: ReadonlySet<string>;
  /** For stacks that name none. */
  readonly region: string;
  readonly account: string;
  /** Runs a request through the Provider framework, with readiness progress between polls. */
  invoke(stackName: string, id: string, type: string, request: CustomResourceRequest): Promise<ProviderResponse>;
  emit(event: EngineEvent): void;
  stackEvent(stackName: string, status: ResourceStatus, reason?: string): void;
  resourceEvent(run: StackRun, id: string, type: string, status: ResourceStatus, reason?: string, physicalId?: string): void;
  /** Hands the handler role's identity policies, as deployed in `live`, to the sink (no identity: authorization off). */
  pushIdentity(identity: HandlerIdentity | undefined, live: ResourceState[], scope: { partition: string; account: string }): void;
  /** A resource of `type` changed: the handler's identity policies are computed and pushed again if it is one they come from. */
  deployedChanged(run: StackRun, type: string): void;
}

/** Everything deployed of the stack at this moment (for the handler's identity policies). */
export function liveResources(run: StackRun): ResourceState[] {
  return [...run.current.values(), ...run.removed.values()];
}

/** Resources whose changes may change the handler's identity policies (its role, policies, function). */
export function affectsIdentity(type: string): boolean {
  return type.startsWith('AWS::IAM::') || type === 'AWS::Lambda::Function';
}

export function partitionOf(region: string): string {
  return String(pseudoParameters({ region, accountId: '', stackName: '', stackId: '' })['AWS::Partition']);
}

export function newResult(stackName: string): Mutable<StackResult> {
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

/**
 * The run of one stack: its resources whose conditions hold, what is deployed of them, and the
 * resolve context that reads references from what is deployed as it changes.
 */
export function newRun(
  input: StackInput,
  old: StackState | undefined,
  where: { stackId: string; region: string; account: string },
  emulated: ReadonlySet<string>,
  state: DeploymentState,
  result: Mutable<StackResult>,
): StackRun {
  const { stackId, region, account } = where;
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
    importValue: (name) => importedValue(state, input.stackName, name),
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
  const resources = filterByCondition(template, ctx);
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
    identity: handlerIdentityOf(resources, emulated) ?? (old ? handlerIdentityOf(old.template.Resources ?? {}, emulated) : undefined),
    ctx,
    getAtts: getAttUsage(template),
    result,
    state,
  };
}

/** CloudFormation refuses to change a resource's type in an update. */
export function checkTypeChanges(run: StackRun): void {
  const changed = Object.entries(run.resources)
    .filter(([id, def]) => run.old?.resources[id] && run.old.resources[id].type !== def.Type)
    .map(([id]) => id);
  if (changed.length > 0) {
    throw new Error(`Update of resource type is not permitted. The new template modifies resource type of the following resources: [${changed.join(', ')}]`);
  }
}
