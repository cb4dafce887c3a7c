import { isComplete, onEvent } from '../../lambda/index';
import { Emulator } from '../../local/src/emulator';
import { OWNER_TAG_KEY, ownerMarker, ResourceTypes } from '../../src/private/contract';
import { stopEmulator } from '../helpers/handler-emulator';
import { completionEvent, createEvent, deleteEvent, deploy, pastDeadline, STACK_ID, updateEvent, writeOperations } from '../helpers/handler-events';
import { MINUTE, RECOMMENDER, recommenderConfig, startWithDomain } from '../helpers/handler-recommender';

function config(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return recommenderConfig({ Tags: { team: 'crm' }, ...overrides });
}

let emu: Emulator;
beforeEach(async () => {
  emu = await startWithDomain();
});
afterEach(async () => {
  await stopEmulator(emu);
});

async function created(c = config()): Promise<void> {
  await deploy(emu, createEvent(RECOMMENDER, c), { stepMs: MINUTE });
  emu.resetRequests();
}

describe('create', () => {
  test('creates the recommender and waits until training finished (ACTIVE)', async () => {
    const result = await deploy(emu, createEvent(RECOMMENDER, config()), { stepMs: MINUTE });
    expect(result.onEvent.PhysicalResourceId).toBe('customers/for-you');
    expect(result.polls).toBeGreaterThanOrEqual(29);
    expect(result.attributes).toMatchObject({
      DomainName: 'customers',
      RecommenderName: 'for-you',
      RecommenderArn: 'arn:aws:profile:us-east-1:123456789012:domains/customers/recommenders/for-you',
      Status: 'ACTIVE',
    });
    expect(emu.state.recommender('customers', 'for-you')).toMatchObject({ Status: 'ACTIVE', Tags: { team: 'crm' } });
  });

  test('returns once training started when waitForActive is false', async () => {
    const result = await deploy(emu, createEvent(RECOMMENDER, config({ WaitForActive: false })), { stepMs: MINUTE });
    expect(result.attributes.Status).toBe('IN_PROGRESS');
    expect(result.polls).toBeLessThan(5);
  });

  test('coerces numbers and booleans that arrive as strings', async () => {
    const result = await deploy(emu, createEvent(RECOMMENDER, config({
      RecommenderConfig: { EventsConfig: { EventParametersList: [{ EventType: 'purchase', EventValueThreshold: '5' }] }, TrainingFrequency: '7' },
      Enabled: 'true',
      WaitForActive: 'false',
      TimeoutSeconds: '600',
    })), { stepMs: MINUTE });
    expect(result.attributes.Status).toBe('IN_PROGRESS');
    expect(emu.state.recommender('customers', 'for-you')).toMatchObject({
      RecommenderConfig: { EventsConfig: { EventParametersList: [{ EventType: 'purchase', EventValueThreshold: 5 }] }, TrainingFrequency: 7 },
    });
  });

  test('sends members newer than the pinned SDK (schema name, included columns)', async () => {
    await deploy(emu, createEvent(RECOMMENDER, config({
      RecommenderSchemaName: 'my-schema',
      RecommenderConfig: { EventsConfig: { EventParametersList: [{ EventType: 'purchase' }] }, IncludedColumns: { Items: ['Category'] } },
      WaitForActive: false,
    })), { stepMs: MINUTE });
    expect(emu.state.recommender('customers', 'for-you')).toMatchObject({
      RecommenderSchemaName: 'my-schema',
      RecommenderConfig: { IncludedColumns: { Items: ['Category'] } },
    });
  });

  test('a disabled recommender is stopped once trained and reported INACTIVE', async () => {
    const result = await deploy(emu, createEvent(RECOMMENDER, config({ Enabled: false })), { stepMs: MINUTE });
    expect(result.attributes.Status).toBe('INACTIVE');
    expect(writeOperations(emu)).toEqual(['CreateRecommender', 'StopRecommender']);
  });

  test('FAILED surfaces the service\'s FailureReason', async () => {
    const event = createEvent(RECOMMENDER, config());
    const first = await onEvent(event);
    emu.failRecommender('customers', 'for-you', 'Not enough interactions: need at least 1000 events');
    emu.clock.advance(31 * MINUTE);
    await expect(isComplete(completionEvent(event, first))).rejects.toThrow(
      "Recommender 'customers/for-you' failed: Not enough interactions: need at least 1000 events.");
  });

  test('the deadline names the status, the wait and the props to change', async () => {
    const event = createEvent(RECOMMENDER, config({ TimeoutSeconds: 900 }));
    const first = await onEvent(event);
    emu.clock.advance(10 * MINUTE);
    await expect(isComplete(pastDeadline(completionEvent(event, first)))).rejects.toThrow(
      "Recommender 'customers/for-you': gave up waiting for training to finish (ACTIVE) after 15 minutes (last seen: status IN_PROGRESS). "
      + "Training takes longer with more data: raise the recommender's timeout, or set waitForActive: false");
  });

  test('a retried create with the same recipe adopts the recommender', async () => {
    const event = createEvent(RECOMMENDER, config());
    await onEvent(event);
    emu.clock.advance(31 * MINUTE);
    emu.resetRequests();
    const result = await deploy(emu, createEvent(RECOMMENDER, config(), { requestId: event.RequestId }), { stepMs: MINUTE });
    expect(result.onEvent.PhysicalResourceId).toBe('customers/for-you');
    expect(result.attributes.Status).toBe('ACTIVE');
    expect(writeOperations(emu)).toEqual(['CreateRecommender']);
  });

  test('an existing recommender with another recipe is not adopted', async () => {
    await onEvent(createEvent(RECOMMENDER, config()));
    await expect(onEvent(createEvent(RECOMMENDER, config({ RecommenderRecipeName: 'popular-items' })))).rejects.toThrow(
      "Recommender 'customers/for-you' already exists with recipe recommended-for-you, not popular-items");
  });

  test('a domain without a data store gives a plain sentence saying how to enable it, and nothing is created', async () => {
    await deploy(emu, createEvent(ResourceTypes.DOMAIN, { DomainName: 'plain', DefaultExpirationDays: 30, WaitForDataStore: false, TimeoutSeconds: 60 }));
    emu.resetRequests();
    await expect(onEvent(createEvent(RECOMMENDER, config({ DomainName: 'plain' })))).rejects.toThrow(
      "Recommender 'plain/for-you' needs the data store of domain 'plain', which is not enabled: "
      + 'enable the data store on domain plain (dataStore: DataStore.enabled()) and deploy again.');
    expect(writeOperations(emu)).toEqual(['CreateRecommender']);
    expect(emu.state.recommender('plain', 'for-you')).toBeUndefined();
  });

  test('retries throttling and internal errors', async () => {
    emu.faults.add({ operation: 'CreateRecommender', times: 1, error: 'ThrottlingException' });
    emu.faults.add({ operation: 'GetRecommender', times: 1, error: 'InternalServerException' });
    await deploy(emu, createEvent(RECOMMENDER, config({ WaitForActive: false })), { stepMs: MINUTE });
    expect(emu.requests.filter((r) => r.operation === 'CreateRecommender').map((r) => r.status)).toEqual([429, 200]);
    expect(emu.requests.filter((r) => r.operation === 'GetRecommender').map((r) => r.status)[0]).toBe(500);
  });
});

describe('update', () => {
  test('description and configuration in place, waiting on LatestRecommenderUpdate', async () => {
    await created();
    const next = config({ Description: 'New text', RecommenderConfig: { EventsConfig: { EventParametersList: [{ EventType: 'view' }] } } });
    const result = await deploy(emu, updateEvent(RECOMMENDER, 'customers/for-you', next, config()), { stepMs: MINUTE });
    expect(result.onEvent.PhysicalResourceId).toBe('customers/for-you');
    expect(writeOperations(emu)).toEqual(['UpdateRecommender']);
    expect(result.polls).toBeGreaterThanOrEqual(9);
    expect(emu.state.recommender('customers', 'for-you')).toMatchObject({
      Description: 'New text',
      LatestRecommenderUpdate: { Status: 'ACTIVE' },
      RecommenderConfig: { EventsConfig: { EventParametersList: [{ EventType: 'view' }] } },
    });
  });

  test('a failed update surfaces its FailureReason', async () => {
    await created();
    const event = updateEvent(RECOMMENDER, 'customers/for-you', config({ Description: 'New text' }), config());
    const first = await onEvent(event);
    emu.failRecommender('customers', 'for-you', 'Event type view has no data');
    await expect(isComplete(completionEvent(event, first))).rejects.toThrow(
      "Recommender 'customers/for-you': the update failed: Event type view has no data.");
  });

  test('a no-op update makes no write call', async () => {
    await created();
    const result = await deploy(emu, updateEvent(RECOMMENDER, 'customers/for-you', config(), config()));
    expect(result.polls).toBe(0);
    expect(writeOperations(emu)).toEqual([]);
  });

  test('enabled to disabled stops it and waits for INACTIVE; back to enabled starts it and waits for ACTIVE', async () => {
    await created();
    const stopped = await deploy(emu, updateEvent(RECOMMENDER, 'customers/for-you', config({ Enabled: false }), config()), { stepMs: MINUTE });
    expect(stopped.attributes.Status).toBe('INACTIVE');
    expect(writeOperations(emu)).toEqual(['StopRecommender']);
    emu.resetRequests();
    const started = await deploy(emu, updateEvent(RECOMMENDER, 'customers/for-you', config(), config({ Enabled: false })), { stepMs: MINUTE });
    expect(started.attributes.Status).toBe('ACTIVE');
    expect(started.polls).toBeGreaterThanOrEqual(4);
    expect(writeOperations(emu)).toEqual(['StartRecommender']);
  });

  test('tags change in place', async () => {
    await created();
    await deploy(emu, updateEvent(RECOMMENDER, 'customers/for-you', config({ Tags: { env: 'prod' } }), config()));
    expect(writeOperations(emu)).toEqual(['UntagResource', 'TagResource']);
    expect(emu.state.recommender('customers', 'for-you')?.Tags).toEqual({ env: 'prod', [OWNER_TAG_KEY]: ownerMarker(STACK_ID, 'Resource') });
  });

  test('a new recipe with a new name replaces the recommender', async () => {
    await created();
    const next = config({ RecommenderName: 'popular', RecommenderRecipeName: 'popular-items' });
    const result = await deploy(emu, updateEvent(RECOMMENDER, 'customers/for-you', next, config()), { stepMs: MINUTE });
    expect(result.onEvent.PhysicalResourceId).toBe('customers/popular');
    expect(writeOperations(emu)).toEqual(['CreateRecommender']);
  });

  test('a new recipe under the same explicit name is refused with what to do', async () => {
    await created();
    await expect(onEvent(updateEvent(RECOMMENDER, 'customers/for-you', config({ RecommenderRecipeName: 'popular-items' }), config())))
      .rejects.toThrow("Recommender 'customers/for-you': changing the recipe or schema needs a new recommender, and its name did not change");
    expect(writeOperations(emu)).toEqual([]);
  });
});

test('an update of a recommender deleted outside CloudFormation fails naming the fix, and writes nothing', async () => {
  await onEvent(createEvent(RECOMMENDER, config()));
  emu.clock.advance(31 * MINUTE);
  await onEvent(deleteEvent(RECOMMENDER, 'customers/for-you', config()));
  emu.clock.advance(5 * MINUTE);
  emu.resetRequests();
  await expect(onEvent(updateEvent(RECOMMENDER, 'customers/for-you', config({ Description: 'New text' }), config()))).rejects.toThrow(
    "Recommender 'customers/for-you' was not found: was it deleted outside CloudFormation? To create it again, give it another recommenderName");
  expect(writeOperations(emu)).toEqual([]);
});

describe('delete', () => {
  test('deletes and waits until GetRecommender answers not found', async () => {
    await created();
    const result = await deploy(emu, deleteEvent(RECOMMENDER, 'customers/for-you', config()), { stepMs: 15_000 });
    expect(result.polls).toBeGreaterThanOrEqual(3);
    expect(emu.state.recommender('customers', 'for-you')).toBeUndefined();
    expect(emu.requests.at(-1)).toMatchObject({ operation: 'GetRecommender', status: 404 });
  });

  test('a recommender already gone counts as deleted', async () => {
    const result = await deploy(emu, deleteEvent(RECOMMENDER, 'customers/for-you', config()));
    expect(result.final.IsComplete).toBe(true);
    expect(emu.requests.map((r) => `${r.operation} ${r.status}`)).toEqual(['GetRecommender 404']);
  });
});

test('a create that finds this resource\'s own recommender with another configuration converges it (the marker says whose it is, not the content)', async () => {
  // Left by an earlier attempt of this resource (e.g. a failed deployment that did not delete it).
  const event = createEvent(RECOMMENDER, config());
  await onEvent(event);
  emu.clock.advance(31 * MINUTE);
  emu.resetRequests();
  const next = config({ Description: 'New text' });
  const result = await deploy(emu, createEvent(RECOMMENDER, next), { stepMs: MINUTE });
  expect(result.attributes.Status).toBe('ACTIVE');
  expect(writeOperations(emu)).toEqual(['CreateRecommender', 'UpdateRecommender']);
  expect(emu.state.recommender('customers', 'for-you')).toMatchObject({ Description: 'New text', LatestRecommenderUpdate: { Status: 'ACTIVE' } });
});
