import {
  CreateDomainCommand,
  CreateRecommenderCommand,
  CreateSegmentDefinitionCommand,
  GetDomainCommand,
  GetRecommenderCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-customer-profiles';
import { Clock, Emulator } from '../../src/emulator';
import { EmulatorForTests, startEmulatorForTests, stopEmulatorForTests } from '../helpers/emulator';

let first: EmulatorForTests | undefined;
let second: EmulatorForTests | undefined;
afterEach(async () => {
  await stopEmulatorForTests(first);
  await stopEmulatorForTests(second);
  first = second = undefined;
});

test('a snapshot restores every resource exactly as far along as when it was taken', async () => {
  first = await startEmulatorForTests();
  const c = first.client;
  await c.send(new CreateDomainCommand({ DomainName: 'D', DefaultExpirationDays: 30, DataStore: { Enabled: true }, Tags: { a: '1' } }));
  await c.send(new CreateRecommenderCommand({ DomainName: 'D', RecommenderName: 'R', RecommenderRecipeName: 'popular-items' }));
  await c.send(new CreateSegmentDefinitionCommand({ DomainName: 'D', SegmentDefinitionName: 'S', DisplayName: 'S', SegmentSqlQuery: 'SELECT * FROM _profile' }));
  first.emu.seedProfiles('D', [{ FirstName: 'Ann' }]);
  first.emu.clock.advance(240_000); // data store 80%, recommender IN_PROGRESS
  const snapshot = JSON.parse(JSON.stringify(first.emu.snapshot()));

  // A different clock, far later: times are shifted, so progress is what it was.
  second = await startEmulatorForTests({ clock: Clock.manual(Date.UTC(2027, 5, 1)), restore: snapshot });
  const domain = await second.client.send(new GetDomainCommand({ DomainName: 'D' }));
  expect(domain.DataStore?.Readiness?.ProgressPercentage).toBe(80);
  expect(domain.Stats?.ProfileCount).toBe(1);
  expect((await second.client.send(new GetRecommenderCommand({ DomainName: 'D', RecommenderName: 'R' }))).Status).toBe('IN_PROGRESS');
  expect(second.emu.state.segmentDefinition('D', 'S')?.SegmentType).toBe('ENHANCED');
  expect((await second.client.send(new ListTagsForResourceCommand({ resourceArn: 'arn:aws:profile:us-east-1:123456789012:domains/D' }))).tags).toEqual({ a: '1' });
  second.emu.clock.advance(60_000);
  expect(second.emu.state.domain('D')?.DataStore).toMatchObject({ Readiness: { ProgressPercentage: 100 } });
});

test('a snapshot of another region, or something else, is refused', async () => {
  first = await startEmulatorForTests();
  const snapshot = first.emu.snapshot();
  await expect(Emulator.start({ region: 'eu-west-1', restore: snapshot })).rejects.toThrow(/us-east-1\/123456789012/);
  await expect(Emulator.start({ restore: { hello: 1 } })).rejects.toThrow(/Not an emulator snapshot/);
});

test('a scaled clock can start at a given simulated time', () => {
  const clock = Clock.scaled(10, 5_000);
  expect(clock.now()).toBeGreaterThanOrEqual(5_000);
  expect(clock.now()).toBeLessThan(10_000);
});
