import {
  BadRequestException,
  CreateDomainCommand,
  DeleteDomainObjectTypeCommand,
  GetDomainObjectTypeCommand,
  GetObjectTypeAttributeStatisticsCommand,
  ListDomainObjectTypesCommand,
  ListObjectTypeAttributeValuesCommand,
  ListTagsForResourceCommand,
  PutDomainObjectTypeCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-customer-profiles';
import { EmulatorForTests, startEmulatorForTests, stopEmulatorForTests } from '../helpers/emulator';

let env: EmulatorForTests;
beforeEach(async () => {
  env = await startEmulatorForTests();
});
afterEach(async () => {
  await stopEmulatorForTests(env);
});

const fields = {
  orderId: { Source: '_source.OrderId', Target: 'Orders.OrderId', ContentType: 'STRING' as const },
  amount: { Source: '_source.Amount', Target: 'Orders.Amount', ContentType: 'NUMBER' as const },
};

async function domain(dataStore: boolean): Promise<void> {
  await env.client.send(new CreateDomainCommand({ DomainName: 'D', DefaultExpirationDays: 30, DataStore: { Enabled: dataStore } }));
}

describe('domain object types', () => {
  test('are refused when the domain has no data store', async () => {
    await domain(false);
    const err = await env.client.send(new PutDomainObjectTypeCommand({ DomainName: 'D', ObjectTypeName: 'Orders', Fields: fields }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestException);
    expect((err as Error).message).toMatch(/data store must be enabled/);
  });

  test('are put (upsert), read, listed and deleted', async () => {
    await domain(true);
    const put = await env.client.send(new PutDomainObjectTypeCommand({
      DomainName: 'D', ObjectTypeName: 'Orders', Description: 'orders', Fields: fields, Tags: { t: '1' },
    }));
    expect(put.ObjectTypeName).toBe('Orders');
    expect(put.Fields).toEqual(fields);
    env.emu.clock.advance(1000);
    await env.client.send(new PutDomainObjectTypeCommand({ DomainName: 'D', ObjectTypeName: 'Orders', Description: 'v2', Fields: { orderId: fields.orderId } }));
    const got = await env.client.send(new GetDomainObjectTypeCommand({ DomainName: 'D', ObjectTypeName: 'Orders' }));
    expect(got.Description).toBe('v2');
    expect(Object.keys(got.Fields ?? {})).toEqual(['orderId']);
    expect(got.LastUpdatedAt!.getTime() - got.CreatedAt!.getTime()).toBe(1000);
    expect(env.emu.state.objectType('D', 'Orders')?.Description).toBe('v2');
    const arn = 'arn:aws:profile:us-east-1:123456789012:domains/D/domain-object-types/Orders';
    expect((await env.client.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({ t: '1' });

    const list = await env.client.send(new ListDomainObjectTypesCommand({ DomainName: 'D' }));
    expect(list.Items?.map((i) => i.ObjectTypeName)).toEqual(['Orders']);

    await env.client.send(new DeleteDomainObjectTypeCommand({ DomainName: 'D', ObjectTypeName: 'Orders' }));
    await expect(env.client.send(new GetDomainObjectTypeCommand({ DomainName: 'D', ObjectTypeName: 'Orders' })))
      .rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  test('validate field names and required members without echoing sensitive descriptions', async () => {
    await domain(true);
    const err = await env.client.send(new PutDomainObjectTypeCommand({
      DomainName: 'D', ObjectTypeName: '9bad', Description: '', Fields: { 'bad key!': { Source: 's', Target: 't' } },
    })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestException);
    const message = (err as Error).message;
    expect(message).toMatch(/'ObjectTypeName'/);
    expect(message).toMatch(/Value at 'Description' failed to satisfy constraint: Member must have length greater than or equal to 1/);
    expect(message).toMatch(/Fields.key\(bad key!\)/);
  });

  test('attribute values and statistics come from seeded records', async () => {
    await domain(true);
    await env.client.send(new PutDomainObjectTypeCommand({ DomainName: 'D', ObjectTypeName: 'Orders', Fields: fields }));
    env.emu.seedObjects('D', 'Orders', [
      { orderId: 'a', amount: 10 }, { orderId: 'b', amount: 20 }, { orderId: 'c', amount: 30 }, { orderId: 'a', amount: 40 },
    ]);
    const values = await env.client.send(new ListObjectTypeAttributeValuesCommand({ DomainName: 'D', ObjectTypeName: 'Orders', AttributeName: 'orderId' }));
    expect(values.Items?.map((i) => i.Value)).toEqual(['a', 'b', 'c']);
    expect(values.Items?.[0].LastUpdatedAt).toBeInstanceOf(Date);

    const stats = await env.client.send(new GetObjectTypeAttributeStatisticsCommand({ DomainName: 'D', ObjectTypeName: 'Orders', AttributeName: 'amount' }));
    expect(stats.Statistics).toEqual({
      Minimum: 10,
      Maximum: 40,
      Average: 25,
      StandardDeviation: Math.sqrt(125),
      Percentiles: { P5: 11.5, P25: 17.5, P50: 25, P75: 32.5, P95: 38.5 },
    });
    expect(stats.CalculatedAt).toBeInstanceOf(Date);
    await expect(env.client.send(new GetObjectTypeAttributeStatisticsCommand({ DomainName: 'D', ObjectTypeName: 'Orders', AttributeName: 'orderId' })))
      .rejects.toThrow(/not numeric/);
    await expect(env.client.send(new ListObjectTypeAttributeValuesCommand({ DomainName: 'D', ObjectTypeName: 'Nope', AttributeName: 'x' })))
      .rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});
