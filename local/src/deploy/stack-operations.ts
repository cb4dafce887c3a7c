import { randomUUID } from 'crypto';
import { ApplyOutcome, applyResource, deleteResource, message } from './apply-resource';
import { cleanup } from './cleanup';
import type { ResourceStatus } from './events';
import { checkExportsInUse, resolveOutputs } from './exports';
import { handlerIdentityOf } from './iam-policies';
import { rollbackCreate, rollbackUpdate } from './rollback';
import { affectsIdentity, checkTypeChanges, EngineHost, liveResources, Mutable, newResult, newRun, partitionOf, StackRun, UpdateOutcome } from './run';
import { dependents, reverseOrder, runGraph, safeGraph } from './run-graph';
import type { DeploymentState, ResourceState, StackState } from './state';
import { dependencyGraph, waves } from './template';
import type { StackInput, StackResult } from './types';

/** One stack's create, update or delete: the update phase, then cleanup or rollback; the delete in reverse dependency order. */

/** Creates or updates one stack: the update phase, then cleanup (an update) or the rollback (a failure). */
export async function deployStack(host: EngineHost, input: StackInput, state: Mutable<DeploymentState>): Promise<StackResult> {
  const old = state.stacks[input.stackName];
  const result = newResult(input.stackName);
  if (old && old.status.endsWith('_FAILED')) {
    return failStack(host, result, input.stackName, 'UPDATE_FAILED',
      `Stack ${input.stackName} is in ${old.status} state and can not be updated: destroy it first`);
  }
  const region = input.region ?? old?.region ?? host.region;
  const account = input.account ?? old?.account ?? host.account;
  const stackId = old?.stackId ?? `arn:aws:cloudformation:${region}:${account}:stack/${input.stackName}/${randomUUID()}`;
  const isCreate = !old;
  const stackStatus = isCreate ? 'CREATE' : 'UPDATE';
  host.stackEvent(input.stackName, `${stackStatus}_IN_PROGRESS` as ResourceStatus, isCreate ? 'User Initiated' : undefined);

  let run: StackRun;
  let graph: Map<string, Set<string>>;
  try {
    run = newRun(input, old, { stackId, region, account }, host.emulated, state, result);
    graph = dependencyGraph(run.resources);
    checkTypeChanges(run);
  } catch (e) {
    return failStack(host, result, input.stackName, `${stackStatus}_FAILED` as ResourceStatus, message(e));
  }
  host.pushIdentity(run.identity, liveResources(run), run);

  // The update phase: every resource in dependency order, the handler role's policies among
  // them (each change of one is pushed to the emulator as it completes).
  const order = waves(graph).flat();
  const phase: UpdateOutcome = { created: [], updated: new Map(), replaced: new Map(), attempted: new Map() };
  const { created, updated, replaced, attempted } = phase;
  let failure: string | undefined;

  const ok = await runGraph(order, (id) => graph.get(id) ?? [], host.concurrency, true, async (id) => {
    let outcome: ApplyOutcome;
    try {
      outcome = await applyResource(host, run, id);
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
      ({ outputs, exports } = resolveOutputs(run.template, run.ctx, run.name, run.state));
      checkExportsInUse(input.stackName, old?.exports ?? {}, exports, state, 'updated');
    } catch (e) {
      failure = message(e);
      host.stackEvent(input.stackName, `${stackStatus}_FAILED` as ResourceStatus, failure);
    }
  }

  if (failure !== undefined) {
    result.reason = failure;
    if (isCreate) {
      await rollbackCreate(host, run, graph, phase, failure, state);
    } else {
      await rollbackUpdate(host, run, old, graph, phase, failure, state);
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
    // Then cleanup, under the policies the update phase left (UPDATE_COMPLETE_CLEANUP_IN_PROGRESS, see cleanup.ts).
    await cleanup(host, run, old, replaced);
  }
  result.status = `${stackStatus}_COMPLETE`;
  result.success = true;
  host.stackEvent(input.stackName, result.status as ResourceStatus);
  return result;
}

/** Deletes one stack, dependents first, honouring `DeletionPolicy`; `destroying`: the stacks of this destroy (their imports do not count). */
export async function destroyStack(
  host: EngineHost, stack: StackState, state: Mutable<DeploymentState>, destroying: Set<string>,
): Promise<StackResult> {
  const result = newResult(stack.stackName);
  try {
    const remaining = Object.entries(state.stacks).filter(([n]) => !destroying.has(n));
    const others: Mutable<DeploymentState> = { ...state, stacks: Object.fromEntries(remaining) };
    checkExportsInUse(stack.stackName, stack.exports, {}, others, 'deleted');
  } catch (e) {
    return failStack(host, result, stack.stackName, 'DELETE_FAILED', message(e));
  }
  host.stackEvent(stack.stackName, 'DELETE_IN_PROGRESS', 'User Initiated');
  const defs = stack.template.Resources ?? {};
  const graph = safeGraph(defs);
  const ids = Object.keys(stack.resources);
  const remaining: Record<string, ResourceState> = { ...stack.resources };
  const identity = handlerIdentityOf(defs, host.emulated);
  const scope = { partition: partitionOf(stack.region), account: stack.account };
  host.pushIdentity(identity, Object.values(remaining), scope);
  let failure: string | undefined;
  await runGraph(reverseOrder(ids, graph), (id) => dependents(id, graph, ids), host.concurrency, false, async (id) => {
    const outcome = await deleteResource(host, stack.stackName, stack.stackId, stack.resources[id], defs[id]?.DeletionPolicy, false);
    if (outcome === 'failed') {
      failure ??= `The following resource(s) failed to delete: [${id}].`;
      return false;
    }
    (outcome === 'retained' ? result.retained : result.deleted).push(id);
    delete remaining[id];
    if (affectsIdentity(stack.resources[id].type)) {
      host.pushIdentity(identity, Object.values(remaining), scope);
    }
    return true;
  });
  if (failure !== undefined) {
    state.stacks[stack.stackName] = { ...stack, status: 'DELETE_FAILED', resources: remaining };
    return failStack(host, result, stack.stackName, 'DELETE_FAILED', failure);
  }
  delete state.stacks[stack.stackName];
  result.status = 'DELETE_COMPLETE';
  result.success = true;
  host.stackEvent(stack.stackName, 'DELETE_COMPLETE');
  return result;
}

function failStack(host: EngineHost, result: Mutable<StackResult>, stackName: string, status: ResourceStatus, reason: string): StackResult {
  result.status = status;
  result.reason = reason;
  result.success = false;
  host.stackEvent(stackName, status, reason);
  return result;
}
