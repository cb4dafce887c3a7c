import { requireDataStore } from './data-store';
import { requireDomain } from './domain';
import { badRequest, notFound } from './errors';
import { paginate } from './pagination';
import { Output } from './protocol';
import { OperationRegistry } from './registry';
import { parseSegmentSql } from './sql';
import { Context, DomainRecord, SegmentRecord } from './state';

/**
 * Segment definitions (SQL: ENHANCED, segment groups: CLASSIC), segment estimates and
 * memberships over seeded profiles. There is no UpdateSegmentDefinition in the API.
 */

// ---------------------------------------------------------------- Input shapes and constants

interface SegmentRef {
  readonly DomainName: string;
  readonly SegmentDefinitionName: string;
}

interface CreateInput extends SegmentRef {
  readonly DisplayName: string;
  readonly Description?: string;
  readonly SegmentGroups?: Record<string, unknown>;
  readonly SegmentSqlQuery?: string;
  readonly SegmentSort?: Record<string, unknown>;
  readonly Tags?: Record<string, string>;
}

interface EstimateInput {
  readonly DomainName: string;
  readonly SegmentQuery?: Record<string, unknown>;
  readonly SegmentSqlQuery?: string;
}

// ---------------------------------------------------------------- Operations

export function registerSegmentDefinitionOperations(registry: OperationRegistry): void {
  registry.register<CreateInput>('CreateSegmentDefinition', (input, ctx) => {
    const domain = requireDomain(ctx, input.DomainName);
    if ((input.SegmentSqlQuery === undefined) === (input.SegmentGroups === undefined)) {
      throw badRequest('Exactly one of SegmentSqlQuery and SegmentGroups must be provided');
    }
    if (input.SegmentSqlQuery !== undefined) requireDataStore(domain, 'SQL segment definitions (SegmentSqlQuery) can be created');
    if (domain.segments.has(input.SegmentDefinitionName)) {
      throw badRequest(`Segment definition ${input.SegmentDefinitionName} already exists in domain ${domain.name}`);
    }
    if (input.SegmentSqlQuery !== undefined) parseSegmentSql(input.SegmentSqlQuery);
    const record: SegmentRecord = {
      name: input.SegmentDefinitionName,
      arn: ctx.store.arn(`domains/${domain.name}/segment-definitions/${input.SegmentDefinitionName}`),
      config: {
        DisplayName: input.DisplayName,
        Description: input.Description,
        SegmentGroups: input.SegmentGroups,
        SegmentSqlQuery: input.SegmentSqlQuery,
        SegmentSort: input.SegmentSort,
      },
      segmentType: input.SegmentSqlQuery !== undefined ? 'ENHANCED' : 'CLASSIC',
      createdAt: ctx.clock.now(),
    };
    domain.segments.set(record.name, record);
    if (input.Tags) ctx.store.tags.set(record.arn, { ...input.Tags });
    return describeSegmentDefinition(ctx, record);
  });

  registry.register<SegmentRef>('GetSegmentDefinition', (input, ctx) => {
    const domain = requireDomain(ctx, input.DomainName);
    return describeSegmentDefinition(ctx, requireSegmentDefinition(domain, input.SegmentDefinitionName));
  });

  registry.register<SegmentRef>('DeleteSegmentDefinition', (input, ctx) => {
    const domain = requireDomain(ctx, input.DomainName);
    const record = requireSegmentDefinition(domain, input.SegmentDefinitionName);
    domain.segments.delete(record.name);
    ctx.store.dropTags(record.arn);
    return { Message: `Segment definition ${record.name} was deleted` };
  });

  registry.register<{ DomainName: string; NextToken?: string; MaxResults?: number }>('ListSegmentDefinitions', (input, ctx) => {
    const domain = requireDomain(ctx, input.DomainName);
    const all = [...domain.segments.values()].sort((a, b) => a.name.localeCompare(b.name));
    const page = paginate(all, input.NextToken, input.MaxResults);
    return {
      Items: page.items.map((s) => {
        const { SegmentGroups: _g, SegmentSqlQuery: _q, SegmentSort: _s, ...item } = describeSegmentDefinition(ctx, s);
        return item;
      }),
      NextToken: page.nextToken,
    };
  });

  registry.register<EstimateInput>('CreateSegmentEstimate', (input, ctx) => {
    const domain = requireDomain(ctx, input.DomainName);
    if ((input.SegmentSqlQuery === undefined) === (input.SegmentQuery === undefined)) {
      throw badRequest('Exactly one of SegmentSqlQuery and SegmentQuery must be provided');
    }
    if (input.SegmentSqlQuery !== undefined) requireDataStore(domain, 'SQL segment estimates (SegmentSqlQuery) can be created');
    // Segment groups are not evaluated: a classic estimate counts every profile.
    const selected = input.SegmentSqlQuery !== undefined ? parseSegmentSql(input.SegmentSqlQuery).filter(domain.profiles) : domain.profiles;
    const id = ctx.store.nextId();
    domain.estimates.set(id, { id, createdAt: ctx.clock.now(), count: selected.length });
    return { DomainName: domain.name, EstimateId: id, StatusCode: 202 };
  });

  registry.register<{ DomainName: string; EstimateId: string }>('GetSegmentEstimate', (input, ctx) => {
    const domain = requireDomain(ctx, input.DomainName);
    const estimate = domain.estimates.get(input.EstimateId);
    if (!estimate) throw notFound(`Segment estimate ${input.EstimateId} was not found in domain ${domain.name}`);
    const running = ctx.clock.now() < estimate.createdAt + ctx.timing.segmentEstimateSeconds * 1000;
    if (running) return { DomainName: domain.name, EstimateId: estimate.id, Status: 'RUNNING', StatusCode: 202 };
    if (domain.estimateFailure !== undefined) {
      return { DomainName: domain.name, EstimateId: estimate.id, Status: 'FAILED', Message: domain.estimateFailure, StatusCode: 200 };
    }
    return { DomainName: domain.name, EstimateId: estimate.id, Status: 'SUCCEEDED', Estimate: String(estimate.count), StatusCode: 200 };
  });

  registry.register<SegmentRef & { ProfileIds: string[] }>('GetSegmentMembership', (input, ctx) => {
    const domain = requireDomain(ctx, input.DomainName);
    const segment = requireSegmentDefinition(domain, input.SegmentDefinitionName);
    const members = new Set(segmentMembers(domain, segment));
    const Profiles: Output[] = [];
    const Failures: Output[] = [];
    for (const id of input.ProfileIds) {
      const profile = domain.profiles.find((p) => p.ProfileId === id);
      if (!profile) {
        Failures.push({ ProfileId: id, Message: `Profile ${id} was not found`, Status: 404 });
      } else if (members.has(profile)) {
        Profiles.push({ ProfileId: id, QueryResult: 'PRESENT', Profile: profile });
      } else {
        Profiles.push({ ProfileId: id, QueryResult: 'ABSENT' });
      }
    }
    // Membership is computed on demand, so it is always as of now.
    return { SegmentDefinitionName: segment.name, Profiles, Failures, LastComputedAt: new Date(ctx.clock.now()) };
  });
}

// ---------------------------------------------------------------- Lookups

function requireSegmentDefinition(domain: DomainRecord, name: string): SegmentRecord {
  const record = domain.segments.get(name);
  if (!record) throw notFound(`Segment definition ${name} was not found in domain ${domain.name}`);
  return record;
}

// ---------------------------------------------------------------- Behaviour

function segmentMembers(domain: DomainRecord, segment: SegmentRecord): Array<Record<string, unknown>> {
  const sql = segment.config.SegmentSqlQuery;
  return typeof sql === 'string' ? parseSegmentSql(sql).filter(domain.profiles) : domain.profiles;
}

// ---------------------------------------------------------------- Output shape

/** The segment definition in the GetSegmentDefinition output shape. */
export function describeSegmentDefinition(ctx: Context, s: SegmentRecord): Output {
  return {
    SegmentDefinitionName: s.name,
    DisplayName: s.config.DisplayName,
    Description: s.config.Description,
    SegmentGroups: s.config.SegmentGroups,
    SegmentSort: s.config.SegmentSort,
    SegmentDefinitionArn: s.arn,
    CreatedAt: new Date(s.createdAt),
    Tags: ctx.store.tags.get(s.arn),
    SegmentSqlQuery: s.config.SegmentSqlQuery,
    SegmentType: s.segmentType,
  };
}
