import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CustomerProfilesClient, ListDomainsCommand, SearchProfilesCommand } from '@aws-sdk/client-customer-profiles';
import { main } from '../../src/cli';
import { serve } from '../../src/server';

/** `cdk-customer-profiles-local serve` as a child process: the endpoint line, signals, --save and --restore, usage errors. */

const ROOT = path.join(__dirname, '..', '..', '..');
let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'serve-cli-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Served {
  readonly child: ChildProcess;
  readonly endpoint: string;
  readonly output: () => string;
  readonly exit: Promise<number | null>;
}

/** Spawns the CLI from its sources and waits for the endpoint line. */
async function spawnServe(...args: string[]): Promise<Served> {
  const child = spawn(process.execPath, ['-r', require.resolve('ts-node/register'), '-r', require.resolve('tsconfig-paths/register'), path.join(ROOT, 'local', 'src', 'cli.ts'), 'serve', ...args], {
    cwd: dir,
    env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'local', 'tsconfig.json'), TS_NODE_TRANSPILE_ONLY: 'true' },
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /^Customer Profiles emulator listening on (http:\/\/\S+)$/m.exec(out);
      if (m) {
        clearInterval(timer);
        resolve(m[1]);
      }
    }, 50);
    void exit.then((code) => {
      clearInterval(timer);
      reject(new Error(`serve exited with ${code} before listening:\n${out}`));
    });
  });
  return { child, endpoint, output: () => out, exit };
}

function clientFor(endpoint: string): CustomerProfilesClient {
  return new CustomerProfilesClient({ endpoint, region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 't', secretAccessKey: 't' } });
}

test('serve --port 0 prints its endpoint, serves the demo data, saves at SIGTERM; --restore starts from the file; SIGINT stops it', async () => {
  const saved = path.join(dir, 'state.json');
  const first = await spawnServe('--port', '0', '--sample-data', 'demo', '--domain', 'storefront', '--save', 'state.json');
  expect(first.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(first.endpoint).not.toMatch(/:0$/);
  const client = clientFor(first.endpoint);
  const found = await client.send(new SearchProfilesCommand({ DomainName: 'storefront', KeyName: '_account', Values: ['C001'] }));
  expect(found.Items?.[0].FirstName).toBe('Customer1');
  client.destroy();
  first.child.kill('SIGTERM');
  expect(await first.exit).toBe(0);
  expect(first.output()).toMatch(/Loaded 2319 record\(s\) into domain storefront \(created\)/);
  expect(first.output()).toContain(`State saved to ${saved}`);

  const second = await spawnServe('--port', '0', '--restore', 'state.json');
  const again = clientFor(second.endpoint);
  expect((await again.send(new ListDomainsCommand({}))).Items?.map((d) => d.DomainName)).toEqual(['storefront']);
  again.destroy();
  second.child.kill('SIGINT');
  expect(await second.exit).toBe(0);
  expect(second.output()).toMatch(/Customer Profiles emulator stopped\s*$/);
});

test('usage and start-up errors answer 2 and 3 without serving', async () => {
  const err: string[] = [];
  const io = { stdout: () => undefined, stderr: (t: string) => err.push(t) };
  expect(await main(['serve', '--port', 'x'], io, { cwd: dir })).toBe(2);
  expect(err.join('\n')).toMatch(/--port must be 0-65535, got x/);
  expect(await main(['serve', '--bogus'], io, { cwd: dir })).toBe(2);
  expect(await main(['serve', '--restore', 'missing.json'], io, { cwd: dir })).toBe(3);
  expect(err.join('\n')).toMatch(/--restore: cannot read .*missing\.json/);
  fs.writeFileSync(path.join(dir, 'deny.json'), JSON.stringify({ Statement: [{ Action: 'profile:*', Resource: '*' }] }));
  expect(await main(['serve', '--port', '0', '--policy', 'deny.json'], io, { cwd: dir })).toBe(3);
  expect(err.join('\n')).toMatch(/the emulator did not start: .*Effect/);
  const out: string[] = [];
  expect(await main(['serve', '--help'], { stdout: (t) => out.push(t), stderr: () => undefined }, { cwd: dir })).toBe(0);
  expect(out.join('\n')).toMatch(/--sample-data <file\|demo>/);
});

test('serve in-process: a port in use is a start-up error; the stop signal saves the state', async () => {
  const out: string[] = [];
  const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => out.push(t) };
  const stop = new AbortController();
  const running = serve(['--port', '0', '--frozen', '--save', 'in-process.json'], io, dir, stop.signal);
  while (!out.some((l) => l.startsWith('Customer Profiles emulator listening on '))) await new Promise((r) => setTimeout(r, 10));
  const endpoint = out[0].split(' ').pop()!;
  const port = new URL(endpoint).port;
  expect(await serve(['--port', port], { stdout: () => undefined, stderr: (t) => out.push(t) }, dir)).toBe(3);
  expect(out.join('\n')).toMatch(/the emulator did not start: .*EADDRINUSE/);
  stop.abort();
  expect(await running).toBe(0);
  expect(JSON.parse(fs.readFileSync(path.join(dir, 'in-process.json'), 'utf8'))).toMatchObject({ format: 'customer-profiles-emulator/1', domains: [] });
});
