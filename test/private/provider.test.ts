import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ResourceTypes } from '../../src/private/contract';
import { CustomerProfilesProvider, MAX_RESOURCE_TIMEOUT_SECONDS, TOTAL_TIMEOUT } from '../../src/private/provider';

describe('CustomerProfilesProvider', () => {
  test('is a singleton per stack, found from any scope inside it', () => {
    const app = new App();
    const a = new Stack(app, 'A');
    const b = new Stack(app, 'B');
    const nested = new Construct(a, 'Nested');
    expect(CustomerProfilesProvider.of(nested)).toBe(CustomerProfilesProvider.of(a));
    expect(CustomerProfilesProvider.of(b)).not.toBe(CustomerProfilesProvider.of(a));
    expect(CustomerProfilesProvider.of(a).node.path).toBe('A/CustomerProfilesProvider');
  });

  test('leaves a margin between the per-resource deadline and the framework timeout', () => {
    expect(MAX_RESOURCE_TIMEOUT_SECONDS).toBeLessThan(TOTAL_TIMEOUT.toSeconds());
    expect(TOTAL_TIMEOUT.toSeconds()).toBeLessThan(3600);
  });

  test('createResource writes each Config member as a property with its type and depends on the handler role and its policy', () => {
    const stack = new Stack(new App(), 'S');
    const provider = CustomerProfilesProvider.of(stack);
    provider.addToPolicy(new iam.PolicyStatement({ actions: ['profile:GetDomain'], resources: ['arn:aws:profile:eu-west-1:111122223333:domains/d'] }));
    provider.createResource(stack, 'R', ResourceTypes.DOMAIN, { DomainName: 'd', DefaultExpirationDays: 7, WaitForDataStore: true });
    const template = Template.fromStack(stack);
    template.hasResource(ResourceTypes.DOMAIN, {
      Properties: { ServiceToken: Match.anyValue(), DomainName: 'd', DefaultExpirationDays: 7, WaitForDataStore: true, Config: Match.absent() },
      DependsOn: [
        Match.stringLikeRegexp('^CustomerProfilesProviderHandlerServiceRoleDefaultPolicy'),
        Match.stringLikeRegexp('^CustomerProfilesProviderHandlerServiceRole[0-9A-F]{8}$'),
      ],
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyName: Match.stringLikeRegexp('^CustomerProfilesProviderHandlerServiceRoleDefaultPolicy'),
      Roles: [{ Ref: Match.stringLikeRegexp('^CustomerProfilesProviderHandlerServiceRole') }],
    });
  });

  test('a policy past IAM\'s inline limit overflows into managed policies, and resources wait for them too', () => {
    const stack = new Stack(new App(), 'S', { env: { account: '111122223333', region: 'eu-west-1' } });
    const provider = CustomerProfilesProvider.of(stack);
    // 300 exact ARNs of about 90 characters: well past the 10,240 characters IAM allows inline.
    for (let i = 0; i < 300; i++) {
      provider.addToPolicy(new iam.PolicyStatement({
        actions: ['profile:GetRecommender'],
        resources: [`arn:aws:profile:eu-west-1:111122223333:domains/customers/recommenders/recommender-number-${i}`],
      }));
    }
    provider.createResource(stack, 'R', ResourceTypes.DOMAIN, { DomainName: 'd' });
    const template = Template.fromStack(stack);
    const overflow = Object.keys(template.findResources('AWS::IAM::ManagedPolicy'));
    expect(overflow.length).toBeGreaterThan(0);
    const dependsOn = template.findResources(ResourceTypes.DOMAIN).R.DependsOn as string[];
    expect(dependsOn).toEqual(expect.arrayContaining(overflow));
    // Every ARN is still named exactly, in one policy or another.
    const documents = [
      ...Object.values(template.findResources('AWS::IAM::ManagedPolicy')),
      ...Object.values(template.findResources('AWS::IAM::Policy')),
    ].map((r) => JSON.stringify(r.Properties.PolicyDocument));
    for (const i of [0, 150, 299]) {
      expect(documents.some((d) => d.includes(`recommender-number-${i}"`))).toBe(true);
    }
    expect(documents.join('')).not.toContain('recommenders/*');
  });

  test('one handler function serves onEvent and isComplete', () => {
    const stack = new Stack(new App(), 'S');
    CustomerProfilesProvider.of(stack);
    const template = Template.fromStack(stack);
    const handlers = template.findResources('AWS::Lambda::Function', { Properties: { Handler: 'index.handler', Runtime: 'nodejs22.x' } });
    expect(Object.keys(handlers)).toHaveLength(1);
    const handlerId = Object.keys(handlers)[0];
    const handlerArn = { 'Fn::GetAtt': [handlerId, 'Arn'] };
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { USER_ON_EVENT_FUNCTION_ARN: handlerArn, USER_IS_COMPLETE_FUNCTION_ARN: handlerArn } },
    });
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
  });
});
