import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { DataStore, Domain, DomainObjectType } from '../../src';
import { ExitCode, main } from '../src/cli';
import { BUNDLED_HANDLER_PATH } from '../src/deploy';

/** CLI tests: exit codes and `--json` output, against the embedded emulator and the bundled handler. */

beforeAll(() => {
  if (!fs.existsSync(BUNDLED_HANDLER_PATH)) {
    execFileSync(process.execPath, [path.join(__dirname, '..', '..', 'scripts', 'bundle-handler.mjs')], { stdio: 'ignore' });
  }
});

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-deploy-cli-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs the CLI in `dir`, capturing its output. */
async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string; json: () => Record<string, unknown> }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) }, { cwd: dir });
  const stdout = out.join('\n');
  return { code, stdout, stderr: err.join('\n'), json: () => JSON.parse(stdout) as Record<string, unknown> };
}

/** Synthesizes a two-stack app into `<dir>/<name>` and returns that directory. */
function synth(name: string, days: number): string {
  const outdir = path.join(dir, name);
  const app = new App({ outdir });
  const shared = new Stack(app, 'SharedCustomers');
  const domain = new Domain(shared, 'Customers', {
    domainName: 'customers',
    dataStore: DataStore.enabled(),
    defaultExpiration: Duration.days(days),
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const team = new Stack(app, 'TeamOrders');
  new DomainObjectType(team, 'Orders', {
    domain,
    objectTypeName: 'orders',
    fields: { OrderId: { source: '_source.OrderId', target: '_order.OrderId' } },
    removalPolicy: RemovalPolicy.DESTROY,
  });
  app.synth();
  return outdir;
}

/** A hand-written assembly whose domain the service rejects (expiration of 0 days). */
function brokenAssembly(): string {
  const outdir = path.join(dir, 'broken');
  fs.mkdirSync(outdir);
  const template = {
    Resources: {
      Fn: { Type: 'AWS::Lambda::Function', Properties: {} },
      Domain: {
        Type: 'Custom::CustomerProfilesDomain',
        Properties: {
          ServiceToken: { 'Fn::GetAtt': ['Fn', 'Arn'] },
          Config: JSON.stringify({ DomainName: 'broken', DefaultExpirationDays: 0, WaitForDataStore: false, TimeoutSeconds: 60 }),
        },
      },
    },
  };
  fs.writeFileSync(path.join(outdir, 'Broken.template.json'), JSON.stringify(template));
  fs.writeFileSync(path.join(outdir, 'manifest.json'), JSON.stringify({
    version: '48.0.0',
    artifacts: { Broken: { type: 'aws:cloudformation:stack', environment: 'aws://unknown-account/unknown-region', properties: { templateFile: 'Broken.template.json' } } },
  }));
  return outdir;
}

describe('usage errors exit with 2', () => {
  test.each([
    [[]],
    [['launch']],
    [['deploy', 'extra']],
    [['deploy', '--fast', 'zero']],
    [['deploy', '--bogus']],
    [['deploy', '--app', 'x', '--assembly', 'y']],
  ])('%j', async (argv) => {
    const result = await run(...argv);
    expect(result.code).toBe(ExitCode.USAGE);
    expect(result.stderr).toMatch(/Usage: cdk-customer-profiles-local/);
  });

  test('no app and no cdk.json', async () => {
    const result = await run('plan');
    expect(result.code).toBe(ExitCode.USAGE);
    expect(result.stderr).toMatch(/No app/);
  });

  test('--help prints the usage and succeeds', async () => {
    const result = await run('--help');
    expect(result.code).toBe(ExitCode.OK);
    expect(result.stdout).toMatch(/Exit codes/);
  });
});

test('an assembly that cannot be read exits with 3', async () => {
  const result = await run('plan', '--assembly', 'missing', '--json');
  expect(result.code).toBe(ExitCode.SETUP);
  expect(result.json()).toMatchObject({ command: 'plan', success: false, error: expect.stringMatching(/manifest.json not found/) });
});

test('plan --json lists the changes without deploying', async () => {
  const result = await run('plan', '--assembly', synth('v1', 365), '--json');
  expect(result.code).toBe(ExitCode.OK);
  type Change = { logicalId: string; resourceType: string; action: string; emulated: boolean };
  const plans = result.json().stacks as { stackName: string; action: string; changes: Change[] }[];
  expect(plans.map((p) => [p.stackName, p.action])).toEqual([['SharedCustomers', 'create'], ['TeamOrders', 'create']]);
  expect(plans[0].changes.find((c) => c.resourceType === 'Custom::CustomerProfilesDomain')).toMatchObject({ action: 'create', emulated: true });
  expect(fs.existsSync(path.join(dir, '.local-deploy', 'state.json'))).toBe(false);
});

test('deploy, deploy a changed app (an update, on the emulator restored from its snapshot), destroy', async () => {
  const first = await run('deploy', '--assembly', synth('v1', 365), '--json', '--fast', '3000');
  expect(first.code).toBe(ExitCode.OK);
  const firstJson = first.json() as { success: boolean; stacks: { stackName: string; status: string }[]; events: { kind: string }[] };
  expect(firstJson.success).toBe(true);
  expect(firstJson.stacks.map((s) => s.status)).toEqual(['CREATE_COMPLETE', 'CREATE_COMPLETE']);
  expect(firstJson.events.length).toBeGreaterThan(10);
  const stateFile = path.join(dir, '.local-deploy', 'state.json');
  const saved = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
  expect(Object.keys(saved.stacks)).toEqual(['SharedCustomers', 'TeamOrders']);
  // The emulator's own snapshot rides along, so the next run starts where this one ended.
  expect(saved.emulator.format).toMatch(/^customer-profiles-emulator\//);

  const second = await run('deploy', '--assembly', synth('v2', 30), '--json', '--fast', '3000');
  expect(second.code).toBe(ExitCode.OK);
  const secondJson = second.json() as { stacks: { stackName: string; status: string; updated: string[]; created: string[] }[]; warnings: string[] };
  expect(secondJson.warnings).toEqual([]);
  expect(secondJson.stacks[0]).toMatchObject({ status: 'UPDATE_COMPLETE', created: [] });
  expect(secondJson.stacks[0].updated).toHaveLength(1);

  const human = await run('destroy', '--fast', '3000');
  expect(human.code).toBe(ExitCode.OK);
  expect(human.stdout).toMatch(/DELETE_COMPLETE\s+\| Custom::CustomerProfilesDomain \|/);
  expect(human.stdout).toMatch(/OK\s+SharedCustomers: DELETE_COMPLETE/);
  expect(JSON.parse(fs.readFileSync(stateFile, 'utf8')).stacks).toEqual({});
});

test('a failed deployment is rolled back and exits with 1', async () => {
  const result = await run('deploy', '--assembly', brokenAssembly(), '--fast', '3000');
  expect(result.code).toBe(ExitCode.FAILED);
  expect(result.stdout).toMatch(/CREATE_FAILED\s+\| Custom::CustomerProfilesDomain \| Domain/);
  expect(result.stdout).toMatch(/FAILED Broken: ROLLBACK_COMPLETE/);
  expect(result.stdout).toMatch(/deploy: FAILED/);
});

test('--app synthesizes with CDK_OUTDIR, as the cdk CLI does', async () => {
  const assembly = brokenAssembly();
  const result = await run('plan', '--app', `cp -r "${assembly}/." "$CDK_OUTDIR"`, '--json');
  expect(result.code).toBe(ExitCode.OK);
  expect((result.json().stacks as { stackName: string }[])[0].stackName).toBe('Broken');
  expect(fs.existsSync(path.join(dir, '.local-deploy', 'cdk.out', 'manifest.json'))).toBe(true);
});

test('a failing app command exits with 3', async () => {
  const result = await run('plan', '--app', 'exit 4');
  expect(result.code).toBe(ExitCode.SETUP);
  expect(result.stderr).toMatch(/The app did not synthesize: exit 4/);
});

test('without an emulator snapshot in the state file, the deployed resources are re-created first', async () => {
  expect((await run('deploy', '--assembly', synth('v1', 365), '--json', '--fast', '3000')).code).toBe(ExitCode.OK);
  const stateFile = path.join(dir, '.local-deploy', 'state.json');
  const saved = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
  delete saved.emulator;
  fs.writeFileSync(stateFile, JSON.stringify(saved));

  const second = await run('deploy', '--assembly', synth('v2', 30), '--fast', '3000');
  expect(second.code).toBe(ExitCode.OK);
  expect(second.stdout).toMatch(/Restoring 2 resource\(s\) from the state file into the emulator/);
  expect(second.stdout).toMatch(/UPDATE_COMPLETE\s+\| Custom::CustomerProfilesDomain \|/);
  expect(second.stderr).not.toMatch(/warning/);
});

test('--stack deploys the named stack with the stacks it depends on', async () => {
  const result = await run('plan', '--assembly', synth('v1', 365), '--stack', 'TeamOrders', '--json');
  expect(result.code).toBe(ExitCode.OK);
  expect((result.json().stacks as { stackName: string }[]).map((s) => s.stackName)).toEqual(['SharedCustomers', 'TeamOrders']);
  const unknown = await run('plan', '--assembly', synth('v2', 365), '--stack', 'Nope');
  expect(unknown.code).toBe(ExitCode.USAGE);
  expect(unknown.stderr).toMatch(/No such stack in the app: Nope \(stacks: SharedCustomers, TeamOrders\)/);
});

test('plan renders the template diff as cdk diff does, with what the handler does to the live resource', async () => {
  expect((await run('deploy', '--assembly', synth('v1', 365), '--json', '--fast', '3000')).code).toBe(ExitCode.OK);
  const result = await run('plan', '--assembly', synth('v2', 30));
  expect(result.code).toBe(ExitCode.OK);
  expect(result.stdout).toMatch(/^Stack SharedCustomers\nResources\n\[~\] Custom::CustomerProfilesDomain Customers6955EA0A$/m);
  expect(result.stdout).toMatch(/DefaultExpirationDays/);
  expect(result.stdout).toMatch(/^ {4}↳ update in place \(DefaultExpirationDays\): /m);
  expect(result.stdout).toMatch(/^Stack TeamOrders\nThere were no differences$/m);
  const json = (await run('plan', '--assembly', synth('v3', 30), '--json')).json() as { stacks: { changes: { action: string; decisions?: { kind: string }[] }[] }[] };
  expect(json.stacks[0].changes.find((c) => c.action === 'update')?.decisions?.map((d) => d.kind)).toEqual(['update-in-place']);
});

test('drift: 0 when the emulator of the state file matches the app, 1 with one line per difference, 2 for a bad --live', async () => {
  expect((await run('deploy', '--assembly', synth('v1', 365), '--json', '--fast', '3000')).code).toBe(ExitCode.OK);
  const clean = await run('drift', '--assembly', synth('v1b', 365));
  expect(clean.code).toBe(ExitCode.OK);
  expect(clean.stdout).toMatch(/^No drift: 2 resource\(s\) match the app$/m);

  const drifted = await run('drift', '--assembly', synth('v2', 30));
  expect(drifted.code).toBe(ExitCode.FAILED);
  expect(drifted.stdout).toMatch(/^SharedCustomers\/Customers6955EA0A +DefaultExpirationDays +30 +365$/m);
  const json = (await run('drift', '--assembly', synth('v3', 30), '--json')).json();
  expect(json).toMatchObject({ command: 'drift', drifted: true, differences: [{ field: 'DefaultExpirationDays', desired: 30, live: 365 }] });

  expect((await run('drift', '--assembly', synth('v4', 30), '--live', 'azure')).code).toBe(ExitCode.USAGE);
});
