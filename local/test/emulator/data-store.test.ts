import {
  BadRequestException,
  CreateDomainCommand,
  CreateRecommenderCommand,
  CreateSegmentDefinitionCommand,
  CreateSegmentEstimateCommand,
  ListRecommendersCommand,
  ListSegmentDefinitionsCommand,
  PutDomainObjectTypeCommand,
  SegmentGroup,
  UpdateDomainCommand,
} from '@aws-sdk/client-customer-profiles';
import { EmulatorForTests, startEmulatorForTests, stopEmulatorForTests } from '../helpers/emulator';

/**
 * The data store is a prerequisite of object types, recommenders and SQL segments and their
 * estimates ("must be enabled to use those features"; REFERENCE §8): the emulator refuses them on
 * a domain without one, as the service does, and still accepts classic segments.
 */

let env: EmulatorForTests;
beforeEach(async () => {
  env = await startEmulatorForTests();
});
afterEach(async () => {
  await stopEmulatorForTests(env);
});

const SQL = "SELECT * FROM _profile WHERE _profile.Attributes.tier = 'gold'";
const GROUPS: SegmentGroup = { Include: 'ALL', Groups: [{ Type: 'ALL', Dimensions: [{ ProfileAttributes: { FirstName: { DimensionType: 'INCLUSIVE', Values: ['Ann'] } } }] }] };

async function domain(dataStore: { Enabled: boolean } | undefined): Promise<void> {
  await env.client.send(new CreateDomainCommand({ DomainName: 'D', DefaultExpirationDays: 30, DataStore: dataStore }));
}

async function refusal(promise: Promise<unknown>): Promise<Error> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(BadRequestException);
  return err as Error;
}

const createSqlSegment = () => env.client.send(new CreateSegmentDefinitionCommand({
  DomainName: 'D', SegmentDefinitionName: 'Gold', DisplayName: 'Gold', SegmentSqlQuery: SQL,
}));
const createRecommender = () => env.client.send(new CreateRecommenderCommand({
  DomainName: 'D', RecommenderName: 'ForYou', RecommenderRecipeName: 'recommended-for-you',
}));

describe.each([
  ['created without DataStore', undefined],
  ['created with DataStore.Enabled false', { Enabled: false }],
])('a domain %s', (_, dataStore) => {
  beforeEach(async () => {
    await domain(dataStore);
  });

  test('refuses an SQL segment definition and creates nothing', async () => {
    const err = await refusal(createSqlSegment());
    expect(err.message).toBe('Domain D does not have its data store enabled: the data store must be enabled (DataStore.Enabled) '
      + 'before SQL segment definitions (SegmentSqlQuery) can be created');
    expect((await env.client.send(new ListSegmentDefinitionsCommand({ DomainName: 'D' }))).Items).toEqual([]);
  });

  test('refuses an SQL segment estimate', async () => {
    const err = await refusal(env.client.send(new CreateSegmentEstimateCommand({ DomainName: 'D', SegmentSqlQuery: SQL })));
    expect(err.message).toMatch(/^Domain D does not have its data store enabled: .* before SQL segment estimates \(SegmentSqlQuery\) can be created$/);
  });

  test('refuses a recommender and creates nothing', async () => {
    const err = await refusal(createRecommender());
    expect(err.message).toMatch(/^Domain D does not have its data store enabled: .* before recommenders can be created$/);
    expect((await env.client.send(new ListRecommendersCommand({ DomainName: 'D' }))).Recommenders).toEqual([]);
  });

  test('refuses an object type, in the same words', async () => {
    const err = await refusal(env.client.send(new PutDomainObjectTypeCommand({
      DomainName: 'D', ObjectTypeName: 'Orders', Fields: { id: { Source: '_source.id', Target: '_order.id' } },
    })));
    expect(err.message).toMatch(/^Domain D does not have its data store enabled: .* before domain object types can be put$/);
  });

  test('accepts a classic segment definition and a classic estimate (segment groups predate the data store)', async () => {
    await env.client.send(new CreateSegmentDefinitionCommand({ DomainName: 'D', SegmentDefinitionName: 'Ann', DisplayName: 'Ann', SegmentGroups: GROUPS }));
    const estimate = await env.client.send(new CreateSegmentEstimateCommand({ DomainName: 'D', SegmentQuery: GROUPS }));
    expect(estimate.EstimateId).toBeDefined();
  });
});

test('once the data store is enabled (readiness does not matter), SQL segments and recommenders are accepted', async () => {
  await domain(undefined);
  await refusal(createSqlSegment());
  await env.client.send(new UpdateDomainCommand({ DomainName: 'D', DataStore: { Enabled: true } }));
  await createSqlSegment();
  await env.client.send(new CreateSegmentEstimateCommand({ DomainName: 'D', SegmentSqlQuery: SQL }));
  await createRecommender();
});
