import { UpdateDecision, UpdateDecisionKind, UpdatePlan } from '../../src/private/contract';

/**
 * Building and reading the named update decisions (`UpdatePlan`, src/private/contract.ts) that
 * each resource's pure `planUpdate` returns: the handler acts on them and the local toolkit's
 * `plan` prints them.
 */

/** One decision; `fields` names Config members, never their values (they may be customer data). */
export function decision(kind: UpdateDecisionKind, fields: readonly string[], reason: string): UpdateDecision {
  return { kind, fields, reason };
}

/** The plan of the decisions given; an empty list is the plan 'none'. */
export function planOf(decisions: ReadonlyArray<UpdateDecision | undefined | false>): UpdatePlan {
  const made = decisions.filter((d): d is UpdateDecision => !!d);
  return { decisions: made.length > 0 ? made : [decision('none', [], 'Nothing changed: the update makes no call.')] };
}

/** Whether the plan has a decision of this kind. */
export function has(plan: UpdatePlan, kind: UpdateDecisionKind): boolean {
  return plan.decisions.some((d) => d.kind === kind);
}

/** The decisions that make onEvent call the service; without any, an update answers without a call. */
const WRITES: ReadonlySet<UpdateDecisionKind> = new Set<UpdateDecisionKind>(['update-in-place', 'tags', 'replace', 'stop', 'start', 'retrain']);

/** Whether the plan writes (a plan of waits only, or 'none', makes no call in onEvent). */
export function writes(plan: UpdatePlan): boolean {
  return plan.decisions.some((d) => WRITES.has(d.kind));
}

/** The Config members (top level) whose values differ between two configs, among `keys`. */
export function changedKeys<T extends object>(
  old: T, desired: T, keys: ReadonlyArray<keyof T & string>, equal: (a: unknown, b: unknown) => boolean,
): string[] {
  return keys.filter((k) => !equal(old[k], desired[k]));
}

/** Tags added, changed or removed (`fields`: 'Tags', or 'AdoptExisting' when adoption puts the owner tag on). */
export function tagsDecision(fields: readonly string[] = ['Tags']): UpdateDecision {
  return decision('tags', fields, fields.includes('AdoptExisting')
    ? 'Adoption asked: the resource gets this resource\'s owner tag unless it has it already.'
    : 'Tags are added or removed with TagResource / UntagResource.');
}
