import { CfnResource, dependencyGraph, waves } from './template';

/**
 * Running work over a resource graph: dependencies first (deploys), dependents first (deletes),
 * each resource as soon as what it waits for is done, as CloudFormation does.
 */

/** The dependency graph of a deployed template; a template the engine accepted once is acyclic. */
export function safeGraph(resources: Record<string, CfnResource>): Map<string, Set<string>> {
  try {
    return dependencyGraph(resources);
  } catch {
    return new Map(Object.keys(resources).map((id) => [id, new Set<string>()]));
  }
}

/** The resources among `ids` that depend on `id`: they must be deleted first. */
export function dependents(id: string, graph: Map<string, Set<string>>, ids: string[]): string[] {
  return ids.filter((other) => other !== id && transitiveDeps(other, graph).has(id));
}

function transitiveDeps(id: string, graph: Map<string, Set<string>>, seen: Set<string> = new Set()): Set<string> {
  for (const dep of graph.get(id) ?? []) {
    if (!seen.has(dep)) {
      seen.add(dep);
      transitiveDeps(dep, graph, seen);
    }
  }
  return seen;
}

export function forwardOrder(ids: string[], graph: Map<string, Set<string>>): string[] {
  const wanted = new Set(ids);
  const ordered = [...graph.keys()].length > 0 ? waves(graph).flat().filter((id) => wanted.has(id)) : [];
  return [...ordered, ...ids.filter((id) => !ordered.includes(id))];
}

export function reverseOrder(ids: string[], graph: Map<string, Set<string>>): string[] {
  return forwardOrder(ids, graph).reverse();
}

/**
 * Runs `work` over `ids`, starting each as soon as the ids it waits for (`waitFor`, restricted to
 * `ids`) have succeeded, at most `limit` at a time. With `stopOnFailure` (deploys), nothing new
 * starts after a failure and in-flight work is drained, as CloudFormation cancels the rest of an
 * operation; otherwise (deletes) only what waits for the failed id is skipped.
 */
export async function runGraph(
  ids: string[],
  waitFor: (id: string) => Iterable<string>,
  limit: number,
  stopOnFailure: boolean,
  work: (id: string) => Promise<boolean>,
): Promise<boolean> {
  const idSet = new Set(ids);
  const succeeded = new Set<string>();
  const failed = new Set<string>();
  const started = new Set<string>();
  let running = 0;
  return new Promise<boolean>((resolve) => {
    const pump = (): void => {
      let progressed = true;
      while (progressed) {
        progressed = false;
        for (const id of ids) {
          if (running >= limit || (stopOnFailure && failed.size > 0)) {
            break;
          }
          if (started.has(id)) {
            continue;
          }
          const deps = [...waitFor(id)].filter((d) => idSet.has(d) && d !== id);
          if (deps.some((d) => failed.has(d))) {
            // Blocked for good by a failure: counts as failed, so that its own dependents are skipped too.
            started.add(id);
            failed.add(id);
            progressed = true;
            continue;
          }
          if (deps.every((d) => succeeded.has(d))) {
            started.add(id);
            running += 1;
            void work(id).then((ok) => ok, () => false).then((ok) => {
              running -= 1;
              (ok ? succeeded : failed).add(id);
              pump();
            });
          }
        }
      }
      if (running === 0) {
        resolve(failed.size === 0);
      }
    };
    pump();
  });
}
