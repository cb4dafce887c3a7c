import { CreateSegmentDefinitionCommand, CustomerProfilesClient } from '@aws-sdk/client-customer-profiles';
import { isComplete, onEvent } from '../../lambda/index';
import { LEFT_IN_PLACE_KEY } from '../../lambda/ownership';
import { Emulator } from '../../local/src/emulator';
import { OWNER_TAG_KEY, ownerMarker, ResourceTypes } from '../../src/private/contract';
import { startEmulator, stopEmulator } from '../helpers/handler-emulator';
import {
  captureOutput, completionEvent, createEvent, deleteEvent, deploy, EARLIER_STACK_ID, OTHER_STACK_ID, STACK_ID, updateEvent, writeOperations,
} from '../helpers/handler-events';

/**
 * Ownership of segment definitions: a stack changes and deletes only the definitions it created.
 * Every path runs the handler through the real SDK against the emulator; "someone else's"
 * definitions are made directly through the SDK, as a console user or another tool would.
 */

const SEGMENT = ResourceTypes.SEGMENT_DEFINITION;
const SQL = "SELECT * FROM _profile WHERE _profile.Attributes.tier = 'gold'";
const SECRET_DESCRIPTION = 'VIP customers of the confidential spring campaign';
const ID = 'customers/high-value';
const OURS = ownerMarker(STACK_ID, 'Resource');

function config(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    DomainName: 'customers',
    SegmentDefinitionName: 'high-value',
    DisplayName: 'High value',
    Description: SECRET_DESCRIPTION,
    SegmentSqlQuery: SQL,
    Tags: { team: 'crm' },
    ValidateBeforeCreate: true,
    TimeoutSeconds: 300,
    ...overrides,
  };
}

let emu: Emulator;
let client: CustomerProfilesClient;
beforeEach(async () => {
  emu = await startEmulator({ segmentEstimateSeconds: 5 });
  client = new CustomerProfilesClient({ endpoint: emu.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 });
  await deploy(emu, createEvent(ResourceTypes.DOMAIN, {
    DomainName: 'customers', DefaultExpirationDays: 30, DataStore: { Enabled: true }, WaitForDataStore: false, TimeoutSeconds: 60,
  }));
  emu.resetRequests();
});
afterEach(async () => {
  client.destroy();
  await stopEmulator(emu);
});

/** A definition made outside this stack, through the SDK; `tags` may carry another owner's marker. */
interface ForeignContent {
  readonly DisplayName?: string;
  readonly SegmentSqlQuery?: string;
  readonly Description?: string;
  readonly Tags?: Record<string, string>;
}

async function foreign(overrides: ForeignContent = {}): Promise<void> {
  await client.send(new CreateSegmentDefinitionCommand({
    DomainName: 'customers',
    SegmentDefinitionName: 'high-value',
    DisplayName: 'Someone else\'s segment',
    SegmentSqlQuery: "SELECT * FROM _profile WHERE _profile.Attributes.tier = 'silver'",
    ...overrides,
  }));
  emu.resetRequests();
}

/** Content identical to config(): what an earlier library version (no marker) or a console user would have made. */
const IDENTICAL = { DisplayName: 'High value', SegmentSqlQuery: SQL, Description: SECRET_DESCRIPTION };

const tagsOf = () => emu.state.segmentDefinition('customers', 'high-value')?.Tags as Record<string, string> | undefined;
const calls = () => emu.requests.map((r) => `${r.operation} ${r.status}`);

describe('issue #13 case 2: a failed create never deletes someone else\'s definition', () => {
  test('the create is refused in onEvent, before the estimate and without a physical id; a Delete for domain/name leaves it', async () => {
    await foreign();
    // validateBeforeCreate (the default): the refusal must come before onEvent returns an id.
    await expect(onEvent(createEvent(SEGMENT, config()))).rejects.toThrow(
      "Segment definition 'customers/high-value' already exists and carries no owner tag (cdk-customer-profiles:owner)");
    expect(calls()).toEqual(['GetSegmentDefinition 200']);

    // CloudFormation's rollback (had an id been returned) sends Delete for it: the definition stays.
    emu.resetRequests();
    const result = await deploy(emu, deleteEvent(SEGMENT, ID, config()));
    expect(result.onEvent.Data[LEFT_IN_PLACE_KEY]).toBe(true);
    expect(result.polls).toBe(0);
    expect(calls()).toEqual(['GetSegmentDefinition 200']);
    expect(emu.state.segmentDefinition('customers', 'high-value')).toMatchObject({ DisplayName: 'Someone else\'s segment' });
  });

  test('an identical definition that carries no marker is not taken over either (it would be deleted with the stack)', async () => {
    await foreign(IDENTICAL);
    await expect(onEvent(createEvent(SEGMENT, config({ ValidateBeforeCreate: false })))).rejects.toThrow('set adoptExisting: true on the construct');
    expect(writeOperations(emu)).toEqual([]);
    expect(tagsOf()).toBeUndefined();
  });

  test('another stack\'s definition is refused, even with AdoptExisting, and its Delete leaves it', async () => {
    await foreign({ ...IDENTICAL, Tags: { [OWNER_TAG_KEY]: ownerMarker(OTHER_STACK_ID, 'Gold') } });
    await expect(onEvent(createEvent(SEGMENT, config({ AdoptExisting: true })))).rejects.toThrow(
      "Segment definition 'customers/high-value' already exists and belongs to another stack (owner OtherTeam/");
    await deploy(emu, deleteEvent(SEGMENT, ID, config()));
    expect(writeOperations(emu)).toEqual([]);
    expect(tagsOf()).toEqual({ [OWNER_TAG_KEY]: ownerMarker(OTHER_STACK_ID, 'Gold') });
  });

  test('another construct of the same stack (a sibling) is refused, and its Delete leaves it', async () => {
    await deploy(emu, createEvent(SEGMENT, config(), { logicalResourceId: 'Gold' }), { stepMs: 2_000 });
    emu.resetRequests();
    await expect(onEvent(createEvent(SEGMENT, config({ AdoptExisting: true })))).rejects.toThrow(
      "Segment definition 'customers/high-value' already exists and belongs to resource Gold of this stack");
    await deploy(emu, deleteEvent(SEGMENT, ID, config()));
    expect(writeOperations(emu)).toEqual([]);
    expect(tagsOf()?.[OWNER_TAG_KEY]).toBe(ownerMarker(STACK_ID, 'Gold'));
  });

  test('a definition made between the check and the create (a race) is refused in isComplete, and the rollback Delete leaves it', async () => {
    const event = createEvent(SEGMENT, config());
    const first = await onEvent(event);
    await foreign();
    emu.clock.advance(10_000);
    await expect(isComplete(completionEvent(event, first))).rejects.toThrow('already exists and carries no owner tag');
    await deploy(emu, deleteEvent(SEGMENT, first.PhysicalResourceId, config()));
    expect(writeOperations(emu)).toEqual(['CreateSegmentDefinition']);
    expect(emu.state.segmentDefinition('customers', 'high-value')).toMatchObject({ DisplayName: 'Someone else\'s segment' });
  });
});

describe('create', () => {
  test('creates with this resource\'s marker next to the user\'s tags', async () => {
    await deploy(emu, createEvent(SEGMENT, config()), { stepMs: 2_000 });
    expect(tagsOf()).toEqual({ team: 'crm', [OWNER_TAG_KEY]: OURS });
  });

  test('a retried create finds its own definition and adopts it: no estimate, no create, tags converge, the marker stays', async () => {
    const event = createEvent(SEGMENT, config({ ValidateBeforeCreate: false }));
    await onEvent(event);
    emu.resetRequests();
    const again = await deploy(emu, createEvent(SEGMENT, config({ Tags: { env: 'prod' } }), { requestId: event.RequestId }));
    expect(again.onEvent.PhysicalResourceId).toBe(ID);
    expect(again.polls).toBe(0);
    expect(calls()).toEqual(['GetSegmentDefinition 200', 'UntagResource 200', 'TagResource 200']);
    expect(tagsOf()).toEqual({ env: 'prod', [OWNER_TAG_KEY]: OURS });
  });

  test('its own definition with other content (left by a retained earlier version) is refused, naming what differs', async () => {
    await deploy(emu, createEvent(SEGMENT, config({ ValidateBeforeCreate: false })));
    emu.resetRequests();
    await expect(onEvent(createEvent(SEGMENT, config({ DisplayName: 'Gold' })))).rejects.toThrow(
      "Segment definition 'customers/high-value' already exists with another display name, and segment definitions cannot be updated");
    expect(writeOperations(emu)).toEqual([]);
  });
});

describe('explicit adoption (AdoptExisting)', () => {
  test('an identical definition without a marker is marked, its tags converge, and it is ours from then on', async () => {
    await foreign({ ...IDENTICAL, Tags: { team: 'old' } });
    const result = await deploy(emu, createEvent(SEGMENT, config({ AdoptExisting: true })));
    expect(result.onEvent.PhysicalResourceId).toBe(ID);
    expect(calls()).toEqual(['GetSegmentDefinition 200', 'TagResource 200', 'TagResource 200']);
    expect(tagsOf()).toEqual({ team: 'crm', [OWNER_TAG_KEY]: OURS });
    await deploy(emu, deleteEvent(SEGMENT, ID, config()));
    expect(emu.state.segmentDefinition('customers', 'high-value')).toBeUndefined();
  });

  test('one left by an earlier stack of the same name is adopted when asked', async () => {
    await foreign({ ...IDENTICAL, Tags: { [OWNER_TAG_KEY]: ownerMarker(EARLIER_STACK_ID, 'Resource') } });
    await expect(onEvent(createEvent(SEGMENT, config()))).rejects.toThrow('left by an earlier stack of this name that was deleted');
    await deploy(emu, createEvent(SEGMENT, config({ AdoptExisting: true })));
    expect(tagsOf()).toEqual({ team: 'crm', [OWNER_TAG_KEY]: OURS });
  });

  test('a different definition is refused untouched, naming the members that differ but never the query or description', async () => {
    await foreign({ Description: 'Another secret description' });
    const { error, output } = await captureOutput(() => onEvent(createEvent(SEGMENT, config({ AdoptExisting: true }))));
    const message = (error as Error).message;
    expect(message).toBe("Segment definition 'customers/high-value' cannot be adopted: its display name, description and query differ from "
      + 'this construct\'s, and segment definitions cannot be updated. Set the construct\'s displayName, description, query and sort to '
      + 'those of the existing definition and deploy again, use SegmentDefinition.fromSegmentDefinitionName to use it as it is, '
      + 'or choose another segmentDefinitionName.');
    expect(writeOperations(emu)).toEqual([]);
    expect(tagsOf()).toBeUndefined();
    for (const text of [message, output]) {
      expect(text).not.toContain('SELECT');
      expect(text).not.toContain('secret');
      expect(text).not.toContain('confidential');
    }
  });

  test('a definition whose sort differs is refused (the SDK drops SegmentSort from responses: it is read from the raw body)', async () => {
    const sort = { Attributes: [{ Name: 'LastName', Order: 'ASC' }] };
    await deploy(emu, createEvent(SEGMENT, config({ SegmentSort: sort, ValidateBeforeCreate: false }), { stackId: EARLIER_STACK_ID }));
    emu.resetRequests();
    await expect(onEvent(createEvent(SEGMENT, config({ AdoptExisting: true })))).rejects.toThrow('cannot be adopted: its sort differs');
    await deploy(emu, createEvent(SEGMENT, config({ AdoptExisting: true, SegmentSort: sort })));
    expect(tagsOf()?.[OWNER_TAG_KEY]).toBe(OURS);
  });
});

describe('update', () => {
  async function created(c = config()): Promise<void> {
    await deploy(emu, createEvent(SEGMENT, c), { stepMs: 2_000 });
    emu.resetRequests();
  }

  test('a no-op update makes no call at all', async () => {
    await created();
    await deploy(emu, updateEvent(SEGMENT, ID, config({ TimeoutSeconds: 600 }), config()));
    expect(emu.requests).toEqual([]);
  });

  test('a tags-only change reads the definition, checks it is ours and converges its tags, keeping the marker', async () => {
    await created();
    await deploy(emu, updateEvent(SEGMENT, ID, config({ Tags: { team: 'data' } }), config()));
    expect(calls()).toEqual(['GetSegmentDefinition 200', 'TagResource 200']);
    expect(tagsOf()).toEqual({ team: 'data', [OWNER_TAG_KEY]: OURS });
  });

  test('recreating an own definition in place under its explicit name: checked, validated, deleted and created with the marker', async () => {
    await created();
    const silver = "SELECT * FROM _profile WHERE _profile.Attributes.tier = 'silver'";
    const result = await deploy(emu, updateEvent(SEGMENT, ID, config({ SegmentSqlQuery: silver }), config()), { stepMs: 2_000 });
    expect(result.onEvent.PhysicalResourceId).toBe(ID);
    expect(writeOperations(emu)).toEqual(['CreateSegmentEstimate', 'DeleteSegmentDefinition', 'CreateSegmentDefinition']);
    expect(emu.requests[0].operation).toBe('GetSegmentDefinition');
    expect(emu.state.segmentDefinition('customers', 'high-value')).toMatchObject({ SegmentSqlQuery: silver, Tags: { team: 'crm', [OWNER_TAG_KEY]: OURS } });
  });

  test('a legacy (unmarked) definition is not recreated in place: the refusal points to adoptExisting', async () => {
    await foreign(IDENTICAL);
    const silver = "SELECT * FROM _profile WHERE _profile.Attributes.tier = 'silver'";
    await expect(onEvent(updateEvent(SEGMENT, ID, config({ SegmentSqlQuery: silver }), config())))
      .rejects.toThrow('carries no owner tag (cdk-customer-profiles:owner): it was made outside this library or by a version before ownership markers, '
        + 'so this stack does not change or delete it. To manage it with this stack, set adoptExisting: true');
    expect(writeOperations(emu)).toEqual([]);
    expect(emu.state.segmentDefinition('customers', 'high-value')).toMatchObject({ SegmentSqlQuery: SQL });
  });

  test('with AdoptExisting the legacy definition is marked, then recreated in place', async () => {
    await foreign(IDENTICAL);
    const silver = "SELECT * FROM _profile WHERE _profile.Attributes.tier = 'silver'";
    await deploy(emu, updateEvent(SEGMENT, ID, config({ SegmentSqlQuery: silver, AdoptExisting: true }), config()), { stepMs: 2_000 });
    expect(writeOperations(emu)).toEqual(['TagResource', 'CreateSegmentEstimate', 'DeleteSegmentDefinition', 'CreateSegmentDefinition']);
    expect(emu.state.segmentDefinition('customers', 'high-value')).toMatchObject({ SegmentSqlQuery: silver, Tags: { team: 'crm', [OWNER_TAG_KEY]: OURS } });
  });

  test('turning AdoptExisting on marks a legacy definition, with nothing else changed', async () => {
    await foreign({ ...IDENTICAL, Tags: { team: 'crm' } });
    await deploy(emu, updateEvent(SEGMENT, ID, config({ AdoptExisting: true }), config()));
    expect(writeOperations(emu)).toEqual(['TagResource']);
    expect(tagsOf()).toEqual({ team: 'crm', [OWNER_TAG_KEY]: OURS });
  });

  test('a new name that someone else already uses is refused before the new physical id is returned', async () => {
    await created();
    await client.send(new CreateSegmentDefinitionCommand({ DomainName: 'customers', SegmentDefinitionName: 'gold', DisplayName: 'Theirs', SegmentSqlQuery: SQL }));
    emu.resetRequests();
    await expect(onEvent(updateEvent(SEGMENT, ID, config({ SegmentDefinitionName: 'gold' }), config()))).rejects.toThrow(
      "Segment definition 'customers/gold' already exists and carries no owner tag");
    expect(writeOperations(emu)).toEqual([]);
  });
});

describe('delete', () => {
  test('deletes its own definition', async () => {
    await deploy(emu, createEvent(SEGMENT, config({ ValidateBeforeCreate: false })));
    emu.resetRequests();
    await deploy(emu, deleteEvent(SEGMENT, ID, config()));
    expect(calls()).toEqual(['GetSegmentDefinition 200', 'DeleteSegmentDefinition 200', 'GetSegmentDefinition 404']);
  });

  test('a legacy (unmarked) definition is left in place and the delete succeeds at once', async () => {
    await foreign(IDENTICAL);
    const result = await deploy(emu, deleteEvent(SEGMENT, ID, config()));
    expect(result.final.IsComplete).toBe(true);
    expect(result.attributes[LEFT_IN_PLACE_KEY]).toBe(true);
    expect(calls()).toEqual(['GetSegmentDefinition 200']);
    expect(emu.state.segmentDefinition('customers', 'high-value')).toBeDefined();
  });
});
