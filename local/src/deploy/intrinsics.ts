/**
 * Resolution of CloudFormation intrinsic functions and pseudo parameters.
 *
 * Written here rather than taken from a library: the engine resolves one resource at a time while
 * attributes appear (a resource's `Fn::GetAtt` is known only once it has been created), and it
 * must fail with CloudFormation's own messages for unknown references; the npm resolvers
 * (cfn-resolver-lib and the like) resolve a whole template against a fixed set of values and
 * would be one more bundled dependency.
 */

/** Marks a value removed with `Ref: AWS::NoValue`. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

/** Values the resolver reads from the engine. */
export interface ResolveContext {
  /** Pseudo parameters and parameter values by name. */
  readonly parameters: Record<string, unknown>;
  readonly mappings?: Record<string, Record<string, Record<string, unknown>>>;
  /** `Ref` of a resource: its physical id, or undefined when the name is not a resource. */
  ref(logicalId: string): unknown;
  /** `Fn::GetAtt`; throws when the attribute does not exist. */
  getAtt(logicalId: string, attribute: string): unknown;
  /** `Fn::ImportValue`; throws when no stack exports the name. */
  importValue(name: string): unknown;
  /** The value of a named condition. */
  condition(name: string): boolean;
}

/** Pseudo parameter values of one stack. */
export interface PseudoParameters {
  readonly region: string;
  readonly accountId: string;
  readonly stackName: string;
  readonly stackId: string;
}

/** The `AWS::*` pseudo parameters CloudFormation defines, for a stack. */
export function pseudoParameters(p: PseudoParameters): Record<string, unknown> {
  const partition = p.region.startsWith('cn-') ? 'aws-cn' : p.region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  return {
    'AWS::Region': p.region,
    'AWS::AccountId': p.accountId,
    'AWS::Partition': partition,
    'AWS::URLSuffix': partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com',
    'AWS::StackName': p.stackName,
    'AWS::StackId': p.stackId,
    'AWS::NotificationARNs': [],
    'AWS::NoValue': NO_VALUE,
  };
}

/**
 * Resolves every intrinsic function in `value`. Properties and list items that resolve to
 * `AWS::NoValue` are removed, as CloudFormation does.
 */
export function resolveValue(value: unknown, ctx: ResolveContext): unknown {
  if (Array.isArray(value)) {
    return value.map((item) => resolveValue(item, ctx)).filter((item) => item !== NO_VALUE);
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::') || keys[0] === 'Condition')) {
    return resolveFunction(keys[0], obj[keys[0]], ctx);
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const resolved = resolveValue(obj[key], ctx);
    if (resolved !== NO_VALUE) {
      out[key] = resolved;
    }
  }
  return out;
}

/** Evaluates a condition expression (`Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not`, `Condition`). */
export function evaluateCondition(expression: unknown, ctx: ResolveContext): boolean {
  const value = resolveValue(expression, ctx);
  if (typeof value === 'boolean') {
    return value;
  }
  if (value === 'true' || value === 'false') {
    return value === 'true';
  }
  throw new Error(`Template error: condition does not evaluate to a boolean: ${JSON.stringify(expression)}`);
}

function resolveFunction(name: string, arg: unknown, ctx: ResolveContext): unknown {
  switch (name) {
    case 'Ref':
      return resolveRef(expectString(name, arg), ctx);
    case 'Fn::GetAtt':
      return resolveGetAtt(arg, ctx);
    case 'Fn::Join': {
      const [delimiter, list] = expectArray(name, arg, 2);
      const items = resolveValue(list, ctx);
      if (!Array.isArray(items)) {
        throw new Error('Template error: Fn::Join requires a list of values');
      }
      return items.map((item) => scalarString(name, item)).join(expectString(name, delimiter));
    }
    case 'Fn::Select': {
      const [index, list] = expectArray(name, arg, 2);
      const items = resolveValue(list, ctx);
      const i = Number(resolveValue(index, ctx));
      if (!Array.isArray(items) || !Number.isInteger(i) || i < 0 || i >= items.length) {
        throw new Error(`Template error: Fn::Select cannot select nonexistent value at index ${String(index)}`);
      }
      return items[i];
    }
    case 'Fn::Split': {
      const [delimiter, source] = expectArray(name, arg, 2);
      return scalarString(name, resolveValue(source, ctx)).split(expectString(name, delimiter));
    }
    case 'Fn::Sub':
      return resolveSub(arg, ctx);
    case 'Fn::ImportValue':
      return ctx.importValue(scalarString(name, resolveValue(arg, ctx)));
    case 'Fn::If': {
      const [condition, whenTrue, whenFalse] = expectArray(name, arg, 3);
      return resolveValue(ctx.condition(expectString(name, condition)) ? whenTrue : whenFalse, ctx);
    }
    case 'Fn::Equals': {
      const [a, b] = expectArray(name, arg, 2);
      return JSON.stringify(resolveValue(a, ctx)) === JSON.stringify(resolveValue(b, ctx));
    }
    case 'Fn::And':
      return (arg as unknown[]).every((c) => evaluateCondition(c, ctx));
    case 'Fn::Or':
      return (arg as unknown[]).some((c) => evaluateCondition(c, ctx));
    case 'Fn::Not':
      return !evaluateCondition(expectArray(name, arg, 1)[0], ctx);
    case 'Condition':
      return ctx.condition(expectString(name, arg));
    case 'Fn::FindInMap': {
      const [map, top, second] = expectArray(name, arg, 3).map((part) => scalarString(name, resolveValue(part, ctx)));
      const value = ctx.mappings?.[map]?.[top]?.[second];
      if (value === undefined) {
        throw new Error(`Template error: Unable to get mapping for ${map}::${top}::${second}`);
      }
      return value;
    }
    case 'Fn::Base64':
      return Buffer.from(scalarString(name, resolveValue(arg, ctx))).toString('base64');
    case 'Fn::GetAZs': {
      const region = String(resolveValue(arg, ctx) || ctx.parameters['AWS::Region']);
      return ['a', 'b', 'c'].map((suffix) => `${region}${suffix}`);
    }
    case 'Fn::Length': {
      const items = resolveValue(arg, ctx);
      return Array.isArray(items) ? items.length : 0;
    }
    case 'Fn::ToJsonString':
      return JSON.stringify(resolveValue(arg, ctx));
    default:
      throw new Error(`Template error: ${name} is not supported by the local deploy engine`);
  }
}

function resolveRef(name: string, ctx: ResolveContext): unknown {
  if (name in ctx.parameters) {
    return ctx.parameters[name];
  }
  const value = ctx.ref(name);
  if (value === undefined) {
    throw new Error(`Template format error: Unresolved resource dependencies [${name}] in the Resources block of the template`);
  }
  return value;
}

function resolveGetAtt(arg: unknown, ctx: ResolveContext): unknown {
  let id: string;
  let attribute: unknown;
  if (typeof arg === 'string') {
    const dot = arg.indexOf('.');
    id = arg.slice(0, dot);
    attribute = arg.slice(dot + 1);
  } else {
    const parts = expectArray('Fn::GetAtt', arg, 2);
    id = expectString('Fn::GetAtt', parts[0]);
    attribute = resolveValue(parts[1], ctx);
  }
  return ctx.getAtt(id, scalarString('Fn::GetAtt', attribute));
}

function resolveSub(arg: unknown, ctx: ResolveContext): string {
  let text: string;
  let vars: Record<string, unknown> = {};
  if (typeof arg === 'string') {
    text = arg;
  } else {
    const parts = expectArray('Fn::Sub', arg, 2);
    text = expectString('Fn::Sub', parts[0]);
    vars = (resolveValue(parts[1], ctx) ?? {}) as Record<string, unknown>;
  }
  return text.replace(/\$\{([^}]+)\}/g, (_whole, inner: string) => {
    if (inner.startsWith('!')) {
      // `${!Literal}` renders as `${Literal}`.
      return `\${${inner.slice(1)}}`;
    }
    const name = inner.trim();
    if (name in vars) {
      return scalarString('Fn::Sub', vars[name]);
    }
    const dot = name.indexOf('.');
    if (dot > 0 && !(name in ctx.parameters)) {
      return scalarString('Fn::Sub', ctx.getAtt(name.slice(0, dot), name.slice(dot + 1)));
    }
    return scalarString('Fn::Sub', resolveRef(name, ctx));
  });
}

function expectString(fn: string, value: unknown): string {
  if (typeof value !== 'string') {
    throw new Error(`Template error: ${fn} expects a string, got ${JSON.stringify(value)}`);
  }
  return value;
}

function expectArray(fn: string, value: unknown, length: number): unknown[] {
  if (!Array.isArray(value) || value.length < length) {
    throw new Error(`Template error: ${fn} expects a list of ${length} values`);
  }
  return value;
}

/** Strings, numbers and booleans join and substitute as their text; anything else is a template error. */
function scalarString(fn: string, value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  throw new Error(`Template error: every value in ${fn} must resolve to a string, got ${Array.isArray(value) ? 'a list' : typeof value}`);
}
