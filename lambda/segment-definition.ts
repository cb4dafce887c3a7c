import {
  CreateSegmentDefinitionCommand,
  CreateSegmentDefinitionRequest,
  CreateSegmentEstimateCommand,
  CreateSegmentEstimateRequest,
  DeleteSegmentDefinitionCommand,
  GetSegmentDefinitionCommand,
  GetSegmentDefinitionResponse,
  GetSegmentEstimateCommand,
} from '@aws-sdk/client-customer-profiles';
import { profilesClient, withExtraBody, withRawBody } from './client';
import {
  applyTagDiff, Attributes, complete, CompletionEvent, deadlinePassed, diffTags, IsCompleteResponse, jsonEqual,
  NOT_COMPLETE, OnEventResponse, profileArn, ResourceEvent, ResourceHandler, respond, timeoutError,
} from './common';
import { DEFAULT_TIMEOUT_SECONDS, segmentDefinitionConfig } from './config';
import { dataStoreRefusal } from './data-store';
import {
  callIgnoringNotFound, describe, errorName, HandlerError, isBadRequest, isGoneAfterDelete, isNotFound, ResourceRef, serviceMessage, toHandlerError,
} from './errors';
import { log, LogFields } from './log';
import { decide, LEFT_IN_PLACE_KEY, mark, mayDelete, tagsWithMarker, userTags } from './ownership';
import { Attributes as AttributeNames, ResourceTypes, SegmentDefinitionConfig } from '../src/private/contract';

/**
 * Custom::CustomerProfilesSegmentDefinition. Physical id: `<domain>/<segmentDefinitionName>`.
 *
 * There is no UpdateSegmentDefinition: any change of the query, display name or description
 * replaces the definition. The construct derives its default name from a hash of the content,
 * so such a change normally arrives with a new name (a new physical id; CloudFormation deletes
 * the old definition afterwards). When the user gave an explicit name that did not change, the
 * definition is deleted and created again under the same physical id: definitions are stateless
 * (membership is computed from profiles), so nothing is lost, and the query is validated first so
 * an invalid query never deletes the working one. Tags change in place.
 *
 * With ValidateBeforeCreate, CreateSegmentEstimate runs the query first: a query the service
 * rejects fails the deployment before any definition exists. A running estimate is polled by
 * isComplete, which then creates the definition.
 *
 * Ownership (lambda/ownership.ts): onEvent reads the definition of the desired name before it
 * returns a physical id, and refuses one that is not this resource's. Once an id is returned, a
 * failure makes CloudFormation send Delete for it, so an id returned for someone else's definition
 * would hand its deletion to this stack. Delete itself deletes only a definition with this
 * resource's marker.
 */

const RESOURCE_TYPE = ResourceTypes.SEGMENT_DEFINITION;

/** How a user refers to an existing definition without managing it (named in refusals). */
const CONSTRUCT_HINT = 'SegmentDefinition.fromSegmentDefinitionName';

/** Internal Data key carrying a running estimate from onEvent to isComplete. */
const ESTIMATE_ID_KEY = 'EstimateId';

/** Internal Data key of a Delete that found nothing to delete: isComplete completes at once. */
const ALREADY_GONE_KEY = 'AlreadyGone';

interface SegmentId {
  readonly DomainName: string;
  readonly SegmentDefinitionName: string;
}

function ref(c: SegmentId & Partial<SegmentDefinitionConfig>): ResourceRef {
  return {
    kind: 'Segment definition',
    name: physicalId(c),
    // The service may echo a rejected query back; none of these may reach a message.
    sensitive: [c.Description, c.SegmentSqlQuery, c.SegmentGroups === undefined ? undefined : JSON.stringify(c.SegmentGroups)],
  };
}

function physicalId(c: SegmentId): string {
  return `${c.DomainName}/${c.SegmentDefinitionName}`;
}

function logFields(event: ResourceEvent, c: SegmentId, operation?: string): LogFields & { resourceType: string; physicalResourceId: string } {
  return { resourceType: RESOURCE_TYPE, requestType: event.RequestType, physicalResourceId: physicalId(c), operation };
}

function arn(event: ResourceEvent, c: SegmentId): string {
  return profileArn(event, `domains/${c.DomainName}/segment-definitions/${c.SegmentDefinitionName}`);
}

/**
 * The estimate as a number when the service gives one ("1,204" and "about 1204 profiles" both
 * read as 1204); the service's text otherwise; an empty string when no estimate was made.
 */
function estimatedCount(estimate: string | undefined): string | number {
  if (estimate === undefined) return '';
  const digits = estimate.replace(/[,\s]/g, '').match(/\d+/);
  return digits ? Number(digits[0]) : estimate;
}

function attributes(event: ResourceEvent, c: SegmentDefinitionConfig, estimate?: string): Attributes {
  return {
    [AttributeNames.DOMAIN_NAME]: c.DomainName,
    [AttributeNames.SEGMENT_DEFINITION_NAME]: c.SegmentDefinitionName,
    [AttributeNames.SEGMENT_DEFINITION_ARN]: arn(event, c),
    [AttributeNames.SEGMENT_TYPE]: c.SegmentSqlQuery !== undefined ? 'ENHANCED' : 'CLASSIC',
    [AttributeNames.ESTIMATED_PROFILE_COUNT]: estimatedCount(estimate),
  };
}

/** Everything that defines the segment; tags are not part of it. */
function contentChanged(old: SegmentDefinitionConfig, c: SegmentDefinitionConfig): boolean {
  return old.DisplayName !== c.DisplayName || old.Description !== c.Description || old.SegmentSqlQuery !== c.SegmentSqlQuery
    || !jsonEqual(old.SegmentGroups, c.SegmentGroups) || !jsonEqual(old.SegmentSort, c.SegmentSort);
}

function rejected(c: SegmentDefinitionConfig, err: unknown, operation: string): HandlerError {
  return new HandlerError(`Segment definition '${physicalId(c)}': Customer Profiles rejected the segment query: ${serviceMessage(err, ref(c))} (${operation}). `
    + 'Nothing was created or changed; fix the query and deploy again.');
}

/** An SQL query refused because the domain has no data store (classic segments need none). */
async function sqlNeedsDataStore(c: SegmentDefinitionConfig, err: unknown): Promise<HandlerError | undefined> {
  return c.SegmentSqlQuery !== undefined ? dataStoreRefusal(err, `Segment definition '${physicalId(c)}'`, c.DomainName) : undefined;
}

// ------------------------------------------------------------------ estimate (validation)

async function startEstimate(event: ResourceEvent, c: SegmentDefinitionConfig): Promise<string> {
  const request: CreateSegmentEstimateRequest = c.SegmentSqlQuery !== undefined
    ? { DomainName: c.DomainName, SegmentSqlQuery: c.SegmentSqlQuery }
    : { DomainName: c.DomainName, SegmentQuery: c.SegmentGroups as CreateSegmentEstimateRequest['SegmentQuery'] };
  log('validating segment query', logFields(event, c, 'CreateSegmentEstimate'));
  try {
    const response = await profilesClient().send(new CreateSegmentEstimateCommand(request));
    if (!response.EstimateId) {
      throw new HandlerError(`Segment definition '${physicalId(c)}': CreateSegmentEstimate returned no EstimateId.`);
    }
    return response.EstimateId;
  } catch (err) {
    if (isBadRequest(err)) throw await sqlNeedsDataStore(c, err) ?? rejected(c, err, 'CreateSegmentEstimate');
    throw toHandlerError(err, ref(c), 'CreateSegmentEstimate');
  }
}

interface EstimateResult {
  readonly done: boolean;
  readonly estimate?: string;
}

async function readEstimate(event: ResourceEvent, c: SegmentDefinitionConfig, estimateId: string): Promise<EstimateResult> {
  try {
    const response = await profilesClient().send(new GetSegmentEstimateCommand({ DomainName: c.DomainName, EstimateId: estimateId }));
    // Status when the service sends it; otherwise the HTTP status: 202 while running, 200 when done.
    const status = response.Status ?? (response.StatusCode === 202 ? 'RUNNING' : 'SUCCEEDED');
    log('segment estimate', { ...logFields(event, c, 'GetSegmentEstimate'), status });
    if (status === 'FAILED') {
      throw rejected(c, { message: response.Message ?? 'the estimate failed' }, 'GetSegmentEstimate');
    }
    return status === 'RUNNING' ? { done: false } : { done: true, estimate: response.Estimate };
  } catch (err) {
    if (isBadRequest(err)) throw rejected(c, err, 'GetSegmentEstimate');
    throw toHandlerError(err, ref(c), 'GetSegmentEstimate');
  }
}

// ------------------------------------------------------------------ create / delete

/** GetSegmentDefinition's answer, with the SegmentSort the pinned SDK drops (read from the raw body). */
type ExistingDefinition = GetSegmentDefinitionResponse & { readonly SegmentSort?: unknown };

/**
 * The content members (never their values: they are customer data) in which an existing
 * definition differs from `c`. Tags are not content.
 */
function differences(existing: ExistingDefinition, c: SegmentDefinitionConfig): string[] {
  const out: string[] = [];
  if (existing.DisplayName !== c.DisplayName) out.push('display name');
  if ((existing.Description ?? undefined) !== c.Description) out.push('description');
  if ((existing.SegmentSqlQuery ?? undefined) !== c.SegmentSqlQuery) out.push('query');
  if (c.SegmentGroups !== undefined && !jsonEqual(existing.SegmentGroups, c.SegmentGroups)) out.push('segment groups');
  if (!jsonEqual(existing.SegmentSort, c.SegmentSort)) out.push('sort');
  return out;
}

/** `display name, query and sort` */
function list(members: string[]): string {
  return members.length === 1 ? members[0] : `${members.slice(0, -1).join(', ')} and ${members[members.length - 1]}`;
}

/** This resource's own definition (a retained earlier version) with other content, met by a create. */
function ownWithOtherContent(c: SegmentDefinitionConfig, members: string[]): HandlerError {
  return new HandlerError(`${describe(ref(c))} already exists with another ${list(members)}, and segment definitions cannot be updated. `
    + 'It was made by this resource earlier and kept: delete it (it holds no customer data) and deploy again, '
    + 'or choose another segmentDefinitionName (or omit it to get one generated from the content).');
}

function notAdoptable(c: SegmentDefinitionConfig, members: string[]): HandlerError {
  return new HandlerError(`${describe(ref(c))} cannot be adopted: its ${list(members)} ${members.length === 1 ? 'differs' : 'differ'} from this construct's, `
    + 'and segment definitions cannot be updated. Set the construct\'s displayName, description, query and sort to those of the existing '
    + `definition and deploy again, use ${CONSTRUCT_HINT} to use it as it is, or choose another segmentDefinitionName.`);
}

/**
 * Meets an existing definition of the desired name. Not this resource's (and not adoptable on
 * request): refused untouched. Adopted on request: marked first. Same content: its tags are
 * brought to the desired ones and true is returned (nothing else to do). Other content: refused,
 * unless `mayRecreate` (the caller then deletes and creates it; false is returned).
 */
async function meetExisting(event: ResourceEvent, c: SegmentDefinitionConfig, existing: ExistingDefinition, mayRecreate: boolean): Promise<boolean> {
  const verdict = decide(event, ref(c), existing.Tags, c.AdoptExisting === true, CONSTRUCT_HINT);
  const members = differences(existing, c);
  if (members.length > 0 && !mayRecreate) {
    throw verdict === 'adopt' ? notAdoptable(c, members) : ownWithOtherContent(c, members);
  }
  if (verdict === 'adopt') {
    await mark(event, ref(c), arn(event, c), logFields(event, c));
  }
  if (members.length > 0) {
    return false;
  }
  log('existing segment definition is this resource\'s', logFields(event, c, 'GetSegmentDefinition'));
  // The marker is not among the desired tags: compare without it, so that it is never removed.
  await applyTagDiff(ref(c), arn(event, c), diffTags(userTags(existing.Tags), c.Tags), logFields(event, c));
  return true;
}

/**
 * CreateSegmentDefinition, with this resource's marker. A definition that appeared since onEvent
 * checked the name (a race, or a retried request) is met as onEvent would have met it.
 */
async function createDefinition(event: ResourceEvent, c: SegmentDefinitionConfig): Promise<void> {
  const request: CreateSegmentDefinitionRequest = {
    DomainName: c.DomainName,
    SegmentDefinitionName: c.SegmentDefinitionName,
    DisplayName: c.DisplayName,
    Description: c.Description,
    SegmentSqlQuery: c.SegmentSqlQuery,
    SegmentGroups: c.SegmentGroups as CreateSegmentDefinitionRequest['SegmentGroups'],
    Tags: tagsWithMarker(event, c.Tags),
  };
  const command = new CreateSegmentDefinitionCommand(request);
  // SegmentSort is newer than the pinned SDK (see withExtraBody).
  withExtraBody(command, c.SegmentSort === undefined ? {} : { SegmentSort: c.SegmentSort });
  log('creating segment definition', logFields(event, c, 'CreateSegmentDefinition'));
  try {
    await profilesClient().send(command);
  } catch (err) {
    if (!['BadRequestException', 'ConflictException'].includes(errorName(err) ?? '')) {
      throw toHandlerError(err, ref(c), 'CreateSegmentDefinition');
    }
    const existing = await getDefinition(c);
    if (!existing) {
      throw await sqlNeedsDataStore(c, err) ?? toHandlerError(err, ref(c), 'CreateSegmentDefinition');
    }
    await meetExisting(event, c, existing, false);
  }
}

async function getDefinition(id: SegmentId, afterDelete = false): Promise<ExistingDefinition | undefined> {
  const command = new GetSegmentDefinitionCommand({ DomainName: id.DomainName, SegmentDefinitionName: id.SegmentDefinitionName });
  const raw = withRawBody(command);
  try {
    const response = await profilesClient().send(command);
    return { ...response, SegmentSort: raw.json?.SegmentSort ?? undefined };
  } catch (err) {
    if (isNotFound(err) || (afterDelete && isGoneAfterDelete(err))) return undefined;
    throw toHandlerError(err, ref(id), 'GetSegmentDefinition');
  }
}

async function deleteDefinition(event: ResourceEvent, id: SegmentId): Promise<void> {
  log('deleting segment definition', logFields(event, id, 'DeleteSegmentDefinition'));
  await callIgnoringNotFound(ref(id), 'DeleteSegmentDefinition', () => profilesClient().send(new DeleteSegmentDefinitionCommand({
    DomainName: id.DomainName, SegmentDefinitionName: id.SegmentDefinitionName,
  })));
}

/** True when this request recreates the definition under the same, explicit, name. */
function recreateInPlace(event: ResourceEvent, c: SegmentDefinitionConfig): boolean {
  if (event.RequestType !== 'Update' || !event.OldResourceProperties) return false;
  const old = segmentDefinitionConfig(event.OldResourceProperties);
  return physicalId(old) === physicalId(c) && contentChanged(old, c);
}

/** Deletes the previous definition when recreating in place (onEvent checked it is ours), then creates the new one. */
async function writeDefinition(event: ResourceEvent, c: SegmentDefinitionConfig): Promise<void> {
  if (recreateInPlace(event, c)) {
    await deleteDefinition(event, c);
  }
  await createDefinition(event, c);
}

/**
 * Checks the name, then validates (when asked) and creates. Nothing is returned (so no physical
 * id) before the existing definition of the name, if any, is known to be this resource's.
 *
 * A started estimate is left to isComplete, which the framework calls right after onEvent:
 * reading it here as well would be one more call per segment, and an estimate is never done
 * milliseconds after it started.
 */
async function begin(event: ResourceEvent, c: SegmentDefinitionConfig): Promise<OnEventResponse> {
  const existing = await getDefinition(c);
  if (existing && await meetExisting(event, c, existing, recreateInPlace(event, c))) {
    return respond(physicalId(c), c.TimeoutSeconds, attributes(event, c));
  }
  if (c.ValidateBeforeCreate) {
    const estimateId = await startEstimate(event, c);
    return respond(physicalId(c), c.TimeoutSeconds, { ...attributes(event, c), [ESTIMATE_ID_KEY]: estimateId });
  }
  await writeDefinition(event, c);
  return respond(physicalId(c), c.TimeoutSeconds, attributes(event, c));
}

function parsePhysicalId(id: string | undefined): SegmentId | undefined {
  const match = /^([a-zA-Z0-9_-]{1,64})\/([a-zA-Z0-9_-]{1,64})$/.exec(id ?? '');
  return match ? { DomainName: match[1], SegmentDefinitionName: match[2] } : undefined;
}

export const segmentDefinitionHandler: ResourceHandler = {
  async create(event: ResourceEvent): Promise<OnEventResponse> {
    return begin(event, segmentDefinitionConfig(event.ResourceProperties));
  },

  async update(event: ResourceEvent): Promise<OnEventResponse> {
    const c = segmentDefinitionConfig(event.ResourceProperties);
    const old = segmentDefinitionConfig(event.OldResourceProperties);
    const tagsChanged = !jsonEqual(old.Tags ?? {}, c.Tags ?? {});
    // Turning AdoptExisting on asks for the marker to be put on the definition: that is a write.
    const adoptionAsked = c.AdoptExisting === true && old.AdoptExisting !== true;
    if (physicalId(old) !== physicalId(c) || contentChanged(old, c) || tagsChanged || adoptionAsked) {
      // A new name: a new physical id, CloudFormation deletes the old one. The same name with
      // other content: recreated in place after validation (module comment). Tags: in place.
      return begin(event, c);
    }
    return respond(physicalId(c), c.TimeoutSeconds, attributes(event, c));
  },

  async delete(event: ResourceEvent): Promise<OnEventResponse> {
    const id = event.PhysicalResourceId ?? '';
    const parts = parsePhysicalId(id);
    if (!parts) {
      // A Create that failed before returning an id gets a framework-made one: nothing to delete.
      return respond(id, deleteTimeout(event));
    }
    const existing = await getDefinition(parts);
    if (!existing) {
      return respond(id, deleteTimeout(event), { [ALREADY_GONE_KEY]: true });
    }
    if (!mayDelete(event, existing.Tags, logFields(event, parts))) {
      return respond(id, deleteTimeout(event), { [LEFT_IN_PLACE_KEY]: true });
    }
    await deleteDefinition(event, parts);
    return respond(id, deleteTimeout(event));
  },

  async isComplete(event: CompletionEvent): Promise<IsCompleteResponse> {
    if (event.RequestType === 'Delete') {
      const settled = event.Data?.[LEFT_IN_PLACE_KEY] === true || event.Data?.[ALREADY_GONE_KEY] === true;
      return settled ? complete(event) : isDeleted(event);
    }
    const c = segmentDefinitionConfig(event.ResourceProperties);
    const estimateId = event.Data?.[ESTIMATE_ID_KEY];
    if (typeof estimateId !== 'string' || estimateId === '') {
      // Nothing left to do; keep the estimate onEvent stored (the framework merges its Data).
      const known = event.Data?.[AttributeNames.ESTIMATED_PROFILE_COUNT];
      return complete(event, {
        ...attributes(event, c),
        [AttributeNames.ESTIMATED_PROFILE_COUNT]: typeof known === 'number' || typeof known === 'string' ? known : '',
      });
    }
    const result = await readEstimate(event, c, estimateId);
    if (result.done) {
      await writeDefinition(event, c);
      return complete(event, attributes(event, c, result.estimate));
    }
    if (deadlinePassed(event)) {
      throw timeoutError(ref(c), 'the segment estimate that validates the query', 'estimate RUNNING', c.TimeoutSeconds,
        'Raise the segment\'s timeout, or set validateBeforeCreate: false to create the segment without running the query first.');
    }
    return NOT_COMPLETE;
  },
};

async function isDeleted(event: CompletionEvent): Promise<IsCompleteResponse> {
  const parts = parsePhysicalId(event.PhysicalResourceId);
  if (!parts || !(await getDefinition(parts, true))) {
    return complete(event);
  }
  if (deadlinePassed(event)) {
    throw timeoutError(ref(parts), 'the segment definition to be deleted', 'still returned by GetSegmentDefinition', deleteTimeout(event),
      'Check the segment definition in the Customer Profiles console and delete the stack again.');
  }
  return NOT_COMPLETE;
}

function deleteTimeout(event: ResourceEvent): number {
  try {
    return segmentDefinitionConfig(event.ResourceProperties).TimeoutSeconds;
  } catch {
    return DEFAULT_TIMEOUT_SECONDS;
  }
}
