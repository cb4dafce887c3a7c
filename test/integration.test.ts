import { App, CfnElement, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { CfnResource, dependencyGraph, dependsOnList, referencedIds, waves } from '../local/src/deploy/template';
import { DataStore, Domain } from '../src';
import { DomainObjectType } from '../src/domain-object-type';
import { Integration, IntegrationObjectTypeMapping, IntegrationScope } from '../src/integration';

const QUEUE_ARN = 'arn:aws:sqs:us-east-1:123456789012:orders-feed';

function setup() {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
  const domain = new Domain(stack, 'Customers', { domainName: 'customers', dataStore: DataStore.enabled() });
  const orders = new DomainObjectType(stack, 'Orders', {
    domain,
    objectTypeName: 'Orders',
    fields: { Id: { source: '_source.Id', target: '_order.Id' } },
  });
  return { stack, domain, orders };
}

describe('Integration', () => {
  test('creates an integration with the release\'s Scope and one of this library\'s object types', () => {
    const { stack, domain, orders } = setup();
    new Integration(stack, 'Feed', { domain, uri: QUEUE_ARN, integrationScope: IntegrationScope.DOMAIN, objectType: orders });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CustomerProfiles::Integration', {
      DomainName: { 'Fn::GetAtt': ['Customers6955EA0A', 'DomainName'] },
      Uri: QUEUE_ARN,
      Scope: 'DOMAIN',
      // A reference to the object type's custom resource: the integration waits for it.
      ObjectTypeName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Orders'), 'ObjectTypeName'] },
    });
    const [resource] = Object.values(template.findResources('AWS::CustomerProfiles::Integration'));
    expect(resource.DeletionPolicy).toBe('Delete');
  });

  test.each([
    ['objectType', (orders: DomainObjectType) => ({ objectType: orders })],
    ['objectTypeMappings', (orders: DomainObjectType) => ({ objectTypeMappings: [IntegrationObjectTypeMapping.fromObjectType('order', orders)] })],
  ])('with %s, is created after its domain and object type, with no DependsOn its references already imply', (_name, target) => {
    const { stack, domain, orders } = setup();
    new Integration(stack, 'Feed', { domain, uri: QUEUE_ARN, ...target(orders) });
    const resources = Template.fromStack(stack).toJSON().Resources as Record<string, CfnResource>;
    const [id, integration] = Object.entries(resources).find(([, r]) => r.Type === 'AWS::CustomerProfiles::Integration')!;
    const ids = (construct: Construct) => stack.resolve((construct.node.defaultChild as CfnElement).logicalId);

    // The object type must exist before the integration names it; the references carry that order.
    const order = waves(dependencyGraph(resources));
    const waveOf = (logicalId: string) => order.findIndex((wave) => wave.includes(logicalId));
    expect(waveOf(ids(orders))).toBeGreaterThan(waveOf(ids(domain)));
    expect(waveOf(id)).toBeGreaterThan(waveOf(ids(orders)));
    // A DependsOn on a resource it already references is redundant (cfn-lint W3005).
    const referenced = referencedIds(integration.Properties ?? {});
    expect(dependsOnList(integration).filter((dep) => referenced.has(dep))).toEqual([]);
  });

  test('maps several source keys to object types, constructs or names', () => {
    const { stack, domain, orders } = setup();
    new Integration(stack, 'Feed', {
      domain,
      uri: QUEUE_ARN,
      integrationScope: IntegrationScope.PROFILE,
      objectTypeMappings: [
        IntegrationObjectTypeMapping.fromObjectType('order', orders),
        IntegrationObjectTypeMapping.fromName('customer', 'CustomerProfile'),
      ],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::CustomerProfiles::Integration', {
      Scope: 'PROFILE',
      ObjectTypeNames: [
        { Key: 'order', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Orders'), 'ObjectTypeName'] } },
        { Key: 'customer', Value: 'CustomerProfile' },
      ],
    });
  });

  test('IntegrationScope.of passes scopes the library does not know yet', () => {
    expect(IntegrationScope.of('ACCOUNT').value).toBe('ACCOUNT');
  });

  test('Tags.of reaches the integration, and the removal policy can be changed', () => {
    const { stack, domain, orders } = setup();
    const feed = new Integration(stack, 'Feed', { domain, uri: QUEUE_ARN, objectType: orders, removalPolicy: RemovalPolicy.RETAIN });
    Tags.of(feed).add('team', 'crm');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CustomerProfiles::Integration', { Tags: [{ Key: 'team', Value: 'crm' }] });
    expect(Object.values(template.findResources('AWS::CustomerProfiles::Integration'))[0].DeletionPolicy).toBe('Retain');
  });

  test('an integration with a flow definition is named by the AppFlow flow ARN', () => {
    const { stack, domain } = setup();
    const feed = new Integration(stack, 'Flow', {
      domain,
      objectTypeName: 'Orders',
      flowDefinition: {
        flowName: 'orders-flow',
        kmsArn: 'arn:aws:kms:us-east-1:123456789012:key/abc',
        sourceFlowConfig: { connectorType: 'S3', sourceConnectorProperties: { s3: { bucketName: 'b' } } },
        tasks: [{ sourceFields: ['a'], taskType: 'Filter' }],
        triggerConfig: { triggerType: 'OnDemand' },
      },
    });
    expect(stack.resolve(feed.integrationUri)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':appflow:us-east-1:123456789012:flow/orders-flow']],
    });
  });

  test('imports an integration from its attributes', () => {
    const { stack } = setup();
    const imported = Integration.fromIntegrationAttributes(stack, 'Imported', { domainName: 'customers', uri: QUEUE_ARN });
    expect(imported.integrationRef).toEqual({ domainName: 'customers', uri: QUEUE_ARN });
  });

  test.each([
    ['neither uri nor flowDefinition', {}, /uri \/ flowDefinition must be given exactly once between them, got 0/],
    ['no object type', { uri: QUEUE_ARN, objectType: undefined }, /objectType \/ objectTypeName \/ objectTypeMappings must be given exactly once between them, got 0/],
    ['two object type forms', { uri: QUEUE_ARN, objectTypeName: 'Orders', objectTypeMappings: [IntegrationObjectTypeMapping.fromName('k', 'Orders')] }, /must be given exactly once between them, got 2/],
    ['an object type name with a bad character', { uri: QUEUE_ARN, objectTypeName: '9orders' }, /objectTypeName must match/],
    ['a uri over 255 characters', { uri: 'x'.repeat(256), objectTypeName: 'Orders' }, /uri must be 1-255 characters long/],
    ['two event triggers', { uri: QUEUE_ARN, objectTypeName: 'Orders', eventTriggerNames: ['a', 'b'] }, /eventTriggerNames must have 1-1 entries, got 2/],
  ])('rejects %s', (_name, props, message) => {
    const { stack, domain } = setup();
    expect(() => new Integration(stack, 'Bad', { domain, ...props })).toThrow(message);
  });
});
