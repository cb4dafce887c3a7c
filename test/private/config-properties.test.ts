import { App, CfnParameter, CfnResource, Fn, Lazy, Stack, Token } from 'aws-cdk-lib';
import { lazyMember, renderConfigProperties } from '../../src/private/config-properties';

/**
 * renderConfigProperties writes a Config as one resource property per member: literals as they
 * are, tokens resolved where they stand, lazy members (tags) produced at synthesis and left out
 * with their key when they produce nothing.
 */
function resolved(build: (stack: Stack) => object): Record<string, unknown> {
  const stack = new Stack(new App(), 'Stack');
  return stack.resolve(renderConfigProperties(build(stack)));
}

describe('renderConfigProperties', () => {
  test('literals keep their types; undefined members are left out at every depth', () => {
    expect(resolved(() => ({
      DomainName: 'a "quoted" \\ name\nwith a line break and ünïcødé',
      Number: 1.5,
      Zero: 0,
      Flag: false,
      Missing: undefined,
      Nested: { List: ['x', 2, true, { Deep: 'y', Gone: undefined }], Empty: {}, EmptyList: [] },
    }))).toEqual({
      DomainName: 'a "quoted" \\ name\nwith a line break and ünïcødé',
      Number: 1.5,
      Zero: 0,
      Flag: false,
      Nested: { List: ['x', 2, true, { Deep: 'y' }], Empty: {}, EmptyList: [] },
    });
  });

  test('tokens become intrinsics in their own fields: references, joined strings, numbers, lists, parameters', () => {
    const out = resolved((stack) => {
      const resource = new CfnResource(stack, 'Thing', { type: 'AWS::Test::Thing' });
      return {
        DomainName: resource.getAtt('Name').toString(),
        Arn: `arn:aws:profile:eu-west-1:111122223333:domains/${resource.ref}`,
        Days: new CfnParameter(stack, 'Days', { type: 'Number' }).valueAsNumber,
        Answer: Token.asNumber(Lazy.number({ produce: () => 42 })),
        Keys: new CfnParameter(stack, 'Keys', { type: 'CommaDelimitedList' }).valueAsList,
        Split: Fn.split(',', 'a,b'),
        Imported: Fn.importValue('Platform:DomainName'),
      };
    });
    expect(out).toEqual({
      DomainName: { 'Fn::GetAtt': ['Thing', 'Name'] },
      Arn: { 'Fn::Join': ['', ['arn:aws:profile:eu-west-1:111122223333:domains/', { Ref: 'Thing' }]] },
      Days: { Ref: 'Days' },
      Answer: 42,
      Keys: { Ref: 'Keys' },
      Split: ['a', 'b'],
      Imported: { 'Fn::ImportValue': 'Platform:DomainName' },
    });
  });

  test('a lazy member is produced at synthesis, and left out with its key when undefined', () => {
    let tags: Record<string, string> | undefined;
    const stack = new Stack(new App(), 'Stack');
    const properties = renderConfigProperties({ DomainName: 'customers', Tags: lazyMember(() => tags), After: 1 });
    expect(stack.resolve(properties)).toEqual({ DomainName: 'customers', After: 1 });
    expect(Object.keys(stack.resolve(properties))).not.toContain('Tags');
    // Produced when resolved, not when rendered: Tags.of() adds tags after construction.
    tags = { team: 'crm', quote: 'a"b' };
    expect(stack.resolve(properties)).toEqual({ DomainName: 'customers', Tags: { team: 'crm', quote: 'a"b' }, After: 1 });
  });

  test('a lazy member may hold tokens, and may come first', () => {
    const stack = new Stack(new App(), 'Stack');
    const team = new CfnParameter(stack, 'Team').valueAsString;
    const properties = renderConfigProperties({ Tags: lazyMember(() => ({ team })), DomainName: 'customers' });
    expect(stack.resolve(properties)).toEqual({ Tags: { team: { Ref: 'Team' } }, DomainName: 'customers' });
  });
});

describe('structures without tokens', () => {
  test('are written whole, a copy at each resolution, so that property overrides never change the construct', () => {
    const stack = new Stack(new App(), 'Stack');
    const config = { DomainName: 'customers', RecommenderConfig: { TrainingFrequency: 7, EventsConfig: { EventParametersList: [{ EventType: 'buy' }] } } };
    const resource = new CfnResource(stack, 'R', { type: 'Custom::Test', properties: renderConfigProperties(config) });
    resource.addPropertyOverride('RecommenderConfig.TrainingFrequency', 14);
    const template = () => stack.resolve((resource as any)._toCloudFormation()).Resources.R.Properties;
    expect(template()).toEqual({ DomainName: 'customers', RecommenderConfig: { TrainingFrequency: 14, EventsConfig: { EventParametersList: [{ EventType: 'buy' }] } } });
    expect(template()).toEqual(template());
    // Written when the construct was built: later changes to the object passed in do not show.
    config.RecommenderConfig.TrainingFrequency = 30;
    expect(template().RecommenderConfig.TrainingFrequency).toBe(14);
    resource.addPropertyDeletionOverride('RecommenderConfig.TrainingFrequency');
    expect(template().RecommenderConfig).toEqual({ EventsConfig: { EventParametersList: [{ EventType: 'buy' }] } });
  });

  test('a structure holding a token is resolved by aws-cdk-lib, which finds cross-stack references in it', () => {
    const app = new App();
    const producer = new Stack(app, 'Producer');
    const thing = new CfnResource(producer, 'Thing', { type: 'AWS::Test::Thing' });
    const consumer = new Stack(app, 'Consumer');
    new CfnResource(consumer, 'R', {
      type: 'Custom::Test',
      properties: renderConfigProperties({ SegmentGroups: { Groups: [{ SourceSegments: [{ SegmentDefinitionName: thing.ref }] }] } }),
    });
    const template = app.synth().getStackByName('Consumer').template;
    expect(template.Resources.R.Properties.SegmentGroups.Groups[0].SourceSegments[0].SegmentDefinitionName).toEqual({ 'Fn::ImportValue': expect.any(String) });
  });
});
