import { activeResources } from './exports';
import type { DeploymentState } from './state';
import { dependencyGraph, referencedIds, waves } from './template';
import type { ResourceAction, ResourceChange, StackInput, StackPlan } from './types';

/** The order of stacks, and what a deploy would change in each, from the templates alone. */

/** Stacks in dependency order (a stack after the stacks it depends on); unknown dependencies are ignored. */
export function orderStacks<T extends { stackName: string; dependencies?: string[] }>(stacks: T[]): T[] {
  const byName = new Map(stacks.map((s) => [s.stackName, s]));
  const graph = new Map(stacks.map((s) => [s.stackName, new Set((s.dependencies ?? []).filter((d) => byName.has(d)))]));
  return waves(graph).flat().map((name) => byName.get(name)!);
}

/** What a deploy of `stacks` would do (no handler calls): each resource's action, in dependency order. */
export function planStacks(
  stacks: StackInput[],
  state: DeploymentState,
  emulatedTypes: ReadonlySet<string>,
  defaults: { region: string; account: string },
): StackPlan[] {
  return orderStacks(stacks).map((input) => {
    const old = state.stacks[input.stackName];
    const resources = activeResources(input.template, {
      stackName: input.stackName,
      stackId: old?.stackId ?? 'plan',
      region: input.region ?? defaults.region,
      account: input.account ?? defaults.account,
    });
    const oldResources = old ? old.template.Resources ?? {} : {};
    const graph = dependencyGraph(resources);
    const changes: ResourceChange[] = [];
    const changing = new Set<string>();
    for (const wave of waves(graph)) {
      for (const id of wave) {
        const def = resources[id];
        const emulated = emulatedTypes.has(def.Type);
        let action: ResourceAction;
        let because: string[] | undefined;
        if (!old || !old.resources[id]) {
          action = 'create';
        } else if (oldResources[id]?.Type !== def.Type
          || JSON.stringify(oldResources[id]?.Properties ?? {}) !== JSON.stringify(def.Properties ?? {})) {
          action = 'update';
        } else {
          // Unchanged in the template, but a value it reads may change (CloudFormation's "Dynamic").
          because = [...(graph.get(id) ?? [])].filter((dep) => changing.has(dep) && referencedIds(def.Properties ?? {}).has(dep));
          action = because.length > 0 ? 'may-update' : 'no-change';
        }
        if (action !== 'no-change') {
          changing.add(id);
        }
        changes.push({ logicalId: id, resourceType: def.Type, action, emulated, ...(because && because.length > 0 ? { because } : {}) });
      }
    }
    for (const [id, rs] of Object.entries(old?.resources ?? {})) {
      if (!(id in resources)) {
        changes.push({ logicalId: id, resourceType: rs.type, action: 'delete', emulated: rs.emulated });
      }
    }
    const stackAction = !old ? 'create' : changes.some((c) => c.action !== 'no-change') ? 'update' : 'no-change';
    return { stackName: input.stackName, action: stackAction, changes };
  });
}
