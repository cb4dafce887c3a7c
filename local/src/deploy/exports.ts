import { evaluateCondition, NO_VALUE, pseudoParameters, resolveValue, ResolveContext } from './intrinsics';
import type { DeploymentState } from './state';
import type { CfnResource, CfnTemplate } from './template';

/**
 * A template's values at stack level: parameters (defaults only), conditions, outputs, exports
 * and the imports other stacks make of them.
 */

/** Parameter values: the engine takes none, so each parameter is its default (CDK's BootstrapVersion has one). */
export function parameterDefaults(template: CfnTemplate): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, parameter] of Object.entries(template.Parameters ?? {})) {
    if (parameter.Default === undefined) {
      throw new Error(`Parameters: [${name}] must have values (the local deploy engine uses parameter defaults only)`);
    }
    out[name] = parameter.Type.startsWith('List<') || parameter.Type === 'CommaDelimitedList'
      ? String(parameter.Default).split(',')
      : parameter.Default;
  }
  return out;
}

export function filterByCondition(template: CfnTemplate, ctx: ResolveContext): Record<string, CfnResource> {
  const out: Record<string, CfnResource> = {};
  for (const [id, def] of Object.entries(template.Resources ?? {})) {
    if (def.Condition === undefined || ctx.condition(def.Condition)) {
      out[id] = def;
    }
  }
  return out;
}

/** The template's resources whose `Condition` holds, before anything is deployed (for a plan: references are unknown). */
export function activeResources(
  template: CfnTemplate,
  stack: { stackName: string; stackId: string; region: string; account: string },
): Record<string, CfnResource> {
  const pseudo = pseudoParameters({ region: stack.region, accountId: stack.account, stackName: stack.stackName, stackId: stack.stackId });
  const parameters = { ...pseudo, ...parameterDefaults(template) };
  const ctx: ResolveContext = {
    parameters,
    mappings: template.Mappings,
    ref: () => 'unknown',
    getAtt: () => 'unknown',
    importValue: () => 'unknown',
    condition: (name) => evaluateCondition(template.Conditions?.[name], ctx),
  };
  return filterByCondition(template, ctx);
}

/** `Fn::ImportValue`: the value another stack of the state exports under `name`. */
export function importedValue(state: DeploymentState, stackName: string, name: string): string {
  for (const stack of Object.values(state.stacks)) {
    if (stack.stackName !== stackName && name in stack.exports) {
      return stack.exports[name];
    }
  }
  throw new Error(`No export named ${name} found.`);
}

/** The stack's outputs and exports; an export name another stack already exports is refused, as CloudFormation does. */
export function resolveOutputs(
  template: CfnTemplate,
  ctx: ResolveContext,
  stackName: string,
  state: DeploymentState,
): { outputs: Record<string, unknown>; exports: Record<string, string> } {
  const outputs: Record<string, unknown> = {};
  const exports: Record<string, string> = {};
  for (const [name, output] of Object.entries(template.Outputs ?? {})) {
    if (output.Condition !== undefined && !ctx.condition(output.Condition)) {
      continue;
    }
    const value = resolveValue(output.Value, ctx);
    if (value === NO_VALUE) {
      continue;
    }
    outputs[name] = value;
    if (output.Export) {
      const exportName = String(resolveValue(output.Export.Name, ctx));
      const owner = Object.values(state.stacks).find((other) => other.stackName !== stackName && exportName in other.exports);
      if (owner) {
        throw new Error(`Export with name ${exportName} is already exported by stack ${owner.stackName}`);
      }
      exports[exportName] = typeof value === 'string' ? value : JSON.stringify(value);
    }
  }
  return { outputs, exports };
}

/** CloudFormation refuses to change or remove an export another stack imports. */
export function checkExportsInUse(
  stackName: string,
  before: Record<string, string>,
  after: Record<string, string>,
  state: DeploymentState,
  verb: 'updated' | 'deleted',
): void {
  for (const [name, value] of Object.entries(before)) {
    if (after[name] === value) {
      continue;
    }
    for (const other of Object.values(state.stacks)) {
      if (other.stackName !== stackName && importsOf(other.template).has(name)) {
        throw new Error(`Export ${name} cannot be ${verb} as it is in use by ${other.stackName}`);
      }
    }
  }
}

/** Export names read with `Fn::ImportValue` (literal names only, which is what CDK writes). */
function importsOf(template: CfnTemplate): Set<string> {
  const names = new Set<string>();
  const scan = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(scan);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'Fn::ImportValue' && typeof inner === 'string') {
          names.add(inner);
        } else {
          scan(inner);
        }
      }
    }
  };
  scan(template.Resources ?? {});
  scan(template.Outputs ?? {});
  return names;
}
