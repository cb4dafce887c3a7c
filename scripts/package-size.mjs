#!/usr/bin/env node
// The size of the npm packages, as `npm pack --dry-run --json` measures them (what `npm publish` would upload).
// The construct library (the root) must stay within 1 MiB packed and 3 MiB unpacked: it is installed into every
// user's CDK app, and its handler bundle is uploaded with every stack. The local toolkit (local/) is reported only.
// Run it after compiling (jsii's lib/ and local/lib/ are part of the packages).
//
// Usage: node scripts/package-size.mjs [--json]   exit code 1 when the library is above its limits
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const MiB = 1024 * 1024;
const packages = [
  { dir: root, limits: { packed: 1 * MiB, unpacked: 3 * MiB } },
  { dir: join(root, 'local') },
];

function measure(dir) {
  // --ignore-scripts: measuring must not run prepack hooks; --workspaces=false: only this package.
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts', '--workspaces=false'], { cwd: dir, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [info] = JSON.parse(out);
  return { name: info.name, packed: info.size, unpacked: info.unpackedSize, files: info.entryCount };
}

const mib = (n) => `${(n / MiB).toFixed(2)} MiB`;
let failed = false;
const results = [];
for (const { dir, limits } of packages) {
  const m = measure(dir);
  results.push({ ...m, limits });
  const over = limits ? Object.keys(limits).filter((k) => m[k] > limits[k]) : [];
  const bound = limits ? ` (limits ${mib(limits.packed)} packed, ${mib(limits.unpacked)} unpacked)` : ' (reported only)';
  console.log(`${m.name}: ${mib(m.packed)} packed, ${mib(m.unpacked)} unpacked, ${m.files} files${bound}${over.length ? ` ABOVE THE LIMIT: ${over.join(', ')}` : ''}`);
  if (over.length) failed = true;
}
if (process.argv.includes('--json')) console.log(JSON.stringify(results));
process.exit(failed ? 1 : 0);
