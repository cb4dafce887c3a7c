import { CreateDomainCommand, CustomerProfilesClient, UntagResourceCommand } from '@aws-sdk/client-customer-profiles';
import { App, Duration, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
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
import { Harness, outcome, startHarnessForEachTest } from '../helpers/reliability-harness';

/**
 * Ownership of domains (issue #13, case 1): a stack adopts, updates and deletes only a domain that
 * carries its own marker; anything else is refused untouched (create, update) or left in place
 * (delete). Explicit adoption (AdoptExisting) takes over only an unmarked domain or one left by an
 * earlier stack of the same name.
 */

const DOMAIN = ResourceTypes.DOMAIN;
const NAME = 'dup';
const OURS = ownerMarker(STACK_ID, 'Resource');

function config(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    DomainName: NAME,
    DefaultExpirationDays: 365,
    DataStore: { Enabled: true },
    Tags: { team: 'crm' },
    WaitForDataStore: false,
    TimeoutSeconds: 600,
    ...overrides,
  };
}

/** A domain made outside this library (console, CLI) or by a version before markers: no marker. */
async function createUnmarked(tags: Record<string, string> = { legacy: 'yes' }): Promise<void> {
  await profilesClient().send(new CreateDomainCommand({ DomainName: NAME, DefaultExpirationDays: 90, DataStore: { Enabled: true }, Tags: tags }));
}

async function createAs(origin: EventOrigin, overrides: Record<string, unknown> = {}): Promise<void> {
  await deploy(emu, createEvent(DOMAIN, config({ DefaultExpirationDays: 90, ...overrides }), origin));
}

function domain() {
  return emu.state.domain(NAME);
}

let emu: Emulator;

describe('through the handler', () => {
  beforeEach(async () => {
    emu = await startEmulator({ dataStoreReadySeconds: 60 });
  });
  afterEach(async () => {
    await stopEmulator(emu);
  });

  describe('create', () => {
    test('puts this resource\'s marker on the domain with the user\'s tags', async () => {
      await deploy(emu, createEvent(DOMAIN, config()));
      expect(domain()?.Tags).toEqual({ team: 'crm', [OWNER_TAG_KEY]: OURS });
    });

    test('a Config that names the reserved key in Tags cannot replace the marker', async () => {
      await deploy(emu, createEvent(DOMAIN, config({ Tags: { team: 'crm', [OWNER_TAG_KEY]: 'Forged/1/Resource' } })));
      expect((domain()?.Tags as Record<string, string>)[OWNER_TAG_KEY]).toBe(OURS);
    });

    test('a retried create finds its own marker and adopts, converging config and tags (marker kept)', async () => {
      const first = createEvent(DOMAIN, config());
      await onEvent(first);
      emu.resetRequests();
      const retried = createEvent(DOMAIN, config({ DefaultExpirationDays: 30, Tags: { env: 'prod' } }), { requestId: first.RequestId });

      const result = await onEvent(retried);

      expect(result.PhysicalResourceId).toBe(NAME);
      expect(emu.requests.map((r) => `${r.operation} ${r.status}`))
        .toEqual(['CreateDomain 400', 'GetDomain 200', 'UpdateDomain 200', 'UntagResource 200', 'TagResource 200']);
      expect(domain()).toMatchObject({ DefaultExpirationDays: 30, Tags: { env: 'prod', [OWNER_TAG_KEY]: OURS } });
    });

    test('a retried create of a domain already as desired writes nothing more', async () => {
      const first = createEvent(DOMAIN, config());
      await onEvent(first);
      emu.resetRequests();
      await onEvent(createEvent(DOMAIN, config(), { requestId: first.RequestId }));
      expect(emu.requests.map((r) => `${r.operation} ${r.status}`)).toEqual(['CreateDomain 400', 'GetDomain 200']);
    });

    test('an unmarked (console or legacy) domain is refused untouched, pointing to adoptExisting', async () => {
      await createUnmarked();
      emu.resetRequests();
      await expect(onEvent(createEvent(DOMAIN, config({ DefaultExpirationDays: 30 })))).rejects.toThrow(
        `Domain '${NAME}' already exists and carries no owner tag (${OWNER_TAG_KEY})`);
      await expect(onEvent(createEvent(DOMAIN, config()))).rejects.toThrow(/set adoptExisting: true on the construct \(with removalPolicy RETAIN\)/);
      await expect(onEvent(createEvent(DOMAIN, config()))).rejects.toThrow(/use Domain\.fromDomainName/);
      expect(emu.requests.filter((r) => r.status < 300).map((r) => r.operation)).toEqual(['GetDomain', 'GetDomain', 'GetDomain']);
      expect(domain()).toMatchObject({ DefaultExpirationDays: 90, Tags: { legacy: 'yes' } });
    });

    test('the same unmarked domain is adopted with AdoptExisting: marked first, then converged', async () => {
      await createUnmarked();
      emu.resetRequests();
      const result = await onEvent(createEvent(DOMAIN, config({ DefaultExpirationDays: 30, AdoptExisting: true })));
      expect(result.PhysicalResourceId).toBe(NAME);
      expect(writeOperations(emu)).toEqual(['CreateDomain', 'TagResource', 'UpdateDomain', 'UntagResource', 'TagResource']);
      expect(domain()).toMatchObject({ DefaultExpirationDays: 30, Tags: { team: 'crm', [OWNER_TAG_KEY]: OURS } });
    });

    test('a domain left by an earlier stack of the same name is refused, then adoptable', async () => {
      await createAs({ stackId: EARLIER_STACK_ID });
      emu.resetRequests();
      await expect(onEvent(createEvent(DOMAIN, config({ DefaultExpirationDays: 30 })))).rejects.toThrow(
        `Domain '${NAME}' already exists, left by an earlier stack of this name that was deleted (owner ${ownerMarker(EARLIER_STACK_ID, 'Resource')})`);
      expect(domain()?.DefaultExpirationDays).toBe(90);

      await onEvent(createEvent(DOMAIN, config({ DefaultExpirationDays: 30, AdoptExisting: true })));
      expect(domain()).toMatchObject({ DefaultExpirationDays: 30, Tags: { team: 'crm', [OWNER_TAG_KEY]: OURS } });
    });

    test('a sibling\'s domain (another resource of this stack) is refused, even with AdoptExisting', async () => {
      await createAs({ logicalResourceId: 'Customers' });
      emu.resetRequests();
      await expect(onEvent(createEvent(DOMAIN, config({ DefaultExpirationDays: 30, AdoptExisting: true }), { logicalResourceId: 'Copy' })))
        .rejects.toThrow(`Domain '${NAME}' already exists and belongs to resource Customers of this stack`);
      expect(writeOperations(emu)).toEqual(['CreateDomain']);
      expect(domain()?.DefaultExpirationDays).toBe(90);
    });

    test('another stack\'s domain is refused, even with AdoptExisting, and left as it was', async () => {
      await createAs({ stackId: OTHER_STACK_ID });
      emu.resetRequests();
      await expect(onEvent(createEvent(DOMAIN, config({ DefaultExpirationDays: 30, AdoptExisting: true }))))
        .rejects.toThrow(`Domain '${NAME}' already exists and belongs to another stack (owner ${ownerMarker(OTHER_STACK_ID, 'Resource')})`);
      expect(writeOperations(emu)).toEqual(['CreateDomain']);
      expect(domain()).toMatchObject({ DefaultExpirationDays: 90, Tags: { team: 'crm', [OWNER_TAG_KEY]: ownerMarker(OTHER_STACK_ID, 'Resource') } });
    });

    test('a rename onto another stack\'s domain is a create, and refused the same way', async () => {
      await createAs({ stackId: OTHER_STACK_ID });
      await deploy(emu, createEvent(DOMAIN, config({ DomainName: 'mine' })));
      emu.resetRequests();
      await expect(onEvent(updateEvent(DOMAIN, 'mine', config({ DefaultExpirationDays: 30 }), config({ DomainName: 'mine' }))))
        .rejects.toThrow(/belongs to another stack/);
      expect(domain()?.DefaultExpirationDays).toBe(90);
    });
  });

  describe('update', () => {
    test('of its own domain reads it first, then writes only what changed', async () => {
      await deploy(emu, createEvent(DOMAIN, config()));
      emu.resetRequests();
      await deploy(emu, updateEvent(DOMAIN, NAME, config({ DefaultExpirationDays: 30 }), config()));
      expect(emu.requests.map((r) => r.operation)).toEqual(['GetDomain', 'UpdateDomain']);
      expect(domain()?.DefaultExpirationDays).toBe(30);
    });

    test('a no-op update makes zero calls', async () => {
      await deploy(emu, createEvent(DOMAIN, config()));
      emu.resetRequests();
      await deploy(emu, updateEvent(DOMAIN, NAME, config(), config()));
      expect(emu.requests).toEqual([]);
    });

    test('of an unmarked (legacy) domain is refused untouched, pointing to adoptExisting', async () => {
      await createUnmarked({ team: 'crm' });
      emu.resetRequests();
      await expect(onEvent(updateEvent(DOMAIN, NAME, config({ DefaultExpirationDays: 30 }), config())))
        .rejects.toThrow(/carries no owner tag .* set adoptExisting: true on the construct/);
      expect(writeOperations(emu)).toEqual([]);
      expect(domain()?.DefaultExpirationDays).toBe(90);
    });

    test('of an unmarked (legacy) domain with AdoptExisting marks it, then converges it', async () => {
      await createUnmarked({ team: 'crm' });
      emu.resetRequests();
      await deploy(emu, updateEvent(DOMAIN, NAME, config({ DefaultExpirationDays: 30, AdoptExisting: true }), config()));
      expect(writeOperations(emu)).toEqual(['TagResource', 'UpdateDomain']);
      expect(domain()).toMatchObject({ DefaultExpirationDays: 30, Tags: { team: 'crm', [OWNER_TAG_KEY]: OURS } });
    });

    test('that only turns AdoptExisting on marks an unmarked (legacy) domain, as recommenders and segments are', async () => {
      await createUnmarked({ team: 'crm' });
      emu.resetRequests();
      await deploy(emu, updateEvent(DOMAIN, NAME, config({ DefaultExpirationDays: 90, AdoptExisting: true }), config({ DefaultExpirationDays: 90 })));
      expect(writeOperations(emu)).toEqual(['TagResource']);
      expect(domain()?.Tags).toEqual({ team: 'crm', [OWNER_TAG_KEY]: OURS });
    });

    test('of another stack\'s domain is refused, even with AdoptExisting', async () => {
      await createAs({ stackId: OTHER_STACK_ID });
      emu.resetRequests();
      await expect(onEvent(updateEvent(DOMAIN, NAME, config({ DefaultExpirationDays: 30, AdoptExisting: true }), config())))
        .rejects.toThrow(/belongs to another stack/);
      expect(writeOperations(emu)).toEqual([]);
    });

    test('tag changes alone are checked too (a tag diff is a write)', async () => {
      await createAs({ stackId: OTHER_STACK_ID });
      emu.resetRequests();
      await expect(onEvent(updateEvent(DOMAIN, NAME, config({ Tags: { team: 'data' } }), config()))).rejects.toThrow(/belongs to another stack/);
      expect(writeOperations(emu)).toEqual([]);
    });

    test('user tag diffs never remove the marker', async () => {
      await deploy(emu, createEvent(DOMAIN, config({ Tags: { team: 'crm', env: 'dev' } })));
      emu.resetRequests();
      await deploy(emu, updateEvent(DOMAIN, NAME, config({ Tags: undefined }), config({ Tags: { team: 'crm', env: 'dev' } })));
      expect(writeOperations(emu)).toEqual(['UntagResource']);
      expect(domain()?.Tags).toEqual({ [OWNER_TAG_KEY]: OURS });
      // An old Config that (hand-written) carried the reserved key does not untag it either.
      await deploy(emu, updateEvent(DOMAIN, NAME, config({ Tags: { team: 'crm' } }), config({ Tags: { [OWNER_TAG_KEY]: OURS } })));
      expect(domain()?.Tags).toEqual({ team: 'crm', [OWNER_TAG_KEY]: OURS });
    });
  });

  describe('delete', () => {
    test('of its own domain deletes it and waits until it is gone', async () => {
      await deploy(emu, createEvent(DOMAIN, config()));
      emu.resetRequests();
      const result = await deploy(emu, deleteEvent(DOMAIN, NAME, config()));
      expect(emu.requests.map((r) => `${r.operation} ${r.status}`)).toEqual(['GetDomain 200', 'DeleteDomain 200', 'GetDomain 404']);
      expect(result.onEvent.Data[LEFT_IN_PLACE_KEY]).toBeUndefined();
      expect(domain()).toBeUndefined();
    });

    test.each([
      ['unmarked (legacy or console)', undefined],
      ['another stack\'s', { stackId: OTHER_STACK_ID }],
      ['a sibling\'s', { logicalResourceId: 'Customers' }],
      ['an earlier stack\'s', { stackId: EARLIER_STACK_ID }],
    ] as Array<[string, EventOrigin | undefined]>)('of %s domain leaves it in place and completes without waiting', async (_, origin) => {
      if (origin) await createAs(origin);
      else await createUnmarked();
      emu.resetRequests();

      const first = await onEvent(deleteEvent(DOMAIN, NAME, config()));
      expect(first.Data[LEFT_IN_PLACE_KEY]).toBe(true);
      const done = await isComplete(completionEvent(deleteEvent(DOMAIN, NAME, config()), first));

      expect(done.IsComplete).toBe(true);
      expect(emu.requests.map((r) => r.operation)).toEqual(['GetDomain']);
      expect(domain()?.DefaultExpirationDays).toBe(90);
    });

    test('of a domain already gone completes', async () => {
      const result = await deploy(emu, deleteEvent(DOMAIN, NAME, config()));
      expect(result.final.IsComplete).toBe(true);
      expect(writeOperations(emu)).toEqual([]);
    });
  });
});

describe('through the local deploy engine: a second stack declares another stack\'s domain', () => {
  let h: Harness;
  jest.setTimeout(60_000);
  startHarnessForEachTest((started) => { h = started; });

  function teamA(): App {
    const app = new App();
    const stack = new Stack(app, 'TeamA');
    const d = new Domain(stack, 'Customers', { domainName: NAME, dataStore: DataStore.enabled(), defaultExpiration: Duration.days(365) });
    new DomainObjectType(stack, 'Orders', { domain: d, objectTypeName: 'orders', fields: { Id: { source: '_source.Id', target: '_order.Id' } } });
    return app;
  }

  function teamB(props: { adoptExisting?: boolean } = {}): App {
    const app = new App();
    const stack = new Stack(app, 'TeamB');
    new Domain(stack, 'Customers', {
      domainName: NAME,
      defaultExpiration: Duration.days(30),
      removalPolicy: props.adoptExisting ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      adoptExisting: props.adoptExisting,
    });
    return app;
  }

  test('TeamB\'s deploy fails with the refusal; TeamA\'s domain keeps its expiration; destroying TeamB leaves it and its object type', async () => {
    expect(outcome(await h.local.deploy(teamA())).status).toBe('CREATE_COMPLETE');
    const marker = (h.emu.state.domain(NAME)?.Tags as Record<string, string>)[OWNER_TAG_KEY];
    expect(marker).toMatch(/^TeamA\/[^/]+\/Customers/);

    const result = await h.local.deploy(teamB());
    const b = result.stacks.find((s) => s.stackName === 'TeamB')!;
    expect(b.status).toBe('ROLLBACK_COMPLETE');
    expect(b.reason).toContain(`Domain '${NAME}' already exists and belongs to another stack (owner ${marker})`);
    expect(h.emu.state.domain(NAME)?.DefaultExpirationDays).toBe(365);

    const destroyed = await h.local.destroy(['TeamB']);
    expect(destroyed.success).toBe(true);
    expect(h.emu.state.domain(NAME)).toMatchObject({ DefaultExpirationDays: 365, Tags: { [OWNER_TAG_KEY]: marker } });
    expect(h.emu.state.objectType(NAME, 'orders')).toBeDefined();

    // Asking for adoption does not take over a domain another live stack owns.
    const again = await h.local.deploy(teamB({ adoptExisting: true }));
    expect(again.stacks.find((s) => s.stackName === 'TeamB')?.reason).toContain('belongs to another stack');
    expect((await h.local.destroy(['TeamB'])).success).toBe(true);
    expect(h.emu.state.domain(NAME)).toMatchObject({ DefaultExpirationDays: 365, Tags: { [OWNER_TAG_KEY]: marker } });
    expect(h.emu.state.objectType(NAME, 'orders')).toBeDefined();
    expect(h.emu.requests.filter((r) => r.operation === 'DeleteDomain' || r.operation === 'DeleteDomainObjectType' || r.operation === 'UpdateDomain')).toEqual([]);
  });

  test('destroying a stack whose domain lost its marker (deployed by a version before markers) leaves the domain', async () => {
    const app = new App();
    const stack = new Stack(app, 'TeamA');
    new Domain(stack, 'Customers', { domainName: NAME, removalPolicy: RemovalPolicy.DESTROY });
    expect(outcome(await h.local.deploy(app)).status).toBe('CREATE_COMPLETE');
    await untag(h, `arn:aws:profile:us-east-1:123456789012:domains/${NAME}`);

    const destroyed = await h.local.destroy(['TeamA']);
    expect(destroyed.success).toBe(true);
    expect(h.emu.state.domain(NAME)).toBeDefined();
    expect(h.emu.requests.filter((r) => r.operation === 'DeleteDomain')).toEqual([]);
  });
});

async function untag(h: Harness, arn: string): Promise<void> {
  const client = new CustomerProfilesClient({ endpoint: h.emu.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  await client.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: [OWNER_TAG_KEY] }));
  client.destroy();
}

describe('synthesis', () => {
  test('adoptExisting with RemovalPolicy.DESTROY fails naming the construct, the field and the rule', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    new Domain(stack, 'Customers', { domainName: NAME, adoptExisting: true, removalPolicy: RemovalPolicy.DESTROY });
    expect(() => app.synth()).toThrow(/Domain at 'S\/Customers'.*adoptExisting.*requires removalPolicy: RemovalPolicy\.RETAIN/s);
  });

  test('adoptExisting with the default (RETAIN) synthesizes, and writes AdoptExisting only when true', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    new Domain(stack, 'A', { domainName: 'a', adoptExisting: true });
    new Domain(stack, 'B', { domainName: 'b', adoptExisting: false });
    new Domain(stack, 'C', { domainName: 'c' });
    const assembly = app.synth();
    const resources = assembly.getStackByName('S').template.Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>;
    const configs = Object.values(resources).filter((r) => r.Type === DOMAIN).map((r) => JSON.stringify(r.Properties));
    expect(configs.filter((c) => c.includes('AdoptExisting'))).toHaveLength(1);
    expect(configs.find((c) => c.includes('"DomainName":"a"'))).toContain('AdoptExisting');
  });

  test('the reserved owner tag key is refused in the domain\'s tags', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const d = new Domain(stack, 'Customers', { domainName: NAME });
    Tags.of(d).add(OWNER_TAG_KEY, 'mine');
    expect(() => app.synth()).toThrow(/Domain at 'S\/Customers': tags key is reserved for the owner marker.*got 'cdk-customer-profiles:owner'/);
  });
});
