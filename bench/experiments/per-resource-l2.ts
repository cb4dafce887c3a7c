/**
 * Experiment for #18 target 1 (not part of `npm run bench`, nothing here ships): what aws-cdk-lib
 * charges per resource for the shape of an L2 construct library, before any code of this library
 * runs, against the L1 twin of bench/synth-stacks.ts.
 *
 * Every side builds the same template content as the library's stack (one domain, N object types,
 * N recommenders, N segments, each a custom resource of the library's provider with its
 * properties as literals, ordered after the domain), in steps from the floor to the L2 shape:
 * - `floor`: bench/synth-stacks.ts's floor (bare CfnResources under the stack);
 * - `wrapped`: each CfnResource under a plain Construct (the id `Resource`), so its logical ID is
 *   a hashed path;
 * - `l2`: the domain and each resource an aws-cdk-lib `Resource` with `@propertyInjectable`
 *   wrapping its CfnResource, the children under the domain and depending on its CfnResource
 *   (`node.addDependency`), as the library's constructs are;
 * - `l2-tags`: plus a TagManager per resource and its tags as a lazy property (Tags.of() works);
 * - `l2-tags-removal`: plus a removal policy (DeletionPolicy, UpdateReplacePolicy);
 * - `library`: the library as it ships (bench/synth-stacks.ts's library stack).
 *
 * Run `npx ts-node -r tsconfig-paths/register --project bench/tsconfig.json bench/synth.ts --quick`
 * first (it installs the packed library under bench/results/node_modules), then
 * `npx ts-node -r tsconfig-paths/register --project bench/tsconfig.json bench/experiments/per-resource-l2.ts [rounds]`.
 * Like bench/synth.ts, this file is bundled with esbuild and run by `node` (no ts-node, whose
 * source-map support would make every creation stack trace aws-cdk-lib records more expensive).
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { App, CfnResource, Lazy, Resource, Stack, TagManager, TagType } from 'aws-cdk-lib';
import { propertyInjectable } from 'aws-cdk-lib/core/lib/prop-injectable';
import { Construct } from 'constructs';
import { floorResources, floorStack, l1Stack, libraryStack } from '../stacks';
import { median } from '../util';

/* eslint-disable @typescript-eslint/no-require-imports, import/no-extraneous-dependencies */
const providerModule = () => require('@cdk-customer-profiles/constructs/lib/private/provider') as typeof import('@cdk-customer-profiles/constructs/lib/private/provider');
/* eslint-enable @typescript-eslint/no-require-imports, import/no-extraneous-dependencies */

const ENV = { account: '123456789012', region: 'us-east-1' };

/** An aws-cdk-lib Resource that does nothing of its own, as the library's constructs are declared. */
@propertyInjectable
class BareResource extends Resource {
  public static readonly PROPERTY_INJECTION_ID: string = 'bench.BareResource';
  public readonly tags?: TagManager;
  constructor(scope: Construct, id: string, tagged: boolean) {
    super(scope, id);
    if (tagged) this.tags = new TagManager(TagType.MAP, 'Custom::Bench', undefined);
  }
}

interface Shape {
  /** Each CfnResource under a construct of its own: a plain Construct, or a BareResource (the domain too). */
  readonly wrapper: 'construct' | 'resource';
  readonly tags?: boolean;
  readonly removal?: boolean;
}

function shapedStack(app: App, n: number, shape: Shape): Stack {
  const stack = new Stack(app, 'Bench', { env: ENV });
  const provider = providerModule().CustomerProfilesProvider.of(stack);
  const l2 = shape.wrapper === 'resource';
  const resource = (scope: Construct, id: string, type: string, config: Record<string, unknown>) => {
    const wrapper = l2 ? new BareResource(scope, id, shape.tags === true) : new Construct(scope, id);
    const properties: Record<string, unknown> = { ServiceToken: provider.serviceToken, ...config };
    const tags = (wrapper as BareResource).tags;
    if (tags) {
      properties.Tags = Lazy.uncachedAny({ produce: () => { const t = tags.renderTags(); return t && Object.keys(t).length > 0 ? t : undefined; } });
    }
    const cfn = new CfnResource(wrapper, 'Resource', { type, properties });
    return cfn;
  };
  // The floor's domain is a bare CfnResource under the stack; an L2 library's is a construct's child.
  const { domain: domainSpec, children } = floorResources(n);
  const domain = l2
    ? resource(stack, domainSpec.id, domainSpec.type, domainSpec.config)
    : new CfnResource(stack, domainSpec.id, { type: domainSpec.type, properties: { ServiceToken: provider.serviceToken, ...domainSpec.config } });
  if (shape.removal) domain.applyRemovalPolicy(domainSpec.removalPolicy);
  const parent = l2 ? domain.node.scope as Construct : stack;
  for (const spec of children) {
    const cfn = resource(parent, spec.id, spec.type, spec.config);
    if (shape.removal) cfn.applyRemovalPolicy(spec.removalPolicy);
    if (l2) cfn.node.addDependency(domain); else cfn.addDependency(domain);
  }
  return stack;
}

const SIDES: Record<string, (app: App, n: number) => Stack> = {
  'l1': l1Stack,
  'floor': floorStack,
  'wrapped': (app, n) => shapedStack(app, n, { wrapper: 'construct' }),
  'l2': (app, n) => shapedStack(app, n, { wrapper: 'resource' }),
  'l2-tags': (app, n) => shapedStack(app, n, { wrapper: 'resource', tags: true }),
  'l2-tags-removal': (app, n) => shapedStack(app, n, { wrapper: 'resource', tags: true, removal: true }),
  'library': libraryStack,
};

function timeOnce(side: string, n: number): number {
  const outdir = mkdtempSync(path.join(tmpdir(), 'bench-l2-'));
  const t0 = process.hrtime.bigint();
  const app = new App({ outdir });
  const stack = SIDES[side](app, n);
  app.synth().getStackByName(stack.stackName);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  rmSync(outdir, { recursive: true, force: true });
  return ms;
}

/** Interleaved rounds (each side at N=0 and N=100, the order rotated), then per-resource costs and their paired ratios to L1. */
function worker(rounds: number, warmup = 4, big = 100): string[] {
  const sides = Object.keys(SIDES);
  const times: Record<string, { zero: number[]; big: number[] }> = {};
  for (const side of sides) times[side] = { zero: [], big: [] };
  for (let i = 0; i < warmup + rounds; i++) {
    const order = sides.map((_, k) => sides[(i + k) % sides.length]);
    for (const n of [0, big]) {
      for (const side of order) {
        const t = timeOnce(side, n);
        if (i >= warmup) times[side][n === 0 ? 'zero' : 'big'].push(t);
      }
    }
  }
  const perResource = (side: string, i: number) => (times[side].big[i] - times[side].zero[i]) / (3 * big);
  return sides.map((side) => {
    const own = times[side].big.map((_, i) => perResource(side, i));
    const ratio = median(own.map((x, i) => x / perResource('l1', i)));
    return `${side.padEnd(16)} ${median(own).toFixed(3)} ms per resource, paired ratio to L1 ${ratio.toFixed(2)}`;
  });
}

const WORKER = path.join(__dirname, '..', 'results', 'per-resource-l2.js');

/** The worker's rounds, in the environment: the bundle also holds bench/synth-stacks.ts, whose own worker reads argv. */
const ROUNDS_ENV = 'PER_RESOURCE_L2_ROUNDS';

if (require.main === module) {
  if (process.env[ROUNDS_ENV]) {
    process.stdout.write(worker(Number(process.env[ROUNDS_ENV])).join('\n') + '\n');
  } else {
    // eslint-disable-next-line @typescript-eslint/no-require-imports, import/no-extraneous-dependencies
    const { buildSync } = require('esbuild') as typeof import('esbuild');
    buildSync({
      entryPoints: [__filename],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      outfile: WORKER,
      external: ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', '@cdk-customer-profiles/constructs', '@cdk-customer-profiles/constructs/*'],
      logLevel: 'error',
    });
    const rounds = process.argv[2] ?? '20';
    process.stdout.write(execFileSync(process.execPath, [WORKER], {
      cwd: path.join(__dirname, '..', '..'),
      encoding: 'utf8',
      env: { ...process.env, [ROUNDS_ENV]: rounds },
    }));
  }
}
