/**
 * The three stacks of the synth benchmarks (targets 1 to 3): one domain with N object types, N
 * recommenders and N segments, written with this library, with the native L1 classes, and as the
 * floor (the library's provider with bare custom resources). A module of definitions only: the
 * worker that times them is bench/synth-stacks.ts, and bench/experiments/ builds its variants from
 * these (a bundle that included the worker would run its command line).
 */
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
export const providerModule = () => require('@cdk-customer-profiles/constructs/lib/private/provider') as typeof import('@cdk-customer-profiles/constructs/lib/private/provider');
const contract = () => require('@cdk-customer-profiles/constructs/lib/private/contract') as typeof import('@cdk-customer-profiles/constructs/lib/private/contract');
/* eslint-enable @typescript-eslint/no-require-imports, import/no-extraneous-dependencies */

const ENV = { account: '123456789012', region: 'us-east-1' };

/** One domain with N object types, N recommenders and N segments, written with this library. */
export function libraryStack(app: App, n: number): Stack {
  const stack = new Stack(app, 'Bench', { env: ENV });
  addLibraryResources(stack, n);
  return stack;
}

/** The library's resources of libraryStack, added to `stack` (bench/experiments puts another provider in first). */
export function addLibraryResources(stack: Stack, n: number): void {
  const { ContentType, DataStore, Domain, RecommenderRecipe, SegmentQuery } = library();
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
  const provider = providerModule().CustomerProfilesProvider.of(stack);
  const resource = (id: string, type: string, config: object, removalPolicy: RemovalPolicy) => {
    const r = new CfnResource(stack, id, { type, properties: { ServiceToken: provider.serviceToken, ...config } });
    r.applyRemovalPolicy(removalPolicy);
    return r;
  };
  const { domain, children } = floorResources(n);
  const domainResource = resource(domain.id, domain.type, domain.config, domain.removalPolicy);
  for (const child of children) {
    resource(child.id, child.type, child.config, child.removalPolicy).addDependency(domainResource);
  }
  return stack;
}

/** One resource of the floor: its construct id, type, desired state (as the library writes it) and removal policy. */
export interface FloorResource {
  readonly id: string;
  readonly type: string;
  readonly config: Record<string, unknown>;
  readonly removalPolicy: RemovalPolicy;
}

/** The floor's resources at size N: the domain, and its children (each depends on the domain). */
export function floorResources(n: number): { domain: FloorResource; children: FloorResource[] } {
  const { ResourceTypes } = contract();
  const domain: FloorResource = {
    id: 'Customers',
    type: ResourceTypes.DOMAIN,
    config: { DomainName: 'bench-customers', DefaultExpirationDays: 365, DataStore: { Enabled: true }, WaitForDataStore: true, TimeoutSeconds: 3000 },
    removalPolicy: RemovalPolicy.RETAIN,
  };
  const children: FloorResource[] = [];
  for (let i = 0; i < n; i++) {
    children.push({
      id: `Orders${i}`,
      type: ResourceTypes.DOMAIN_OBJECT_TYPE,
      config: {
        DomainName: 'bench-customers',
        ObjectTypeName: `orders_${i}`,
        Fields: {
          orderId: { Source: '_source.OrderId', Target: 'Order.OrderId', ContentType: 'STRING' },
          amount: { Source: '_source.Amount', Target: 'Order.Amount', ContentType: 'NUMBER' },
        },
      },
      removalPolicy: RemovalPolicy.RETAIN,
    }, {
      id: `Recs${i}`,
      type: ResourceTypes.RECOMMENDER,
      config: {
        DomainName: 'bench-customers',
        RecommenderName: `recs-${i}`,
        RecommenderRecipeName: 'recommended-for-you',
        RecommenderConfig: { EventsConfig: { EventParametersList: [{ EventType: 'purchase' }] } },
        Enabled: true,
        WaitForActive: true,
        TimeoutSeconds: 3240,
      },
      removalPolicy: RemovalPolicy.DESTROY,
    }, {
      id: `Segment${i}`,
      type: ResourceTypes.SEGMENT_DEFINITION,
      config: {
        DomainName: 'bench-customers',
        SegmentDefinitionName: `segment-${i}`,
        DisplayName: `Segment ${i}`,
        SegmentSqlQuery: `SELECT * FROM _profile WHERE _profile.Attributes.tier = 'tier${i}'`,
        ValidateBeforeCreate: true,
        TimeoutSeconds: 1800,
      },
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }
  return { domain, children };
}
