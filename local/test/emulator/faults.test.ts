import * as http from 'http';
import {
  CreateDomainCommand,
  GetDomainCommand,
  InternalServerException,
  ListDomainsCommand,
  ThrottlingException,
} from '@aws-sdk/client-customer-profiles';
import { Clock, Emulator } from '../../src/emulator';
import { EmulatorForTests, startEmulatorForTests, stopEmulatorForTests } from '../helpers/emulator';

let env: EmulatorForTests;
beforeEach(async () => {
  env = await startEmulatorForTests();
});
afterEach(async () => {
  await stopEmulatorForTests(env);
});

function raw(method: string, path: string, body?: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${env.emu.endpoint}${path}`, { method, headers: { 'content-type': 'application/json' } }, (res) => {
      let data = '';
      res.on('data', (c) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('faults', () => {
  test('an injected error applies to the named operation, `times` times', async () => {
    env.emu.faults.add({ operation: 'ListDomains', times: 2, error: 'InternalServerException', message: 'boom' });
    await expect(env.client.send(new GetDomainCommand({ DomainName: 'x' }))).rejects.toThrow(/not found/);
    await expect(env.client.send(new ListDomainsCommand({}))).rejects.toBeInstanceOf(InternalServerException);
    await expect(env.client.send(new ListDomainsCommand({}))).rejects.toThrow('boom');
    await expect(env.client.send(new ListDomainsCommand({}))).resolves.toBeDefined();
    expect(env.emu.requests.map((r) => r.status)).toEqual([404, 500, 500, 200]);
  });

  test('a fault naming an operation the model does not have is refused', () => {
    expect(() => env.emu.faults.add({ operation: 'GetDomains', error: 'ThrottlingException' })).toThrow(/GetDomains is not an operation/);
  });

  test('injected latency is real time', async () => {
    env.emu.faults.add({ operation: 'ListDomains', latencyMs: 150 });
    const started = Date.now();
    await env.client.send(new ListDomainsCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(env.emu.requests[0].timeMs).toBeGreaterThanOrEqual(140);
  });

  test('throttling answers ThrottlingException beyond the rate', async () => {
    env.emu.faults.throttle(2);
    const results = await Promise.allSettled([1, 2, 3, 4].map(() => env.client.send(new ListDomainsCommand({}))));
    const throttled = results.filter((r) => r.status === 'rejected');
    expect(throttled.length).toBe(2);
    expect((throttled[0] as PromiseRejectedResult).reason).toBeInstanceOf(ThrottlingException);
    expect(env.emu.requests.filter((r) => r.status === 429).length).toBe(2);
    env.emu.faults.clear();
    await expect(env.client.send(new ListDomainsCommand({}))).resolves.toBeDefined();
  });

  test('the request log has no bodies and can be reset', async () => {
    await env.client.send(new CreateDomainCommand({ DomainName: 'D', DefaultExpirationDays: 3 }));
    expect(env.emu.requests).toEqual([{ operation: 'CreateDomain', method: 'POST', path: '/domains/D', status: 200, timeMs: expect.any(Number) }]);
    env.emu.resetRequests();
    expect(env.emu.requests).toEqual([]);
  });
});

describe('protocol', () => {
  test('an unknown route answers 404 UnknownOperationException', async () => {
    const res = await raw('GET', '/nothing/here');
    expect(res.status).toBe(404);
    expect(res.headers['x-amzn-errortype']).toBe('UnknownOperationException');
    expect(JSON.parse(res.body).Message).toMatch(/No operation matches GET \/nothing\/here/);
  });

  test('a modeled operation the emulator does not implement answers 501 naming it', async () => {
    const res = await raw('GET', '/templates');
    expect(res.status).toBe(501);
    expect(res.headers['x-amzn-errortype']).toBe('NotImplementedException');
    expect(JSON.parse(res.body).Message).toMatch(/ListProfileObjectTypeTemplates is not implemented/);
  });

  test('errors carry the restJson1 error headers and a Message body', async () => {
    const res = await raw('POST', '/domains/D', '{not json');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['x-amzn-errortype']).toBe('BadRequestException');
    expect(JSON.parse(res.body)).toEqual({ Message: 'Request body is not valid JSON' });
  });

  test('labels are URI-decoded, with an encoded slash kept inside the label', async () => {
    const res = await raw('GET', `/tags/${encodeURIComponent('arn:aws:profile:us-east-1:123456789012:domains/Nope')}`);
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body).Message).toBe('Resource arn:aws:profile:us-east-1:123456789012:domains/Nope was not found');
    expect((await raw('GET', '/domains/a%2Fb')).status).toBe(400);
  });

  test('query parameters are typed and validated', async () => {
    const res = await raw('GET', '/domains?max-results=1000');
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).Message).toMatch(/at 'MaxResults' failed to satisfy constraint: Member must have value less than or equal to 100/);
  });

  test('latencyMs timing delays every response in real time', async () => {
    const emu = await Emulator.start({ timing: { latencyMs: 100 } });
    try {
      const started = Date.now();
      await new Promise((resolve) => http.get(`${emu.endpoint}/domains`, (res) => res.resume().on('end', resolve)));
      expect(Date.now() - started).toBeGreaterThanOrEqual(95);
    } finally {
      await emu.stop();
    }
  });
});

describe('clock', () => {
  test('a manual clock moves only when advanced', () => {
    const clock = Clock.manual(1000);
    expect(clock.now()).toBe(1000);
    clock.advance(500);
    expect(clock.now()).toBe(1500);
  });

  test('a scaled clock runs faster than real time and cannot be advanced', async () => {
    const clock = Clock.scaled(1000);
    const t0 = clock.now();
    await new Promise((r) => setTimeout(r, 20));
    expect(clock.now() - t0).toBeGreaterThanOrEqual(15_000);
    expect(() => clock.advance(1)).toThrow(/only manual clocks/);
  });
});
