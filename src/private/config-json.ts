import { Lazy, Reference, Stack, Token, Tokenization } from 'aws-cdk-lib';

/**
 * Renders a custom resource's `Config` (the desired state, see contract.ts) as a JSON string.
 *
 * The result is what `Stack.toJsonString(config)` renders, character for character, but it is
 * written once, when the construct is built, instead of being a token that stringifies the whole
 * document again at every resolution (aws-cdk-lib resolves each resource's properties at least
 * twice: once to find cross-stack references, once to write the template). Only the parts that
 * really are tokens stay tokens:
 * - a literal (string, number, boolean) is written with `JSON.stringify`, which escapes it;
 * - a string that is exactly one reference to a resource attribute stays that token, in quotes:
 *   it always resolves to an intrinsic;
 * - any other token (string, number or list) becomes `Stack.toJsonString(token)`, a small token
 *   that resolves to that value's JSON text (an intrinsic, or an escaped literal when the token
 *   resolves to one at synthesis), so quotes in synth-time values cannot break the document;
 * - a {@link lazyMember} (tags, which `Tags.of()` may add to until synthesis) is produced when the
 *   template is written, and left out, key included, when it produces `undefined`.
 * Members whose value is `undefined` are left out, as `JSON.stringify` does.
 */
export function renderConfigJson(scope: Stack, config: object): string {
  return renderValue(scope, config);
}

/** A Config member rendered at synthesis (its key is left out when `produce` returns undefined). */
export class LazyMember {
  constructor(public readonly produce: () => unknown) {}
}

/**
 * A Config member whose value is known only at synthesis, such as tags (`Tags.of()` is an aspect).
 * Typed as `T` so that it fits the Config interfaces of contract.ts.
 */
export function lazyMember<T>(produce: () => T | undefined): T {
  return new LazyMember(produce) as unknown as T;
}

function renderValue(stack: Stack, value: unknown): string {
  if (value === null || typeof value === 'boolean') {
    return JSON.stringify(value);
  }
  if (typeof value === 'string') {
    if (!Token.isUnresolved(value)) {
      return JSON.stringify(value);
    }
    // A string that is one reference to a resource attribute (the domain's name, a key's ARN)
    // resolves to an intrinsic (Ref, Fn::GetAtt or, across stacks, Fn::ImportValue), never to a
    // literal: quoted, it renders as `toJsonString` would render it, without a token of its own.
    const fragments = Tokenization.reverseString(value);
    return fragments.length === 1 && Reference.isReference(fragments.firstToken) ? `"${value}"` : stack.toJsonString(value);
  }
  if (typeof value === 'number') {
    return Token.isUnresolved(value) ? stack.toJsonString(value) : JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    if (Token.isUnresolved(value)) {
      return stack.toJsonString(value);
    }
    return `[${value.map((item) => (item === undefined ? 'null' : renderValue(stack, item))).join(',')}]`;
  }
  if (typeof value === 'object' && value !== null) {
    if (Tokenization.isResolvable(value)) {
      return stack.toJsonString(value);
    }
    return renderObject(stack, value as Record<string, unknown>);
  }
  throw new Error(`Config holds a value JSON cannot represent: ${typeof value}`);
}

function renderObject(stack: Stack, object: Record<string, unknown>): string {
  let out = '{';
  let first = true;
  for (const [key, value] of Object.entries(object)) {
    if (value === undefined) {
      continue;
    }
    if (value instanceof LazyMember) {
      if (first) {
        // The separator of a member that may vanish is written by the member itself, after an
        // earlier one: the Config interfaces never start with one (DomainName comes first).
        throw new Error(`Config member '${key}' is produced at synthesis and cannot come first`);
      }
      out += Lazy.uncachedString({
        produce: () => {
          const produced = value.produce();
          return produced === undefined ? '' : `,${JSON.stringify(key)}:${renderValue(stack, produced)}`;
        },
      });
      continue;
    }
    out += `${first ? '' : ','}${JSON.stringify(key)}:${renderValue(stack, value)}`;
    first = false;
  }
  return `${out}}`;
}
