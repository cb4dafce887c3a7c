import { badRequest, notFound } from './errors';
import { paginate } from './pagination';
import { Input, Output } from './protocol';
import { OperationRegistry } from './registry';
import { Context, DomainRecord } from './state';

/** Domains: CreateDomain, GetDomain, UpdateDomain, DeleteDomain, ListDomains. */

// ---------------------------------------------------------------- Input shapes and constants

interface DomainInput {
  readonly DomainName: string;
  readonly DefaultExpirationDays?: number;
  readonly DefaultEncryptionKey?: string;
  readonly DeadLetterQueueUrl?: string;
  readonly Matching?: Record<string, unknown>;
  readonly RuleBasedMatching?: Record<string, unknown>;
  readonly DataStore?: { readonly Enabled?: boolean };
  readonly Tags?: Record<string, string>;
}

interface ListInput {
  readonly NextToken?: string;
  readonly MaxResults?: number;
}

/** Domain members that Create stores and Update changes (Tags and DataStore have their own rules). */
const CONFIG_MEMBERS = ['DefaultExpirationDays', 'DefaultEncryptionKey', 'DeadLetterQueueUrl', 'Matching', 'RuleBasedMatching'] as const;

// ---------------------------------------------------------------- Operations

export function registerDomainOperations(registry: OperationRegistry): void {
  registry.register<DomainInput>('CreateDomain', (input, ctx) => {
    const { store, clock } = ctx;
    if (store.domains.has(input.DomainName)) {
      throw badRequest(`Domain ${input.DomainName} already exists`);
    }
    const now = clock.now();
    const config: Input = {};
    for (const m of CONFIG_MEMBERS) {
      if (input[m] !== undefined && input[m] !== '') config[m] = input[m];
    }
    const domain: DomainRecord = {
      name: input.DomainName,
      arn: store.arn(`domains/${input.DomainName}`),
      createdAt: now,
      lastUpdatedAt: now,
      config,
      dataStore: input.DataStore ? { enabled: input.DataStore.Enabled === true, readyFrom: input.DataStore.Enabled ? now : undefined } : undefined,
      objectTypes: new Map(),
      recommenders: new Map(),
      segments: new Map(),
      estimates: new Map(),
      objects: new Map(),
      profiles: [],
      recommendations: new Map(),
    };
    store.domains.set(domain.name, domain);
    if (input.Tags) store.tags.set(domain.arn, { ...input.Tags });
    return describeDomain(ctx, domain);
  });

  registry.register<{ DomainName: string }>('GetDomain', (input, ctx) => describeDomain(ctx, requireDomain(ctx, input.DomainName)));

  registry.register<DomainInput>('UpdateDomain', (input, ctx) => {
    const { store, clock } = ctx;
    const domain = requireDomain(ctx, input.DomainName);
    const now = clock.now();
    for (const m of CONFIG_MEMBERS) {
      const v = input[m];
      if (v === undefined) continue; // members not sent stay as they are
      // The service documents that an empty key or queue URL clears the setting.
      if (v === '') delete domain.config[m];
      else domain.config[m] = v;
    }
    if (input.DataStore?.Enabled !== undefined) {
      const wasEnabled = domain.dataStore?.enabled === true;
      if (wasEnabled && !input.DataStore.Enabled) {
        throw badRequest(`The data store of domain ${domain.name} is enabled and cannot be disabled`);
      }
      if (!wasEnabled && input.DataStore.Enabled) {
        domain.dataStore = { enabled: true, readyFrom: now };
      } else if (!domain.dataStore) {
        domain.dataStore = { enabled: false };
      }
    }
    if (input.Tags) store.tags.set(domain.arn, { ...(store.tags.get(domain.arn) ?? {}), ...input.Tags });
    domain.lastUpdatedAt = now;
    return describeDomain(ctx, domain);
  });

  registry.register<{ DomainName: string }>('DeleteDomain', (input, ctx) => {
    const domain = requireDomain(ctx, input.DomainName);
    // The service deletes the domain with everything in it: object types, recommenders, segments.
    ctx.store.domains.delete(domain.name);
    ctx.store.dropTags(domain.arn);
    return { Message: `Domain ${domain.name} was deleted` };
  });

  registry.register<ListInput>('ListDomains', (input, ctx) => {
    const all = [...ctx.store.domains.values()].sort((a, b) => a.name.localeCompare(b.name));
    const page = paginate(all, input.NextToken, input.MaxResults);
    return {
      Items: page.items.map((d) => ({
        DomainName: d.name,
        CreatedAt: new Date(d.createdAt),
        LastUpdatedAt: new Date(d.lastUpdatedAt),
        Tags: ctx.store.tags.get(d.arn),
      })),
      NextToken: page.nextToken,
    };
  });
}

// ---------------------------------------------------------------- Lookups

export function requireDomain(ctx: Context, name: string): DomainRecord {
  const domain = ctx.store.domains.get(name);
  if (!domain) throw notFound(`Domain ${name} was not found`);
  return domain;
}

// ---------------------------------------------------------------- Behaviour

/** Readiness of the data store at the clock's current time: linear from 0 to 100 over dataStoreReadySeconds. */
export function dataStoreReadiness(ctx: Context, domain: DomainRecord): { ProgressPercentage: number; Message: string } | undefined {
  const ds = domain.dataStore;
  if (!ds?.enabled || ds.readyFrom === undefined) return undefined;
  if (ds.failure) return { ProgressPercentage: ds.failure.progress, Message: ds.failure.message };
  const progress = readinessProgress(ctx, ds.readyFrom);
  return {
    ProgressPercentage: progress,
    Message: progress >= 100 ? 'Data store is ready' : `Data store is being prepared (${progress}%)`,
  };
}

export function readinessProgress(ctx: Context, from: number): number {
  const total = ctx.timing.dataStoreReadySeconds * 1000;
  if (total <= 0) return 100;
  return Math.max(0, Math.min(100, Math.floor(((ctx.clock.now() - from) / total) * 100)));
}

/** True when the domain's data store is enabled (readiness does not matter, as with the service). */
export function dataStoreEnabled(domain: DomainRecord): boolean {
  return domain.dataStore?.enabled === true;
}

/** Domains whose GetDomain answer leaves out an optional member (test hook `omitFromGetDomain`). */
const omitted = new WeakMap<DomainRecord, 'Readiness' | 'DataStore'>();

/**
 * Makes the domain's description leave out `DataStore.Readiness` or the whole `DataStore`: the
 * model has both optional, and the handler must not wait for a readiness the service never reports.
 */
export function omitFromGetDomain(domain: DomainRecord, member: 'Readiness' | 'DataStore'): void {
  omitted.set(domain, member);
}

function dataStoreOutput(ctx: Context, domain: DomainRecord): Output | undefined {
  const member = omitted.get(domain);
  if (!domain.dataStore || member === 'DataStore') return undefined;
  return { Enabled: domain.dataStore.enabled, Readiness: member === 'Readiness' ? undefined : dataStoreReadiness(ctx, domain) };
}

// ---------------------------------------------------------------- Output shape

/** The domain in the GetDomain output shape. */
export function describeDomain(ctx: Context, domain: DomainRecord): Output {
  const c = domain.config;
  const ruleBased = c.RuleBasedMatching as Record<string, unknown> | undefined;
  const objectCount = [...domain.objects.values()].reduce((n, records) => n + records.length, 0);
  return {
    DomainName: domain.name,
    DefaultExpirationDays: c.DefaultExpirationDays,
    DefaultEncryptionKey: c.DefaultEncryptionKey,
    DeadLetterQueueUrl: c.DeadLetterQueueUrl,
    Stats: {
      ProfileCount: domain.profiles.length,
      MeteringProfileCount: domain.profiles.length,
      ObjectCount: objectCount,
      TotalSize: Buffer.byteLength(JSON.stringify([domain.profiles, [...domain.objects.values()]])),
    },
    Matching: c.Matching,
    // Rule-based matching reports a status; the emulator has no matching jobs, so enabled means ACTIVE.
    RuleBasedMatching: ruleBased ? { ...ruleBased, Status: ruleBased.Enabled ? 'ACTIVE' : undefined } : undefined,
    DataStore: dataStoreOutput(ctx, domain),
    CreatedAt: new Date(domain.createdAt),
    LastUpdatedAt: new Date(domain.lastUpdatedAt),
    Tags: ctx.store.tags.get(domain.arn),
  };
}
