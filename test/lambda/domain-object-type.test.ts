import { onEvent } from '../../lambda/index';
import { Emulator } from '../../local/src/emulator';
import { ResourceTypes } from '../../src/private/contract';
import { startEmulator, stopEmulator } from '../helpers/handler-emulator';
import { createEvent, deleteEvent, deploy, OTHER_STACK_ID, updateEvent, writeOperations } from '../helpers/handler-events';

const OBJECT_TYPE = ResourceTypes.DOMAIN_OBJECT_TYPE;

const FIELDS = {
  OrderId: { Source: '_source.OrderId', Target: '_orders.OrderId', ContentType: 'STRING' },
  Total: { Source: '_source.Total', Target: '_orders.Total', ContentType: 'NUMBER' },
};

function config(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { DomainName: 'customers', ObjectTypeName: 'Orders', Description: 'Orders of a customer', Fields: FIELDS, Tags: { team: 'crm' }, ...overrides };
}

async function createDomain(name = 'customers', dataStore = true): Promise<void> {
  await deploy(emu, createEvent(ResourceTypes.DOMAIN, {
    DomainName: name, DefaultExpirationDays: 30, DataStore: dataStore ? { Enabled: true } : undefined, WaitForDataStore: false, TimeoutSeconds: 60,
  }));
}

let emu: Emulator;
beforeEach(async () => {
  emu = await startEmulator();
  await createDomain();
  emu.resetRequests();
});
afterEach(async () => {
  await stopEmulator(emu);
});

test('creates the object type with PutDomainObjectType and returns every attribute', async () => {
  const result = await deploy(emu, createEvent(OBJECT_TYPE, config()));
  expect(result.onEvent.PhysicalResourceId).toBe('customers/Orders');
  expect(result.polls).toBe(0);
  expect(result.attributes).toMatchObject({
    DomainName: 'customers',
    ObjectTypeName: 'Orders',
    ObjectTypeArn: 'arn:aws:profile:us-east-1:123456789012:domains/customers/domain-object-types/Orders',
  });
  expect(emu.state.objectType('customers', 'Orders')).toMatchObject({ Fields: FIELDS, Tags: { team: 'crm' } });
  expect(writeOperations(emu)).toEqual(['PutDomainObjectType']);
});

test('a domain without a data store gives a plain sentence saying how to enable it', async () => {
  await createDomain('plain', false);
  await expect(onEvent(createEvent(OBJECT_TYPE, config({ DomainName: 'plain' })))).rejects.toThrow(
    "Domain object type 'plain/Orders' needs the data store of domain 'plain', which is not enabled: "
    + 'enable the data store on domain plain (dataStore: DataStore.enabled()) and deploy again.');
});

test('a retried create finds its own object type (its owner tag) and writes nothing again', async () => {
  const event = createEvent(OBJECT_TYPE, config());
  await onEvent(event);
  const again = await onEvent(createEvent(OBJECT_TYPE, config(), { requestId: event.RequestId }));
  expect(again.PhysicalResourceId).toBe('customers/Orders');
  expect(writeOperations(emu)).toEqual(['PutDomainObjectType']);
});

test('field changes are put in place; tags only with Tag/UntagResource', async () => {
  await deploy(emu, createEvent(OBJECT_TYPE, config()));
  emu.resetRequests();
  const fields = { ...FIELDS, Channel: { Source: '_source.Channel', Target: '_orders.Channel' } };
  const result = await deploy(emu, updateEvent(OBJECT_TYPE, 'customers/Orders', config({ Fields: fields, Tags: { team: 'data' } }), config()));
  expect(result.onEvent.PhysicalResourceId).toBe('customers/Orders');
  expect(writeOperations(emu)).toEqual(['PutDomainObjectType', 'TagResource']);
  expect(emu.state.objectType('customers', 'Orders')).toMatchObject({ Fields: fields, Tags: { team: 'data' } });
});

test('a no-op update makes no write call', async () => {
  await deploy(emu, createEvent(OBJECT_TYPE, config()));
  emu.resetRequests();
  await deploy(emu, updateEvent(OBJECT_TYPE, 'customers/Orders', config(), config()));
  expect(writeOperations(emu)).toEqual([]);
});

test('a new name replaces the object type (new physical id)', async () => {
  await deploy(emu, createEvent(OBJECT_TYPE, config()));
  emu.resetRequests();
  const result = await deploy(emu, updateEvent(OBJECT_TYPE, 'customers/Orders', config({ ObjectTypeName: 'Orders2' }), config()));
  expect(result.onEvent.PhysicalResourceId).toBe('customers/Orders2');
  expect(emu.state.objectType('customers', 'Orders')).toBeDefined();
  expect(emu.state.objectType('customers', 'Orders2')).toBeDefined();
});

test('deletes, and an object type already gone counts as deleted', async () => {
  await deploy(emu, createEvent(OBJECT_TYPE, config()));
  await deploy(emu, deleteEvent(OBJECT_TYPE, 'customers/Orders', config()));
  expect(emu.state.objectType('customers', 'Orders')).toBeUndefined();
  emu.resetRequests();
  const again = await deploy(emu, deleteEvent(OBJECT_TYPE, 'customers/Orders', config()));
  expect(again.final.IsComplete).toBe(true);
  expect(emu.requests.map((r) => `${r.operation} ${r.status}`)).toEqual(['GetDomainObjectType 404', 'GetDomainObjectType 404']);
});

test('retries throttling and internal errors', async () => {
  emu.faults.add({ operation: 'PutDomainObjectType', times: 1, error: 'ThrottlingException' });
  emu.faults.add({ operation: 'PutDomainObjectType', times: 1, error: 'InternalServerException' });
  await deploy(emu, createEvent(OBJECT_TYPE, config()));
  expect(emu.requests.filter((r) => r.operation === 'PutDomainObjectType').map((r) => r.status)).toEqual([429, 500, 200]);
});

test('the description never appears in an error message', async () => {
  emu.faults.add({ operation: 'PutDomainObjectType', times: 1, error: 'BadRequestException', message: 'Invalid description: Orders of a customer' });
  await expect(onEvent(createEvent(OBJECT_TYPE, config()))).rejects.toThrow(
    "Domain object type 'customers/Orders': PutDomainObjectType was rejected by Customer Profiles: Invalid description: <redacted>.");
});

test('many object types created at once under a request-rate limit all succeed (adaptive retries)', async () => {
  await stopEmulator(emu);
  emu = await startEmulator({}, 8);
  await createDomain();
  emu.faults.throttle(10);
  const names = Array.from({ length: 15 }, (_, i) => `Type${i}`);
  const results = await Promise.all(names.map((name) => onEvent(createEvent(OBJECT_TYPE, config({ ObjectTypeName: name })))));
  expect(results.map((r) => r.PhysicalResourceId)).toEqual(names.map((n) => `customers/${n}`));
  expect(emu.requests.some((r) => r.status === 429)).toBe(true);
  emu.faults.throttle(undefined);
});

describe('an object type of the same name that already exists', () => {
  test('of another stack is refused, untouched: the stack never takes over someone else\'s object type', async () => {
    // The owner tag decides (was: the definition, which two stacks can share).
    await deploy(emu, createEvent(OBJECT_TYPE, config({ Fields: { Other: { Source: '_source.X', Target: '_orders.X' } } }), { stackId: OTHER_STACK_ID }));
    emu.resetRequests();

    await expect(onEvent(createEvent(OBJECT_TYPE, config()))).rejects.toThrow(
      "Domain object type 'customers/Orders' already exists and belongs to another stack (owner OtherTeam/",
    );
    expect(writeOperations(emu)).toEqual([]);
    expect(emu.state.objectType('customers', 'Orders')).toMatchObject({ Fields: { Other: { Source: '_source.X', Target: '_orders.X' } } });
  });

  test('of another stack is refused even with the same definition', async () => {
    await deploy(emu, createEvent(OBJECT_TYPE, config(), { stackId: OTHER_STACK_ID }));
    emu.resetRequests();
    await expect(onEvent(createEvent(OBJECT_TYPE, config()))).rejects.toThrow(/belongs to another stack/);
    expect(writeOperations(emu)).toEqual([]);
  });

  test('with our own owner tag (our create, retried after a crash) succeeds without writing again', async () => {
    await deploy(emu, createEvent(OBJECT_TYPE, config()));
    emu.resetRequests();
    const retried = await deploy(emu, createEvent(OBJECT_TYPE, config()));
    expect(retried.onEvent.PhysicalResourceId).toBe('customers/Orders');
    expect(writeOperations(emu)).toEqual([]);
  });

  test('a rename onto an existing object type of another construct is refused too', async () => {
    await deploy(emu, createEvent(OBJECT_TYPE, config()));
    await deploy(emu, createEvent(OBJECT_TYPE, config({ ObjectTypeName: 'Returns', Fields: { R: { Source: '_source.R', Target: '_returns.R' } } }), { logicalResourceId: 'Returns' }));
    await expect(onEvent(updateEvent(OBJECT_TYPE, 'customers/Orders', config({ ObjectTypeName: 'Returns' }), config())))
      .rejects.toThrow(/'customers\/Returns' already exists and belongs to resource Returns of this stack/);
  });
});
