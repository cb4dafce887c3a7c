/**
 * Integration test for a real account: recommenders, one running and one stopped, on a domain
 * with its data store and an item catalog object type. Run with credentials by
 * `npx integ-runner --update-on-failed` (see docs/integration-tests.md); CI only checks that the
 * committed snapshot is current.
 *
 * Training needs interaction data. Against a new, empty domain the service fails training and
 * the deployment fails with the service's FailureReason (the handler's path for FAILED). To
 * train for real, point the test at a domain with a data store that holds events:
 * `INTEG_RECOMMENDER_DOMAIN=my-domain npx integ-runner --force test/integ.recommender.ts`
 * imports that domain instead of creating one (the recommenders are deleted afterwards; the
 * domain is not touched otherwise). The committed snapshot is the variant without it.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { ContentType, DataStore, Domain, FeatureType, IDomain, Recommender, RecommenderRecipe } from '../src';

const app = new App();
const stack = new Stack(app, 'CustomerProfilesIntegRecommender');

const existingDomain = process.env.INTEG_RECOMMENDER_DOMAIN;
let domain: IDomain;
if (existingDomain) {
  domain = Domain.fromDomainName(stack, 'Customers', existingDomain);
} else {
  const created = new Domain(stack, 'Customers', {
    dataStore: DataStore.enabled(),
    defaultExpiration: Duration.days(30),
    removalPolicy: RemovalPolicy.DESTROY,
  });
  created.addObjectType('Products', {
    fields: {
      ItemId: { source: '_source.ItemId', target: '_item.Id', contentType: ContentType.STRING },
      Category: { source: '_source.Category', target: '_item.Category', featureType: FeatureType.CATEGORICAL },
      Price: { source: '_source.Price', target: '_item.Price', contentType: ContentType.NUMBER },
    },
    removalPolicy: RemovalPolicy.DESTROY,
  });
  domain = created;
}

// Trained and serving: the deployment returns once it is ACTIVE.
const running = new Recommender(stack, 'ForYou', {
  domain,
  recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU,
  events: [{ eventType: 'purchase', weight: 1 }, { eventType: 'view', weight: 0.2 }],
  trainingFrequency: Duration.days(7),
  timeout: Duration.minutes(50),
});

// Trained, then stopped (StopRecommender): the deployment returns once it is INACTIVE.
const stopped = new Recommender(stack, 'Trending', {
  domain,
  recipe: RecommenderRecipe.TRENDING_NOW,
  events: [{ eventType: 'purchase' }],
  enabled: false,
  timeout: Duration.minutes(50),
});

const integ = new IntegTest(app, 'RecommenderIntegTest', {
  testCases: [stack],
  stackUpdateWorkflow: false,
});

integ.assertions
  .awsApiCall('CustomerProfiles', 'GetRecommender', {
    DomainName: domain.domainName,
    RecommenderName: running.recommenderName,
  })
  .expect(ExpectedResult.objectLike({
    RecommenderName: running.recommenderName,
    RecommenderRecipeName: 'recommended-for-you',
    Status: 'ACTIVE',
  }));

integ.assertions
  .awsApiCall('CustomerProfiles', 'GetRecommender', {
    DomainName: domain.domainName,
    RecommenderName: stopped.recommenderName,
  })
  .expect(ExpectedResult.objectLike({
    RecommenderName: stopped.recommenderName,
    RecommenderRecipeName: 'trending-now',
    Status: 'INACTIVE',
  }));
