import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Domain } from '../../src/domain';
import { DomainObjectType } from '../../src/domain-object-type';
import { Recommender } from '../../src/recommender';
import { SegmentDefinition } from '../../src/segment-definition';
import { ENV, profileArn } from '../helpers/child-constructs';

const CENTRAL = 'arn:aws:profile:us-east-1:444455556666:domains/central';

describe('children of a domain imported by ARN from another region and account', () => {
  function setup() {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const domain = Domain.fromDomainArn(stack, 'Central', CENTRAL);
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    return { stack, domain, role };
  }

  test('imported children have ARNs in the domain\'s region and account, not the stack\'s', () => {
    const { stack, domain } = setup();
    expect(stack.resolve(Recommender.fromRecommenderName(stack, 'R', domain, 'ForYou').recommenderArn))
      .toBe(`${CENTRAL}/recommenders/ForYou`);
    expect(stack.resolve(SegmentDefinition.fromSegmentDefinitionName(stack, 'S', domain, 'Gold').segmentDefinitionArn))
      .toBe(`${CENTRAL}/segment-definitions/Gold`);
    expect(stack.resolve(DomainObjectType.fromObjectTypeName(stack, 'O', domain, 'Orders').objectTypeArn))
      .toBe(`${CENTRAL}/domain-object-types/Orders`);
  });

  test('grants name the child ARN next to the domain ARN, both in the domain\'s environment', () => {
    const { stack, domain, role } = setup();
    Recommender.fromRecommenderName(stack, 'R', domain, 'ForYou').grantGetRecommendations(role);
    DomainObjectType.fromObjectTypeName(stack, 'O', domain, 'Orders').grantReadAttributeInsights(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'profile:GetProfileRecommendations', Resource: [`${CENTRAL}/recommenders/ForYou`, CENTRAL] }),
          Match.objectLike({ Resource: [`${CENTRAL}/object-types/Orders`, CENTRAL] }),
        ]),
      },
    });
  });

  test('a domain imported by name keeps the stack\'s region and account', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const domain = Domain.fromDomainName(stack, 'D', 'imported');
    expect(stack.resolve(Recommender.fromRecommenderName(stack, 'R', domain, 'ForYou').recommenderArn))
      .toEqual(profileArn('domains/imported/recommenders/ForYou'));
  });
});
