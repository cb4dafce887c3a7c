import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthesizeApp } from '../src/synth';

/**
 * The local CLI synthesizes an app as `cdk synth` does: a `cdk init`-style app reads feature flags
 * and values from cdk.json's `context`, which an app command run by hand never sees.
 */

const CDK_LIB = path.dirname(require.resolve('aws-cdk-lib/package.json'));
const CDK_CLI = require.resolve('aws-cdk/bin/cdk');

/** A `cdk init`-style app: cdk.json names the app and carries context (a value and feature flags). */
function initStyleApp(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-init-style-'));
  fs.writeFileSync(path.join(dir, 'app.js'), `
const cdk = require(${JSON.stringify(CDK_LIB)});
const sqs = require(${JSON.stringify(path.join(CDK_LIB, 'aws-sqs'))});
const iam = require(${JSON.stringify(path.join(CDK_LIB, 'aws-iam'))});
const app = new cdk.App();
const stack = new cdk.Stack(app, 'InitStyle');
const queues = Number(app.node.tryGetContext('queues') ?? 1);
const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
for (let i = 0; i < queues; i++) new sqs.Queue(stack, 'Queue' + i).grantConsumeMessages(role);
app.synth();
`);
  fs.writeFileSync(path.join(dir, 'cdk.json'), JSON.stringify({
    app: 'node app.js',
    context: {
      'queues': 3,
      // Feature flags as `cdk init` writes them change the template (policies minimized, for one).
      '@aws-cdk/aws-iam:minimizePolicies': true,
      '@aws-cdk/core:checkSecretUsage': true,
      '@aws-cdk/aws-iam:standardizedServicePrincipals': true,
    },
  }));
  return dir;
}

function template(outdir: string): { Resources: Record<string, { Type: string; Properties?: unknown }> } {
  return JSON.parse(fs.readFileSync(path.join(outdir, 'InitStyle.template.json'), 'utf8'));
}

test('the local synthesis of a cdk init-style app is the template `cdk synth` writes, context and feature flags included', async () => {
  const dir = initStyleApp();
  const local = path.join(dir, 'local.out');
  await synthesizeApp({ app: 'node app.js', workingDirectory: dir, outdir: local });
  const cdk = path.join(dir, 'cdk.out');
  execFileSync(process.execPath, [CDK_CLI, 'synth', '--quiet', '--no-lookups', '--output', cdk], {
    cwd: dir, stdio: 'pipe', env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1', CDK_CLI_NOTICES: 'false' },
  });

  const ours = template(local);
  const theirs = template(cdk);
  // The app read cdk.json's context: three queues, not the one it makes without it.
  expect(Object.values(ours.Resources).filter((r) => r.Type === 'AWS::SQS::Queue')).toHaveLength(3);
  const withoutMetadata = (t: ReturnType<typeof template>) => Object.fromEntries(Object.entries(t.Resources).filter(([, r]) => r.Type !== 'AWS::CDK::Metadata'));
  expect(withoutMetadata(ours)).toEqual(withoutMetadata(theirs));
}, 120_000);

test('an app command run without the toolkit misses cdk.json\'s context (what the CLI did before)', () => {
  const dir = initStyleApp();
  const outdir = path.join(dir, 'by-hand.out');
  execFileSync('node', ['app.js'], { cwd: dir, env: { ...process.env, CDK_OUTDIR: outdir }, stdio: 'pipe' });
  expect(Object.values(template(outdir).Resources).filter((r) => r.Type === 'AWS::SQS::Queue')).toHaveLength(1);
});
