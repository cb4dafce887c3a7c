/**
 * A product team's personalization stack on the platform's domain: recommenders, a SQL and a
 * classic segment, and the storefront function that reads them. The domain is imported by name
 * (`Domain.fromDomainName`), so this stack holds no reference to the platform stack; the app
 * deploys it after the platform stack, and only once the domain holds data: a recommender's
 * training needs interactions of its event types (Amazon Personalize, which the recommender API
 * mirrors, documents at least 1,000, and 25 users with two or more each) and fails without them.
 */
import { Duration, Stack, StackProps, Tags } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { EXAMPLE_DOMAIN_NAME } from './customer-data-stack';
import {
  AddressAttribute,
  AddressField,
  DimensionType,
  Domain,
  IDomain,
  Recommender,
  RecommenderRecipe,
  SegmentDefinition,
  SegmentDimension,
  SegmentInclude,
  SegmentQuery,
} from '../src';

/** The SQL segment's name: the storefront asks for membership by it. */
export const HIGH_VALUE_SEGMENT = 'high-value';

export interface PersonalizationStackProps extends StackProps {
  /**
   * The name of the platform's domain.
   * @default EXAMPLE_DOMAIN_NAME ('retail-customers')
   */
  readonly domainName?: string;
}

export class PersonalizationStack extends Stack {
  public readonly domain: IDomain;
  public readonly forYou: Recommender;
  public readonly similarItems: Recommender;
  public readonly trending: Recommender;
  public readonly highValue: SegmentDefinition;
  public readonly goldMembers: SegmentDefinition;
  public readonly api: lambda.Function;

  constructor(scope: Construct, id: string, props: PersonalizationStackProps = {}) {
    super(scope, id, props);

    this.domain = Domain.fromDomainName(this, 'Customers', props.domainName ?? EXAMPLE_DOMAIN_NAME);

    this.forYou = this.domain.addRecommender('ForYou', {
      recommenderName: 'for-you',
      recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU,
      description: 'Personal picks on the home page',
      events: [
        { eventType: 'purchase', weight: 1 },
        { eventType: 'add-to-cart', weight: 0.5 },
        { eventType: 'view', valueThreshold: 10, weight: 0.1 },
      ],
      trainingFrequency: Duration.days(7),
    });

    this.similarItems = this.domain.addRecommender('SimilarItems', {
      recommenderName: 'similar-items',
      recipe: RecommenderRecipe.SIMILAR_ITEMS,
      events: [{ eventType: 'view' }],
    });

    // Trained, then kept stopped until the holiday campaign: `enabled: true` starts it again.
    this.trending = this.domain.addRecommender('Trending', {
      recommenderName: 'trending-now',
      recipe: RecommenderRecipe.TRENDING_NOW,
      events: [{ eventType: 'purchase' }, { eventType: 'view' }],
      enabled: false,
    });

    this.highValue = this.domain.addSegment('HighValue', {
      segmentDefinitionName: HIGH_VALUE_SEGMENT,
      displayName: 'High value customers',
      description: 'Customers whose lifetime value is above 1000',
      query: SegmentQuery.sql('SELECT * FROM _profile WHERE _profile.Attributes.lifetime_value > 1000'),
    });

    this.goldMembers = this.domain.addSegment('GoldMembers', {
      displayName: 'Gold members in Germany',
      query: SegmentQuery.groups({
        include: SegmentInclude.ALL,
        groups: [{
          dimensionsInclude: SegmentInclude.ALL,
          dimensions: [
            SegmentDimension.customAttribute('tier', DimensionType.INCLUSIVE, ['gold']),
            SegmentDimension.address(AddressAttribute.SHIPPING_ADDRESS, AddressField.COUNTRY, DimensionType.INCLUSIVE, ['DE']),
          ],
        }],
      }),
    });

    // The storefront API reads recommendations and segment membership.
    this.api = new lambda.Function(this, 'StorefrontApi', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline([
        "const { CustomerProfilesClient, GetProfileRecommendationsCommand } = require('@aws-sdk/client-customer-profiles');",
        'const client = new CustomerProfilesClient({});',
        'exports.handler = async (event) => client.send(new GetProfileRecommendationsCommand({',
        '  DomainName: process.env.DOMAIN_NAME, RecommenderName: process.env.RECOMMENDER_NAME, ProfileId: event.profileId,',
        '}));',
      ].join('\n')),
      environment: {
        DOMAIN_NAME: this.domain.domainName,
        RECOMMENDER_NAME: this.forYou.recommenderName,
      },
    });
    this.forYou.grantGetRecommendations(this.api);
    this.similarItems.grantGetRecommendations(this.api);
    this.highValue.grantReadMembership(this.api);
    this.domain.grantReadProfiles(this.api);

    // cdk-nag (AwsSolutions) findings on this stack's own function, with the reasons. The library
    // suppresses the findings on its provider itself.
    NagSuppressions.addResourceSuppressions(this.api, [
      { id: 'AwsSolutions-L1', reason: 'Pinned to nodejs22.x, the runtime the library\'s handler uses and this stack is tested with; raised together with it.' },
      {
        id: 'AwsSolutions-IAM4',
        reason: 'AWSLambdaBasicExecutionRole only allows the function to write its own CloudWatch logs (logs:CreateLogGroup, CreateLogStream, PutLogEvents).',
        appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
      },
      {
        id: 'AwsSolutions-IAM5',
        reason: 'grantReadProfiles: ListProfileObjects is authorized on object types; the wildcard covers the object types of this one domain only (domains/<domain>/object-types/*).',
        appliesTo: [{ regex: '/^Resource::arn:<AWS::Partition>:profile:.*:domains/[A-Za-z0-9_-]+/object-types/\\*$/g' }],
      },
    ], true);

    Tags.of(this).add('owner', 'storefront');
  }
}
