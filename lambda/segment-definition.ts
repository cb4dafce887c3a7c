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
import { applyTagDiff, Attributes, complete, CompletionEvent, diffTags, IsCompleteResponse, jsonEqual, OnEventResponse, profileArn, ResourceEvent, respond } from './common';
import { segmentDefinitionConfig } from './config';
import { dataStoreRefusal } from './data-store';
import { callIgnoringNotFound, describe, HandlerError, isBadRequest, isGoneAfterDelete, isNotFound, ResourceRef, serviceMessage, toHandlerError } from './errors';
import { changedKeys, decision, has, planOf, tagsDecision } from './framework/decisions';
import { createOrMeet, fieldsOf, Identity, lifecycle, takeOver, verdictOn, waitOrFail } from './framework/lifecycle';
import { log, LogFields } from './log';
import { tagsWithMarker, userTags, Verdict } from './ownership';
import { Attributes as AttributeNames, ResourceTypes, SegmentDefinitionConfig, UpdatePlan } from '../src/private/contract';

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
 * Ownership (lambda/ownership.ts, applied by lambda/framework/lifecycle.ts): onEvent reads the
 * definition of the desired name before it returns a physical id, and refuses one that is not
 * this resource's. Once an id is returned, a
 * failure makes CloudFormation send Delete for it, so an id returned for someone else's definition
 * would hand its deletion to this stack. Delete itself deletes only a definition with this
 * resource's marker.
 */

// ------------------------------------------------------------------ identity

/** Internal Data key carrying a running estimate from onEvent to isComplete. */
const ESTIMATE_ID_KEY = 'EstimateId';

interface SegmentId {
  readonly DomainName: string;
  readonly SegmentDefinitionName: string;
}

const identity: Identity<SegmentId> = {
  resourceType: ResourceTypes.SEGMENT_DEFINITION,
  noun: 'segment definition',
  importHint: 'SegmentDefinition.fromSegmentDefinitionName',
  getOperation: 'GetSegmentDefinition',
  deleteOperation: 'DeleteSegmentDefinition',
  physicalId: (id) => `${id.DomainName}/${id.SegmentDefinitionName}`,
  parsePhysicalId(id) {
    const match = /^([a-zA-Z0-9_-]{1,64})\/([a-zA-Z0-9_-]{1,64})$/.exec(id);
    return match ? { DomainName: match[1], SegmentDefinitionName: match[2] } : undefined;
  },
  ref: (c: SegmentId & Partial<SegmentDefinitionConfig>): ResourceRef => ({
    kind: 'Segment definition',
    name: `${c.DomainName}/${c.SegmentDefinitionName}`,
    // The service may echo a rejected query back; none of these may reach a message.
    sensitive: [c.Description, c.SegmentSqlQuery, c.SegmentGroups === undefined ? undefined : JSON.stringify(c.SegmentGroups)],
  }),
  arn: (event, id) => profileArn(event, `domains/${id.DomainName}/segment-definitions/${id.SegmentDefinitionName}`),
};

const { physicalId, ref } = identity;

function logFields(event: ResourceEvent, c: SegmentId, operation?: string): LogFields & { resourceType: string; physicalResourceId: string } {
  return { ...fieldsOf(event, identity.resourceType, physicalId(c)), operation };
}

// ------------------------------------------------------------------ desired state

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
    [AttributeNames.SEGMENT_DEFINITION_ARN]: identity.arn(event, c),
    [AttributeNames.SEGMENT_TYPE]: c.SegmentSqlQuery !== undefined ? 'ENHANCED' : 'CLASSIC',
    [AttributeNames.ESTIMATED_PROFILE_COUNT]: estimatedCount(estimate),
  };
}

// ------------------------------------------------------------------ update plan (pure)

/**
 * What an update of the definition does: the handler acts on it, the local `plan` prints it.
 * There is no update API: other content under the same name is deleted and created again
 * ('update-in-place': the physical id stays), a new name is a replacement.
 */
export function planUpdate(old: SegmentDefinitionConfig, desired: SegmentDefinitionConfig): UpdatePlan {
  const renamed = changedKeys(old, desired, ['DomainName', 'SegmentDefinitionName'], jsonEqual);
  const content = changedKeys(old, desired, ['DisplayName', 'Description', 'SegmentSqlQuery', 'SegmentGroups', 'SegmentSort'], jsonEqual);
  const validates = desired.ValidateBeforeCreate && (renamed.length > 0 || content.length > 0)
    && decision('wait', ['ValidateBeforeCreate'], 'The query runs as a segment estimate first; a query the service rejects changes nothing.');
  return planOf([
    validates,
    renamed.length > 0 && decision('replace', renamed, 'A new definition is created, and the old one is deleted in the cleanup phase unless retained.'),
    renamed.length === 0 && content.length > 0 && decision('update-in-place', content,
      'There is no update API: the definition is deleted and created again under the same name (it holds no customer data).'),
    !jsonEqual(old.Tags ?? {}, desired.Tags ?? {}) && tagsDecision(),
    desired.AdoptExisting === true && old.AdoptExisting !== true && tagsDecision(['AdoptExisting']),
  ]);
}

// ------------------------------------------------------------------ service calls

function rejected(c: SegmentDefinitionConfig, err: unknown, operation: string): HandlerError {
  return new HandlerError(`Segment definition '${physicalId(c)}': Customer Profiles rejected the segment query: ${serviceMessage(err, ref(c))} (${operation}). `
    + 'Nothing was created or changed; fix the query and deploy again.');
}

/** An SQL query refused because the domain has no data store (classic segments need none). */
async function sqlNeedsDataStore(c: SegmentDefinitionConfig, err: unknown): Promise<HandlerError | undefined> {
  return c.SegmentSqlQuery !== undefined ? dataStoreRefusal(err, `Segment definition '${physicalId(c)}'`, c.DomainName) : undefined;
}

// estimate (validation)

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
    + `definition and deploy again, use ${identity.importHint} to use it as it is, or choose another segmentDefinitionName.`);
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

/**
 * Meets an existing definition of the desired name, once `verdict` allows acting on it (adopted
 * on request: marked first). Same content: its tags are brought to the desired ones and true is
 * returned (nothing else to do). Other content: refused, unless `mayRecreate` (the caller then
 * deletes and creates it; false is returned).
 */
async function meetExisting(
  event: ResourceEvent, c: SegmentDefinitionConfig, existing: ExistingDefinition, verdict: Verdict, mayRecreate: boolean,
): Promise<boolean> {
  const members = differences(existing, c);
  await takeOver(event, identity, c, verdict, () => {
    if (members.length > 0 && !mayRecreate) {
      throw verdict === 'adopt' ? notAdoptable(c, members) : ownWithOtherContent(c, members);
    }
  });
  if (members.length > 0) {
    return false;
  }
  // The marker is not among the desired tags: compare without it, so that it is never removed.
  await applyTagDiff(ref(c), identity.arn(event, c), diffTags(userTags(existing.Tags), c.Tags), logFields(event, c));
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
  const existing = await createOrMeet(ref(c), 'CreateSegmentDefinition', () => profilesClient().send(command), () => getDefinition(c),
    (err) => sqlNeedsDataStore(c, err));
  if (existing) {
    await meetExisting(event, c, existing, verdictOn(event, identity, c, existing.Tags), false);
  }
}

const sendDelete = (id: SegmentId): Promise<unknown> => profilesClient().send(new DeleteSegmentDefinitionCommand({
  DomainName: id.DomainName, SegmentDefinitionName: id.SegmentDefinitionName,
}));

/** True when this request recreates the definition under the same, explicit, name (see planUpdate). */
function recreateInPlace(event: ResourceEvent, c: SegmentDefinitionConfig): boolean {
  return event.RequestType === 'Update' && event.OldResourceProperties !== undefined
    && has(planUpdate(segmentDefinitionConfig(event.OldResourceProperties), c), 'update-in-place');
}

/** Deletes the previous definition when recreating in place (onEvent checked it is ours), then creates the new one. */
async function writeDefinition(event: ResourceEvent, c: SegmentDefinitionConfig): Promise<void> {
  if (recreateInPlace(event, c)) {
    log('deleting segment definition', logFields(event, c, 'DeleteSegmentDefinition'));
    await callIgnoringNotFound(ref(c), 'DeleteSegmentDefinition', () => sendDelete(c));
  }
  await createDefinition(event, c);
}

/**
 * Meets the existing definition of the name (read and decided by the caller), then validates
 * (when asked) and creates. Nothing is returned (so no physical id) before the existing
 * definition, if any, is known to be this resource's.
 *
 * A started estimate is left to isComplete, which the framework calls right after onEvent:
 * reading it here as well would be one more call per segment, and an estimate is never done
 * milliseconds after it started.
 */
async function begin(
  event: ResourceEvent, c: SegmentDefinitionConfig, existing: ExistingDefinition | undefined, verdict: Verdict | undefined,
): Promise<OnEventResponse> {
  if (existing && verdict && await meetExisting(event, c, existing, verdict, recreateInPlace(event, c))) {
    return respond(physicalId(c), c.TimeoutSeconds, attributes(event, c));
  }
  if (c.ValidateBeforeCreate) {
    const estimateId = await startEstimate(event, c);
    return respond(physicalId(c), c.TimeoutSeconds, { ...attributes(event, c), [ESTIMATE_ID_KEY]: estimateId });
  }
  await writeDefinition(event, c);
  return respond(physicalId(c), c.TimeoutSeconds, attributes(event, c));
}

/** isComplete of a create or update: waits for the validating estimate, then creates. */
async function settle(event: CompletionEvent, c: SegmentDefinitionConfig): Promise<IsCompleteResponse> {
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
  return waitOrFail(event, ref(c), 'the segment estimate that validates the query', 'estimate RUNNING', c.TimeoutSeconds,
    'Raise the segment\'s timeout, or set validateBeforeCreate: false to create the segment without running the query first.');
}

// ------------------------------------------------------------------ hooks

export const segmentDefinitionHandler = lifecycle<SegmentDefinitionConfig, SegmentId, ExistingDefinition>({
  ...identity,
  config: segmentDefinitionConfig,
  timeoutSeconds: (c) => c.TimeoutSeconds,
  attributes: (event, c) => attributes(event, c),
  get: getDefinition,
  tagsOf: (definition) => definition.Tags,
  planUpdate,
  async create(event, c) {
    const existing = await getDefinition(c);
    return begin(event, c, existing, existing && verdictOn(event, identity, c, existing.Tags));
  },
  // A new name: a new physical id, CloudFormation deletes the old one. The same name with other
  // content: recreated in place after validation (module comment). Tags: in place.
  update: (event, c, _old, _plan, existing, verdict) => begin(event, c, existing, verdict),
  remove: sendDelete,
  settle,
});
