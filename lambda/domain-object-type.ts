import {
  DeleteDomainObjectTypeCommand,
  GetDomainCommand,
  GetDomainObjectTypeCommand,
  PutDomainObjectTypeCommand,
  PutDomainObjectTypeRequest,
} from '@aws-sdk/client-customer-profiles';
import { profilesClient } from './client';
import {
  applyTagDiff, Attributes, complete, CompletionEvent, deadlinePassed, diffTags, IsCompleteResponse, jsonEqual,
  NOT_COMPLETE, OnEventResponse, profileArn, ResourceEvent, ResourceHandler, respond, tagsForCreate, timeoutError,
} from './common';
import { DEFAULT_TIMEOUT_SECONDS, domainObjectTypeConfig } from './config';
import { callIgnoringNotFound, HandlerError, isBadRequest, isNotFound, ResourceRef, toHandlerError } from './errors';
import { log } from './log';
import { Attributes as AttributeNames, DomainObjectTypeConfig, ResourceTypes } from '../src/private/contract';

/**
 * Custom::CustomerProfilesDomainObjectType. Physical id: `<domain>/<objectTypeName>`.
 *
 * PutDomainObjectType is an upsert, so field changes and a retried create are the same call. An
 * upsert would also silently take over an object type of the same name that someone else made
 * (re-mapping its objects, and deleting them with this stack if its removal policy is DESTROY):
 * a create therefore reads first and refuses a different existing definition, while an identical
 * one (our own create, retried after a crash) is written again. A new name or domain is a
 * replacement (a new physical id). Object types become usable at once: isComplete only waits on delete.
 */

const RESOURCE_TYPE = ResourceTypes.DOMAIN_OBJECT_TYPE;

/** The object type needs no wait; this bounds only the wait for deletion. */
const TIMEOUT_SECONDS = DEFAULT_TIMEOUT_SECONDS;

function ref(c: { DomainName: string; ObjectTypeName: string }): ResourceRef {
  return { kind: 'Domain object type', name: `${c.DomainName}/${c.ObjectTypeName}`, sensitive: [] };
}

function physicalId(c: DomainObjectTypeConfig): string {
  return `${c.DomainName}/${c.ObjectTypeName}`;
}

function arn(event: ResourceEvent, c: { DomainName: string; ObjectTypeName: string }): string {
  return profileArn(event, `domains/${c.DomainName}/domain-object-types/${c.ObjectTypeName}`);
}

function attributes(event: ResourceEvent, c: DomainObjectTypeConfig): Attributes {
  return {
    [AttributeNames.DOMAIN_NAME]: c.DomainName,
    [AttributeNames.OBJECT_TYPE_NAME]: c.ObjectTypeName,
    [AttributeNames.OBJECT_TYPE_ARN]: arn(event, c),
  };
}

/** The members that define the object type (everything but tags, which change in place). */
function definitionChanged(old: DomainObjectTypeConfig, c: DomainObjectTypeConfig): boolean {
  return old.Description !== c.Description || old.EncryptionKey !== c.EncryptionKey || !jsonEqual(old.Fields, c.Fields);
}

async function put(event: ResourceEvent, c: DomainObjectTypeConfig, withTags: boolean): Promise<void> {
  const r = { ...ref(c), sensitive: [c.Description] };
  const request: PutDomainObjectTypeRequest = {
    DomainName: c.DomainName,
    ObjectTypeName: c.ObjectTypeName,
    Description: c.Description,
    EncryptionKey: c.EncryptionKey,
    Fields: c.Fields as PutDomainObjectTypeRequest['Fields'],
    // Tags go with the first Put only; later tag changes use Tag/UntagResource so removals work.
    Tags: withTags ? tagsForCreate(c.Tags) : undefined,
  };
  log('putting domain object type', { resourceType: RESOURCE_TYPE, requestType: event.RequestType, physicalResourceId: physicalId(c), operation: 'PutDomainObjectType' });
  try {
    await profilesClient().send(new PutDomainObjectTypeCommand(request));
  } catch (err) {
    if (isBadRequest(err) && await dataStoreDisabled(c.DomainName)) {
      throw new HandlerError(`Domain object type '${physicalId(c)}' needs the data store of domain '${c.DomainName}', which is not enabled: `
        + `enable the data store on domain ${c.DomainName} (dataStore: DataStore.enabled()) and deploy again.`);
    }
    throw toHandlerError(err, r, 'PutDomainObjectType');
  }
}

/** Whether the domain exists with its data store off (the cause of a rejected object type). */
async function dataStoreDisabled(domainName: string): Promise<boolean> {
  try {
    const domain = await profilesClient().send(new GetDomainCommand({ DomainName: domainName }));
    return domain.DataStore?.Enabled !== true;
  } catch {
    // The original error says more than a failed diagnosis would.
    return false;
  }
}

/** Whether an existing object type (GetDomainObjectType output) has the definition `c` asks for. */
function sameDefinition(
  existing: { Description?: string; EncryptionKey?: string; Fields?: Record<string, unknown> },
  c: DomainObjectTypeConfig,
): boolean {
  const fields = existing.Fields ?? {};
  if (!jsonEqual(Object.keys(fields).sort(), Object.keys(c.Fields).sort())) return false;
  for (const [name, want] of Object.entries(c.Fields)) {
    const have = (fields[name] ?? {}) as Record<string, unknown>;
    for (const [member, value] of Object.entries(want)) {
      if (value !== undefined && have[member] !== value) return false;
    }
  }
  return (existing.Description ?? undefined) === c.Description && (existing.EncryptionKey ?? undefined) === c.EncryptionKey;
}

/**
 * Refuses to create over an existing object type of the same name with another definition.
 * Not found (or a missing domain, which the Put reports better) lets the create go on.
 */
async function refuseTakeover(event: ResourceEvent, c: DomainObjectTypeConfig): Promise<void> {
  let existing;
  try {
    existing = await profilesClient().send(new GetDomainObjectTypeCommand({ DomainName: c.DomainName, ObjectTypeName: c.ObjectTypeName }));
  } catch (err) {
    if (isNotFound(err)) return;
    throw toHandlerError(err, { ...ref(c), sensitive: [c.Description] }, 'GetDomainObjectType');
  }
  if (!sameDefinition(existing, c)) {
    log('refusing to take over an existing object type', {
      resourceType: RESOURCE_TYPE, requestType: event.RequestType, physicalResourceId: physicalId(c), operation: 'GetDomainObjectType',
    });
    throw new HandlerError(`Domain object type '${physicalId(c)}' already exists with another definition, and this stack did not create it. `
      + 'It is not taken over: its objects would be re-mapped, and deleted with this stack if its removal policy is DESTROY. '
      + 'Use it with DomainObjectType.fromObjectTypeName, or give this object type another objectTypeName.');
  }
}

/** `<domain>/<name>` back into its parts; undefined for an id this handler never made. */
function parsePhysicalId(id: string | undefined): { DomainName: string; ObjectTypeName: string } | undefined {
  const match = /^([a-zA-Z0-9_-]{1,64})\/([a-zA-Z_][a-zA-Z_0-9-]{0,254})$/.exec(id ?? '');
  return match ? { DomainName: match[1], ObjectTypeName: match[2] } : undefined;
}

export const domainObjectTypeHandler: ResourceHandler = {
  async create(event: ResourceEvent): Promise<OnEventResponse> {
    const c = domainObjectTypeConfig(event.ResourceProperties);
    await refuseTakeover(event, c);
    // An upsert: a retried Create simply writes the same definition again.
    await put(event, c, true);
    return respond(physicalId(c), TIMEOUT_SECONDS, attributes(event, c));
  },

  async update(event: ResourceEvent): Promise<OnEventResponse> {
    const c = domainObjectTypeConfig(event.ResourceProperties);
    const old = domainObjectTypeConfig(event.OldResourceProperties);
    if (old.DomainName !== c.DomainName || old.ObjectTypeName !== c.ObjectTypeName) {
      // Replacement: CloudFormation deletes the old object type in its clean-up phase.
      await refuseTakeover(event, c);
      await put(event, c, true);
      return respond(physicalId(c), TIMEOUT_SECONDS, attributes(event, c));
    }
    if (definitionChanged(old, c)) {
      await put(event, c, false);
    }
    await applyTagDiff(ref(c), arn(event, c), diffTags(old.Tags, c.Tags), { resourceType: RESOURCE_TYPE, physicalResourceId: physicalId(c) });
    return respond(physicalId(c), TIMEOUT_SECONDS, attributes(event, c));
  },

  async delete(event: ResourceEvent): Promise<OnEventResponse> {
    const id = event.PhysicalResourceId ?? '';
    const parts = parsePhysicalId(id);
    if (parts) {
      log('deleting domain object type', { resourceType: RESOURCE_TYPE, requestType: 'Delete', physicalResourceId: id, operation: 'DeleteDomainObjectType' });
      await callIgnoringNotFound(ref(parts), 'DeleteDomainObjectType', () => profilesClient().send(new DeleteDomainObjectTypeCommand(parts)));
    }
    return respond(id, TIMEOUT_SECONDS);
  },

  async isComplete(event: CompletionEvent): Promise<IsCompleteResponse> {
    if (event.RequestType !== 'Delete') {
      const c = domainObjectTypeConfig(event.ResourceProperties);
      return complete(event, attributes(event, c));
    }
    const parts = parsePhysicalId(event.PhysicalResourceId);
    if (!parts) {
      return complete(event);
    }
    try {
      await profilesClient().send(new GetDomainObjectTypeCommand(parts));
    } catch (err) {
      if (isNotFound(err)) return complete(event);
      throw toHandlerError(err, ref(parts), 'GetDomainObjectType');
    }
    if (deadlinePassed(event)) {
      throw timeoutError(ref(parts), 'the object type to be deleted', 'still returned by GetDomainObjectType', TIMEOUT_SECONDS,
        'Check the object type in the Customer Profiles console and delete the stack again.');
    }
    return NOT_COMPLETE;
  },
};
