/**
 * The parts of a CloudFormation template the local deploy engine reads, and the dependency
 * graph CloudFormation derives from it (`Ref`, `Fn::GetAtt`, `Fn::Sub` references and `DependsOn`).
 */

/** One resource of a template. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
  readonly Condition?: string;
  readonly Metadata?: unknown;
}

/** One output of a template. */
export interface CfnOutput {
  readonly Value: unknown;
  readonly Description?: string;
  readonly Export?: { readonly Name: unknown };
  readonly Condition?: string;
}

/** One parameter of a template (only the default is used: the engine takes no parameter values). */
export interface CfnParameter {
  readonly Type: string;
  readonly Default?: unknown;
}

/** A synthesized CloudFormation template. */
export interface CfnTemplate {
  readonly Resources?: Record<string, CfnResource>;
  readonly Outputs?: Record<string, CfnOutput>;
  readonly Parameters?: Record<string, CfnParameter>;
  readonly Conditions?: Record<string, unknown>;
  readonly Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  readonly [key: string]: unknown;
}

/** The logical ids a value refers to (`Ref`, `Fn::GetAtt`, `${X}` / `${X.Attr}` in `Fn::Sub`). */
export function referencedIds(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) {
      referencedIds(item, into);
    }
    return into;
  }
  if (value === null || typeof value !== 'object') {
    return into;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 1) {
    const key = keys[0];
    const arg = obj[key];
    if (key === 'Ref' && typeof arg === 'string') {
      into.add(arg);
      return into;
    }
    if (key === 'Fn::GetAtt') {
      if (typeof arg === 'string') {
        into.add(arg.split('.')[0]);
        return into;
      }
      if (Array.isArray(arg) && typeof arg[0] === 'string') {
        into.add(arg[0]);
        referencedIds(arg.slice(1), into);
        return into;
      }
    }
    if (key === 'Fn::Sub') {
      const text = typeof arg === 'string' ? arg : Array.isArray(arg) ? arg[0] : undefined;
      const vars = Array.isArray(arg) && arg[1] && typeof arg[1] === 'object' ? (arg[1] as Record<string, unknown>) : {};
      if (typeof text === 'string') {
        for (const name of subVariables(text)) {
          const id = name.split('.')[0];
          if (!(name in vars) && !(id in vars)) {
            into.add(id);
          }
        }
      }
      referencedIds(vars, into);
      return into;
    }
  }
  for (const key of keys) {
    referencedIds(obj[key], into);
  }
  return into;
}

/** The `${...}` variables of an `Fn::Sub` string (without the `${!literal}` escapes). */
function subVariables(text: string): string[] {
  const names: string[] = [];
  const pattern = /\$\{([^}]+)\}/g;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    if (!match[1].startsWith('!')) {
      names.push(match[1].trim());
    }
  }
  return names;
}

/** `DependsOn` as a list. */
export function dependsOnList(resource: CfnResource): string[] {
  const value = resource.DependsOn;
  if (value === undefined) {
    return [];
  }
  return Array.isArray(value) ? value : [value];
}

/**
 * For each resource, the resources it depends on (within `resources`). References to parameters,
 * pseudo parameters and unknown names are not edges; a `DependsOn` naming a missing resource is an
 * error, as in CloudFormation.
 */
export function dependencyGraph(resources: Record<string, CfnResource>): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const [id, resource] of Object.entries(resources)) {
    const deps = new Set<string>();
    for (const ref of referencedIds(resource.Properties ?? {})) {
      if (ref in resources && ref !== id) {
        deps.add(ref);
      }
    }
    for (const dep of dependsOnList(resource)) {
      if (!(dep in resources)) {
        throw new Error(`Template format error: Unresolved dependencies [${dep}] in the DependsOn of ${id}`);
      }
      deps.add(dep);
    }
    graph.set(id, deps);
  }
  assertAcyclic(graph);
  return graph;
}

/** Throws CloudFormation's circular-dependency error when the graph has a cycle. */
function assertAcyclic(graph: Map<string, Set<string>>): void {
  const done = new Set<string>();
  const visiting = new Set<string>();
  const visit = (id: string, trail: string[]): void => {
    if (done.has(id)) {
      return;
    }
    if (visiting.has(id)) {
      throw new Error(`Circular dependency between resources: [${trail.slice(trail.indexOf(id)).join(', ')}]`);
    }
    visiting.add(id);
    for (const dep of graph.get(id) ?? []) {
      visit(dep, [...trail, dep]);
    }
    visiting.delete(id);
    done.add(id);
  };
  for (const id of graph.keys()) {
    visit(id, [id]);
  }
}

/**
 * Groups the nodes into waves: every node's dependencies are in earlier waves. Used for plans and
 * for reverse-order deletes; deployment itself starts each resource as soon as its own
 * dependencies are done, as CloudFormation does.
 */
export function waves(graph: Map<string, Set<string>>): string[][] {
  const result: string[][] = [];
  const placed = new Set<string>();
  let remaining = [...graph.keys()];
  while (remaining.length > 0) {
    const wave = remaining.filter((id) => [...(graph.get(id) ?? [])].every((dep) => placed.has(dep) || !graph.has(dep)));
    if (wave.length === 0) {
      throw new Error(`Circular dependency between resources: [${remaining.join(', ')}]`);
    }
    wave.sort();
    for (const id of wave) {
      placed.add(id);
    }
    result.push(wave);
    remaining = remaining.filter((id) => !placed.has(id));
  }
  return result;
}

/** The attributes read with `Fn::GetAtt` (or `${X.Attr}` in `Fn::Sub`) per logical id, anywhere in the template. */
export function getAttUsage(template: CfnTemplate): Map<string, Set<string>> {
  const usage = new Map<string, Set<string>>();
  const add = (id: string, attr: string): void => {
    const set = usage.get(id) ?? new Set<string>();
    set.add(attr);
    usage.set(id, set);
  };
  const scan = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(scan);
      return;
    }
    if (value === null || typeof value !== 'object') {
      return;
    }
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1 && keys[0] === 'Fn::GetAtt') {
      const arg = obj['Fn::GetAtt'];
      if (typeof arg === 'string' && arg.includes('.')) {
        const [id, ...rest] = arg.split('.');
        add(id, rest.join('.'));
        return;
      }
      if (Array.isArray(arg) && typeof arg[0] === 'string' && typeof arg[1] === 'string') {
        add(arg[0], arg[1]);
        return;
      }
    }
    if (keys.length === 1 && keys[0] === 'Fn::Sub') {
      const arg = obj['Fn::Sub'];
      const text = typeof arg === 'string' ? arg : Array.isArray(arg) ? arg[0] : undefined;
      if (typeof text === 'string') {
        for (const name of subVariables(text)) {
          const dot = name.indexOf('.');
          if (dot > 0) {
            add(name.slice(0, dot), name.slice(dot + 1));
          }
        }
      }
    }
    Object.values(obj).forEach(scan);
  };
  scan(template.Resources ?? {});
  scan(template.Outputs ?? {});
  return usage;
}
