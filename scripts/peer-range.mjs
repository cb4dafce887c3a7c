#!/usr/bin/env node
// Both ends of the peer range: synthesizes the example app (examples/app.ts) with
// JSII_DEPRECATED=fail against the peer floor (the aws-cdk-lib this repository installs, pinned to
// the floor of peerDependencies) and against the newest aws-cdk-lib in the registry, and runs the
// construct tests (synth-only, no emulator: CONSTRUCT_TESTS below) against the newest. Fails on any
// deprecation: a deprecated aws-cdk-lib API throws under JSII_DEPRECATED=fail, and any `[WARNING]`
// line on stderr or a warning annotation that says "deprecated" fails the synth as well.
//
// Usage: node scripts/peer-range.mjs            floor and newest (CI)
//        node scripts/peer-range.mjs --floor    only the floor synth (test/scenarios/deprecations.test.ts)
//        --app <module>                         synthesize the `addExampleStacks` of another module
//                                               (relative to the root; the test's control case)
//
// Without the registry (`npm view` fails or times out) the newest end is skipped with a message and
// exit 0: CI on a machine without network still passes; the floor synth runs anyway.
//
// How the newest aws-cdk-lib is used without touching the repository: it is installed with
// `npm install --no-save --prefix <tmp>` into a temporary directory, and every `require` of
// `aws-cdk-lib` or `constructs` (and their subpaths), from any file, is redirected there: for the
// synth by a preloaded hook on Node's module resolution, for jest by `moduleNameMapper` in a
// temporary config derived from package.json's. Why not the alternatives:
// - NODE_PATH is consulted only when the node_modules lookup fails, and the repository's own
//   node_modules/aws-cdk-lib is always found first.
// - A copy of the repository with node_modules symlinked except aws-cdk-lib: Node and jest resolve
//   symlinks to real paths, so src/ and the dependencies that themselves require aws-cdk-lib
//   (@aws-cdk/integ-tests-alpha, cdk-nag) would still find the floor from their real location, and
//   two copies of aws-cdk-lib in one process break `instanceof` and construct-tree checks.
// Redirecting by request name gives exactly one aws-cdk-lib and one constructs in the process,
// whoever asks. TypeScript is only transpiled (ts-node transpile-only, ts-jest), so the types the
// code is checked against stay the floor's: this checks the runtime, not the typings.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

// The construct tests: they synthesize stacks and never start the emulator or the deploy engine,
// so they say whether the constructs work with an aws-cdk-lib (example-stack compares against the
// committed snapshot, which is the floor's: it is left out, the example synth below covers it).
const CONSTRUCT_TESTS = [
  'bad-input', 'config-properties', 'domain-add-methods', 'domain-object-type', 'domain-validation',
  'domain', 'provider', 'recommender', 'review-imported-domain-env', 'review-removal-policy',
  'review-tag-keys', 'security-cdk-nag', 'segment-definition',
];

// Runs in a child process with the working directory at the root. Synthesizes the two stacks of
// the example and prints what it found; exit 1 on a deprecation.
const SYNTH = `
const { App, Annotations } = require('aws-cdk-lib');
const { addExampleStacks } = require(process.env.PEER_RANGE_APP);
const app = new App({ outdir: process.env.PEER_RANGE_OUTDIR });
addExampleStacks(app, { account: '111122223333', region: 'us-east-1' });
const assembly = app.synth();
const found = assembly.stacks.flatMap((s) => s.messages)
  .filter((m) => m.level !== 'info' && /deprecat/i.test(String(m.entry.data)))
  .map((m) => m.id + ': ' + m.entry.data);
const lib = require('aws-cdk-lib/package.json').version;
if (found.length) { console.error(found.map((f) => '[WARNING] ' + f).join('\\n')); process.exit(1); }
console.log('synthesized ' + assembly.stacks.map((s) => s.stackName).join(', ') + ' with aws-cdk-lib ' + lib);
`;

const HOOK = `
const Module = require('module');
const base = process.env.PEER_RANGE_MODULES;
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, isMain, options) {
  if (/^(aws-cdk-lib|constructs)(\\/|$)/.test(request)) {
    return resolve.call(this, request, parent, isMain, { ...options, paths: [base] });
  }
  return resolve.call(this, request, parent, isMain, options);
};
`;

const appArg = process.argv.indexOf('--app');
const appModule = path.resolve(root, appArg > 0 ? process.argv[appArg + 1] : 'examples/app');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'peer-range-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

function run(cmd, args, env = {}) {
  return spawnSync(cmd, args, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, JSII_DEPRECATED: 'fail', ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** Synthesizes the example; `modules` is a directory whose node_modules holds the aws-cdk-lib to use. */
function synth(label, modules) {
  const t0 = Date.now();
  const preload = ['-r', 'ts-node/register/transpile-only'];
  const env = { PEER_RANGE_OUTDIR: fs.mkdtempSync(path.join(tmp, 'cdk.out-')), PEER_RANGE_APP: appModule };
  if (modules) {
    const hook = path.join(tmp, 'resolve-hook.cjs');
    fs.writeFileSync(hook, HOOK);
    preload.unshift('-r', hook);
    env.PEER_RANGE_MODULES = modules;
  }
  const r = run(process.execPath, [...preload, '-e', SYNTH], env);
  const warnings = (r.stderr ?? '').split('\n').filter((l) => /\[WARNING\]/.test(l));
  const ok = r.status === 0 && warnings.length === 0;
  console.log(`${ok ? 'ok  ' : 'FAIL'} synth of the example, ${label}, JSII_DEPRECATED=fail (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  if (r.stdout.trim()) console.log(`     ${r.stdout.trim()}`);
  // The error and where it was raised, not the minified aws-cdk-lib line Node quotes above it.
  const error = (r.stderr ?? '').split('\n').filter((l) => /^\w*Error\b|is deprecated|^\s+at .*\/(examples|src|test)\//.test(l)).join('\n');
  if (!ok) console.log(excerpt(warnings.length ? warnings.join('\n') : error || r.stderr || r.error?.message || ''));
  return ok;
}

/** The first lines of a child's output, each cut short: aws-cdk-lib's errors quote its minified source. */
function excerpt(text, lines = 30) {
  return text.trim().split('\n').filter((l) => l.trim()).slice(0, lines)
    .map((l) => (l.length > 400 ? `${l.slice(0, 400)} ...` : l)).join('\n');
}

function newestVersion() {
  // No retries and a short timeout: an unreachable registry costs CI seconds, not minutes.
  const r = spawnSync('npm', ['view', 'aws-cdk-lib', 'version', '--fetch-retries=0', '--fetch-timeout=15000'],
    { encoding: 'utf8', timeout: 30_000 });
  const v = (r.stdout ?? '').trim();
  return r.status === 0 && /^\d+\.\d+\.\d+$/.test(v) ? v : undefined;
}

const floor = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/aws-cdk-lib/package.json'), 'utf8')).version;
const peerFloor = pkg.peerDependencies['aws-cdk-lib'].replace(/^[\^~>=]+/, '');
let ok = true;
if (floor !== peerFloor) {
  console.log(`FAIL the installed aws-cdk-lib is ${floor}, the peer floor is ${peerFloor}: the floor is not what is tested`);
  ok = false;
}
ok = synth(`peer floor aws-cdk-lib ${floor}`) && ok;

if (!process.argv.includes('--floor')) {
  const newest = newestVersion();
  if (!newest) {
    console.log('skipped: the npm registry cannot be reached (npm view aws-cdk-lib version failed), so the newest aws-cdk-lib is not tested');
  } else if (newest === floor) {
    console.log(`the newest aws-cdk-lib is the floor (${floor}): nothing more to test`);
  } else {
    const t0 = Date.now();
    const install = spawnSync('npm', ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund',
      '--prefix', tmp, `aws-cdk-lib@${newest}`, `constructs@${pkg.peerDependencies.constructs}`],
    { encoding: 'utf8', timeout: 300_000 });
    if (install.status !== 0) {
      // A registry that answered `npm view` but not the download counts as unreachable too.
      console.log(`skipped: installing aws-cdk-lib ${newest} failed, so the newest aws-cdk-lib is not tested\n${(install.stderr ?? '').trim().split('\n').slice(-5).join('\n')}`);
    } else {
      console.log(`installed aws-cdk-lib ${newest} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      ok = synth(`newest aws-cdk-lib ${newest}`, tmp) && ok;

      const mods = path.join(tmp, 'node_modules');
      const config = {
        ...pkg.jest,
        rootDir: root,
        reporters: ['default'], // leave test-reports/junit.xml to `npm test`
        moduleNameMapper: {
          ...pkg.jest.moduleNameMapper, // the local toolkit's imports of the library by its package name
          '^(aws-cdk-lib|constructs)$': `${mods}/$1`,
          '^(aws-cdk-lib|constructs)/(.*)$': `${mods}/$1/$2`,
        },
      };
      const configFile = path.join(tmp, 'jest.config.json');
      fs.writeFileSync(configFile, JSON.stringify(config));
      const t1 = Date.now();
      const pattern = `test/(${CONSTRUCT_TESTS.join('|')})\\.test\\.ts$`;
      const jest = run(process.execPath, [path.join(root, 'node_modules/jest/bin/jest.js'), '--config', configFile,
        '--ci', '--silent', '--testPathPatterns', pattern]);
      const summary = `${jest.stderr}`.split('\n').filter((l) => /^(Tests|Test Suites):/.test(l)).join('; ');
      const jestOk = jest.status === 0;
      console.log(`${jestOk ? 'ok  ' : 'FAIL'} construct tests with aws-cdk-lib ${newest}, JSII_DEPRECATED=fail: ${summary} (${((Date.now() - t1) / 1000).toFixed(1)} s)`);
      if (!jestOk) console.log(excerpt(jest.stderr, 120));
      ok = jestOk && ok;
    }
  }
}
process.exit(ok ? 0 : 1);
