import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { DataStore, Domain, DomainObjectType, Recommender, RecommenderRecipe, SegmentDefinition, SegmentQuery } from '../../../src';
import { ingestSample } from '../../../test/helpers/sample-data';
import { BUNDLED_HANDLER_PATH, EngineEvent, LocalDeployment } from '../../src/deploy';
import { Clock, Emulator } from '../../src/emulator';

/**
 * Lifecycle tests: real CDK apps, synthesized, deployed by the local engine with the real bundled
 * handler against the embedded emulator (fast clock), then updated, rolled back and destroyed.
 */

beforeAll(() => {
  if (!fs.existsSync(BUNDLED_HANDLER_PATH)) {
    execFileSync(process.execPath, [path.join(__dirname, '..', '..', '..', 'scripts', 'bundle-handler.mjs')], { stdio: 'ignore' });
  }
});

interface AppOptions {
  readonly expirationDays?: number;
  readonly withRecommender?: boolean;
  readonly recipe?: string;
  readonly segmentSpend?: number;
}

/** A platform team's app: a shared domain stack and a team stack adding an object type (and a recommender). */
function platformApp(options: AppOptions = {}): App {
  const app = new App();
  const shared = new Stack(app, 'SharedCustomers');
  const domain = new Domain(shared, 'Customers', {
    domainName: 'customers',
    dataStore: DataStore.enabled(),
    defaultExpiration: Duration.days(options.expirationDays ?? 365),
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const team = new Stack(app, 'TeamOrders');
  new DomainObjectType(team, 'Orders', {
    domain,
    objectTypeName: 'orders',
    fields: { OrderId: { source: '_source.OrderId', target: '_order.OrderId' } },
    removalPolicy: RemovalPolicy.DESTROY,
  });
  if (options.withRecommender) {
    new Recommender(team, 'ForYou', {
      domain,
      recommenderName: 'for-you',
      recipe: options.recipe ? RecommenderRecipe.of(options.recipe) : RecommenderRecipe.RECOMMENDED_FOR_YOU,
      events: [{ eventType: 'purchase' }],
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }
  if (options.segmentSpend !== undefined) {
    new SegmentDefinition(team, 'HighValue', {
      domain,
      // No explicit name: the default name hashes the query, so a new query is a replacement.
      displayName: 'High value',
      query: SegmentQuery.sql(`SELECT * FROM _profile WHERE _profile.Attributes.spend > ${options.segmentSpend}`),
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }
  return app;
}

describe('lifecycle on the emulator', () => {
  let local: LocalDeployment;
  const events: EngineEvent[] = [];

  beforeAll(async () => {
    local = await LocalDeployment.start({ fast: 3000, onEvent: (e) => events.push(e) });
  });
  afterAll(async () => {
    await local.stop();
  });

  test('deploys a shared domain stack and a team stack, in order, across an export', async () => {
    const result = await local.deploy(platformApp());
    expect(result.stacks.map((s) => [s.stackName, s.status, s.reason])).toEqual([
      ['SharedCustomers', 'CREATE_COMPLETE', undefined],
      ['TeamOrders', 'CREATE_COMPLETE', undefined],
    ]);
    const domain = local.emulator.state.domain('customers') as { DefaultExpirationDays: number; DataStore: { Readiness: { ProgressPercentage: number } } };
    expect(domain.DefaultExpirationDays).toBe(365);
    expect(domain.DataStore.Readiness.ProgressPercentage).toBe(100);
    expect(local.emulator.state.objectType('customers', 'orders')).toBeDefined();
    expect(result.stacks[0].notEmulated.map((n) => n.resourceType)).toContain('AWS::Lambda::Function');
  });

  test('a second deploy of a changed app is an update', async () => {
    events.length = 0;
    const result = await local.deploy(platformApp({ expirationDays: 30 }));
    expect(result.success).toBe(true);
    expect(result.stacks[0].updated).toHaveLength(1);
    expect((local.emulator.state.domain('customers') as { DefaultExpirationDays: number }).DefaultExpirationDays).toBe(30);
    expect(result.stacks[1].status).toBe('UPDATE_COMPLETE');
  });

  test('adds a recommender and reports training progress', async () => {
    // A recommender trains on the domain's interactions: data arrives first.
    await ingestSample(local.emulator, 'customers');
    events.length = 0;
    const result = await local.deploy(platformApp({ expirationDays: 30, withRecommender: true }));
    expect(result.success).toBe(true);
    const recommender = local.emulator.state.recommender('customers', 'for-you') as { Status: string };
    expect(['ACTIVE', 'IN_PROGRESS']).toContain(recommender.Status);
    expect(events.some((e) => e.kind === 'progress' && /recommender/.test(e.message))).toBe(true);
  });

  test('a changed SQL segment is replaced: the new one is created, then the old one deleted', async () => {
    const added = await local.deploy(platformApp({ expirationDays: 30, withRecommender: true, segmentSpend: 500 }));
    expect(added.stacks[1].created).toHaveLength(1);
    const before = local.state.stacks.TeamOrders.resources;
    const segmentId = added.stacks[1].created[0];
    const changed = await local.deploy(platformApp({ expirationDays: 30, withRecommender: true, segmentSpend: 900 }));
    expect(changed.success).toBe(true);
    const after = local.state.stacks.TeamOrders.resources[segmentId];
    expect(changed.stacks[1].replaced).toEqual([segmentId]);
    expect(after.physicalId).not.toBe(before[segmentId].physicalId);
    const [oldDomain, oldName] = before[segmentId].physicalId.split('/');
    expect(local.emulator.state.segmentDefinition(oldDomain, oldName)).toBeUndefined();
    const [domainName, name] = after.physicalId.split('/');
    expect(local.emulator.state.segmentDefinition(domainName, name)).toMatchObject({ SegmentSqlQuery: expect.stringContaining('> 900') });
  });

  test('a failing update rolls back and leaves the deployed state', async () => {
    const before = local.state;
    local.emulator.faults.add({ operation: 'UpdateDomain', error: 'BadRequestException', message: 'injected failure' });
    const result = await local.deploy(platformApp({ expirationDays: 7, withRecommender: true, segmentSpend: 900 }));
    expect(result.success).toBe(false);
    expect(result.stacks[0].status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(result.stacks[0].reason).toMatch(/injected failure/);
    expect((local.emulator.state.domain('customers') as { DefaultExpirationDays: number }).DefaultExpirationDays).toBe(30);
    expect(local.state.stacks.SharedCustomers.resources).toEqual(before.stacks.SharedCustomers.resources);
  });

  test('destroy removes the team stack first, then the domain', async () => {
    const result = await local.destroy();
    expect(result.success).toBe(true);
    expect(result.stacks.map((s) => s.stackName)).toEqual(['TeamOrders', 'SharedCustomers']);
    expect(local.emulator.state.domain('customers')).toBeUndefined();
    expect(local.state.stacks).toEqual({});
  });
});

describe('a stepped clock', () => {
  test('moves simulated time by 15 s per poll, so readiness takes a predictable number of polls', async () => {
    const local = await LocalDeployment.start({ stepped: true });
    try {
      const start = local.emulator.clock.now();
      // The platform first, then data (ingesting does not move the stepped clock), then the recommender.
      await local.deploy(platformApp());
      await ingestSample(local.emulator, 'customers');
      const result = await local.deploy(platformApp({ withRecommender: true }));
      expect(result.success).toBe(true);
      const simulatedMinutes = (local.emulator.clock.now() - start) / 60_000;
      // Data store readiness (5 min) then recommender training (30 min), each polled every 15 s.
      expect(simulatedMinutes).toBeGreaterThanOrEqual(35);
      expect(simulatedMinutes).toBeLessThan(40);
      expect((local.emulator.state.recommender('customers', 'for-you') as { Status: string }).Status).toBe('ACTIVE');
    } finally {
      await local.stop();
    }
  });

  test('a resource that is never ready fails with "Operation timed out" after the Provider\'s 55 minutes, and is rolled back', async () => {
    const emulator = await Emulator.start({ clock: Clock.manual(), timing: { recommenderTrainingSeconds: 10 * 3600 } });
    const local = await LocalDeployment.start({ emulator });
    try {
      const start = emulator.clock.now();
      const result = await local.deploy(platformApp({ withRecommender: true }));
      expect(result.success).toBe(false);
      expect(result.stacks[1].status).toBe('ROLLBACK_COMPLETE');
      expect(result.stacks[1].reason).toMatch(/failed to create: \[ForYou\w+\]\. Operation timed out/);
      expect(emulator.clock.now() - start).toBeGreaterThanOrEqual(55 * 60_000);
      expect(emulator.state.objectType('customers', 'orders')).toBeUndefined();
    } finally {
      await local.stop();
      await emulator.stop();
    }
  });
});
