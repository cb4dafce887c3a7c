import {
  Attributes, complete, CompletionEvent, deadlinePassed, IsCompleteResponse, NOT_COMPLETE, OnEventResponse, ResourceEvent, ResourceHandler,
  respond, timeoutError,
} from '../common';
import { DEFAULT_TIMEOUT_SECONDS } from '../config';
import { callIgnoringNotFound, describe, errorName, HandlerError, ResourceRef, toHandlerError } from '../errors';
import { log } from '../log';
import { decide, LEFT_IN_PLACE_KEY, mark, mayDelete, Verdict } from '../ownership';
import { has, writes } from './decisions';
import { Tags, UpdatePlan } from '../../src/private/contract';

/**
 * The lifecycle every resource shares: routing of Create / Update / Delete / isComplete, physical
 * ids, the ownership rules (lambda/ownership.ts: adopt-or-refuse on create, read-then-decide before
 * an update writes, delete only what is ours), waiting until a deleted resource is gone, deadlines
 * and log fields. A resource supplies hooks (`ResourceHooks`) and a pure `planUpdate`; `lifecycle`
 * turns them into its handler.
 *
 * Every resource module (domain.ts, domain-object-type.ts, recommender.ts, segment-definition.ts)
 * has the same sections in the same order:
 *   1. identity: resource type, physical id (`physicalId`, `parsePhysicalId`), `ref`, ARN;
 *   2. desired state: attributes and the requests built from the Config;
 *   3. planUpdate (pure): the named decisions of an update, which the update path acts on and
 *      the local toolkit's `plan` prints (lambda/plan.ts);
 *   4. service calls: get / create / update / delete;
 *   5. hooks: the object handed to `lifecycle`.
 */

/** Data key of a Delete that found nothing to delete: isComplete completes at once. */
export const ALREADY_GONE_KEY = 'AlreadyGone';

/** What names a resource and its physical id. `Id` is the part of the Config the physical id is made of. */
export interface Identity<Id> {
  readonly resourceType: string;
  /** The resource in a sentence: 'domain', 'object type'. */
  readonly noun: string;
  /** How a refusal tells the user to use the existing resource instead, e.g. `Domain.fromDomainName`. */
  readonly importHint: string;
  /** The read and delete operations, for logs and messages: `GetDomain`, `DeleteDomain`. */
  readonly getOperation: string;
  readonly deleteOperation: string;
  physicalId(id: Id): string;
  /** The id's parts; undefined for an id this handler never made (a failed Create's framework-made one). */
  parsePhysicalId(physicalId: string): Id | undefined;
  /** A full Config may be passed: its sensitive members are then kept out of messages. */
  ref(id: Id): ResourceRef;
  arn(event: ResourceEvent, id: Id): string;
}

/** The hooks of one resource type. `C` is its Config, `Live` what its read returns. */
export interface ResourceHooks<C extends Id & { readonly AdoptExisting?: boolean }, Id, Live> extends Identity<Id> {
  /**
   * Data a Delete returns when the resource is already gone: by default `ALREADY_GONE_KEY`, so
   * isComplete completes without a call; `{}` makes isComplete read once more (domain and object
   * type have always done so; their tests count that read).
   */
  readonly goneData?: Attributes;
  /** Parses the `Config` property (lambda/config.ts). */
  config(properties: Record<string, unknown> | undefined): C;
  /** How long isComplete may wait, in seconds. */
  timeoutSeconds(c: C): number;
  /** The attributes onEvent returns without a call (a no-op update). */
  attributes(event: ResourceEvent, c: C): Attributes;
  /** The read; undefined when the resource does not exist (or, after our own delete, is gone). */
  get(id: Id, afterDelete?: boolean): Promise<Live | undefined>;
  tagsOf(live: Live): Tags | undefined;
  /** How a resource still there after its delete is described in a timeout (default: still returned by the read). */
  deletionStatus?(live: Live): string | undefined;
  planUpdate(old: C, desired: C): UpdatePlan;
  /** Create (also the create of a replacement): never returns before the name is known to be ours. */
  create(event: ResourceEvent, c: C): Promise<OnEventResponse>;
  /**
   * An update in place with something to write. `live` is the resource as read, undefined when it
   * does not exist; `verdict` says whether it is ours or adopted on request (a resource that is
   * neither was refused before this is called).
   */
  update(event: ResourceEvent, c: C, old: C, plan: UpdatePlan, live: Live | undefined, verdict: Verdict | undefined): Promise<OnEventResponse>;
  /** The refusal of a replacement whose physical id does not change (it would collide with the old resource). */
  sameIdReplacement?(c: C): HandlerError;
  /** The delete call (its "not found" answer means done). */
  remove(id: Id): Promise<unknown>;
  /** isComplete of a Create or Update. */
  settle(event: CompletionEvent, c: C): Promise<IsCompleteResponse>;
}

/** The log fields of a request on a resource. */
export function fieldsOf(event: ResourceEvent, resourceType: string, physicalResourceId: string) {
  return { resourceType, requestType: event.RequestType, physicalResourceId };
}

/**
 * isComplete's answer while waiting for `waitingFor`: not complete, or, once the deadline has
 * passed, the failure naming what was awaited, the last status seen and the remedy.
 */
export function waitOrFail(
  event: CompletionEvent, ref: ResourceRef, waitingFor: string, lastSeen: string, timeoutSeconds: number, remedy: string,
): IsCompleteResponse {
  if (deadlinePassed(event)) {
    throw timeoutError(ref, waitingFor, lastSeen, timeoutSeconds, remedy);
  }
  return NOT_COMPLETE;
}

/**
 * Sends a create; when the name is taken (the service answers BadRequest or Conflict), reads the
 * resource that has it and returns it, for the caller to `takeOver` or refuse. Undefined when the
 * create went through. A refusal with nothing of the name there is the service's answer to the
 * create, or what `explain` makes of it.
 */
export async function createOrMeet<Live>(
  ref: ResourceRef, operation: string, send: () => Promise<unknown>, read: () => Promise<Live | undefined>,
  explain?: (err: unknown) => Promise<HandlerError | undefined>,
): Promise<Live | undefined> {
  try {
    await send();
    return undefined;
  } catch (err) {
    if (!['BadRequestException', 'ConflictException'].includes(errorName(err) ?? '')) {
      throw toHandlerError(err, ref, operation);
    }
    const existing = await read();
    if (!existing) {
      throw (explain && await explain(err)) ?? toHandlerError(err, ref, operation);
    }
    return existing;
  }
}

/** `decide` (lambda/ownership.ts) for the Config's resource: 'ours', 'adopt', or it throws the refusal. */
export function verdictOn<Id, C extends Id & { readonly AdoptExisting?: boolean }>(
  event: ResourceEvent, identity: Identity<Id>, c: C, tags: Tags | undefined,
): Verdict {
  return decide(event, identity.ref(c), tags, c.AdoptExisting === true, identity.importHint);
}

/**
 * Acts on the verdict about an existing resource: `guard` may still refuse it for reasons of its
 * own, before anything is written; a resource adopted on the user's request is marked as ours.
 */
export async function takeOver<Id>(
  event: ResourceEvent, identity: Identity<Id>, id: Id, verdict: Verdict, guard?: (verdict: Verdict) => void,
): Promise<void> {
  guard?.(verdict);
  const fields = fieldsOf(event, identity.resourceType, identity.physicalId(id));
  if (verdict === 'adopt') {
    await mark(event, identity.ref(id), identity.arn(event, id), fields);
  } else {
    log(`existing ${identity.noun} is this resource's`, { ...fields, operation: identity.getOperation });
  }
}

/** The refusal of an update whose resource is gone (deleted outside CloudFormation). */
export function missingOnUpdate(ref: ResourceRef, nameProp: string): HandlerError {
  return new HandlerError(`${describe(ref)} was not found: was it deleted outside CloudFormation? To create it again, `
    + `give it another ${nameProp}, or remove it from the stack, deploy, and add it back.`);
}

/** The handler of one resource type, from its hooks. */
export function lifecycle<C extends Id & { readonly AdoptExisting?: boolean }, Id, Live>(hooks: ResourceHooks<C, Id, Live>): ResourceHandler {
  /** Delete events carry the last properties; the default applies when they cannot be read. */
  const deleteTimeout = (event: ResourceEvent): number => {
    try {
      return hooks.timeoutSeconds(hooks.config(event.ResourceProperties));
    } catch {
      return DEFAULT_TIMEOUT_SECONDS;
    }
  };

  return {
    create: (event) => hooks.create(event, hooks.config(event.ResourceProperties)),

    async update(event) {
      const c = hooks.config(event.ResourceProperties);
      const old = hooks.config(event.OldResourceProperties);
      const plan = hooks.planUpdate(old, c);
      if (has(plan, 'replace')) {
        // The new resource is created now; CloudFormation deletes the old one in its cleanup phase
        // (or keeps it, when retained). Under the same physical id the two would collide.
        if (hooks.physicalId(old) === hooks.physicalId(c) && hooks.sameIdReplacement) {
          throw hooks.sameIdReplacement(c);
        }
        return hooks.create(event, c);
      }
      if (!writes(plan)) {
        return respond(hooks.physicalId(c), hooks.timeoutSeconds(c), hooks.attributes(event, c));
      }
      // Something is to be written: only to this resource's own (or one adopted on request).
      const live = await hooks.get(c);
      const verdict = live && verdictOn(event, hooks, c, hooks.tagsOf(live));
      return hooks.update(event, c, old, plan, live, verdict);
    },

    async delete(event) {
      const physicalId = event.PhysicalResourceId ?? '';
      const timeoutSeconds = deleteTimeout(event);
      const id = hooks.parsePhysicalId(physicalId);
      if (!id) {
        // A Create that failed before returning an id gets a framework-made one: nothing to delete.
        return respond(physicalId, timeoutSeconds);
      }
      const live = await hooks.get(id);
      if (!live) {
        return respond(physicalId, timeoutSeconds, hooks.goneData ?? { [ALREADY_GONE_KEY]: true });
      }
      if (!mayDelete(event, hooks.tagsOf(live), { resourceType: hooks.resourceType, physicalResourceId: physicalId })) {
        return respond(physicalId, timeoutSeconds, { [LEFT_IN_PLACE_KEY]: true });
      }
      log(`deleting ${hooks.noun}`, { ...fieldsOf(event, hooks.resourceType, physicalId), operation: hooks.deleteOperation });
      await callIgnoringNotFound(hooks.ref(id), hooks.deleteOperation, () => hooks.remove(id));
      return respond(physicalId, timeoutSeconds);
    },

    async isComplete(event) {
      if (event.RequestType !== 'Delete') {
        return hooks.settle(event, hooks.config(event.ResourceProperties));
      }
      // Left in place (not ours) or gone already: there is no deletion to wait for.
      const id = hooks.parsePhysicalId(event.PhysicalResourceId);
      if (!id || event.Data?.[LEFT_IN_PLACE_KEY] === true || event.Data?.[ALREADY_GONE_KEY] === true) {
        return complete(event);
      }
      const live = await hooks.get(id, true);
      if (!live) {
        return complete(event);
      }
      const status = hooks.deletionStatus?.(live);
      log(`${hooks.noun} deletion`, { ...fieldsOf(event, hooks.resourceType, event.PhysicalResourceId), operation: hooks.getOperation, status });
      return waitOrFail(event, hooks.ref(id), `the ${hooks.noun} to be deleted`,
        status ? `status ${status}` : `still returned by ${hooks.getOperation}`,
        deleteTimeout(event), `Check the ${hooks.noun} in the Customer Profiles console and delete the stack again.`);
    },
  };
}
