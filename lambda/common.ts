import { TagResourceCommand, UntagResourceCommand } from '@aws-sdk/client-customer-profiles';
import { profilesClient } from './client';
import { call, describe, HandlerError, ResourceRef } from './errors';
import { log } from './log';
import { DEADLINE_KEY, ProviderCompletionRequest, ProviderLimits, ProviderRequest, Tags } from '../src/private/contract';

/** The CloudFormation request, as the Provider framework hands it to onEvent (one type, in the contract). */
export type ResourceEvent = ProviderRequest;

/** What isComplete receives: the request merged with onEvent's result by the Provider framework. */
export type CompletionEvent = ProviderCompletionRequest;

/** Attribute values: CloudFormation renders them as strings for Fn::GetAtt. */
export type AttributeValue = string | number | boolean;
export type Attributes = Record<string, AttributeValue>;

export interface OnEventResponse {
  readonly PhysicalResourceId: string;
  /** Always carries DEADLINE_KEY: isComplete enforces it and the entry point dispatches on it. */
  readonly Data: Attributes;
}

export interface IsCompleteResponse {
  readonly IsComplete: boolean;
  /** Only on completion: the framework merges it over onEvent's Data. */
  readonly Data?: Attributes;
}

/** One resource type's handler: symmetrical operations, routed by the entry point. */
export interface ResourceHandler {
  create(event: ResourceEvent): Promise<OnEventResponse>;
  update(event: ResourceEvent): Promise<OnEventResponse>;
  delete(event: ResourceEvent): Promise<OnEventResponse>;
  isComplete(event: CompletionEvent): Promise<IsCompleteResponse>;
}

/** The response size limit of a custom resource (the whole JSON response body). */
const MAX_RESPONSE_BYTES = ProviderLimits.MAX_RESPONSE_BYTES;

/** onEvent's answer: the physical id and the attributes known so far plus the deadline. */
export function respond(physicalResourceId: string, timeoutSeconds: number, attributes: Attributes = {}): OnEventResponse {
  const data: Attributes = { ...attributes, [DEADLINE_KEY]: Date.now() + timeoutSeconds * 1000 };
  checkSize(physicalResourceId, data);
  return { PhysicalResourceId: physicalResourceId, Data: data };
}

/** isComplete's answer on success: every attribute (from onEvent's Data, refreshed by `attributes`). */
export function complete(event: CompletionEvent, attributes: Attributes = {}): IsCompleteResponse {
  const data: Attributes = {};
  for (const [k, v] of Object.entries(event.Data ?? {})) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
      data[k] = v;
    }
  }
  Object.assign(data, attributes);
  checkSize(event.PhysicalResourceId, data);
  return { IsComplete: true, Data: data };
}

/** isComplete's answer while waiting (no Data: the framework refuses it on incomplete responses). */
export const NOT_COMPLETE: IsCompleteResponse = { IsComplete: false };

function checkSize(physicalResourceId: string, data: Attributes): void {
  // Generous allowance for the envelope the framework adds (status, ids, stack ARN, request id).
  const size = Buffer.byteLength(JSON.stringify({ PhysicalResourceId: physicalResourceId, Data: data })) + 1024;
  if (size > MAX_RESPONSE_BYTES) {
    throw new HandlerError(`${physicalResourceId}: the response would exceed CloudFormation's ${MAX_RESPONSE_BYTES}-byte limit.`);
  }
}

/** The epoch-millisecond deadline onEvent stored, or undefined when missing (direct calls). */
function deadlineOf(event: CompletionEvent): number | undefined {
  const raw = event.Data?.[DEADLINE_KEY];
  const value = typeof raw === 'string' ? Number(raw) : raw;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** True when isComplete must give up. */
export function deadlinePassed(event: CompletionEvent): boolean {
  const deadline = deadlineOf(event);
  return deadline !== undefined && Date.now() > deadline;
}

/**
 * The failure raised when the deadline passed: what was awaited, the last status seen, how long
 * the handler waited and which construct property gives it more time or removes the wait.
 */
export function timeoutError(ref: ResourceRef, waitingFor: string, lastSeen: string, timeoutSeconds: number, remedy: string): HandlerError {
  return new HandlerError(`${describe(ref)}: gave up waiting for ${waitingFor} after ${formatDuration(timeoutSeconds)} `
    + `(last seen: ${lastSeen}). ${remedy}`);
}

function formatDuration(seconds: number): string {
  if (seconds >= 120) {
    const minutes = Math.round(seconds / 60);
    return `${minutes} minutes`;
  }
  return `${Math.round(seconds)} seconds`;
}

/** Deep structural equality of JSON values (key order ignored; undefined members ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

/**
 * True when every member set in `wanted` has the same value in `actual` (objects compared member
 * by member, recursively; arrays and scalars compared whole). Members only `actual` has are ignored.
 */
export function jsonContains(actual: unknown, wanted: unknown): boolean {
  if (wanted === undefined) return true;
  if (wanted && typeof wanted === 'object' && !Array.isArray(wanted)) {
    if (!actual || typeof actual !== 'object' || Array.isArray(actual)) return false;
    return Object.entries(wanted).every(([k, v]) => jsonContains((actual as Record<string, unknown>)[k], v));
  }
  return jsonEqual(actual, wanted);
}

function canonical(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'undefined';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(sortKeys);
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

// ------------------------------------------------------------------ ARNs

/**
 * The ARN of a Customer Profiles resource, e.g. `domains/customers/recommenders/for-you`.
 *
 * GetDomain and PutDomainObjectType return no ARN, so ARNs are built from the partition, region
 * and account of the stack (`StackId` is the stack's ARN in every CloudFormation request).
 */
export function profileArn(event: ResourceEvent, resourcePath: string): string {
  const parts = (event.StackId ?? '').split(':');
  const partition = parts.length >= 6 && parts[1] ? parts[1] : 'aws';
  const region = parts.length >= 6 && parts[3] ? parts[3] : (process.env.AWS_REGION ?? '');
  const account = parts.length >= 6 ? parts[4] : '';
  return `arn:${partition}:profile:${region}:${account}:${resourcePath}`;
}

// ------------------------------------------------------------------ Tags

export interface TagDiff {
  /** Keys added or whose value changed. */
  readonly set: Tags;
  /** Keys no longer present. */
  readonly remove: string[];
}

export function diffTags(oldTags: Tags | undefined, newTags: Tags | undefined): TagDiff {
  const set: Record<string, string> = {};
  const remove: string[] = [];
  const before = oldTags ?? {};
  const after = newTags ?? {};
  // Own keys only: `in` and plain indexing also see Object.prototype (a tag named `constructor`).
  const has = (tags: Tags, k: string): boolean => Object.prototype.hasOwnProperty.call(tags, k);
  for (const [k, v] of Object.entries(after)) {
    if (!has(before, k) || before[k] !== v) set[k] = v;
  }
  for (const k of Object.keys(before)) {
    if (!has(after, k)) remove.push(k);
  }
  return { set, remove };
}

/** Whether a tag diff changes anything. */
export function tagsChange(diff: TagDiff): boolean {
  return diff.remove.length > 0 || Object.keys(diff.set).length > 0;
}

/** Applies a tag diff with TagResource / UntagResource; makes no call when nothing changed. */
export async function applyTagDiff(
  ref: ResourceRef,
  arn: string,
  diff: TagDiff,
  logFields: { resourceType: string; physicalResourceId: string },
): Promise<void> {
  const client = profilesClient();
  if (diff.remove.length > 0) {
    log('untagging', { ...logFields, operation: 'UntagResource' });
    await call(ref, 'UntagResource', () => client.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: diff.remove })));
  }
  if (Object.keys(diff.set).length > 0) {
    log('tagging', { ...logFields, operation: 'TagResource' });
    await call(ref, 'TagResource', () => client.send(new TagResourceCommand({ resourceArn: arn, tags: diff.set })));
  }
}
