import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CreateRecommenderCommand, CustomerProfilesClient } from '@aws-sdk/client-customer-profiles';
import * as ts from 'typescript';
import * as local from '../../src';
import { demoDataSet, EmulatorServer, startServer } from '../../src/server';

/**
 * Runs the examples of docs/emulator-server.md: the fenced blocks marked `run=server` against a
 * server started as the page starts it (`serve --sample-data demo --domain storefront`), its
 * documented address replaced by the real one; `run=server-in-process` blocks start their own.
 * Python blocks need python3 with boto3, shell blocks curl: skipped with a message without them.
 */

const DOC = path.join(__dirname, '..', '..', '..', 'docs', 'emulator-server.md');
const DOCUMENTED_ENDPOINT = 'http://127.0.0.1:4566';

interface Block {
  readonly lang: string;
  readonly run: string;
  readonly code: string;
  readonly line: number;
}

function blocks(): Block[] {
  const markdown = fs.readFileSync(DOC, 'utf8');
  const out: Block[] = [];
  for (const m of markdown.matchAll(/^```(\w+)([^\n]*)\n([\s\S]*?)^```$/gm)) {
    const run = /\brun=([\w-]+)/.exec(m[2])?.[1];
    if (run) out.push({ lang: m[1], run, code: m[3], line: markdown.slice(0, m.index).split('\n').length });
  }
  return out;
}

const all = blocks();
const has = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' }).status === 0;
const python = has('python3', ['-c', 'import boto3']);
const curl = has('curl', ['--version']);
for (const [ok, what] of [[python, 'Python blocks (python3 with boto3)'], [curl, 'shell blocks (curl)']] as const) {
  // eslint-disable-next-line no-console
  if (!ok) console.warn(`server-docs.test.ts: ${what} skipped: not available`);
}

/** What `serve --sample-data demo --domain storefront` starts. */
function documentedServer(): Promise<EmulatorServer> {
  return startServer({ sampleData: [demoDataSet('storefront')] });
}

/** Runs a TypeScript block as a module body (top-level await allowed), the toolkit's import mapped to its sources. */
async function runTypeScript(code: string): Promise<void> {
  const js = ts.transpileModule(code, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  }).outputText;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the modules the doc's code imports
  const load = (id: string): unknown => (id === '@cdk-customer-profiles/local' ? local : require(id));
  const quiet = { ...console, log: () => undefined };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the doc's own code, compiled above
  const body = new Function('require', 'exports', 'console', `return (async () => {\n${js}\n})();`);
  await body(load, {}, quiet);
}

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'emulator-server-doc-'));
}

test('the page has the examples this test runs', () => {
  const kinds = all.map((b) => `${b.lang} ${b.run}`);
  expect(kinds.filter((k) => k === 'python server').length).toBeGreaterThanOrEqual(2);
  expect(kinds).toEqual(expect.arrayContaining(['ts server', 'ts server-in-process', 'sh server']));
  expect(all.every((b) => b.run === 'server-in-process' || b.code.includes(DOCUMENTED_ENDPOINT) || b.lang === 'ts')).toBe(true);
});

describe.each(all.filter((b) => b.lang === 'ts').map((b) => [`ts block at line ${b.line} (${b.run})`, b] as const))('%s', (_name, block) => {
  test('runs', async () => {
    if (block.run === 'server-in-process') {
      await runTypeScript(block.code);
      return;
    }
    const server = await documentedServer();
    try {
      await runTypeScript(block.code.split(DOCUMENTED_ENDPOINT).join(server.endpoint));
    } finally {
      await server.stop();
    }
  });
});

describe.each(all.filter((b) => b.lang === 'python').map((b) => [`python block at line ${b.line}`, b] as const))('%s', (_name, block) => {
  (python ? test : test.skip)('runs', async () => {
    const server = await documentedServer();
    const dir = tmpdir();
    try {
      const file = path.join(dir, 'example.py');
      fs.writeFileSync(file, block.code.split(DOCUMENTED_ENDPOINT).join(server.endpoint));
      const run = await runAsync('python3', [file], dir);
      expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr }).toEqual({ code: 0, stderr: '' });
    } finally {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

(curl ? test : test.skip)('the shell blocks run in order on one server, each command answering 2xx', async () => {
  const server = await documentedServer();
  const dir = tmpdir();
  const client = new CustomerProfilesClient({ endpoint: server.endpoint, region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 't', secretAccessKey: 't' } });
  try {
    // "after creating ForYou as above"
    await client.send(new CreateRecommenderCommand({ DomainName: 'storefront', RecommenderName: 'ForYou', RecommenderRecipeName: 'popular-items' }));
    const shell = all.filter((b) => b.lang === 'sh');
    for (const block of shell) {
      // --fail: an admin refusal (4xx) fails the block.
      const script = `set -e\n${block.code.split(DOCUMENTED_ENDPOINT).join(server.endpoint).replace(/curl -s /g, 'curl -sS --fail ')}`;
      const run = await runAsync('bash', ['-c', script], dir);
      expect({ line: block.line, code: run.code, stderr: run.stderr }).toEqual({ line: block.line, code: 0, stderr: '' });
    }
    // The session's end: the state saved before the reset is back.
    expect(server.emulator.state.domains()).toEqual(['second', 'storefront']);
    expect(server.emulator.state.recommender('storefront', 'ForYou')).toMatchObject({ Status: 'FAILED', FailureReason: 'Insufficient training data' });
  } finally {
    client.destroy();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** A child process without blocking the event loop (the server answers it from this process). */
function runAsync(cmd: string, args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code: number | null) => resolve({ code, stdout, stderr }));
  });
}
