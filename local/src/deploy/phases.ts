import { randomUUID } from 'crypto';
import type { StackResult } from './engine';
import type { ResourceStatus } from './events';
import type { HandlerIdentity } from './iam-policies';
import type { ResolveContext } from './intrinsics';
import type { CustomResourceRequest, ProviderResponse } from './provider-runtime';
import { dependents, forwardOrder, reverseOrder, runGraph, safeGraph } from './run-graph';
import type { DeploymentState, ResourceState, StackState } from './state';
import type { CfnResource, CfnTemplate } from './template';

/**
 * What CloudFormation does after the update phase of a stack: the cleanup of a successful
 * update, and the rollback of a failed create or update. The engine runs the update phase itself
 * (every resource in dependency order; the handler role's policies are resources like any other)
 * and hands over here.
 *
 * CloudFormation's documentation of the order:
 * - stack status codes, UPDATE_COMPLETE_CLEANUP_IN_PROGRESS ("ongoing removal of old resources
 *   ... after a successful stack update ... the stack has been updated and is usable") and
 *   UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS ("ongoing removal of new resources ... after a
 *   failed stack update"):
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/view-stack-events.html
 * - replacement creates the new resource first and deletes the old one later:
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-monitor-stack.html
 * - a custom resource that answers an Update with another PhysicalResourceId is replaced, and
 *   the old id gets a Delete:
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-requesttypes-update.html
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-requesttypes-delete.html
 * - a failed Create gets a Delete with the PhysicalResourceId of its FAILED response (which is why
 *   the CDK Provider framework answers a Create that failed before it had an id with a marker,
 *   aws-cdk#5525); the same holds for the creates of an update that rolls back:
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html
 */

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

/** Everything deployed of the stack at this moment (for the handler's identity policies). */
export function liveResources(run: StackRun): ResourceState[] {
  return [...run.current.values(), ...run.removed.values()];
}

export type DeleteOutcome = 'deleted' | 'retained' | 'failed';

/** What the phases need of the engine. */
export interface PhaseHost {
  readonly concurrency: number;
  deleteResource(
    stackName: string, stackId: string, resource: ResourceState, policy: string | undefined, rollingBackCreate: boolean,
  ): Promise<DeleteOutcome>;
  invoke(run: StackRun, id: string, type: string, request: CustomResourceRequest): Promise<ProviderResponse>;
  stackEvent(stackName: string, status: ResourceStatus, reason?: string): void;
  resourceEvent(run: StackRun, id: string, type: string, status: ResourceStatus, reason?: string, physicalId?: string): void;
  /** A resource of `type` changed: the handler's identity policies are computed and pushed again if it is one they come from. */
  deployedChanged(run: StackRun, type: string): void;
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

/**
 * After a successful update: deletes the removed resources and the old physical ids of replaced
 * ones, dependents first, under the policies the update phase left in place (the new template's:
 * removed IAM resources still count until they are themselves deleted). A failed delete is
 * reported (DELETE_FAILED, `cleanupFailures`) and the stack still ends UPDATE_COMPLETE, the
 * resource left behind, as in CloudFormation (UPDATE_COMPLETE_CLEANUP_IN_PROGRESS, see above).
 */
export async function cleanup(host: PhaseHost, run: StackRun, old: StackState, replaced: Map<string, ResourceState>): Promise<void> {
  // UPDATE_COMPLETE_CLEANUP_IN_PROGRESS (view-stack-events.html): after every update, so under its policies.
  const removed = [...run.removed.keys()];
  if (removed.length === 0 && replaced.size === 0) {
    return;
  }
  host.stackEvent(run.name, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
  const oldDefs = old.template.Resources ?? {};
  const ids = [...replaced.keys(), ...removed];
  const graph = safeGraph(oldDefs);
  await runGraph(reverseOrder(ids, graph), (id) => dependents(id, graph, ids), host.concurrency, false, async (id) => {
    const resource = replaced.get(id) ?? run.removed.get(id)!;
    const policy = replaced.has(id) ? oldDefs[id]?.UpdateReplacePolicy : oldDefs[id]?.DeletionPolicy;
    const outcome = await host.deleteResource(run.name, run.stackId, resource, policy, false);
    if (outcome === 'retained') {
      run.result.retained.push(id);
    } else if (outcome === 'deleted') {
      if (!replaced.has(id)) {
        run.result.deleted.push(id);
        run.removed.delete(id);
        host.deployedChanged(run, resource.type);
      }
    } else {
      run.result.cleanupFailures.push(id);
    }
    // Cleanup failures leave the stack UPDATE_COMPLETE, as in CloudFormation.
    return true;
  });
}

/** A failed create: everything created, and every create that returned a physical id, is deleted, dependents first. */
export async function rollbackCreate(
  host: PhaseHost,
  run: StackRun,
  graph: Map<string, Set<string>>,
  outcome: UpdateOutcome,
  reason: string,
  state: Mutable<DeploymentState>,
): Promise<void> {
  host.stackEvent(run.name, 'ROLLBACK_IN_PROGRESS', reason);
  const ids = [...outcome.created, ...outcome.attempted.keys()];
  let ok = true;
  await runGraph(reverseOrder(ids, graph), (id) => dependents(id, graph, ids), host.concurrency, false, async (id) => {
    const resource = run.current.get(id) ?? outcome.attempted.get(id)!;
    if (!run.current.has(id) && !resource.physicalId) {
      // Failed before the handler was called (template error): nothing to delete.
      return true;
    }
    const deleted = await host.deleteResource(run.name, run.stackId, resource, run.resources[id].DeletionPolicy, true);
    if (deleted === 'retained') {
      run.result.retained.push(id);
    }
    if (deleted === 'failed') {
      ok = false;
      run.current.set(id, resource);
      return false;
    }
    run.current.delete(id);
    host.deployedChanged(run, resource.type);
    return true;
  });
  run.result.status = ok ? 'ROLLBACK_COMPLETE' : 'ROLLBACK_FAILED';
  host.stackEvent(run.name, run.result.status as ResourceStatus);
  if (ok) {
    delete state.stacks[run.name];
  } else {
    // Keep what could not be deleted, so that `destroy` can finish the job.
    state.stacks[run.name] = {
      stackName: run.name,
      stackId: run.stackId,
      region: run.region,
      account: run.account,
      status: 'ROLLBACK_FAILED',
      template: run.template,
      resources: Object.fromEntries(run.current),
      outputs: {},
      exports: {},
      dependencies: [],
    };
  }
}

/**
 * A failed update: updated resources get the reverse update (dependencies first), then, in
 * UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS, the resources this update created, the new halves
 * of its replacements, and every create or replacement that failed after returning a physical id
 * are deleted (as a create rollback does: the handler may have created something under that id).
 */
export async function rollbackUpdate(
  host: PhaseHost,
  run: StackRun,
  old: StackState,
  graph: Map<string, Set<string>>,
  outcome: UpdateOutcome,
  reason: string,
  state: Mutable<DeploymentState>,
): Promise<void> {
  host.stackEvent(run.name, 'UPDATE_ROLLBACK_IN_PROGRESS', reason);
  let ok = true;
  // 1. Updated resources get the reverse update (old properties, with the new ones as "old"), dependencies first.
  const oldGraph = safeGraph(old.template.Resources ?? {});
  const updatedIds = [...outcome.updated.keys()];
  await runGraph(forwardOrder(updatedIds, oldGraph), (id) => oldGraph.get(id) ?? [], host.concurrency, false, async (id) => {
    const reversed = await reverseUpdate(host, run, old.resources[id], outcome.updated.get(id)!);
    if (!reversed) {
      ok = false;
    }
    return reversed;
  });
  // 2. UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS (view-stack-events.html): new resources, new
  // halves of replacements, and creates that failed with a physical id (crpg-ref-responses.html) are deleted.
  host.stackEvent(run.name, 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS');
  const newIds = [...outcome.created, ...outcome.replaced.keys()];
  const toDelete: Array<[string, ResourceState]> = [
    ...newIds.filter((id) => run.current.has(id)).map((id) => [id, run.current.get(id)!] as [string, ResourceState]),
    ...[...outcome.attempted].filter(([, r]) => r.physicalId !== ''),
  ];
  const ids = toDelete.map(([id]) => id);
  const byId = new Map<string, ResourceState[]>();
  for (const [id, r] of toDelete) {
    byId.set(id, [...(byId.get(id) ?? []), r]);
  }
  await runGraph(reverseOrder([...new Set(ids)], graph), (id) => dependents(id, graph, ids), host.concurrency, false, async (id) => {
    for (const resource of byId.get(id) ?? []) {
      const deleted = await host.deleteResource(run.name, run.stackId, resource, run.resources[id].DeletionPolicy, true);
      if (deleted === 'retained') {
        run.result.retained.push(id);
      }
      if (deleted !== 'failed') {
        restore(run, old, id);
        host.deployedChanged(run, resource.type);
      }
    }
    return true;
  });
  run.result.status = ok ? 'UPDATE_ROLLBACK_COMPLETE' : 'UPDATE_ROLLBACK_FAILED';
  host.stackEvent(run.name, run.result.status as ResourceStatus);
  state.stacks[run.name] = { ...old, status: run.result.status };
}

/** After a rollback step: the resource is what the old stack had (or nothing). */
function restore(run: StackRun, old: StackState, id: string): void {
  const previous = old.resources[id];
  if (previous) {
    run.current.set(id, previous);
  } else {
    run.current.delete(id);
  }
}

async function reverseUpdate(host: PhaseHost, run: StackRun, previous: ResourceState, newProperties: Record<string, unknown>): Promise<boolean> {
  host.resourceEvent(run, previous.logicalId, previous.type, 'UPDATE_IN_PROGRESS', 'rollback', previous.physicalId);
  if (!previous.emulated) {
    run.current.set(previous.logicalId, previous);
    host.deployedChanged(run, previous.type);
    host.resourceEvent(run, previous.logicalId, previous.type, 'UPDATE_COMPLETE', 'not emulated', previous.physicalId);
    return true;
  }
  const response = await host.invoke(run, previous.logicalId, previous.type, {
    RequestType: 'Update',
    ServiceToken: String(previous.properties.ServiceToken ?? ''),
    ResponseURL: 'http://localhost/local-deploy/response',
    StackId: run.stackId,
    RequestId: randomUUID(),
    LogicalResourceId: previous.logicalId,
    ResourceType: previous.type,
    ResourceProperties: previous.properties,
    OldResourceProperties: newProperties,
    PhysicalResourceId: previous.physicalId,
  });
  if (response.Status === 'FAILED') {
    host.resourceEvent(run, previous.logicalId, previous.type, 'UPDATE_FAILED', response.Reason, previous.physicalId);
    return false;
  }
  // Only when nothing of this update is left to delete under this id (a replacement's new half is, in step 2).
  if (!run.current.has(previous.logicalId) || run.current.get(previous.logicalId)!.physicalId === previous.physicalId) {
    run.current.set(previous.logicalId, previous);
  }
  host.resourceEvent(run, previous.logicalId, previous.type, 'UPDATE_COMPLETE', undefined, previous.physicalId);
  return true;
}
