import { CustomerProfilesClient, GetDomainObjectTypeCommand, PutDomainObjectTypeCommand, ResourceNotFoundException } from '@aws-sdk/client-customer-profiles';
import { generateSampleData, ingestSampleData, IngestResult, SAMPLE_OBJECT_TYPE_FIELDS, SampleRecord } from '../../examples/sample-data';
import { Emulator } from '../../local/src/emulator';

export { generateSampleData, SAMPLE_OBJECT_TYPE_FIELDS, SAMPLE_OBJECT_TYPES, sampleCustomerId } from '../../examples/sample-data';

/**
 * Recommenders train only on data (the emulator's default minimum: 1,000 interactions, 25 users
 * with two or more each). Tests whose recommenders must become ACTIVE put the example's sample
 * data into the domain first, with PutProfileObject over the real SDK, as an integration would
 * deliver it. The sample object types (Customers, Products, WebEvents) are put first where the
 * domain does not have them yet, as the platform stack of the example defines them; the domain
 * needs its data store enabled for that.
 */
export async function ingestSample(
  emulator: Emulator,
  domainName: string,
  records: readonly SampleRecord[] = generateSampleData(),
): Promise<IngestResult> {
  const client = new CustomerProfilesClient({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDSAMPLEDATA', secretAccessKey: 'sample-data' },
    maxAttempts: 1,
  });
  try {
    for (const [name, fields] of Object.entries(SAMPLE_OBJECT_TYPE_FIELDS)) {
      if (!(await exists(client, domainName, name))) {
        await client.send(new PutDomainObjectTypeCommand({ DomainName: domainName, ObjectTypeName: name, Fields: fields }));
      }
    }
    return await ingestSampleData(client, domainName, records);
  } finally {
    client.destroy();
  }
}

async function exists(client: CustomerProfilesClient, domainName: string, objectTypeName: string): Promise<boolean> {
  try {
    await client.send(new GetDomainObjectTypeCommand({ DomainName: domainName, ObjectTypeName: objectTypeName }));
    return true;
  } catch (err) {
    if (err instanceof ResourceNotFoundException) return false;
    throw err;
  }
}
