import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CustomerDataStack } from '../examples/customer-data-stack';

function synth(): Template {
  const app = new App();
  const stack = new CustomerDataStack(app, 'CustomerData', { env: { account: '123456789012', region: 'us-east-1' } });
  return Template.fromStack(stack);
}

describe('the example customer-data stack', () => {
  test('uses every construct of the library, backed by one handler function', () => {
    const template = synth();
    template.resourceCountIs('Custom::CustomerProfilesDomain', 1);
    template.resourceCountIs('Custom::CustomerProfilesDomainObjectType', 2);
    template.resourceCountIs('Custom::CustomerProfilesRecommender', 3);
    template.resourceCountIs('Custom::CustomerProfilesSegmentDefinition', 2);
    template.resourceCountIs('AWS::CustomerProfiles::Integration', 1);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    template.resourcePropertiesCountIs('AWS::Lambda::Function', { Handler: 'index.handler', Runtime: 'nodejs22.x', Architectures: ['arm64'] }, 1);
  });

  test('the storefront function may read recommendations of exactly its two recommenders', () => {
    const template = synth();
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyName: Match.stringLikeRegexp('^StorefrontApiServiceRoleDefaultPolicy'),
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'profile:GetProfileRecommendations', Resource: Match.arrayWith([{ 'Fn::GetAtt': [Match.stringLikeRegexp('^CustomersForYou'), 'RecommenderArn'] }]) }),
        ]),
      },
    });
  });

  test('matches the committed snapshot (a backstop; targeted assertions live in the construct tests)', () => {
    // Asset hashes change with every handler edit; the snapshot guards the template's shape.
    const json = JSON.stringify(synth().toJSON()).replace(/[a-f0-9]{64}(\.zip)?/g, '<asset-hash>$1');
    expect(JSON.parse(json)).toMatchSnapshot();
  });
});
