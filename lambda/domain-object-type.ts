import {
  DeleteDomainObjectTypeCommand,
  GetDomainObjectTypeCommand,
  GetDomainObjectTypeResponse,
  PutDomainObjectTypeCommand,
  PutDomainObjectTypeRequest,
} from '@aws-sdk/client-customer-profiles';
import { profilesClient } from './client';
import { applyTagDiff, Attributes, complete, diffTags, jsonEqual, profileArn, ResourceEvent, respond, tagsChange } from './common';
import { DEFAULT_TIMEOUT_SECONDS, domainObjectTypeConfig } from './config';
import { dataStoreRefusal } from './data-store';
import { isGoneAfterDelete, isNotFound, ResourceRef, toHandlerError } from './errors';
import { changedKeys, decision, has, planOf, tagsDecision } from './framework/decisions';
import { fieldsOf, Identity, lifecycle, takeOver, verdictOn } from './framework/lifecycle';
import { log } from './log';
import { tagsWithMarker, userTags, Verdict } from './ownership';
import { Attributes as AttributeNames, DomainObjectTypeConfig, ResourceTypes, Tags, UpdatePlan } from '../src/private/contract';

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

// ------------------------------------------------------------------ identity

interface ObjectTypeId {
  readonly DomainName: string;
  readonly ObjectTypeName: string;
}

const identity: Identity<ObjectTypeId> = {
  resourceType: ResourceTypes.DOMAIN_OBJECT_TYPE,
  noun: 'object type',
  importHint: 'DomainObjectType.fromObjectTypeName',
  getOperation: 'GetDomainObjectType',
  deleteOperation: 'DeleteDomainObjectType',
  physicalId: (id) => `${id.DomainName}/${id.ObjectTypeName}`,
  parsePhysicalId(id) {
    const match = /^([a-zA-Z0-9_-]{1,64})\/([a-zA-Z_][a-zA-Z_0-9-]{0,254})$/.exec(id);
    return match ? { DomainName: match[1], ObjectTypeName: match[2] } : undefined;
  },
  // The description is customer text: the service may echo it back in a message.
  ref: (id: ObjectTypeId & { Description?: string }): ResourceRef => ({
    kind: 'Domain object type', name: `${id.DomainName}/${id.ObjectTypeName}`, sensitive: [id.Description],
  }),
  arn: (event, id) => profileArn(event, `domains/${id.DomainName}/domain-object-types/${id.ObjectTypeName}`),
};

const { physicalId, ref } = identity;

/** The object type needs no wait; this bounds only the wait for deletion. */
const TIMEOUT_SECONDS = DEFAULT_TIMEOUT_SECONDS;

// ------------------------------------------------------------------ desired state

function attributes(event: ResourceEvent, c: DomainObjectTypeConfig): Attributes {
  return {
    [AttributeNames.DOMAIN_NAME]: c.DomainName,
    [AttributeNames.OBJECT_TYPE_NAME]: c.ObjectTypeName,
    [AttributeNames.OBJECT_TYPE_ARN]: identity.arn(event, c),
  };
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

// ------------------------------------------------------------------ update plan (pure)

/** What an update of the object type does: the handler acts on it, the local `plan` prints it. */
export function planUpdate(old: DomainObjectTypeConfig, desired: DomainObjectTypeConfig): UpdatePlan {
  const renamed = changedKeys(old, desired, ['DomainName', 'ObjectTypeName'], jsonEqual);
  if (renamed.length > 0) {
    return planOf([decision('replace', renamed, 'A new object type is created, and the old one is deleted in the cleanup phase unless retained.')]);
  }
  const definition = changedKeys(old, desired, ['Description', 'EncryptionKey', 'Fields'], jsonEqual);
  return planOf([
    definition.length > 0 && decision('update-in-place', definition, 'PutDomainObjectType writes the new definition over the old one.'),
    tagsChange(diffTags(userTags(old.Tags), userTags(desired.Tags))) && tagsDecision(),
    // Adoption turned on later (a resource of an earlier version): it is marked now, as recommenders and segments are.
    desired.AdoptExisting === true && old.AdoptExisting !== true && tagsDecision(['AdoptExisting']),
  ]);
}

// ------------------------------------------------------------------ service calls

/** GetDomainObjectType; undefined when it (or its domain, which the Put then reports better) does not exist. */
async function getObjectType(id: ObjectTypeId, afterDelete = false): Promise<GetDomainObjectTypeResponse | undefined> {
  try {
    return await profilesClient().send(new GetDomainObjectTypeCommand({ DomainName: id.DomainName, ObjectTypeName: id.ObjectTypeName }));
  } catch (err) {
    if (isNotFound(err) || (afterDelete && isGoneAfterDelete(err))) return undefined;
    throw toHandlerError(err, ref(id), 'GetDomainObjectType');
  }
}

/** Puts the definition of `c`; `tags` go with the first Put only (later changes use Tag/UntagResource so removals work). */
async function put(event: ResourceEvent, c: DomainObjectTypeConfig, tags: Tags | undefined): Promise<void> {
  const request: PutDomainObjectTypeRequest = {
    DomainName: c.DomainName,
    ObjectTypeName: c.ObjectTypeName,
    Description: c.Description,
    EncryptionKey: c.EncryptionKey,
    Fields: c.Fields as PutDomainObjectTypeRequest['Fields'],
    Tags: tags,
  };
  log('putting domain object type', { ...fieldsOf(event, identity.resourceType, physicalId(c)), operation: 'PutDomainObjectType' });
  try {
    await profilesClient().send(new PutDomainObjectTypeCommand(request));
  } catch (err) {
    throw await dataStoreRefusal(err, `Domain object type '${physicalId(c)}'`, c.DomainName) ?? toHandlerError(err, ref(c), 'PutDomainObjectType');
  }
}

/** A Put with this resource's marker: nobody's object type is in the way. */
const putOurs = (event: ResourceEvent, c: DomainObjectTypeConfig): Promise<void> => put(event, c, tagsWithMarker(event, userTags(c.Tags)));

/** Writes what differs between the existing object type (as read) and `c`, once it may be acted on. */
async function converge(event: ResourceEvent, c: DomainObjectTypeConfig, existing: GetDomainObjectTypeResponse, verdict: Verdict): Promise<void> {
  await takeOver(event, identity, c, verdict);
  if (!sameDefinition(existing, c)) {
    await put(event, c, undefined);
  }
  await applyTagDiff(ref(c), identity.arn(event, c), diffTags(userTags(existing.Tags), userTags(c.Tags)),
    fieldsOf(event, identity.resourceType, physicalId(c)));
}

// ------------------------------------------------------------------ hooks

export const domainObjectTypeHandler = lifecycle<DomainObjectTypeConfig, ObjectTypeId, GetDomainObjectTypeResponse>({
  ...identity,
  config: domainObjectTypeConfig,
  timeoutSeconds: () => TIMEOUT_SECONDS,
  attributes,
  get: getObjectType,
  tagsOf: (objectType) => objectType.Tags,
  goneData: {},
  planUpdate,

  /** Reads first: the upsert would take over an object type of the name that is not ours. */
  async create(event, c) {
    const existing = await getObjectType(c);
    if (existing) {
      await converge(event, c, existing, verdictOn(event, identity, c, existing.Tags));
    } else {
      await putOurs(event, c);
    }
    return respond(physicalId(c), TIMEOUT_SECONDS, attributes(event, c));
  },

  async update(event, c, old, plan, existing, verdict) {
    if (!existing || !verdict) {
      // Deleted outside CloudFormation: nobody else's object type is in the way, so it is made again as ours.
      await putOurs(event, c);
    } else if (verdict === 'adopt') {
      // Its actual state, not the old Config, is what this stack takes over.
      await converge(event, c, existing, verdict);
    } else {
      if (has(plan, 'update-in-place')) {
        await put(event, c, undefined);
      }
      await applyTagDiff(ref(c), identity.arn(event, c), diffTags(userTags(old.Tags), userTags(c.Tags)),
        fieldsOf(event, identity.resourceType, physicalId(c)));
    }
    return respond(physicalId(c), TIMEOUT_SECONDS, attributes(event, c));
  },

  remove: (id) => profilesClient().send(new DeleteDomainObjectTypeCommand({ DomainName: id.DomainName, ObjectTypeName: id.ObjectTypeName })),
  settle: async (event, c) => complete(event, attributes(event, c)),
});
