import { TagResourceCommand } from '@aws-sdk/client-customer-profiles';
import { profilesClient } from './client';
import { ResourceEvent } from './common';
import { call, describe, HandlerError, ResourceRef } from './errors';
import { log } from './log';
import { OWNER_TAG_KEY, ownerMarker, parseOwnerMarker, parseStackId, Tags } from '../src/private/contract';

/**
 * Ownership: a stack changes and deletes only what it created.
 *
 * Every resource the handler creates carries the tag `OWNER_TAG_KEY` with the marker of its
 * owner: the stack (name and GUID, from `StackId`) and the logical resource (`LogicalResourceId`),
 * see `ownerMarker` in the contract. The rules, applied by every resource module:
 *
 * - **Create** meets an existing resource of the same name: with this resource's own marker it is
 *   a retried create and is adopted; anything else is refused untouched, unless the user asked for
 *   explicit adoption (`AdoptExisting`) and the resource carries no marker, or the marker of an
 *   earlier stack of the same name (stack names are unique in an account and region while a stack
 *   exists, so that stack has been deleted). A resource marked by another live owner (another
 *   stack, or another logical resource of this stack) is never taken over.
 * - **Update** writes only to a resource carrying its own marker (or one it may adopt, as above).
 * - **Delete** deletes only a resource carrying its own marker; any other resource is left in
 *   place and the delete succeeds, so that rollbacks and stack deletions finish.
 */

/**
 * Data key a Delete's onEvent sets when it left the resource in place (not ours): isComplete then
 * completes at once instead of waiting for a deletion that will never happen.
 */
export const LEFT_IN_PLACE_KEY = 'LeftInPlace';

/** How an existing resource relates to the resource of the event. */
export type Owner =
  /** Carries this logical resource's marker: ours. */
  | { readonly kind: 'ours' }
  /** No marker: made outside this library (console, Cfn* classes) or by a version before markers. */
  | { readonly kind: 'unmarked' }
  /** Another logical resource of this same stack (a moved or renamed construct, or a duplicate name). */
  | { readonly kind: 'sibling'; readonly marker: string; readonly logicalId: string }
  /** An earlier, deleted stack of the same name (a retained resource it left behind). */
  | { readonly kind: 'previous-stack'; readonly marker: string }
  /** Another stack (or a marker this version cannot read). */
  | { readonly kind: 'other'; readonly marker: string };

/** This resource's own marker. */
export function markerOf(event: ResourceEvent): string {
  return ownerMarker(event.StackId ?? '', event.LogicalResourceId ?? '');
}

/** Who owns a resource with these tags, from the point of view of the event's resource. */
export function ownerOf(event: ResourceEvent, tags: Tags | undefined): Owner {
  const marker = tags?.[OWNER_TAG_KEY];
  if (marker === undefined || marker === '') {
    return { kind: 'unmarked' };
  }
  if (marker === markerOf(event)) {
    return { kind: 'ours' };
  }
  const found = parseOwnerMarker(marker);
  const self = parseStackId(event.StackId ?? '');
  if (found && self && found.stackName === self.stackName) {
    return found.stackGuid === self.stackGuid
      ? { kind: 'sibling', marker, logicalId: found.logicalId }
      : { kind: 'previous-stack', marker };
  }
  return { kind: 'other', marker };
}

/** The user's tags plus this resource's marker: the Tags of a create request. */
export function tagsWithMarker(event: ResourceEvent, tags: Tags | undefined): Tags {
  return { ...(tags ?? {}), [OWNER_TAG_KEY]: markerOf(event) };
}

/** Tags as the user sees them: without the marker (tag diffs never add or remove it). */
export function userTags(tags: Tags | undefined): Tags | undefined {
  if (!tags) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags)) {
    if (k !== OWNER_TAG_KEY) out[k] = v;
  }
  return out;
}

/** What the handler may do with an existing resource it meets on create or update. */
export type Verdict =
  /** Ours already (a retried create, or an update of our own resource). */
  | 'ours'
  /** Taken over on the user's explicit request: the caller must mark it (see `mark`) before changing it. */
  | 'adopt';

/**
 * Decides whether the handler may act on an existing resource (on create, or before an update
 * writes), and throws a refusal that names the resource, the owner found and the fix otherwise.
 *
 * @param adoptExisting the user's explicit request to take over an unmarked resource, or one left
 *   by an earlier stack of the same name
 * @param constructHint how the user refers to the existing resource instead, e.g.
 *   `Recommender.fromRecommenderName`
 */
export function decide(event: ResourceEvent, ref: ResourceRef, tags: Tags | undefined, adoptExisting: boolean, constructHint: string): Verdict {
  const owner = ownerOf(event, tags);
  const what = describe(ref);
  switch (owner.kind) {
    case 'ours':
      return 'ours';
    case 'unmarked':
      if (adoptExisting) return 'adopt';
      throw new HandlerError(`${what} already exists and carries no owner tag (${OWNER_TAG_KEY}): it was made outside this library `
        + 'or by a version before ownership markers, so this stack does not change or delete it. '
        + `To manage it with this stack, set adoptExisting: true on the construct (with removalPolicy RETAIN) and deploy; to use it as it is, use ${constructHint}; `
        + 'otherwise choose another name.');
    case 'previous-stack':
      if (adoptExisting) return 'adopt';
      throw new HandlerError(`${what} already exists, left by an earlier stack of this name that was deleted (owner ${owner.marker}). `
        + 'It is not taken over unasked: set adoptExisting: true on the construct (with removalPolicy RETAIN) and deploy to manage it with this stack, '
        + `use ${constructHint} to use it as it is, or choose another name.`);
    case 'sibling':
      throw new HandlerError(`${what} already exists and belongs to resource ${owner.logicalId} of this stack. `
        + 'Two constructs cannot manage one resource: if you moved or renamed the construct, keep its logical id '
        + '(overrideLogicalId) or deploy the removal first; otherwise choose another name.');
    case 'other':
    default:
      throw new HandlerError(`${what} already exists and belongs to another stack (owner ${owner.marker}), so this stack does not change or delete it. `
        + `Use ${constructHint} to use it, or choose another name. If that stack no longer exists, remove the tag ${OWNER_TAG_KEY} from the resource `
        + 'and deploy with adoptExisting: true.');
  }
}

/** Puts this resource's marker on a resource being adopted (TagResource with the marker only). */
export async function mark(
  event: ResourceEvent, ref: ResourceRef, arn: string, logFields: { resourceType: string; physicalResourceId: string },
): Promise<void> {
  log('adopting: marking the resource as this stack\'s', { ...logFields, requestType: event.RequestType, operation: 'TagResource' });
  await call(ref, 'TagResource', () => profilesClient().send(new TagResourceCommand({ resourceArn: arn, tags: { [OWNER_TAG_KEY]: markerOf(event) } })));
}

/**
 * Whether a Delete may delete a resource with these tags: only with this resource's own marker.
 * Anything else is left in place (and logged), and the Delete succeeds.
 */
export function mayDelete(event: ResourceEvent, tags: Tags | undefined, logFields: { resourceType: string; physicalResourceId: string }): boolean {
  const owner = ownerOf(event, tags);
  if (owner.kind === 'ours') {
    return true;
  }
  log('not deleting a resource this stack does not own', { ...logFields, requestType: 'Delete', owner: owner.kind });
  return false;
}
