/**
 * Sample data for the standalone server: the example's generated, deterministic data set
 * (customers, products, web events; examples/sample-data.ts re-exports this generator and adds
 * its ingestion through the real SDK, for the demo), or a data set of the caller's, loaded through the emulator's own
 * operations so that every rule of the service applies to it.
 */
import { Emulator } from '../emulator/emulator';
import { isRecord } from '../emulator/model';

/** Object type names the records are put to (the platform stack's object types). */
export const SAMPLE_OBJECT_TYPES = {
  customers: 'Customers',
  products: 'Products',
  webEvents: 'WebEvents',
} as const;

export interface SampleField {
  readonly Source: string;
  readonly Target: string;
  readonly ContentType?: 'STRING' | 'NUMBER';
}

/**
 * The fields of the object types the records are put to, as PutDomainObjectType takes them: the
 * platform stack defines the same (test/scenarios/example-stack.test.ts keeps them equal). What the targets
 * mean to the emulator: local/src/emulator/profile-objects.ts.
 */
export const SAMPLE_OBJECT_TYPE_FIELDS: Record<string, Record<string, SampleField>> = {
  [SAMPLE_OBJECT_TYPES.customers]: {
    CustomerId: { Source: '_source.CustomerId', Target: '_profile.AccountNumber', ContentType: 'STRING' },
    FirstName: { Source: '_source.FirstName', Target: '_profile.FirstName', ContentType: 'STRING' },
    Tier: { Source: '_source.Tier', Target: '_profile.Attributes.tier' },
    LifetimeValue: { Source: '_source.LifetimeValue', Target: '_profile.Attributes.lifetime_value', ContentType: 'NUMBER' },
    Country: { Source: '_source.Country', Target: '_profile.ShippingAddress.Country', ContentType: 'STRING' },
  },
  [SAMPLE_OBJECT_TYPES.products]: {
    ItemId: { Source: '_source.ItemId', Target: '_item.Id', ContentType: 'STRING' },
    Name: { Source: '_source.Name', Target: '_item.Name', ContentType: 'STRING' },
    Category: { Source: '_source.Category', Target: '_item.Category' },
    Description: { Source: '_source.Description', Target: '_item.Description' },
    Price: { Source: '_source.Price', Target: '_item.Price', ContentType: 'NUMBER' },
  },
  [SAMPLE_OBJECT_TYPES.webEvents]: {
    EventId: { Source: '_source.EventId', Target: '_webAnalytics.EventId', ContentType: 'STRING' },
    CustomerId: { Source: '_source.CustomerId', Target: '_profile.AccountNumber', ContentType: 'STRING' },
    EventType: { Source: '_source.EventType', Target: '_webAnalytics.EventType' },
    ItemId: { Source: '_source.ItemId', Target: '_webAnalytics.Item.Id', ContentType: 'STRING' },
    EventValue: { Source: '_source.EventValue', Target: '_webAnalytics.EventValue', ContentType: 'NUMBER' },
    Timestamp: { Source: '_source.Timestamp', Target: '_webAnalytics.EventTimestamp', ContentType: 'STRING' },
  },
};

export interface SampleRecord {
  readonly objectTypeName: string;
  /** The record as the source sends it (PutProfileObject's `Object`, before JSON encoding). */
  readonly object: Record<string, string | number>;
}

export interface SampleDataOptions {
  /** @default 45 */
  readonly customers?: number;
  /** @default 24 (four categories of six) */
  readonly products?: number;
  /** Views per customer (each with a dwell time in seconds as its value). @default 23 */
  readonly viewsPerCustomer?: number;
  /** @default 4 */
  readonly addToCartsPerCustomer?: number;
  /** @default 23 */
  readonly purchasesPerCustomer?: number;
  /** Seed of the generator: the same seed gives the same records. @default 7 */
  readonly seed?: number;
}

const CATEGORIES = ['shoes', 'outdoor', 'kitchen', 'books'];
const TIERS = ['gold', 'silver', 'bronze'];
const COUNTRIES = ['DE', 'FR', 'US', 'GB'];

/** The customer id of the n-th generated customer (C001, C002, ...). */
export function sampleCustomerId(n: number): string {
  return `C${String(n).padStart(3, '0')}`;
}

/**
 * Customers (profiles with tier, lifetime value and shipping country), products (the item
 * catalog) and web events (views, add-to-carts, purchases). Each customer prefers one category:
 * four out of five of its events are in it, so customers of a category share items.
 */
export function generateSampleData(options: SampleDataOptions = {}): SampleRecord[] {
  const random = seededRandom(options.seed ?? 7);
  const customers = options.customers ?? 45;
  const products = options.products ?? 24;
  const perCategory = Math.max(1, Math.floor(products / CATEGORIES.length));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const records: SampleRecord[] = [];

  for (let p = 0; p < products; p++) {
    const category = CATEGORIES[Math.floor(p / perCategory) % CATEGORIES.length];
    records.push({
      objectTypeName: SAMPLE_OBJECT_TYPES.products,
      object: { ItemId: productId(p), Name: `${category} item ${p + 1}`, Category: category, Price: 5 + Math.floor(random() * 95) },
    });
  }

  const itemIn = (category: number) => productId((category * perCategory + Math.floor(random() * perCategory)) % products);
  let event = 0;
  for (let c = 1; c <= customers; c++) {
    const id = sampleCustomerId(c);
    const favourite = c % CATEGORIES.length;
    // Every third customer is gold; lifetime values spread over 100-3,000.
    records.push({
      objectTypeName: SAMPLE_OBJECT_TYPES.customers,
      object: {
        CustomerId: id,
        FirstName: `Customer${c}`,
        Tier: TIERS[c % TIERS.length],
        LifetimeValue: 100 + Math.floor(random() * 2900),
        Country: pick(COUNTRIES),
      },
    });
    const item = () => itemIn(random() < 0.8 ? favourite : Math.floor(random() * CATEGORIES.length));
    const push = (type: string, value?: number) => {
      event++;
      records.push({
        objectTypeName: SAMPLE_OBJECT_TYPES.webEvents,
        object: {
          EventId: `E${String(event).padStart(6, '0')}`,
          CustomerId: id,
          EventType: type,
          ItemId: item(),
          ...(value === undefined ? {} : { EventValue: value }),
          Timestamp: new Date(Date.UTC(2026, 0, 1) + event * 60_000).toISOString(),
        },
      });
    };
    for (let i = 0; i < (options.viewsPerCustomer ?? 23); i++) push('view', 2 + Math.floor(random() * 58));
    for (let i = 0; i < (options.addToCartsPerCustomer ?? 4); i++) push('add-to-cart');
    for (let i = 0; i < (options.purchasesPerCustomer ?? 23); i++) push('purchase');
  }
  return records;
}

/** A data set for `loadSampleData`, as JSON files given to `serve --sample-data` hold it. */
export interface SampleDataSet {
  /** The domain to load into; created (data store enabled) when it does not exist. */
  readonly domainName: string;
  /** Object types to put before the records (PutDomainObjectType `Fields`); existing ones are kept. */
  readonly objectTypes?: Record<string, Record<string, SampleField>>;
  /** Records for PutProfileObject, in order. */
  readonly records?: readonly SampleRecord[];
}

export interface SampleDataResult {
  readonly domainName: string;
  readonly createdDomain: boolean;
  readonly createdObjectTypes: string[];
  readonly records: number;
  readonly byObjectType: Record<string, number>;
}

/** The example's data set (generateSampleData) for a domain, with its three object types. */
export function demoDataSet(domainName: string, options: SampleDataOptions = {}): SampleDataSet {
  const records = generateSampleData(options);
  // Customers first: a web event then lands on the profile its customer record made.
  return { domainName, objectTypes: SAMPLE_OBJECT_TYPE_FIELDS, records: [...records].sort((a, b) => rank(a) - rank(b)) };
}

/** Checks a data set read from JSON, naming what is wrong (never echoing record contents). */
export function parseSampleDataSet(value: unknown): SampleDataSet {
  if (!isRecord(value) || typeof value.domainName !== 'string') throw new Error('a sample data set is a JSON object with a string "domainName"');
  if (value.objectTypes !== undefined && !isRecord(value.objectTypes)) throw new Error('"objectTypes" must map object type names to their Fields');
  if (value.records !== undefined) {
    if (!Array.isArray(value.records)) throw new Error('"records" must be an array');
    value.records.forEach((r, i) => {
      if (!isRecord(r) || typeof r.objectTypeName !== 'string' || !isRecord(r.object)) {
        throw new Error(`records[${i}] must be {"objectTypeName": string, "object": {...}}`);
      }
    });
  }
  return value as unknown as SampleDataSet;
}

/**
 * Loads a data set through CreateDomain, PutDomainObjectType and PutProfileObject run in-process
 * (validation, data-store and object type rules apply; faults, IAM and the request log do not).
 */
export function loadSampleData(emu: Emulator, set: SampleDataSet): SampleDataResult {
  const createdDomain = emu.state.domain(set.domainName) === undefined;
  if (createdDomain) {
    emu.call('CreateDomain', { DomainName: set.domainName, DefaultExpirationDays: 365, DataStore: { Enabled: true } });
  }
  const createdObjectTypes: string[] = [];
  for (const [name, fields] of Object.entries(set.objectTypes ?? {})) {
    if (emu.state.objectType(set.domainName, name)) continue;
    emu.call('PutDomainObjectType', { DomainName: set.domainName, ObjectTypeName: name, Description: `Sample data: ${name}`, Fields: fields });
    createdObjectTypes.push(name);
  }
  const byObjectType: Record<string, number> = {};
  for (const [i, r] of (set.records ?? []).entries()) {
    try {
      emu.call('PutProfileObject', { DomainName: set.domainName, ObjectTypeName: r.objectTypeName, Object: JSON.stringify(r.object) });
    } catch (e) {
      throw new Error(`records[${i}] (${r.objectTypeName}): ${e instanceof Error ? e.message : String(e)}`);
    }
    byObjectType[r.objectTypeName] = (byObjectType[r.objectTypeName] ?? 0) + 1;
  }
  return { domainName: set.domainName, createdDomain, createdObjectTypes, records: set.records?.length ?? 0, byObjectType };
}

function rank(r: SampleRecord): number {
  return r.objectTypeName === SAMPLE_OBJECT_TYPES.customers ? 0 : r.objectTypeName === SAMPLE_OBJECT_TYPES.products ? 1 : 2;
}

function productId(p: number): string {
  return `P${String(p + 1).padStart(3, '0')}`;
}

/** A small seeded PRNG (Park-Miller's minimal standard): the data set is the same on every run. */
function seededRandom(seed: number): () => number {
  const M = 2_147_483_647;
  let state = (Math.abs(Math.floor(seed)) % (M - 1)) + 1;
  return () => {
    state = (state * 48_271) % M;
    return (state - 1) / (M - 1);
  };
}
