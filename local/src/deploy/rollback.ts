import { deleteResource } from './apply-resource';
import type { ResourceStatus } from './events';
import { cfnRequest } from './requests';
import type { EngineHost, Mutable, StackRun, UpdateOutcome } from './run';
import { dependents, forwardOrder, reverseOrder, runGraph, safeGraph } from './run-graph';
import type { DeploymentState, ResourceState, StackState } from './state';

/**
 * The rollback of a failed create or update, as CloudFormation does it:
 * - stack status code UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS ("ongoing removal of new
 *   resources ... after a failed stack update"):
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/view-stack-events.html
 * - a failed Create gets a Delete with the PhysicalResourceId of its FAILED response (which is why
 *   the CDK Provider framework answers a Create that failed before it had an id with a marker,
 *   aws-cdk#5525); the same holds for the creates of an update that rolls back:
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html
 */

/** A failed create: everything created, and every create that returned a physical id, is deleted, dependents first. */
export async function rollbackCreate(
  host: EngineHost,
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
    const deleted = await deleteResource(host, run.name, run.stackId, resource, run.resources[id].DeletionPolicy, true);
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
  host: EngineHost,
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
      const deleted = await deleteResource(host, run.name, run.stackId, resource, run.resources[id].DeletionPolicy, true);
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

async function reverseUpdate(host: EngineHost, run: StackRun, previous: ResourceState, newProperties: Record<string, unknown>): Promise<boolean> {
  host.resourceEvent(run, previous.logicalId, previous.type, 'UPDATE_IN_PROGRESS', 'rollback', previous.physicalId);
  if (!previous.emulated) {
    run.current.set(previous.logicalId, previous);
    host.deployedChanged(run, previous.type);
    host.resourceEvent(run, previous.logicalId, previous.type, 'UPDATE_COMPLETE', 'not emulated', previous.physicalId);
    return true;
  }
  const response = await host.invoke(run.name, previous.logicalId, previous.type, cfnRequest({
    RequestType: 'Update',
    StackId: run.stackId,
    LogicalResourceId: previous.logicalId,
    ResourceType: previous.type,
    ResourceProperties: previous.properties,
    OldResourceProperties: newProperties,
    PhysicalResourceId: previous.physicalId,
  }));
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
