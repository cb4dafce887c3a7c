import { CreateRecommenderCommand, CustomerProfilesClient, StopRecommenderCommand } from '@aws-sdk/client-customer-profiles';
import { onEvent } from '../../lambda/index';
import { Emulator } from '../../local/src/emulator';
import { OWNER_TAG_KEY, ownerMarker } from '../../src/private/contract';
import { stopEmulator } from '../helpers/handler-emulator';
import {
  createEvent, deleteEvent, deploy, EARLIER_STACK_ID, OTHER_STACK_ID, STACK_ID, updateEvent, writeOperations,
} from '../helpers/handler-events';
import { MINUTE, othersClient, RECOMMENDER, recommenderConfig, startWithDomain } from '../helpers/handler-recommender';

/**
 * Ownership of recommenders (issue #13, case 3 and the update and delete paths): the handler
 * changes and deletes only a recommender that carries this logical resource's owner marker.
 */

const MARKER = ownerMarker(STACK_ID, 'Resource');
const ID = 'customers/for-you';

let emu: Emulator;
let others: CustomerProfilesClient;
beforeEach(async () => {
  emu = await startWithDomain();
  others = othersClient(emu);
});
afterEach(async () => {
  others.destroy();
  await stopEmulator(emu);
});

/** `for-you`, made by someone else through the SDK with another description and training frequency, trained. */
async function someoneElses(tags?: Record<string, string>, overrides: Record<string, unknown> = {}): Promise<void> {
  await others.send(new CreateRecommenderCommand({
    DomainName: 'customers',
    RecommenderName: 'for-you',
    RecommenderRecipeName: 'recommended-for-you',
    Description: 'Another team\'s recommender',
    RecommenderConfig: { TrainingFrequency: 14 },
    Tags: tags,
    ...overrides,
  }));
  emu.clock.advance(31 * MINUTE);
  emu.resetRequests();
}

function state(): Record<string, unknown> | undefined {
  return emu.state.recommender('customers', 'for-you') as Record<string, unknown> | undefined;
}

const UNMARKED = `Recommender '${ID}' already exists and carries no owner tag (${OWNER_TAG_KEY})`;

describe('create', () => {
  test('case 3: a first-time create without description or configuration is refused over someone else\'s recommender, and the rollback leaves it', async () => {
    await someoneElses();
    const c = recommenderConfig({ Description: undefined, RecommenderConfig: undefined });
    await expect(onEvent(createEvent(RECOMMENDER, c))).rejects.toThrow(UNMARKED);
    // Rollback (or a later removal) sends Delete for the name: the recommender is left as it was.
    const rollback = await deploy(emu, deleteEvent(RECOMMENDER, ID, c));
    expect(rollback.polls).toBe(0);
    expect(rollback.onEvent.Data.LeftInPlace).toBe(true);
    expect(writeOperations(emu)).toEqual(['CreateRecommender']);
    expect(state()).toMatchObject({ Description: 'Another team\'s recommender', RecommenderConfig: { TrainingFrequency: 14 }, Status: 'ACTIVE' });
    expect((state()?.Tags as Record<string, string> | undefined)?.[OWNER_TAG_KEY]).toBeUndefined();
  });

  test('the refusal names the fixes: adoptExisting with RETAIN, Recommender.fromRecommenderName, another name', async () => {
    await someoneElses();
    const err = await onEvent(createEvent(RECOMMENDER, recommenderConfig())).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/set adoptExisting: true on the construct \(with removalPolicy RETAIN\)/);
    expect((err as Error).message).toMatch(/use Recommender\.fromRecommenderName/);
  });

  test('a new recommender carries the owner marker next to the user tags', async () => {
    await deploy(emu, createEvent(RECOMMENDER, recommenderConfig({ Tags: { team: 'crm' } })), { stepMs: MINUTE });
    expect(state()?.Tags).toEqual({ team: 'crm', [OWNER_TAG_KEY]: MARKER });
  });

  test('a retried create finds its own marker and adopts, with includedColumns and a schema too (case 6b)', async () => {
    const c = recommenderConfig({
      RecommenderSchemaName: 'retail',
      RecommenderConfig: { EventsConfig: { EventParametersList: [{ EventType: 'purchase' }] }, IncludedColumns: { _catalogItem: ['Category'] } },
    });
    const event = createEvent(RECOMMENDER, c);
    await onEvent(event);
    emu.clock.advance(31 * MINUTE);
    emu.resetRequests();
    const retried = await deploy(emu, createEvent(RECOMMENDER, c, { requestId: event.RequestId }), { stepMs: MINUTE });
    expect(retried.onEvent.PhysicalResourceId).toBe(ID);
    expect(retried.attributes.Status).toBe('ACTIVE');
    // No UpdateRecommender: it would retrain the recommender for nothing.
    expect(writeOperations(emu)).toEqual(['CreateRecommender']);
  });

  test.each([
    ['another stack', ownerMarker(OTHER_STACK_ID, 'Resource'), 'belongs to another stack'],
    ['another resource of this stack', ownerMarker(STACK_ID, 'Other'), 'belongs to resource Other of this stack'],
  ])('one of %s is refused even with adoptExisting, and its delete leaves it', async (_who, marker, message) => {
    await someoneElses({ [OWNER_TAG_KEY]: marker });
    const c = recommenderConfig({ AdoptExisting: true });
    await expect(onEvent(createEvent(RECOMMENDER, c))).rejects.toThrow(`Recommender '${ID}' already exists and ${message}`);
    await deploy(emu, deleteEvent(RECOMMENDER, ID, c));
    expect(writeOperations(emu)).toEqual(['CreateRecommender']);
    expect(state()).toMatchObject({ Description: 'Another team\'s recommender', Tags: { [OWNER_TAG_KEY]: marker } });
  });

  test('adoptExisting takes over an unmarked recommender: marks it first, then converges configuration, tags and running state', async () => {
    await someoneElses({ team: 'other' });
    const c = recommenderConfig({ AdoptExisting: true, Enabled: false, Tags: { team: 'crm' } });
    const result = await deploy(emu, createEvent(RECOMMENDER, c), { stepMs: MINUTE });
    expect(result.attributes.Status).toBe('INACTIVE');
    expect(writeOperations(emu)).toEqual(['CreateRecommender', 'TagResource', 'UpdateRecommender', 'TagResource', 'StopRecommender']);
    expect(state()).toMatchObject({
      Description: 'Recommendations on the home page',
      RecommenderConfig: { EventsConfig: { EventParametersList: [{ EventType: 'purchase' }] }, TrainingFrequency: 7 },
      LatestRecommenderUpdate: { Status: 'ACTIVE' },
      Status: 'INACTIVE',
      Tags: { team: 'crm', [OWNER_TAG_KEY]: MARKER },
    });
    // Now it is this resource's: its delete deletes it.
    await deploy(emu, deleteEvent(RECOMMENDER, ID, c));
    expect(state()).toBeUndefined();
  });

  test('adoption of a recommender that already has the configuration sends no UpdateRecommender', async () => {
    const c = recommenderConfig({ AdoptExisting: true });
    await someoneElses(undefined, { Description: c.Description, RecommenderConfig: c.RecommenderConfig });
    await deploy(emu, createEvent(RECOMMENDER, c), { stepMs: MINUTE });
    expect(writeOperations(emu)).toEqual(['CreateRecommender', 'TagResource']);
  });

  test('one left by an earlier stack of the same name is refused without adoptExisting and adopted with it', async () => {
    const c = recommenderConfig();
    await someoneElses({ [OWNER_TAG_KEY]: ownerMarker(EARLIER_STACK_ID, 'Resource') }, { Description: c.Description, RecommenderConfig: c.RecommenderConfig });
    await expect(onEvent(createEvent(RECOMMENDER, c))).rejects.toThrow('left by an earlier stack of this name that was deleted');
    await deploy(emu, createEvent(RECOMMENDER, { ...c, AdoptExisting: true }), { stepMs: MINUTE });
    expect(state()?.Tags).toEqual({ [OWNER_TAG_KEY]: MARKER });
  });

  test('adoption of one with another recipe is refused before anything is written', async () => {
    await someoneElses(undefined, { RecommenderRecipeName: 'popular-items' });
    await expect(onEvent(createEvent(RECOMMENDER, recommenderConfig({ AdoptExisting: true }))))
      .rejects.toThrow(`Recommender '${ID}' already exists with recipe popular-items, not recommended-for-you`);
    expect(writeOperations(emu)).toEqual(['CreateRecommender']);
  });
});

describe('update of this stack\'s recommender', () => {
  beforeEach(async () => {
    await deploy(emu, createEvent(RECOMMENDER, recommenderConfig()), { stepMs: MINUTE });
    emu.resetRequests();
  });

  test('reads it once, before the first write', async () => {
    const next = recommenderConfig({ Description: 'New text', Enabled: false, Tags: { env: 'prod' } });
    await onEvent(updateEvent(RECOMMENDER, ID, next, recommenderConfig()));
    expect(emu.requests.map((r) => r.operation)).toEqual(['GetRecommender', 'UpdateRecommender', 'TagResource']);
  });

  test('a no-op update makes no call at all', async () => {
    await onEvent(updateEvent(RECOMMENDER, ID, recommenderConfig(), recommenderConfig()));
    expect(emu.requests).toEqual([]);
  });

  test('tag changes never remove the marker', async () => {
    await deploy(emu, updateEvent(RECOMMENDER, ID, recommenderConfig({ Tags: { env: 'prod' } }), recommenderConfig({ Tags: { team: 'crm' } })));
    expect(state()?.Tags).toEqual({ env: 'prod', [OWNER_TAG_KEY]: MARKER });
  });
});

describe('a recommender deployed before ownership markers (unmarked)', () => {
  // What an earlier version of the library created: the stack's definition and tags, no marker.
  beforeEach(async () => {
    const c = recommenderConfig();
    await someoneElses({ team: 'crm' }, { Description: c.Description, RecommenderConfig: c.RecommenderConfig });
  });
  const old = recommenderConfig({ Tags: { team: 'crm' } });

  test('an update with writes is refused, pointing to adoptExisting, untouched', async () => {
    const err = await onEvent(updateEvent(RECOMMENDER, ID, { ...old, Description: 'New text' }, old)).catch((e: Error) => e);
    expect((err as Error).message).toContain(UNMARKED);
    expect((err as Error).message).toContain('set adoptExisting: true');
    expect(emu.requests.map((r) => r.operation)).toEqual(['GetRecommender']);
  });

  test('a no-op update makes no call, and isComplete does not start it when its owner stopped it', async () => {
    await others.send(new StopRecommenderCommand({ DomainName: 'customers', RecommenderName: 'for-you' }));
    emu.clock.advance(5 * MINUTE);
    emu.resetRequests();
    await expect(deploy(emu, updateEvent(RECOMMENDER, ID, old, old), { stepMs: MINUTE })).rejects.toThrow(UNMARKED);
    expect(writeOperations(emu)).toEqual([]);
  });

  test('turning adoptExisting on marks it, and the change is applied', async () => {
    await deploy(emu, updateEvent(RECOMMENDER, ID, { ...old, Description: 'New text', AdoptExisting: true }, old), { stepMs: MINUTE });
    expect(writeOperations(emu)).toEqual(['TagResource', 'UpdateRecommender']);
    expect(state()).toMatchObject({ Description: 'New text', Tags: { team: 'crm', [OWNER_TAG_KEY]: MARKER } });
  });

  test('turning adoptExisting on alone marks it', async () => {
    await deploy(emu, updateEvent(RECOMMENDER, ID, { ...old, AdoptExisting: true }, old), { stepMs: MINUTE });
    expect(writeOperations(emu)).toEqual(['TagResource']);
    expect(state()?.Tags).toEqual({ team: 'crm', [OWNER_TAG_KEY]: MARKER });
  });

  test('its delete leaves it in place and completes at once', async () => {
    const result = await deploy(emu, deleteEvent(RECOMMENDER, ID, old));
    expect(result.polls).toBe(0);
    expect(result.onEvent.Data.LeftInPlace).toBe(true);
    expect(emu.requests.map((r) => r.operation)).toEqual(['GetRecommender']);
    expect(state()).toMatchObject({ Status: 'ACTIVE' });
  });
});

describe('update of another owner\'s recommender', () => {
  test.each([
    ['another stack', ownerMarker(OTHER_STACK_ID, 'Resource')],
    ['another resource of this stack', ownerMarker(STACK_ID, 'Other')],
  ])('one of %s is refused even with adoptExisting', async (_who, marker) => {
    const old = recommenderConfig();
    await someoneElses({ [OWNER_TAG_KEY]: marker }, { Description: old.Description, RecommenderConfig: old.RecommenderConfig });
    await expect(onEvent(updateEvent(RECOMMENDER, ID, { ...old, Description: 'New text', AdoptExisting: true }, old)))
      .rejects.toThrow(`Recommender '${ID}' already exists and belongs to`);
    expect(writeOperations(emu)).toEqual([]);
  });
});
