import {
  BadRequestException,
  CreateDomainCommand,
  DeleteDomainCommand,
  GetDomainCommand,
  ListDomainsCommand,
  ListTagsForResourceCommand,
  ResourceNotFoundException,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateDomainCommand,
} from '@aws-sdk/client-customer-profiles';
import { EmulatorForTests, startEmulatorForTests, stopEmulatorForTests } from '../helpers/emulator';

let env: EmulatorForTests;
beforeEach(async () => {
  env = await startEmulatorForTests();
});
afterEach(async () => {
  await stopEmulatorForTests(env);
});

describe('domains', () => {
  test('creates a domain and echoes what it stored', async () => {
    const out = await env.client.send(new CreateDomainCommand({
      DomainName: 'Customers',
      DefaultExpirationDays: 365,
      DeadLetterQueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/dlq',
      Matching: { Enabled: true },
      DataStore: { Enabled: true },
      Tags: { team: 'crm' },
    }));
    expect(out.DomainName).toBe('Customers');
    expect(out.DefaultExpirationDays).toBe(365);
    expect(out.Matching).toEqual({ Enabled: true });
    expect(out.DataStore?.Enabled).toBe(true);
    expect(out.CreatedAt).toBeInstanceOf(Date);
    expect(out.CreatedAt?.getTime()).toBe(Date.UTC(2026, 0, 1));
    expect(out.Tags).toEqual({ team: 'crm' });
    expect(env.emu.state.domains()).toEqual(['Customers']);
  });

  test('refuses a second domain with the same name', async () => {
    await env.client.send(new CreateDomainCommand({ DomainName: 'D', DefaultExpirationDays: 1 }));
    await expect(env.client.send(new CreateDomainCommand({ DomainName: 'D', DefaultExpirationDays: 1 })))
      .rejects.toThrow(/already exists/);
  });

  test('reports a missing domain as ResourceNotFoundException', async () => {
    const err = await env.client.send(new GetDomainCommand({ DomainName: 'Nope' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceNotFoundException);
    expect((err as ResourceNotFoundException).$metadata.httpStatusCode).toBe(404);
  });

  test('validates input against the model and names the member and the rule', async () => {
    const err = await env.client.send(new CreateDomainCommand({ DomainName: 'bad name!', DefaultExpirationDays: 5000 }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestException);
    const message = (err as Error).message;
    expect(message).toMatch(/2 validation errors detected/);
    expect(message).toMatch(/at 'DomainName' failed to satisfy constraint: Member must satisfy regular expression pattern/);
    expect(message).toMatch(/at 'DefaultExpirationDays' failed to satisfy constraint: Member must have value less than or equal to 1098/);
  });

  test('reports a missing required member', async () => {
    await expect(env.client.send(new CreateDomainCommand({ DomainName: 'D' } as never)))
      .rejects.toThrow(/Value null at 'DefaultExpirationDays' failed to satisfy constraint: Member must not be null/);
  });

  test('data store readiness progresses linearly on the clock', async () => {
    await env.client.send(new CreateDomainCommand({ DomainName: 'D', DefaultExpirationDays: 30, DataStore: { Enabled: true } }));
    let out = await env.client.send(new GetDomainCommand({ DomainName: 'D' }));
    expect(out.DataStore?.Readiness?.ProgressPercentage).toBe(0);
    env.emu.clock.advance(150_000);
    out = await env.client.send(new GetDomainCommand({ DomainName: 'D' }));
    expect(out.DataStore?.Readiness?.ProgressPercentage).toBe(50);
    env.emu.clock.advance(200_000);
    out = await env.client.send(new GetDomainCommand({ DomainName: 'D' }));
    expect(out.DataStore?.Readiness).toEqual({ ProgressPercentage: 100, Message: 'Data store is ready' });
  });

  test('enabling the data store on update starts readiness; members not sent stay unchanged', async () => {
    await env.client.send(new CreateDomainCommand({ DomainName: 'D', DefaultExpirationDays: 30, DefaultEncryptionKey: 'arn:aws:kms:us-east-1:123456789012:key/k' }));
    expect((await env.client.send(new GetDomainCommand({ DomainName: 'D' }))).DataStore).toBeUndefined();
    env.emu.clock.advance(1_000_000);
    const updated = await env.client.send(new UpdateDomainCommand({ DomainName: 'D', DataStore: { Enabled: true } }));
    expect(updated.DefaultExpirationDays).toBe(30);
    expect(updated.DefaultEncryptionKey).toBe('arn:aws:kms:us-east-1:123456789012:key/k');
    expect(updated.DataStore?.Readiness?.ProgressPercentage).toBe(0);
    env.emu.clock.advance(60_000);
    expect(env.emu.state.domain('D')?.DataStore).toStrictEqual({ Enabled: true, Readiness: { ProgressPercentage: 20, Message: 'Data store is being prepared (20%)' } });
    expect(env.emu.state.domain('D')).not.toHaveProperty('DeadLetterQueueUrl');
    // An empty key clears it, as the service documents.
    const cleared = await env.client.send(new UpdateDomainCommand({ DomainName: 'D', DefaultEncryptionKey: '' }));
    expect(cleared.DefaultEncryptionKey).toBeUndefined();
  });

  test('failDataStore stops readiness with a message', async () => {
    await env.client.send(new CreateDomainCommand({ DomainName: 'D', DefaultExpirationDays: 30, DataStore: { Enabled: true } }));
    env.emu.clock.advance(30_000);
    env.emu.failDataStore('D', 'Data store setup failed: quota exceeded');
    env.emu.clock.advance(1_000_000);
    const out = await env.client.send(new GetDomainCommand({ DomainName: 'D' }));
    expect(out.DataStore?.Readiness).toEqual({ ProgressPercentage: 10, Message: 'Data store setup failed: quota exceeded' });
  });

  test('deletes a domain', async () => {
    await env.client.send(new CreateDomainCommand({ DomainName: 'D', DefaultExpirationDays: 30 }));
    const out = await env.client.send(new DeleteDomainCommand({ DomainName: 'D' }));
    expect(out.Message).toMatch(/deleted/);
    await expect(env.client.send(new GetDomainCommand({ DomainName: 'D' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(env.client.send(new DeleteDomainCommand({ DomainName: 'D' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  test('lists domains page by page', async () => {
    for (const name of ['a', 'b', 'c']) {
      await env.client.send(new CreateDomainCommand({ DomainName: name, DefaultExpirationDays: 1 }));
    }
    const first = await env.client.send(new ListDomainsCommand({ MaxResults: 2 }));
    expect(first.Items?.map((d) => d.DomainName)).toEqual(['a', 'b']);
    const second = await env.client.send(new ListDomainsCommand({ MaxResults: 2, NextToken: first.NextToken }));
    expect(second.Items?.map((d) => d.DomainName)).toEqual(['c']);
    expect(second.NextToken).toBeUndefined();
  });
});

describe('tags', () => {
  const arn = 'arn:aws:profile:us-east-1:123456789012:domains/D';

  test('tags, lists and untags a domain by its URI-encoded ARN', async () => {
    await env.client.send(new CreateDomainCommand({ DomainName: 'D', DefaultExpirationDays: 1, Tags: { a: '1' } }));
    await env.client.send(new TagResourceCommand({ resourceArn: arn, tags: { b: '2' } }));
    expect((await env.client.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({ a: '1', b: '2' });
    await env.client.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['a'] }));
    expect((await env.client.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({ b: '2' });
    expect(env.emu.requests.map((r) => r.operation)).toEqual(['CreateDomain', 'TagResource', 'ListTagsForResource', 'UntagResource', 'ListTagsForResource']);
    expect(env.emu.requests[1].path).toBe(`/tags/${encodeURIComponent(arn)}`);
  });

  test('refuses tags on a resource that does not exist, and reserved keys', async () => {
    await expect(env.client.send(new TagResourceCommand({ resourceArn: arn, tags: { b: '2' } })))
      .rejects.toBeInstanceOf(ResourceNotFoundException);
    await env.client.send(new CreateDomainCommand({ DomainName: 'D', DefaultExpirationDays: 1 }));
    await expect(env.client.send(new TagResourceCommand({ resourceArn: arn, tags: { 'aws:x': '2' } })))
      .rejects.toThrow(/Member must satisfy regular expression pattern/);
    await expect(env.client.send(new TagResourceCommand({ resourceArn: 'not-an-arn', tags: { b: '2' } })))
      .rejects.toThrow(/at 'resourceArn'/);
  });
});
