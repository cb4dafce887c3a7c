/**
 * Integration test for a real account: SQL segments, created and then changed by a stack update.
 * Run with credentials by `npx integ-runner --update-on-failed` (see docs/integration-tests.md);
 * CI only checks that the committed snapshot is current.
 *
 * The app has two phases of one CloudFormation stack (two CDK stacks with the same `stackName`,
 * the second depending on the first): `cdk deploy` creates the stack with the first phase, then
 * updates it to the second, in which both queries changed. Customer Profiles cannot update a
 * segment definition, so the two ways the construct replaces one are exercised: `Gold` has the
 * generated name, which ends with a hash of the content (a new definition under a new name,
 * CloudFormation deletes the old one), and `HighValue` an explicit name (validated, deleted and
 * created again under the same name). The assertions run after the last phase. integ-runner's
 * stack-update workflow stays on: with a committed snapshot it deploys that snapshot first.
 *
 * SQL (ENHANCED) segments need the domain's data store: the first phase waits for its readiness
 * (minutes to tens of minutes). Everything is destroyed afterwards.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { DataStore, Domain, SegmentQuery } from '../src';

const STACK_NAME = 'CustomerProfilesIntegSegment';
const HIGH_VALUE_NAME = 'integ-high-value';
const app = new App();

interface Queries {
  readonly gold: string;
  readonly highValue: string;
}

/** One phase of the stack: the same construct ids, so the same logical ids, in every phase. */
function phase(id: string, queries: Queries) {
  const stack = new Stack(app, id, { stackName: STACK_NAME });
  const domain = new Domain(stack, 'Customers', {
    dataStore: DataStore.enabled({ readinessTimeout: Duration.minutes(50) }),
    defaultExpiration: Duration.days(30),
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const gold = domain.addSegment('Gold', {
    displayName: 'Gold tier',
    description: 'Profiles of the gold tier',
    query: SegmentQuery.sql(queries.gold),
  });
  const highValue = domain.addSegment('HighValue', {
    segmentDefinitionName: HIGH_VALUE_NAME,
    displayName: 'High value',
    query: SegmentQuery.sql(queries.highValue),
  });
  return { stack, domain, gold, highValue };
}

const created = phase('SegmentsCreated', {
  gold: "SELECT * FROM _profile WHERE _profile.Attributes.tier = 'gold'",
  highValue: 'SELECT * FROM _profile WHERE _profile.Attributes.lifetime_value > 1000',
});
const changedQueries: Queries = {
  gold: "SELECT * FROM _profile WHERE _profile.Attributes.tier = 'gold' OR _profile.Attributes.tier = 'platinum'",
  highValue: 'SELECT * FROM _profile WHERE _profile.Attributes.lifetime_value > 5000',
};
const changed = phase('SegmentsChanged', changedQueries);
// Deployed in this order: the second phase is an update of the stack the first created.
changed.stack.node.addDependency(created.stack);

const integ = new IntegTest(app, 'SegmentIntegTest', {
  testCases: [created.stack, changed.stack],
});

// The generated name changed with the query: the definition under the new name has the new query.
integ.assertions
  .awsApiCall('CustomerProfiles', 'GetSegmentDefinition', {
    DomainName: changed.domain.domainName,
    SegmentDefinitionName: changed.gold.segmentDefinitionName,
  })
  .expect(ExpectedResult.objectLike({
    SegmentDefinitionName: changed.gold.segmentDefinitionName,
    DisplayName: 'Gold tier',
    Description: 'Profiles of the gold tier',
    SegmentSqlQuery: changedQueries.gold,
    SegmentType: 'ENHANCED',
  }));

// The explicit name stayed: the definition was created again under it, with the new query.
integ.assertions
  .awsApiCall('CustomerProfiles', 'GetSegmentDefinition', {
    DomainName: changed.domain.domainName,
    SegmentDefinitionName: HIGH_VALUE_NAME,
  })
  .expect(ExpectedResult.objectLike({
    SegmentDefinitionName: HIGH_VALUE_NAME,
    DisplayName: 'High value',
    SegmentSqlQuery: changedQueries.highValue,
    SegmentType: 'ENHANCED',
  }));
