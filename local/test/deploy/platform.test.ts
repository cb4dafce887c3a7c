import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { runDemo } from '../../../examples/demo';
import { DataStore, Domain, RecommenderRecipe, SegmentQuery } from '../../../src';
import { ingestSample } from '../../../test/helpers/sample-data';
import { BUNDLED_HANDLER_PATH, LocalDeployment, stacksFromAssembly } from '../../src/deploy';

beforeAll(() => {
  if (!fs.existsSync(BUNDLED_HANDLER_PATH)) {
    execFileSync(process.execPath, [path.join(__dirname, '..', '..', '..', 'scripts', 'bundle-handler.mjs')], { stdio: 'ignore' });
  }
});

/**
 * A platform team owns the domain stack; a product team's stack adds to the domain by its name
 * (Domain.fromDomainName), without a reference to the platform stack, and says so with an
 * explicit stack dependency. The team's recommender trains on the domain's data, so the team
 * deploys once data has arrived.
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
  shared.addObjectType('Catalog', {
    objectTypeName: 'Catalog',
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

  test('the team\'s recommender on the new, empty domain fails training and its stack rolls back; the platform stays', async () => {
    const result = await local.deploy(platformApp());
    expect(result.stacks.map((s) => [s.stackName, s.status])).toEqual([
      ['PlatformCustomers', 'CREATE_COMPLETE'],
      ['TeamRecommendations', 'ROLLBACK_COMPLETE'],
    ]);
    expect(result.stacks[1].reason).toContain("Recommender 'shared-customers/similar-items' failed: Insufficient training data: the domain has 0 interactions");
    expect(local.emulator.state.recommender('shared-customers', 'similar-items')).toBeUndefined();
    expect(local.emulator.state.domain('shared-customers')).toBeDefined();
    await local.destroy(['TeamRecommendations']);
  });

  test('once data arrived, the team stack deploys: its resources land in the platform\'s domain', async () => {
    await ingestSample(local.emulator, 'shared-customers');
    const team = stacksFromAssembly(platformApp().synth()).filter((s) => s.stackName === 'TeamRecommendations');
    const result = await local.deploy(team);
    expect(result.stacks.map((s) => [s.stackName, s.status])).toEqual([['TeamRecommendations', 'CREATE_COMPLETE']]);
    expect(local.emulator.state.objectType('shared-customers', 'Catalog')).toBeDefined();
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
    expect(local.emulator.state.objectType('shared-customers', 'Catalog')).toBeUndefined();
    expect(local.emulator.state.recommender('shared-customers', 'similar-items')).toBeUndefined();
    // The domain holds customer data: RETAIN by default, so it is still there after destroy.
    expect(local.emulator.state.domain('shared-customers')).toBeDefined();
  });
});

describe('npm run demo (examples/demo.ts)', () => {
  test('deploys the platform, ingests the sample data, deploys the personalization stack and shows the checks, within 60 s', async () => {
    const lines: string[] = [];
    const result = await runDemo({ log: (line) => lines.push(line) });
    const output = lines.join('\n');
    expect(result.success).toBe(true);
    expect(result.stacks).toEqual([
      { stackName: 'CustomerData', status: 'CREATE_COMPLETE' },
      { stackName: 'Personalization', status: 'CREATE_COMPLETE' },
    ]);
    expect(result.recommenders).toEqual({ 'for-you': 'ACTIVE', 'similar-items': 'ACTIVE', 'trending-now': 'INACTIVE' });
    expect(result.recommendedItems).toHaveLength(3);
    for (const item of result.recommendedItems) expect(item).toMatch(/^P\d{3}$/);
    expect(['PRESENT', 'ABSENT']).toContain(result.membership);
    // The engine's per-resource placeholder lines are summarized, one line per stack.
    expect(output).not.toContain('not emulated: placeholder attributes');
    expect(output.match(/resources of other types \(roles, functions, queues, keys\) not emulated: given placeholder attributes/g)).toHaveLength(2);
    expect(output).toMatch(/GetProfileRecommendations for-you, customer C001 \(profile [a-f0-9]{32}\): P\d{3}/);
    expect(output).toMatch(/GetSegmentMembership 'High value customers' \(lifetime_value > 1000\): C001 \(lifetime_value \d+\) (PRESENT|ABSENT), C002/);
    expect(result.wallSeconds).toBeLessThan(60);
  }, 90_000);
});
