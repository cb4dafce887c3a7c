import { requireDataStore } from './data-store';
import { requireDomain } from './domain';
import { badRequest, notFound } from './errors';
import { paginate } from './pagination';
import { Input, Output } from './protocol';
import { OperationRegistry } from './registry';
import { Context, DomainRecord, ObjectTypeRecord } from './state';

/**
 * Domain object types: PutDomainObjectType, GetDomainObjectType, DeleteDomainObjectType,
 * ListDomainObjectTypes, and the attribute insights over seeded records
 * (ListObjectTypeAttributeValues, GetObjectTypeAttributeStatistics).
 */

// ---------------------------------------------------------------- Input shapes and constants

interface ObjectTypeRef {
  readonly DomainName: string;
  readonly ObjectTypeName: string;
}

interface PutInput extends ObjectTypeRef {
  readonly Description?: string;
  readonly EncryptionKey?: string;
  readonly Fields: Record<string, unknown>;
  readonly Tags?: Record<string, string>;
}

interface AttributeRef extends ObjectTypeRef {
  readonly AttributeName: string;
}

// ---------------------------------------------------------------- Operations

export function registerDomainObjectTypeOperations(registry: OperationRegistry): void {
  registry.register<PutInput>('PutDomainObjectType', (input, ctx) => {
    const domain = requireDomain(ctx, input.DomainName);
    requireDataStore(domain, 'domain object types can be put');
    const now = ctx.clock.now();
    const config: Input = { Description: input.Description, EncryptionKey: input.EncryptionKey, Fields: input.Fields };
    const existing = domain.objectTypes.get(input.ObjectTypeName);
    let record: ObjectTypeRecord;
    if (existing) {
      // Put is an upsert: the new definition replaces the old one as a whole.
      existing.config = config;
      existing.lastUpdatedAt = now;
      record = existing;
    } else {
      record = {
        name: input.ObjectTypeName,
        arn: ctx.store.arn(`domains/${domain.name}/domain-object-types/${input.ObjectTypeName}`),
        config,
        createdAt: now,
        lastUpdatedAt: now,
      };
      domain.objectTypes.set(record.name, record);
    }
    if (input.Tags) ctx.store.tags.set(record.arn, { ...(ctx.store.tags.get(record.arn) ?? {}), ...input.Tags });
    return describeDomainObjectType(ctx, record);
  });

  registry.register<ObjectTypeRef>('GetDomainObjectType', (input, ctx) => {
    const domain = requireDomain(ctx, input.DomainName);
    return describeDomainObjectType(ctx, requireDomainObjectType(domain, input.ObjectTypeName));
  });

  registry.register<ObjectTypeRef>('DeleteDomainObjectType', (input, ctx) => {
    const domain = requireDomain(ctx, input.DomainName);
    const record = requireDomainObjectType(domain, input.ObjectTypeName);
    domain.objectTypes.delete(record.name);
    ctx.store.dropTags(record.arn);
    return {};
  });

  registry.register<{ DomainName: string; NextToken?: string; MaxResults?: number }>('ListDomainObjectTypes', (input, ctx) => {
    const domain = requireDomain(ctx, input.DomainName);
    const all = [...domain.objectTypes.values()].sort((a, b) => a.name.localeCompare(b.name));
    const page = paginate(all, input.NextToken, input.MaxResults);
    return {
      Items: page.items.map((t) => ({
        ObjectTypeName: t.name,
        Description: t.config.Description,
        CreatedAt: new Date(t.createdAt),
        LastUpdatedAt: new Date(t.lastUpdatedAt),
        Tags: ctx.store.tags.get(t.arn),
      })),
      NextToken: page.nextToken,
    };
  });

  registry.register<AttributeRef & { NextToken?: string; MaxResults?: number }>('ListObjectTypeAttributeValues', (input, ctx) => {
    const domain = requireDomain(ctx, input.DomainName);
    const records = seededRecords(domain, input.ObjectTypeName);
    // Distinct values, each with the last time a record carrying it was written.
    const lastUpdated = new Map<string, number>();
    for (const r of records) {
      const v = r.values[input.AttributeName];
      if (v === undefined) continue;
      const key = String(v);
      lastUpdated.set(key, Math.max(lastUpdated.get(key) ?? 0, r.at));
    }
    const all = [...lastUpdated.entries()].sort(([a], [b]) => a.localeCompare(b));
    const page = paginate(all, input.NextToken, input.MaxResults);
    return {
      Items: page.items.map(([Value, at]) => ({ Value, LastUpdatedAt: new Date(at) })),
      NextToken: page.nextToken,
    };
  });

  registry.register<AttributeRef>('GetObjectTypeAttributeStatistics', (input, ctx) => {
    const domain = requireDomain(ctx, input.DomainName);
    const values = seededRecords(domain, input.ObjectTypeName)
      .map((r) => r.values[input.AttributeName])
      .filter((v) => v !== undefined && v !== '')
      .map(Number);
    if (values.length === 0) {
      throw notFound(`Attribute ${input.AttributeName} of object type ${input.ObjectTypeName} has no values`);
    }
    if (values.some((v) => Number.isNaN(v))) {
      throw badRequest(`Attribute ${input.AttributeName} of object type ${input.ObjectTypeName} is not numeric: statistics need numeric values`);
    }
    return { Statistics: statistics(values), CalculatedAt: new Date(ctx.clock.now()) };
  });
}

// ---------------------------------------------------------------- Lookups

export function requireDomainObjectType(domain: DomainRecord, name: string): ObjectTypeRecord {
  const record = domain.objectTypes.get(name);
  if (!record) throw notFound(`Domain object type ${name} was not found in domain ${domain.name}`);
  return record;
}

// ---------------------------------------------------------------- Behaviour

/** Records seeded for an object type; the object type must be defined or have seeded records. */
function seededRecords(domain: DomainRecord, objectTypeName: string) {
  const records = domain.objects.get(objectTypeName);
  if (!records && !domain.objectTypes.has(objectTypeName)) {
    throw notFound(`Object type ${objectTypeName} was not found in domain ${domain.name}`);
  }
  return records ?? [];
}

/** Min, max, mean, population standard deviation and linearly interpolated percentiles. */
export function statistics(values: number[]): Output {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const mean = sorted.reduce((s, v) => s + v, 0) / n;
  const variance = sorted.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
  const percentile = (p: number): number => {
    const rank = (p / 100) * (n - 1);
    const lo = Math.floor(rank);
    const hi = Math.ceil(rank);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
  };
  return {
    Maximum: sorted[n - 1],
    Minimum: sorted[0],
    Average: mean,
    StandardDeviation: Math.sqrt(variance),
    Percentiles: { P5: percentile(5), P25: percentile(25), P50: percentile(50), P75: percentile(75), P95: percentile(95) },
  };
}

// ---------------------------------------------------------------- Output shape

/** The object type in the GetDomainObjectType output shape. */
export function describeDomainObjectType(ctx: Context, t: ObjectTypeRecord): Output {
  return {
    ObjectTypeName: t.name,
    Description: t.config.Description,
    EncryptionKey: t.config.EncryptionKey,
    Fields: t.config.Fields,
    CreatedAt: new Date(t.createdAt),
    LastUpdatedAt: new Date(t.lastUpdatedAt),
    Tags: ctx.store.tags.get(t.arn),
  };
}
