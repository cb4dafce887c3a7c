/**
 * Integration test for a real account: a domain with its data store, a dead-letter queue, an
 * object type and an SQL segment. Run with credentials by `npx integ-runner --update-on-failed`
 * (see docs/integration-tests.md); CI only checks that the committed snapshot is current.
 *
 * Everything is destroyed afterwards: the domain and the object type, retained by default,
 * are given RemovalPolicy.DESTROY here.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ContentType, DataStore, Domain, FeatureType, SegmentQuery } from '../src';

const app = new App();
const stack = new Stack(app, 'CustomerProfilesIntegDomain');

const deadLetters = new sqs.Queue(stack, 'DeadLetters', { enforceSSL: true });
const domain = new Domain(stack, 'Customers', {
  dataStore: DataStore.enabled({ readinessTimeout: Duration.minutes(50) }),
  defaultExpiration: Duration.days(30),
  deadLetterQueue: deadLetters,
  removalPolicy: RemovalPolicy.DESTROY,
});

const orders = domain.addObjectType('Orders', {
  description: 'Orders of the integration test',
  fields: {
    OrderId: { source: '_source.OrderId', target: '_order.OrderId', contentType: ContentType.STRING },
    Total: { source: '_source.Total', target: '_order.Total', contentType: ContentType.NUMBER },
    Channel: { source: '_source.Channel', target: '_order.Channel', featureType: FeatureType.CATEGORICAL },
  },
  removalPolicy: RemovalPolicy.DESTROY,
});

const segment = domain.addSegment('Gold', {
  displayName: 'Gold tier',
  query: SegmentQuery.sql("SELECT * FROM _profile WHERE _profile.Attributes.tier = 'gold'"),
});

const integ = new IntegTest(app, 'DomainIntegTest', {
  testCases: [stack],
  // Deploying the previous snapshot first would wait twice for a data store; the update paths
  // are covered by the lifecycle tests on the emulator.
  stackUpdateWorkflow: false,
});

// The deployment returned only after the data store was ready: GetDomain says 100 %.
integ.assertions
  .awsApiCall('CustomerProfiles', 'GetDomain', { DomainName: domain.domainName })
  .expect(ExpectedResult.objectLike({
    DomainName: domain.domainName,
    DefaultExpirationDays: 30,
    DeadLetterQueueUrl: deadLetters.queueUrl,
    DataStore: { Enabled: true, Readiness: { ProgressPercentage: 100 } },
  }));

integ.assertions
  .awsApiCall('CustomerProfiles', 'GetDomainObjectType', {
    DomainName: domain.domainName,
    ObjectTypeName: orders.objectTypeName,
  })
  .expect(ExpectedResult.objectLike({
    ObjectTypeName: orders.objectTypeName,
    Description: 'Orders of the integration test',
  }));

integ.assertions
  .awsApiCall('CustomerProfiles', 'GetSegmentDefinition', {
    DomainName: domain.domainName,
    SegmentDefinitionName: segment.segmentDefinitionName,
  })
  .expect(ExpectedResult.objectLike({
    SegmentDefinitionName: segment.segmentDefinitionName,
    DisplayName: 'Gold tier',
    SegmentType: 'ENHANCED',
  }));
