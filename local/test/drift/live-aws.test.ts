import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as path from 'path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CustomerProfilesClient, UpdateDomainCommand } from '@aws-sdk/client-customer-profiles';
import { BUNDLED_HANDLER_PATH, DeploymentState, LocalDeployment } from '../../src/deploy';
import { detectDrift } from '../../src/drift';
import { planDriftApp, startDeployment } from '../helpers/plan-drift-app';

/**
 * `drift --live aws` resolves the templates' references through CloudFormation (DescribeStacks,
 * DescribeStackResources, ListExports) instead of the local state. No account is reachable here,
 * so CloudFormation's three read operations are played, over its real query protocol and the real
 * SDK client, from what the local deployment recorded; any other action is refused, so the test
 * also proves the drift check never writes to CloudFormation.
 */

const XMLNS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function member(fields: Record<string, string>): string {
  return `<member>${Object.entries(fields).map(([k, v]) => `<${k}>${escape(v)}</${k}>`).join('')}</member>`;
}

/** CloudFormation's read API over the local state: what a real account would answer after the same deployment. */
function cloudFormationReadApi(state: () => DeploymentState, actions: string[]): http.Server {
  return http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const params = new URLSearchParams(body);
      const action = params.get('Action') ?? '';
      actions.push(action);
      const stacks = Object.values(state().stacks);
      const stackNamed = (name: string | null) => stacks.find((s) => s.stackName === name || s.stackId === name);
      const reply = (status: number, xml: string) => {
        res.writeHead(status, { 'content-type': 'text/xml' });
        res.end(xml);
      };
      const result = (inner: string) => reply(200,
        `<${action}Response xmlns="${XMLNS}"><${action}Result>${inner}</${action}Result><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></${action}Response>`);
      const error = (message: string) => reply(400,
        `<ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>ValidationError</Code><Message>${escape(message)}</Message></Error><RequestId>r</RequestId></ErrorResponse>`);
      if (action === 'ListExports') {
        const exports = stacks.flatMap((s) => Object.entries(s.exports).map(([Name, Value]) => member({ ExportingStackId: s.stackId, Name, Value })));
        return result(`<Exports>${exports.join('')}</Exports>`);
      }
      const stack = stackNamed(params.get('StackName'));
      if (action === 'DescribeStacks') {
        return stack
          ? result(`<Stacks>${member({ StackName: stack.stackName, StackId: stack.stackId, CreationTime: '2026-01-01T00:00:00Z', StackStatus: stack.status })}</Stacks>`)
          : error(`Stack with id ${params.get('StackName')} does not exist`);
      }
      if (action === 'DescribeStackResources' && stack) {
        const resources = Object.values(stack.resources).map((r) => member({
          StackName: stack.stackName,
          StackId: stack.stackId,
          LogicalResourceId: r.logicalId,
          PhysicalResourceId: r.physicalId,
          ResourceType: r.type,
          Timestamp: '2026-01-01T00:00:00Z',
          ResourceStatus: 'CREATE_COMPLETE',
        }));
        return result(`<StackResources>${resources.join('')}</StackResources>`);
      }
      return error(`${action} is not played by this test: drift only reads`);
    });
  });
}

beforeAll(() => {
  if (!fs.existsSync(BUNDLED_HANDLER_PATH)) {
    execFileSync(process.execPath, [path.join(__dirname, '..', '..', '..', 'scripts', 'bundle-handler.mjs')], { stdio: 'ignore' });
  }
});

let local: LocalDeployment;
let profiles: CustomerProfilesClient;
let cloudFormation: CloudFormationClient;
let server: http.Server;
const actions: string[] = [];
beforeAll(async () => {
  local = await startDeployment();
  expect((await local.deploy(planDriftApp())).success).toBe(true);
  server = cloudFormationReadApi(() => local.state, actions);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const credentials = { accessKeyId: 'x', secretAccessKey: 'x' };
  profiles = new CustomerProfilesClient({ endpoint: local.emulator.endpoint, region: 'us-east-1', credentials });
  cloudFormation = new CloudFormationClient({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, region: 'us-east-1', credentials });
}, 60_000);
afterAll(async () => {
  profiles?.destroy();
  cloudFormation?.destroy();
  await new Promise((resolve) => server?.close(resolve));
  await local?.emulator.stop();
});

const drift = () => detectDrift({ app: planDriftApp(), resolveWith: 'cloudformation', clients: { profiles, cloudFormation } });

test('references resolve through CloudFormation (the cross-stack import included): every resource is compared, with read calls only', async () => {
  actions.length = 0;
  local.emulator.resetRequests();
  const result = await drift();
  expect(result).toMatchObject({ drifted: false, differences: [], checked: 4, unchecked: [] });
  expect([...new Set(actions)].sort()).toEqual(['DescribeStackResources', 'DescribeStacks', 'ListExports']);
  expect(local.emulator.requests.filter((r) => !/^Get/.test(r.operation))).toEqual([]);
});

test('a change made outside the stack is found the same way', async () => {
  await profiles.send(new UpdateDomainCommand({ DomainName: 'customers', DefaultExpirationDays: 30 }));
  const result = await drift();
  expect(result.drifted).toBe(true);
  expect(result.differences).toEqual([expect.objectContaining({
    stackName: 'SharedCustomers', resourceName: 'customers', field: 'DefaultExpirationDays', desired: 365, live: 30,
  })]);
});

test('a stack CloudFormation does not know leaves its resources unchecked, with the reason, instead of guessing', async () => {
  const deployed = local.state;
  const withoutShared = { ...deployed, stacks: Object.fromEntries(Object.entries(deployed.stacks).filter(([name]) => name !== 'SharedCustomers')) };
  const stub = cloudFormationReadApi(() => withoutShared, []);
  await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
  const client = new CloudFormationClient({
    endpoint: `http://127.0.0.1:${(stub.address() as AddressInfo).port}`, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  try {
    const result = await detectDrift({ app: planDriftApp(), resolveWith: 'cloudformation', clients: { profiles, cloudFormation: client } });
    // The team stack's children import the shared stack's domain name: without its export they cannot be resolved.
    expect(result.unchecked.map((u) => u.logicalId).sort()).toEqual(expect.arrayContaining([expect.stringMatching(/^ForYou/)]));
    expect(result.unchecked.every((u) => u.reason.length > 0)).toBe(true);
  } finally {
    client.destroy();
    await new Promise((resolve) => stub.close(resolve));
  }
});
