import { isComplete, onEvent } from '../../lambda/index';
import { Emulator } from '../../local/src/emulator';
import { stopEmulator } from '../helpers/handler-emulator';
import { completionEvent, createEvent, deploy, updateEvent, writeOperations } from '../helpers/handler-events';
import { MINUTE, RECOMMENDER, recommenderConfig, startWithDomain } from '../helpers/handler-recommender';

const config = recommenderConfig;

let emu: Emulator;
beforeEach(async () => {
  emu = await startWithDomain();
  await deploy(emu, createEvent(RECOMMENDER, config()), { stepMs: MINUTE });
  emu.resetRequests();
});
afterEach(async () => {
  await stopEmulator(emu);
});

describe('an update deferred because the recommender is busy', () => {
  test('a removed configuration member is still applied once the recommender is free', async () => {
    // An earlier update is still training: the next UpdateRecommender is deferred, not sent to be refused.
    const first = config({ Description: 'New text' });
    await onEvent(updateEvent(RECOMMENDER, 'customers/for-you', first, config()));
    const next = config({ Description: 'New text', RecommenderConfig: { EventsConfig: { EventParametersList: [{ EventType: 'purchase' }] } } });
    const result = await deploy(emu, updateEvent(RECOMMENDER, 'customers/for-you', next, first), { stepMs: MINUTE });
    expect(result.onEvent.Data.DeferredUpdate).toBe(true);
    expect(writeOperations(emu).filter((op) => op === 'UpdateRecommender')).toHaveLength(2);
    expect(emu.state.recommender('customers', 'for-you')).toMatchObject({
      RecommenderConfig: { EventsConfig: { EventParametersList: [{ EventType: 'purchase' }] } },
    });
    expect((emu.state.recommender('customers', 'for-you') as { RecommenderConfig: Record<string, unknown> }).RecommenderConfig.TrainingFrequency).toBeUndefined();
  });

  test('a deferred removal whose update fails surfaces the failure', async () => {
    const first = config({ Description: 'New text' });
    await onEvent(updateEvent(RECOMMENDER, 'customers/for-you', first, config()));
    const next = config({ Description: 'New text', RecommenderConfig: { EventsConfig: { EventParametersList: [{ EventType: 'purchase' }] } } });
    const event = updateEvent(RECOMMENDER, 'customers/for-you', next, first);
    const completion = completionEvent(event, await onEvent(event));
    expect(completion.Data?.DeferredUpdate).toBe(true);
    // Until the first update finished, nothing is sent; then the deferred update goes out.
    for (let i = 0; i < 30 && writeOperations(emu).filter((op) => op === 'UpdateRecommender').length < 2; i++) {
      expect((await isComplete(completion)).IsComplete).toBe(false);
      emu.clock.advance(MINUTE);
    }
    expect(writeOperations(emu).filter((op) => op === 'UpdateRecommender')).toHaveLength(2);
    emu.failRecommender('customers', 'for-you', 'Not enough events');
    emu.clock.advance(20 * MINUTE);
    await expect(isComplete(completion)).rejects.toThrow("Recommender 'customers/for-you': the update failed: Not enough events.");
  });
});

describe('removing the whole configuration', () => {
  test('is applied: UpdateRecommender sends an empty RecommenderConfig instead of leaving the old one', async () => {
    const next = config({ RecommenderConfig: undefined });
    await deploy(emu, updateEvent(RECOMMENDER, 'customers/for-you', next, config()), { stepMs: MINUTE });
    expect(writeOperations(emu)).toEqual(['UpdateRecommender']);
    const state = emu.state.recommender('customers', 'for-you') as { RecommenderConfig?: Record<string, unknown> };
    expect(state.RecommenderConfig?.TrainingFrequency).toBeUndefined();
    expect(state.RecommenderConfig?.EventsConfig).toBeUndefined();
  });
});

describe('includedColumns, which the pinned SDK drops from responses (issue #13, case 6)', () => {
  const withColumns = (overrides: Record<string, unknown> = {}) => config({
    RecommenderConfig: { EventsConfig: { EventParametersList: [{ EventType: 'purchase' }] }, TrainingFrequency: 7, IncludedColumns: { _catalogItem: ['Category'] } },
    ...overrides,
  });

  test('an update deferred while training sends exactly one UpdateRecommender, then completes', async () => {
    const training = config({ RecommenderName: 'fresh', WaitForActive: false });
    await deploy(emu, createEvent(RECOMMENDER, training), { stepMs: MINUTE });
    emu.resetRequests();
    const next = withColumns({ RecommenderName: 'fresh', WaitForActive: false });
    const result = await deploy(emu, updateEvent(RECOMMENDER, 'customers/fresh', next, training), { stepMs: MINUTE, maxPolls: 200 });
    expect(result.onEvent.Data.DeferredUpdate).toBe(true);
    expect(writeOperations(emu)).toEqual(['UpdateRecommender']);
    expect(emu.state.recommender('customers', 'fresh')).toMatchObject({
      RecommenderConfig: { IncludedColumns: { _catalogItem: ['Category'] } },
      LatestRecommenderUpdate: { Status: 'ACTIVE' },
    });
  });

  test('an update deferred behind another update sends exactly one UpdateRecommender, then completes', async () => {
    const first = config({ Description: 'New text' });
    await onEvent(updateEvent(RECOMMENDER, 'customers/for-you', first, config()));
    emu.resetRequests();
    const next = withColumns({ Description: 'New text' });
    const result = await deploy(emu, updateEvent(RECOMMENDER, 'customers/for-you', next, first), { stepMs: MINUTE, maxPolls: 200 });
    expect(result.onEvent.Data.DeferredUpdate).toBe(true);
    expect(writeOperations(emu)).toEqual(['UpdateRecommender']);
  });
});
