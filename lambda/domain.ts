import {
  CreateDomainCommand,
  CreateDomainRequest,
  DeleteDomainCommand,
  GetDomainCommand,
  GetDomainResponse,
  UpdateDomainCommand,
  UpdateDomainRequest,
} from '@aws-sdk/client-customer-profiles';
import { profilesClient } from './client';
import {
  applyTagDiff, Attributes, complete, CompletionEvent, diffTags, IsCompleteResponse, jsonEqual, profileArn, ResourceEvent, respond, tagsChange,
} from './common';
import { domainConfig } from './config';
import { call, HandlerError, isGoneAfterDelete, isNotFound, ResourceRef, toHandlerError } from './errors';
import { decision, has, planOf, tagsDecision } from './framework/decisions';
import { createOrMeet, fieldsOf, Identity, lifecycle, missingOnUpdate, takeOver, verdictOn, waitOrFail } from './framework/lifecycle';
import { log } from './log';
import { tagsWithMarker, userTags, Verdict } from './ownership';
import { Attributes as AttributeNames, DomainConfig, ResourceTypes, UpdatePlan } from '../src/private/contract';

/**
 * Custom::CustomerProfilesDomain. Physical id: the domain name.
 *
 * Ownership (lambda/ownership.ts, applied by lambda/framework/lifecycle.ts): the domain is created
 * with this resource's owner marker, and only a domain carrying it is adopted on a retried create,
 * updated or deleted.
 * - Create: CreateDomain; a taken name is read and decided: ours (a retried create) or explicitly
 *   adopted (marked first) is brought to the desired state, anything else is refused untouched.
 *   isComplete waits for the data store (Readiness 100%) when asked to.
 * - Update: a new name replaces the domain (a create, with the same checks); anything else is
 *   written, only the members that changed, after GetDomain shows the domain is ours. A no-op
 *   update makes no call at all.
 * - Delete: the lifecycle's (only ours, then wait until GetDomain says it is gone).
 */

// ------------------------------------------------------------------ identity

interface DomainId {
  readonly DomainName: string;
}

const identity: Identity<DomainId> = {
  resourceType: ResourceTypes.DOMAIN,
  noun: 'domain',
  importHint: 'Domain.fromDomainName',
  getOperation: 'GetDomain',
  deleteOperation: 'DeleteDomain',
  physicalId: (id) => id.DomainName,
  parsePhysicalId: (id) => (/^[a-zA-Z0-9_-]{1,64}$/.test(id) ? { DomainName: id } : undefined),
  ref: (id): ResourceRef => ({ kind: 'Domain', name: id.DomainName }),
  arn: (event, id) => profileArn(event, `domains/${id.DomainName}`),
};

const ref = identity.ref;

// ------------------------------------------------------------------ desired state

function attributes(event: ResourceEvent, c: DomainConfig): Attributes {
  return {
    [AttributeNames.DOMAIN_NAME]: c.DomainName,
    [AttributeNames.DOMAIN_ARN]: identity.arn(event, c),
    [AttributeNames.DATA_STORE_ENABLED]: c.DataStore?.Enabled === true,
  };
}

function createRequest(event: ResourceEvent, c: DomainConfig): CreateDomainRequest {
  return {
    DomainName: c.DomainName,
    DefaultExpirationDays: c.DefaultExpirationDays,
    DefaultEncryptionKey: c.DefaultEncryptionKey,
    DeadLetterQueueUrl: c.DeadLetterQueueUrl,
    Matching: c.Matching as CreateDomainRequest['Matching'],
    RuleBasedMatching: c.RuleBasedMatching as CreateDomainRequest['RuleBasedMatching'],
    DataStore: c.DataStore,
    Tags: tagsWithMarker(event, userTags(c.Tags)),
  };
}

/** The members UpdateDomain can change, with the value that clears each one when it is removed. */
const UPDATABLE: ReadonlyArray<{ key: keyof DomainConfig & keyof UpdateDomainRequest; cleared: unknown }> = [
  { key: 'DefaultExpirationDays', cleared: undefined },
  // UpdateDomain documents an empty string as "clear the existing value".
  { key: 'DefaultEncryptionKey', cleared: '' },
  { key: 'DeadLetterQueueUrl', cleared: '' },
  { key: 'Matching', cleared: { Enabled: false } },
  { key: 'RuleBasedMatching', cleared: { Enabled: false } },
  { key: 'DataStore', cleared: { Enabled: false } },
];

/** Only the members whose desired value differs from `current`; empty when nothing changed. */
function changedMembers(current: Partial<Record<string, unknown>>, desired: DomainConfig): Partial<UpdateDomainRequest> {
  const changes: Record<string, unknown> = {};
  for (const { key, cleared } of UPDATABLE) {
    if (!jsonEqual(current[key], desired[key])) {
      const value = desired[key] ?? cleared;
      if (value !== undefined) changes[key] = value;
    }
  }
  return changes as Partial<UpdateDomainRequest>;
}

/** The domain as GetDomain shows it, in the shape of the Config members UpdateDomain changes. */
function currentMembers(existing: GetDomainResponse): Partial<Record<string, unknown>> {
  const ruleBased = existing.RuleBasedMatching;
  return {
    DefaultExpirationDays: existing.DefaultExpirationDays,
    DefaultEncryptionKey: existing.DefaultEncryptionKey,
    DeadLetterQueueUrl: existing.DeadLetterQueueUrl,
    Matching: existing.Matching,
    // Status is reported by the service, never written: it is not part of the desired state.
    RuleBasedMatching: ruleBased ? { ...ruleBased, Status: undefined } : undefined,
    DataStore: existing.DataStore?.Enabled === undefined ? undefined : { Enabled: existing.DataStore.Enabled },
  };
}

// ------------------------------------------------------------------ update plan (pure)

/** What an update of the domain does: the handler acts on it, the local `plan` prints it. */
export function planUpdate(old: DomainConfig, desired: DomainConfig): UpdatePlan {
  const waits = desired.WaitForDataStore && desired.DataStore?.Enabled === true;
  const waitForDataStore = decision('wait-for-data-store', ['DataStore', 'WaitForDataStore'],
    'The deployment waits until the data store is ready (object types need it).');
  if (old.DomainName !== desired.DomainName) {
    return planOf([
      decision('replace', ['DomainName'], 'A domain cannot be renamed: a new one is created, and the old one is deleted in the cleanup phase unless retained.'),
      waits && waitForDataStore,
    ]);
  }
  const changed = Object.keys(changedMembers(old as unknown as Record<string, unknown>, desired));
  return planOf([
    changed.length > 0 && decision('update-in-place', changed, 'UpdateDomain sends the members that changed.'),
    tagsChange(diffTags(userTags(old.Tags), userTags(desired.Tags))) && tagsDecision(),
    // Adoption turned on later (a resource of an earlier version): it is marked now, as recommenders and segments are.
    desired.AdoptExisting === true && old.AdoptExisting !== true && tagsDecision(['AdoptExisting']),
    waits && (changed.includes('DataStore') || !(old.WaitForDataStore && old.DataStore?.Enabled === true)) && waitForDataStore,
  ]);
}

// ------------------------------------------------------------------ service calls

async function getDomain(id: DomainId, afterDelete = false): Promise<GetDomainResponse | undefined> {
  try {
    return await profilesClient().send(new GetDomainCommand({ DomainName: id.DomainName }));
  } catch (err) {
    if (isNotFound(err) || (afterDelete && isGoneAfterDelete(err))) return undefined;
    throw toHandlerError(err, ref(id), 'GetDomain');
  }
}

/**
 * Creates the domain. When the name is taken, the existing domain is decided: ours (a retried
 * create: the first attempt created it, then the handler died before answering) or adopted on
 * request (marked first) is brought to the desired state; any other is refused untouched, so a
 * stack never takes over (and later deletes) a domain it did not create.
 */
async function createDomain(event: ResourceEvent, c: DomainConfig): Promise<void> {
  log('creating domain', { ...fieldsOf(event, identity.resourceType, c.DomainName), operation: 'CreateDomain' });
  const existing = await createOrMeet(ref(c), 'CreateDomain',
    () => profilesClient().send(new CreateDomainCommand(createRequest(event, c))), () => getDomain(c));
  if (existing) {
    await converge(event, c, existing, verdictOn(event, identity, c, existing.Tags));
  }
}

/** Brings an existing domain, once it may be acted on, from its state as read to the desired one. */
async function converge(event: ResourceEvent, c: DomainConfig, existing: GetDomainResponse, verdict: Verdict): Promise<void> {
  await takeOver(event, identity, c, verdict);
  await updateDomain(event, c, changedMembers(currentMembers(existing), c));
  await applyTagDiff(ref(c), identity.arn(event, c), diffTags(userTags(existing.Tags), userTags(c.Tags)),
    fieldsOf(event, identity.resourceType, c.DomainName));
}

async function updateDomain(event: ResourceEvent, c: DomainConfig, changes: Partial<UpdateDomainRequest>): Promise<void> {
  if (Object.keys(changes).length === 0) {
    return;
  }
  log('updating domain', { ...fieldsOf(event, identity.resourceType, c.DomainName), operation: 'UpdateDomain' });
  await call(ref(c), 'UpdateDomain', () => profilesClient().send(new UpdateDomainCommand({ DomainName: c.DomainName, ...changes })));
}

/** isComplete of a create or update: waits for the data store when asked to. */
async function settle(event: CompletionEvent, c: DomainConfig): Promise<IsCompleteResponse> {
  if (!(c.WaitForDataStore && c.DataStore?.Enabled)) {
    return complete(event, attributes(event, c));
  }
  const domain = await getDomain(c);
  if (!domain) {
    throw new HandlerError(`Domain '${c.DomainName}' disappeared while waiting for its data store; was it deleted outside CloudFormation?`);
  }
  const readiness = domain.DataStore?.Readiness;
  const progress = readiness?.ProgressPercentage ?? 0;
  log('data store readiness', { ...fieldsOf(event, identity.resourceType, c.DomainName), operation: 'GetDomain', progress });
  if (progress >= 100) {
    return complete(event, attributes(event, c));
  }
  // Assumption: Readiness is optional in the service model, and it describes preparation under
  // way. A data store reported Enabled with no Readiness has nothing being prepared, so it is
  // treated as ready; waiting for a member the service does not send would only end at the
  // deadline. Object types do not depend on it either: the service accepts them once the data
  // store is enabled. (A GetDomain without any DataStore is waited for: the enabling may not
  // show yet.)
  if (domain.DataStore?.Enabled === true && readiness === undefined) {
    log('data store enabled without readiness: treated as ready', { ...fieldsOf(event, identity.resourceType, c.DomainName), operation: 'GetDomain' });
    return complete(event, attributes(event, c));
  }
  if (domain.DataStore?.Enabled === false) {
    throw new HandlerError(`Domain '${c.DomainName}': the data store is disabled${readiness?.Message ? ` (${readiness.Message})` : ''}, `
      + 'so it will never become ready. Check the domain in the Customer Profiles console, then deploy again.');
  }
  const lastSeen = domain.DataStore === undefined ? 'no data store reported' : `${progress}% ready${readiness?.Message ? `, '${readiness.Message}'` : ''}`;
  return waitOrFail(event, ref(c), 'the data store to be ready', lastSeen, c.TimeoutSeconds,
    'Give it more time with DataStore.enabled({ readinessTimeout }), or use DataStore.enabled({ waitForReadiness: false }) so the deployment continues while the data store is prepared.');
}

// ------------------------------------------------------------------ hooks

export const domainHandler = lifecycle<DomainConfig, DomainId, GetDomainResponse>({
  ...identity,
  config: domainConfig,
  timeoutSeconds: (c) => c.TimeoutSeconds,
  attributes,
  get: getDomain,
  tagsOf: (domain) => domain.Tags,
  goneData: {},
  planUpdate,

  async create(event, c) {
    await createDomain(event, c);
    return respond(c.DomainName, c.TimeoutSeconds, attributes(event, c));
  },

  async update(event, c, old, plan, existing, verdict) {
    if (!existing || !verdict) {
      throw missingOnUpdate(ref(c), 'domain name');
    }
    if (verdict === 'adopt') {
      // Its actual state, not the old Config, is what this stack takes over.
      await converge(event, c, existing, verdict);
    } else {
      await updateDomain(event, c, has(plan, 'update-in-place') ? changedMembers(old as unknown as Record<string, unknown>, c) : {});
      await applyTagDiff(ref(c), identity.arn(event, c), diffTags(userTags(old.Tags), userTags(c.Tags)),
        fieldsOf(event, identity.resourceType, c.DomainName));
    }
    return respond(c.DomainName, c.TimeoutSeconds, attributes(event, c));
  },

  remove: (id) => profilesClient().send(new DeleteDomainCommand({ DomainName: id.DomainName })),
  settle,
});
