import * as fs from 'fs';
import * as path from 'path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CustomerDataStack } from '../../examples/customer-data-stack';
import { LocalDeployment } from '../../local/src/deploy';
import {
  DataStore, Domain, DomainObjectType, Recommender, RecommenderRecipe, SegmentDefinition, SegmentQuery,
} from '../../src';
import { ResourceTypes } from '../../src/private/contract';
import {
  DOMAIN, Harness, OBJECT_TYPE, outcome, reliabilityApp, sourceHandler, startHarnessForEachTest, STACK,
} from '../helpers/reliability-harness';

/**
 * Data safety: domains and object types hold customer data. They are kept by default when they
 * leave the stack and when they are replaced; a renamed domain leaves the old one in place, where
 * `Domain.fromDomainName` finds it again; and a failed deployment never deletes a domain that
 * was there before it.
 */

const FIELDS = { Id: { source: '_source.Id', target: '_order.Id' } };

function policies(template: Template, type: string): Array<{ DeletionPolicy?: string; UpdateReplacePolicy?: string }> {
  return Object.values(template.findResources(type)).map((r) => ({ DeletionPolicy: r.DeletionPolicy, UpdateReplacePolicy: r.UpdateReplacePolicy }));
}

describe('removal policies in the template', () => {
  test('a domain is retained by default, on deletion and on replacement', () => {
    const stack = new Stack(new App(), 'S');
    new Domain(stack, 'Customers');
    expect(policies(Template.fromStack(stack), ResourceTypes.DOMAIN)).toEqual([{ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' }]);
  });

  test('an object type is retained by default, on deletion and on replacement (constructor and addObjectType)', () => {
    const stack = new Stack(new App(), 'S');
    const domain = new Domain(stack, 'Customers', { dataStore: DataStore.enabled() });
    new DomainObjectType(stack, 'Orders', { domain, fields: FIELDS });
    domain.addObjectType('Products', { fields: FIELDS });
    new DomainObjectType(stack, 'OnImported', { domain: Domain.fromDomainName(stack, 'Imported', 'legacy'), fields: FIELDS });
    expect(policies(Template.fromStack(stack), ResourceTypes.DOMAIN_OBJECT_TYPE)).toEqual(
      Array(3).fill({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' }));
  });

  test('deletion happens only when the user asks for it with RemovalPolicy.DESTROY', () => {
    const stack = new Stack(new App(), 'S');
    const domain = new Domain(stack, 'Customers', { dataStore: DataStore.enabled(), removalPolicy: RemovalPolicy.DESTROY });
    domain.addObjectType('Orders', { fields: FIELDS, removalPolicy: RemovalPolicy.DESTROY });
    const template = Template.fromStack(stack);
    expect(policies(template, ResourceTypes.DOMAIN)).toEqual([{ DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' }]);
    expect(policies(template, ResourceTypes.DOMAIN_OBJECT_TYPE)).toEqual([{ DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' }]);
  });

  test('recommenders and segment definitions (no customer data: a model and a query) are deleted by default', () => {
    const stack = new Stack(new App(), 'S');
    const domain = new Domain(stack, 'Customers', { dataStore: DataStore.enabled() });
    new Recommender(stack, 'R', { domain, recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU });
    new SegmentDefinition(stack, 'G', { domain, displayName: 'Gold', query: SegmentQuery.sql('SELECT * FROM _profile') });
    const template = Template.fromStack(stack);
    expect(policies(template, ResourceTypes.RECOMMENDER)).toEqual([{ DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' }]);
    expect(policies(template, ResourceTypes.SEGMENT_DEFINITION)).toEqual([{ DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' }]);
  });

  test('the example stack keeps its domain and its object types', () => {
    const template = Template.fromStack(new CustomerDataStack(new App(), 'CustomerData'));
    expect(policies(template, ResourceTypes.DOMAIN)).toEqual([{ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' }]);
    expect(policies(template, ResourceTypes.DOMAIN_OBJECT_TYPE)).toEqual(Array(4).fill({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' }));
  });
});

describe('through the local deploy engine', () => {
  let h: Harness;
  jest.setTimeout(60_000);
  startHarnessForEachTest((started) => { h = started; });

  test('renaming a domain creates the new one and leaves the old one, with its object type, in place', async () => {
    expect(outcome(await h.local.deploy(reliabilityApp())).status).toBe('CREATE_COMPLETE');
    const result = await h.local.deploy(reliabilityApp({ domainName: 'customers-v2' }));
    const stack = result.stacks[0];
    expect(stack.status).toBe('UPDATE_COMPLETE');
    expect(stack.replaced).toEqual(expect.arrayContaining([expect.stringMatching(/^Customers/), expect.stringMatching(/^Orders/)]));
    expect(stack.retained).toEqual(expect.arrayContaining([expect.stringMatching(/^Customers/), expect.stringMatching(/^Orders/)]));
    expect(h.emu.state.domains().sort()).toEqual(['customers', 'customers-v2']);
    expect(h.emu.state.objectType(DOMAIN, OBJECT_TYPE)).toBeDefined();
    expect(h.emu.state.objectType('customers-v2', OBJECT_TYPE)).toBeDefined();
    expect(h.emu.requests.filter((r) => r.operation === 'DeleteDomain' || r.operation === 'DeleteDomainObjectType')).toEqual([]);
  });

  test('a rename whose update fails and rolls back keeps both domains (the new one is Retain too)', async () => {
    expect(outcome(await h.local.deploy(reliabilityApp())).status).toBe('CREATE_COMPLETE');
    h.emu.faults.add({ operation: 'CreateRecommender', times: 1, error: 'BadRequestException', message: 'Refused (injected)' });
    const result = await h.local.deploy(reliabilityApp({ domainName: 'customers-v2' }));
    expect(outcome(result).status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(h.emu.state.domains().sort()).toEqual(['customers', 'customers-v2']);
    expect(h.emu.state.objectType(DOMAIN, OBJECT_TYPE)).toBeDefined();
    expect(h.emu.requests.filter((r) => r.operation === 'DeleteDomain' || r.operation === 'DeleteDomainObjectType')).toEqual([]);
    // The stack still points at the old domain and deploys again.
    expect(h.local.state.stacks[STACK].resources[Object.keys(h.local.state.stacks[STACK].resources).find((id) => id.startsWith('Customers'))!].physicalId)
      .toBe(DOMAIN);
  });

  test('the old domain is found again with Domain.fromDomainName and used by a new deployment', async () => {
    await h.local.deploy(reliabilityApp());
    await h.local.deploy(reliabilityApp({ domainName: 'customers-v2' }));
    // The next version of the app imports the retained domain and adds an object type to it.
    const app = reliabilityApp({ domainName: 'customers-v2' });
    const stack = app.node.findChild(STACK) as Stack;
    const old = Domain.fromDomainName(stack, 'OldCustomers', DOMAIN);
    new DomainObjectType(stack, 'Returns', { domain: old, objectTypeName: 'returns', fields: FIELDS });
    const result = await h.local.deploy(app);
    expect(result.stacks[0].status).toBe('UPDATE_COMPLETE');
    expect(h.emu.state.objectType(DOMAIN, 'returns')).toBeDefined();
    expect(h.emu.state.objectType(DOMAIN, OBJECT_TYPE)).toBeDefined();
  });

  test('destroying the stack keeps the domain and the object type, and deletes the recommender and the segment', async () => {
    await h.local.deploy(reliabilityApp());
    const result = await h.local.destroy();
    expect(outcome(result).status).toBe('DELETE_COMPLETE');
    expect(result.stacks[0].retained).toEqual(expect.arrayContaining([expect.stringMatching(/^Customers/), expect.stringMatching(/^Orders/)]));
    expect(h.emu.state.domain(DOMAIN)).toBeDefined();
    expect(h.emu.state.objectType(DOMAIN, OBJECT_TYPE)).toBeDefined();
    h.emu.clock.advance(3_600_000);
    expect(h.emu.state.recommender(DOMAIN, 'for-you')).toBeUndefined();
    expect(h.emu.state.segmentDefinition(DOMAIN, 'gold')).toBeUndefined();
  });

  test('a stack that names an existing domain holding data fails without touching it, even with DESTROY', async () => {
    // Someone else's domain, with profiles in it.
    expect(outcome(await h.local.deploy(reliabilityApp({ only: ['Domain'] }))).status).toBe('CREATE_COMPLETE');
    h.emu.seedProfiles(DOMAIN, [{ FirstName: 'Ada' }]);
    const { local } = h;
    // A second, unrelated deployment (its own state) that asks for the same name and for deletion.
    const other = await startHarnessSharing(h);
    const result = await other.deploy(reliabilityApp({ destroy: true }));
    expect(outcome(result).status).toBe('ROLLBACK_COMPLETE');
    // Refused by ownership (the domain carries another stack's marker) before any data check.
    expect(outcome(result).reason).toContain("Domain 'customers' already exists");
    expect(outcome(result).reason).toContain('Domain.fromDomainName');
    expect(h.emu.state.domain(DOMAIN)).toBeDefined();
    expect(h.emu.requests.filter((r) => r.operation === 'DeleteDomain')).toEqual([]);
    expect(local.state.stacks[STACK]).toBeDefined();
  });
});

/** A second LocalDeployment on the same emulator with its own (empty) state. */
async function startHarnessSharing(h: Harness): Promise<LocalDeployment> {
  return LocalDeployment.start({
    emulator: h.emu,
    handler: sourceHandler(),
  });
}

describe('the docs say how to get a retained domain back', () => {
  test('docs/reliability.md explains Domain.fromDomainName for a renamed or removed domain', () => {
    const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'reliability.md'), 'utf8');
    expect(doc).toMatch(/Domain\.fromDomainName\(/);
    expect(doc).toMatch(/UpdateReplacePolicy/);
  });

  test('the removalPolicy doc of Domain says the domain is kept on replacement', () => {
    const text = fs.readFileSync(path.join(__dirname, '..', '..', 'src', 'domain.ts'), 'utf8');
    expect(text).toMatch(/UpdateReplacePolicy are Retain/);
  });
});
