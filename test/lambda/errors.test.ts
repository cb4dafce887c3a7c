import { App, Duration, Stack } from 'aws-cdk-lib';
import { MAX_REASON_BYTES } from '../../lambda/errors';
import { CustomResourceHandler, CustomResourceRequest, invokeProvider } from '../../local/src/deploy/provider-runtime';
import { DataStore, Domain } from '../../src';
import { ProviderLimits, ResourceTypes } from '../../src/private/contract';
import { Harness, outcome, startHarnessForEachTest } from '../helpers/reliability-harness';

/**
 * Issue #13, case 7: CloudFormation refuses any custom-resource response over 4096 bytes, a
 * FAILED one as well ("Response object is too long."), and the failure's reason is then lost. The
 * local engine checks failure responses as it checks successes, and the handler keeps its
 * messages short enough, reason first.
 */

const TIMING = { queryIntervalMs: 1, totalTimeoutMs: 1000 };

function request(): CustomResourceRequest {
  return {
    RequestType: 'Create',
    ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:f',
    ResponseURL: 'https://example.invalid/',
    StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/S/0c9f7e60-0000-0000-0000-000000000000',
    RequestId: '00000000-0000-4000-8000-000000000001',
    LogicalResourceId: 'Customers',
    ResourceType: ResourceTypes.DOMAIN,
    ResourceProperties: {},
  };
}

function failingWith(message: string): CustomResourceHandler {
  return {
    onEvent: async () => { throw new Error(message); },
    isComplete: async () => ({ IsComplete: true }),
  };
}

describe('the engine\'s Provider framework', () => {
  test('a failure response over 4096 bytes is refused as CloudFormation refuses it: the reason is lost', async () => {
    const response = await invokeProvider(request(), failingWith(`Domain 'customers': ${'x'.repeat(ProviderLimits.MAX_RESPONSE_BYTES)}`), TIMING);
    expect(response).toMatchObject({ Status: 'FAILED', Reason: 'Response object is too long.' });
  });

  test('a failure response under the limit keeps its reason', async () => {
    const response = await invokeProvider(request(), failingWith("Domain 'customers': refused"), TIMING);
    expect(response).toMatchObject({ Status: 'FAILED', Reason: "Domain 'customers': refused" });
  });
});

describe('through the local deploy engine', () => {
  let h: Harness;
  jest.setTimeout(60_000);
  startHarnessForEachTest((started) => { h = started; });

  test('a long service message still fails the deployment with the handler\'s reason, under the limit', async () => {
    const app = new App();
    new Domain(new Stack(app, 'Reliability'), 'Customers', {
      domainName: 'customers', dataStore: DataStore.enabled(), defaultExpiration: Duration.days(30),
    });
    h.emu.faults.add({ operation: 'CreateDomain', times: 1, error: 'BadRequestException', message: `Invalid input: ${'y'.repeat(6000)}` });

    const result = await h.local.deploy(app);

    expect(outcome(result).status).toBe('ROLLBACK_COMPLETE');
    const failed = result.events.find((e) => e.kind === 'event' && e.status === 'CREATE_FAILED');
    const reason = failed?.kind === 'event' ? failed.reason ?? '' : '';
    expect(reason.startsWith("Domain 'customers': CreateDomain was rejected by Customer Profiles: Invalid input: yyy")).toBe(true);
    expect(reason).toContain("…. Fix the construct's props and deploy again.");
    // What Lambda's framework adds to it (the Logs line and up to ten frames of the bundle) fits as well.
    expect(Buffer.byteLength(JSON.stringify(reason))).toBeLessThanOrEqual(MAX_REASON_BYTES + 2);
  });
});
