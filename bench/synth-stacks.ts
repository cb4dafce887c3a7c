/**
 * The three stacks of the synth benchmarks (targets 1 to 3: library, L1 and floor), and the worker that times them.
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
import { App, CfnResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cp from 'aws-cdk-lib/aws-customerprofiles';

/* eslint-disable @typescript-eslint/no-require-imports, import/no-extraneous-dependencies */
/**
 * The library as it ships: the package `npm pack` makes, installed under bench/results/node_modules
 * by bench/synth.ts (jsii's lib/, the handler bundle), loaded from there, as a user's app loads it
 * from its node_modules (aws-cdk-lib records each resource's stack trace and treats frames in
 * node_modules differently from the app's own). Required on first use, so that the L1 stack's
 * process never loads it. Types come from the sources (bench/tsconfig.json maps the package to src/).
 */
const library = () => require('@cdk-customer-profiles/constructs/lib/index') as typeof import('@cdk-customer-profiles/constructs/lib/index');
const providerModule = () => require('@cdk-customer-profiles/constructs/lib/private/provider') as typeof import('@cdk-customer-profiles/constructs/lib/private/provider');
const contract = () => require('@cdk-customer-profiles/constructs/lib/private/contract') as typeof import('@cdk-customer-profiles/constructs/lib/private/contract');
/* eslint-enable @typescript-eslint/no-require-imports, import/no-extraneous-dependencies */

const ENV = { account: '123456789012', region: 'us-east-1' };

/** One domain with N object types, N recommenders and N segments, written with this library. */
export function libraryStack(app: App, n: number): Stack {
  const { ContentType, DataStore, Domain, RecommenderRecipe, SegmentQuery } = library();
  const stack = new Stack(app, 'Bench', { env: ENV });
  const domain = new Domain(stack, 'Customers', {
    domainName: 'bench-customers',
    dataStore: DataStore.enabled(),
    defaultExpiration: Duration.days(365),
  });
  for (let i = 0; i < n; i++) {
    domain.addObjectType(`Orders${i}`, {
      objectTypeName: `orders_${i}`,
      fields: {
        orderId: { source: '_source.OrderId', target: 'Order.OrderId', contentType: ContentType.STRING },
        amount: { source: '_source.Amount', target: 'Order.Amount', contentType: ContentType.NUMBER },
      },
    });
    domain.addRecommender(`Recs${i}`, {
      recommenderName: `recs-${i}`,
      recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU,
      events: [{ eventType: 'purchase' }],
    });
    domain.addSegment(`Segment${i}`, {
      segmentDefinitionName: `segment-${i}`,
      displayName: `Segment ${i}`,
      query: SegmentQuery.sql(`SELECT * FROM _profile WHERE _profile.Attributes.tier = 'tier${i}'`),
    });
  }
  return stack;
}

/**
 * The same resources with the native L1 classes, with the removal policies the library writes
 * (the domain and object types retained, recommenders and segments deleted), so that both
 * templates carry the same DeletionPolicy and UpdateReplacePolicy.
 */
export function l1Stack(app: App, n: number): Stack {
  const stack = new Stack(app, 'Bench', { env: ENV });
  const domain = new cp.CfnDomain(stack, 'Customers', {
    domainName: 'bench-customers',
    defaultExpirationDays: 365,
    dataStore: { enabled: true },
  });
  domain.applyRemovalPolicy(RemovalPolicy.RETAIN);
  for (let i = 0; i < n; i++) {
    new cp.CfnDomainObjectType(stack, `Orders${i}`, {
      domainName: domain.ref,
      objectTypeName: `orders_${i}`,
      fields: {
        orderId: { source: '_source.OrderId', target: 'Order.OrderId', contentType: 'STRING' },
        amount: { source: '_source.Amount', target: 'Order.Amount', contentType: 'NUMBER' },
      },
    }).applyRemovalPolicy(RemovalPolicy.RETAIN);
    new cp.CfnRecommender(stack, `Recs${i}`, {
      domainName: domain.ref,
      recommenderName: `recs-${i}`,
      recommenderRecipeName: 'recommended-for-you',
      recommenderConfig: { eventsConfig: { eventParametersList: [{ eventType: 'purchase' }] } },
    }).applyRemovalPolicy(RemovalPolicy.DESTROY);
    new cp.CfnSegmentDefinition(stack, `Segment${i}`, {
      domainName: domain.ref,
      segmentDefinitionName: `segment-${i}`,
      displayName: `Segment ${i}`,
      segmentSqlQuery: `SELECT * FROM _profile WHERE _profile.Attributes.tier = 'tier${i}'`,
    }).applyRemovalPolicy(RemovalPolicy.DESTROY);
  }
  return stack;
}

/**
 * The floor of any library built like this one (one Provider-framework provider per stack, one
 * custom resource per Customer Profiles resource): the library's own provider, and each resource
 * as a bare `CfnResource` whose properties are its desired state as literals, one per member, as the
 * library writes them (src/private/config-properties.ts). No L2 construct, no validation,
 * no tags, no token, no IAM statement per resource: what is left is the provider's fixed cost and
 * the cost of a custom resource itself. The removal policies are the library's, as on the L1 side.
 */
export function floorStack(app: App, n: number): Stack {
  const stack = new Stack(app, 'Bench', { env: ENV });
  const { ResourceTypes } = contract();
  const provider = providerModule().CustomerProfilesProvider.of(stack);
  const resource = (id: string, type: string, config: object, removalPolicy: RemovalPolicy) => {
    const r = new CfnResource(stack, id, { type, properties: { ServiceToken: provider.serviceToken, ...config } });
    r.applyRemovalPolicy(removalPolicy);
    return r;
  };
  const domain = resource('Customers', ResourceTypes.DOMAIN, {
    DomainName: 'bench-customers', DefaultExpirationDays: 365, DataStore: { Enabled: true }, WaitForDataStore: true, TimeoutSeconds: 3000,
  }, RemovalPolicy.RETAIN);
  for (let i = 0; i < n; i++) {
    resource(`Orders${i}`, ResourceTypes.DOMAIN_OBJECT_TYPE, {
      DomainName: 'bench-customers',
      ObjectTypeName: `orders_${i}`,
      Fields: {
        orderId: { Source: '_source.OrderId', Target: 'Order.OrderId', ContentType: 'STRING' },
        amount: { Source: '_source.Amount', Target: 'Order.Amount', ContentType: 'NUMBER' },
      },
    }, RemovalPolicy.RETAIN).addDependency(domain);
    resource(`Recs${i}`, ResourceTypes.RECOMMENDER, {
      DomainName: 'bench-customers',
      RecommenderName: `recs-${i}`,
      RecommenderRecipeName: 'recommended-for-you',
      RecommenderConfig: { EventsConfig: { EventParametersList: [{ EventType: 'purchase' }] } },
      Enabled: true,
      WaitForActive: true,
      TimeoutSeconds: 3240,
    }, RemovalPolicy.DESTROY).addDependency(domain);
    resource(`Segment${i}`, ResourceTypes.SEGMENT_DEFINITION, {
      DomainName: 'bench-customers',
      SegmentDefinitionName: `segment-${i}`,
      DisplayName: `Segment ${i}`,
      SegmentSqlQuery: `SELECT * FROM _profile WHERE _profile.Attributes.tier = 'tier${i}'`,
      ValidateBeforeCreate: true,
      TimeoutSeconds: 1800,
    }, RemovalPolicy.DESTROY).addDependency(domain);
  }
  return stack;
}

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
