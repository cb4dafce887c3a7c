/**
 * The platform stack of a retailer: the Customer Profiles domain with its data store, KMS key and
 * dead-letter queue, the object types, and the integration that delivers customer records,
 * products and web events into them. Product teams add recommenders and segments in their own
 * stacks once data has arrived (examples/personalization-stack.ts): a recommender trains on the
 * domain's interactions, and one created on a new, empty domain fails training.
 *
 * Deployed on the local emulator by `npm run demo`, and deployable to AWS with `cdk deploy`
 * (see examples/app.ts).
 */
import { Duration, RemovalPolicy, Stack, StackProps, Tags } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  ContentType,
  DataStore,
  Domain,
  DomainObjectType,
  FeatureType,
  Integration,
  IntegrationObjectTypeMapping,
  IntegrationScope,
} from '../src';

/** The example domain's name, shared by both stacks (the personalization stack imports it by name). */
export const EXAMPLE_DOMAIN_NAME = 'retail-customers';

export interface CustomerDataStackProps extends StackProps {
  /**
   * The domain's name.
   * @default EXAMPLE_DOMAIN_NAME ('retail-customers')
   */
  readonly domainName?: string;
}

/** The platform stack: the domain and how data gets into it. */
export class CustomerDataStack extends Stack {
  public readonly domain: Domain;
  public readonly key: kms.Key;
  public readonly deadLetters: sqs.Queue;
  public readonly customers: DomainObjectType;
  public readonly orders: DomainObjectType;
  public readonly products: DomainObjectType;
  public readonly webEvents: DomainObjectType;
  public readonly feed: sqs.Queue;
  public readonly integration: Integration;

  constructor(scope: Construct, id: string, props: CustomerDataStackProps = {}) {
    super(scope, id, props);

    // Customer data is encrypted with a key the team controls.
    this.key = new kms.Key(this, 'CustomerDataKey', {
      description: 'Customer Profiles domain key',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Records that fail ingestion land here; the library adds the queue policy for the service.
    this.deadLetters = new sqs.Queue(this, 'IngestionDeadLetters', {
      encryption: sqs.QueueEncryption.KMS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    this.domain = new Domain(this, 'Customers', {
      domainName: props.domainName ?? EXAMPLE_DOMAIN_NAME,
      dataStore: DataStore.enabled({ readinessTimeout: Duration.minutes(45) }),
      defaultExpiration: Duration.days(365),
      encryptionKey: this.key,
      deadLetterQueue: this.deadLetters,
    });

    // Customer records make the profiles (found by account number), which segments select.
    this.customers = this.domain.addObjectType('CustomerRecords', {
      objectTypeName: 'Customers',
      description: 'Customer records from the CRM',
      fields: {
        CustomerId: { source: '_source.CustomerId', target: '_profile.AccountNumber', contentType: ContentType.STRING },
        FirstName: { source: '_source.FirstName', target: '_profile.FirstName', contentType: ContentType.STRING },
        Tier: { source: '_source.Tier', target: '_profile.Attributes.tier', featureType: FeatureType.CATEGORICAL },
        LifetimeValue: { source: '_source.LifetimeValue', target: '_profile.Attributes.lifetime_value', contentType: ContentType.NUMBER },
        Country: { source: '_source.Country', target: '_profile.ShippingAddress.Country', contentType: ContentType.STRING },
      },
    });

    this.orders = this.domain.addObjectType('Orders', {
      objectTypeName: 'Orders',
      description: 'Web and store orders',
      fields: {
        OrderId: { source: '_source.OrderId', target: '_order.OrderId', contentType: ContentType.STRING },
        CustomerId: { source: '_source.CustomerId', target: '_profile.AccountNumber', contentType: ContentType.STRING },
        Total: { source: '_source.Total', target: '_order.Total', contentType: ContentType.NUMBER },
        Channel: { source: '_source.Channel', target: '_order.Channel', featureType: FeatureType.CATEGORICAL },
      },
    });

    // The item catalog recommendations are described with.
    this.products = this.domain.addObjectType('Products', {
      objectTypeName: 'Products',
      description: 'Product catalog used by the recommenders',
      fields: {
        ItemId: { source: '_source.ItemId', target: '_item.Id', contentType: ContentType.STRING },
        Name: { source: '_source.Name', target: '_item.Name', contentType: ContentType.STRING },
        Category: { source: '_source.Category', target: '_item.Category', featureType: FeatureType.CATEGORICAL },
        Description: { source: '_source.Description', target: '_item.Description', featureType: FeatureType.TEXTUAL },
        Price: { source: '_source.Price', target: '_item.Price', contentType: ContentType.NUMBER },
      },
    });

    // Views, add-to-carts and purchases: the interactions recommenders train on.
    this.webEvents = this.domain.addObjectType('WebEvents', {
      objectTypeName: 'WebEvents',
      description: 'Storefront events (view, add-to-cart, purchase)',
      fields: {
        EventId: { source: '_source.EventId', target: '_webAnalytics.EventId', contentType: ContentType.STRING },
        CustomerId: { source: '_source.CustomerId', target: '_profile.AccountNumber', contentType: ContentType.STRING },
        EventType: { source: '_source.EventType', target: '_webAnalytics.EventType', featureType: FeatureType.CATEGORICAL },
        ItemId: { source: '_source.ItemId', target: '_webAnalytics.Item.Id', contentType: ContentType.STRING },
        EventValue: { source: '_source.EventValue', target: '_webAnalytics.EventValue', contentType: ContentType.NUMBER },
        Timestamp: { source: '_source.Timestamp', target: '_webAnalytics.EventTimestamp', contentType: ContentType.STRING },
      },
    });

    // Every record arrives on one queue, tagged with its kind, and is ingested at domain level.
    // Messages that keep failing are moved to the same dead-letter queue as failed ingestion records.
    this.feed = new sqs.Queue(this, 'CustomerDataFeed', {
      encryption: sqs.QueueEncryption.KMS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: 5 },
    });
    this.integration = new Integration(this, 'CustomerDataFeedIntegration', {
      domain: this.domain,
      uri: this.feed.queueArn,
      integrationScope: IntegrationScope.DOMAIN,
      objectTypeMappings: [
        IntegrationObjectTypeMapping.fromObjectType('customer', this.customers),
        IntegrationObjectTypeMapping.fromObjectType('order', this.orders),
        IntegrationObjectTypeMapping.fromObjectType('product', this.products),
        IntegrationObjectTypeMapping.fromObjectType('web-event', this.webEvents),
      ],
    });

    Tags.of(this).add('data-classification', 'customer-pii');
    Tags.of(this).add('owner', 'crm-platform');
  }
}
