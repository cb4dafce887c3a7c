import { App, CfnParameter, CfnResource, Fn, Lazy, Stack, Token } from 'aws-cdk-lib';
import { lazyMember, renderConfigJson } from '../src/private/config-json';

/**
 * renderConfigJson must render exactly what `Stack.toJsonString` renders (the Config contract of
 * contract.ts, and templates of deployed stacks that must not change), for literals and for every
 * kind of token, while writing literals once instead of at every resolution.
 */
function both(build: (stack: Stack) => object): { fast: unknown; reference: unknown } {
  const stack = new Stack(new App(), 'Stack');
  const config = build(stack);
  return {
    fast: stack.resolve(renderConfigJson(stack, config)),
    reference: stack.resolve(stack.toJsonString(config)),
  };
}

describe('renderConfigJson', () => {
  test('literals: strings with quotes, backslashes, newlines and unicode; numbers; booleans; nesting; undefined members dropped', () => {
    const { fast, reference } = both(() => ({
      DomainName: 'a "quoted" \\ name\nwith a line break and ünïcødé',
      Number: 1.5,
      Zero: 0,
      Negative: -3,
      Flag: false,
      Missing: undefined,
      Nested: { List: ['x', 2, true, { Deep: 'y' }], Empty: {}, EmptyList: [] },
    }));
    expect(fast).toEqual(reference);
    expect(JSON.parse(fast as string)).toEqual({
      DomainName: 'a "quoted" \\ name\nwith a line break and ünïcødé',
      Number: 1.5,
      Zero: 0,
      Negative: -3,
      Flag: false,
      Nested: { List: ['x', 2, true, { Deep: 'y' }], Empty: {}, EmptyList: [] },
    });
  });

  test('references to resource attributes, alone and inside longer strings', () => {
    const { fast, reference } = both((stack) => {
      const resource = new CfnResource(stack, 'Thing', { type: 'AWS::Test::Thing' });
      return {
        DomainName: resource.getAtt('Name').toString(),
        Arn: `arn:aws:profile:${stack.region}:${stack.account}:domains/${resource.ref}`,
        Tail: 'literal',
      };
    });
    expect(fast).toEqual(reference);
    expect(JSON.stringify(fast)).toContain('Fn::GetAtt');
  });

  test('a token that resolves to a literal with quotes at synthesis is escaped, not spliced in raw', () => {
    const { fast, reference } = both(() => ({
      DomainName: 'customers',
      Description: Lazy.string({ produce: () => 'say "hi" \\ bye' }),
    }));
    expect(fast).toEqual(reference);
    expect(JSON.parse(fast as string).Description).toBe('say "hi" \\ bye');
  });

  test('number, list and parameter tokens', () => {
    const { fast, reference } = both((stack) => ({
      DomainName: 'customers',
      Days: new CfnParameter(stack, 'Days', { type: 'Number' }).valueAsNumber,
      Doubled: Token.asNumber(Lazy.number({ produce: () => 42 })),
      Keys: new CfnParameter(stack, 'Keys', { type: 'CommaDelimitedList' }).valueAsList,
      Split: Fn.split(',', 'a,b'),
      Name: new CfnParameter(stack, 'Name').valueAsString,
    }));
    expect(fast).toEqual(reference);
  });

  test('a lazy member is produced at synthesis, and left out with its key when undefined', () => {
    let tags: Record<string, string> | undefined;
    const build = () => ({ DomainName: 'customers', Tags: lazyMember(() => tags), After: 1 });
    const stack = new Stack(new App(), 'Stack');
    const rendered = renderConfigJson(stack, build());
    expect(stack.resolve(rendered)).toBe('{"DomainName":"customers","After":1}');
    // Produced when resolved, not when rendered: Tags.of() adds tags after construction.
    tags = { team: 'crm', quote: 'a"b' };
    expect(JSON.parse(stack.resolve(rendered))).toEqual({ DomainName: 'customers', Tags: { team: 'crm', quote: 'a"b' }, After: 1 });
    expect(stack.resolve(rendered)).toBe(stack.resolve(stack.toJsonString({ DomainName: 'customers', Tags: tags, After: 1 })));
  });

  test('a lazy member holding tokens renders them as toJsonString does', () => {
    const stack = new Stack(new App(), 'Stack');
    const name = new CfnParameter(stack, 'Team').valueAsString;
    const rendered = renderConfigJson(stack, { DomainName: 'customers', Tags: lazyMember(() => ({ team: name })) });
    expect(stack.resolve(rendered)).toEqual(stack.resolve(stack.toJsonString({ DomainName: 'customers', Tags: { team: name } })));
  });

  test('a lazy member may not come first (its separator is written after an earlier member)', () => {
    const stack = new Stack(new App(), 'Stack');
    expect(() => renderConfigJson(stack, { Tags: lazyMember(() => undefined), DomainName: 'x' })).toThrow(/cannot come first/);
  });
});
