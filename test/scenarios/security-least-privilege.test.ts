import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CustomerDataStack } from '../../examples/customer-data-stack';
import { PersonalizationStack } from '../../examples/personalization-stack';
import { resolveValue, ResolveContext } from '../../local/src/deploy/intrinsics';
import { DataStore, Domain, DomainObjectType, Recommender, RecommenderRecipe, SegmentDefinition, SegmentQuery } from '../../src';
import { ownerMarker, OWNER_TAG_KEY, ResourceTypes } from '../../src/private/contract';
import { CLEANUP_ACTIONS } from '../../src/private/provider';

/**
 * Least privilege of the provider: every IAM statement its role gets names the ARNs of the
 * constructs that need it; `*` only for actions that have no resource in IAM, and, for the
 * children of a domain the same stack creates (whose handler may delete the whole domain), one
 * `domains/${domain}/${kind}/*` per kind instead of one ARN per child (constant policy size).
 */

const ENV = { account: '111122223333', region: 'eu-west-1' };
/** Actions IAM authorizes on no resource: `*` is the only possible Resource. */
const NO_RESOURCE_ACTIONS = new Set(['profile:ListRecommenderRecipes']);

type Json = any;
interface Statement { readonly Effect: string; readonly Action: string | string[]; readonly Resource: Json; readonly Condition?: Json }

/** A resource value rendered as text: `arn:aws:profile:...`, with `<Id.Attr>` for other references. */
function text(value: Json): string {
  if (typeof value === 'string') return value;
  if (value?.Ref === 'AWS::Partition') return 'aws';
  if (value?.Ref) return `<${value.Ref}>`;
  if (value?.['Fn::GetAtt']) return `<${value['Fn::GetAtt'].join('.')}>`;
  if (value?.['Fn::Join']) return (value['Fn::Join'][1] as Json[]).map(text).join(value['Fn::Join'][0]);
  return JSON.stringify(value);
}

const list = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

interface Rendered { policy: string; actions: string[]; resources: string[]; condition?: Json }

function statementsOf(template: Template, filter: (policy: Json) => boolean): Rendered[] {
  const out: Rendered[] = [];
  for (const [id, policy] of Object.entries(template.findResources('AWS::IAM::Policy'))) {
    if (!filter(policy)) continue;
    for (const s of policy.Properties.PolicyDocument.Statement as Statement[]) {
      expect(s.Effect).toBe('Allow');
      out.push({ policy: id, actions: list(s.Action), resources: list(s.Resource).map(text), ...(s.Condition ? { condition: s.Condition } : {}) });
    }
  }
  return out;
}

function handlerRoleId(template: Template): string {
  const roles = Object.keys(template.findResources('AWS::IAM::Role')).filter((id) => id.startsWith('CustomerProfilesProviderHandlerServiceRole'));
  expect(roles).toHaveLength(1);
  return roles[0];
}

/** The handler role's statements, but for the one conditioned on the owner marker (see ownedStatements). */
function providerStatements(template: Template) {
  return allProviderStatements(template).filter((s) => s.condition === undefined);
}

function allProviderStatements(template: Template) {
  const role = handlerRoleId(template);
  return statementsOf(template, (p) => (p.Properties.Roles as Json[]).some((r) => r.Ref === role));
}

/** The handler role's statements with a condition: the get/delete grant on what the stack created. */
function ownedStatements(template: Template) {
  return allProviderStatements(template).filter((s) => s.condition !== undefined);
}

function exampleTemplate(): Template {
  return Template.fromStack(new CustomerDataStack(new App(), 'CustomerData', { env: ENV }));
}

describe('least privilege of the provider role (example platform stack)', () => {
  const template = exampleTemplate();
  const statements = providerStatements(template);
  const domainArn = 'arn:aws:profile:eu-west-1:111122223333:domains/retail-customers';

  const KINDS = ['domain-object-types', 'recommenders', 'segment-definitions'];
  /** The actions a child kind's statement carries (create, read, update, delete, tag). */
  const KIND_ACTIONS: Record<string, RegExp> = {
    'domain-object-types': /^profile:(PutDomainObjectType|GetDomainObjectType|DeleteDomainObjectType|TagResource|UntagResource)$/,
    'recommenders': /^profile:(CreateRecommender|GetRecommender|UpdateRecommender|DeleteRecommender|StartRecommender|StopRecommender|TagResource|UntagResource)$/,
    'segment-definitions': /^profile:(CreateSegmentDefinition|GetSegmentDefinition|DeleteSegmentDefinition|TagResource|UntagResource)$/,
  };

  // The platform stack's domain has object types; recommenders and segments are the personalization stack's.
  const OWN_KINDS = ['domain-object-types'];

  test('the only wildcards are the children of one kind in this stack\'s own domain, with that kind\'s actions', () => {
    expect(statements.length).toBeGreaterThan(0);
    const wildcards = statements.flatMap((s) => s.resources.filter((r) => r.includes('*')).map((r) => ({ actions: s.actions, resource: r })));
    expect(wildcards.map((w) => w.resource).sort()).toEqual(OWN_KINDS.map((k) => `${domainArn}/${k}/*`));
    for (const w of wildcards) {
      const kind = w.resource.split('/')[2];
      for (const action of w.actions) expect(action).toMatch(KIND_ACTIONS[kind]);
    }
  });

  test('every profile: statement names this stack\'s domain or its children of one kind, nothing else', () => {
    const allowed = new Set([domainArn, ...OWN_KINDS.map((k) => `${domainArn}/${k}/*`)]);
    const named = new Set<string>();
    for (const s of statements.filter((x) => x.actions.every((a) => a.startsWith('profile:')))) {
      for (const r of s.resources) {
        expect(allowed).toContain(r);
        named.add(r);
      }
    }
    expect([...named].sort()).toEqual([...allowed].sort());
  });

  test.each([
    ['domain', 'profile:DeleteDomain', [domainArn]],
    ['object type', 'profile:DeleteDomainObjectType', [`${domainArn}/domain-object-types/*`, domainArn]],
  ])('the %s delete action is granted on this stack\'s domain (and its children of that kind) only', (_kind, action, expected) => {
    const resources = statements.filter((s) => s.actions.includes(action)).flatMap((s) => s.resources);
    // Child statements also carry the domain ARN (the service authorizes child operations on both).
    expect(new Set(resources)).toEqual(new Set(expected));
  });

  test('recommenders and segments have no grant here: they are the personalization stack\'s', () => {
    for (const action of ['profile:DeleteRecommender', 'profile:DeleteSegmentDefinition']) {
      expect(statements.filter((s) => s.actions.includes(action))).toEqual([]);
    }
    expect(KINDS.filter((k) => !OWN_KINDS.includes(k))).toEqual(['recommenders', 'segment-definitions']);
  });

  test('KMS actions are granted on the domain key only', () => {
    const kms = statements.filter((s) => s.actions.some((a) => a.startsWith('kms:')));
    expect(kms.length).toBeGreaterThan(0);
    for (const s of kms) {
      expect(s.actions.every((a) => a.startsWith('kms:'))).toBe(true);
      expect(s.resources).toEqual([expect.stringMatching(/^<CustomerDataKey[0-9A-F]+\.Arn>$/)]);
    }
  });

  test('no IAM policy anywhere in the stack uses Resource "*" except for actions without a resource', () => {
    for (const s of statementsOf(template, () => true)) {
      if (s.resources.includes('*')) {
        expect(s.actions.filter((a) => !NO_RESOURCE_ACTIONS.has(a))).toEqual([]);
      }
    }
  });

  test('the Provider framework roles may invoke only the handler, the framework functions and the waiter', () => {
    const frameworkRoles = Object.keys(template.findResources('AWS::IAM::Role')).filter((id) => /^CustomerProfilesProvider(framework|waiter)/.test(id));
    // The onEvent function's role, the role isComplete and onTimeout share, and the waiter's role.
    expect(frameworkRoles).toHaveLength(3);
    const stmts = statementsOf(template, (p) => (p.Properties.Roles as Json[]).some((r) => frameworkRoles.includes(r.Ref)));
    for (const s of stmts) {
      expect(s.actions.every((a) => /^(lambda:InvokeFunction|lambda:GetFunction|states:StartExecution)$/.test(a))).toBe(true);
      for (const r of s.resources) {
        // A function ARN, optionally with its version qualifier, or the waiter state machine.
        expect(r).toMatch(/^<CustomerProfilesProvider[A-Za-z0-9]+(\.Arn>(:\*)?|>)$/);
      }
    }
  });
});

describe('least privilege with several domains and an imported domain', () => {
  test('each construct\'s statements name its own domain only; children of an imported domain by their exact ARNs', () => {
    const stack = new Stack(new App(), 'Two', { env: ENV });
    const a = new Domain(stack, 'A', { domainName: 'domain-a', dataStore: DataStore.enabled() });
    const b = Domain.fromDomainName(stack, 'B', 'domain-b');
    new DomainObjectType(stack, 'OrdersA', { domain: a, objectTypeName: 'orders', fields: { Id: { source: '_source.Id', target: '_o.Id' } } });
    new Recommender(stack, 'RecsB', { domain: b, recommenderName: 'recs', recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU });
    new SegmentDefinition(stack, 'SegB', { domain: b, segmentDefinitionName: 'gold', displayName: 'Gold', query: SegmentQuery.sql('SELECT * FROM _profile') });
    const statements = providerStatements(Template.fromStack(stack));
    const arn = (d: string, rest = '') => `arn:aws:profile:eu-west-1:111122223333:domains/${d}${rest}`;
    const resourcesFor = (action: string) => new Set(statements.filter((s) => s.actions.includes(action)).flatMap((s) => s.resources));
    expect(resourcesFor('profile:PutDomainObjectType')).toEqual(new Set([arn('domain-a', '/domain-object-types/*'), arn('domain-a')]));
    expect(resourcesFor('profile:CreateRecommender')).toEqual(new Set([arn('domain-b', '/recommenders/recs'), arn('domain-b')]));
    expect(resourcesFor('profile:CreateSegmentDefinition')).toEqual(new Set([arn('domain-b', '/segment-definitions/gold'), arn('domain-b')]));
    // The imported domain is never created, updated or deleted by this stack.
    expect(resourcesFor('profile:DeleteDomain')).toEqual(new Set([arn('domain-a')]));
    expect([...resourcesFor('profile:CreateSegmentEstimate')]).toEqual([arn('domain-b')]);
    for (const s of statements) {
      for (const r of s.resources.filter((x) => x.includes('*'))) expect(r).toBe(arn('domain-a', '/domain-object-types/*'));
    }
  });

  test('children in another stack than their domain name each child exactly (that stack\'s handler does not manage the domain)', () => {
    const app = new App();
    const platform = new Stack(app, 'Platform', { env: ENV });
    const domain = new Domain(platform, 'Customers', { domainName: 'customers', dataStore: DataStore.enabled() });
    const team = new Stack(app, 'Team', { env: ENV });
    new Recommender(team, 'Recs', { domain, recommenderName: 'recs', recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU });
    const teamTemplate = Template.fromStack(team);
    const statements = providerStatements(teamTemplate);
    const resources = statements.flatMap((s) => s.resources);
    // Its Config references the domain's name (an import of the platform stack's export).
    expect(JSON.stringify(Object.values(teamTemplate.findResources(ResourceTypes.RECOMMENDER))[0].Properties.DomainName)).toContain('Fn::ImportValue');
    expect(resources).toContain('arn:aws:profile:eu-west-1:111122223333:domains/customers/recommenders/recs');
    expect(resources.join(' ')).not.toContain('*');
  });

  test('the provider policy stays the same size however many children a domain of the stack has', () => {
    const sizes = [1, 40].map((n) => {
      const stack = new Stack(new App(), 'Many', { env: ENV });
      const domain = new Domain(stack, 'Customers', { domainName: 'customers', dataStore: DataStore.enabled() });
      for (let i = 0; i < n; i++) {
        domain.addObjectType(`T${i}`, { objectTypeName: `t${i}`, fields: { Id: { source: '_source.Id', target: '_o.Id' } } });
        domain.addRecommender(`R${i}`, { recommenderName: `r${i}`, recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU });
        domain.addSegment(`S${i}`, { segmentDefinitionName: `s${i}`, displayName: `S${i}`, query: SegmentQuery.sql('SELECT * FROM _profile') });
      }
      const template = Template.fromStack(stack);
      expect(Object.keys(template.findResources('AWS::IAM::ManagedPolicy'))).toEqual([]);
      return JSON.stringify(providerStatements(template)).length;
    });
    expect(sizes[1]).toBe(sizes[0]);
  });
});

/**
 * CloudFormation applies the new template's policy during an update and deletes removed and
 * replaced resources afterwards, in cleanup, under that policy. The handler's get and delete
 * permissions must therefore not follow the children the template still declares: they are
 * granted on everything the stack created, recognised by its owner marker.
 */
describe('get and delete on what the stack created, whatever the template still declares', () => {
  const STACK_ID = 'arn:aws:cloudformation:eu-west-1:111122223333:stack/Owned/5f1c9f80-1234-11ef-8a2b-0a1b2c3d4e5f';

  /** The condition's value as CloudFormation resolves it in the stack `STACK_ID`. */
  function resolvedPattern(condition: Json): string {
    const ctx: ResolveContext = {
      parameters: { 'AWS::StackId': STACK_ID, 'AWS::Partition': 'aws' },
      ref: () => undefined,
      getAtt: () => { throw new Error('no GetAtt expected'); },
      importValue: () => { throw new Error('no import expected'); },
      condition: () => false,
    };
    return resolveValue(condition.StringLike[`aws:ResourceTag/${OWNER_TAG_KEY}`], ctx) as string;
  }

  /** IAM's StringLike: `*` any characters, `?` one. */
  const like = (pattern: string, value: string) =>
    new RegExp(`^${pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&'))).join('')}$`).test(value);

  function stackWith(build: (stack: Stack) => void): Template {
    const stack = new Stack(new App(), 'Owned', { env: ENV });
    build(stack);
    return Template.fromStack(stack);
  }

  test('one statement grants exactly the delete path\'s get and delete actions on every domain and child, only with the stack\'s marker', () => {
    const owned = ownedStatements(stackWith((stack) => new Domain(stack, 'Customers', { domainName: 'customers' })));
    expect(owned).toHaveLength(1);
    expect(owned[0].actions.sort()).toEqual([...CLEANUP_ACTIONS].sort());
    expect(owned[0].actions.sort()).toEqual([
      'profile:DeleteDomain', 'profile:DeleteDomainObjectType', 'profile:DeleteRecommender', 'profile:DeleteSegmentDefinition',
      'profile:GetDomain', 'profile:GetDomainObjectType', 'profile:GetRecommender', 'profile:GetSegmentDefinition',
    ]);
    expect(owned[0].resources).toEqual(['arn:aws:profile:eu-west-1:111122223333:domains/*']);
    expect(Object.keys(owned[0].condition)).toEqual(['StringLike']);
    expect(Object.keys(owned[0].condition.StringLike)).toEqual([`aws:ResourceTag/${OWNER_TAG_KEY}`]);
  });

  test('the condition matches the marker of every resource of this stack and no other stack\'s (nor an earlier stack of the same name)', () => {
    const owned = ownedStatements(stackWith((stack) => new Domain(stack, 'Customers', { domainName: 'customers' })));
    const pattern = resolvedPattern(owned[0].condition);
    expect(pattern).toBe('Owned/5f1c9f80-1234-11ef-8a2b-0a1b2c3d4e5f/*');
    expect(like(pattern, ownerMarker(STACK_ID, 'CustomersRecsA1B2C3D4'))).toBe(true);
    expect(like(pattern, ownerMarker(STACK_ID, `Long${'x'.repeat(300)}`))).toBe(true);
    expect(like(pattern, ownerMarker(STACK_ID.replace('5f1c9f80', '00000000'), 'CustomersRecsA1B2C3D4'))).toBe(false);
    expect(like(pattern, ownerMarker(STACK_ID.replace('stack/Owned/', 'stack/Other/'), 'CustomersRecsA1B2C3D4'))).toBe(false);
    expect(like(pattern, 'someone-else')).toBe(false);
  });

  test.each<[string, (stack: Stack) => void]>([
    ['a domain alone', (stack) => { new Domain(stack, 'Customers', { domainName: 'customers', dataStore: DataStore.enabled() }); }],
    ['a domain with a recommender', (stack) => {
      const d = new Domain(stack, 'Customers', { domainName: 'customers', dataStore: DataStore.enabled() });
      d.addRecommender('Recs', { recommenderName: 'recs', recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU });
    }],
    ['a renamed domain with children', (stack) => {
      const d = new Domain(stack, 'Customers', { domainName: 'customers-v2', dataStore: DataStore.enabled() });
      d.addObjectType('Orders', { objectTypeName: 'orders', fields: { Id: { source: '_source.Id', target: '_o.Id' } } });
    }],
    ['a segment of an imported domain', (stack) => {
      new SegmentDefinition(stack, 'Gold', { domain: Domain.fromDomainName(stack, 'D', 'imported'), displayName: 'Gold', query: SegmentQuery.sql('SELECT * FROM _profile') });
    }],
  ])('the statement is the same in every template of the stack (%s): removing or renaming children does not remove it', (_name, build) => {
    const reference = ownedStatements(stackWith((stack) => { new Domain(stack, 'Customers', { domainName: 'customers' }); }));
    expect(ownedStatements(stackWith(build))).toEqual(reference);
  });

  test('the domain half of a child delete on an imported domain is granted while the template declares any child of it, without the domain\'s own actions', () => {
    // The service authorizes a child action on the child's ARN and the domain's. An imported domain
    // carries no marker of this stack: one statement grants the child get/delete actions on each
    // imported domain's ARN (the child's ARN half is the marker-conditioned statement).
    const statements = providerStatements(stackWith((stack) => {
      const imported = Domain.fromDomainName(stack, 'D', 'imported');
      new DomainObjectType(stack, 'Orders', { domain: imported, objectTypeName: 'orders', fields: { Id: { source: '_source.Id', target: '_o.Id' } } });
      new DomainObjectType(stack, 'Items', { domain: imported, objectTypeName: 'items', fields: { Id: { source: '_source.Id', target: '_o.Id' } } });
      new DomainObjectType(stack, 'Other', { domain: Domain.fromDomainName(stack, 'E', 'other'), objectTypeName: 'orders', fields: { Id: { source: '_source.Id', target: '_o.Id' } } });
    }));
    const arn = (d: string) => `arn:aws:profile:eu-west-1:111122223333:domains/${d}`;
    const childCleanup = CLEANUP_ACTIONS.filter((a) => !a.endsWith('Domain'));
    const domainHalf = statements.filter((s) => JSON.stringify([...s.actions].sort()) === JSON.stringify([...childCleanup].sort()));
    expect(domainHalf).toHaveLength(1);
    expect(domainHalf[0].resources).toEqual([arn('imported'), arn('other')]);
    // With only the domain half, no child is reachable: its own ARN is not granted by it.
    expect(domainHalf[0].resources.some((r) => r.includes('*'))).toBe(false);
    expect(statements.filter((s) => s.actions.includes('profile:DeleteDomain'))).toEqual([]);
  });
});

describe('least privilege of the provider role (example personalization stack, on the platform\'s domain by name)', () => {
  const template = Template.fromStack(new PersonalizationStack(new App(), 'Personalization', { env: ENV }));
  const statements = providerStatements(template);
  const domainArn = 'arn:aws:profile:eu-west-1:111122223333:domains/retail-customers';
  const recommenders = ['for-you', 'similar-items', 'trending-now'].map((n) => `${domainArn}/recommenders/${n}`);

  test('no wildcard: the domain is not this stack\'s, so each child is named by its exact ARN', () => {
    expect(statements.length).toBeGreaterThan(0);
    expect(statements.flatMap((s) => s.resources).filter((r) => r.includes('*'))).toEqual([]);
  });

  test('recommenders are deleted on their exact ARNs and the domain\'s (the service checks both), never the domain itself', () => {
    const resources = statements.filter((s) => s.actions.includes('profile:DeleteRecommender')).flatMap((s) => s.resources);
    expect(new Set(resources)).toEqual(new Set([...recommenders, domainArn]));
    expect(statements.filter((s) => s.actions.includes('profile:DeleteDomain') || s.actions.includes('profile:CreateDomain'))).toEqual([]);
  });

  test('segment definitions are deleted on their exact ARNs and the domain\'s', () => {
    const resources = statements.filter((s) => s.actions.includes('profile:DeleteSegmentDefinition')).flatMap((s) => s.resources);
    expect(resources).toContain(domainArn);
    const segments = resources.filter((r) => r !== domainArn);
    expect(segments.length).toBe(2);
    for (const r of segments) expect(r).toMatch(new RegExp(`^${domainArn}/segment-definitions/[A-Za-z0-9_-]+$`));
  });
});
