import { PutDomainObjectTypeCommand } from '@aws-sdk/client-customer-profiles';
import { App, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { profilesClient } from '../../lambda/client';
import { isComplete, onEvent } from '../../lambda/index';
import { LEFT_IN_PLACE_KEY } from '../../lambda/ownership';
import { Emulator } from '../../local/src/emulator';
import { DataStore, Domain, DomainObjectType } from '../../src';
import { OWNER_TAG_KEY, ownerMarker, ResourceTypes } from '../../src/private/contract';
import { startEmulator, stopEmulator } from '../helpers/handler-emulator';
import {
  completionEvent, createEvent, deleteEvent, deploy, EARLIER_STACK_ID, EventOrigin, OTHER_STACK_ID, STACK_ID, updateEvent, writeOperations,
} from '../helpers/handler-events';

/**
 * Ownership of domain object types (issue #13): PutDomainObjectType is an upsert, so a create
 * reads first and writes only over an object type that carries its own marker (or one adopted on
 * request); updates and deletes check the marker too.
 */

const OBJECT_TYPE = ResourceTypes.DOMAIN_OBJECT_TYPE;
const ID = 'customers/Orders';
const OURS = ownerMarker(STACK_ID, 'Resource');
const FIELDS = { OrderId: { Source: '_source.OrderId', Target: '_orders.OrderId', ContentType: 'STRING' } };
const THEIR_FIELDS = { Ref: { Source: '_source.Ref', Target: '_orders.Ref' } };

function config(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { DomainName: 'customers', ObjectTypeName: 'Orders', Fields: FIELDS, Tags: { team: 'crm' }, ...overrides };
}

function objectType() {
  return emu.state.objectType('customers', 'Orders');
}

/** An object type made outside this library (console, CfnObjectType) or by a version before markers. */
async function putUnmarked(): Promise<void> {
  await profilesClient().send(new PutDomainObjectTypeCommand({
    DomainName: 'customers', ObjectTypeName: 'Orders', Description: 'theirs', Fields: THEIR_FIELDS, Tags: { legacy: 'yes' },
  }));
}

async function createAs(origin: EventOrigin): Promise<void> {
  await deploy(emu, createEvent(OBJECT_TYPE, config({ Fields: THEIR_FIELDS }), origin));
}

let emu: Emulator;
beforeEach(async () => {
  emu = await startEmulator();
  await deploy(emu, createEvent(ResourceTypes.DOMAIN, {
    DomainName: 'customers', DefaultExpirationDays: 30, DataStore: { Enabled: true }, WaitForDataStore: false, TimeoutSeconds: 60,
  }));
  emu.resetRequests();
});
afterEach(async () => {
  await stopEmulator(emu);
});

describe('create', () => {
  test('reads first, then puts the object type with this resource\'s marker', async () => {
    await deploy(emu, createEvent(OBJECT_TYPE, config()));
    expect(emu.requests.map((r) => `${r.operation} ${r.status}`)).toEqual(['GetDomainObjectType 404', 'PutDomainObjectType 200']);
    expect(objectType()?.Tags).toEqual({ team: 'crm', [OWNER_TAG_KEY]: OURS });
  });

  test('a retried create finds its own marker: the same definition is not written again, a changed one is', async () => {
    const first = createEvent(OBJECT_TYPE, config());
    await onEvent(first);
    emu.resetRequests();
    await onEvent(createEvent(OBJECT_TYPE, config(), { requestId: first.RequestId }));
    expect(writeOperations(emu)).toEqual([]);
    await onEvent(createEvent(OBJECT_TYPE, config({ Description: 'Orders', Tags: { env: 'prod' } }), { requestId: first.RequestId }));
    expect(writeOperations(emu)).toEqual(['PutDomainObjectType', 'UntagResource', 'TagResource']);
    expect(objectType()).toMatchObject({ Description: 'Orders', Tags: { env: 'prod', [OWNER_TAG_KEY]: OURS } });
  });

  test('an unmarked object type is refused untouched (pointing to adoptExisting), then adopted with AdoptExisting', async () => {
    await putUnmarked();
    emu.resetRequests();
    await expect(onEvent(createEvent(OBJECT_TYPE, config()))).rejects.toThrow(
      `Domain object type '${ID}' already exists and carries no owner tag (${OWNER_TAG_KEY})`);
    await expect(onEvent(createEvent(OBJECT_TYPE, config()))).rejects.toThrow(/set adoptExisting: true .* use DomainObjectType\.fromObjectTypeName/);
    expect(writeOperations(emu)).toEqual([]);
    expect(objectType()).toMatchObject({ Fields: THEIR_FIELDS, Tags: { legacy: 'yes' } });

    await onEvent(createEvent(OBJECT_TYPE, config({ AdoptExisting: true })));
    expect(writeOperations(emu)).toEqual(['TagResource', 'PutDomainObjectType', 'UntagResource', 'TagResource']);
    expect(objectType()).toMatchObject({ Fields: FIELDS, Tags: { team: 'crm', [OWNER_TAG_KEY]: OURS } });
  });

  test('an object type left by an earlier stack of the same name is refused, then adoptable', async () => {
    await createAs({ stackId: EARLIER_STACK_ID });
    emu.resetRequests();
    await expect(onEvent(createEvent(OBJECT_TYPE, config()))).rejects.toThrow(/left by an earlier stack of this name that was deleted/);
    expect(writeOperations(emu)).toEqual([]);
    await onEvent(createEvent(OBJECT_TYPE, config({ AdoptExisting: true })));
    expect(objectType()).toMatchObject({ Fields: FIELDS, Tags: { [OWNER_TAG_KEY]: OURS } });
  });

  test.each([
    ['a sibling\'s', { logicalResourceId: 'Orders' }, /belongs to resource Orders of this stack/],
    ['another stack\'s', { stackId: OTHER_STACK_ID }, /belongs to another stack \(owner OtherTeam\//],
  ] as Array<[string, EventOrigin, RegExp]>)('%s object type is refused, even with AdoptExisting', async (_, origin, message) => {
    await createAs(origin);
    emu.resetRequests();
    await expect(onEvent(createEvent(OBJECT_TYPE, config({ AdoptExisting: true })))).rejects.toThrow(message);
    expect(writeOperations(emu)).toEqual([]);
    expect(objectType()?.Fields).toEqual(THEIR_FIELDS);
  });

  test('a rename onto another stack\'s object type is refused the same way', async () => {
    await deploy(emu, createEvent(OBJECT_TYPE, config({ ObjectTypeName: 'Mine' })));
    await createAs({ stackId: OTHER_STACK_ID });
    emu.resetRequests();
    await expect(onEvent(updateEvent(OBJECT_TYPE, 'customers/Mine', config(), config({ ObjectTypeName: 'Mine' }))))
      .rejects.toThrow(/belongs to another stack/);
    expect(writeOperations(emu)).toEqual([]);
  });
});

describe('update', () => {
  test('that only turns adoptExisting on takes over an unmarked object type: marked, then brought to the desired state', async () => {
    // A stack of an earlier library version deployed it (no marker); the user sets adoptExisting.
    await putUnmarked();
    emu.resetRequests();
    await deploy(emu, updateEvent(OBJECT_TYPE, ID, config({ Fields: THEIR_FIELDS, AdoptExisting: true }), config({ Fields: THEIR_FIELDS })));
    expect(objectType()?.Tags).toEqual({ team: 'crm', [OWNER_TAG_KEY]: OURS });
    expect(emu.requests[0].operation).toBe('GetDomainObjectType');
  });

  test('of its own object type reads it first, then puts the new definition', async () => {
    await deploy(emu, createEvent(OBJECT_TYPE, config()));
    emu.resetRequests();
    await deploy(emu, updateEvent(OBJECT_TYPE, ID, config({ Description: 'Orders' }), config()));
    expect(emu.requests.map((r) => r.operation)).toEqual(['GetDomainObjectType', 'PutDomainObjectType']);
  });

  test('a no-op update makes zero calls', async () => {
    await deploy(emu, createEvent(OBJECT_TYPE, config()));
    emu.resetRequests();
    await deploy(emu, updateEvent(OBJECT_TYPE, ID, config(), config()));
    expect(emu.requests).toEqual([]);
  });

  test('of an unmarked (legacy) object type is refused untouched, pointing to adoptExisting; with it, adopted', async () => {
    await putUnmarked();
    emu.resetRequests();
    await expect(onEvent(updateEvent(OBJECT_TYPE, ID, config({ Description: 'Orders' }), config())))
      .rejects.toThrow(/carries no owner tag .* set adoptExisting: true/);
    expect(writeOperations(emu)).toEqual([]);
    await onEvent(updateEvent(OBJECT_TYPE, ID, config({ Description: 'Orders', AdoptExisting: true }), config()));
    expect(writeOperations(emu)[0]).toBe('TagResource');
    expect(objectType()).toMatchObject({ Description: 'Orders', Fields: FIELDS, Tags: { team: 'crm', [OWNER_TAG_KEY]: OURS } });
  });

  test('of another stack\'s object type is refused, tags alone too', async () => {
    await createAs({ stackId: OTHER_STACK_ID });
    emu.resetRequests();
    await expect(onEvent(updateEvent(OBJECT_TYPE, ID, config({ Tags: { team: 'data' } }), config()))).rejects.toThrow(/belongs to another stack/);
    expect(writeOperations(emu)).toEqual([]);
  });

  test('user tag diffs never remove the marker', async () => {
    await deploy(emu, createEvent(OBJECT_TYPE, config()));
    await deploy(emu, updateEvent(OBJECT_TYPE, ID, config({ Tags: undefined }), config({ Tags: { team: 'crm', [OWNER_TAG_KEY]: OURS } })));
    expect(objectType()?.Tags).toEqual({ [OWNER_TAG_KEY]: OURS });
  });
});

describe('delete', () => {
  test('of its own object type deletes it', async () => {
    await deploy(emu, createEvent(OBJECT_TYPE, config()));
    emu.resetRequests();
    await deploy(emu, deleteEvent(OBJECT_TYPE, ID, config()));
    expect(emu.requests.map((r) => `${r.operation} ${r.status}`))
      .toEqual(['GetDomainObjectType 200', 'DeleteDomainObjectType 200', 'GetDomainObjectType 404']);
  });

  test.each([
    ['an unmarked', undefined],
    ['another stack\'s', { stackId: OTHER_STACK_ID }],
    ['a sibling\'s', { logicalResourceId: 'Orders' }],
  ] as Array<[string, EventOrigin | undefined]>)('of %s object type leaves it in place and completes without waiting', async (_, origin) => {
    if (origin) await createAs(origin);
    else await putUnmarked();
    emu.resetRequests();
    const first = await onEvent(deleteEvent(OBJECT_TYPE, ID, config()));
    expect(first.Data[LEFT_IN_PLACE_KEY]).toBe(true);
    expect((await isComplete(completionEvent(deleteEvent(OBJECT_TYPE, ID, config()), first))).IsComplete).toBe(true);
    expect(emu.requests.map((r) => r.operation)).toEqual(['GetDomainObjectType']);
    expect(objectType()?.Fields).toEqual(THEIR_FIELDS);
  });
});

describe('synthesis', () => {
  const FIELD = { Id: { source: '_source.Id', target: '_o.Id' } };

  test('adoptExisting with RemovalPolicy.DESTROY fails naming the construct, the field and the rule (constructor and addObjectType)', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const domain = new Domain(stack, 'Customers', { dataStore: DataStore.enabled() });
    new DomainObjectType(stack, 'Orders', { domain, fields: FIELD, adoptExisting: true, removalPolicy: RemovalPolicy.DESTROY });
    domain.addObjectType('Returns', { fields: FIELD, adoptExisting: true, removalPolicy: RemovalPolicy.DESTROY });
    expect(() => app.synth()).toThrow(/DomainObjectType at 'S\/Orders': adoptExisting requires removalPolicy: RemovalPolicy\.RETAIN/);
    expect(() => app.synth()).toThrow(/DomainObjectType at 'S\/Customers\/Returns': adoptExisting requires removalPolicy: RemovalPolicy\.RETAIN/);
  });

  test('AdoptExisting is written into Config only when true', () => {
    const stack = new Stack(new App(), 'S');
    const domain = new Domain(stack, 'Customers', { dataStore: DataStore.enabled() });
    new DomainObjectType(stack, 'A', { domain, objectTypeName: 'a', fields: FIELD, adoptExisting: true });
    new DomainObjectType(stack, 'B', { domain, objectTypeName: 'b', fields: FIELD, adoptExisting: false });
    const configs = Object.values(Template.fromStack(stack).findResources(OBJECT_TYPE)).map((r) => JSON.stringify(r.Properties));
    expect(configs.filter((c) => c.includes('AdoptExisting'))).toHaveLength(1);
  });

  test('the reserved owner tag key is refused in the object type\'s tags', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const domain = new Domain(stack, 'Customers', { dataStore: DataStore.enabled() });
    const t = new DomainObjectType(stack, 'Orders', { domain, fields: FIELD });
    Tags.of(t).add(OWNER_TAG_KEY, 'mine');
    expect(() => app.synth()).toThrow(/DomainObjectType at 'S\/Orders': tags key is reserved for the owner marker/);
  });
});
