import { handler, isComplete, onEvent } from '../../lambda/index';
import { Emulator } from '../../local/src/emulator';
import { ResourceTypes } from '../../src/private/contract';
import { startEmulator, stopEmulator } from '../helpers/handler-emulator';
import {
  captureOutput, completionEvent, createEvent, deleteEvent, deploy, pastDeadline, updateEvent, writeOperations,
} from '../helpers/handler-events';

const SEGMENT = ResourceTypes.SEGMENT_DEFINITION;
const SQL = "SELECT * FROM _profile WHERE _profile.Attributes.tier = 'gold'";
const SECRET_DESCRIPTION = 'VIP customers of the confidential spring campaign';

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

const GROUPS = {
  Groups: [{ Dimensions: [{ ProfileAttributes: { FirstName: { DimensionType: 'INCLUSIVE', Values: ['Ana'] } } }], Type: 'ALL' }],
  Include: 'ALL',
};

let emu: Emulator;
beforeEach(async () => {
  emu = await startEmulator({ segmentEstimateSeconds: 5 });
  await deploy(emu, createEvent(ResourceTypes.DOMAIN, {
    DomainName: 'customers', DefaultExpirationDays: 30, DataStore: { Enabled: true }, WaitForDataStore: false, TimeoutSeconds: 60,
  }));
  emu.seedProfiles('customers', [
    { FirstName: 'Ana', Attributes: { tier: 'gold' } },
    { FirstName: 'Bo', Attributes: { tier: 'gold' } },
    { FirstName: 'Cy', Attributes: { tier: 'silver' } },
  ]);
  emu.resetRequests();
});
afterEach(async () => {
  await stopEmulator(emu);
});

describe('create', () => {
  test('validates the query with a segment estimate, then creates the definition', async () => {
    const result = await deploy(emu, createEvent(SEGMENT, config()), { stepMs: 2_000 });
    expect(result.onEvent.PhysicalResourceId).toBe('customers/high-value');
    expect(result.polls).toBeGreaterThanOrEqual(2);
    expect(writeOperations(emu)).toEqual(['CreateSegmentEstimate', 'CreateSegmentDefinition']);
    expect(result.attributes).toMatchObject({
      DomainName: 'customers',
      SegmentDefinitionName: 'high-value',
      SegmentDefinitionArn: 'arn:aws:profile:us-east-1:123456789012:domains/customers/segment-definitions/high-value',
      SegmentType: 'ENHANCED',
      EstimatedProfileCount: 2,
    });
    expect(emu.state.segmentDefinition('customers', 'high-value')).toMatchObject({ SegmentSqlQuery: SQL, SegmentType: 'ENHANCED', Tags: { team: 'crm' } });
  });

  test('segment groups make a CLASSIC segment', async () => {
    const result = await deploy(emu, createEvent(SEGMENT, config({ SegmentSqlQuery: undefined, SegmentGroups: GROUPS })), { stepMs: 2_000 });
    expect(result.attributes.SegmentType).toBe('CLASSIC');
    expect(emu.state.segmentDefinition('customers', 'high-value')).toMatchObject({ SegmentType: 'CLASSIC', SegmentGroups: GROUPS });
  });

  test('without validation, creates at once and reports no estimate', async () => {
    const result = await deploy(emu, createEvent(SEGMENT, config({ ValidateBeforeCreate: 'false' })));
    expect(result.polls).toBe(0);
    expect(writeOperations(emu)).toEqual(['CreateSegmentDefinition']);
    expect(result.attributes.EstimatedProfileCount).toBe('');
  });

  test('invalid SQL fails with the service message before any segment exists', async () => {
    const invalid = 'SELEC * FROM _profile WHERE';
    await expect(onEvent(createEvent(SEGMENT, config({ SegmentSqlQuery: invalid })))).rejects.toThrow(
      /^Segment definition 'customers\/high-value': Customer Profiles rejected the segment query: SegmentSqlQuery is not valid SQL.*Nothing was created or changed; fix the query and deploy again\.$/);
    expect(writeOperations(emu)).toEqual(['CreateSegmentEstimate']);
    expect(emu.state.segmentDefinition('customers', 'high-value')).toBeUndefined();
  });

  describe('on a domain without a data store', () => {
    const refusal = "Segment definition 'plain/high-value' needs the data store of domain 'plain', which is not enabled: "
      + 'enable the data store on domain plain (dataStore: DataStore.enabled()) and deploy again.';
    beforeEach(async () => {
      await deploy(emu, createEvent(ResourceTypes.DOMAIN, { DomainName: 'plain', DefaultExpirationDays: 30, WaitForDataStore: false, TimeoutSeconds: 60 }));
      emu.resetRequests();
    });

    test('an SQL segment fails at its validation estimate with a sentence saying how to enable it', async () => {
      await expect(onEvent(createEvent(SEGMENT, config({ DomainName: 'plain' })))).rejects.toThrow(refusal);
      expect(writeOperations(emu)).toEqual(['CreateSegmentEstimate']);
      expect(emu.state.segmentDefinition('plain', 'high-value')).toBeUndefined();
    });

    test('without validation, the create fails with the same sentence', async () => {
      await expect(onEvent(createEvent(SEGMENT, config({ DomainName: 'plain', ValidateBeforeCreate: false })))).rejects.toThrow(refusal);
      expect(writeOperations(emu)).toEqual(['CreateSegmentDefinition']);
      expect(emu.state.segmentDefinition('plain', 'high-value')).toBeUndefined();
    });

    test('a classic segment is created', async () => {
      const result = await deploy(emu, createEvent(SEGMENT, config({ DomainName: 'plain', SegmentSqlQuery: undefined, SegmentGroups: GROUPS })), { stepMs: 2_000 });
      expect(result.attributes.SegmentType).toBe('CLASSIC');
    });
  });

  test('neither the SQL nor the description ever reaches the logs or the error', async () => {
    const invalid = "SELECT * FROM _profile WHERE _profile.Attributes.secret_tier = 'platinum' AND AND";
    const events = [
      createEvent(SEGMENT, config()),
      createEvent(SEGMENT, config({ SegmentDefinitionName: 'broken', SegmentSqlQuery: invalid })),
    ];
    emu.faults.add({ operation: 'CreateSegmentDefinition', times: 1, error: 'BadRequestException', message: `Bad description ${SECRET_DESCRIPTION}` });
    const { output } = await captureOutput(async () => {
      const errors: string[] = [];
      for (const event of events) {
        try {
          const first = await handler(event);
          if ('PhysicalResourceId' in first) {
            await handler(completionEvent(event, first));
            emu.clock.advance(10_000);
            await handler(completionEvent(event, first));
          }
        } catch (err) {
          errors.push((err as Error).message);
          console.error((err as Error).message);
        }
      }
      expect(errors).toHaveLength(2);
      expect(errors[0]).toContain('Bad description <redacted>');
    });
    expect(output).toContain('CreateSegmentEstimate');
    expect(output).not.toContain('SELECT');
    expect(output).not.toContain('platinum');
    expect(output).not.toContain(SECRET_DESCRIPTION);
  });

  test('a retried create adopts its own definition (found before anything is written)', async () => {
    const event = createEvent(SEGMENT, config({ ValidateBeforeCreate: false }));
    await onEvent(event);
    emu.resetRequests();
    const again = await deploy(emu, createEvent(SEGMENT, config({ ValidateBeforeCreate: false, Tags: { team: 'crm', env: 'prod' } }), { requestId: event.RequestId }));
    expect(again.onEvent.PhysicalResourceId).toBe('customers/high-value');
    expect(emu.requests.map((r) => `${r.operation} ${r.status}`)).toEqual(['GetSegmentDefinition 200', 'TagResource 200']);
  });

  test('an existing definition with another query is not adopted', async () => {
    await onEvent(createEvent(SEGMENT, config({ ValidateBeforeCreate: false })));
    await expect(onEvent(createEvent(SEGMENT, config({ ValidateBeforeCreate: false, SegmentSqlQuery: 'SELECT * FROM _profile' }))))
      .rejects.toThrow("Segment definition 'customers/high-value' already exists with another query, and segment definitions cannot be updated");
  });

  test('the deadline of a running estimate names what to change', async () => {
    const event = createEvent(SEGMENT, config());
    const first = await onEvent(event);
    await expect(isComplete(pastDeadline(completionEvent(event, first)))).rejects.toThrow(
      'gave up waiting for the segment estimate that validates the query after 5 minutes (last seen: estimate RUNNING). '
      + "Raise the segment's timeout, or set validateBeforeCreate: false");
    expect(emu.state.segmentDefinition('customers', 'high-value')).toBeUndefined();
  });

  test('retries throttling and internal errors', async () => {
    emu.faults.add({ operation: 'CreateSegmentEstimate', times: 1, error: 'ThrottlingException' });
    emu.faults.add({ operation: 'CreateSegmentDefinition', times: 1, error: 'InternalServerException' });
    await deploy(emu, createEvent(SEGMENT, config()), { stepMs: 2_000 });
    expect(emu.requests.filter((r) => /^Create/.test(r.operation)).map((r) => `${r.operation} ${r.status}`)).toEqual([
      'CreateSegmentEstimate 429', 'CreateSegmentEstimate 202', 'CreateSegmentDefinition 500', 'CreateSegmentDefinition 200',
    ]);
  });
});

describe('update', () => {
  async function created(c = config()): Promise<void> {
    await deploy(emu, createEvent(SEGMENT, c), { stepMs: 2_000 });
    emu.resetRequests();
  }

  test('a new query under a new (generated) name is a replacement with a new physical id', async () => {
    await created();
    const next = config({ SegmentDefinitionName: 'high-value-2', SegmentSqlQuery: "SELECT * FROM _profile WHERE _profile.Attributes.tier = 'silver'" });
    const result = await deploy(emu, updateEvent(SEGMENT, 'customers/high-value', next, config()), { stepMs: 2_000 });
    expect(result.onEvent.PhysicalResourceId).toBe('customers/high-value-2');
    expect(result.attributes.EstimatedProfileCount).toBe(1);
    expect(writeOperations(emu)).toEqual(['CreateSegmentEstimate', 'CreateSegmentDefinition']);
    expect(emu.state.segmentDefinition('customers', 'high-value')).toBeDefined();
  });

  test('a new query under the same explicit name is validated, then recreated in place (same physical id)', async () => {
    await created();
    const silver = "SELECT * FROM _profile WHERE _profile.Attributes.tier = 'silver'";
    const result = await deploy(emu, updateEvent(SEGMENT, 'customers/high-value', config({ SegmentSqlQuery: silver }), config()), { stepMs: 2_000 });
    expect(result.onEvent.PhysicalResourceId).toBe('customers/high-value');
    expect(writeOperations(emu)).toEqual(['CreateSegmentEstimate', 'DeleteSegmentDefinition', 'CreateSegmentDefinition']);
    expect(emu.state.segmentDefinition('customers', 'high-value')).toMatchObject({ SegmentSqlQuery: silver });
  });

  test('an invalid new query leaves the working definition alone', async () => {
    await created();
    await expect(onEvent(updateEvent(SEGMENT, 'customers/high-value', config({ SegmentSqlQuery: 'SELEC nope' }), config())))
      .rejects.toThrow('rejected the segment query');
    expect(writeOperations(emu)).toEqual(['CreateSegmentEstimate']);
    expect(emu.state.segmentDefinition('customers', 'high-value')).toMatchObject({ SegmentSqlQuery: SQL });
  });

  test('a display name or description change also replaces', async () => {
    await created();
    await deploy(emu, updateEvent(SEGMENT, 'customers/high-value', config({ DisplayName: 'Gold tier', ValidateBeforeCreate: false }), config()));
    expect(writeOperations(emu)).toEqual(['DeleteSegmentDefinition', 'CreateSegmentDefinition']);
    expect(emu.state.segmentDefinition('customers', 'high-value')).toMatchObject({ DisplayName: 'Gold tier' });
  });

  test('tags change in place; a no-op update makes no write call', async () => {
    await created();
    const result = await deploy(emu, updateEvent(SEGMENT, 'customers/high-value', config({ Tags: { team: 'data' } }), config()));
    expect(result.onEvent.PhysicalResourceId).toBe('customers/high-value');
    expect(writeOperations(emu)).toEqual(['TagResource']);
    // No estimate runs for a tag change (documented on estimatedProfileCount): the attribute is empty.
    expect(result.attributes.EstimatedProfileCount).toBe('');
    emu.resetRequests();
    await deploy(emu, updateEvent(SEGMENT, 'customers/high-value', config({ Tags: { team: 'data' }, TimeoutSeconds: '600' }), config({ Tags: { team: 'data' } })));
    expect(writeOperations(emu)).toEqual([]);
  });
});

describe('delete', () => {
  test('deletes, and a definition already gone counts as deleted at once', async () => {
    await deploy(emu, createEvent(SEGMENT, config({ ValidateBeforeCreate: false })));
    await deploy(emu, deleteEvent(SEGMENT, 'customers/high-value', config()));
    expect(emu.state.segmentDefinition('customers', 'high-value')).toBeUndefined();
    emu.resetRequests();
    const again = await deploy(emu, deleteEvent(SEGMENT, 'customers/high-value', config()));
    expect(again.final.IsComplete).toBe(true);
    expect(emu.requests.map((r) => `${r.operation} ${r.status}`)).toEqual(['GetSegmentDefinition 404']);
    expect(again.polls).toBe(0);
  });
});
