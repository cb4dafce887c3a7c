import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { DataStore, Domain, DomainObjectType, RecommenderRecipe, SegmentDefinition, SegmentQuery } from '../../../src';
import { OWNED_RESOURCES_SID } from '../../../src/private/provider';
import { BUNDLED_HANDLER_PATH, EngineEvent, LocalDeployment, StackEvent, StackInput, stacksFromAssembly } from '../../src/deploy';

/**
 * Issue #13 case 4, through CloudFormation's order (issue #14): the update phase applies the new
 * template's policy, and cleanup then deletes removed and replaced resources under it. With IAM
 * on (LocalDeployment's default), the emulator authorizes each request of the handler with the
 * handler role's policies as deployed at that moment. The library's statement on what the stack
 * created (conditioned on the owner marker) is what lets those deletes through: without it, the
 * recommender is left running with an AccessDenied cleanup event and the stack UPDATE_COMPLETE.
 */

beforeAll(() => {
  if (!fs.existsSync(BUNDLED_HANDLER_PATH)) {
    execFileSync(process.execPath, [path.join(__dirname, '..', '..', '..', 'scripts', 'bundle-handler.mjs')], { stdio: 'ignore' });
  }
});

const DESTROY = RemovalPolicy.DESTROY;

/** A domain of the stack, with a recommender or not. */
function recommenderApp(withRecommender: boolean): App {
  const app = new App();
  const stack = new Stack(app, 'Customers');
  const domain = new Domain(stack, 'Customers', { domainName: 'customers', dataStore: DataStore.enabled(), removalPolicy: DESTROY });
  if (withRecommender) {
    domain.addRecommender('ForYou', { recommenderName: 'for-you', recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU, waitForActive: false, removalPolicy: DESTROY });
  }
  return app;
}

/** A segment with a generated (hashed) name on a domain imported by name. */
function importedSegmentApp(spend: number): App {
  const app = new App();
  const stack = new Stack(app, 'Segments');
  new SegmentDefinition(stack, 'HighValue', {
    domain: Domain.fromDomainName(stack, 'Shared', 'shared'),
    displayName: 'High value',
    query: SegmentQuery.sql(`SELECT * FROM _profile WHERE _profile.Attributes.spend > ${spend}`),
    removalPolicy: DESTROY,
  });
  return app;
}

/**
 * Children on a domain imported by name, next to a domain of the stack's own (so the provider and
 * its policy stay in the template, updated, whatever the children).
 */
function importedChildrenApp(children: { objectType: boolean; segment: boolean }): App {
  const app = new App();
  const stack = new Stack(app, 'Team');
  new Domain(stack, 'Own', { domainName: 'team-own', removalPolicy: DESTROY });
  if (children.objectType || children.segment) {
    const domain = Domain.fromDomainName(stack, 'Shared', 'shared');
    if (children.objectType) {
      new DomainObjectType(stack, 'Orders', { domain, objectTypeName: 'orders', fields: { Id: { source: '_source.Id', target: '_order.Id' } }, removalPolicy: DESTROY });
    }
    if (children.segment) {
      new SegmentDefinition(stack, 'Gold', { domain, segmentDefinitionName: 'gold', displayName: 'Gold', query: SegmentQuery.sql('SELECT * FROM _profile'), removalPolicy: DESTROY });
    }
  }
  return app;
}

/** The stack that owns the imported domain. */
function sharedDomainApp(): App {
  const app = new App();
  new Domain(new Stack(app, 'Platform'), 'Shared', { domainName: 'shared', dataStore: DataStore.enabled(), removalPolicy: DESTROY });
  return app;
}

/** A domain with children; renaming it replaces it and them. */
function renamedDomainApp(name: string): App {
  const app = new App();
  const stack = new Stack(app, 'Renamed');
  const domain = new Domain(stack, 'Customers', { domainName: name, dataStore: DataStore.enabled(), removalPolicy: DESTROY });
  domain.addObjectType('Orders', { objectTypeName: 'orders', fields: { Id: { source: '_source.Id', target: '_order.Id' } }, removalPolicy: DESTROY });
  domain.addRecommender('ForYou', { recommenderName: 'for-you', recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU, waitForActive: false, removalPolicy: DESTROY });
  domain.addSegment('Gold', { segmentDefinitionName: 'gold', displayName: 'Gold', query: SegmentQuery.sql('SELECT * FROM _profile'), removalPolicy: DESTROY });
  return app;
}

/** The app's stacks as a library version without the owned-resources statement would synthesize them. */
function withoutOwnedStatement(app: App): StackInput[] {
  const stacks = stacksFromAssembly(app.synth());
  for (const input of stacks) {
    for (const resource of Object.values(input.template.Resources ?? {})) {
      const document = resource.Properties?.PolicyDocument as { Statement: Array<{ Sid?: string }> } | undefined;
      if (resource.Type === 'AWS::IAM::Policy' && document) {
        document.Statement = document.Statement.filter((s) => s.Sid !== OWNED_RESOURCES_SID);
      }
    }
  }
  return stacks;
}

function cleanupEvents(events: EngineEvent[]): StackEvent[] {
  const all = events.filter((e): e is StackEvent => e.kind === 'event');
  const start = all.findIndex((e) => e.status === 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
  return start < 0 ? [] : all.slice(start);
}

describe('cleanup deletes run under the new template\'s policy, and are allowed (IAM on)', () => {
  let local: LocalDeployment;
  const events: EngineEvent[] = [];

  beforeEach(async () => {
    events.length = 0;
    local = await LocalDeployment.start({ stepped: true, onEvent: (e) => events.push(e) });
  });
  afterEach(async () => {
    await local.stop();
  });

  test('IAM is on during a deployment: the handler is authorized with its role\'s policies', async () => {
    let seen = false;
    const original = local.emulator.setIdentityPolicies.bind(local.emulator);
    local.emulator.setIdentityPolicies = (policies, principal) => {
      seen ||= (policies ?? []).some((p) => JSON.stringify(p).includes(OWNED_RESOURCES_SID));
      original(policies, principal);
    };
    expect((await local.deploy(recommenderApp(false))).success).toBe(true);
    expect(seen).toBe(true);
  });

  test('removing the last recommender of a domain deletes it in cleanup', async () => {
    expect((await local.deploy(recommenderApp(true))).success).toBe(true);
    expect(local.emulator.state.recommender('customers', 'for-you')).toBeDefined();
    const result = await local.deploy(recommenderApp(false));
    expect(result.stacks[0].status).toBe('UPDATE_COMPLETE');
    expect(result.stacks[0].cleanupFailures).toEqual([]);
    expect(result.stacks[0].deleted).toEqual([expect.stringMatching(/^CustomersForYou/)]);
    expect(cleanupEvents(events).filter((e) => e.status === 'DELETE_FAILED')).toEqual([]);
    expect(local.emulator.state.recommender('customers', 'for-you')).toBeUndefined();
  });

  test('changing the SQL of a generated-name segment on an imported domain deletes the old one in cleanup', async () => {
    expect((await local.deploy(sharedDomainApp())).success).toBe(true);
    const first = await local.deploy(importedSegmentApp(500));
    expect(first.success).toBe(true);
    const segmentId = first.stacks.find((s) => s.stackName === 'Segments')!.created.find((id) => id.startsWith('HighValue'))!;
    const oldName = local.state.stacks.Segments.resources[segmentId].physicalId.split('/')[1];
    events.length = 0;
    const result = await local.deploy(importedSegmentApp(900));
    const segments = result.stacks.find((s) => s.stackName === 'Segments')!;
    expect(segments.status).toBe('UPDATE_COMPLETE');
    expect(segments.replaced).toEqual([segmentId]);
    expect(segments.cleanupFailures).toEqual([]);
    expect(cleanupEvents(events).filter((e) => e.status === 'DELETE_FAILED')).toEqual([]);
    const newName = local.state.stacks.Segments.resources[segmentId].physicalId.split('/')[1];
    expect(newName).not.toBe(oldName);
    expect(local.emulator.state.segmentDefinition('shared', oldName)).toBeUndefined();
    expect(local.emulator.state.segmentDefinition('shared', newName)).toBeDefined();
  });

  test('removing the last segment of an imported domain (an object type of it stays) deletes it in cleanup', async () => {
    expect((await local.deploy(sharedDomainApp())).success).toBe(true);
    expect((await local.deploy(importedChildrenApp({ objectType: true, segment: true }))).success).toBe(true);
    events.length = 0;
    const result = await local.deploy(importedChildrenApp({ objectType: true, segment: false }));
    const team = result.stacks.find((s) => s.stackName === 'Team')!;
    expect(team.status).toBe('UPDATE_COMPLETE');
    expect(team.cleanupFailures).toEqual([]);
    expect(local.emulator.state.segmentDefinition('shared', 'gold')).toBeUndefined();
  });

  test('limit: removing the last child of an imported domain together with every reference to it leaves the child, with an AccessDenied cleanup event', async () => {
    // Nothing in the new template names the imported domain, so nothing grants the domain half of
    // the delete (the domain carries another stack's marker). Documented in troubleshooting. (Had
    // the stack lost its last construct of this library, the provider's policy would have been
    // removed too, and deleted in cleanup after the child: the old grants would still apply.)
    expect((await local.deploy(sharedDomainApp())).success).toBe(true);
    expect((await local.deploy(importedChildrenApp({ objectType: false, segment: true }))).success).toBe(true);
    events.length = 0;
    const result = await local.deploy(importedChildrenApp({ objectType: false, segment: false }));
    const team = result.stacks.find((s) => s.stackName === 'Team')!;
    expect(team.status).toBe('UPDATE_COMPLETE');
    expect(team.cleanupFailures).toEqual([expect.stringMatching(/^Gold/)]);
    expect(cleanupEvents(events).find((e) => e.status === 'DELETE_FAILED')?.reason).toMatch(/GetSegmentDefinition was denied.*domains\/shared\b/);
    expect(local.emulator.state.segmentDefinition('shared', 'gold')).toBeDefined();
  });

  test('renaming a domain that has children deletes the old children, then the old domain, in cleanup', async () => {
    expect((await local.deploy(renamedDomainApp('customers-v1'))).success).toBe(true);
    events.length = 0;
    const result = await local.deploy(renamedDomainApp('customers-v2'));
    expect(result.stacks[0].status).toBe('UPDATE_COMPLETE');
    expect(result.stacks[0].replaced).toHaveLength(4);
    expect(result.stacks[0].cleanupFailures).toEqual([]);
    expect(cleanupEvents(events).filter((e) => e.status === 'DELETE_FAILED')).toEqual([]);
    expect(local.emulator.state.domain('customers-v1')).toBeUndefined();
    expect(local.emulator.state.recommender('customers-v1', 'for-you')).toBeUndefined();
    expect(local.emulator.state.objectType('customers-v1', 'orders')).toBeUndefined();
    expect(local.emulator.state.segmentDefinition('customers-v1', 'gold')).toBeUndefined();
    expect(local.emulator.state.recommender('customers-v2', 'for-you')).toBeDefined();
  });

  test('without the owned-resources statement, the recommender is left running: an AccessDenied cleanup event and UPDATE_COMPLETE', async () => {
    expect((await local.deploy(withoutOwnedStatement(recommenderApp(true)))).success).toBe(true);
    const result = await local.deploy(withoutOwnedStatement(recommenderApp(false)));
    expect(result.stacks[0].status).toBe('UPDATE_COMPLETE');
    expect(result.stacks[0].cleanupFailures).toEqual([expect.stringMatching(/^CustomersForYou/)]);
    const failed = cleanupEvents(events).filter((e) => e.status === 'DELETE_FAILED');
    expect(failed).toHaveLength(1);
    expect(failed[0].reason).toMatch(/AccessDenied|not authorized/);
    expect(local.emulator.state.recommender('customers', 'for-you')).toBeDefined();
  });
});
