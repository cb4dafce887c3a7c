import {
  DeleteDomainObjectTypeCommand,
  GetDomainObjectTypeCommand,
  GetDomainObjectTypeResponse,
  PutDomainObjectTypeCommand,
  PutDomainObjectTypeRequest,
} from '@aws-sdk/client-customer-profiles';
import { profilesClient } from './client';
import {
  applyTagDiff, Attributes, complete, CompletionEvent, deadlinePassed, diffTags, IsCompleteResponse, jsonEqual,
  NOT_COMPLETE, OnEventResponse, profileArn, ResourceEvent, ResourceHandler, respond, timeoutError,
} from './common';
import { DEFAULT_TIMEOUT_SECONDS, domainObjectTypeConfig } from './config';
import { dataStoreRefusal } from './data-store';
import { callIgnoringNotFound, isGoneAfterDelete, isNotFound, ResourceRef, toHandlerError } from './errors';
import { log } from './log';
import { decide, LEFT_IN_PLACE_KEY, mark, mayDelete, tagsWithMarker, userTags, Verdict } from './ownership';
import { Attributes as AttributeNames, DomainObjectTypeConfig, ResourceTypes, Tags } from '../src/private/contract';

/**
 * Custom::CustomerProfilesDomainObjectType. Physical id: `<domain>/<objectTypeName>`.
 *
 * PutDomainObjectType is an upsert: it would silently take over an object type of the same name
 * that someone else made (re-mapping its objects, and deleting them with this stack if its removal
 * policy is DESTROY). Ownership (lambda/ownership.ts) decides instead: a create reads first and
 * puts only when the name is free, when the object type carries this resource's marker (a retried
 * create), or when it is adopted on request (marked first); an update writes only after a read
 * shows it is ours; a delete deletes only ours and leaves anything else in place. A new name or
 * domain is a replacement (a new physical id, created with the same checks). Object types become
 * usable at once: isComplete only waits on delete.
 */

const RESOURCE_TYPE = ResourceTypes.DOMAIN_OBJECT_TYPE;

/** How a refusal tells the user to use the existing object type instead. */
const IMPORT_HINT = 'DomainObjectType.fromObjectTypeName';

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

/** Puts the definition of `c`; `tags` go with the first Put only (later changes use Tag/UntagResource so removals work). */
async function put(event: ResourceEvent, c: DomainObjectTypeConfig, tags: Tags | undefined): Promise<void> {
  const r = { ...ref(c), sensitive: [c.Description] };
  const request: PutDomainObjectTypeRequest = {
    DomainName: c.DomainName,
    ObjectTypeName: c.ObjectTypeName,
    Description: c.Description,
    EncryptionKey: c.EncryptionKey,
    Fields: c.Fields as PutDomainObjectTypeRequest['Fields'],
    Tags: tags,
  };
  log('putting domain object type', { resourceType: RESOURCE_TYPE, requestType: event.RequestType, physicalResourceId: physicalId(c), operation: 'PutDomainObjectType' });
  try {
    await profilesClient().send(new PutDomainObjectTypeCommand(request));
  } catch (err) {
    throw await dataStoreRefusal(err, `Domain object type '${physicalId(c)}'`, c.DomainName) ?? toHandlerError(err, r, 'PutDomainObjectType');
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

/** GetDomainObjectType; undefined when it (or its domain, which the Put then reports better) does not exist. */
async function getObjectType(
  c: { DomainName: string; ObjectTypeName: string }, description?: string,
): Promise<GetDomainObjectTypeResponse | undefined> {
  try {
    return await profilesClient().send(new GetDomainObjectTypeCommand({ DomainName: c.DomainName, ObjectTypeName: c.ObjectTypeName }));
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw toHandlerError(err, { ...ref(c), sensitive: [description] }, 'GetDomainObjectType');
  }
}

/**
 * Creates the object type, or, when one of that name exists, brings it to `c` only if `decide`
 * allows it (ours: a retried create; adopted on request: marked first). Anything else is refused
 * before the upsert could touch it.
 */
async function createObjectType(event: ResourceEvent, c: DomainObjectTypeConfig): Promise<void> {
  const existing = await getObjectType(c, c.Description);
  if (!existing) {
    await put(event, c, tagsWithMarker(event, userTags(c.Tags)));
    return;
  }
  await converge(event, c, existing, decide(event, ref(c), existing.Tags, c.AdoptExisting === true, IMPORT_HINT));
}

/** Writes what differs between the existing object type (as read) and `c`; marks it first when adopting. */
async function converge(event: ResourceEvent, c: DomainObjectTypeConfig, existing: GetDomainObjectTypeResponse, verdict: Verdict): Promise<void> {
  const logFields = { resourceType: RESOURCE_TYPE, physicalResourceId: physicalId(c) };
  if (verdict === 'adopt') {
    await mark(event, ref(c), arn(event, c), logFields);
  }
  if (!sameDefinition(existing, c)) {
    await put(event, c, undefined);
  }
  await applyTagDiff(ref(c), arn(event, c), diffTags(userTags(existing.Tags), userTags(c.Tags)), logFields);
}

/** `<domain>/<name>` back into its parts; undefined for an id this handler never made. */
function parsePhysicalId(id: string | undefined): { DomainName: string; ObjectTypeName: string } | undefined {
  const match = /^([a-zA-Z0-9_-]{1,64})\/([a-zA-Z_][a-zA-Z_0-9-]{0,254})$/.exec(id ?? '');
  return match ? { DomainName: match[1], ObjectTypeName: match[2] } : undefined;
}

export const domainObjectTypeHandler: ResourceHandler = {
  async create(event: ResourceEvent): Promise<OnEventResponse> {
    const c = domainObjectTypeConfig(event.ResourceProperties);
    await createObjectType(event, c);
    return respond(physicalId(c), TIMEOUT_SECONDS, attributes(event, c));
  },

  async update(event: ResourceEvent): Promise<OnEventResponse> {
    const c = domainObjectTypeConfig(event.ResourceProperties);
    const old = domainObjectTypeConfig(event.OldResourceProperties);
    if (old.DomainName !== c.DomainName || old.ObjectTypeName !== c.ObjectTypeName) {
      // Replacement: CloudFormation deletes the old object type in its clean-up phase.
      await createObjectType(event, c);
      return respond(physicalId(c), TIMEOUT_SECONDS, attributes(event, c));
    }
    const tagDiff = diffTags(userTags(old.Tags), userTags(c.Tags));
    const changed = definitionChanged(old, c);
    if (!changed && tagDiff.remove.length === 0 && Object.keys(tagDiff.set).length === 0) {
      return respond(physicalId(c), TIMEOUT_SECONDS, attributes(event, c));
    }
    const existing = await getObjectType(c, c.Description);
    if (!existing) {
      // Deleted outside CloudFormation: nobody else's object type is in the way, so it is made again as ours.
      await put(event, c, tagsWithMarker(event, userTags(c.Tags)));
      return respond(physicalId(c), TIMEOUT_SECONDS, attributes(event, c));
    }
    const verdict = decide(event, ref(c), existing.Tags, c.AdoptExisting === true, IMPORT_HINT);
    if (verdict === 'adopt') {
      // Its actual state, not the old Config, is what this stack takes over.
      await converge(event, c, existing, verdict);
    } else {
      if (changed) {
        await put(event, c, undefined);
      }
      await applyTagDiff(ref(c), arn(event, c), tagDiff, { resourceType: RESOURCE_TYPE, physicalResourceId: physicalId(c) });
    }
    return respond(physicalId(c), TIMEOUT_SECONDS, attributes(event, c));
  },

  async delete(event: ResourceEvent): Promise<OnEventResponse> {
    const id = event.PhysicalResourceId ?? '';
    const parts = parsePhysicalId(id);
    if (!parts) {
      return respond(id, TIMEOUT_SECONDS);
    }
    const existing = await getObjectType(parts);
    if (!existing) {
      return respond(id, TIMEOUT_SECONDS);
    }
    if (!mayDelete(event, existing.Tags, { resourceType: RESOURCE_TYPE, physicalResourceId: id })) {
      return respond(id, TIMEOUT_SECONDS, { [LEFT_IN_PLACE_KEY]: true });
    }
    log('deleting domain object type', { resourceType: RESOURCE_TYPE, requestType: 'Delete', physicalResourceId: id, operation: 'DeleteDomainObjectType' });
    await callIgnoringNotFound(ref(parts), 'DeleteDomainObjectType', () => profilesClient().send(new DeleteDomainObjectTypeCommand(parts)));
    return respond(id, TIMEOUT_SECONDS);
  },

  async isComplete(event: CompletionEvent): Promise<IsCompleteResponse> {
    if (event.RequestType !== 'Delete') {
      const c = domainObjectTypeConfig(event.ResourceProperties);
      return complete(event, attributes(event, c));
    }
    const parts = parsePhysicalId(event.PhysicalResourceId);
    // Left in place by onEvent (not ours): there is no deletion to wait for.
    if (!parts || event.Data?.[LEFT_IN_PLACE_KEY] === true) {
      return complete(event);
    }
    try {
      await profilesClient().send(new GetDomainObjectTypeCommand(parts));
    } catch (err) {
      if (isGoneAfterDelete(err)) return complete(event);
      throw toHandlerError(err, ref(parts), 'GetDomainObjectType');
    }
    if (deadlinePassed(event)) {
      throw timeoutError(ref(parts), 'the object type to be deleted', 'still returned by GetDomainObjectType', TIMEOUT_SECONDS,
        'Check the object type in the Customer Profiles console and delete the stack again.');
    }
    return NOT_COMPLETE;
  },
};
