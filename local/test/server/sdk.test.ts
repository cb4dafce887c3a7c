import * as cp from '@aws-sdk/client-customer-profiles';
import { EmulatorServer, SAMPLE_OBJECT_TYPE_FIELDS, startServer } from '../../src/server';

/**
 * The standalone server driven by the JavaScript SDK v3 through every operation the emulator
 * implements, with the modelled errors and pagination; the admin API moves the clock and loads
 * the data (local/test/server/python.test.ts runs the same with boto3).
 */

let server: EmulatorServer;
let client: cp.CustomerProfilesClient;
beforeAll(async () => {
  server = await startServer({ clock: { startMs: Date.UTC(2026, 0, 1), frozen: true } });
  client = new cp.CustomerProfilesClient({
    endpoint: server.endpoint, region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
});
afterAll(async () => {
  client.destroy();
  await server.stop();
});

async function admin(method: string, route: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${server.adminEndpoint}${route}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await res.json() as Record<string, unknown>;
  if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${json.message}`);
  return json;
}

const advance = (seconds: number) => admin('POST', '/clock/advance', { seconds });

test('every implemented operation, its errors and pagination, over HTTP with the JavaScript SDK', async () => {
  const D = 'storefront';
  expect((await client.send(new cp.ListRecommenderRecipesCommand({}))).RecommenderRecipes?.map((r) => r.name)).toContain('popular-items');

  // Domains, with pagination and the errors of a taken name and a missing domain.
  for (const name of [D, 'other-a', 'other-b']) {
    await client.send(new cp.CreateDomainCommand({ DomainName: name, DefaultExpirationDays: 30, DataStore: { Enabled: name === D } }));
  }
  await expect(client.send(new cp.CreateDomainCommand({ DomainName: D, DefaultExpirationDays: 30 }))).rejects.toBeInstanceOf(cp.BadRequestException);
  await expect(client.send(new cp.GetDomainCommand({ DomainName: 'missing' }))).rejects.toBeInstanceOf(cp.ResourceNotFoundException);
  await expect(client.send(new cp.CreateDomainCommand({ DomainName: 'bad', DefaultExpirationDays: 0 }))).rejects.toThrow(/DefaultExpirationDays/);
  const names: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await client.send(new cp.ListDomainsCommand({ MaxResults: 2, NextToken: token }));
    names.push(...(page.Items ?? []).map((i) => i.DomainName!));
    token = page.NextToken;
    pages++;
  } while (token);
  expect({ names: names.sort(), pages }).toEqual({ names: ['other-a', 'other-b', D], pages: 2 });
  await expect(client.send(new cp.ListDomainsCommand({ NextToken: 'not-a-token' }))).rejects.toBeInstanceOf(cp.BadRequestException);
  expect((await client.send(new cp.UpdateDomainCommand({ DomainName: D, DefaultExpirationDays: 60 }))).DefaultExpirationDays).toBe(60);
  expect((await client.send(new cp.GetDomainCommand({ DomainName: D }))).DataStore?.Enabled).toBe(true);
  // The data store rule of the service: no object types in a domain without one.
  await expect(client.send(new cp.PutDomainObjectTypeCommand({
    DomainName: 'other-a', ObjectTypeName: 'X', Description: 'x', Fields: { A: { Source: '_source.A', Target: '_profile.AccountNumber' } },
  }))).rejects.toThrow(/data store must be enabled/);

  // Object types (put over the SDK), then the example's records through the admin API.
  for (const [name, fields] of Object.entries(SAMPLE_OBJECT_TYPE_FIELDS)) {
    await client.send(new cp.PutDomainObjectTypeCommand({ DomainName: D, ObjectTypeName: name, Description: name, Fields: fields }));
  }
  expect((await client.send(new cp.GetDomainObjectTypeCommand({ DomainName: D, ObjectTypeName: 'Customers' }))).Fields?.Tier?.Target).toBe('_profile.Attributes.tier');
  const firstTypes = await client.send(new cp.ListDomainObjectTypesCommand({ DomainName: D, MaxResults: 2 }));
  const restTypes = await client.send(new cp.ListDomainObjectTypesCommand({ DomainName: D, NextToken: firstTypes.NextToken }));
  expect([...firstTypes.Items!, ...restTypes.Items!].map((i) => i.ObjectTypeName)).toEqual(['Customers', 'Products', 'WebEvents']);
  expect(await admin('POST', '/sample-data', { domainName: D })).toMatchObject({ createdDomain: false, createdObjectTypes: [], records: 2319 });
  await client.send(new cp.PutProfileObjectCommand({ DomainName: D, ObjectTypeName: 'Customers', Object: JSON.stringify({ CustomerId: 'C999', FirstName: 'New', Tier: 'gold' }) }));
  await expect(client.send(new cp.PutProfileObjectCommand({ DomainName: D, ObjectTypeName: 'Customers', Object: '{not json' })))
    .rejects.toThrow(/Object is not valid JSON/);
  const found = await client.send(new cp.SearchProfilesCommand({ DomainName: D, KeyName: '_account', Values: ['C001', 'C999'], MaxResults: 1 }));
  const more = await client.send(new cp.SearchProfilesCommand({ DomainName: D, KeyName: '_account', Values: ['C001', 'C999'], NextToken: found.NextToken }));
  const profiles = [...found.Items!, ...more.Items!];
  expect(profiles.map((p) => p.AccountNumber).sort()).toEqual(['C001', 'C999']);
  const tiers = await client.send(new cp.ListObjectTypeAttributeValuesCommand({ DomainName: D, ObjectTypeName: 'Customers', AttributeName: 'Tier' }));
  expect(tiers.Items?.map((i) => i.Value).sort()).toEqual(['bronze', 'gold', 'silver']);
  const stats = await client.send(new cp.GetObjectTypeAttributeStatisticsCommand({ DomainName: D, ObjectTypeName: 'Customers', AttributeName: 'LifetimeValue' }));
  expect(stats.Statistics?.Minimum).toBeGreaterThanOrEqual(100);

  // Tags.
  const arn = `arn:aws:profile:us-east-1:123456789012:domains/${D}`;
  await client.send(new cp.TagResourceCommand({ resourceArn: arn, tags: { team: 'web', env: 'test' } }));
  await client.send(new cp.UntagResourceCommand({ resourceArn: arn, tagKeys: ['env'] }));
  expect((await client.send(new cp.ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({ team: 'web' });

  // A recommender trains on the loaded interactions as the clock moves; stop, start, update.
  const rec = { DomainName: D, RecommenderName: 'ForYou' };
  const config = { EventsConfig: { EventParametersList: [{ EventType: 'purchase', EventWeight: 1 }] } };
  await client.send(new cp.CreateRecommenderCommand({ ...rec, RecommenderRecipeName: 'recommended-for-you', RecommenderConfig: config }));
  expect((await client.send(new cp.GetRecommenderCommand(rec))).Status).toBe('PENDING');
  const profileId = profiles.find((p) => p.AccountNumber === 'C001')!.ProfileId!;
  await expect(client.send(new cp.GetProfileRecommendationsCommand({ ...rec, ProfileId: profileId }))).rejects.toThrow(/is not ACTIVE/);
  await advance(1800);
  expect((await client.send(new cp.ListRecommendersCommand({ DomainName: D }))).Recommenders?.map((r) => [r.RecommenderName, r.Status])).toEqual([['ForYou', 'ACTIVE']]);
  const recs = await client.send(new cp.GetProfileRecommendationsCommand({ ...rec, ProfileId: profileId, MaxResults: 3 }));
  expect(recs.Recommendations).toHaveLength(3);
  await client.send(new cp.StopRecommenderCommand(rec));
  await advance(120);
  await expect(client.send(new cp.StopRecommenderCommand(rec))).rejects.toBeInstanceOf(cp.BadRequestException);
  await client.send(new cp.StartRecommenderCommand(rec));
  await advance(300);
  await client.send(new cp.UpdateRecommenderCommand({ ...rec, Description: 'purchases' }));
  await advance(600);
  expect(await client.send(new cp.GetRecommenderCommand(rec))).toMatchObject({ Status: 'ACTIVE', Description: 'purchases' });

  // Segments: Spark SQL is parsed, estimates run on the clock, membership per profile.
  const sql = "SELECT * FROM _profile WHERE _profile.Attributes.tier = 'gold'";
  await expect(client.send(new cp.CreateSegmentDefinitionCommand({ DomainName: D, SegmentDefinitionName: 'Bad', DisplayName: 'Bad', SegmentSqlQuery: 'SELEC * FROM' })))
    .rejects.toThrow(/is not valid SQL/);
  await client.send(new cp.CreateSegmentDefinitionCommand({ DomainName: D, SegmentDefinitionName: 'Gold', DisplayName: 'Gold', SegmentSqlQuery: sql }));
  expect((await client.send(new cp.GetSegmentDefinitionCommand({ DomainName: D, SegmentDefinitionName: 'Gold' }))).SegmentSqlQuery).toBe(sql);
  expect((await client.send(new cp.ListSegmentDefinitionsCommand({ DomainName: D }))).Items?.map((i) => i.SegmentDefinitionName)).toEqual(['Gold']);
  const estimate = await client.send(new cp.CreateSegmentEstimateCommand({ DomainName: D, SegmentSqlQuery: sql }));
  expect((await client.send(new cp.GetSegmentEstimateCommand({ DomainName: D, EstimateId: estimate.EstimateId! }))).Status).toBe('RUNNING');
  await advance(5);
  const done = await client.send(new cp.GetSegmentEstimateCommand({ DomainName: D, EstimateId: estimate.EstimateId! }));
  expect(done).toMatchObject({ Status: 'SUCCEEDED', Estimate: '16' });
  const membership = await client.send(new cp.GetSegmentMembershipCommand({ DomainName: D, SegmentDefinitionName: 'Gold', ProfileIds: profiles.map((p) => p.ProfileId!) }));
  expect(membership.Profiles?.map((p) => [p.ProfileId === profileId ? 'C001' : 'C999', p.QueryResult]).sort()).toEqual([['C001', 'ABSENT'], ['C999', 'PRESENT']]);

  // Injected faults arrive as the SDK's modelled exceptions.
  await admin('POST', '/faults', { operation: 'GetDomain', error: 'ThrottlingException' });
  await expect(client.send(new cp.GetDomainCommand({ DomainName: D }))).rejects.toBeInstanceOf(cp.ThrottlingException);
  await admin('POST', '/faults', { operation: 'GetDomain', error: 'InternalServerException' });
  await expect(client.send(new cp.GetDomainCommand({ DomainName: D }))).rejects.toBeInstanceOf(cp.InternalServerException);

  // Deletes.
  await client.send(new cp.DeleteSegmentDefinitionCommand({ DomainName: D, SegmentDefinitionName: 'Gold' }));
  await client.send(new cp.DeleteRecommenderCommand(rec));
  await client.send(new cp.DeleteDomainObjectTypeCommand({ DomainName: D, ObjectTypeName: 'WebEvents' }));
  for (const name of [D, 'other-a', 'other-b']) await client.send(new cp.DeleteDomainCommand({ DomainName: name }));
  expect((await client.send(new cp.ListDomainsCommand({}))).Items ?? []).toEqual([]);

  // Every operation the emulator implements went over the wire.
  const { requests } = await admin('GET', '/requests') as { requests: Array<{ operation: string }> };
  const called = new Set(requests.map((r) => r.operation));
  expect(server.emulator.implementedOperations.filter((op) => !called.has(op))).toEqual([]);
});
