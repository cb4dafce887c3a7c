import {
  CreateRecommenderCommand,
  CreateRecommenderRequest,
  DeleteRecommenderCommand,
  GetRecommenderCommand,
  GetRecommenderResponse,
  StartRecommenderCommand,
  StopRecommenderCommand,
  UpdateRecommenderCommand,
} from '@aws-sdk/client-customer-profiles';
import { profilesClient, withExtraBody } from './client';
import {
  applyTagDiff, Attributes, complete, CompletionEvent, deadlinePassed, diffTags, IsCompleteResponse, jsonContains, jsonEqual,
  NOT_COMPLETE, OnEventResponse, profileArn, ResourceEvent, ResourceHandler, respond, tagsForCreate, timeoutError,
} from './common';
import { DEFAULT_TIMEOUT_SECONDS, recommenderConfig } from './config';
import { call, callIgnoringNotFound, errorName, HandlerError, isNotFound, ResourceRef, toHandlerError } from './errors';
import { log } from './log';
import { Attributes as AttributeNames, RecommenderConfig, ResourceTypes } from '../src/private/contract';

/**
 * Custom::CustomerProfilesRecommender. Physical id: `<domain>/<recommenderName>`.
 *
 * - Create: CreateRecommender; isComplete waits until training finished (ACTIVE), or only until it
 *   started when WaitForActive is false. A recommender that should not run (Enabled false) is
 *   stopped once training finished, and isComplete waits for INACTIVE.
 * - Update: description and configuration in place (UpdateRecommender, then wait on
 *   LatestRecommenderUpdate); running state with Start/StopRecommender; tags with
 *   Tag/UntagResource; a new name, domain, recipe or schema is a replacement.
 * - Delete: DeleteRecommender, then wait until GetRecommender says it is gone, so the domain
 *   (deleted after it) no longer has it.
 */

const RESOURCE_TYPE = ResourceTypes.RECOMMENDER;

interface RecommenderId {
  readonly DomainName: string;
  readonly RecommenderName: string;
}

function ref(c: RecommenderId & { Description?: string }): ResourceRef {
  return { kind: 'Recommender', name: `${c.DomainName}/${c.RecommenderName}`, sensitive: [c.Description] };
}

function physicalId(c: RecommenderId): string {
  return `${c.DomainName}/${c.RecommenderName}`;
}

function attributes(event: ResourceEvent, c: RecommenderConfig, status: string): Attributes {
  return {
    [AttributeNames.DOMAIN_NAME]: c.DomainName,
    [AttributeNames.RECOMMENDER_NAME]: c.RecommenderName,
    [AttributeNames.RECOMMENDER_ARN]: profileArn(event, `domains/${c.DomainName}/recommenders/${c.RecommenderName}`),
    [AttributeNames.RECOMMENDER_STATUS]: status,
  };
}

/**
 * Members of the April 2026 model the pinned SDK does not serialize (see withExtraBody):
 * RecommenderSchemaName (create only) and RecommenderConfig.IncludedColumns.
 */
function extraMembers(c: RecommenderConfig, forCreate: boolean): Record<string, unknown> {
  const extra: Record<string, unknown> = {};
  if (forCreate && c.RecommenderSchemaName) {
    extra.RecommenderSchemaName = c.RecommenderSchemaName;
  }
  if (c.RecommenderConfig?.IncludedColumns) {
    extra.RecommenderConfig = { IncludedColumns: c.RecommenderConfig.IncludedColumns };
  }
  return extra;
}

function sdkConfig(c: RecommenderConfig): CreateRecommenderRequest['RecommenderConfig'] {
  return c.RecommenderConfig as CreateRecommenderRequest['RecommenderConfig'];
}

async function getRecommender(id: RecommenderId): Promise<GetRecommenderResponse | undefined> {
  try {
    return await profilesClient().send(new GetRecommenderCommand({ DomainName: id.DomainName, RecommenderName: id.RecommenderName }));
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw toHandlerError(err, ref(id), 'GetRecommender');
  }
}

/** Whether this request changes the description or configuration (an in-place UpdateRecommender). */
function inPlaceChange(old: RecommenderConfig, c: RecommenderConfig): boolean {
  return old.Description !== c.Description || !jsonEqual(old.RecommenderConfig, c.RecommenderConfig);
}

/**
 * Data key set by onEvent when the recommender was busy (training, or another update still in
 * progress, e.g. the update a rollback reverts) and UpdateRecommender had to wait: isComplete
 * sends it once the recommender is settled.
 */
const DEFERRED_UPDATE_KEY = 'DeferredUpdate';

/** Training, starting, stopping or an update in progress: the service refuses UpdateRecommender then. */
function busy(current: GetRecommenderResponse): boolean {
  const update = current.LatestRecommenderUpdate?.Status;
  return !['ACTIVE', 'INACTIVE'].includes(current.Status ?? '') || (update !== undefined && update !== 'ACTIVE' && update !== 'FAILED');
}

/** Whether the recommender's description or configuration differ from the members the stack sets. */
function configDiffers(current: { Description?: string; RecommenderConfig?: unknown }, c: RecommenderConfig): boolean {
  return (c.Description !== undefined && current.Description !== c.Description) || !jsonContains(current.RecommenderConfig, c.RecommenderConfig);
}

/**
 * Configuration members the previous properties set and the new ones removed: configDiffers
 * ignores members the stack does not set, so it cannot see a removal by itself.
 */
function removedMembers(old: RecommenderConfig | undefined, c: RecommenderConfig): string[] {
  const before = (old?.RecommenderConfig ?? {}) as Record<string, unknown>;
  const after = (c.RecommenderConfig ?? {}) as Record<string, unknown>;
  return Object.keys(before).filter((k) => before[k] !== undefined && after[k] === undefined);
}

/** Whether `config` still has a removed member with its previous value. */
function stillSet(config: unknown, old: RecommenderConfig | undefined, removed: string[]): boolean {
  const have = (config ?? {}) as Record<string, unknown>;
  const before = (old?.RecommenderConfig ?? {}) as Record<string, unknown>;
  return removed.some((k) => jsonEqual(have[k], before[k]));
}

/** Whether `config` (an update that went out) lacks every removed member. */
function lacks(config: unknown, removed: string[]): boolean {
  const have = (config ?? {}) as Record<string, unknown>;
  return removed.every((k) => have[k] === undefined);
}

/** A removal still in place, unless the latest update already went out without the member. */
function removalPending(current: GetRecommenderResponse, old: RecommenderConfig | undefined, c: RecommenderConfig): boolean {
  const removed = removedMembers(old, c);
  const sent = current.LatestRecommenderUpdate?.RecommenderConfig;
  return removed.length > 0 && stillSet(current.RecommenderConfig, old, removed)
    && !(sent !== undefined && lacks(sent, removed) && jsonContains(sent, c.RecommenderConfig));
}

/**
 * UpdateRecommender, or false when the service refused it because the recommender is busy (the
 * caller then waits and sends it again). Any other refusal is an error.
 */
async function updateUnlessBusy(event: ResourceEvent, c: RecommenderConfig): Promise<boolean> {
  try {
    await updateRecommender(event, c);
    return true;
  } catch (err) {
    const current = await getRecommender(c);
    if (current && busy(current)) {
      log('recommender busy, update deferred', { resourceType: RESOURCE_TYPE, requestType: event.RequestType, physicalResourceId: physicalId(c), status: current.Status });
      return false;
    }
    throw err;
  }
}

/** Recipe and schema are fixed at creation: changing them needs a new recommender. */
function needsReplacement(old: RecommenderConfig, c: RecommenderConfig): boolean {
  return old.DomainName !== c.DomainName || old.RecommenderName !== c.RecommenderName
    || old.RecommenderRecipeName !== c.RecommenderRecipeName || old.RecommenderSchemaName !== c.RecommenderSchemaName;
}

/**
 * Creates the recommender. A retried Create (the first attempt created it, then the handler died
 * before answering) finds it already there with the definition the stack asks for: it is adopted
 * and its tags are brought up to date. One with another recipe, description or configuration is
 * someone else's: it is refused, untouched, because adopting it would retrain it with the stack's
 * configuration and delete it with the stack.
 */
async function createRecommender(event: ResourceEvent, c: RecommenderConfig): Promise<void> {
  const r = ref(c);
  const logFields = { resourceType: RESOURCE_TYPE, requestType: event.RequestType, physicalResourceId: physicalId(c) };
  log('creating recommender', { ...logFields, operation: 'CreateRecommender' });
  const request: CreateRecommenderRequest = {
    DomainName: c.DomainName,
    RecommenderName: c.RecommenderName,
    RecommenderRecipeName: c.RecommenderRecipeName as CreateRecommenderRequest['RecommenderRecipeName'],
    RecommenderConfig: sdkConfig(c),
    Description: c.Description,
    Tags: tagsForCreate(c.Tags),
  };
  try {
    const command = new CreateRecommenderCommand(request);
    withExtraBody(command, extraMembers(c, true));
    await profilesClient().send(command);
    return;
  } catch (err) {
    if (!['BadRequestException', 'ConflictException'].includes(errorName(err) ?? '')) {
      throw toHandlerError(err, r, 'CreateRecommender');
    }
    const existing = await getRecommender(c);
    if (!existing) {
      throw toHandlerError(err, r, 'CreateRecommender');
    }
    if (existing.RecommenderRecipeName !== c.RecommenderRecipeName) {
      throw new HandlerError(`Recommender '${physicalId(c)}' already exists with recipe ${existing.RecommenderRecipeName}, `
        + `not ${c.RecommenderRecipeName}. Choose another recommenderName, or delete the existing recommender first.`);
    }
    // Only members the stack sets count: the service fills in defaults.
    if (configDiffers(existing, c)) {
      throw new HandlerError(`Recommender '${physicalId(c)}' already exists with another description or configuration, and this stack `
        + 'did not create it. It is not taken over: that would retrain it with this stack\'s configuration and delete it with the stack. '
        + 'Use it with Recommender.fromRecommenderName, or choose another recommenderName.');
    }
    log('adopting existing recommender', { ...logFields, operation: 'GetRecommender', status: existing.Status });
    await applyTagDiff(r, profileArn(event, `domains/${c.DomainName}/recommenders/${c.RecommenderName}`), diffTags(existing.Tags, c.Tags), logFields);
  }
}

async function updateRecommender(event: ResourceEvent, c: RecommenderConfig): Promise<void> {
  log('updating recommender', { resourceType: RESOURCE_TYPE, requestType: event.RequestType, physicalResourceId: physicalId(c), operation: 'UpdateRecommender' });
  // A configuration the previous properties had and these removed is cleared with an empty one:
  // leaving the member out would keep the old configuration.
  const old = event.RequestType === 'Update' && event.OldResourceProperties ? recommenderConfig(event.OldResourceProperties) : undefined;
  const command = new UpdateRecommenderCommand({
    DomainName: c.DomainName,
    RecommenderName: c.RecommenderName,
    Description: c.Description,
    RecommenderConfig: sdkConfig(c) ?? (old?.RecommenderConfig ? {} : undefined),
  });
  withExtraBody(command, extraMembers(c, false));
  await call(ref(c), 'UpdateRecommender', () => profilesClient().send(command));
}

async function start(event: ResourceEvent, c: RecommenderConfig): Promise<void> {
  log('starting recommender', { resourceType: RESOURCE_TYPE, requestType: event.RequestType, physicalResourceId: physicalId(c), operation: 'StartRecommender' });
  await call(ref(c), 'StartRecommender', () => profilesClient().send(new StartRecommenderCommand({ DomainName: c.DomainName, RecommenderName: c.RecommenderName })));
}

async function stop(event: ResourceEvent, c: RecommenderConfig): Promise<void> {
  log('stopping recommender', { resourceType: RESOURCE_TYPE, requestType: event.RequestType, physicalResourceId: physicalId(c), operation: 'StopRecommender' });
  await call(ref(c), 'StopRecommender', () => profilesClient().send(new StopRecommenderCommand({ DomainName: c.DomainName, RecommenderName: c.RecommenderName })));
}

function parsePhysicalId(id: string | undefined): RecommenderId | undefined {
  const match = /^([a-zA-Z0-9_-]{1,64})\/([a-zA-Z0-9_-]{1,64})$/.exec(id ?? '');
  return match ? { DomainName: match[1], RecommenderName: match[2] } : undefined;
}

function deleteTimeout(event: ResourceEvent): number {
  try {
    return recommenderConfig(event.ResourceProperties).TimeoutSeconds;
  } catch {
    return DEFAULT_TIMEOUT_SECONDS;
  }
}

/** Statuses in which training (or restarting) has begun: enough when WaitForActive is false. */
const STARTED = new Set<string>(['IN_PROGRESS', 'STARTING', 'ACTIVE']);

export const recommenderHandler: ResourceHandler = {
  async create(event: ResourceEvent): Promise<OnEventResponse> {
    const c = recommenderConfig(event.ResourceProperties);
    await createRecommender(event, c);
    return respond(physicalId(c), c.TimeoutSeconds, attributes(event, c, 'PENDING'));
  },

  async update(event: ResourceEvent): Promise<OnEventResponse> {
    const c = recommenderConfig(event.ResourceProperties);
    const old = recommenderConfig(event.OldResourceProperties);
    if (needsReplacement(old, c)) {
      if (physicalId(old) === physicalId(c)) {
        // Like the EKS cluster handler: a replacement under the same explicit name would collide
        // with the recommender CloudFormation has not deleted yet.
        throw new HandlerError(`Recommender '${physicalId(c)}': changing the recipe or schema needs a new recommender, `
          + 'and its name did not change. Give it a new recommenderName (or omit recommenderName to get a generated one).');
      }
      await createRecommender(event, c);
      return respond(physicalId(c), c.TimeoutSeconds, attributes(event, c, 'PENDING'));
    }
    const changed = inPlaceChange(old, c);
    const deferred = changed && !(await updateUnlessBusy(event, c));
    let status = 'ACTIVE';
    if (old.Enabled !== c.Enabled) {
      const current = await getRecommender(c);
      status = current?.Status ?? 'PENDING';
      if (c.Enabled && status === 'INACTIVE') {
        await start(event, c);
      } else if (!c.Enabled && status === 'ACTIVE' && !changed) {
        await stop(event, c);
      }
      // Any other state (training, an update in progress) is settled by isComplete.
    }
    await applyTagDiff(ref(c), profileArn(event, `domains/${c.DomainName}/recommenders/${c.RecommenderName}`),
      diffTags(old.Tags, c.Tags), { resourceType: RESOURCE_TYPE, physicalResourceId: physicalId(c) });
    return respond(physicalId(c), c.TimeoutSeconds, { ...attributes(event, c, status), ...(deferred ? { [DEFERRED_UPDATE_KEY]: true } : {}) });
  },

  async delete(event: ResourceEvent): Promise<OnEventResponse> {
    const id = event.PhysicalResourceId ?? '';
    const parts = parsePhysicalId(id);
    if (parts) {
      log('deleting recommender', { resourceType: RESOURCE_TYPE, requestType: 'Delete', physicalResourceId: id, operation: 'DeleteRecommender' });
      await callIgnoringNotFound(ref(parts), 'DeleteRecommender', () => profilesClient().send(new DeleteRecommenderCommand(parts)));
    }
    return respond(id, deleteTimeout(event));
  },

  async isComplete(event: CompletionEvent): Promise<IsCompleteResponse> {
    if (event.RequestType === 'Delete') {
      return isDeleted(event);
    }
    const c = recommenderConfig(event.ResourceProperties);
    const r = ref(c);
    const current = await getRecommender(c);
    if (!current) {
      throw new HandlerError(`Recommender '${physicalId(c)}' disappeared while waiting for it; was it deleted outside CloudFormation?`);
    }
    const status = current.Status ?? 'PENDING';
    log('recommender status', { resourceType: RESOURCE_TYPE, requestType: event.RequestType, physicalResourceId: physicalId(c), operation: 'GetRecommender', status });
    if (status === 'FAILED') {
      throw new HandlerError(`Recommender '${physicalId(c)}' failed: ${current.FailureReason ?? 'no reason given'}. `
        + 'Fix the cause (often too little event data for the recipe) and deploy again.');
    }

    // An update onEvent could not send yet: send it once the recommender is settled. Until the
    // desired configuration is in place, LatestRecommenderUpdate may be another request's.
    let ownUpdate = true;
    if (event.Data?.[DEFERRED_UPDATE_KEY] === true) {
      const latest = current.LatestRecommenderUpdate;
      const previous = event.OldResourceProperties ? recommenderConfig(event.OldResourceProperties) : undefined;
      const pending = (): boolean => configDiffers(current, c) || removalPending(current, previous, c);
      const removed = removedMembers(previous, c);
      if (latest?.Status === 'FAILED' && !configDiffers({ Description: c.Description, RecommenderConfig: latest.RecommenderConfig }, c)
        && lacks(latest.RecommenderConfig, removed) && (configDiffers(current, c) || stillSet(current.RecommenderConfig, previous, removed))) {
        throw new HandlerError(`Recommender '${physicalId(c)}': the update failed: ${latest.FailureReason ?? 'no reason given'}. `
          + 'The recommender keeps its previous configuration; fix the cause and deploy again.');
      }
      if (busy(current) || (pending() && await updateUnlessBusy(event, c)) || pending()) {
        if (deadlinePassed(event)) {
          throw timeoutError(r, 'the recommender to be free for the update (an earlier update or training still in progress)',
            `status ${status}, update status ${latest?.Status ?? 'none'}`, c.TimeoutSeconds, 'Raise the recommender\'s timeout and deploy again.');
        }
        return NOT_COMPLETE;
      }
      ownUpdate = false;
    }

    // An in-place update trains again; its outcome is reported on LatestRecommenderUpdate.
    let waitingFor = c.Enabled ? 'training to finish (ACTIVE)' : 'the recommender to stop (INACTIVE)';
    let lastSeen = `status ${status}`;
    let updatePending = false;
    if (ownUpdate && event.RequestType === 'Update' && event.OldResourceProperties && inPlaceChange(recommenderConfig(event.OldResourceProperties), c)) {
      const update = current.LatestRecommenderUpdate;
      if (update?.Status === 'FAILED') {
        throw new HandlerError(`Recommender '${physicalId(c)}': the update failed: ${update.FailureReason ?? 'no reason given'}. `
          + 'The recommender keeps its previous configuration; fix the cause and deploy again.');
      }
      if (update && update.Status !== 'ACTIVE') {
        updatePending = true;
        waitingFor = 'the update to finish training (LatestRecommenderUpdate ACTIVE)';
        lastSeen = `update status ${update.Status ?? 'unknown'}`;
      }
    }

    const desired = c.Enabled ? 'ACTIVE' : 'INACTIVE';
    if (!updatePending || (c.Enabled && !c.WaitForActive)) {
      if (status === desired || (c.Enabled && !c.WaitForActive && STARTED.has(status))) {
        return complete(event, attributes(event, c, status));
      }
      // Converge the running state once training is over (also on Create with Enabled false).
      if (c.Enabled && status === 'INACTIVE') {
        await start(event, c);
      } else if (!c.Enabled && status === 'ACTIVE') {
        await stop(event, c);
      }
    }

    if (deadlinePassed(event)) {
      throw timeoutError(r, waitingFor, lastSeen, c.TimeoutSeconds, c.Enabled && c.WaitForActive
        ? 'Training takes longer with more data: raise the recommender\'s timeout, or set waitForActive: false to continue as soon as training started.'
        : 'Raise the recommender\'s timeout and deploy again.');
    }
    return NOT_COMPLETE;
  },
};

async function isDeleted(event: CompletionEvent): Promise<IsCompleteResponse> {
  const parts = parsePhysicalId(event.PhysicalResourceId);
  if (!parts) {
    return complete(event);
  }
  const current = await getRecommender(parts);
  if (!current) {
    return complete(event);
  }
  log('recommender deletion', { resourceType: RESOURCE_TYPE, requestType: 'Delete', physicalResourceId: event.PhysicalResourceId, operation: 'GetRecommender', status: current.Status });
  if (deadlinePassed(event)) {
    throw timeoutError(ref(parts), 'the recommender to be deleted', `status ${current.Status ?? 'unknown'}`, deleteTimeout(event),
      'Check the recommender in the Customer Profiles console and delete the stack again.');
  }
  return NOT_COMPLETE;
}
