import { deleteResource } from './apply-resource';
import type { EngineHost, StackRun } from './run';
import { dependents, reverseOrder, runGraph, safeGraph } from './run-graph';
import type { ResourceState, StackState } from './state';

/**
 * After a successful update: deletes the removed resources and the old physical ids of replaced
 * ones, dependents first, under the policies the update phase left in place (the new template's:
 * removed IAM resources still count until they are themselves deleted). A failed delete is
 * reported (DELETE_FAILED, `cleanupFailures`) and the stack still ends UPDATE_COMPLETE, the
 * resource left behind, as in CloudFormation.
 *
 * CloudFormation's documentation of the order:
 * - stack status code UPDATE_COMPLETE_CLEANUP_IN_PROGRESS ("ongoing removal of old resources
 *   ... after a successful stack update ... the stack has been updated and is usable"):
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/view-stack-events.html
 * - replacement creates the new resource first and deletes the old one later:
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-monitor-stack.html
 * - a custom resource that answers an Update with another PhysicalResourceId is replaced, and
 *   the old id gets a Delete:
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-requesttypes-update.html
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-requesttypes-delete.html
 */
export async function cleanup(host: EngineHost, run: StackRun, old: StackState, replaced: Map<string, ResourceState>): Promise<void> {
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
    const outcome = await deleteResource(host, run.name, run.stackId, resource, policy, false);
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
