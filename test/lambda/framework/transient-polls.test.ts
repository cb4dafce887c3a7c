import { isComplete, onEvent } from '../../../lambda/index';
import { Emulator } from '../../../local/src/emulator';
import { ResourceTypes } from '../../../src/private/contract';
import { startEmulator, stopEmulator } from '../../helpers/handler-emulator';
import { completionEvent, createEvent, deploy, pastDeadline } from '../../helpers/handler-events';

const MINUTE = 60_000;

let emu: Emulator;
beforeEach(async () => {
  // One attempt per call: every injected error reaches the handler.
  emu = await startEmulator({ recommenderTrainingSeconds: 1800 }, 1);
  await deploy(emu, createEvent(ResourceTypes.DOMAIN, {
    DomainName: 'customers', DefaultExpirationDays: 30, DataStore: { Enabled: true }, WaitForDataStore: false, TimeoutSeconds: 60,
  }));
});
afterEach(async () => {
  await stopEmulator(emu);
});

function recommender() {
  return createEvent(ResourceTypes.RECOMMENDER, {
    DomainName: 'customers',
    RecommenderName: 'for-you',
    RecommenderRecipeName: 'recommended-for-you',
    RecommenderConfig: { EventsConfig: { EventParametersList: [{ EventType: 'purchase' }] } },
    Enabled: true,
    WaitForActive: true,
    TimeoutSeconds: 3000,
  });
}

describe('a poll that meets a transient error', () => {
  test.each([
    ['ThrottlingException' as const, 'Rate exceeded (injected)'],
    ['InternalServerException' as const, 'Internal failure (injected)'],
  ])('after %s (past the SDK retries) is "not complete yet", and the next poll goes on', async (error, message) => {
    const event = recommender();
    const poll = completionEvent(event, await onEvent(event));

    emu.faults.add({ operation: 'GetRecommender', times: 2, error, message });
    await expect(isComplete(poll)).resolves.toEqual({ IsComplete: false });
    await expect(isComplete(poll)).resolves.toEqual({ IsComplete: false });

    emu.clock.advance(31 * MINUTE);
    await expect(isComplete(poll)).resolves.toMatchObject({ IsComplete: true, Data: { Status: 'ACTIVE' } });
  });

  test('fails once the resource\'s deadline has passed, naming the resource, the operation and the message', async () => {
    const event = recommender();
    const poll = pastDeadline(completionEvent(event, await onEvent(event)));
    emu.faults.add({ operation: 'GetRecommender', times: 1, error: 'ThrottlingException', message: 'Rate exceeded (injected)' });
    await expect(isComplete(poll)).rejects.toThrow(/Recommender 'customers\/for-you': GetRecommender was still throttled after the SDK's retries: Rate exceeded \(injected\)/);
  });

  test('a non-transient error (access denied) fails the poll at once', async () => {
    const event = recommender();
    const poll = completionEvent(event, await onEvent(event));
    emu.faults.add({ operation: 'GetRecommender', times: 1, error: 'AccessDeniedException', message: 'not allowed (injected)' });
    await expect(isComplete(poll)).rejects.toThrow(/GetRecommender was denied/);
  });
});
