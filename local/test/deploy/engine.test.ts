import { LocalDeployEngine, StackInput } from '../../src/deploy/engine';
import { EngineEvent, StackEvent } from '../../src/deploy/events';
import { CREATE_FAILED_PHYSICAL_ID_MARKER } from '../../src/deploy/provider-runtime';
import { DeploymentState, emptyState } from '../../src/deploy/state';
import { CfnTemplate } from '../../src/deploy/template';
import { DOMAIN_TYPE, FakeHandler, OBJECT_TYPE, RECOMMENDER_TYPE, template } from '../helpers/deploy-fake-handler';

interface EngineExtras {
  events?: EngineEvent[];
  queryIntervalMs?: number;
  totalTimeoutMs?: number;
  progress?: () => string;
}

function engine(handler: FakeHandler, extra: EngineExtras = {}) {
  return new LocalDeployEngine({
    handler,
    queryIntervalMs: extra.queryIntervalMs ?? 1,
    totalTimeoutMs: extra.totalTimeoutMs,
    progress: extra.progress,
    progressIntervalMs: 0,
    onEvent: (e) => extra.events?.push(e),
  });
}

function stack(t: CfnTemplate, name = 'Customers', dependencies: string[] = []): StackInput {
  return { stackName: name, template: t, dependencies };
}

function statuses(events: EngineEvent[], logicalId?: string): string[] {
  return events
    .filter((e): e is StackEvent => e.kind === 'event' && (logicalId === undefined || e.logicalId === logicalId))
    .map((e) => (logicalId === undefined ? `${e.logicalId} ${e.status}` : e.status));
}

const domainAndType = () => template({
  Domain: { Properties: { Name: 'shop' } },
  Orders: {
    Type: OBJECT_TYPE,
    Properties: { Name: 'orders', Domain: { Ref: 'Domain' }, DomainArn: { 'Fn::GetAtt': ['Domain', 'Arn'] } },
  },
});

describe('ordering and intrinsics', () => {
  test('creates resources after the resources they reference or depend on', async () => {
    const handler = new FakeHandler();
    const t = template({
      Segment: { Type: RECOMMENDER_TYPE, Properties: { Name: 'seg', D: { 'Fn::GetAtt': ['Orders', 'Name'] } } },
      Orders: { Type: OBJECT_TYPE, Properties: { Name: 'orders' }, DependsOn: 'Domain' },
      Domain: { Properties: { Name: 'shop' } },
    });
    const result = await engine(handler).deploy([stack(t)], emptyState());
    expect(result.success).toBe(true);
    expect(handler.log).toEqual(['Create Domain', 'Create Orders', 'Create Segment']);
    expect(result.stacks[0].status).toBe('CREATE_COMPLETE');
  });

  test('resolves Ref, GetAtt, Join, Select, Split, Sub and pseudo parameters', async () => {
    const handler = new FakeHandler();
    const t = template({
      Domain: { Properties: { Name: 'shop' } },
      Other: {
        Type: OBJECT_TYPE,
        Properties: {
          Name: 'other',
          Joined: { 'Fn::Join': ['/', [{ Ref: 'Domain' }, { 'Fn::GetAtt': ['Domain', 'Arn'] }, { Ref: 'AWS::Region' }]] },
          Selected: { 'Fn::Select': [1, { 'Fn::Split': [':', 'a:b:c'] }] },
          Sub: { 'Fn::Sub': 'arn:${AWS::Partition}:profile:${AWS::Region}:${AWS::AccountId}:domains/${Domain}/${Domain.Name}/${!Literal}' },
          SubVars: { 'Fn::Sub': ['${X}-${AWS::StackName}', { X: { Ref: 'Domain' } }] },
          QueueUrl: { Ref: 'Queue' },
          QueueArn: { 'Fn::GetAtt': ['Queue', 'Arn'] },
          Count: 7,
          Flag: true,
          Gone: { Ref: 'AWS::NoValue' },
        },
      },
      Queue: { Type: 'AWS::SQS::Queue', Properties: {} },
    });
    const result = await engine(handler).deploy([stack(t)], emptyState());
    expect(result.success).toBe(true);
    const props = handler.calls.find((c) => c.logicalId === 'Other')!.properties;
    expect(props.Joined).toBe('shop/arn:fake:shop/us-east-1');
    expect(props.Selected).toBe('b');
    expect(props.Sub).toBe('arn:aws:profile:us-east-1:123456789012:domains/shop/shop/${Literal}');
    expect(props.SubVars).toBe('shop-Customers');
    expect(props.QueueUrl).toMatch(/^https:\/\/sqs\.us-east-1\.amazonaws\.com\/123456789012\/Customers-Queue-/);
    expect(props.QueueArn).toMatch(/^arn:aws:sqs:us-east-1:123456789012:Customers-Queue-/);
    // CloudFormation hands custom resources numbers and booleans as strings.
    expect(props.Count).toBe('7');
    expect(props.Flag).toBe('true');
    expect(props).not.toHaveProperty('Gone');
    expect(props.ServiceToken).toMatch(/^arn:aws:lambda:us-east-1:123456789012:function:/);
  });

  test('honours Conditions and Fn::If', async () => {
    const handler = new FakeHandler();
    const t = template({
      Domain: { Properties: { Name: { 'Fn::If': ['IsUsEast1', 'east', 'west'] } } },
      Skipped: { Properties: { Name: 'skipped' } },
    }, { Conditions: { IsUsEast1: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] }, Never: { 'Fn::Not': [{ Condition: 'IsUsEast1' }] } } });
    (t.Resources!.Skipped as { Condition?: string }).Condition = 'Never';
    const result = await engine(handler).deploy([stack(t)], emptyState());
    expect(result.success).toBe(true);
    expect(handler.log).toEqual(['Create Domain']);
    expect(result.state.stacks.Customers.resources.Domain.physicalId).toBe('east');
  });

  test('fails on a dependency cycle before calling the handler', async () => {
    const handler = new FakeHandler();
    const t = template({
      A: { Properties: { Name: 'a', B: { Ref: 'B' } } },
      B: { Properties: { Name: 'b', A: { Ref: 'A' } } },
    });
    const result = await engine(handler).deploy([stack(t)], emptyState());
    expect(result.success).toBe(false);
    expect(result.stacks[0].reason).toMatch(/Circular dependency/);
    expect(handler.calls).toHaveLength(0);
  });

  test('reports resource types that are not ours as not emulated, with placeholder attributes', async () => {
    const handler = new FakeHandler();
    const t = template({
      Domain: { Properties: { Name: 'shop', RoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] } } },
      Role: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'my-role' } },
    });
    const result = await engine(handler).deploy([stack(t)], emptyState());
    expect(result.stacks[0].notEmulated.map((n) => n.resourceType).sort()).toEqual(['AWS::IAM::Role', 'AWS::Lambda::Function']);
    expect(handler.calls[0].properties.RoleArn).toBe('arn:aws:iam::123456789012:role/my-role');
    const roleEvent = result.events.find((e) => e.kind === 'event' && e.logicalId === 'Role' && e.status === 'CREATE_COMPLETE') as StackEvent;
    expect(roleEvent.reason).toBe('not emulated: placeholder attributes');
  });

  test('starts independent resources in parallel and dependents only after them', async () => {
    const handler = new FakeHandler();
    handler.behaviour = { latencyMs: 40 };
    const t = template({
      A: { Properties: { Name: 'a' } },
      B: { Properties: { Name: 'b' } },
      C: { Properties: { Name: 'c', A: { Ref: 'A' }, B: { Ref: 'B' } } },
    });
    const result = await engine(handler).deploy([stack(t)], emptyState());
    expect(result.success).toBe(true);
    expect(handler.maxInFlight).toBe(2);
    const startOf = (id: string) => handler.calls.find((c) => c.logicalId === id && c.kind === 'onEvent')!.at;
    expect(startOf('C')).toBeGreaterThanOrEqual(Math.max(startOf('A'), startOf('B')) + 35);
  });
});

describe('Provider framework rules', () => {
  test('a Create without a physical id gets the RequestId; an Update without one keeps the old id', async () => {
    const handler = new FakeHandler();
    handler.behaviour = { omitPhysicalId: true };
    const eng = engine(handler);
    const first = await eng.deploy([stack(template({ Domain: { Properties: { Name: 'shop', V: 1 } } }))], emptyState());
    const created = first.state.stacks.Customers.resources.Domain.physicalId;
    expect(created).toMatch(/^[0-9a-f-]{36}$/);
    const second = await eng.deploy([stack(template({ Domain: { Properties: { Name: 'shop', V: 2 } } }))], first.state);
    expect(second.state.stacks.Customers.resources.Domain.physicalId).toBe(created);
    expect(second.stacks[0].replaced).toEqual([]);
  });

  test('merges Data from onEvent and isComplete; GetAtt reads the merged attributes', async () => {
    const handler = new FakeHandler();
    handler.behaviour = { completeData: { Status: 'ACTIVE' }, polls: 2 };
    const t = template({
      Recs: { Type: RECOMMENDER_TYPE, Properties: { Name: 'recs' } },
      User: { Type: OBJECT_TYPE, Properties: { Name: 'user', S: { 'Fn::GetAtt': ['Recs', 'Status'] }, A: { 'Fn::GetAtt': ['Recs', 'Arn'] } } },
    });
    const result = await engine(handler).deploy([stack(t)], emptyState());
    expect(result.success).toBe(true);
    expect(result.state.stacks.Customers.resources.Recs.attributes).toEqual({ Name: 'recs', Arn: 'arn:fake:recs', Status: 'ACTIVE' });
    const user = handler.calls.find((c) => c.logicalId === 'User')!.properties;
    expect(user.S).toBe('ACTIVE');
    expect(user.A).toBe('arn:fake:recs');
    expect(handler.calls.filter((c) => c.kind === 'isComplete' && c.logicalId === 'Recs')).toHaveLength(3);
  });

  test('fails a resource whose response lacks an attribute the template reads', async () => {
    const handler = new FakeHandler();
    const t = template({
      Domain: { Properties: { Name: 'shop' } },
      Orders: { Type: OBJECT_TYPE, Properties: { Name: 'orders', X: { 'Fn::GetAtt': ['Domain', 'Missing'] } } },
    });
    const result = await engine(handler).deploy([stack(t)], emptyState());
    expect(result.success).toBe(false);
    expect(result.stacks[0].reason).toMatch(/Vendor response doesn't contain Missing key/);
    expect(statuses(result.events, 'Domain')).toEqual(['CREATE_IN_PROGRESS', 'CREATE_FAILED', 'DELETE_IN_PROGRESS', 'DELETE_COMPLETE']);
  });

  test('fails with "Operation timed out" when isComplete never completes within totalTimeout', async () => {
    const handler = new FakeHandler();
    handler.behaviour = { neverComplete: true };
    const result = await engine(handler, { queryIntervalMs: 5, totalTimeoutMs: 40 }).deploy([stack(template({ Domain: { Properties: { Name: 'shop' } } }))], emptyState());
    expect(result.success).toBe(false);
    expect(result.stacks[0].reason).toMatch(/Operation timed out/);
    // The resource had an id from onEvent, so the rollback deletes it.
    expect(handler.log).toEqual(['Create Domain', 'Delete Domain']);
  });

  test('rejects responses over 4096 bytes', async () => {
    const handler = new FakeHandler();
    handler.behaviour = { completeData: { Big: 'x'.repeat(5000) } };
    const result = await engine(handler).deploy([stack(template({ Domain: { Properties: { Name: 'shop' } } }))], emptyState());
    expect(result.success).toBe(false);
    expect(result.stacks[0].reason).toMatch(/Response object is too long/);
  });

  test('emits readiness progress between polls, once per distinct message', async () => {
    const handler = new FakeHandler();
    handler.behaviour = { polls: 3 };
    const events: EngineEvent[] = [];
    let n = 0;
    const progress = () => `data store ${Math.min(100, ++n * 50)}%`;
    await engine(handler, { events, progress }).deploy([stack(template({ Domain: { Properties: { Name: 'shop' } } }))], emptyState());
    const lines = events.filter((e) => e.kind === 'progress').map((e) => (e.kind === 'progress' ? e.message : ''));
    expect(lines).toEqual(['data store 50%', 'data store 100%']);
  });
});

describe('updates, replacement and retention', () => {
  async function deployed(handler: FakeHandler, t: CfnTemplate = domainAndType()): Promise<DeploymentState> {
    const result = await engine(handler).deploy([stack(t)], emptyState());
    expect(result.success).toBe(true);
    handler.calls.length = 0;
    return result.state;
  }

  test('a second deploy of the same app changes nothing', async () => {
    const handler = new FakeHandler();
    const state = await deployed(handler);
    const result = await engine(handler).deploy([stack(domainAndType())], state);
    expect(result.success).toBe(true);
    expect(handler.calls).toHaveLength(0);
    expect(result.stacks[0].status).toBe('UPDATE_COMPLETE');
  });

  test('an update sends the new and old properties with the physical id', async () => {
    const handler = new FakeHandler();
    const state = await deployed(handler);
    const t = domainAndType();
    (t.Resources!.Domain.Properties as Record<string, unknown>).Expiration = 30;
    const result = await engine(handler).deploy([stack(t)], state);
    expect(result.success).toBe(true);
    expect(handler.log).toEqual(['Update Domain']);
    const call = handler.calls[0];
    expect(call.physicalId).toBe('shop');
    expect(call.properties.Expiration).toBe('30');
    expect(call.oldProperties).not.toHaveProperty('Expiration');
    expect(result.stacks[0].updated).toEqual(['Domain']);
  });

  test('a replacement deletes the old physical resource after every update succeeded', async () => {
    const handler = new FakeHandler();
    const state = await deployed(handler);
    const t = domainAndType();
    (t.Resources!.Orders.Properties as Record<string, unknown>).Name = 'orders-v2';
    const result = await engine(handler).deploy([stack(t)], state);
    expect(result.success).toBe(true);
    expect(handler.log).toEqual(['Update Orders', 'Delete Orders']);
    const del = handler.calls.find((c) => c.requestType === 'Delete')!;
    expect(del.physicalId).toBe('orders');
    expect(del.properties.Name).toBe('orders');
    expect(result.stacks[0].replaced).toEqual(['Orders']);
    expect(statuses(result.events, 'Customers')).toEqual(['UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_COMPLETE']);
    expect([...handler.live.keys()].sort()).toEqual(['orders-v2', 'shop']);
  });

  test('UpdateReplacePolicy Retain keeps the replaced physical resource', async () => {
    const handler = new FakeHandler();
    const t1 = domainAndType();
    (t1.Resources!.Orders as { UpdateReplacePolicy?: string }).UpdateReplacePolicy = 'Retain';
    const state = await deployed(handler, t1);
    const t2 = JSON.parse(JSON.stringify(t1)) as CfnTemplate;
    (t2.Resources!.Orders.Properties as Record<string, unknown>).Name = 'orders-v2';
    const result = await engine(handler).deploy([stack(t2)], state);
    expect(handler.log).toEqual(['Update Orders']);
    expect(result.stacks[0].retained).toEqual(['Orders']);
    expect(statuses(result.events, 'Orders')).toContain('DELETE_SKIPPED');
  });

  test('a resource removed from the template is deleted, unless its DeletionPolicy is Retain', async () => {
    const handler = new FakeHandler();
    const t1 = template({
      Domain: { Properties: { Name: 'shop' } },
      Kept: { Properties: { Name: 'kept' }, DeletionPolicy: 'Retain' },
      Dropped: { Properties: { Name: 'dropped' } },
    });
    const state = await deployed(handler, t1);
    const result = await engine(handler).deploy([stack(template({ Domain: { Properties: { Name: 'shop' } } }))], state);
    expect(result.success).toBe(true);
    expect(handler.log).toEqual(['Delete Dropped']);
    expect(result.stacks[0].deleted).toEqual(['Dropped']);
    expect(result.stacks[0].retained).toEqual(['Kept']);
    expect(Object.keys(result.state.stacks.Customers.resources).sort()).toEqual(['Domain', 'ProviderframeworkonEvent']);
  });

  test('refuses to change a resource type', async () => {
    const handler = new FakeHandler();
    const state = await deployed(handler);
    const t = domainAndType();
    (t.Resources!.Orders as { Type: string }).Type = RECOMMENDER_TYPE;
    const result = await engine(handler).deploy([stack(t)], state);
    expect(result.success).toBe(false);
    expect(result.stacks[0].reason).toMatch(/Update of resource type is not permitted/);
    expect(handler.calls).toHaveLength(0);
    expect(result.state).toEqual(state);
  });

  test('destroy deletes dependents first and keeps retained resources', async () => {
    const handler = new FakeHandler();
    const t = domainAndType();
    (t.Resources!.Domain as { DeletionPolicy?: string }).DeletionPolicy = 'Retain';
    const state = await deployed(handler, t);
    const result = await engine(handler).destroy(state);
    expect(result.success).toBe(true);
    expect(handler.log).toEqual(['Delete Orders']);
    expect(result.stacks[0].retained).toEqual(['Domain']);
    expect(result.state.stacks).toEqual({});
    expect([...handler.live.keys()]).toEqual(['shop']);
  });
});

describe('rollback', () => {
  test('a failed create deletes what was created, in reverse order, and forgets the stack', async () => {
    const handler = new FakeHandler();
    handler.behaviour = { failOnEvent: { logicalId: 'Recs', requestType: 'Create', message: 'recipe unknown' } };
    const t = template({
      Domain: { Properties: { Name: 'shop' } },
      Orders: { Type: OBJECT_TYPE, Properties: { Name: 'orders', D: { Ref: 'Domain' } } },
      Recs: { Type: RECOMMENDER_TYPE, Properties: { Name: 'recs', D: { Ref: 'Orders' } } },
    });
    const events: EngineEvent[] = [];
    const result = await engine(handler, { events }).deploy([stack(t)], emptyState());
    expect(result.success).toBe(false);
    expect(result.stacks[0].status).toBe('ROLLBACK_COMPLETE');
    expect(result.stacks[0].reason).toBe('The following resource(s) failed to create: [Recs]. recipe unknown');
    // The failed Create had no physical id: the framework's marker makes its Delete a no-op.
    expect(handler.log).toEqual(['Create Domain', 'Create Orders', 'Create Recs', 'Delete Orders', 'Delete Domain']);
    expect(events.some((e) => e.kind === 'event' && e.physicalId === CREATE_FAILED_PHYSICAL_ID_MARKER)).toBe(true);
    expect(result.state.stacks).toEqual({});
    expect(handler.live.size).toBe(0);
  });

  test('a failed isComplete on create deletes the resource it started', async () => {
    const handler = new FakeHandler();
    handler.behaviour = { failIsComplete: { logicalId: 'Domain', message: 'Data store FAILED: quota' } };
    const result = await engine(handler).deploy([stack(template({ Domain: { Properties: { Name: 'shop' } } }))], emptyState());
    expect(result.stacks[0].reason).toMatch(/Data store FAILED: quota/);
    expect(handler.log).toEqual(['Create Domain', 'Delete Domain']);
    expect(handler.calls.find((c) => c.requestType === 'Delete')!.physicalId).toBe('shop');
  });

  test('a failed update reverses updated resources, deletes created ones and keeps the old state', async () => {
    const handler = new FakeHandler();
    const first = await engine(handler).deploy([stack(domainAndType())], emptyState());
    handler.calls.length = 0;
    handler.behaviour = { failOnEvent: { logicalId: 'Recs', requestType: 'Create' } };
    const t = domainAndType();
    (t.Resources!.Domain.Properties as Record<string, unknown>).Expiration = 30;
    t.Resources!.Extra = { Type: OBJECT_TYPE, Properties: { ServiceToken: { 'Fn::GetAtt': ['ProviderframeworkonEvent', 'Arn'] }, Name: 'extra', D: { Ref: 'Domain' } } };
    t.Resources!.Recs = { Type: RECOMMENDER_TYPE, Properties: { ServiceToken: { 'Fn::GetAtt': ['ProviderframeworkonEvent', 'Arn'] }, Name: 'recs', D: { Ref: 'Extra' } } };
    const result = await engine(handler).deploy([stack(t)], first.state);
    expect(result.success).toBe(false);
    expect(result.stacks[0].status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(handler.log).toEqual(['Update Domain', 'Create Extra', 'Create Recs', 'Update Domain', 'Delete Extra']);
    const reverse = handler.calls.filter((c) => c.kind === 'onEvent' && c.requestType === 'Update')[1];
    expect(reverse.properties).not.toHaveProperty('Expiration');
    expect(reverse.oldProperties!.Expiration).toBe('30');
    expect(result.state.stacks.Customers.resources).toEqual(first.state.stacks.Customers.resources);
    expect(result.state.stacks.Customers.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  });

  test('a failed update after a replacement deletes the new resource and keeps the old one', async () => {
    const handler = new FakeHandler();
    const first = await engine(handler).deploy([stack(domainAndType())], emptyState());
    handler.calls.length = 0;
    handler.behaviour = { failOnEvent: { logicalId: 'Recs', requestType: 'Create' } };
    const t = domainAndType();
    (t.Resources!.Orders.Properties as Record<string, unknown>).Name = 'orders-v2';
    t.Resources!.Recs = { Type: RECOMMENDER_TYPE, Properties: { ServiceToken: { 'Fn::GetAtt': ['ProviderframeworkonEvent', 'Arn'] }, Name: 'recs', D: { Ref: 'Orders' } } };
    const result = await engine(handler).deploy([stack(t)], first.state);
    expect(handler.log).toEqual(['Update Orders', 'Create Recs', 'Delete Orders']);
    expect(handler.calls.find((c) => c.requestType === 'Delete')!.physicalId).toBe('orders-v2');
    expect([...handler.live.keys()].sort()).toEqual(['orders', 'shop']);
    expect(result.state.stacks.Customers.resources.Orders.physicalId).toBe('orders');
  });
});

describe('apps with several stacks', () => {
  const shared = () => template({ Domain: { Properties: { Name: 'shop' } } }, {
    Outputs: { DomainName: { Value: { Ref: 'Domain' }, Export: { Name: 'Shared:DomainName' } } },
  });
  const team = (name: string) => template({
    Orders: { Type: OBJECT_TYPE, Properties: { Name: name, Domain: { 'Fn::ImportValue': 'Shared:DomainName' } } },
  });

  test('deploys stacks in dependency order and resolves Fn::ImportValue', async () => {
    const handler = new FakeHandler();
    const result = await engine(handler).deploy([stack(team('orders'), 'TeamA', ['Shared']), stack(shared(), 'Shared')], emptyState());
    expect(result.success).toBe(true);
    expect(result.stacks.map((s) => s.stackName)).toEqual(['Shared', 'TeamA']);
    expect(handler.calls.find((c) => c.logicalId === 'Orders')!.properties.Domain).toBe('shop');
    expect(result.state.stacks.Shared.exports).toEqual({ 'Shared:DomainName': 'shop' });
    expect(result.stacks[0].outputs).toEqual({ DomainName: 'shop' });
  });

  test('a missing export fails the importing stack', async () => {
    const handler = new FakeHandler();
    const result = await engine(handler).deploy([stack(team('orders'), 'TeamA')], emptyState());
    expect(result.success).toBe(false);
    expect(result.stacks[0].reason).toMatch(/No export named Shared:DomainName found/);
  });

  test('an export in use cannot be changed, and its stack cannot be destroyed alone', async () => {
    const handler = new FakeHandler();
    const first = await engine(handler).deploy([stack(shared(), 'Shared'), stack(team('orders'), 'TeamA', ['Shared'])], emptyState());
    const changed = template({ Domain: { Properties: { Name: 'shop2' } } }, {
      Outputs: { DomainName: { Value: { Ref: 'Domain' }, Export: { Name: 'Shared:DomainName' } } },
    });
    const update = await engine(handler).deploy([stack(changed, 'Shared')], first.state);
    expect(update.success).toBe(false);
    expect(update.stacks[0].reason).toMatch(/Export Shared:DomainName cannot be updated as it is in use by TeamA/);
    expect(update.state.stacks.Shared.resources.Domain.physicalId).toBe('shop');

    const alone = await engine(handler).destroy(first.state, ['Shared']);
    expect(alone.success).toBe(false);
    expect(alone.stacks[0].reason).toMatch(/cannot be deleted as it is in use by TeamA/);

    handler.calls.length = 0;
    const all = await engine(handler).destroy(first.state);
    expect(all.success).toBe(true);
    expect(all.stacks.map((s) => s.stackName)).toEqual(['TeamA', 'Shared']);
    expect(handler.log).toEqual(['Delete Orders', 'Delete Domain']);
  });

  test('stops at the first failed stack', async () => {
    const handler = new FakeHandler();
    handler.behaviour = { failOnEvent: { logicalId: 'Domain', requestType: 'Create' } };
    const result = await engine(handler).deploy([stack(shared(), 'Shared'), stack(team('orders'), 'TeamA', ['Shared'])], emptyState());
    expect(result.stacks.map((s) => s.stackName)).toEqual(['Shared']);
    expect(result.success).toBe(false);
  });
});

describe('plan', () => {
  test('lists creates, updates, deletes and values that may change', async () => {
    const handler = new FakeHandler();
    const eng = engine(handler);
    const initial = eng.plan([stack(domainAndType())], emptyState());
    expect(initial[0].action).toBe('create');
    const first = await eng.deploy([stack(domainAndType())], emptyState());
    expect(eng.plan([stack(domainAndType())], first.state)[0].action).toBe('no-change');
    const t = template({ Domain: { Properties: { Name: 'shop', V: 2 } }, Orders: { Type: OBJECT_TYPE, Properties: { Name: 'orders', Domain: { Ref: 'Domain' } } } });
    const plan = eng.plan([stack(t)], first.state)[0];
    const byId = Object.fromEntries(plan.changes.map((c) => [c.logicalId, c]));
    expect(byId.Domain.action).toBe('update');
    expect(byId.Orders.action).toBe('update');
    const t2 = template({ Domain: { Properties: { Name: 'shop', V: 2 } } });
    (t2.Resources as Record<string, unknown>).Orders = first.state.stacks.Customers.template.Resources!.Orders;
    const plan2 = eng.plan([stack(t2)], first.state)[0];
    expect(plan2.changes.find((c) => c.logicalId === 'Orders')).toMatchObject({ action: 'may-update', because: ['Domain'] });
    const plan3 = eng.plan([stack(template({}))], first.state)[0];
    expect(plan3.changes.filter((c) => c.action === 'delete').map((c) => c.logicalId).sort()).toEqual(['Domain', 'Orders']);
    expect(handler.calls.filter((c) => c.requestType !== 'Create')).toHaveLength(0);
    void DOMAIN_TYPE;
  });
});
