import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CreateDomainCommand, CreateSegmentDefinitionCommand, CustomerProfilesClient } from '@aws-sdk/client-customer-profiles';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { BUNDLED_HANDLER_PATH, EngineEvent, LocalDeployment, StackEvent } from '../../local/src/deploy';
import {
  ContentType,
  DataStore,
  DimensionType,
  Domain,
  DomainObjectType,
  FeatureType,
  Recommender,
  RecommenderRecipe,
  SegmentDefinition,
  SegmentDimension,
  SegmentInclude,
  SegmentQuery,
} from '../../src';
import { OWNER_TAG_KEY } from '../../src/private/contract';
import { ingestSample } from '../helpers/sample-data';

/**
 * The child constructs deployed by the local engine with the real bundled handler against the
 * emulator: what the constructs write is what the handler understands, attributes resolve, a
 * changed segment query rolls out under a new name, and retained object types survive destroy.
 */

beforeAll(() => {
  if (!fs.existsSync(BUNDLED_HANDLER_PATH)) {
    execFileSync(process.execPath, [path.join(__dirname, '..', '..', 'scripts', 'bundle-handler.mjs')], { stdio: 'ignore' });
  }
});

interface AppOptions {
  readonly sql: string;
  readonly recommenderEnabled?: boolean;
  /** @default true */
  readonly withRecommender?: boolean;
}

function customerDataApp(options: AppOptions): App {
  const app = new App();
  const stack = new Stack(app, 'CustomerData');
  const domain = new Domain(stack, 'Customers', {
    domainName: 'customers',
    dataStore: DataStore.enabled(),
    removalPolicy: RemovalPolicy.DESTROY,
  });
  new DomainObjectType(stack, 'Products', {
    domain,
    objectTypeName: 'products',
    fields: {
      Id: { source: '_source.ProductId', target: '_item.Id' },
      Price: { source: '_source.Price', target: '_item.Price', contentType: ContentType.NUMBER },
      Category: { source: '_source.Category', target: '_item.Category', featureType: FeatureType.CATEGORICAL },
    },
    tags: { team: 'catalog' },
  });
  if (options.withRecommender ?? true) {
    new Recommender(stack, 'ForYou', {
      domain,
      recommenderName: 'for-you',
      recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU,
      events: [{ eventType: 'purchase', weight: 1 }, { eventType: 'click', weight: 0.2 }],
      trainingFrequency: Duration.days(7),
      enabled: options.recommenderEnabled ?? true,
    });
  }
  const gold = new SegmentDefinition(stack, 'Gold', {
    domain,
    displayName: 'Gold customers',
    query: SegmentQuery.sql(options.sql),
  });
  new SegmentDefinition(stack, 'GoldInGermany', {
    domain,
    segmentDefinitionName: 'gold-in-germany',
    displayName: 'Gold customers in Germany',
    query: SegmentQuery.groups({
      groups: [{
        sourceSegments: [gold],
        dimensions: [SegmentDimension.customAttribute('country', DimensionType.INCLUSIVE, ['DE'])],
        dimensionsInclude: SegmentInclude.ALL,
      }],
    }),
  });
  return app;
}

const GOLD_SQL = "SELECT * FROM profiles WHERE Attributes.tier = 'gold'";

describe('child constructs on the emulator', () => {
  let local: LocalDeployment;
  const events: EngineEvent[] = [];

  beforeAll(async () => {
    local = await LocalDeployment.start({ fast: 3000, onEvent: (e) => events.push(e) });
  });
  afterAll(async () => {
    await local.stop();
  });

  function segmentNames(): string[] {
    const domain = (local.emulator as unknown as { ctx: { store: { domains: Map<string, { segments: Map<string, unknown> }> } } })
      .ctx.store.domains.get('customers');
    return domain ? [...domain.segments.keys()].sort() : [];
  }

  test('deploys an object type, a recommender and two segments', async () => {
    // A recommender trains on the domain's interactions: the domain first, then data, then the recommender.
    const first = await local.deploy(customerDataApp({ sql: GOLD_SQL, withRecommender: false }));
    expect(first.stacks.map((s) => [s.stackName, s.status, s.reason])).toEqual([['CustomerData', 'CREATE_COMPLETE', undefined]]);
    await ingestSample(local.emulator, 'customers');
    const result = await local.deploy(customerDataApp({ sql: GOLD_SQL }));
    expect(result.stacks.map((s) => [s.stackName, s.status, s.reason])).toEqual([['CustomerData', 'UPDATE_COMPLETE', undefined]]);
    expect(local.emulator.state.objectType('customers', 'products')).toMatchObject({
      ObjectTypeName: 'products',
      Fields: { Price: { ContentType: 'NUMBER' }, Category: { FeatureType: 'CATEGORICAL' } },
    });
    expect(local.emulator.state.recommender('customers', 'for-you')).toMatchObject({ Status: 'ACTIVE', RecommenderRecipeName: 'recommended-for-you' });
    const names = segmentNames();
    expect(names).toHaveLength(2);
    expect(names).toContain('gold-in-germany');
    const goldName = names.find((n) => n !== 'gold-in-germany')!;
    expect(goldName).toMatch(/^CustomerData-Gold-.*-[0-9a-f]{8}$/);
    expect(local.emulator.state.segmentDefinition('customers', goldName)).toMatchObject({ SegmentType: 'ENHANCED' });
  });

  test('a changed SQL query rolls out under a new name and the old definition is deleted', async () => {
    const before = segmentNames().find((n) => n !== 'gold-in-germany');
    const result = await local.deploy(customerDataApp({ sql: `${GOLD_SQL} OR Attributes.tier = 'platinum'` }));
    expect(result.stacks[0].status).toBe('UPDATE_COMPLETE');
    const after = segmentNames();
    expect(after).toHaveLength(2);
    expect(after).not.toContain(before);
  });

  test('disabling the recommender stops it in place', async () => {
    const result = await local.deploy(customerDataApp({ sql: `${GOLD_SQL} OR Attributes.tier = 'platinum'`, recommenderEnabled: false }));
    expect(result.stacks[0].status).toBe('UPDATE_COMPLETE');
    expect(local.emulator.state.recommender('customers', 'for-you')).toMatchObject({ Status: 'INACTIVE' });
  });

  test('destroy deletes the segments and the recommender and retains the object type (RETAIN by default)', async () => {
    events.length = 0;
    const result = await local.destroy();
    expect(result.stacks[0].status).toBe('DELETE_COMPLETE');
    const finalStatus = (type: string) => (events.filter((e): e is StackEvent => e.kind === 'event' && e.resourceType === type)
      .map((e) => e.status)).filter((s) => s !== 'DELETE_IN_PROGRESS');
    expect(finalStatus('Custom::CustomerProfilesDomainObjectType')).toEqual(['DELETE_SKIPPED']);
    expect(finalStatus('Custom::CustomerProfilesRecommender')).toEqual(['DELETE_COMPLETE']);
    expect(finalStatus('Custom::CustomerProfilesSegmentDefinition')).toEqual(['DELETE_COMPLETE', 'DELETE_COMPLETE']);
    expect(segmentNames()).toEqual([]);
  });
});

describe('issue #13 case 2: a failed create does not delete someone else\'s segment definition', () => {
  let local: LocalDeployment;
  let client: CustomerProfilesClient;
  beforeAll(async () => {
    local = await LocalDeployment.start({ fast: 3000 });
    client = new CustomerProfilesClient({
      endpoint: local.emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1,
    });
    await client.send(new CreateDomainCommand({ DomainName: 'shared', DefaultExpirationDays: 30, DataStore: { Enabled: true } }));
    // Someone else's definition of the name the stack asks for, with another display name and query.
    await client.send(new CreateSegmentDefinitionCommand({
      DomainName: 'shared', SegmentDefinitionName: 'gold', DisplayName: 'Gold (marketing team)', SegmentSqlQuery: GOLD_SQL,
    }));
  });
  afterAll(async () => {
    client.destroy();
    await local.stop();
  });

  test('the stack\'s create fails (validateBeforeCreate, the default), rollback completes, the foreign definition is still there', async () => {
    const app = new App();
    const stack = new Stack(app, 'Campaigns');
    new SegmentDefinition(stack, 'Gold', {
      domain: Domain.fromDomainName(stack, 'Shared', 'shared'),
      segmentDefinitionName: 'gold',
      displayName: 'Gold customers',
      query: SegmentQuery.sql(`${GOLD_SQL} OR Attributes.tier = 'platinum'`),
    });
    const result = await local.deploy(app);
    expect(result.stacks[0].status).toBe('ROLLBACK_COMPLETE');
    const survivor = local.emulator.state.segmentDefinition('shared', 'gold');
    expect(survivor).toMatchObject({ DisplayName: 'Gold (marketing team)', SegmentSqlQuery: GOLD_SQL });
    expect((survivor?.Tags as Record<string, string> | undefined)?.[OWNER_TAG_KEY]).toBeUndefined();
    expect(result.stacks[0].reason).toContain("Segment definition 'shared/gold' already exists and carries no owner tag");
  });
});
