import * as http from 'http';
import {
  BadRequestException,
  CreateDomainCommand,
  CreateRecommenderCommand,
  DeleteRecommenderCommand,
  GetProfileRecommendationsCommand,
  GetRecommenderCommand,
  ListRecommenderRecipesCommand,
  ListRecommendersCommand,
  ResourceNotFoundException,
  StartRecommenderCommand,
  StopRecommenderCommand,
  UpdateRecommenderCommand,
} from '@aws-sdk/client-customer-profiles';
import { NO_TRAINING_REQUIREMENTS } from '../../src/emulator';
import { EmulatorForTests, startEmulatorForTests, stopEmulatorForTests } from '../helpers/emulator';

let env: EmulatorForTests;
beforeEach(async () => {
  env = await startEmulatorForTests({
    timing: {
      recommenderTrainingSeconds: 1000,
      recommenderUpdateSeconds: 100,
      recommenderStartSeconds: 50,
      recommenderStopSeconds: 20,
      recommenderDeleteSeconds: 10,
    },
    // The state machine, not the data: local/test/emulator/training.test.ts covers training's minimum.
    training: NO_TRAINING_REQUIREMENTS,
  });
  await env.client.send(new CreateDomainCommand({ DomainName: 'D', DefaultExpirationDays: 30, DataStore: { Enabled: true } }));
});
afterEach(async () => {
  await stopEmulatorForTests(env);
});

const config = { EventsConfig: { EventParametersList: [{ EventType: 'purchase', EventWeight: 0.5 }] }, TrainingFrequency: 7 };
const ref = { DomainName: 'D', RecommenderName: 'ForYou' };

async function status(): Promise<string | undefined> {
  return (await env.client.send(new GetRecommenderCommand(ref))).Status;
}

async function createActive(): Promise<void> {
  await env.client.send(new CreateRecommenderCommand({ ...ref, RecommenderRecipeName: 'recommended-for-you', RecommenderConfig: config }));
  env.emu.clock.advance(1_000_000);
}

describe('recommenders', () => {
  test('train PENDING -> IN_PROGRESS -> ACTIVE on the clock', async () => {
    const out = await env.client.send(new CreateRecommenderCommand({
      ...ref, RecommenderRecipeName: 'recommended-for-you', RecommenderConfig: config, Description: 'd', Tags: { a: 'b' },
    }));
    expect(out.RecommenderArn).toBe('arn:aws:profile:us-east-1:123456789012:domains/D/recommenders/ForYou');
    expect(out.Tags).toEqual({ a: 'b' });
    expect(await status()).toBe('PENDING');
    env.emu.clock.advance(100_000);
    expect(await status()).toBe('IN_PROGRESS');
    env.emu.clock.advance(900_000);
    const got = await env.client.send(new GetRecommenderCommand({ ...ref, TrainingMetricsCount: 1 }));
    expect(got.Status).toBe('ACTIVE');
    expect(got.RecommenderRecipeName).toBe('recommended-for-you');
    expect(got.RecommenderConfig).toEqual(config);
    expect(got.TrainingMetrics?.length).toBe(1);
    expect(env.emu.state.recommender('D', 'ForYou')?.Status).toBe('ACTIVE');
  });

  test('refuse a duplicate name and report a missing one', async () => {
    await createActive();
    await expect(env.client.send(new CreateRecommenderCommand({ ...ref, RecommenderRecipeName: 'similar-items' })))
      .rejects.toThrow(/already exists/);
    await expect(env.client.send(new GetRecommenderCommand({ DomainName: 'D', RecommenderName: 'Nope' })))
      .rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  test('validate the recipe and the event parameters against the model', async () => {
    const err = await env.client.send(new CreateRecommenderCommand({
      ...ref,
      RecommenderRecipeName: 'not-a-recipe' as never,
      RecommenderConfig: { EventsConfig: { EventParametersList: [{ EventType: 'x', EventWeight: 2 }] }, TrainingFrequency: 31 },
    })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestException);
    const message = (err as Error).message;
    expect(message).toMatch(/at 'RecommenderRecipeName' failed to satisfy constraint: Member must satisfy enum value set/);
    expect(message).toMatch(/RecommenderConfig.EventsConfig.EventParametersList\[0\].EventWeight' failed to satisfy constraint: Member must have value less than or equal to 1/);
    expect(message).toMatch(/RecommenderConfig.TrainingFrequency/);
  });

  test('update: LatestRecommenderUpdate IN_PROGRESS, then ACTIVE with the config applied', async () => {
    await createActive();
    const newConfig = { ...config, TrainingFrequency: 3 };
    const out = await env.client.send(new UpdateRecommenderCommand({ ...ref, RecommenderConfig: newConfig }));
    expect(out.RecommenderName).toBe('ForYou');
    expect(env.emu.requests.at(-1)).toMatchObject({ operation: 'UpdateRecommender', method: 'PATCH', status: 200 });
    let got = await env.client.send(new GetRecommenderCommand(ref));
    expect(got.Status).toBe('ACTIVE');
    expect(got.LatestRecommenderUpdate?.Status).toBe('IN_PROGRESS');
    expect(got.RecommenderConfig?.TrainingFrequency).toBe(7);
    await expect(env.client.send(new UpdateRecommenderCommand({ ...ref, Description: 'x' }))).rejects.toThrow(/already has an update in progress/);
    env.emu.clock.advance(100_000);
    got = await env.client.send(new GetRecommenderCommand(ref));
    expect(got.LatestRecommenderUpdate?.Status).toBe('ACTIVE');
    expect(got.RecommenderConfig?.TrainingFrequency).toBe(3);
  });

  test('stop (ACTIVE only) and start (INACTIVE only)', async () => {
    await env.client.send(new CreateRecommenderCommand({ ...ref, RecommenderRecipeName: 'popular-items' }));
    await expect(env.client.send(new StopRecommenderCommand(ref))).rejects.toThrow(/cannot be stopped while its status is PENDING/);
    env.emu.clock.advance(1_000_000);
    await expect(env.client.send(new StartRecommenderCommand(ref))).rejects.toThrow(/only an INACTIVE recommender can be started/);
    await env.client.send(new StopRecommenderCommand(ref));
    expect(await status()).toBe('STOPPING');
    env.emu.clock.advance(20_000);
    expect(await status()).toBe('INACTIVE');
    await env.client.send(new StartRecommenderCommand(ref));
    expect(await status()).toBe('STARTING');
    env.emu.clock.advance(50_000);
    expect(await status()).toBe('ACTIVE');
  });

  test('delete: DELETING, then gone', async () => {
    await createActive();
    await env.client.send(new DeleteRecommenderCommand(ref));
    expect(await status()).toBe('DELETING');
    await env.client.send(new DeleteRecommenderCommand(ref)); // a retried delete is harmless
    env.emu.clock.advance(10_000);
    await expect(env.client.send(new GetRecommenderCommand(ref))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(env.client.send(new DeleteRecommenderCommand(ref))).rejects.toBeInstanceOf(ResourceNotFoundException);
    expect(env.emu.state.recommender('D', 'ForYou')).toBeUndefined();
  });

  test('failRecommender ends training in FAILED with the reason', async () => {
    await env.client.send(new CreateRecommenderCommand({ ...ref, RecommenderRecipeName: 'recommended-for-you' }));
    env.emu.failRecommender('D', 'ForYou', 'Not enough interactions to train');
    expect(await status()).toBe('PENDING');
    env.emu.clock.advance(1_000_000);
    const got = await env.client.send(new GetRecommenderCommand(ref));
    expect(got.Status).toBe('FAILED');
    expect(got.FailureReason).toBe('Not enough interactions to train');
  });

  test('failRecommender during an update fails the update and keeps the old config', async () => {
    await createActive();
    await env.client.send(new UpdateRecommenderCommand({ ...ref, RecommenderConfig: { ...config, TrainingFrequency: 2 } }));
    env.emu.failRecommender('D', 'ForYou', 'bad config');
    env.emu.clock.advance(1_000_000);
    const got = await env.client.send(new GetRecommenderCommand(ref));
    expect(got.Status).toBe('ACTIVE');
    expect(got.LatestRecommenderUpdate).toMatchObject({ Status: 'FAILED', FailureReason: 'bad config' });
    expect(got.RecommenderConfig?.TrainingFrequency).toBe(7);
  });

  test('list recommenders (RecipeName) and recipes (name)', async () => {
    await createActive();
    const list = await env.client.send(new ListRecommendersCommand({ DomainName: 'D' }));
    expect(list.Recommenders?.[0]).toMatchObject({ RecommenderName: 'ForYou', RecipeName: 'recommended-for-you', Status: 'ACTIVE' });
    const recipes = await env.client.send(new ListRecommenderRecipesCommand({}));
    expect(recipes.RecommenderRecipes?.map((r) => r.name)).toEqual(expect.arrayContaining(['recommended-for-you', 'similar-items', 'personalized-ranking']));
  });

  test('serve seeded recommendations only when ACTIVE', async () => {
    const profileId = 'a'.repeat(32);
    await env.client.send(new CreateRecommenderCommand({ ...ref, RecommenderRecipeName: 'recommended-for-you' }));
    env.emu.seedRecommendations('D', 'ForYou', profileId, [{ catalogItemId: 'i1', score: 0.2 }, { catalogItemId: 'i2', score: 0.9 }]);
    await expect(env.client.send(new GetProfileRecommendationsCommand({ DomainName: 'D', ProfileId: profileId, RecommenderName: 'ForYou' })))
      .rejects.toThrow(/is not ACTIVE \(status PENDING\)/);
    env.emu.clock.advance(1_000_000);
    const out = await env.client.send(new GetProfileRecommendationsCommand({ DomainName: 'D', ProfileId: profileId, RecommenderName: 'ForYou' }));
    expect(out.Recommendations).toEqual([{ CatalogItem: { Id: 'i2' }, Score: 0.9 }, { CatalogItem: { Id: 'i1' }, Score: 0.2 }]);
  });

  test('store and return IncludedColumns and RecommenderSchemaName (April 2026 model), in the configuration and the latest update', async () => {
    const columns = { _catalogItem: ['Category', 'Price'] };
    const created = await raw('POST', '/domains/D/recommenders/ForYou', {
      RecommenderRecipeName: 'recommended-for-you', RecommenderSchemaName: 'retail', RecommenderConfig: { TrainingFrequency: 7, IncludedColumns: columns },
    });
    expect(created.status).toBe(200);
    env.emu.clock.advance(1_000_000);
    let got = await raw('GET', '/domains/D/recommenders/ForYou');
    expect(got.body).toMatchObject({ RecommenderSchemaName: 'retail', RecommenderConfig: { IncludedColumns: columns } });
    const updated = await raw('PATCH', '/domains/D/recommenders/ForYou', { RecommenderConfig: { IncludedColumns: { _catalogItem: ['Category'] } } });
    expect(updated.status).toBe(200);
    got = await raw('GET', '/domains/D/recommenders/ForYou');
    expect(got.body).toMatchObject({
      RecommenderConfig: { IncludedColumns: columns },
      LatestRecommenderUpdate: { Status: 'IN_PROGRESS', RecommenderConfig: { IncludedColumns: { _catalogItem: ['Category'] } } },
    });
    env.emu.clock.advance(100_000);
    got = await raw('GET', '/domains/D/recommenders/ForYou');
    expect(got.body).toMatchObject({ RecommenderConfig: { IncludedColumns: { _catalogItem: ['Category'] } } });
  });

  test('refuse IncludedColumns outside the model\'s constraints (1-2 dataset types)', async () => {
    const refused = await raw('POST', '/domains/D/recommenders/ForYou', {
      RecommenderRecipeName: 'recommended-for-you', RecommenderConfig: { IncludedColumns: { a: ['x'], b: ['y'], c: ['z'] } },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.Message ?? refused.body.message).toMatch(/IncludedColumns/);
  });
});

/** A request as JSON over HTTP, without the pinned SDK (which drops the members newer than it). */
function raw(method: string, path: string, body?: object): Promise<{ status: number; body: Record<string, any> }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${env.emu.endpoint}${path}`, { method, headers: { 'content-type': 'application/json' } }, (res) => {
      let data = '';
      res.on('data', (c) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data ? JSON.parse(data) : {} }));
    });
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}
