import { stackEventOf, ResourceStatus } from './events';
import { resolveValue } from './intrinsics';
import { placeholderPhysicalId } from './placeholders';
import type { ProviderResponse } from './provider-runtime';
import { cfnRequest, cfnStringify } from './requests';
import type { EngineHost, StackRun } from './run';
import type { ResourceState } from './state';
import type { CfnResource } from './template';

/** One resource: its create or update in the update phase, and its delete (destroy, cleanup, rollback). */

export type ApplyOutcome =
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

type DeleteOutcome = 'deleted' | 'retained' | 'failed';

/** Creates or updates one resource, unless its resolved properties did not change. */
export async function applyResource(host: EngineHost, run: StackRun, id: string): Promise<ApplyOutcome> {
  const def = run.resources[id];
  const previous = run.old?.resources[id];
  const action = previous ? 'UPDATE' : 'CREATE';
  let properties: Record<string, unknown>;
  try {
    properties = resolveValue(def.Properties ?? {}, run.ctx) as Record<string, unknown>;
  } catch (e) {
    host.resourceEvent(run, id, def.Type, `${action}_FAILED` as ResourceStatus, message(e));
    return previous
      ? { kind: 'update-failed', reason: message(e), newProperties: previous.properties, invoked: false }
      : { kind: 'create-failed', reason: message(e), attempt: attemptOf(id, def.Type, '', {}) };
  }
  if (!host.emulated.has(def.Type)) {
    return applyPlaceholder(host, run, id, def, properties, previous);
  }
  const wireProperties = cfnStringify(properties) as Record<string, unknown>;
  if (previous && JSON.stringify(previous.properties) === JSON.stringify(wireProperties)) {
    return { kind: 'unchanged' };
  }
  const serviceToken = typeof wireProperties.ServiceToken === 'string' ? wireProperties.ServiceToken : '';
  if (previous && previous.properties.ServiceToken !== serviceToken) {
    host.resourceEvent(run, id, def.Type, 'UPDATE_FAILED', 'Modifying service token is not allowed.');
    return { kind: 'update-failed', reason: 'Modifying service token is not allowed.', newProperties: previous.properties, invoked: false };
  }

  host.resourceEvent(run, id, def.Type, `${action}_IN_PROGRESS` as ResourceStatus, undefined, previous?.physicalId);
  const response = await host.invoke(run.name, id, def.Type, cfnRequest({
    RequestType: previous ? 'Update' : 'Create',
    ServiceToken: serviceToken,
    StackId: run.stackId,
    LogicalResourceId: id,
    ResourceType: def.Type,
    ResourceProperties: wireProperties,
    ...(previous ? { OldResourceProperties: previous.properties, PhysicalResourceId: previous.physicalId } : {}),
  }));
  const reason = response.Status === 'FAILED' ? response.Reason : missingAttribute(run, id, response);
  if (reason !== undefined) {
    host.resourceEvent(run, id, def.Type, `${action}_FAILED` as ResourceStatus, reason, response.PhysicalResourceId);
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
    host.resourceEvent(run, id, def.Type, 'UPDATE_IN_PROGRESS',
      'Requested update requires the creation of a new physical resource; hence creating one.', next.physicalId);
    host.resourceEvent(run, id, def.Type, 'UPDATE_COMPLETE', undefined, next.physicalId);
    return { kind: 'replaced', previous };
  }
  host.resourceEvent(run, id, def.Type, `${action}_COMPLETE` as ResourceStatus, undefined, next.physicalId);
  return previous ? { kind: 'updated', newProperties: wireProperties } : { kind: 'created' };
}

/**
 * Deletes one resource unless its policy keeps it. `rollingBackCreate` is true when the
 * operation that created it is being rolled back (where `RetainExceptOnCreate` deletes).
 */
export async function deleteResource(
  host: EngineHost,
  stackName: string,
  stackId: string,
  resource: ResourceState,
  policy: string | undefined,
  rollingBackCreate: boolean,
): Promise<DeleteOutcome> {
  const emit = (status: ResourceStatus, reason?: string): void =>
    host.emit(stackEventOf(stackName, resource.logicalId, resource.type, status, reason, resource.physicalId));
  if (policy === 'Retain' || (policy === 'RetainExceptOnCreate' && !rollingBackCreate)) {
    emit('DELETE_SKIPPED', `${policy}: the resource is kept`);
    return 'retained';
  }
  if (!resource.emulated) {
    emit('DELETE_COMPLETE', 'not emulated');
    return 'deleted';
  }
  emit('DELETE_IN_PROGRESS');
  const response = await host.invoke(stackName, resource.logicalId, resource.type, cfnRequest({
    RequestType: 'Delete',
    StackId: stackId,
    LogicalResourceId: resource.logicalId,
    ResourceType: resource.type,
    ResourceProperties: resource.properties,
    PhysicalResourceId: resource.physicalId,
  }));
  if (response.Status === 'FAILED') {
    emit('DELETE_FAILED', response.Reason);
    return 'failed';
  }
  emit('DELETE_COMPLETE');
  return 'deleted';
}

export function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Resource types that are not ours: placeholders, reported as not emulated. */
function applyPlaceholder(
  host: EngineHost, run: StackRun, id: string, def: CfnResource, properties: Record<string, unknown>, previous?: ResourceState,
): ApplyOutcome {
  if (previous && JSON.stringify(previous.properties) === JSON.stringify(properties)) {
    return { kind: 'unchanged' };
  }
  const scope = { stackName: run.name, logicalId: id, region: run.region, account: run.account, partition: run.partition };
  const physicalId = previous?.physicalId ?? placeholderPhysicalId(def.Type, properties, scope);
  const action = previous ? 'UPDATE' : 'CREATE';
  // One event, not two: nothing happens between them, and there are many such resources.
  run.current.set(id, { logicalId: id, type: def.Type, physicalId, attributes: {}, properties, emulated: false });
  host.deployedChanged(run, def.Type);
  host.resourceEvent(run, id, def.Type, `${action}_COMPLETE` as ResourceStatus, 'not emulated: placeholder attributes', physicalId);
  if (!run.result.notEmulated.some((n) => n.logicalId === id)) {
    run.result.notEmulated.push({ logicalId: id, resourceType: def.Type });
  }
  return previous ? { kind: 'updated', newProperties: properties } : { kind: 'created' };
}

/** CloudFormation fails a custom resource whose response lacks an attribute the template reads. */
function missingAttribute(run: StackRun, id: string, response: ProviderResponse): string | undefined {
  for (const attribute of run.getAtts.get(id) ?? []) {
    if (!(attribute in response.Data)) {
      return `CustomResource attribute error: Vendor response doesn't contain ${attribute} key in object ${run.stackId}|${id}`;
    }
  }
  return undefined;
}

function attemptOf(logicalId: string, type: string, physicalId: string, properties: Record<string, unknown>): ResourceState {
  return { logicalId, type, physicalId, attributes: {}, properties, emulated: true };
}
