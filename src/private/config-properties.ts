import { IPostProcessor, IResolvable, IResolveContext, Lazy, Token, Tokenization } from 'aws-cdk-lib';

/**
 * Renders a custom resource's desired state (a `*Config` of contract.ts) as its resource
 * properties, one per member, so that `cdk diff` and change sets name the member that changes.
 *
 * aws-cdk-lib resolves tokens where they stand (a parameter's number becomes a `Ref` in its
 * field, a reference a `Fn::GetAtt` or, across stacks, a `Fn::ImportValue`) and leaves out
 * members whose value is `undefined`. Two kinds of member are handed over as tokens of their own:
 * - a {@link lazyMember} (tags, which `Tags.of()` may add to until synthesis), produced when the
 *   template is written and left out, key included, when it produces `undefined` (the service
 *   rejects an empty tag map, and templates without tags stay as they were);
 * - a structure (object or list) that holds no token, written once, when the construct is built:
 *   aws-cdk-lib resolves every resource at least twice (once to find cross-stack references, once
 *   to write the template) and walks each key of each structure every time, which would make a
 *   recommender or a segment cost more to synthesize than the JSON string it replaces. The
 *   structure is handed back whole after resolution (see LiteralStructure), a copy each time.
 * A structure that does hold a token is left to aws-cdk-lib, which finds the references in it.
 */
export function renderConfigProperties(config: object): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined) continue;
    if (value instanceof LazyMember) {
      properties[key] = Lazy.uncachedAny({ produce: value.produce });
    } else if (typeof value === 'object' && value !== null && isLiteral(value)) {
      properties[key] = new LiteralStructure(copyOf(value));
    } else {
      properties[key] = value;
    }
  }
  return properties;
}

/** A Config member rendered at synthesis (its key is left out when `produce` returns undefined). */
export class LazyMember {
  constructor(public readonly produce: () => unknown) {}
}

/**
 * A top-level Config member whose value is known only at synthesis, such as tags (`Tags.of()` is
 * an aspect). Typed as `T` so that it fits the Config interfaces of contract.ts.
 */
export function lazyMember<T>(produce: () => T | undefined): T {
  return new LazyMember(produce) as unknown as T;
}

/**
 * A structure without tokens, resolved to itself without aws-cdk-lib walking it: resolve() gives
 * nothing to walk and registers the post-processor, whose result the resolver takes as it is.
 * Each resolution gets its own copy, so that property overrides (merged into the resolved
 * template by aws-cdk-lib) never change the construct's state.
 */
class LiteralStructure implements IResolvable, IPostProcessor {
  public readonly creationStack: string[] = [];

  constructor(private readonly value: object) {}

  public resolve(context: IResolveContext): unknown {
    context.registerPostProcessor(this);
    return undefined;
  }

  public postProcess(): unknown {
    return copyOf(this.value);
  }

  public toString(): string {
    return Token.asString(this);
  }
}

/** Whether a value holds no token and nothing but JSON values, at any depth. */
function isLiteral(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'number':
      return !Token.isUnresolved(value);
    case 'boolean':
    case 'undefined':
      return true;
    case 'object':
      if (value === null) return true;
      if (Array.isArray(value)) return !Token.isUnresolved(value) && value.every(isLiteral);
      if (Tokenization.isResolvable(value) || value instanceof LazyMember || Object.getPrototypeOf(value) !== Object.prototype) return false;
      return Object.values(value).every(isLiteral);
    default:
      return false;
  }
}

/** A deep copy of a literal, without undefined members and list items (as the resolver leaves them out). */
function copyOf<T>(value: T): T {
  if (Array.isArray(value)) return value.filter((item) => item !== undefined).map((item) => copyOf(item)) as unknown as T;
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    if (member !== undefined) out[key] = copyOf(member);
  }
  return out as T;
}
