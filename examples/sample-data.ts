/**
 * A small, generated, deterministic data set for the example's domain, and its ingestion with
 * PutProfileObject over the real SDK, record by record, the way the platform stack's integration
 * delivers records to the object types (examples/platform-stack.ts). Used by the demo and by
 * tests whose recommenders must train (test/helpers/sample-data.ts).
 *
 * Recommenders train only on enough interactions of their event types; the emulator assumes
 * Amazon Personalize's documented minimum (1,000 interactions, 25 users with two or more each).
 * With the defaults a recommender on views, on purchases, or on both has more than that: 45
 * customers with 23 views, 4 add-to-carts and 23 purchases each (1,035 views, 1,035 purchases,
 * 2,250 interactions in all).
 */
import { CustomerProfilesClient, PutProfileObjectCommand } from '@aws-sdk/client-customer-profiles';
// The generator lives in the local toolkit, whose standalone server loads the same data set
// (`serve --sample-data demo`); the example adds only its ingestion through the real SDK.
import { generateSampleData, SAMPLE_OBJECT_TYPES, SampleRecord } from '../local/src/server/sample-data';

export { generateSampleData, sampleCustomerId, SAMPLE_OBJECT_TYPE_FIELDS, SAMPLE_OBJECT_TYPES } from '../local/src/server/sample-data';
export type { SampleDataOptions, SampleField, SampleRecord } from '../local/src/server/sample-data';

export interface IngestResult {
  readonly records: number;
  /** Records per object type. */
  readonly byObjectType: Record<string, number>;
}

/**
 * Puts every record into the domain with PutProfileObject, `concurrency` at a time (an
 * integration delivers records in parallel too). The client's endpoint and credentials are the
 * caller's: the emulator's endpoint locally, a real account otherwise.
 */
export async function ingestSampleData(
  client: CustomerProfilesClient,
  domainName: string,
  records: readonly SampleRecord[] = generateSampleData(),
  concurrency = 16,
): Promise<IngestResult> {
  const byObjectType: Record<string, number> = {};
  // Customers first: a web event then lands on the profile its customer record made.
  const ordered = [...records].sort((a, b) => rank(a) - rank(b));
  let next = 0;
  const worker = async () => {
    while (next < ordered.length) {
      const r = ordered[next++];
      await client.send(new PutProfileObjectCommand({ DomainName: domainName, ObjectTypeName: r.objectTypeName, Object: JSON.stringify(r.object) }));
      byObjectType[r.objectTypeName] = (byObjectType[r.objectTypeName] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return { records: ordered.length, byObjectType };
}

function rank(r: SampleRecord): number {
  return r.objectTypeName === SAMPLE_OBJECT_TYPES.customers ? 0 : r.objectTypeName === SAMPLE_OBJECT_TYPES.products ? 1 : 2;
}
