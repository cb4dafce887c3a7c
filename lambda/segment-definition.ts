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
import { profilesClient, withExtraBody } from './client';
import {
  applyTagDiff, Attributes, complete, CompletionEvent, deadlinePassed, diffTags, IsCompleteResponse, jsonEqual,
  NOT_COMPLETE, OnEventResponse, profileArn, ResourceEvent, ResourceHandler, respond, tagsForCreate, timeoutError,
} from './common';
import { DEFAULT_TIMEOUT_SECONDS, segmentDefinitionConfig } from './config';
import { callIgnoringNotFound, errorName, HandlerError, isBadRequest, isNotFound, ResourceRef, serviceMessage, toHandlerError } from './errors';
import { log, LogFields } from './log';
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
 */

const RESOURCE_TYPE = ResourceTypes.SEGMENT_DEFINITION;

/** Internal Data key carrying a running estimate from onEvent to isComplete. */
const ESTIMATE_ID_KEY = 'EstimateId';

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
    if (isBadRequest(err)) throw rejected(c, err, 'CreateSegmentEstimate');
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

function sameContent(existing: GetSegmentDefinitionResponse, c: SegmentDefinitionConfig): boolean {
  return existing.DisplayName === c.DisplayName
    && (existing.SegmentSqlQuery ?? undefined) === c.SegmentSqlQuery
    && (c.SegmentGroups === undefined || jsonEqual(existing.SegmentGroups, c.SegmentGroups));
}

/**
 * CreateSegmentDefinition. A retried create finds its own definition already there: with the
 * same display name and query it is adopted (tags brought up to date); anything else is refused.
 */
async function createDefinition(event: ResourceEvent, c: SegmentDefinitionConfig): Promise<void> {
  const request: CreateSegmentDefinitionRequest = {
    DomainName: c.DomainName,
    SegmentDefinitionName: c.SegmentDefinitionName,
    DisplayName: c.DisplayName,
    Description: c.Description,
    SegmentSqlQuery: c.SegmentSqlQuery,
    SegmentGroups: c.SegmentGroups as CreateSegmentDefinitionRequest['SegmentGroups'],
    Tags: tagsForCreate(c.Tags),
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
      throw toHandlerError(err, ref(c), 'CreateSegmentDefinition');
    }
    if (!sameContent(existing, c)) {
      throw new HandlerError(`Segment definition '${physicalId(c)}' already exists with another display name or query. `
        + 'Choose another segmentDefinitionName (or omit it to get one generated from the content).');
    }
    log('adopting existing segment definition', logFields(event, c, 'GetSegmentDefinition'));
    await applyTagDiff(ref(c), arn(event, c), diffTags(existing.Tags, c.Tags), logFields(event, c));
  }
}

async function getDefinition(id: SegmentId): Promise<GetSegmentDefinitionResponse | undefined> {
  try {
    return await profilesClient().send(new GetSegmentDefinitionCommand({
      DomainName: id.DomainName, SegmentDefinitionName: id.SegmentDefinitionName,
    }));
  } catch (err) {
    if (isNotFound(err)) return undefined;
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

/** Deletes the previous definition when recreating in place, then creates the new one. */
async function writeDefinition(event: ResourceEvent, c: SegmentDefinitionConfig): Promise<void> {
  if (recreateInPlace(event, c)) {
    await deleteDefinition(event, c);
  }
  await createDefinition(event, c);
}

/**
 * Validates (when asked) and creates. A started estimate is left to isComplete, which the
 * framework calls right after onEvent: reading it here as well would be one more call per
 * segment, and an estimate is never done milliseconds after it started.
 */
async function begin(event: ResourceEvent, c: SegmentDefinitionConfig): Promise<OnEventResponse> {
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
    if (physicalId(old) !== physicalId(c) || contentChanged(old, c)) {
      // A new name: a new physical id, CloudFormation deletes the old one. The same name: see
      // the module comment (recreated in place after validation).
      return begin(event, c);
    }
    await applyTagDiff(ref(c), arn(event, c), diffTags(old.Tags, c.Tags), logFields(event, c));
    return respond(physicalId(c), c.TimeoutSeconds, attributes(event, c));
  },

  async delete(event: ResourceEvent): Promise<OnEventResponse> {
    const id = event.PhysicalResourceId ?? '';
    const parts = parsePhysicalId(id);
    if (parts) {
      await deleteDefinition(event, parts);
    }
    return respond(id, deleteTimeout(event));
  },

  async isComplete(event: CompletionEvent): Promise<IsCompleteResponse> {
    if (event.RequestType === 'Delete') {
      return isDeleted(event);
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
  if (!parts || !(await getDefinition(parts))) {
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
