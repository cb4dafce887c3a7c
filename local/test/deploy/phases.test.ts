import { LocalDeployEngine, StackInput } from '../../src/deploy/engine';
import { EngineEvent, StackEvent } from '../../src/deploy/events';
import { IsCompleteRequest, IsCompleteResult } from '../../src/deploy/provider-runtime';
import { emptyState } from '../../src/deploy/state';
import { PolicyDocument } from '../../src/emulator/iam';
import { DOMAIN_TYPE, FakeHandler, RECOMMENDER_TYPE, ResourceSpec, template } from '../helpers/deploy-fake-handler';

/**
 * CloudFormation's order, as the engine plays it (issue #14 rule 2): the update phase in
 * dependency order, the handler role's policies being resources like any other, then cleanup
 * (removed resources and replaced physical ids) under the policies the update left; an update
 * rollback deletes every create that failed after it returned a physical id.
 */

/** One entry of the shared timeline: a push of identity policies, or a handler call. */
type Entry = { kind: 'iam'; resources: string[] | undefined; principal?: string } | { kind: 'call'; what: string };

/** The handler's role, its function and the framework function that names it (as aws-cdk-lib writes them). */
function handlerResources(policies: Record<string, string[]>, inline?: string[]): Record<string, ResourceSpec> {
  const out: Record<string, ResourceSpec> = {
    HandlerRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'lambda.amazonaws.com' } }] },
        ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']] }],
        ...(inline ? { Policies: [{ PolicyName: 'inline', PolicyDocument: document(inline) }] } : {}),
      },
    },
    Handler: { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': ['HandlerRole', 'Arn'] } } },
    ProviderframeworkonEvent: {
      Type: 'AWS::Lambda::Function',
      Properties: { Environment: { Variables: { USER_ON_EVENT_FUNCTION_ARN: { 'Fn::GetAtt': ['Handler', 'Arn'] } } } },
    },
  };
  for (const [id, resources] of Object.entries(policies)) {
    out[id] = { Type: 'AWS::IAM::Policy', Properties: { PolicyName: id, Roles: [{ Ref: 'HandlerRole' }], PolicyDocument: document(resources) } };
  }
  return out;
}

function document(resources: string[]) {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'profile:*', Resource: resources.map((r) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:profile:\${AWS::Region}:\${AWS::AccountId}:${r}` })) }] };
}

/** The resources the pushed documents allow, as `domains/...` suffixes. */
function allowed(policies: PolicyDocument[] | undefined): string[] | undefined {
  if (!policies) return undefined;
  return policies.flatMap((p) => (Array.isArray(p.Statement) ? p.Statement : [p.Statement]))
    .flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource ?? '']))
    .map((r) => r.replace(/^arn:aws:profile:us-east-1:123456789012:/, ''))
    .sort();
}

function setup(handler: FakeHandler, events: EngineEvent[] = []) {
  const timeline: Entry[] = [];
  const original = handler.onEvent.bind(handler);
  handler.onEvent = async (event) => {
    timeline.push({ kind: 'call', what: `${event.RequestType} ${event.LogicalResourceId}` });
    return original(event);
  };
  const engine = new LocalDeployEngine({
    handler,
    queryIntervalMs: 1,
    onEvent: (e) => events.push(e),
    identityPolicies: (policies, principal) => timeline.push({ kind: 'iam', resources: allowed(policies), principal }),
  });
  return { engine, timeline };
}

const stack = (resources: Record<string, ResourceSpec>): StackInput[] => [{ stackName: 'Customers', template: template(resources) }];

function statuses(events: EngineEvent[], logicalId: string): string[] {
  return events.filter((e): e is StackEvent => e.kind === 'event' && e.logicalId === logicalId).map((e) => e.status);
}

describe('the handler\'s identity policies follow the deployment', () => {
  test('are pushed as deployed: the role\'s inline policy, its attached policies, nothing from AWS managed ones; off when the operation ends', async () => {
    const handler = new FakeHandler();
    const { engine, timeline } = setup(handler);
    const result = await engine.deploy(stack({
      ...handlerResources({ HandlerPolicy: ['domains/shop'] }, ['domains/inline']),
      Shop: { Properties: { Name: 'shop' }, DependsOn: ['HandlerPolicy'] },
    }), emptyState());
    expect(result.success).toBe(true);
    const pushes = timeline.filter((e): e is Extract<Entry, { kind: 'iam' }> => e.kind === 'iam');
    // Before the role exists nothing is allowed; the role brings its inline policy, the policy its statement.
    expect(pushes[0].resources).toEqual([]);
    const beforeCreate = timeline.slice(0, timeline.findIndex((e) => e.kind === 'call' && e.what === 'Create Shop'));
    const inForce = beforeCreate.filter((e) => e.kind === 'iam').pop() as { resources: string[]; principal: string };
    expect(inForce.resources).toEqual(['domains/inline', 'domains/shop']);
    // The caller as the service names it: the role's session of the handler function.
    expect(inForce.principal).toMatch(/^arn:aws:sts::123456789012:assumed-role\/Customers-HandlerRole-[0-9A-F]+\/Customers-Handler-[0-9A-F]+$/);
    expect(pushes[pushes.length - 1].resources).toBeUndefined();
  });

  test('a template that names no handler role (a literal ServiceToken) leaves authorization off', async () => {
    const handler = new FakeHandler();
    const { engine, timeline } = setup(handler);
    const t = template({ Shop: { Properties: { Name: 'shop', ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:x' } } });
    await engine.deploy([{ stackName: 'Customers', template: t }], emptyState());
    const pushes = timeline.filter((e) => e.kind === 'iam').map((e) => (e as { resources?: string[] }).resources);
    expect(pushes.length).toBeGreaterThan(0);
    expect(pushes.every((r) => r === undefined)).toBe(true);
  });
});

describe('CloudFormation\'s order: update phase, then cleanup under the new policies', () => {
  test('the policy is updated before cleanup deletes a removed resource; a removed policy counts until it is deleted itself', async () => {
    const handler = new FakeHandler();
    const events: EngineEvent[] = [];
    const { engine, timeline } = setup(handler, events);
    const v1 = stack({
      ...handlerResources({ HandlerPolicy: ['domains/shop', 'domains/outlet'], OutletPolicy: ['domains/outlet-only'] }),
      Shop: { Properties: { Name: 'shop' }, DependsOn: ['HandlerPolicy'] },
      Outlet: { Type: RECOMMENDER_TYPE, Properties: { Name: 'outlet' }, DependsOn: ['HandlerPolicy', 'OutletPolicy'] },
    });
    const first = await engine.deploy(v1, emptyState());
    expect(first.success).toBe(true);
    timeline.length = 0;

    // v2 removes Outlet, its statement in HandlerPolicy, and OutletPolicy.
    const v2 = stack({
      ...handlerResources({ HandlerPolicy: ['domains/shop'] }),
      Shop: { Properties: { Name: 'shop' }, DependsOn: ['HandlerPolicy'] },
    });
    const second = await engine.deploy(v2, first.state);
    expect(second.stacks[0].status).toBe('UPDATE_COMPLETE');
    expect(second.stacks[0].deleted.sort()).toEqual(['Outlet', 'OutletPolicy']);

    const deleteAt = timeline.findIndex((e) => e.kind === 'call' && e.what === 'Delete Outlet');
    expect(deleteAt).toBeGreaterThan(0);
    const inForce = timeline.slice(0, deleteAt).filter((e) => e.kind === 'iam').pop() as { resources: string[] };
    // The new HandlerPolicy (no domains/outlet any more), and the removed OutletPolicy, not yet deleted.
    expect(inForce.resources).toEqual(['domains/outlet-only', 'domains/shop']);
    // Cleanup: the stack event order of CloudFormation, the policy deleted after the resource that depends on it.
    const stackStatuses = statuses(events, 'Customers');
    expect(stackStatuses.slice(-3)).toEqual(['UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_COMPLETE']);
    const order = events.filter((e): e is StackEvent => e.kind === 'event' && e.status === 'DELETE_COMPLETE').map((e) => e.logicalId);
    expect(order).toEqual(['Outlet', 'OutletPolicy']);
    const afterPolicyDelete = timeline.filter((e) => e.kind === 'iam').slice(-2)[0] as { resources: string[] };
    expect(afterPolicyDelete.resources).toEqual(['domains/shop']);
  });

  test('a cleanup delete that fails is reported and the stack still ends UPDATE_COMPLETE', async () => {
    const handler = new FakeHandler();
    const events: EngineEvent[] = [];
    const { engine } = setup(handler, events);
    const first = await engine.deploy(stack({ ...handlerResources({ HandlerPolicy: ['domains/*'] }), Shop: { Properties: { Name: 'shop' } }, Old: { Properties: { Name: 'old' } } }), emptyState());
    handler.behaviour = { failOnEvent: { logicalId: 'Old', requestType: 'Delete', message: 'AccessDeniedException: not allowed' } };
    const second = await engine.deploy(stack({ ...handlerResources({ HandlerPolicy: ['domains/*'] }), Shop: { Properties: { Name: 'shop' } } }), first.state);
    expect(second.success).toBe(true);
    expect(second.stacks[0].status).toBe('UPDATE_COMPLETE');
    expect(second.stacks[0].cleanupFailures).toEqual(['Old']);
    expect(statuses(events, 'Old').slice(-1)).toEqual(['DELETE_FAILED']);
    expect(handler.live.has('old')).toBe(true);
    // CloudFormation no longer tracks it.
    expect(Object.keys(second.state.stacks.Customers.resources)).not.toContain('Old');
  });
});

/** isComplete fails for one Create or Update of one name (after onEvent returned its physical id), once. */
class FailingOnce extends FakeHandler {
  public constructor(private readonly failing: { requestType: string; name: string }) {
    super();
  }

  public async isComplete(event: IsCompleteRequest): Promise<IsCompleteResult> {
    if (event.RequestType === this.failing.requestType && event.ResourceProperties.Name === this.failing.name) {
      this.failing.name = '';
      this.note(event);
      throw new Error(`${event.LogicalResourceId} became FAILED`);
    }
    return super.isComplete(event);
  }

  private note(event: IsCompleteRequest): void {
    this.calls.push({ kind: 'isComplete', requestType: event.RequestType, logicalId: event.LogicalResourceId, physicalId: event.PhysicalResourceId, properties: event.ResourceProperties, at: Date.now() });
  }
}

describe('update rollback', () => {
  test('sends Delete to a create that failed after it returned a physical id, as a create rollback does', async () => {
    const handler = new FailingOnce({ requestType: 'Create', name: 'new-one' });
    const events: EngineEvent[] = [];
    const { engine } = setup(handler, events);
    const first = await engine.deploy(stack({ ...handlerResources({ HandlerPolicy: ['domains/*'] }), Shop: { Properties: { Name: 'shop' } } }), emptyState());
    const second = await engine.deploy(stack({
      ...handlerResources({ HandlerPolicy: ['domains/*'] }),
      Shop: { Properties: { Name: 'shop' } },
      NewOne: { Type: RECOMMENDER_TYPE, Properties: { Name: 'new-one' } },
    }), first.state);
    expect(second.stacks[0].status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(handler.log).toContain('Delete NewOne');
    expect(handler.calls.find((c) => c.requestType === 'Delete' && c.logicalId === 'NewOne')?.physicalId).toBe('new-one');
    expect(handler.live.has('new-one')).toBe(false);
    expect(statuses(events, 'NewOne')).toEqual(['CREATE_IN_PROGRESS', 'CREATE_FAILED', 'DELETE_IN_PROGRESS', 'DELETE_COMPLETE']);
    expect(Object.keys(second.state.stacks.Customers.resources)).not.toContain('NewOne');
  });

  test('sends Delete to the new physical id of a replacement that failed, and keeps the old resource', async () => {
    const handler = new FailingOnce({ requestType: 'Update', name: 'shop-v2' });
    const { engine } = setup(handler);
    const first = await engine.deploy(stack({ ...handlerResources({ HandlerPolicy: ['domains/*'] }), Shop: { Type: DOMAIN_TYPE, Properties: { Name: 'shop' } } }), emptyState());
    const second = await engine.deploy(stack({ ...handlerResources({ HandlerPolicy: ['domains/*'] }), Shop: { Type: DOMAIN_TYPE, Properties: { Name: 'shop-v2' } } }), first.state);
    expect(second.stacks[0].status).toBe('UPDATE_ROLLBACK_COMPLETE');
    const deletes = handler.calls.filter((c) => c.kind === 'onEvent' && c.requestType === 'Delete');
    expect(deletes.map((c) => c.physicalId)).toEqual(['shop-v2']);
    expect(handler.live.has('shop-v2')).toBe(false);
    expect(handler.live.has('shop')).toBe(true);
    expect(second.state.stacks.Customers.resources.Shop.physicalId).toBe('shop');
  });

  test('a create whose onEvent failed before returning an id gets the framework\'s marker, whose Delete does nothing', async () => {
    const handler = new FakeHandler();
    const { engine } = setup(handler);
    const first = await engine.deploy(stack({ ...handlerResources({ HandlerPolicy: ['domains/*'] }), Shop: { Properties: { Name: 'shop' } } }), emptyState());
    handler.behaviour = { failOnEvent: { logicalId: 'NewOne', requestType: 'Create' } };
    const second = await engine.deploy(stack({
      ...handlerResources({ HandlerPolicy: ['domains/*'] }),
      Shop: { Properties: { Name: 'shop' } },
      NewOne: { Properties: { Name: 'new-one' } },
    }), first.state);
    expect(second.stacks[0].status).toBe('UPDATE_ROLLBACK_COMPLETE');
    // The framework answers the marker's Delete itself: the handler sees only the failed Create.
    expect(handler.log.filter((l) => l.endsWith('NewOne'))).toEqual(['Create NewOne']);
  });
});
