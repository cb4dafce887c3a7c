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
  applyTagDiff, Attributes, complete, CompletionEvent, deadlinePassed, diffTags, IsCompleteResponse, jsonEqual,
  NOT_COMPLETE, OnEventResponse, profileArn, ResourceEvent, ResourceHandler, respond, timeoutError,
} from './common';
import { DEFAULT_TIMEOUT_SECONDS, domainConfig } from './config';
import { call, callIgnoringNotFound, HandlerError, isGoneAfterDelete, isNotFound, ResourceRef, toHandlerError } from './errors';
import { log } from './log';
import { decide, LEFT_IN_PLACE_KEY, mark, mayDelete, tagsWithMarker, userTags, Verdict } from './ownership';
import { Attributes as AttributeNames, DomainConfig, ResourceTypes } from '../src/private/contract';

/**
 * Custom::CustomerProfilesDomain. Physical id: the domain name.
 *
 * Ownership (lambda/ownership.ts): the domain is created with this resource's owner marker, and
 * only a domain carrying it is adopted on a retried create, updated or deleted.
 * - Create: CreateDomain; a taken name is read and `decide`d: ours (a retried create) or
 *   explicitly adopted (marked first) is brought to the desired state, anything else is refused
 *   untouched. isComplete waits for the data store (Readiness 100%) when asked to.
 * - Update: a new name replaces the domain (a create, with the same checks); anything else is
 *   written, only the members that changed, after GetDomain shows the domain is ours. A no-op
 *   update makes no call at all.
 * - Delete: GetDomain; a domain that is not ours is left in place (the delete succeeds at once),
 *   ours is deleted and waited for until GetDomain says it is gone.
 */

const RESOURCE_TYPE = ResourceTypes.DOMAIN;

/** How a refusal tells the user to use the existing domain instead. */
const IMPORT_HINT = 'Domain.fromDomainName';

function ref(name: string): ResourceRef {
  return { kind: 'Domain', name };
}

function domainArn(event: ResourceEvent, name: string): string {
  return profileArn(event, `domains/${name}`);
}

function attributes(event: ResourceEvent, c: DomainConfig): Attributes {
  return {
    [AttributeNames.DOMAIN_NAME]: c.DomainName,
    [AttributeNames.DOMAIN_ARN]: domainArn(event, c.DomainName),
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

async function getDomain(name: string, afterDelete = false): Promise<GetDomainResponse | undefined> {
  try {
    return await profilesClient().send(new GetDomainCommand({ DomainName: name }));
  } catch (err) {
    if (isNotFound(err) || (afterDelete && isGoneAfterDelete(err))) return undefined;
    throw toHandlerError(err, ref(name), 'GetDomain');
  }
}

function logFieldsOf(event: ResourceEvent, name: string) {
  return { resourceType: RESOURCE_TYPE, requestType: event.RequestType, physicalResourceId: name };
}

/**
 * Creates the domain. When the name is taken, the existing domain is read and `decide`d: ours (a
 * retried create: the first attempt created it, then the handler died before answering) or
 * adopted on request (marked first) is brought to the desired state; any other is refused
 * untouched, so a stack never takes over (and later deletes) a domain it did not create.
 */
async function createDomain(event: ResourceEvent, c: DomainConfig): Promise<void> {
  const r = ref(c.DomainName);
  const logFields = logFieldsOf(event, c.DomainName);
  log('creating domain', { ...logFields, operation: 'CreateDomain' });
  try {
    await profilesClient().send(new CreateDomainCommand(createRequest(event, c)));
    return;
  } catch (err) {
    if (isNotFound(err) || !['BadRequestException', 'ConflictException'].includes((err as Error).name)) {
      throw toHandlerError(err, r, 'CreateDomain');
    }
    const existing = await getDomain(c.DomainName);
    if (!existing) {
      throw toHandlerError(err, r, 'CreateDomain');
    }
    await converge(event, c, existing);
  }
}

/**
 * Brings an existing domain to the desired state once `decide` allowed it (a create that met it,
 * or an update that adopts it): marks it first when it is being adopted, then writes only the
 * members and tags that differ from what GetDomain showed.
 */
async function converge(event: ResourceEvent, c: DomainConfig, existing: GetDomainResponse, verdict?: Verdict): Promise<void> {
  const r = ref(c.DomainName);
  const logFields = logFieldsOf(event, c.DomainName);
  if ((verdict ?? decide(event, r, existing.Tags, c.AdoptExisting === true, IMPORT_HINT)) === 'adopt') {
    await mark(event, r, domainArn(event, c.DomainName), logFields);
  } else {
    log('adopting our own domain (a retried create)', { ...logFields, operation: 'GetDomain' });
  }
  await updateDomain(event, c, changedMembers(currentMembers(existing), c));
  await applyTagDiff(r, domainArn(event, c.DomainName), diffTags(userTags(existing.Tags), userTags(c.Tags)), logFields);
}

async function updateDomain(event: ResourceEvent, c: DomainConfig, changes: Partial<UpdateDomainRequest>): Promise<void> {
  if (Object.keys(changes).length === 0) {
    return;
  }
  log('updating domain', { ...logFieldsOf(event, c.DomainName), operation: 'UpdateDomain' });
  await call(ref(c.DomainName), 'UpdateDomain', () => profilesClient().send(new UpdateDomainCommand({ DomainName: c.DomainName, ...changes })));
}

export const domainHandler: ResourceHandler = {
  async create(event: ResourceEvent): Promise<OnEventResponse> {
    const c = domainConfig(event.ResourceProperties);
    await createDomain(event, c);
    return respond(c.DomainName, c.TimeoutSeconds, attributes(event, c));
  },

  async update(event: ResourceEvent): Promise<OnEventResponse> {
    const c = domainConfig(event.ResourceProperties);
    const old = domainConfig(event.OldResourceProperties);
    if (old.DomainName !== c.DomainName) {
      // Replacement: a domain cannot be renamed. CloudFormation deletes the old one in its
      // clean-up phase (or keeps it, with DeletionPolicy Retain).
      log('replacing domain', logFieldsOf(event, c.DomainName));
      await createDomain(event, c);
      return respond(c.DomainName, c.TimeoutSeconds, attributes(event, c));
    }
    const changes = changedMembers(old as unknown as Record<string, unknown>, c);
    const tagDiff = diffTags(userTags(old.Tags), userTags(c.Tags));
    if (Object.keys(changes).length === 0 && tagDiff.remove.length === 0 && Object.keys(tagDiff.set).length === 0) {
      return respond(c.DomainName, c.TimeoutSeconds, attributes(event, c));
    }
    // Only a domain that carries this resource's marker is written to (or one adopted on request).
    const r = ref(c.DomainName);
    const existing = await call(r, 'GetDomain', () => profilesClient().send(new GetDomainCommand({ DomainName: c.DomainName })));
    if (decide(event, r, existing.Tags, c.AdoptExisting === true, IMPORT_HINT) === 'adopt') {
      // Its actual state, not the old Config, is what this stack takes over.
      await converge(event, c, existing, 'adopt');
    } else {
      await updateDomain(event, c, changes);
      await applyTagDiff(r, domainArn(event, c.DomainName), tagDiff, logFieldsOf(event, c.DomainName));
    }
    return respond(c.DomainName, c.TimeoutSeconds, attributes(event, c));
  },

  async delete(event: ResourceEvent): Promise<OnEventResponse> {
    const name = event.PhysicalResourceId ?? '';
    const timeoutSeconds = deleteTimeout(event);
    if (!isDomainName(name)) {
      // A Create that failed before returning an id gets a framework-made one: nothing to delete.
      return respond(name, timeoutSeconds);
    }
    const existing = await getDomain(name);
    if (!existing) {
      return respond(name, timeoutSeconds);
    }
    const logFields = { resourceType: RESOURCE_TYPE, physicalResourceId: name };
    if (!mayDelete(event, existing.Tags, logFields)) {
      return respond(name, timeoutSeconds, { [LEFT_IN_PLACE_KEY]: true });
    }
    log('deleting domain', { ...logFields, requestType: 'Delete', operation: 'DeleteDomain' });
    await callIgnoringNotFound(ref(name), 'DeleteDomain', () => profilesClient().send(new DeleteDomainCommand({ DomainName: name })));
    return respond(name, timeoutSeconds);
  },

  async isComplete(event: CompletionEvent): Promise<IsCompleteResponse> {
    if (event.RequestType === 'Delete') {
      return isDeleted(event);
    }
    const c = domainConfig(event.ResourceProperties);
    if (!(c.WaitForDataStore && c.DataStore?.Enabled)) {
      return complete(event, attributes(event, c));
    }
    const domain = await getDomain(c.DomainName);
    if (!domain) {
      throw new HandlerError(`Domain '${c.DomainName}' disappeared while waiting for its data store; was it deleted outside CloudFormation?`);
    }
    const readiness = domain.DataStore?.Readiness;
    const progress = readiness?.ProgressPercentage ?? 0;
    log('data store readiness', {
      resourceType: RESOURCE_TYPE, requestType: event.RequestType, physicalResourceId: c.DomainName, operation: 'GetDomain', progress,
    });
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
      log('data store enabled without readiness: treated as ready', {
        resourceType: RESOURCE_TYPE, requestType: event.RequestType, physicalResourceId: c.DomainName, operation: 'GetDomain',
      });
      return complete(event, attributes(event, c));
    }
    if (domain.DataStore?.Enabled === false) {
      throw new HandlerError(`Domain '${c.DomainName}': the data store is disabled${readiness?.Message ? ` (${readiness.Message})` : ''}, `
        + 'so it will never become ready. Check the domain in the Customer Profiles console, then deploy again.');
    }
    if (deadlinePassed(event)) {
      const lastSeen = domain.DataStore === undefined ? 'no data store reported' : `${progress}% ready${readiness?.Message ? `, '${readiness.Message}'` : ''}`;
      throw timeoutError(ref(c.DomainName), 'the data store to be ready', lastSeen, c.TimeoutSeconds,
        'Give it more time with DataStore.enabled({ readinessTimeout }), or use DataStore.enabled({ waitForReadiness: false }) so the deployment continues while the data store is prepared.');
    }
    return NOT_COMPLETE;
  },
};

async function isDeleted(event: CompletionEvent): Promise<IsCompleteResponse> {
  const name = event.PhysicalResourceId;
  // Left in place by onEvent (not ours): there is no deletion to wait for.
  if (event.Data?.[LEFT_IN_PLACE_KEY] === true || !isDomainName(name) || !(await getDomain(name, true))) {
    return complete(event);
  }
  if (deadlinePassed(event)) {
    throw timeoutError(ref(name), 'the domain to be deleted', 'still returned by GetDomain', deleteTimeout(event), 'Check the domain in the Customer Profiles console and delete the stack again.');
  }
  return NOT_COMPLETE;
}

function isDomainName(name: string): boolean {
  return /^[a-zA-Z0-9_-]{1,64}$/.test(name);
}

/** Delete events carry the last properties; fall back to the default when they cannot be read. */
function deleteTimeout(event: ResourceEvent): number {
  try {
    return domainConfig(event.ResourceProperties).TimeoutSeconds;
  } catch {
    return DEFAULT_TIMEOUT_SECONDS;
  }
}
