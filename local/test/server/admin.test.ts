import {
  AccessDeniedException, CreateDomainCommand, CustomerProfilesClient, GetDomainCommand, ListDomainsCommand, ThrottlingException,
} from '@aws-sdk/client-customer-profiles';
import { generateSampleData as exampleGenerator } from '../../../examples/sample-data';
import { Emulator, ServiceModel } from '../../src/emulator';
import { ADMIN_PREFIX, EmulatorServer, generateSampleData, ServerClock, startServer } from '../../src/server';

/** The admin API of the standalone server, its clock, and the rules it keeps from the engine's emulator. */

let server: EmulatorServer;
let client: CustomerProfilesClient;
const START = Date.UTC(2026, 0, 1);
beforeEach(async () => {
  server = await startServer({ clock: { startMs: START, frozen: true } });
  client = new CustomerProfilesClient({ endpoint: server.endpoint, region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 't', secretAccessKey: 't' } });
});
afterEach(async () => {
  client.destroy();
  await server.stop();
});

async function admin(method: string, route: string, body?: unknown): Promise<{ status: number; json: Record<string, any> }> {
  const res = await fetch(`${server.adminEndpoint}${route}`, { method, body: typeof body === 'string' ? body : body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, json: await res.json() as Record<string, any> };
}

test('the admin prefix matches no route of the service model, and a prefix that could is refused', async () => {
  const model = ServiceModel.load();
  for (const op of model.operations.values()) {
    expect({ op: op.name, first: op.segments[0] }).toEqual({ op: op.name, first: expect.objectContaining({ kind: 'literal' }) });
    expect(op.segments[0]).not.toEqual({ kind: 'literal', value: ADMIN_PREFIX.slice(1) });
  }
  for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
    expect(model.match(method, `${ADMIN_PREFIX}/clock`, new URLSearchParams())).toBeUndefined();
  }
  const handle = async () => ({ status: 200, headers: {}, body: '{}' });
  await expect(Emulator.start({ admin: { prefix: '/domains', handle } })).rejects.toThrow(/admin prefix \/domains could match the route of \w+/);
  await expect(Emulator.start({ admin: { prefix: '/a/b', handle } })).rejects.toThrow(/one path segment/);
});

test('the clock: real time by default, advanced and set from the admin API, never back', async () => {
  const real = new ServerClock();
  const t0 = real.now();
  await new Promise((r) => setTimeout(r, 30));
  expect(real.now()).toBeGreaterThan(t0);
  expect(new ServerClock({ speed: 60, startMs: 0 }).speed).toBe(60);

  expect((await admin('GET', '/clock')).json).toEqual({ now: '2026-01-01T00:00:00.000Z', epochMs: START, speed: 1, frozen: true });
  expect((await admin('POST', '/clock/advance', { seconds: 90 })).json.now).toBe('2026-01-01T00:01:30.000Z');
  expect((await admin('POST', '/clock/advance', { ms: 500 })).json.epochMs).toBe(START + 90_500);
  expect((await admin('POST', '/clock/set', { time: '2026-02-01T00:00:00Z' })).json.now).toBe('2026-02-01T00:00:00.000Z');
  const back = await admin('POST', '/clock/set', { time: '2025-01-01T00:00:00Z' });
  expect(back).toEqual({ status: 400, json: { message: expect.stringMatching(/^the clock cannot go back: it reads 2026-02-01T00:00:00.000Z/) } });
  expect((await admin('POST', '/clock/advance', { seconds: -1 })).status).toBe(400);
  expect((await admin('POST', '/clock/set', { frozen: false })).json.frozen).toBe(false);
  await new Promise((r) => setTimeout(r, 30));
  expect(server.clock.now()).toBeGreaterThan(Date.UTC(2026, 1, 1));
});

test('faults: modelled errors, latency, throttling, cleared; admin requests pass and are not logged', async () => {
  await client.send(new CreateDomainCommand({ DomainName: 'd', DefaultExpirationDays: 30 }));
  expect((await admin('POST', '/faults', { operation: 'GetDomain', error: 'AccessDeniedException', times: 2 })).status).toBe(200);
  await expect(client.send(new GetDomainCommand({ DomainName: 'd' }))).rejects.toBeInstanceOf(AccessDeniedException);
  await expect(client.send(new GetDomainCommand({ DomainName: 'd' }))).rejects.toBeInstanceOf(AccessDeniedException);
  await client.send(new GetDomainCommand({ DomainName: 'd' }));
  expect((await admin('POST', '/faults', { operation: 'GetDomian', error: 'InternalServerException' })).json.message).toMatch(/GetDomian is not an operation/);
  expect((await admin('POST', '/faults', { error: 'Teapot' })).json.message).toMatch(/"error" must be one of ThrottlingException/);

  await admin('POST', '/faults', { operation: 'ListDomains', latencyMs: 300 });
  const t0 = Date.now();
  await client.send(new ListDomainsCommand({}));
  expect(Date.now() - t0).toBeGreaterThanOrEqual(290);

  await admin('POST', '/faults/throttle', { requestsPerSecond: 1 });
  const results = await Promise.allSettled([1, 2, 3].map(() => client.send(new ListDomainsCommand({}))));
  expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof ThrottlingException).length).toBeGreaterThanOrEqual(2);
  expect((await admin('GET', '/clock')).status).toBe(200); // the admin API is not throttled
  await admin('DELETE', '/faults');
  await client.send(new ListDomainsCommand({}));

  const log = (await admin('GET', '/requests')).json.requests as Array<{ operation: string; status: number; path: string }>;
  expect(log.filter((r) => r.path.startsWith(ADMIN_PREFIX))).toEqual([]);
  expect(log.map((r) => `${r.operation} ${r.status}`)).toEqual(expect.arrayContaining(['GetDomain 403', 'ListDomains 429', 'ListDomains 200']));
  await admin('DELETE', '/requests');
  expect((await admin('GET', '/requests')).json.requests).toEqual([]);
});

test('sample data keeps the service rules; a FAILED recommender; state saved, reset and restored', async () => {
  await client.send(new CreateDomainCommand({ DomainName: 'nostore', DefaultExpirationDays: 30 }));
  expect((await admin('POST', '/sample-data', { domainName: 'nostore' })).json.message).toMatch(/data store must be enabled/);
  const bad = await admin('POST', '/sample-data', { domainName: 'nostore', records: [{ objectTypeName: 'Missing', object: { a: 1 } }] });
  expect(bad.json.message).toMatch(/^records\[0\] \(Missing\): /);
  expect((await admin('POST', '/sample-data', { domainName: 'shop', customers: 30 })).json).toMatchObject({ createdDomain: true, records: 24 + 30 + 30 * 50 });

  await server.emulator.call('CreateRecommender', { DomainName: 'shop', RecommenderName: 'R', RecommenderRecipeName: 'popular-items' });
  const failed = await admin('POST', '/recommenders/fail', { domainName: 'shop', recommenderName: 'R', reason: 'injected' });
  expect(failed.status).toBe(200);
  await admin('POST', '/clock/advance', { seconds: 1800 });
  expect(server.emulator.state.recommender('shop', 'R')).toMatchObject({ Status: 'FAILED', FailureReason: 'injected' });
  expect((await admin('POST', '/recommenders/fail', { domainName: 'shop', recommenderName: 'Nope', reason: 'x' })).json.message).toMatch(/no recommender Nope/);

  const snapshot = (await admin('GET', '/state')).json;
  await admin('POST', '/reset');
  expect(server.emulator.state.domains()).toEqual([]);
  expect((await admin('PUT', '/state', snapshot)).json).toEqual({ domains: ['nostore', 'shop'] });
  expect(server.emulator.state.recommender('shop', 'R')?.Status).toBe('FAILED');
});

test('unknown routes and malformed bodies are refused with the reason', async () => {
  const unknown = await admin('GET', '/nope');
  expect(unknown.status).toBe(404);
  expect(unknown.json.message).toMatch(/No admin route GET \/_emulator\/nope; routes: .*POST \/_emulator\/clock\/advance/);
  expect(await admin('POST', '/clock/advance', '{oops')).toEqual({ status: 400, json: { message: 'the body is not valid JSON' } });
  expect((await admin('POST', '/clock/advance', '[1]')).json.message).toBe('the body must be a JSON object');
  expect((await admin('GET', '')).json).toMatchObject({ iam: false, implementedOperations: expect.arrayContaining(['GetProfileRecommendations']) });
});

test('IAM: off by default; a given policy is enforced on every request', async () => {
  const enforced = await startServer({
    policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'profile:ListDomains', Resource: '*' }] }],
    principalArn: 'arn:aws:iam::123456789012:role/app',
  });
  const c = new CustomerProfilesClient({ endpoint: enforced.endpoint, region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 't', secretAccessKey: 't' } });
  try {
    await c.send(new ListDomainsCommand({}));
    const denied = await c.send(new CreateDomainCommand({ DomainName: 'd', DefaultExpirationDays: 30 })).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(AccessDeniedException);
    expect((denied as Error).message).toMatch(/^User: arn:aws:iam::123456789012:role\/app is not authorized to perform: profile:CreateDomain/);
    expect(enforced.emulator.state.domains()).toEqual([]);
  } finally {
    c.destroy();
    await enforced.stop();
  }
  await client.send(new CreateDomainCommand({ DomainName: 'free', DefaultExpirationDays: 30 }));
});

test('the server\'s sample data is the example\'s (examples/sample-data.ts), record for record', () => {
  expect(generateSampleData()).toEqual(exampleGenerator());
  expect(generateSampleData({ customers: 5, seed: 3 })).toEqual(exampleGenerator({ customers: 5, seed: 3 }));
});
