import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ENDPOINT_ENV } from '../../../src/private/contract';
import { LocalDeployEngine } from '../../src/deploy/engine';
import { evaluateCondition, NO_VALUE, pseudoParameters, resolveValue, ResolveContext } from '../../src/deploy/intrinsics';
import {
  CREATE_FAILED_PHYSICAL_ID_MARKER, CustomResourceHandler, CustomResourceRequest, invokeProvider,
} from '../../src/deploy/provider-runtime';
import { emptyState } from '../../src/deploy/state';
import { dependencyGraph, waves } from '../../src/deploy/template';
import { template } from '../helpers/deploy-fake-handler';

/** Unit tests of the engine's parts: the intrinsic resolver, the graph, the Provider framework rules, the handler process. */

function context(overrides: Partial<ResolveContext> = {}): ResolveContext {
  const ctx: ResolveContext = {
    parameters: { ...pseudoParameters({ region: 'eu-west-1', accountId: '111122223333', stackName: 'S', stackId: 'arn:s' }), Env: 'prod' },
    mappings: { Sizes: { prod: { Days: 365 } } },
    ref: (id) => (id === 'Domain' ? 'customers' : undefined),
    getAtt: (id, attribute) => {
      if (id === 'Domain' && attribute === 'DomainArn') {
        return 'arn:aws:profile:eu-west-1:111122223333:domains/customers';
      }
      throw new Error(`no ${id}.${attribute}`);
    },
    importValue: (name) => `imported:${name}`,
    condition: (name) => name === 'IsProd',
    ...overrides,
  };
  return ctx;
}

describe('intrinsic functions', () => {
  test.each([
    [{ Ref: 'AWS::Partition' }, 'aws'],
    [{ Ref: 'AWS::URLSuffix' }, 'amazonaws.com'],
    [{ Ref: 'Env' }, 'prod'],
    [{ 'Fn::GetAtt': 'Domain.DomainArn' }, 'arn:aws:profile:eu-west-1:111122223333:domains/customers'],
    [{ 'Fn::Join': ['', ['a', { Ref: 'Domain' }, 1]] }, 'acustomers1'],
    [{ 'Fn::Select': ['2', { 'Fn::Split': ['/', { 'Fn::GetAtt': ['Domain', 'DomainArn'] }] }] }, undefined],
    [{ 'Fn::Select': [1, { 'Fn::Split': ['/', { 'Fn::GetAtt': ['Domain', 'DomainArn'] }] }] }, 'customers'],
    [{ 'Fn::Sub': '${AWS::Region}-${Domain}-${!Keep}' }, 'eu-west-1-customers-${Keep}'],
    [{ 'Fn::Sub': ['${A}/${Domain.DomainArn}', { A: { Ref: 'Env' } }] }, 'prod/arn:aws:profile:eu-west-1:111122223333:domains/customers'],
    [{ 'Fn::ImportValue': { 'Fn::Sub': '${Env}-Name' } }, 'imported:prod-Name'],
    [{ 'Fn::If': ['IsProd', 'big', 'small'] }, 'big'],
    [{ 'Fn::FindInMap': ['Sizes', { Ref: 'Env' }, 'Days'] }, 365],
    [{ 'Fn::Base64': 'hi' }, 'aGk='],
    [{ 'Fn::GetAZs': '' }, ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']],
    [{ 'Fn::ToJsonString': { a: { Ref: 'Domain' } } }, '{"a":"customers"}'],
  ])('%j', (expression, expected) => {
    if (expected === undefined) {
      expect(() => resolveValue(expression, context())).toThrow(/Fn::Select cannot select nonexistent value/);
    } else {
      expect(resolveValue(expression, context())).toEqual(expected);
    }
  });

  test('AWS::NoValue removes a property and a list item', () => {
    expect(resolveValue({ a: { Ref: 'AWS::NoValue' }, b: [1, { 'Fn::If': ['Other', 2, { Ref: 'AWS::NoValue' }] }] }, context())).toEqual({ b: [1] });
    expect(resolveValue({ Ref: 'AWS::NoValue' }, context())).toBe(NO_VALUE);
  });

  test('conditions combine with And, Or, Not and Equals', () => {
    const ctx = context();
    expect(evaluateCondition({ 'Fn::And': [{ 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] }, { 'Fn::Not': [{ Condition: 'Other' }] }] }, ctx)).toBe(true);
    expect(evaluateCondition({ 'Fn::Or': [{ 'Fn::Equals': ['a', 'b'] }, { Condition: 'Other' }] }, ctx)).toBe(false);
  });

  test('unknown references and functions fail with CloudFormation-like messages', () => {
    expect(() => resolveValue({ Ref: 'Nope' }, context())).toThrow(/Unresolved resource dependencies \[Nope\]/);
    expect(() => resolveValue({ 'Fn::Cidr': ['10.0.0.0/16', 2, 8] }, context())).toThrow(/Fn::Cidr is not supported/);
    expect(() => resolveValue({ 'Fn::Join': [',', [{ a: 1 }]] }, context())).toThrow(/must resolve to a string/);
  });
});

describe('dependency graph', () => {
  test('edges come from Ref, GetAtt, Sub and DependsOn; waves respect them', () => {
    const graph = dependencyGraph({
      A: { Type: 'X' },
      B: { Type: 'X', Properties: { P: { 'Fn::Sub': '${A.Arn}' } } },
      C: { Type: 'X', DependsOn: ['B'], Properties: { P: { Ref: 'AWS::Region' } } },
      D: { Type: 'X', Properties: { P: { 'Fn::Sub': ['${X}', { X: 'literal' }] } } },
    });
    expect(waves(graph)).toEqual([['A', 'D'], ['B'], ['C']]);
  });

  test('a DependsOn naming a missing resource is a template error', () => {
    expect(() => dependencyGraph({ A: { Type: 'X', DependsOn: 'Ghost' } })).toThrow(/Unresolved dependencies \[Ghost\]/);
  });
});

describe('Provider framework rules', () => {
  const request = (type: 'Create' | 'Update' | 'Delete', physicalId?: string): CustomResourceRequest => ({
    RequestType: type,
    ServiceToken: 'arn:token',
    ResponseURL: 'http://localhost/response',
    StackId: 'arn:stack',
    RequestId: 'req-1',
    LogicalResourceId: 'Domain',
    ResourceType: 'Custom::CustomerProfilesDomain',
    ResourceProperties: {},
    ...(physicalId ? { PhysicalResourceId: physicalId } : {}),
  });
  const timing = { queryIntervalMs: 1, totalTimeoutMs: 1000 };

  test('a Delete may not change the physical id', async () => {
    const handler: CustomResourceHandler = {
      onEvent: async () => ({ PhysicalResourceId: 'other' }),
      isComplete: async () => ({ IsComplete: true }),
    };
    const response = await invokeProvider(request('Delete', 'customers'), handler, timing);
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toMatch(/DELETE: cannot change the physical resource ID from "customers" to "other"/);
  });

  test('isComplete may not return Data before it is complete', async () => {
    const handler: CustomResourceHandler = {
      onEvent: async () => ({ PhysicalResourceId: 'customers' }),
      isComplete: async () => ({ IsComplete: false, Data: { Early: 1 } }),
    };
    const response = await invokeProvider(request('Create'), handler, timing);
    expect(response.Reason).toBe('"Data" is not allowed if "IsComplete" is "False"');
  });

  test('a failed Create answers with the marker, and the Delete that follows is not sent to the handler', async () => {
    let calls = 0;
    const handler: CustomResourceHandler = {
      onEvent: async () => {
        calls += 1;
        throw new Error('boom');
      },
      isComplete: async () => ({ IsComplete: true }),
    };
    const created = await invokeProvider(request('Create'), handler, timing);
    expect(created).toMatchObject({ Status: 'FAILED', Reason: 'boom', PhysicalResourceId: CREATE_FAILED_PHYSICAL_ID_MARKER });
    const deleted = await invokeProvider(request('Delete', CREATE_FAILED_PHYSICAL_ID_MARKER), handler, timing);
    expect(deleted.Status).toBe('SUCCESS');
    expect(calls).toBe(1);
  });

  test('the request the handler sees has the framework\'s sanitized ResponseURL', async () => {
    const seen: string[] = [];
    const handler: CustomResourceHandler = {
      onEvent: async (e) => {
        seen.push(e.ResponseURL);
        return { PhysicalResourceId: 'x' };
      },
      isComplete: async (e) => {
        seen.push(e.ResponseURL);
        return { IsComplete: true };
      },
    };
    await invokeProvider(request('Create'), handler, timing);
    expect(seen).toEqual(['...', '...']);
  });
});

describe('the handler process', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-deploy-handler-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('runs the bundle in a child process with the endpoint and region in its own environment', async () => {
    const bundle = path.join(dir, 'index.js');
    fs.writeFileSync(bundle, `
      exports.onEvent = async (e) => ({ PhysicalResourceId: 'p', Data: { Endpoint: process.env.${ENDPOINT_ENV}, Region: process.env.AWS_REGION, Pid: process.pid } });
      exports.isComplete = async () => ({ IsComplete: true });
    `);
    const before = process.env[ENDPOINT_ENV];
    const engine = new LocalDeployEngine({ handlerBundle: bundle, endpoint: 'http://127.0.0.1:9', region: 'eu-central-1' });
    const result = await engine.deploy([{ stackName: 'S', template: template({ Domain: { Properties: {} } }) }], emptyState());
    expect(result.success).toBe(true);
    expect(result.state.stacks.S.resources.Domain.attributes).toMatchObject({ Endpoint: 'http://127.0.0.1:9', Region: 'eu-central-1' });
    expect(result.state.stacks.S.resources.Domain.attributes.Pid).not.toBe(process.pid);
    expect(process.env[ENDPOINT_ENV]).toBe(before);
  });

  test('a bundle that crashes fails the resource with the reason', async () => {
    const bundle = path.join(dir, 'index.js');
    fs.writeFileSync(bundle, 'throw new Error("bundle is broken");');
    const engine = new LocalDeployEngine({ handlerBundle: bundle });
    const result = await engine.deploy([{ stackName: 'S', template: template({ Domain: { Properties: {} } }) }], emptyState());
    expect(result.success).toBe(false);
    expect(result.stacks[0].reason).toMatch(/The handler process exited \(1\).*bundle is broken/);
  });

  test('a missing bundle is reported before anything starts', async () => {
    const engine = new LocalDeployEngine({ handlerBundle: path.join(dir, 'missing.js') });
    await expect(engine.deploy([{ stackName: 'S', template: template({ Domain: { Properties: {} } }) }], emptyState()))
      .rejects.toThrow(/handler bundle is missing/);
  });
});
