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
import { profilesClient, withExtraBody, withRawBody } from './client';
import {
  applyTagDiff, Attributes, complete, CompletionEvent, diffTags, IsCompleteResponse, jsonContains, jsonEqual,
  profileArn, ResourceEvent, respond, tagsChange,
} from './common';
import { recommenderConfig } from './config';
import { dataStoreRefusal } from './data-store';
import { call, HandlerError, isGoneAfterDelete, isNotFound, ResourceRef, toHandlerError } from './errors';
import { changedKeys, decision, has, planOf, tagsDecision } from './framework/decisions';
import { createOrMeet, Identity, lifecycle, missingOnUpdate, takeOver, verdictOn, waitOrFail } from './framework/lifecycle';
import { log } from './log';
import { decide, tagsWithMarker, userTags } from './ownership';
import { Attributes as AttributeNames, RecommenderConfig, ResourceTypes, UpdatePlan } from '../src/private/contract';

/**
 * Custom::CustomerProfilesRecommender. Physical id: `<domain>/<recommenderName>`.
 *
 * - Create: CreateRecommender, tagged with the owner marker (see ownership.ts); isComplete waits
 *   until training finished (ACTIVE), or only until it started when WaitForActive is false. A
 *   recommender that should not run (Enabled false) is stopped once training finished, and
 *   isComplete waits for INACTIVE.
 * - Update: description and configuration in place (UpdateRecommender, then wait on
 *   LatestRecommenderUpdate); running state with Start/StopRecommender; tags with
 *   Tag/UntagResource; a new name, domain, recipe or schema is a replacement. Before the first
 *   write, one GetRecommender shows that the recommender is this resource's.
 * - Delete: only this resource's recommender: DeleteRecommender, then wait until GetRecommender
 *   says it is gone, so the domain (deleted after it) no longer has it. Any other is left in place.
 */

// ------------------------------------------------------------------ identity

interface RecommenderId {
  readonly DomainName: string;
  readonly RecommenderName: string;
}

const identity: Identity<RecommenderId> = {
  resourceType: ResourceTypes.RECOMMENDER,
  noun: 'recommender',
  importHint: 'Recommender.fromRecommenderName',
  getOperation: 'GetRecommender',
  deleteOperation: 'DeleteRecommender',
  physicalId: (id) => `${id.DomainName}/${id.RecommenderName}`,
  parsePhysicalId(id) {
    const match = /^([a-zA-Z0-9_-]{1,64})\/([a-zA-Z0-9_-]{1,64})$/.exec(id);
    return match ? { DomainName: match[1], RecommenderName: match[2] } : undefined;
  },
  ref: (c: RecommenderId & { Description?: string }): ResourceRef => ({
    kind: 'Recommender', name: `${c.DomainName}/${c.RecommenderName}`, sensitive: [c.Description],
  }),
  arn: (event, id) => profileArn(event, `domains/${id.DomainName}/recommenders/${id.RecommenderName}`),
};

const { physicalId, ref } = identity;
const RESOURCE_TYPE = identity.resourceType;

function logFieldsOf(c: RecommenderId): { resourceType: string; physicalResourceId: string } {
  return { resourceType: RESOURCE_TYPE, physicalResourceId: physicalId(c) };
}

// ------------------------------------------------------------------ desired state

/** The attributes; a recommender whose state onEvent did not read is reported ACTIVE (a no-op update). */
function attributes(event: ResourceEvent, c: RecommenderConfig, status = 'ACTIVE'): Attributes {
  return {
    [AttributeNames.DOMAIN_NAME]: c.DomainName,
    [AttributeNames.RECOMMENDER_NAME]: c.RecommenderName,
    [AttributeNames.RECOMMENDER_ARN]: identity.arn(event, c),
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

/**
 * Data key set by onEvent when the recommender was busy (training, or another update still in
 * progress, e.g. the update a rollback reverts) and UpdateRecommender had to wait: isComplete
 * sends it once the recommender is settled.
 */
const DEFERRED_UPDATE_KEY = 'DeferredUpdate';

/** Data telling isComplete that an update is outstanding (see DEFERRED_UPDATE_KEY). */
function deferredData(deferred: boolean): Attributes {
  return deferred ? { [DEFERRED_UPDATE_KEY]: true } : {};
}

/** Statuses in which training (or restarting) has begun: enough when WaitForActive is false. */
const STARTED = new Set<string>(['IN_PROGRESS', 'STARTING', 'ACTIVE']);

// ------------------------------------------------------------------ update plan (pure)

/** The live view planUpdate reads: GetRecommender's status and its latest update's. */
export type RecommenderLive = Pick<GetRecommenderResponse, 'Status' | 'LatestRecommenderUpdate'>;

/**
 * What an update of the recommender does: the handler acts on it, the local `plan` prints it.
 * With `current`, a recommender that is busy makes the write wait (a deferred update).
 */
export function planUpdate(old: RecommenderConfig, desired: RecommenderConfig, current?: RecommenderLive): UpdatePlan {
  const fixed = (['DomainName', 'RecommenderName', 'RecommenderRecipeName', 'RecommenderSchemaName'] as const).filter((k) => old[k] !== desired[k]);
  if (fixed.length > 0) {
    return planOf([decision('replace', fixed, physicalId(old) === physicalId(desired)
      ? 'The recipe or schema changed but the name did not: the handler refuses this (a new recommender needs a new name).'
      : 'Recipe and schema are fixed at creation: a new recommender is created and trained, and the old one is deleted in the cleanup phase.')]);
  }
  const inPlace = changedKeys(old, desired, ['Description', 'RecommenderConfig'], jsonEqual);
  const running = old.Enabled !== desired.Enabled;
  return planOf([
    current && (inPlace.length > 0 || running) && busy(current)
      && decision('wait', ['Status'], 'The recommender is busy (training or another update): the change waits until it is settled.'),
    inPlace.length > 0 && decision('update-in-place', inPlace, 'UpdateRecommender changes the description and configuration.'),
    inPlace.length > 0 && decision('retrain', inPlace, 'An update makes the recommender train again; the deployment waits for it.'),
    running && desired.Enabled && decision('start', ['Enabled'], 'StartRecommender: billing starts, and it may train.'),
    running && !desired.Enabled && decision('stop', ['Enabled'], 'StopRecommender: billing stops.'),
    tagsChange(diffTags(old.Tags, desired.Tags)) && tagsDecision(),
    desired.AdoptExisting === true && old.AdoptExisting !== true && tagsDecision(['AdoptExisting']),
  ]);
}

/** Training, starting, stopping or an update in progress: the service refuses UpdateRecommender then. */
function busy(current: RecommenderLive): boolean {
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

// ------------------------------------------------------------------ service calls

/** GetRecommender's answer, with RecommenderSchemaName and IncludedColumns that the pinned SDK drops. */
type Recommender = GetRecommenderResponse & { readonly RecommenderSchemaName?: string };

async function getRecommender(id: RecommenderId, afterDelete = false): Promise<Recommender | undefined> {
  const command = new GetRecommenderCommand({ DomainName: id.DomainName, RecommenderName: id.RecommenderName });
  const raw = withRawBody(command);
  try {
    return withDroppedMembers(await profilesClient().send(command), raw.json);
  } catch (err) {
    if (isNotFound(err) || (afterDelete && isGoneAfterDelete(err))) return undefined;
    throw toHandlerError(err, ref(id), 'GetRecommender');
  }
}

/**
 * Puts back the members of the April 2026 model that the pinned SDK does not deserialize: without
 * IncludedColumns, a recommender with included columns never looks like the stack's definition.
 */
function withDroppedMembers(out: GetRecommenderResponse, raw: Record<string, unknown> | undefined): Recommender {
  if (!raw) return out;
  const objectOf = (value: unknown): Record<string, unknown> | undefined =>
    value && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
  const withColumns = <T>(config: T | undefined, rawConfig: unknown): T | undefined => {
    const columns = objectOf(rawConfig)?.IncludedColumns;
    return columns === undefined ? config : { ...(config ?? {}), IncludedColumns: columns } as T;
  };
  const latest = out.LatestRecommenderUpdate;
  return {
    ...out,
    RecommenderSchemaName: typeof raw.RecommenderSchemaName === 'string' ? raw.RecommenderSchemaName : undefined,
    RecommenderConfig: withColumns(out.RecommenderConfig, raw.RecommenderConfig),
    LatestRecommenderUpdate: latest && {
      ...latest,
      RecommenderConfig: withColumns(latest.RecommenderConfig, objectOf(raw.LatestRecommenderUpdate)?.RecommenderConfig),
    },
  };
}

/**
 * UpdateRecommender, or false when the recommender is busy: `current` (just read) shows it, or the
 * service refused the update for that reason. The caller then waits and sends it again (a request
 * the service refuses is not sent). Any other refusal is an error.
 */
async function updateUnlessBusy(event: ResourceEvent, c: RecommenderConfig, current: Recommender): Promise<boolean> {
  const deferred = (status: string | undefined): boolean => {
    log('recommender busy, update deferred', { resourceType: RESOURCE_TYPE, requestType: event.RequestType, physicalResourceId: physicalId(c), status });
    return false;
  };
  if (busy(current)) {
    return deferred(current.Status);
  }
  try {
    await updateRecommender(event, c);
    return true;
  } catch (err) {
    const now = await getRecommender(c);
    if (now && busy(now)) {
      return deferred(now.Status);
    }
    throw err;
  }
}

/**
 * Throws the ownership refusal unless the recommender carries this resource's marker: isComplete
 * calls it before it writes (onEvent already checked, or made no call because nothing changed).
 */
function assertOurs(event: ResourceEvent, c: RecommenderConfig, current: Recommender): void {
  decide(event, ref(c), current.Tags, false, identity.importHint);
}

/**
 * Creates the recommender, tagged with this resource's owner marker. An existing one of the name is
 * adopted only when it carries that marker (a retried Create: the first attempt created it, then
 * the handler died before answering) or on the user's explicit request (AdoptExisting: it is marked
 * first); its configuration and tags are then brought to the stack's. Any other is refused,
 * untouched (see `decide`): adopting it would retrain it and delete it with the stack. Its
 * content says nothing about its owner: a create that sets no description or configuration would
 * match anyone's.
 *
 * @returns whether an update toward the stack's configuration is outstanding (isComplete sends it
 *   once the recommender is free, and waits for it)
 */
async function createRecommender(event: ResourceEvent, c: RecommenderConfig): Promise<boolean> {
  const r = ref(c);
  const logFields = logFieldsOf(c);
  log('creating recommender', { ...logFields, requestType: event.RequestType, operation: 'CreateRecommender' });
  const command = new CreateRecommenderCommand({
    DomainName: c.DomainName,
    RecommenderName: c.RecommenderName,
    RecommenderRecipeName: c.RecommenderRecipeName as CreateRecommenderRequest['RecommenderRecipeName'],
    RecommenderConfig: sdkConfig(c),
    Description: c.Description,
    Tags: tagsWithMarker(event, c.Tags),
  });
  withExtraBody(command, extraMembers(c, true));
  const existing = await createOrMeet(r, 'CreateRecommender', () => profilesClient().send(command), () => getRecommender(c),
    (err) => dataStoreRefusal(err, `Recommender '${physicalId(c)}'`, c.DomainName));
  if (!existing) {
    return false;
  }
  await takeOver(event, identity, c, verdictOn(event, identity, c, existing.Tags), () => {
    const fixed = existing.RecommenderRecipeName !== c.RecommenderRecipeName
      ? `recipe ${existing.RecommenderRecipeName}, not ${c.RecommenderRecipeName}`
      // Only a schema the stack names counts: the service may report the domain's default one.
      : c.RecommenderSchemaName !== undefined && existing.RecommenderSchemaName !== c.RecommenderSchemaName
        ? `schema ${existing.RecommenderSchemaName ?? '(none)'}, not ${c.RecommenderSchemaName}` : undefined;
    if (fixed) {
      throw new HandlerError(`Recommender '${physicalId(c)}' already exists with ${fixed}, which cannot change in place. `
        + 'Choose another recommenderName, or delete the existing recommender first.');
    }
  });
  // Only members the stack sets count: the service fills in defaults.
  const converge = configDiffers(existing, c);
  if (converge) {
    await updateUnlessBusy(event, c, existing);
  }
  await applyTagDiff(r, identity.arn(event, c), diffTags(userTags(existing.Tags), c.Tags), logFields);
  return converge;
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

/** isComplete of a create or update: training, a deferred update, the running state. */
async function settle(event: CompletionEvent, c: RecommenderConfig): Promise<IsCompleteResponse> {
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
    const old = event.OldResourceProperties ? recommenderConfig(event.OldResourceProperties) : undefined;
    // After a replacement the previous properties are another recommender's: nothing was removed from this one.
    const previous = old && physicalId(old) === physicalId(c) ? old : undefined;
    const pending = (): boolean => configDiffers(current, c) || removalPending(current, previous, c);
    const removed = removedMembers(previous, c);
    if (latest?.Status === 'FAILED' && !configDiffers({ Description: c.Description, RecommenderConfig: latest.RecommenderConfig }, c)
      && lacks(latest.RecommenderConfig, removed) && (configDiffers(current, c) || stillSet(current.RecommenderConfig, previous, removed))) {
      throw new HandlerError(`Recommender '${physicalId(c)}': the update failed: ${latest.FailureReason ?? 'no reason given'}. `
        + 'The recommender keeps its previous configuration; fix the cause and deploy again.');
    }
    const send = async (): Promise<boolean> => {
      assertOurs(event, c, current);
      return updateUnlessBusy(event, c, current);
    };
    if (busy(current) || (pending() && await send()) || pending()) {
      return waitOrFail(event, r, 'the recommender to be free for the update (an earlier update or training still in progress)',
        `status ${status}, update status ${latest?.Status ?? 'none'}`, c.TimeoutSeconds, 'Raise the recommender\'s timeout and deploy again.');
    }
    ownUpdate = false;
  }

  // An in-place update trains again; its outcome is reported on LatestRecommenderUpdate.
  let waitingFor = c.Enabled ? 'training to finish (ACTIVE)' : 'the recommender to stop (INACTIVE)';
  let lastSeen = `status ${status}`;
  let updatePending = false;
  if (ownUpdate && event.RequestType === 'Update' && event.OldResourceProperties
    && has(planUpdate(recommenderConfig(event.OldResourceProperties), c), 'update-in-place')) {
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
      assertOurs(event, c, current);
      await start(event, c);
    } else if (!c.Enabled && status === 'ACTIVE') {
      assertOurs(event, c, current);
      await stop(event, c);
    }
  }

  return waitOrFail(event, r, waitingFor, lastSeen, c.TimeoutSeconds, c.Enabled && c.WaitForActive
    ? 'Training takes longer with more data: raise the recommender\'s timeout, or set waitForActive: false to continue as soon as training started.'
    : 'Raise the recommender\'s timeout and deploy again.');
}

// ------------------------------------------------------------------ hooks

export const recommenderHandler = lifecycle<RecommenderConfig, RecommenderId, Recommender>({
  ...identity,
  config: recommenderConfig,
  timeoutSeconds: (c) => c.TimeoutSeconds,
  attributes: (event, c) => attributes(event, c),
  get: getRecommender,
  tagsOf: (recommender) => recommender.Tags,
  deletionStatus: (recommender) => recommender.Status ?? 'unknown',
  planUpdate: (old, desired) => planUpdate(old, desired),

  async create(event, c) {
    const converging = await createRecommender(event, c);
    return respond(physicalId(c), c.TimeoutSeconds, { ...attributes(event, c, 'PENDING'), ...deferredData(converging) });
  },

  // Like the EKS cluster handler: a replacement under the same explicit name would collide with
  // the recommender CloudFormation has not deleted yet.
  sameIdReplacement: (c) => new HandlerError(`Recommender '${physicalId(c)}': changing the recipe or schema needs a new recommender, `
    + 'and its name did not change. Give it a new recommenderName, or remove recommenderName: generated names include a hash '
    + 'of the recipe and schema, so the recommender is then replaced under a new name.'),

  async update(event, c, old, plan, current, verdict) {
    const r = ref(c);
    if (!current || !verdict) {
      throw missingOnUpdate(r, 'recommenderName');
    }
    const changed = has(plan, 'update-in-place');
    let converge = changed;
    let tagDiff = diffTags(old.Tags, c.Tags);
    if (verdict === 'adopt') {
      await takeOver(event, identity, c, verdict);
      // Adopted: bring what the recommender has, not what the previous properties said, to the stack's.
      converge = changed || configDiffers(current, c);
      tagDiff = diffTags(userTags(current.Tags), c.Tags);
    }
    const sent = converge && await updateUnlessBusy(event, c, current);
    // An adoption's update is waited for by isComplete like a deferred one (its properties did not change).
    const deferred = converge && (!sent || !changed);
    let status = 'ACTIVE';
    if (has(plan, 'start') || has(plan, 'stop')) {
      status = current.Status ?? 'PENDING';
      if (c.Enabled && status === 'INACTIVE') {
        await start(event, c);
      } else if (!c.Enabled && status === 'ACTIVE' && !converge) {
        await stop(event, c);
      }
      // Any other state (training, an update in progress) is settled by isComplete.
    }
    await applyTagDiff(r, identity.arn(event, c), tagDiff, logFieldsOf(c));
    return respond(physicalId(c), c.TimeoutSeconds, { ...attributes(event, c, status), ...deferredData(deferred) });
  },

  remove: (id) => profilesClient().send(new DeleteRecommenderCommand({ DomainName: id.DomainName, RecommenderName: id.RecommenderName })),
  settle,
});
