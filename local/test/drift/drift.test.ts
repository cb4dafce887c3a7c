import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import {
  CustomerProfilesClient, DeleteSegmentDefinitionCommand, TagResourceCommand, UpdateDomainCommand, UpdateRecommenderCommand,
} from '@aws-sdk/client-customer-profiles';
import { OWNER_TAG_KEY } from '../../../src/private/contract';
import { BUNDLED_HANDLER_PATH, LocalDeployment } from '../../src/deploy';
import { detectDrift, formatDrift, MISSING_FIELD } from '../../src/drift';
import { planDriftApp, startDeployment } from '../helpers/plan-drift-app';

/** `drift`: the app's desired state against the live service, read with Get* calls only. */

beforeAll(() => {
  if (!fs.existsSync(BUNDLED_HANDLER_PATH)) {
    execFileSync(process.execPath, [path.join(__dirname, '..', '..', '..', 'scripts', 'bundle-handler.mjs')], { stdio: 'ignore' });
  }
});

let local: LocalDeployment;
let sdk: CustomerProfilesClient;
beforeAll(async () => {
  local = await startDeployment();
  const result = await local.deploy(planDriftApp());
  expect(result.success).toBe(true);
  sdk = new CustomerProfilesClient({ endpoint: local.emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
}, 60_000);
afterAll(async () => {
  sdk?.destroy();
  await local?.emulator.stop();
});

const drift = () => detectDrift({ app: planDriftApp(), endpoint: local.emulator.endpoint, state: local.state });

test('right after the deploy: no drift, every resource compared, the owner tag is not drift, and only Get calls were made', async () => {
  local.emulator.resetRequests();
  const result = await drift();
  expect(result).toMatchObject({ drifted: false, differences: [], checked: 4, unchecked: [] });
  expect(local.emulator.requests.length).toBe(4);
  expect(local.emulator.requests.filter((r) => !/^Get/.test(r.operation))).toEqual([]);
  expect(formatDrift(result)).toEqual(['No drift: 4 resource(s) match the app']);
});

test('changes made behind the stack\'s back are listed field by field; sensitive values are never printed', async () => {
  const recommenderArn = 'arn:aws:profile:us-east-1:123456789012:domains/customers/recommenders/for-you';
  await sdk.send(new UpdateDomainCommand({ DomainName: 'customers', DefaultExpirationDays: 30 }));
  await sdk.send(new UpdateRecommenderCommand({
    DomainName: 'customers',
    RecommenderName: 'for-you',
    Description: 'Changed by hand',
    RecommenderConfig: { EventsConfig: { EventParametersList: [{ EventType: 'purchase' }] }, TrainingFrequency: 14 },
  }));
  await sdk.send(new TagResourceCommand({ resourceArn: recommenderArn, tags: { added: 'by-hand' } }));
  // The service applies a recommender update once it has retrained.
  local.emulator.clock.advance(6 * 3600_000);
  local.emulator.resetRequests();

  const result = await drift();
  expect(local.emulator.requests.filter((r) => !/^Get/.test(r.operation))).toEqual([]);
  expect(result.drifted).toBe(true);
  expect(result.differences.map((d) => [d.stackName, d.logicalId.replace(/[0-9A-F]{8}$/, ''), d.field, d.desired, d.live, d.sensitive])).toEqual([
    ['SharedCustomers', 'Customers', 'DefaultExpirationDays', 365, 30, undefined],
    ['Personalization', 'ForYou', 'RecommenderConfig.TrainingFrequency', 7, 14, undefined],
    ['Personalization', 'ForYou', 'Description', undefined, undefined, true],
    ['Personalization', 'ForYou', 'Tags.added', undefined, 'by-hand', undefined],
  ]);
  const text = formatDrift(result).join('\n');
  expect(text).toMatch(/^Personalization\/ForYou[0-9A-F]{8} +Description +\(sensitive, differs\)$/m);
  expect(text).not.toMatch(/Changed by hand|Picks for every customer/);
  expect(text).not.toContain(OWNER_TAG_KEY);
  expect(text).toMatch(/^4 difference\(s\) in 2 of 4 resource\(s\)$/m);
});

test('a resource deleted outside the stack is drift', async () => {
  await sdk.send(new DeleteSegmentDefinitionCommand({ DomainName: 'customers', SegmentDefinitionName: 'loyal' }));
  const result = await drift();
  expect(result.differences.filter((d) => d.field === MISSING_FIELD)).toEqual([expect.objectContaining({
    stackName: 'Personalization',
    resourceType: 'Custom::CustomerProfilesSegmentDefinition',
    resourceName: 'customers/loyal',
    desired: 'exists',
    live: 'missing (deleted outside the stack)',
  })]);
});
