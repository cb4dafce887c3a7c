/**
 * Integration test for a real account: a recommender stopped and started again by stack updates.
 * Run with credentials by `npx integ-runner --update-on-failed` (see docs/integration-tests.md);
 * CI only checks that the committed snapshot is current.
 *
 * The app has three phases of one CloudFormation stack (three CDK stacks with the same
 * `stackName`, each depending on the one before): `cdk deploy` creates the stack with the
 * recommender running, updates it to `enabled: false` (StopRecommender, the deployment returns
 * once it is INACTIVE), then back to `enabled: true` (StartRecommender, returns once ACTIVE).
 * Each phase's deployment is itself the check of that phase: the construct's handler completes
 * a stop only at INACTIVE and a start only at ACTIVE (it fails the deployment on FAILED or at
 * `timeout`), so a phase that does not reach its status fails the test. The assertion stack
 * checks the final status with GetRecommender. (An assertion inside a phase stack would need
 * integ-tests' `salt`, a new value at every synthesis that integ-runner ignores only in the
 * assertion stack: the snapshot could never be verified.) integ-runner's stack-update workflow
 * stays on: with a committed snapshot it deploys that snapshot first, so the first phase is
 * then also an update, of a recommender the previous version left ACTIVE.
 *
 * Data the account needs: training needs interaction events, and only a trained (ACTIVE)
 * recommender can be stopped. Against the new, empty domain of the committed snapshot the
 * service fails training and the first phase fails with the service's FailureReason. Point the
 * test at a domain with a data store that holds `purchase` events, at least Amazon Personalize's
 * documented minimum (1,000 interactions, 25 users with two or more each; examples/sample-data.ts
 * loads such a set locally):
 * `INTEG_RECOMMENDER_DOMAIN=my-domain npx integ-runner --force test/integ.recommender-start-stop.ts`
 * imports that domain instead of creating one (the recommender is deleted afterwards; the domain
 * is not touched otherwise). The committed snapshot is the variant without it.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { ContentType, DataStore, Domain, FeatureType, IDomain, Recommender, RecommenderRecipe } from '../src';

const STACK_NAME = 'CustomerProfilesIntegRecommenderStartStop';
const existingDomain = process.env.INTEG_RECOMMENDER_DOMAIN;
const app = new App();

/** One phase of the stack: the same construct ids, so the same logical ids, in every phase. */
function phase(id: string, enabled: boolean) {
  const stack = new Stack(app, id, { stackName: STACK_NAME });
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
      },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    domain = created;
  }
  const recommender = new Recommender(stack, 'Trending', {
    domain,
    recipe: RecommenderRecipe.TRENDING_NOW,
    events: [{ eventType: 'purchase' }],
    enabled,
    timeout: Duration.minutes(50),
  });
  return { stack, domain, recommender };
}

const running = phase('RecommenderRunning', true);
const stopped = phase('RecommenderStopped', false);
const started = phase('RecommenderStarted', true);
// Deployed in this order: each phase is an update of the stack the one before left.
stopped.stack.node.addDependency(running.stack);
started.stack.node.addDependency(stopped.stack);

const integ = new IntegTest(app, 'RecommenderStartStopIntegTest', {
  testCases: [running.stack, stopped.stack, started.stack],
});

integ.assertions
  .awsApiCall('CustomerProfiles', 'GetRecommender', {
    DomainName: started.domain.domainName,
    RecommenderName: started.recommender.recommenderName,
  })
  .expect(ExpectedResult.objectLike({
    RecommenderName: started.recommender.recommenderName,
    RecommenderRecipeName: 'trending-now',
    Status: 'ACTIVE',
  }));
