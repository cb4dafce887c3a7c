import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { DataStore, Domain, RecommenderRecipe, SegmentQuery } from '../src';
import { LocalDeployment } from '../src/local/deploy';

/**
 * A platform team owns the domain stack; a product team's stack adds to the domain by its name
 * (Domain.fromDomainName), without a reference to the platform stack, and says so with an
 * explicit stack dependency.
 */
function platformApp(): App {
  const app = new App();
  const platform = new Stack(app, 'PlatformCustomers');
  new Domain(platform, 'Customers', {
    domainName: 'shared-customers',
    dataStore: DataStore.enabled(),
    defaultExpiration: Duration.days(365),
  });

  const team = new Stack(app, 'TeamRecommendations');
  team.addDependency(platform, 'the domain is imported by name');
  const shared = Domain.fromDomainName(team, 'Shared', 'shared-customers');
  shared.addObjectType('Products', {
    objectTypeName: 'Products',
    fields: { ItemId: { source: '_source.ItemId', target: '_item.Id' } },
    removalPolicy: RemovalPolicy.DESTROY,
  });
  shared.addRecommender('Similar', {
    recommenderName: 'similar-items',
    recipe: RecommenderRecipe.SIMILAR_ITEMS,
    events: [{ eventType: 'view' }],
  });
  shared.addSegment('Browsers', {
    displayName: 'Frequent browsers',
    query: SegmentQuery.sql('SELECT * FROM _profile WHERE _profile.Attributes.visits > 10'),
  });
  return app;
}

describe('a platform stack and a team stack that uses its domain by name', () => {
  let local: LocalDeployment;
  beforeAll(async () => {
    local = await LocalDeployment.start({ fast: 3000 });
  });
  afterAll(async () => {
    await local.stop();
  });

  test('deploy in dependency order: the team\'s resources land in the platform\'s domain', async () => {
    const result = await local.deploy(platformApp());
    expect(result.stacks.map((s) => [s.stackName, s.status])).toEqual([
      ['PlatformCustomers', 'CREATE_COMPLETE'],
      ['TeamRecommendations', 'CREATE_COMPLETE'],
    ]);
    expect(local.emulator.state.objectType('shared-customers', 'Products')).toBeDefined();
    expect(local.emulator.state.recommender('shared-customers', 'similar-items')).toMatchObject({ Status: 'ACTIVE' });
  });

  test('a redeploy without change makes no write call', async () => {
    local.emulator.resetRequests();
    const result = await local.deploy(platformApp());
    expect(result.success).toBe(true);
    expect(local.emulator.requests.filter((r) => !/^(Get|List)/.test(r.operation))).toEqual([]);
  });

  test('destroying everything removes the team\'s resources first and keeps the retained domain', async () => {
    const result = await local.destroy();
    expect(result.success).toBe(true);
    expect(result.stacks.map((s) => s.stackName)).toEqual(['TeamRecommendations', 'PlatformCustomers']);
    expect(local.emulator.state.objectType('shared-customers', 'Products')).toBeUndefined();
    expect(local.emulator.state.recommender('shared-customers', 'similar-items')).toBeUndefined();
    // The domain holds customer data: RETAIN by default, so it is still there after destroy.
    expect(local.emulator.state.domain('shared-customers')).toBeDefined();
  });
});
