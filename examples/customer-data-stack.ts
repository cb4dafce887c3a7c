/**
 * A realistic customer-data stack for a retailer, using every construct of the library.
 * Deployed on the local emulator by `npm run demo`, and deployable to AWS with `cdk deploy`
 * (see examples/app.ts).
 */
import { Duration, RemovalPolicy, Stack, StackProps, Tags } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import {
  AddressAttribute,
  AddressField,
  ContentType,
  DataStore,
  DimensionType,
  Domain,
  DomainObjectType,
  FeatureType,
  Integration,
  IntegrationScope,
  Recommender,
  RecommenderRecipe,
  SegmentDefinition,
  SegmentDimension,
  SegmentInclude,
  SegmentQuery,
} from '../src';

export interface CustomerDataStackProps extends StackProps {
  /**
   * The domain's name.
   * @default 'retail-customers'
   */
  readonly domainName?: string;
}

export class CustomerDataStack extends Stack {
  public readonly domain: Domain;
  public readonly orders: DomainObjectType;
  public readonly products: DomainObjectType;
  public readonly forYou: Recommender;
  public readonly similarItems: Recommender;
  public readonly trending: Recommender;
  public readonly highValue: SegmentDefinition;
  public readonly goldMembers: SegmentDefinition;
  public readonly api: lambda.Function;

  constructor(scope: Construct, id: string, props: CustomerDataStackProps = {}) {
    super(scope, id, props);

    // Customer data is encrypted with a key the team controls.
    const key = new kms.Key(this, 'CustomerDataKey', {
      description: 'Customer Profiles domain key',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Records that fail ingestion land here; the library adds the queue policy for the service.
    const deadLetters = new sqs.Queue(this, 'IngestionDeadLetters', {
      encryption: sqs.QueueEncryption.KMS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    this.domain = new Domain(this, 'Customers', {
      domainName: props.domainName ?? 'retail-customers',
      dataStore: DataStore.enabled({ readinessTimeout: Duration.minutes(45) }),
      defaultExpiration: Duration.days(365),
      encryptionKey: key,
      deadLetterQueue: deadLetters,
    });

    this.orders = this.domain.addObjectType('Orders', {
      objectTypeName: 'Orders',
      description: 'Web and store orders',
      fields: {
        OrderId: { source: '_source.OrderId', target: '_order.OrderId', contentType: ContentType.STRING },
        CustomerId: { source: '_source.CustomerId', target: '_order.CustomerId', contentType: ContentType.STRING },
        Total: { source: '_source.Total', target: '_order.Total', contentType: ContentType.NUMBER },
        Channel: { source: '_source.Channel', target: '_order.Channel', featureType: FeatureType.CATEGORICAL },
      },
    });

    this.products = this.domain.addObjectType('Products', {
      objectTypeName: 'Products',
      description: 'Product catalog used by the recommenders',
      fields: {
        ItemId: { source: '_source.ItemId', target: '_item.Id', contentType: ContentType.STRING },
        Category: { source: '_source.Category', target: '_item.Category', featureType: FeatureType.CATEGORICAL },
        Description: { source: '_source.Description', target: '_item.Description', featureType: FeatureType.TEXTUAL },
        Price: { source: '_source.Price', target: '_item.Price', contentType: ContentType.NUMBER },
      },
    });

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
      events: [{ eventType: 'purchase' }],
      enabled: false,
    });

    this.highValue = this.domain.addSegment('HighValue', {
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

    // Order events arrive on a queue and are ingested at domain level (the release's Scope).
    // Messages that keep failing are moved to the same dead-letter queue as failed ingestion records.
    const orderFeed = new sqs.Queue(this, 'OrderFeed', {
      encryption: sqs.QueueEncryption.KMS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: deadLetters, maxReceiveCount: 5 },
    });
    new Integration(this, 'OrderFeedIntegration', {
      domain: this.domain,
      uri: orderFeed.queueArn,
      integrationScope: IntegrationScope.DOMAIN,
      objectType: this.orders,
    });

    // The storefront API reads recommendations, segment membership and attribute insights.
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
    this.orders.grantReadAttributeInsights(this.api);
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
        appliesTo: [{ regex: '/^Resource::arn:<AWS::Partition>:profile:.*:domains/<[A-Za-z0-9]+\\.DomainName>/object-types/\\*$/g' }],
      },
    ], true);

    Tags.of(this).add('data-classification', 'customer-pii');
    Tags.of(this).add('owner', 'crm-platform');
  }
}
