import {
  CustomerProfilesClient, DeleteDomainCommand, DeleteDomainObjectTypeCommand, DeleteRecommenderCommand, DeleteSegmentDefinitionCommand,
  UpdateRecommenderCommand,
} from '@aws-sdk/client-customer-profiles';
import { MAX_ATTEMPTS_ENV } from '../../lambda/client';
import {
  DOMAIN, Harness, KINDS, kind, OBJECT_TYPE, outcome, RECOMMENDER, reliabilityApp, ResourceKind, SEGMENT, SETTLED, startHarness,
} from '../helpers/reliability-harness';

/**
 * The fault matrix: each custom resource type of the library under throttling, 5xx answers, slow
 * answers, a crash after the work was done (the same request delivered again), deletes of
 * resources already gone, FAILED statuses, deadlines and an update that fails halfway, run by the
 * local deploy engine against the emulator. For each: the stack settles in a state CloudFormation
 * accepts, no domain or object type is deleted unless the user asked for it, and the failure
 * reason names the resource, the operation and the service's message.
 *
 * The handler runs in process (the same source the bundle is built from) so that the test can
 * redeliver a request and move a deadline; everything else is the engine's and the emulator's.
 * Integrations are native CloudFormation resources (AWS::CustomerProfiles::Integration): the
 * engine gives them placeholders, and CloudFormation's own handler owns their retries.
 */

jest.setTimeout(120_000);

let h: Harness;
beforeEach(async () => {
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  h = await startHarness();
});
afterEach(async () => {
  delete process.env[MAX_ATTEMPTS_ENV];
  await h.stop();
  jest.restoreAllMocks();
});

/** Customer data: the library never deletes a domain or an object type the user did not ask to delete. */
function customerDataDeletes(): string[] {
  return h.emu.requests.map((r) => r.operation).filter((op) => op === 'DeleteDomain' || op === 'DeleteDomainObjectType');
}

function count(operation: string, status?: number): number {
  return h.emu.requests.filter((r) => r.operation === operation && (status === undefined || r.status === status)).length;
}

/** Every kind exists in the emulator. */
function allExist(): boolean {
  return KINDS.every((k) => k.exists(h.emu));
}

/** The operation the handler retries or fails on, per kind, at create time. */
const FAILING_CREATE_OP: Record<ResourceKind['kind'], string> = {
  Domain: 'CreateDomain',
  DomainObjectType: 'PutDomainObjectType',
  Recommender: 'CreateRecommender',
  // The segment's query is validated first: its first call is CreateSegmentEstimate.
  SegmentDefinition: 'CreateSegmentEstimate',
};

describe.each(KINDS.map((k) => [k.kind, k] as const))('%s', (_name, k) => {
  const op = FAILING_CREATE_OP[k.kind];

  test('a throttling burst on create is absorbed by retries', async () => {
    h.emu.faults.add({ operation: op, times: 3, error: 'ThrottlingException', message: 'Rate exceeded (injected)' });
    const result = await h.local.deploy(reliabilityApp());
    expect(outcome(result)).toEqual({ status: 'CREATE_COMPLETE', reason: undefined });
    expect(count(op, 429)).toBe(3);
    expect(allExist()).toBe(true);
  });

  test('throttling that outlasts the retries fails the stack with the resource, operation and message, and rolls back', async () => {
    process.env[MAX_ATTEMPTS_ENV] = '3';
    h.emu.faults.add({ operation: op, times: 100, error: 'ThrottlingException', message: 'Rate exceeded (injected)' });
    const result = await h.local.deploy(reliabilityApp());
    const { status, reason } = outcome(result);
    expect(status).toBe('ROLLBACK_COMPLETE');
    expect(reason).toContain(k.label);
    expect(reason).toContain(op);
    expect(reason).toContain('Rate exceeded (injected)');
    expect(customerDataDeletes()).toEqual([]);
  });

  test('5xx answers are retried', async () => {
    h.emu.faults.add({ operation: op, times: 2, error: 'InternalServerException', message: 'Internal failure (injected)' });
    const result = await h.local.deploy(reliabilityApp());
    expect(outcome(result).status).toBe('CREATE_COMPLETE');
    expect(count(op, 500)).toBe(2);
    expect(allExist()).toBe(true);
  });

  test('persistent 5xx answers fail the stack with the resource, operation and message', async () => {
    process.env[MAX_ATTEMPTS_ENV] = '3';
    h.emu.faults.add({ operation: op, times: 100, error: 'InternalServerException', message: 'Internal failure (injected)' });
    const result = await h.local.deploy(reliabilityApp());
    const { status, reason } = outcome(result);
    expect(status).toBe('ROLLBACK_COMPLETE');
    expect(reason).toContain(k.label);
    expect(reason).toContain(op);
    expect(reason).toContain('Internal failure (injected)');
    expect(customerDataDeletes()).toEqual([]);
  });

  test('slow answers only make the deployment slower', async () => {
    h.emu.faults.add({ operation: op, times: 1, latencyMs: 1500 });
    h.emu.faults.add({ operation: k.read, times: 2, latencyMs: 500 });
    const result = await h.local.deploy(reliabilityApp());
    expect(outcome(result).status).toBe('CREATE_COMPLETE');
    expect(allExist()).toBe(true);
  });

  test('a crash after the create was done, then the same request again, ends with one resource', async () => {
    h.hooks.crashAfterCreate = k.type;
    const result = await h.local.deploy(reliabilityApp());
    expect(outcome(result)).toEqual({ status: 'CREATE_COMPLETE', reason: undefined });
    expect([...h.deliveries.values()]).toContain(2);
    expect(allExist()).toBe(true);
    // Adopted, not duplicated: one of each in the emulator.
    expect(h.emu.state.domains()).toEqual([DOMAIN]);
  });

  test('a crash after an update was done, then the same request again, updates once', async () => {
    expect(outcome(await h.local.deploy(reliabilityApp())).status).toBe('CREATE_COMPLETE');
    h.hooks.crashAfter = { resourceType: k.type, requestType: 'Update' };
    const result = await h.local.deploy(reliabilityApp({
      expirationDays: 30, objectTypeDescription: 'v2', recommenderDescription: 'v2', segmentDisplayName: 'Gold v2',
    }));
    expect(outcome(result)).toEqual({ status: 'UPDATE_COMPLETE', reason: undefined });
    expect([...h.deliveries.values()]).toContain(2);
    expect(allExist()).toBe(true);
    expect(h.emu.state.domain(DOMAIN)).toMatchObject({ DefaultExpirationDays: 30 });
    expect(h.emu.state.recommender(DOMAIN, RECOMMENDER)).toMatchObject({ Description: 'v2' });
    expect(h.emu.state.segmentDefinition(DOMAIN, SEGMENT)).toMatchObject({ DisplayName: 'Gold v2' });
  });

  test('a crash after a delete was done, then the same request again, deletes once', async () => {
    expect(outcome(await h.local.deploy(reliabilityApp({ destroy: true }))).status).toBe('CREATE_COMPLETE');
    h.hooks.crashAfter = { resourceType: k.type, requestType: 'Delete' };
    const result = await h.local.destroy();
    expect(outcome(result)).toEqual({ status: 'DELETE_COMPLETE', reason: undefined });
    expect([...h.deliveries.values()]).toContain(2);
    expect(h.emu.state.domains()).toEqual([]);
  });

  test('a throttling burst on the reads of the wait is absorbed', async () => {
    // What isComplete reads while it waits (an object type needs no wait when it is created).
    const read = { Domain: 'GetDomain', DomainObjectType: undefined, Recommender: 'GetRecommender', SegmentDefinition: 'GetSegmentEstimate' }[k.kind];
    if (read) h.emu.faults.add({ operation: read, times: 3, error: 'ThrottlingException', message: 'Rate exceeded (injected)' });
    const result = await h.local.deploy(reliabilityApp());
    expect(outcome(result).status).toBe('CREATE_COMPLETE');
    if (read) expect(count(read, 429)).toBe(3);
    expect(allExist()).toBe(true);
  });

  test('a delete the service keeps failing leaves DELETE_FAILED with the reason, and the next destroy finishes', async () => {
    expect(outcome(await h.local.deploy(reliabilityApp({ destroy: true }))).status).toBe('CREATE_COMPLETE');
    process.env[MAX_ATTEMPTS_ENV] = '2';
    h.emu.faults.add({ operation: k.delete, times: 2, error: 'InternalServerException', message: 'Delete failed (injected)' });
    const failed = outcome(await h.local.destroy());
    expect(failed.status).toBe('DELETE_FAILED');
    const reasons = h.events.map((e) => (e as { reason?: string }).reason ?? '').join('\n');
    expect(reasons).toContain(`${k.label}: ${k.delete} failed with a Customer Profiles service error after retries: Delete failed (injected)`);
    expect(outcome(await h.local.destroy())).toEqual({ status: 'DELETE_COMPLETE', reason: undefined });
    expect(h.emu.state.domains()).toEqual([]);
  });

  test('deleting a resource that is already gone succeeds', async () => {
    const app = reliabilityApp({ destroy: true });
    expect(outcome(await h.local.deploy(app)).status).toBe('CREATE_COMPLETE');
    const client = new CustomerProfilesClient({ endpoint: h.emu.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const commands = {
      Domain: () => new DeleteDomainCommand({ DomainName: DOMAIN }),
      DomainObjectType: () => new DeleteDomainObjectTypeCommand({ DomainName: DOMAIN, ObjectTypeName: OBJECT_TYPE }),
      Recommender: () => new DeleteRecommenderCommand({ DomainName: DOMAIN, RecommenderName: RECOMMENDER }),
      SegmentDefinition: () => new DeleteSegmentDefinitionCommand({ DomainName: DOMAIN, SegmentDefinitionName: SEGMENT }),
    };
    await client.send(commands[k.kind]() as never);
    // Deletions that take time (recommenders) finish before the stack is deleted.
    h.emu.clock.advance(600_000);
    client.destroy();
    expect(k.exists(h.emu)).toBe(false);
    const result = await h.local.destroy();
    expect(outcome(result)).toEqual({ status: 'DELETE_COMPLETE', reason: undefined });
    expect(h.emu.state.domains()).toEqual([]);
  });
});

describe('a burst of throttling over the whole stack', () => {
  test('every resource is created under a rate limit of 3 requests per second', async () => {
    h.emu.faults.throttle(3);
    const result = await h.local.deploy(reliabilityApp());
    h.emu.faults.throttle(undefined);
    expect(outcome(result).status).toBe('CREATE_COMPLETE');
    expect(h.emu.requests.some((r) => r.status === 429)).toBe(true);
    expect(allExist()).toBe(true);
  });
});

describe('FAILED statuses', () => {
  test('Domain: a data store that stops short of ready fails at the deadline with the service\'s readiness message', async () => {
    h.hooks.afterOnEvent = (e) => {
      if (e.ResourceType === kind('Domain').type && e.RequestType === 'Create') h.emu.failDataStore(DOMAIN, 'Storage provisioning failed (injected)');
    };
    h.hooks.deadline = { resourceType: kind('Domain').type, afterPolls: 20 };
    const { status, reason } = outcome(await h.local.deploy(reliabilityApp()));
    expect(status).toBe('ROLLBACK_COMPLETE');
    expect(reason).toContain("Domain 'customers': gave up waiting for the data store to be ready after 30 minutes");
    expect(reason).toContain('Storage provisioning failed (injected)');
    expect(reason).toContain('readinessTimeout');
    // The domain (Retain by default) is kept for the user to inspect.
    expect(h.emu.state.domain(DOMAIN)).toBeDefined();
    expect(customerDataDeletes()).toEqual([]);
  });

  test('DomainObjectType: a definition the service rejects fails with PutDomainObjectType and the service\'s message', async () => {
    h.emu.faults.add({ operation: 'PutDomainObjectType', times: 1, error: 'BadRequestException', message: 'Field _order.Total is not a valid target (injected)' });
    const { status, reason } = outcome(await h.local.deploy(reliabilityApp()));
    expect(status).toBe('ROLLBACK_COMPLETE');
    expect(reason).toContain("Domain object type 'customers/orders': PutDomainObjectType was rejected by Customer Profiles");
    expect(reason).toContain('Field _order.Total is not a valid target (injected)');
    expect(customerDataDeletes()).toEqual([]);
  });

  test('Recommender: training that ends FAILED fails the stack with the service\'s FailureReason', async () => {
    h.hooks.afterOnEvent = (e) => {
      if (e.ResourceType === kind('Recommender').type && e.RequestType === 'Create') {
        h.emu.failRecommender(DOMAIN, RECOMMENDER, 'Not enough interactions to train (injected)');
      }
    };
    const { status, reason } = outcome(await h.local.deploy(reliabilityApp()));
    expect(status).toBe('ROLLBACK_COMPLETE');
    expect(reason).toContain("Recommender 'customers/for-you' failed: Not enough interactions to train (injected)");
    expect(customerDataDeletes()).toEqual([]);
    // The failed recommender (Delete by default) is cleaned up by the rollback.
    expect(h.emu.state.recommender(DOMAIN, RECOMMENDER)).toBeUndefined();
  });

  test('SegmentDefinition: a validation estimate that ends FAILED fails the stack with the service\'s message', async () => {
    h.hooks.afterOnEvent = (e) => {
      if (e.ResourceType === kind('Domain').type) h.emu.failSegmentEstimates(DOMAIN, 'Unknown attribute secret_tier (injected)');
    };
    const { status, reason } = outcome(await h.local.deploy(reliabilityApp()));
    expect(status).toBe('ROLLBACK_COMPLETE');
    expect(reason).toContain("Segment definition 'customers/gold': Customer Profiles rejected the segment query");
    expect(reason).toContain('Unknown attribute secret_tier (injected)');
    expect(reason).toMatch(/\((Create|Get)SegmentEstimate\)/);
    expect(h.emu.state.segmentDefinition(DOMAIN, SEGMENT)).toBeUndefined();
    expect(customerDataDeletes()).toEqual([]);
  });
});

describe('deadlines', () => {
  test.each([
    ['Domain', { dataStoreReadySeconds: 24 * 3600 }, "Domain 'customers': gave up waiting for the data store to be ready after 30 minutes", 'readinessTimeout'],
    ['Recommender', { recommenderTrainingSeconds: 24 * 3600 }, "Recommender 'customers/for-you': gave up waiting", 'timeout'],
    ['SegmentDefinition', { segmentEstimateSeconds: 24 * 3600 }, "Segment definition 'customers/gold': gave up waiting for the segment estimate", 'validateBeforeCreate'],
  ] as const)('%s: its own deadline fails the stack with what it waited for, the last status and the prop to change', async (name, timing, message, prop) => {
    await h.stop();
    h = await startHarness(timing);
    h.hooks.deadline = { resourceType: kind(name).type, afterPolls: 10 };
    const { status, reason } = outcome(await h.local.deploy(reliabilityApp()));
    expect(status).toBe('ROLLBACK_COMPLETE');
    expect(reason).toContain(message);
    expect(reason).toContain('last seen');
    expect(reason).toContain(prop);
    expect(customerDataDeletes()).toEqual([]);
  });
});

describe('an update that fails halfway rolls back', () => {
  const UPDATE_FAILURES: Array<[ResourceKind['kind'], string]> = [
    ['Domain', 'UpdateDomain'],
    ['DomainObjectType', 'PutDomainObjectType'],
    ['Recommender', 'UpdateRecommender'],
    ['SegmentDefinition', 'CreateSegmentEstimate'],
    // After validation, the changed segment is deleted and created again under its name: the
    // create failing leaves no segment until the rollback puts the old one back.
    ['SegmentDefinition', 'CreateSegmentDefinition'],
    // The recommender's update was accepted and is training when the stack fails: the rollback
    // must wait for that training before it can send its own UpdateRecommender.
    ['Recommender', 'GetRecommender'],
  ];

  test.each(UPDATE_FAILURES)('%s: %s rejected during the update', async (name, op) => {
    const v1 = reliabilityApp();
    expect(outcome(await h.local.deploy(v1)).status).toBe('CREATE_COMPLETE');
    const before = {
      expiration: (h.emu.state.domain(DOMAIN) as { DefaultExpirationDays: number }).DefaultExpirationDays,
      description: (h.emu.state.objectType(DOMAIN, OBJECT_TYPE) as { Description: string }).Description,
    };
    h.emu.faults.add({ operation: op, times: 1, error: 'BadRequestException', message: 'Update refused (injected)' });
    const v2 = reliabilityApp({
      expirationDays: 30,
      objectTypeDescription: 'Orders of the web shop and the stores',
      recommenderDescription: 'Home page picks, v2',
      segmentDisplayName: 'Gold and platinum tier',
    });
    const result = await h.local.deploy(v2);
    const { status, reason } = outcome(result);
    expect(SETTLED).toContain(status);
    expect(status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(reason).toContain(kind(name).label);
    expect(reason).toContain(op);
    expect(reason).toContain('Update refused (injected)');
    // Every resource is still there, and the domain and object type are as before the update.
    expect(allExist()).toBe(true);
    expect(h.emu.state.domain(DOMAIN)).toMatchObject({ DefaultExpirationDays: before.expiration });
    expect(h.emu.state.objectType(DOMAIN, OBJECT_TYPE)).toMatchObject({ Description: before.description });
    expect(customerDataDeletes()).toEqual([]);
    // The stack accepts the next deployment.
    expect(outcome(await h.local.deploy(v2)).status).toBe('UPDATE_COMPLETE');
    expect(h.emu.state.domain(DOMAIN)).toMatchObject({ DefaultExpirationDays: 30 });
  });
});

describe('recommender updates that meet a busy recommender', () => {
  test('the update deadline passes while it trains: the rollback waits for the training, then reverts it', async () => {
    await h.stop();
    h = await startHarness({ recommenderUpdateSeconds: 900 });
    expect(outcome(await h.local.deploy(reliabilityApp())).status).toBe('CREATE_COMPLETE');
    h.hooks.deadline = { resourceType: kind('Recommender').type, afterPolls: 5, requests: 1 };
    const { status, reason } = outcome(await h.local.deploy(reliabilityApp({ recommenderDescription: 'Home page picks, v2' })));
    expect(status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(reason).toContain("Recommender 'customers/for-you': gave up waiting for the update to finish training");
    expect(h.emu.state.recommender(DOMAIN, RECOMMENDER)).toMatchObject({ Description: 'Home page picks', Status: 'ACTIVE' });
    expect(h.emu.requests.filter((r) => r.operation === 'UpdateRecommender' && r.status === 200)).toHaveLength(2);
  });

  test('an update while another update (made outside the stack) trains waits for it, then applies', async () => {
    expect(outcome(await h.local.deploy(reliabilityApp())).status).toBe('CREATE_COMPLETE');
    const client = new CustomerProfilesClient({ endpoint: h.emu.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    await client.send(new UpdateRecommenderCommand({ DomainName: DOMAIN, RecommenderName: RECOMMENDER, Description: 'Changed in the console' }));
    client.destroy();
    const result = await h.local.deploy(reliabilityApp({ recommenderDescription: 'Home page picks, v2' }));
    expect(outcome(result)).toEqual({ status: 'UPDATE_COMPLETE', reason: undefined });
    expect(h.emu.state.recommender(DOMAIN, RECOMMENDER)).toMatchObject({ Description: 'Home page picks, v2', Status: 'ACTIVE' });
  });
});
