import { execFile } from 'child_process';
import * as path from 'path';
import { promisify } from 'util';
import { CreateDomainCommand } from '@aws-sdk/client-customer-profiles';
import { profilesClient } from '../../lambda/client';
import { HandlerError, MAX_REASON_BYTES } from '../../lambda/errors';
import { isComplete, onEvent, OnEventResponse } from '../../lambda/index';
import { Emulator } from '../../local/src/emulator';
import { DEADLINE_KEY, OWNER_TAG_KEY, ownerMarker, ResourceTypes } from '../../src/private/contract';
import { startEmulator, stopEmulator } from '../helpers/handler-emulator';
import {
  completionEvent, createEvent, deleteEvent, deploy, pastDeadline, STACK_ID, updateEvent, writeOperations,
} from '../helpers/handler-events';

const DOMAIN = ResourceTypes.DOMAIN;
const MARKER = ownerMarker(STACK_ID, 'Resource');
const execFileAsync = promisify(execFile);

function config(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    DomainName: 'customers',
    DefaultExpirationDays: 365,
    DataStore: { Enabled: true },
    Tags: { team: 'crm' },
    WaitForDataStore: true,
    TimeoutSeconds: 1800,
    ...overrides,
  };
}

let emu: Emulator;
beforeEach(async () => {
  emu = await startEmulator({ dataStoreReadySeconds: 300 });
});
afterEach(async () => {
  await stopEmulator(emu);
});

describe('create', () => {
  test('creates the domain and waits until the data store is 100% ready', async () => {
    const result = await deploy(emu, createEvent(DOMAIN, config()), { stepMs: 30_000 });

    expect(result.onEvent.PhysicalResourceId).toBe('customers');
    expect(typeof result.onEvent.Data[DEADLINE_KEY]).toBe('number');
    // 300 s of readiness at 30 s per poll: about ten polls answered "not yet".
    expect(result.polls).toBeGreaterThanOrEqual(9);
    expect(result.final.Data).toMatchObject({
      DomainName: 'customers',
      DomainArn: 'arn:aws:profile:us-east-1:123456789012:domains/customers',
      DataStoreEnabled: true,
    });
    const domain = emu.state.domain('customers');
    expect(domain).toMatchObject({ DefaultExpirationDays: 365, DataStore: { Enabled: true, Readiness: { ProgressPercentage: 100 } }, Tags: { team: 'crm' } });
  });

  test('returns at once when waitForDataStore is false', async () => {
    const result = await deploy(emu, createEvent(DOMAIN, config({ WaitForDataStore: false })));
    expect(result.polls).toBe(0);
    expect(emu.requests.map((r) => r.operation)).toEqual(['CreateDomain']);
  });

  test('returns at once for a domain without a data store', async () => {
    const result = await deploy(emu, createEvent(DOMAIN, config({ DataStore: undefined })));
    expect(result.polls).toBe(0);
    expect(result.attributes.DataStoreEnabled).toBe(false);
  });

  test('coerces numbers and booleans that arrive as strings', async () => {
    const result = await deploy(emu, createEvent(DOMAIN, config({
      DefaultExpirationDays: '7', DataStore: { Enabled: 'true' }, WaitForDataStore: 'false', TimeoutSeconds: '600',
    })));
    expect(result.polls).toBe(0);
    expect(emu.state.domain('customers')).toMatchObject({ DefaultExpirationDays: 7, DataStore: { Enabled: true } });
    expect(result.attributes.DataStoreEnabled).toBe(true);
  });

  test('refuses values that are neither typed nor coercible, naming the field', async () => {
    await expect(onEvent(createEvent(DOMAIN, config({ DefaultExpirationDays: 'a year' }))))
      .rejects.toThrow("Domain 'customers': DefaultExpirationDays must be a number");
    await expect(onEvent(createEvent(DOMAIN, config({ WaitForDataStore: 'yes' }))))
      .rejects.toThrow('WaitForDataStore must be true or false');
    expect(emu.requests).toEqual([]);
  });

  test('validates the name before calling the service', async () => {
    await expect(onEvent(createEvent(DOMAIN, config({ DomainName: '' })))).rejects.toThrow('DomainName is required');
    await expect(onEvent(createEvent(DOMAIN, config({ DomainName: 'a/b' })))).rejects.toThrow("DomainName 'a/b' is not a valid name");
    expect(emu.requests).toEqual([]);
  });

  test('a retried create adopts the domain it created (its own owner tag) and updates what differs', async () => {
    const event = createEvent(DOMAIN, config({ WaitForDataStore: false }));
    await onEvent(event);
    emu.resetRequests();
    const retried = createEvent(DOMAIN, config({ WaitForDataStore: false, DefaultExpirationDays: 30, Tags: { team: 'crm', env: 'prod' } }), { requestId: event.RequestId });

    const result = await onEvent(retried);

    expect(result.PhysicalResourceId).toBe('customers');
    expect(emu.requests.map((r) => `${r.operation} ${r.status}`)).toEqual(['CreateDomain 400', 'GetDomain 200', 'UpdateDomain 200', 'TagResource 200']);
    expect(emu.state.domain('customers')).toMatchObject({ DefaultExpirationDays: 30, Tags: { team: 'crm', env: 'prod', [OWNER_TAG_KEY]: MARKER } });
  });

  test('refuses to take over an existing domain it did not create, empty or holding profiles', async () => {
    // Ownership, not content, decides (was: "adopted when it holds no data").
    await profilesClient().send(new CreateDomainCommand({ DomainName: 'customers', DefaultExpirationDays: 90 }));
    await expect(onEvent(createEvent(DOMAIN, config({ WaitForDataStore: false }))))
      .rejects.toThrow("Domain 'customers' already exists and carries no owner tag");
    emu.seedProfiles('customers', [{ FirstName: 'Ana' }]);
    await expect(onEvent(createEvent(DOMAIN, config({ WaitForDataStore: false }))))
      .rejects.toThrow("Domain 'customers' already exists and carries no owner tag");
    expect(emu.state.domain('customers')?.DefaultExpirationDays).toBe(90);
  });

  test('retries throttling and internal errors', async () => {
    emu.faults.add({ operation: 'CreateDomain', times: 1, error: 'ThrottlingException' });
    emu.faults.add({ operation: 'CreateDomain', times: 1, error: 'InternalServerException' });
    const result = await deploy(emu, createEvent(DOMAIN, config({ WaitForDataStore: false })));
    expect(result.onEvent.PhysicalResourceId).toBe('customers');
    expect(emu.requests.filter((r) => r.operation === 'CreateDomain').map((r) => r.status)).toEqual([429, 500, 200]);
  });

  test('gives up after the configured attempts with a sentence naming the resource and operation', async () => {
    emu.faults.add({ operation: 'CreateDomain', times: 5, error: 'ThrottlingException', message: 'Rate exceeded' });
    await expect(onEvent(createEvent(DOMAIN, config())))
      .rejects.toThrow("Domain 'customers': CreateDomain was still throttled after the SDK's retries: Rate exceeded");
  });

  test('access denied names the IAM action to grant', async () => {
    emu.faults.add({ operation: 'CreateDomain', times: 1, error: 'AccessDeniedException', message: 'User is not authorized' });
    await expect(onEvent(createEvent(DOMAIN, config()))).rejects.toThrow(/Domain 'customers': CreateDomain was denied \(User is not authorized\)\. The provider's role needs profile:CreateDomain/);
  });

  test('fails with the readiness, the wait and the props to change when the deadline passes', async () => {
    const event = createEvent(DOMAIN, config({ TimeoutSeconds: 600 }));
    const first = await onEvent(event);
    emu.clock.advance(120_000);
    const late = pastDeadline(completionEvent(event, first));
    await expect(isComplete(late)).rejects.toThrow(
      "Domain 'customers': gave up waiting for the data store to be ready after 10 minutes (last seen: 40% ready, 'Data store is being prepared (40%)'). "
      + 'Give it more time with DataStore.enabled({ readinessTimeout }), or use DataStore.enabled({ waitForReadiness: false })');
  });

  test('a data store stuck on an error reports its message when the deadline passes', async () => {
    const event = createEvent(DOMAIN, config());
    const first = await onEvent(event);
    emu.clock.advance(60_000);
    emu.failDataStore('customers', 'Data store provisioning failed: capacity');
    const completion = completionEvent(event, first);
    expect(await isComplete(completion)).toEqual({ IsComplete: false });
    await expect(isComplete(pastDeadline(completion))).rejects.toThrow("20% ready, 'Data store provisioning failed: capacity'");
  });
});

describe('failure reasons and readiness (issue #13, case 7)', () => {
  test('a long service message is cut so the failure reason fits CloudFormation\'s 4096-byte response, the reason first', async () => {
    emu.faults.add({ operation: 'CreateDomain', times: 1, error: 'BadRequestException', message: `Invalid input: ${'é"'.repeat(4000)}` });
    const error = await onEvent(createEvent(DOMAIN, config())).catch((e: Error) => e);
    const message = (error as Error).message;
    expect(message.startsWith("Domain 'customers': CreateDomain was rejected by Customer Profiles: Invalid input: é\"")).toBe(true);
    // The remedy survives: the service's message is what is cut.
    expect(message.endsWith("…. Fix the construct's props and deploy again.")).toBe(true);
    // As it goes into the response (JSON, UTF-8), with room left for the framework's envelope and stack trace.
    expect(Buffer.byteLength(JSON.stringify(message))).toBeLessThanOrEqual(MAX_REASON_BYTES + 2);
  });

  test('any handler message is capped, cut at the tail with an ellipsis', () => {
    const message = new HandlerError(`Domain 'x': ${'a'.repeat(5000)}`).message;
    expect(message.startsWith("Domain 'x': aaa")).toBe(true);
    expect(message.endsWith('…')).toBe(true);
    expect(Buffer.byteLength(message)).toBeLessThanOrEqual(MAX_REASON_BYTES);
    expect(new HandlerError('short').message).toBe('short');
  });

  test('a data store the service reports enabled without Readiness counts as ready (no wait until the deadline)', async () => {
    const event = createEvent(DOMAIN, config());
    const first = await onEvent(event);
    emu.omitFromGetDomain('customers', 'Readiness');
    expect(emu.state.domain('customers')?.DataStore).toEqual({ Enabled: true });
    const result = await isComplete(completionEvent(event, first));
    expect(result).toMatchObject({ IsComplete: true, Data: { DataStoreEnabled: true } });
  });

  test('a domain that reports no data store at all while one is wanted keeps waiting, then says so at the deadline', async () => {
    const event = createEvent(DOMAIN, config());
    const first = await onEvent(event);
    emu.omitFromGetDomain('customers', 'DataStore');
    const completion = completionEvent(event, first);
    expect(await isComplete(completion)).toEqual({ IsComplete: false });
    await expect(isComplete(pastDeadline(completion))).rejects.toThrow('last seen: no data store reported');
  });
});

describe('update', () => {
  const deployed = async (c = config()) => {
    await deploy(emu, createEvent(DOMAIN, c), { stepMs: 60_000 });
    emu.resetRequests();
  };

  test('changes only what changed, with one UpdateDomain call', async () => {
    await deployed();
    const result = await deploy(emu, updateEvent(DOMAIN, 'customers', config({ DefaultExpirationDays: 30 }), config()));
    expect(result.onEvent.PhysicalResourceId).toBe('customers');
    expect(writeOperations(emu)).toEqual(['UpdateDomain']);
    expect(emu.state.domain('customers')).toMatchObject({ DefaultExpirationDays: 30 });
  });

  test('a no-op update makes no write call', async () => {
    await deployed();
    const result = await deploy(emu, updateEvent(DOMAIN, 'customers', config(), config()));
    expect(result.polls).toBe(0);
    expect(writeOperations(emu)).toEqual([]);
  });

  test('a value changing type only (30 vs "30") is not a change', async () => {
    await deployed(config({ DefaultExpirationDays: 30 }));
    await deploy(emu, updateEvent(DOMAIN, 'customers', config({ DefaultExpirationDays: '30' }), config({ DefaultExpirationDays: 30 })));
    expect(writeOperations(emu)).toEqual([]);
  });

  test('tags change in place with TagResource and UntagResource', async () => {
    await deployed(config({ Tags: { team: 'crm', old: 'x' } }));
    await deploy(emu, updateEvent(DOMAIN, 'customers', config({ Tags: { team: 'data', env: 'prod' } }), config({ Tags: { team: 'crm', old: 'x' } })));
    expect(writeOperations(emu)).toEqual(['UntagResource', 'TagResource']);
    expect(emu.state.domain('customers')?.Tags).toEqual({ team: 'data', env: 'prod', [OWNER_TAG_KEY]: MARKER });
  });

  test('removing a tag whose key is also an Object.prototype member (constructor, toString) untags it', async () => {
    await deployed(config({ Tags: { team: 'crm', constructor: 'x' } }));
    await deploy(emu, updateEvent(DOMAIN, 'customers', config({ Tags: { team: 'crm' } }), config({ Tags: { team: 'crm', constructor: 'x' } })));
    expect(writeOperations(emu)).toEqual(['UntagResource']);
    expect(emu.state.domain('customers')?.Tags).toEqual({ team: 'crm', [OWNER_TAG_KEY]: MARKER });
  });

  test('removing the dead-letter queue clears it', async () => {
    const withDlq = config({ DeadLetterQueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/dlq' });
    await deployed(withDlq);
    expect(emu.state.domain('customers')?.DeadLetterQueueUrl).toBeDefined();
    await deploy(emu, updateEvent(DOMAIN, 'customers', config(), withDlq));
    expect(writeOperations(emu)).toEqual(['UpdateDomain']);
    expect(emu.state.domain('customers')?.DeadLetterQueueUrl).toBeUndefined();
  });

  test('enabling the data store waits for readiness again', async () => {
    await deployed(config({ DataStore: undefined }));
    const result = await deploy(emu, updateEvent(DOMAIN, 'customers', config(), config({ DataStore: undefined })), { stepMs: 60_000 });
    expect(writeOperations(emu)).toEqual(['UpdateDomain']);
    expect(result.polls).toBeGreaterThanOrEqual(4);
    expect(result.attributes.DataStoreEnabled).toBe(true);
  });

  test('a new name replaces the domain: new physical id, the old one left for CloudFormation to delete', async () => {
    await deployed();
    const result = await deploy(emu, updateEvent(DOMAIN, 'customers', config({ DomainName: 'customers-v2' }), config()), { stepMs: 60_000 });
    expect(result.onEvent.PhysicalResourceId).toBe('customers-v2');
    expect(result.attributes.DomainArn).toBe('arn:aws:profile:us-east-1:123456789012:domains/customers-v2');
    expect(emu.state.domains()).toEqual(['customers', 'customers-v2']);
    expect(writeOperations(emu)).toEqual(['CreateDomain']);
  });
});

describe('delete', () => {
  test('deletes the domain', async () => {
    await deploy(emu, createEvent(DOMAIN, config({ WaitForDataStore: false })));
    const result = await deploy(emu, deleteEvent(DOMAIN, 'customers', config()));
    expect(result.onEvent.PhysicalResourceId).toBe('customers');
    expect(emu.state.domain('customers')).toBeUndefined();
  });

  test('a domain that is already gone counts as deleted', async () => {
    const result = await deploy(emu, deleteEvent(DOMAIN, 'customers', config()));
    expect(result.final.IsComplete).toBe(true);
    expect(emu.requests.map((r) => `${r.operation} ${r.status}`)).toEqual(['GetDomain 404', 'GetDomain 404']);
  });

  test('a physical id the handler never made (failed create) deletes nothing', async () => {
    const result = await deploy(emu, deleteEvent(DOMAIN, 'arn:aws:cloudformation:failed', '{}'));
    expect(result.final.IsComplete).toBe(true);
    expect(emu.requests).toEqual([]);
  });
});

describe('the bundle', () => {
  /** Runs the bundled handler in a separate Node process (as Lambda would), against this emulator. */
  async function invokeBundle(file: string, event: unknown): Promise<unknown> {
    const script = `require(${JSON.stringify(file)}).handler(JSON.parse(process.argv[1]))`
      + '.then((r) => process.stdout.write("RESULT " + JSON.stringify(r)), (e) => { process.stdout.write("ERROR " + e.message); })';
    const { stdout } = await execFileAsync(process.execPath, ['-e', script, JSON.stringify(event)], { env: process.env });
    const line = stdout.split('\n').find((l) => l.startsWith('RESULT ') || l.startsWith('ERROR ')) ?? stdout;
    if (!line.startsWith('RESULT ')) throw new Error(line);
    return JSON.parse(line.slice('RESULT '.length));
  }

  test('assets/handler/index.js builds and serves onEvent and isComplete through `handler`', async () => {
    // The artifact Lambda runs: built here so the test never sees a stale bundle.
    const root = path.join(__dirname, '..', '..');
    await execFileAsync(process.execPath, [path.join(root, 'scripts', 'bundle-handler.mjs')], { cwd: root });
    const file = path.join(root, 'assets', 'handler', 'index.js');

    const event = createEvent(DOMAIN, config());
    const first = await invokeBundle(file, event) as OnEventResponse;
    expect(first.PhysicalResourceId).toBe('customers');
    const completion = completionEvent(event, first);
    expect(await invokeBundle(file, completion)).toEqual({ IsComplete: false });
    emu.clock.advance(300_000);
    expect(await invokeBundle(file, completion)).toMatchObject({ IsComplete: true, Data: { DomainName: 'customers', DataStoreEnabled: true } });
  });
});

test('a resource type this provider does not handle is refused by name', async () => {
  await expect(onEvent(createEvent('Custom::Other', config()))).rejects.toThrow("Unsupported resource type 'Custom::Other'");
});
