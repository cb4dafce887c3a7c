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
  NOT_COMPLETE, OnEventResponse, profileArn, ResourceEvent, ResourceHandler, respond, tagsForCreate, timeoutError,
} from './common';
import { DEFAULT_TIMEOUT_SECONDS, domainConfig } from './config';
import { call, callIgnoringNotFound, HandlerError, isNotFound, ResourceRef, toHandlerError } from './errors';
import { log } from './log';
import { Attributes as AttributeNames, DomainConfig, ResourceTypes } from '../src/private/contract';

/**
 * Custom::CustomerProfilesDomain. Physical id: the domain name.
 *
 * - Create: CreateDomain; isComplete waits for the data store (Readiness 100%) when asked to.
 * - Update: a new name replaces the domain (CloudFormation deletes the old one afterwards);
 *   anything else is updated in place with only the members that changed.
 * - Delete: DeleteDomain, then wait until GetDomain says it is gone.
 */

const RESOURCE_TYPE = ResourceTypes.DOMAIN;

function ref(name: string): ResourceRef {
  return { kind: 'Domain', name };
}

function attributes(event: ResourceEvent, c: DomainConfig): Attributes {
  return {
    [AttributeNames.DOMAIN_NAME]: c.DomainName,
    [AttributeNames.DOMAIN_ARN]: profileArn(event, `domains/${c.DomainName}`),
    [AttributeNames.DATA_STORE_ENABLED]: c.DataStore?.Enabled === true,
  };
}

function createRequest(c: DomainConfig): CreateDomainRequest {
  return {
    DomainName: c.DomainName,
    DefaultExpirationDays: c.DefaultExpirationDays,
    DefaultEncryptionKey: c.DefaultEncryptionKey,
    DeadLetterQueueUrl: c.DeadLetterQueueUrl,
    Matching: c.Matching as CreateDomainRequest['Matching'],
    RuleBasedMatching: c.RuleBasedMatching as CreateDomainRequest['RuleBasedMatching'],
    DataStore: c.DataStore,
    Tags: tagsForCreate(c.Tags),
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

async function getDomain(name: string): Promise<GetDomainResponse | undefined> {
  try {
    return await profilesClient().send(new GetDomainCommand({ DomainName: name }));
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw toHandlerError(err, ref(name), 'GetDomain');
  }
}

/**
 * Creates the domain; on a retried Create (the first attempt created it, then the handler died
 * before answering), adopts it instead of failing.
 *
 * Adoption is limited to an empty domain (no profiles, no objects): a domain of the same name that
 * already holds customer data belongs to someone else, and adopting it would hand its deletion to
 * this stack.
 */
async function createDomain(event: ResourceEvent, c: DomainConfig): Promise<void> {
  const r = ref(c.DomainName);
  const logFields = { resourceType: RESOURCE_TYPE, requestType: event.RequestType, physicalResourceId: c.DomainName };
  log('creating domain', { ...logFields, operation: 'CreateDomain' });
  try {
    await profilesClient().send(new CreateDomainCommand(createRequest(c)));
    return;
  } catch (err) {
    if (isNotFound(err) || !['BadRequestException', 'ConflictException'].includes((err as Error).name)) {
      throw toHandlerError(err, r, 'CreateDomain');
    }
    const existing = await getDomain(c.DomainName);
    if (!existing) {
      throw toHandlerError(err, r, 'CreateDomain');
    }
    const stats = existing.Stats;
    if ((stats?.ProfileCount ?? 0) > 0 || (stats?.ObjectCount ?? 0) > 0) {
      throw new HandlerError(`Domain '${c.DomainName}' already exists and holds data, so this stack will not take it over. `
        + 'Choose another domainName, or reference the existing domain with Domain.fromDomainName.');
    }
    log('adopting existing domain', { ...logFields, operation: 'GetDomain' });
    const current = {
      DefaultExpirationDays: existing.DefaultExpirationDays,
      DefaultEncryptionKey: existing.DefaultEncryptionKey,
      DeadLetterQueueUrl: existing.DeadLetterQueueUrl,
      Matching: existing.Matching,
      RuleBasedMatching: existing.RuleBasedMatching,
      DataStore: existing.DataStore?.Enabled === undefined ? undefined : { Enabled: existing.DataStore.Enabled },
    };
    await updateDomain(event, c, current);
    await applyTagDiff(r, profileArn(event, `domains/${c.DomainName}`), diffTags(existing.Tags, c.Tags), logFields);
  }
}

async function updateDomain(event: ResourceEvent, c: DomainConfig, current: Partial<Record<string, unknown>>): Promise<void> {
  const changes = changedMembers(current, c);
  if (Object.keys(changes).length === 0) {
    return;
  }
  log('updating domain', { resourceType: RESOURCE_TYPE, requestType: event.RequestType, physicalResourceId: c.DomainName, operation: 'UpdateDomain' });
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
      log('replacing domain', { resourceType: RESOURCE_TYPE, requestType: event.RequestType, physicalResourceId: c.DomainName });
      await createDomain(event, c);
      return respond(c.DomainName, c.TimeoutSeconds, attributes(event, c));
    }
    await updateDomain(event, c, old as unknown as Record<string, unknown>);
    await applyTagDiff(ref(c.DomainName), profileArn(event, `domains/${c.DomainName}`), diffTags(old.Tags, c.Tags),
      { resourceType: RESOURCE_TYPE, physicalResourceId: c.DomainName });
    return respond(c.DomainName, c.TimeoutSeconds, attributes(event, c));
  },

  async delete(event: ResourceEvent): Promise<OnEventResponse> {
    const name = event.PhysicalResourceId ?? '';
    const timeoutSeconds = deleteTimeout(event);
    if (!isDomainName(name)) {
      // A Create that failed before returning an id gets a framework-made one: nothing to delete.
      return respond(name, timeoutSeconds);
    }
    log('deleting domain', { resourceType: RESOURCE_TYPE, requestType: 'Delete', physicalResourceId: name, operation: 'DeleteDomain' });
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
    if (domain.DataStore?.Enabled === false) {
      throw new HandlerError(`Domain '${c.DomainName}': the data store is disabled${readiness?.Message ? ` (${readiness.Message})` : ''}, `
        + 'so it will never become ready. Check the domain in the Customer Profiles console, then deploy again.');
    }
    if (deadlinePassed(event)) {
      throw timeoutError(ref(c.DomainName), 'the data store to be ready',
        `${progress}% ready${readiness?.Message ? `, '${readiness.Message}'` : ''}`, c.TimeoutSeconds,
        'Give it more time with DataStore.enabled({ readinessTimeout }), or use DataStore.enabled({ waitForReadiness: false }) so the deployment continues while the data store is prepared.');
    }
    return NOT_COMPLETE;
  },
};

async function isDeleted(event: CompletionEvent): Promise<IsCompleteResponse> {
  const name = event.PhysicalResourceId;
  if (!isDomainName(name) || !(await getDomain(name))) {
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
