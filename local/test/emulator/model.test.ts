import { ServiceModel } from '../../src/emulator';
import { validateShape } from '../../src/emulator/validate';

const model = ServiceModel.load();

describe('the service model', () => {
  test('has every operation of the release this library implements, with its HTTP binding', () => {
    expect(model.operation('UpdateRecommender')).toMatchObject({ method: 'PATCH', uri: '/domains/{DomainName}/recommenders/{RecommenderName}' });
    expect(model.operation('StartRecommender')).toMatchObject({ method: 'PUT', uri: '/domains/{DomainName}/recommenders/{RecommenderName}/start' });
    expect(model.operation('GetSegmentMembership')).toMatchObject({ method: 'POST', uri: '/domains/{DomainName}/segments/{SegmentDefinitionName}/membership' });
    expect(model.operations.size).toBeGreaterThan(100);
  });

  test('routes every modeled operation back to itself from its own URI template', () => {
    const misrouted: string[] = [];
    for (const op of model.operations.values()) {
      const [pathPart, queryPart] = op.uri.split('?');
      const path = pathPart.replace(/\{([^}+]+)\+?\}/g, (_, name: string) => encodeURIComponent(`${name.toLowerCase()}:x/y`));
      const match = model.match(op.method, path, new URLSearchParams(queryPart ?? ''));
      if (match?.operation.name !== op.name) misrouted.push(`${op.name} -> ${match?.operation.name}`);
    }
    expect(misrouted).toEqual([]);
  });

  test('decodes labels, keeping an encoded slash inside its label', () => {
    const arn = 'arn:aws:profile:us-east-1:123456789012:domains/D/recommenders/R';
    const match = model.match('GET', `/tags/${encodeURIComponent(arn)}`, new URLSearchParams());
    expect(match?.operation.name).toBe('ListTagsForResource');
    expect(match?.labels).toEqual({ resourceArn: arn });
    expect(model.match('GET', '/domains/caf%C3%A9', new URLSearchParams())?.labels).toEqual({ DomainName: 'café' });
    expect(model.match('GET', '/domains/a/b/c/d/e/f/g', new URLSearchParams())).toBeUndefined();
  });

  test('applies the TagArn pattern erratum as a prefix', () => {
    const shape = 'com.amazonaws.customerprofiles#ListTagsForResourceRequest';
    expect(validateShape(model, shape, { resourceArn: 'arn:aws:profile:us-east-1:123456789012:domains/D' })).toEqual([]);
    expect(validateShape(model, shape, { resourceArn: 'arn:aws:sqs:us-east-1:123456789012:q' })).toEqual([
      "Value 'arn:aws:sqs:us-east-1:123456789012:q' at 'resourceArn' failed to satisfy constraint: Member must satisfy regular expression pattern: ^arn:[a-z0-9]{1,10}:profile:",
    ]);
  });

  test('never echoes the value of a sensitive member', () => {
    const errors = validateShape(model, 'com.amazonaws.customerprofiles#CreateSegmentDefinitionRequest', {
      DomainName: 'D', SegmentDefinitionName: 'S', DisplayName: 'S', SegmentSqlQuery: 'x'.repeat(50_001),
    });
    expect(errors).toEqual(["Value at 'SegmentSqlQuery' failed to satisfy constraint: Member must have length less than or equal to 50000"]);
  });

  test('checks unions, list lengths and nested required members', () => {
    const errors = validateShape(model, 'com.amazonaws.customerprofiles#CreateRecommenderRequest', {
      DomainName: 'D',
      RecommenderName: 'R',
      RecommenderRecipeName: 'similar-items',
      RecommenderConfig: { EventsConfig: { EventParametersList: [] } },
    });
    expect(errors).toEqual([
      "Value at 'RecommenderConfig.EventsConfig.EventParametersList' failed to satisfy constraint: Member must have length greater than or equal to 1",
    ]);
    expect(validateShape(model, 'com.amazonaws.customerprofiles#EventParameters', { EventWeight: 0.5 }))
      .toEqual(["Value null at 'EventType' failed to satisfy constraint: Member must not be null"]);
  });
});
