#!/usr/bin/env node
// Lints the example app's template (synthesized here) and the committed integration-test templates
// (test/integ.*.ts.snapshot/*.template.json) with cfn-lint, and fails on any finding except
// aws-cdk-lib's own W3005s listed in IGNORED. Usage: node scripts/cfn-lint.mjs
//
// cfn-lint is a Python tool, not a dependency of this package: without it on PATH the lint is
// skipped (exit 0), so a machine without Python can still run CI.
//
// Why the ignores are here and not in cfn-lint's configuration: a .cfnlintrc can ignore a rule only
// for whole templates, which would also hide a W3005 of this library's own resources (the finding
// this lint exists to catch). cfn-lint's per-resource mechanism is `Metadata: cfn-lint: config:
// ignore_checks` on the resource in the template: the library would have to write it into every
// user's template (and every snapshot) to quiet a lint that only runs in this repository, and it
// ignores the rule for the whole resource. Filtering cfn-lint's JSON output instead ignores exactly
// one rule, on named resources, for the one dependency aws-cdk-lib adds, and leaves the templates
// as users get them.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// aws-cdk-lib's lambda.Function and stepfunctions.StateMachine add a DependsOn on their own role
// (`resource.node.addDependency(this.role)` in aws-lambda/lib/function.ts and
// aws-stepfunctions/lib/state-machine.ts) although the resource already references that role
// through `Role` / `RoleArn`: W3005. It is harmless (CloudFormation orders them once either way)
// and not ours to remove. Each entry ignores W3005 only on resources of `type` whose logical id
// matches `logicalId`, and only for the DependsOn entry that is the role named by `roleProperty`.
const IGNORED = [
  {
    rule: 'W3005',
    type: 'AWS::Lambda::Function',
    logicalId: /^CustomerProfilesProvider(Handler|frameworkonEvent|frameworkisComplete|frameworkonTimeout)[0-9A-F]{8}$/,
    roleProperty: 'Role',
    reason: 'the provider\'s handler and the Provider framework\'s onEvent, isComplete and onTimeout functions are lambda.Functions',
  },
  {
    rule: 'W3005',
    type: 'AWS::StepFunctions::StateMachine',
    logicalId: /^CustomerProfilesProviderwaiterstatemachine[0-9A-F]{8}$/,
    roleProperty: 'RoleArn',
    reason: 'the Provider framework\'s waiter is a stepfunctions.StateMachine',
  },
  {
    rule: 'W3005',
    type: 'AWS::Lambda::Function',
    logicalId: /^StorefrontApi[0-9A-F]{8}$/,
    roleProperty: 'Role',
    reason: 'the example\'s storefront function is a plain lambda.Function',
  },
];

const version = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
if (version.error) {
  console.log('cfn-lint not found: template lint skipped');
  process.exit(0);
}

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-lint-example-'));
process.exitCode = lint(synthesizeExample(outdir));
if (process.exitCode === 0) {
  fs.rmSync(outdir, { recursive: true, force: true });
} else {
  console.log(`the example's synthesized templates are kept in ${outdir}`);
}

/** Synthesizes examples/app.ts into `outdir` (as `cdk synth` would) and returns its templates. */
function synthesizeExample(dir) {
  // Transpile only: CI type-checks examples/ in its own step. The fixed account and region are the
  // example test's (test/scenarios/example-stack.test.ts), so the lint sees the template that test snapshots.
  const synth = spawnSync(path.join(root, 'node_modules', '.bin', 'ts-node'),
    ['--transpile-only', '--prefer-ts-exts', '-P', 'examples/tsconfig.json', 'examples/app.ts'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, CDK_OUTDIR: dir, CDK_DEFAULT_ACCOUNT: '123456789012', CDK_DEFAULT_REGION: 'us-east-1' },
    });
  if (synth.status !== 0) {
    process.stderr.write(synth.stderr ?? String(synth.error));
    console.error('cfn-lint: synthesizing examples/app.ts failed (the handler bundle is built by node scripts/bundle-handler.mjs)');
    process.exit(1);
  }
  return templatesIn(dir);
}

function templatesIn(dir) {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.template.json')).map((f) => path.join(dir, f));
}

function lint(example) {
  const testDir = path.join(root, 'test');
  const integ = fs.readdirSync(testDir)
    .filter((d) => /^integ\..*\.ts\.snapshot$/.test(d))
    .flatMap((d) => templatesIn(path.join(testDir, d)));
  const templates = [...example, ...integ];

  // Exit status is a bit mask of the levels found; the JSON on stdout is what counts.
  const run = spawnSync('cfn-lint', ['--format', 'json', '--', ...templates], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  let findings;
  try {
    findings = JSON.parse(run.stdout);
  } catch {
    process.stderr.write(run.stdout + run.stderr);
    console.error(`cfn-lint: no JSON report (exit status ${run.status})`);
    return 1;
  }

  const ignoredBy = new Map(IGNORED.map((entry) => [entry, 0]));
  const failing = findings.filter((finding) => {
    const entry = IGNORED.find((e) => isIgnored(e, finding));
    if (entry) {
      ignoredBy.set(entry, ignoredBy.get(entry) + 1);
    }
    return !entry;
  });

  for (const f of failing) {
    const file = path.relative(root, f.Filename).startsWith('..') ? f.Filename : path.relative(root, f.Filename);
    console.log(`${f.Rule.Id} ${f.Message}\n${file}:${f.Location.Start.LineNumber}:${f.Location.Start.ColumnNumber}\n`);
  }
  const ignored = findings.length - failing.length;
  console.log(`${version.stdout.trim()}: ${templates.length} templates, ${failing.length} findings, ${ignored} ignored (aws-cdk-lib's own W3005s)`);
  for (const [entry, count] of ignoredBy) {
    if (count === 0) {
      console.log(`note: the ignore for ${entry.rule} on ${entry.logicalId} matched nothing; remove it from scripts/cfn-lint.mjs if aws-cdk-lib no longer needs it`);
    }
  }
  // Bits 2, 4 and 8 are the error, warning and informational levels; any other bit is cfn-lint failing.
  if ((run.status & ~0b1110) !== 0) {
    process.stderr.write(run.stderr);
    console.error(`cfn-lint: failed with exit status ${run.status}`);
    return 1;
  }
  return failing.length === 0 ? 0 : 1;
}

/** Whether `finding` is the W3005 that `entry` describes: the resource's DependsOn on its own role. */
function isIgnored(entry, finding) {
  const [section, logicalId, key, index] = finding.Location.Path;
  if (finding.Rule.Id !== entry.rule || section !== 'Resources' || key !== 'DependsOn' || !entry.logicalId.test(logicalId)) {
    return false;
  }
  const resource = readTemplate(finding.Filename).Resources[logicalId];
  if (resource?.Type !== entry.type) {
    return false;
  }
  const dependsOn = [resource.DependsOn].flat();
  const dependency = dependsOn[index ?? 0];
  const role = resource.Properties?.[entry.roleProperty]?.['Fn::GetAtt'];
  return Array.isArray(role) && role[0] === dependency && role[1] === 'Arn';
}

function readTemplate(file) {
  readTemplate.cache ??= new Map();
  if (!readTemplate.cache.has(file)) {
    readTemplate.cache.set(file, JSON.parse(fs.readFileSync(path.resolve(root, file), 'utf8')));
  }
  return readTemplate.cache.get(file);
}
