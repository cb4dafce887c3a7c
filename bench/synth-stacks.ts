/**
 * The three stacks of the synth benchmarks (targets 1 to 3: library, L1 and floor, defined in bench/stacks.ts), and the worker that times them.
 *
 * bench/synth.ts bundles this file with the library's source into plain JavaScript (esbuild;
 * aws-cdk-lib and constructs stay external, as in a user's app) and runs it in fresh Node
 * processes, so that neither ts-node's compilation nor its source-map support is measured.
 *
 * Worker commands (argv):
 * - `interleaved <n,n,...> <rounds> <warmup>`: builds and synthesizes the three stacks (library,
 *   L1, floor) at every size in turn in this process, printing the wall and CPU milliseconds of
 *   each round as JSON;
 * - `once <library|l1|floor> <n>`: one build and synthesis, for the whole-process timing;
 * - `counts <n>`: resource counts of the library's stack.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { floorStack, l1Stack, libraryStack } from './stacks';

export { addLibraryResources, floorResources, floorStack, l1Stack, libraryStack } from './stacks';
export type { FloorResource } from './stacks';

export type Side = 'library' | 'l1' | 'floor';

/** Builds and synthesizes one stack into a fresh cloud assembly directory; returns the template. */
export function synthOnce(side: Side, n: number, outdir: string): Record<string, unknown> {
  const app = new App({ outdir });
  const stack = { library: libraryStack, l1: l1Stack, floor: floorStack }[side](app, n);
  return app.synth().getStackByName(stack.stackName).template;
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Wall and CPU milliseconds of one build + synthesis (the output directory is removed outside the timing). */
export function timeOnce(side: Side, n: number): { wallMs: number; cpuMs: number } {
  const outdir = mkdtempSync(path.join(tmpdir(), 'bench-synth-'));
  const wall0 = process.hrtime.bigint();
  const cpu0 = cpuMs();
  synthOnce(side, n, outdir);
  const result = { wallMs: Number(process.hrtime.bigint() - wall0) / 1e6, cpuMs: cpuMs() - cpu0 };
  rmSync(outdir, { recursive: true, force: true });
  return result;
}

/** Resource counts of the library's stack: Customer Profiles resources and support resources. */
export function resourceCounts(n: number) {
  const outdir = mkdtempSync(path.join(tmpdir(), 'bench-synth-'));
  const template = synthOnce('library', n, outdir) as { Resources: Record<string, { Type: string }> };
  rmSync(outdir, { recursive: true, force: true });
  const types = Object.values(template.Resources).map((r) => r.Type);
  const policy = Object.entries(template.Resources).find(([id]) => id.startsWith('CustomerProfilesProviderHandlerServiceRoleDefaultPolicy'))?.[1] as
    { Properties: { PolicyDocument: { Statement: unknown[] } } } | undefined;
  // aws-cdk-lib moves what does not fit IAM's inline limit into managed policies of the same role.
  const overflowPolicies = Object.keys(template.Resources).filter((id) => id.startsWith('CustomerProfilesProviderHandlerServiceRoleOverflowPolicy')).length;
  const customerProfiles = types.filter((t) => t.startsWith('Custom::CustomerProfiles')).length;
  const support: Record<string, number> = {};
  for (const t of types.filter((x) => !x.startsWith('Custom::CustomerProfiles'))) {
    support[t] = (support[t] ?? 0) + 1;
  }
  return {
    total: types.length,
    customerProfiles,
    support: types.length - customerProfiles,
    supportByType: support,
    providerPolicy: {
      statements: policy?.Properties.PolicyDocument.Statement.length ?? 0,
      overflowPolicies,
      // The policy as IAM stores it (ARNs joined, no whitespace), which IAM limits to 10,240 characters per role.
      iamCharacters: JSON.stringify(rendered(policy?.Properties.PolicyDocument ?? {})).length,
    },
  };
}

/** Resolves the intrinsics of a policy document the way CloudFormation would in partition `aws`. */
function rendered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rendered);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if ('Ref' in o && o.Ref === 'AWS::Partition') return 'aws';
    if ('Fn::Join' in o) {
      const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
      return parts.map((p) => String(rendered(p))).join(sep);
    }
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, rendered(v)]));
  }
  return value;
}

function worker(argv: string[]): unknown {
  const [command, a, b, c] = argv;
  if (command === 'interleaved') {
    // Every size in every round, so that the N=0 and N=100 times a marginal cost is made of share the machine's load.
    const sizes = a.split(',').map(Number);
    const rounds = Number(b);
    const warmup = Number(c);
    const sides: Side[] = ['library', 'l1', 'floor'];
    const series: Record<string, Record<Side, { wallMs: number; cpuMs: number }[]>> = {};
    for (const n of sizes) series[n] = { library: [], l1: [], floor: [] };
    for (let i = 0; i < warmup + rounds; i++) {
      // Rotate which side goes first, so that none profits from the others' warm caches.
      const order = sides.map((_, k) => sides[(i + k) % sides.length]);
      for (const n of sizes) {
        const times = order.map((side) => [side, timeOnce(side, n)] as const);
        if (i < warmup) continue;
        for (const [side, t] of times) series[n][side].push(t);
      }
    }
    return series;
  }
  if (command === 'once') {
    return timeOnce(a as Side, Number(b));
  }
  if (command === 'counts') {
    return resourceCounts(Number(a));
  }
  throw new Error(`unknown command ${command}`);
}

if (require.main === module && process.argv[2]) {
  process.stdout.write(JSON.stringify(worker(process.argv.slice(2))));
}
