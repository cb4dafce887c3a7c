import {
  BadRequestException,
  CreateRecommenderCommand,
  CustomerProfilesClient,
  GetProfileRecommendationsCommand,
  GetRecommenderCommand,
  PutDomainObjectTypeCommand,
  PutProfileObjectCommand,
  ResourceNotFoundException,
  SearchProfilesCommand,
  UpdateRecommenderCommand,
} from '@aws-sdk/client-customer-profiles';
import { isComplete, onEvent } from '../../../lambda/index';
import { ResourceTypes } from '../../../src/private/contract';
import { startEmulator, stopEmulator } from '../../../test/helpers/handler-emulator';
import { completionEvent, createEvent, deploy } from '../../../test/helpers/handler-events';
import { MINUTE, RECOMMENDER, recommenderConfig } from '../../../test/helpers/handler-recommender';
import { generateSampleData, ingestSample, SAMPLE_OBJECT_TYPE_FIELDS, sampleCustomerId } from '../../../test/helpers/sample-data';
import { Clock, DEFAULT_TRAINING_REQUIREMENTS, Emulator } from '../../src/emulator';

/**
 * Recommenders train on the domain's interactions of their event types. Customer Profiles does
 * not document a minimum; the emulator assumes Amazon Personalize's (1,000 interactions, 25 users
 * with two or more each) and checks it when training would finish.
 */

const DOMAIN = 'customers';
let emu: Emulator;
let client: CustomerProfilesClient;

async function start(training = DEFAULT_TRAINING_REQUIREMENTS): Promise<void> {
  emu = await startEmulator({ recommenderTrainingSeconds: 1800, recommenderUpdateSeconds: 600 }, 3, training);
  const domain = { DomainName: DOMAIN, DefaultExpirationDays: 30, DataStore: { Enabled: true }, WaitForDataStore: false, TimeoutSeconds: 60 };
  await deploy(emu, createEvent(ResourceTypes.DOMAIN, domain));
  client = new CustomerProfilesClient({
    endpoint: emu.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
}

afterEach(async () => {
  client?.destroy();
  await stopEmulator(emu);
});

function put(object: unknown, objectTypeName = 'WebEvents', domainName = DOMAIN) {
  return client.send(new PutProfileObjectCommand({ DomainName: domainName, ObjectTypeName: objectTypeName, Object: typeof object === 'string' ? object : JSON.stringify(object) }));
}

async function putObjectTypes(): Promise<void> {
  for (const [name, fields] of Object.entries(SAMPLE_OBJECT_TYPE_FIELDS)) {
    await client.send(new PutDomainObjectTypeCommand({ DomainName: DOMAIN, ObjectTypeName: name, Fields: fields }));
  }
}

const PURCHASES = recommenderConfig({ RecommenderConfig: { EventsConfig: { EventParametersList: [{ EventType: 'purchase' }, { EventType: 'view' }] } } });

describe('PutProfileObject', () => {
  beforeEach(async () => {
    await start();
    await putObjectTypes();
  });

  test.each([
    ['no object type name', { DomainName: DOMAIN, Object: '{}' }, "Value null at 'ObjectTypeName' failed to satisfy constraint: Member must not be null"],
    ['an object type name off the pattern', { DomainName: DOMAIN, ObjectTypeName: '1events', Object: '{}' }, "at 'ObjectTypeName' failed to satisfy constraint: Member must satisfy regular expression pattern"],
    ['an empty object', { DomainName: DOMAIN, ObjectTypeName: 'WebEvents', Object: '' }, "at 'Object' failed to satisfy constraint: Member must have length greater than or equal to 1"],
  ])('refuses %s as the model says', async (_case, input, message) => {
    const err = await client.send(new PutProfileObjectCommand(input as never)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestException);
    expect((err as Error).message).toContain(message);
  });

  test('refuses an object that is not a JSON object, without echoing it', async () => {
    const err = await put('{"CustomerId": "C1", secret').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestException);
    expect((err as Error).message).toBe('Object is not valid JSON');
    await expect(put('[1, 2]')).rejects.toThrow('Object must be a JSON object');
  });

  test('an unknown domain or object type is not found', async () => {
    await expect(put({}, 'WebEvents', 'nope')).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(put({}, 'Unknown')).rejects.toThrow('Domain object type Unknown was not found in domain customers');
  });

  test('a customer record makes a profile; web events land on it by account number; SearchProfiles finds it', async () => {
    const { ProfileObjectUniqueKey } = await put({ CustomerId: 'C001', FirstName: 'Ada', Tier: 'gold', LifetimeValue: 1500, Country: 'DE' }, 'Customers');
    expect(ProfileObjectUniqueKey).toMatch(/^[0-9a-f]+$/);
    await put({ EventId: 'E1', CustomerId: 'C001', EventType: 'view', ItemId: 'P001', EventValue: 30 });
    await put({ EventId: 'E2', CustomerId: 'C002', EventType: 'view', ItemId: 'P001' });
    const { Items } = await client.send(new SearchProfilesCommand({ DomainName: DOMAIN, KeyName: '_account', Values: ['C001'] }));
    expect(Items).toEqual([expect.objectContaining({
      AccountNumber: 'C001', FirstName: 'Ada', Attributes: { tier: 'gold', lifetime_value: '1500' }, ShippingAddress: { Country: 'DE' },
    })]);
    expect(Items![0].ProfileId).toMatch(/^[a-f0-9]{32}$/);
    // C002 has no customer record yet: an inferred profile, as the API doc of PutProfileObject describes.
    expect(emu.state.domain(DOMAIN)).toMatchObject({ Stats: { ProfileCount: 2, ObjectCount: 3 } });
  });

  test('SearchProfiles answers 501 for keys the emulator does not search', async () => {
    await expect(client.send(new SearchProfilesCommand({ DomainName: DOMAIN, KeyName: '_salesforceAccountId', Values: ['x'] })))
      .rejects.toThrow(/searches only by one of _profileId, _account, _email, _phone/);
  });
});

describe('training needs data', () => {
  test('a recommender on an empty domain ends FAILED with the reason: the handler\'s wait fails with it', async () => {
    await start();
    const event = createEvent(RECOMMENDER, PURCHASES);
    const first = await onEvent(event);
    emu.clock.advance(31 * MINUTE);
    await expect(isComplete(completionEvent(event, first))).rejects.toThrow(
      "Recommender 'customers/for-you' failed: Insufficient training data: the domain has 0 interactions of the event types (purchase, view) "
      + 'and 0 users with at least 2 of them; training needs at least 1000 interactions and 25 users with at least 2 each. ');
    expect(emu.state.recommender(DOMAIN, 'for-you')).toMatchObject({ Status: 'FAILED', FailureReason: expect.stringMatching(/^Insufficient training data/) });
  });

  test('with the sample data it becomes ACTIVE and recommends items of the data, the same on every run', async () => {
    const answers: unknown[] = [];
    for (let run = 0; run < 2; run++) {
      if (run > 0) {
        client.destroy();
        await stopEmulator(emu);
      }
      await start();
      await ingestSample(emu, DOMAIN);
      const result = await deploy(emu, createEvent(RECOMMENDER, PURCHASES), { stepMs: MINUTE });
      expect(result.attributes.Status).toBe('ACTIVE');
      const { Items } = await client.send(new SearchProfilesCommand({ DomainName: DOMAIN, KeyName: '_account', Values: [sampleCustomerId(1)] }));
      const { Recommendations } = await client.send(new GetProfileRecommendationsCommand({
        DomainName: DOMAIN, RecommenderName: 'for-you', ProfileId: Items![0].ProfileId!, MaxResults: 3,
      }));
      expect(Recommendations).toHaveLength(3);
      for (const r of Recommendations!) {
        expect(r.CatalogItem).toMatchObject({ Id: expect.stringMatching(/^P\d{3}$/), Name: expect.any(String), Category: expect.any(String) });
        expect(r.Score).toBeGreaterThan(0);
        expect(r.Score).toBeLessThanOrEqual(1);
      }
      answers.push(Recommendations!.map((r) => [r.CatalogItem?.Id, r.Score]));
    }
    expect(answers[1]).toEqual(answers[0]);
  });

  test('data put after training finished does not count; data put before it does', async () => {
    await start();
    await putObjectTypes();
    const status = async (name: string) => (await client.send(new GetRecommenderCommand({ DomainName: DOMAIN, RecommenderName: name }))).Status;
    await client.send(new CreateRecommenderCommand({ DomainName: DOMAIN, RecommenderName: 'late', RecommenderRecipeName: 'popular-items' }));
    emu.clock.advance(31 * MINUTE);
    await ingestSample(emu, DOMAIN);
    expect(await status('late')).toBe('FAILED');

    await client.send(new CreateRecommenderCommand({ DomainName: DOMAIN, RecommenderName: 'other', RecommenderRecipeName: 'popular-items', RecommenderConfig: { EventsConfig: { EventParametersList: [{ EventType: 'refund' }] } } }));
    emu.clock.advance(31 * MINUTE);
    const other = await client.send(new GetRecommenderCommand({ DomainName: DOMAIN, RecommenderName: 'other' }));
    expect(other).toMatchObject({ Status: 'FAILED', FailureReason: expect.stringContaining('0 interactions of the event types (refund)') });
  });

  test('data that arrives while a recommender trains counts', async () => {
    await start();
    await putObjectTypes();
    await client.send(new CreateRecommenderCommand({ DomainName: DOMAIN, RecommenderName: 'early', RecommenderRecipeName: 'popular-items' }));
    emu.clock.advance(29 * MINUTE);
    await ingestSample(emu, DOMAIN);
    emu.clock.advance(2 * MINUTE);
    expect((await client.send(new GetRecommenderCommand({ DomainName: DOMAIN, RecommenderName: 'early' }))).Status).toBe('ACTIVE');
  });

  test('an update (a retraining) on too little data of the new event types fails and keeps the previous configuration', async () => {
    await start();
    await ingestSample(emu, DOMAIN);
    await deploy(emu, createEvent(RECOMMENDER, PURCHASES), { stepMs: MINUTE });
    const addToCart = { EventsConfig: { EventParametersList: [{ EventType: 'add-to-cart' }] } };
    await client.send(new UpdateRecommenderCommand({ DomainName: DOMAIN, RecommenderName: 'for-you', RecommenderConfig: addToCart }));
    emu.clock.advance(11 * MINUTE);
    const after = await client.send(new GetRecommenderCommand({ DomainName: DOMAIN, RecommenderName: 'for-you' }));
    expect(after.Status).toBe('ACTIVE');
    expect(after.LatestRecommenderUpdate).toMatchObject({
      Status: 'FAILED',
      FailureReason: expect.stringContaining('the domain has 180 interactions of the event types (add-to-cart)'),
    });
    expect(after.RecommenderConfig?.EventsConfig?.EventParametersList?.map((p) => p.EventType)).toEqual(['purchase', 'view']);
  });

  test('a snapshot keeps the trained model: a restored emulator answers the same recommendations', async () => {
    await start();
    await ingestSample(emu, DOMAIN);
    await deploy(emu, createEvent(RECOMMENDER, PURCHASES), { stepMs: MINUTE });
    const { Items } = await client.send(new SearchProfilesCommand({ DomainName: DOMAIN, KeyName: '_account', Values: [sampleCustomerId(2)] }));
    const ask = (c: CustomerProfilesClient) => c.send(new GetProfileRecommendationsCommand({ DomainName: DOMAIN, RecommenderName: 'for-you', ProfileId: Items![0].ProfileId! }));
    const before = (await ask(client)).Recommendations;
    const restored = await Emulator.start({ clock: Clock.manual(Date.UTC(2030, 0, 1)), restore: emu.snapshot() });
    const other = new CustomerProfilesClient({ endpoint: restored.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 });
    try {
      expect(before).toHaveLength(10);
      expect((await ask(other)).Recommendations).toEqual(before);
    } finally {
      other.destroy();
      await restored.stop();
    }
  });

  test('the minimum is a parameter: a lower one trains on a small data set', async () => {
    await start({ minInteractions: 20, minUsers: 2, minInteractionsPerUser: 2 });
    await ingestSample(emu, DOMAIN, generateSampleData({ customers: 2, viewsPerCustomer: 10, addToCartsPerCustomer: 0, purchasesPerCustomer: 0 }));
    const result = await deploy(emu, createEvent(RECOMMENDER, PURCHASES), { stepMs: MINUTE });
    expect(result.attributes.Status).toBe('ACTIVE');
  });
});
