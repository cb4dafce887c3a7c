/**
 * Integration test for a real account: an object type changed in place. Run with credentials by
 * `npx integ-runner --update-on-failed` (see docs/integration-tests.md); CI only checks that the
 * committed snapshot is current.
 *
 * The update is a stack update: the app has two phases of one CloudFormation stack (two CDK
 * stacks with the same `stackName`, the second depending on the first), so `cdk deploy` creates
 * the stack with the first phase and then updates it to the second, in which the object type has
 * one more field. The assertions run after the last phase. The stack-update workflow of
 * integ-runner stays on: with a committed snapshot it deploys that snapshot first, so a change of
 * the constructs is also tested as an update of what the previous version deployed.
 *
 * The service only accepts object types in a domain with a data store, so the first phase waits
 * for its readiness (minutes to tens of minutes). Everything is destroyed afterwards (the domain
 * and the object type are given RemovalPolicy.DESTROY).
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { ContentType, DataStore, Domain, DomainObjectTypeField, FeatureType } from '../src';

const STACK_NAME = 'CustomerProfilesIntegObjectType';
const app = new App();

const baseFields: { [name: string]: DomainObjectTypeField } = {
  OrderId: { source: '_source.OrderId', target: '_order.OrderId', contentType: ContentType.STRING },
  Total: { source: '_source.Total', target: '_order.Total', contentType: ContentType.NUMBER },
};

/** One phase of the stack: the same construct ids, so the same logical ids, in every phase. */
function phase(id: string, fields: { [name: string]: DomainObjectTypeField }) {
  const stack = new Stack(app, id, { stackName: STACK_NAME });
  const domain = new Domain(stack, 'Customers', {
    dataStore: DataStore.enabled({ readinessTimeout: Duration.minutes(50) }),
    defaultExpiration: Duration.days(30),
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const orders = domain.addObjectType('Orders', {
    description: 'Orders of the integration test',
    fields,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  return { stack, domain, orders };
}

const created = phase('ObjectTypeCreated', baseFields);
const updated = phase('ObjectTypeFieldAdded', {
  ...baseFields,
  Channel: { source: '_source.Channel', target: '_order.Channel', featureType: FeatureType.CATEGORICAL },
});
// Deployed in this order: the second phase is an update of the stack the first created.
updated.stack.node.addDependency(created.stack);

const integ = new IntegTest(app, 'ObjectTypeIntegTest', {
  testCases: [created.stack, updated.stack],
});

// After the update: the object type has the added field, and the first two are unchanged.
integ.assertions
  .awsApiCall('CustomerProfiles', 'GetDomainObjectType', {
    DomainName: updated.domain.domainName,
    ObjectTypeName: updated.orders.objectTypeName,
  })
  .expect(ExpectedResult.objectLike({
    ObjectTypeName: updated.orders.objectTypeName,
    Description: 'Orders of the integration test',
    Fields: {
      OrderId: { Source: '_source.OrderId', Target: '_order.OrderId', ContentType: 'STRING' },
      Total: { Source: '_source.Total', Target: '_order.Total', ContentType: 'NUMBER' },
      Channel: Match.objectLike({ Source: '_source.Channel', Target: '_order.Channel' }),
    },
  }));
