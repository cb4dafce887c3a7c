import { DeploymentState, StackInput } from '../deploy';
import { evaluateCondition, pseudoParameters, resolveValue, ResolveContext } from '../deploy/intrinsics';

/**
 * Resolves a new template's properties with what is already known: the deployed stack's
 * physical ids and attributes, the other stacks' exports, pseudo parameters and parameter
 * defaults. A reference to something not deployed yet (a new resource, an attribute the handler
 * returns only once it ran) cannot be resolved before the deployment: `resolveKnown` says so
 * instead of guessing.
 */

/** Values a stack's references resolve to. */
export interface KnownValues {
  readonly stackId: string;
  readonly region: string;
  readonly account: string;
  /** Logical id -> physical id. */
  readonly physicalIds: Record<string, string>;
  /** Logical id -> attributes (`Fn::GetAtt`). */
  readonly attributes?: Record<string, Record<string, unknown>>;
  /** Export name -> value, of every other stack. */
  readonly exports: Record<string, string>;
}

export type Resolution =
  | { readonly resolved: true; readonly value: Record<string, unknown> }
  | { readonly resolved: false; readonly reason: string };

class Unknown extends Error {}

/** The values the local state file knows for `input` (undefined for a stack never deployed). */
export function knownFromState(input: StackInput, state: DeploymentState): KnownValues | undefined {
  const stack = state.stacks[input.stackName];
  if (!stack) {
    return undefined;
  }
  const exports: Record<string, string> = {};
  for (const other of Object.values(state.stacks)) {
    if (other.stackName !== input.stackName) {
      Object.assign(exports, other.exports);
    }
  }
  return {
    stackId: stack.stackId,
    region: stack.region,
    account: stack.account,
    physicalIds: Object.fromEntries(Object.values(stack.resources).map((r) => [r.logicalId, r.physicalId])),
    attributes: Object.fromEntries(Object.values(stack.resources).map((r) => [r.logicalId, r.attributes])),
    exports,
  };
}

/** Resolves `properties` of a resource of `input` with `known`; unresolved when a value is known only at deploy. */
export function resolveKnown(properties: Record<string, unknown>, input: StackInput, known: KnownValues | undefined): Resolution {
  if (!known) {
    return hasIntrinsic(properties) ? { resolved: false, reason: 'the stack is not deployed' } : { resolved: true, value: properties };
  }
  const template = input.template;
  const parameters: Record<string, unknown> = {
    ...pseudoParameters({ region: known.region, accountId: known.account, stackName: input.stackName, stackId: known.stackId }),
  };
  for (const [name, def] of Object.entries(template.Parameters ?? {})) {
    if (def.Default !== undefined) {
      parameters[name] = def.Default;
    }
  }
  const ctx: ResolveContext = {
    parameters,
    mappings: template.Mappings,
    ref: (id) => {
      const physicalId = known.physicalIds[id];
      if (physicalId === undefined) {
        throw new Unknown(`Ref ${id}`);
      }
      return physicalId;
    },
    getAtt: (id, attribute) => {
      const value = known.attributes?.[id]?.[attribute];
      if (value === undefined) {
        throw new Unknown(`${id}.${attribute}`);
      }
      return value;
    },
    importValue: (name) => {
      if (!(name in known.exports)) {
        throw new Unknown(`export ${name}`);
      }
      return known.exports[name];
    },
    condition: (name) => evaluateCondition(template.Conditions?.[name], ctx),
  };
  try {
    return { resolved: true, value: resolveValue(properties, ctx) as Record<string, unknown> };
  } catch (e) {
    if (e instanceof Unknown) {
      return { resolved: false, reason: `depends on ${e.message}, a value known at deploy` };
    }
    throw e;
  }
}

function hasIntrinsic(value: unknown): boolean {
  if (Array.isArray(value)) {
    return value.some(hasIntrinsic);
  }
  if (value === null || typeof value !== 'object') {
    return false;
  }
  const keys = Object.keys(value);
  if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
    return true;
  }
  return Object.values(value).some(hasIntrinsic);
}

/**
 * A resource's properties without `ServiceToken`: the provider's function ARN is not part of the
 * desired state, and only CloudFormation knows it.
 */
export function withoutServiceToken(properties: Record<string, unknown> | undefined): Record<string, unknown> {
  const { ServiceToken: _token, ...rest } = properties ?? {};
  return rest;
}
