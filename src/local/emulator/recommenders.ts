import { requireDomain } from './domains';
import { badRequest, notFound } from './errors';
import { paginate } from './pagination';
import { Input, Output } from './protocol';
import { OperationRegistry } from './registry';
import { Context, DomainRecord, RecommenderPhase, RecommenderRecord } from './state';

/**
 * Recommenders and their state machine. A recommender's life is a list of timed phases
 * (PENDING -> IN_PROGRESS -> ACTIVE on create, STARTING -> ACTIVE, STOPPING -> INACTIVE,
 * DELETING -> gone); its status is read off the clock, so tests move time instead of waiting.
 */

interface RecommenderRef {
  readonly DomainName: string;
  readonly RecommenderName: string;
}

interface CreateInput extends RecommenderRef {
  readonly RecommenderRecipeName: string;
  readonly RecommenderConfig?: Record<string, unknown>;
  readonly Description?: string;
  readonly RecommenderSchemaName?: string;
  readonly Tags?: Record<string, string>;
}

interface UpdateInput extends RecommenderRef {
  readonly Description?: string;
  readonly RecommenderConfig?: Record<string, unknown>;
}

interface RecommendationsInput {
  readonly DomainName: string;
  readonly ProfileId: string;
  readonly RecommenderName: string;
  readonly MaxResults?: number;
}

/** Short descriptions for ListRecommenderRecipes; recipes the model adds later still list, without one. */
const RECIPE_DESCRIPTIONS: Record<string, string> = {
  'recommended-for-you': 'Personalized recommendations for a profile, based on its interactions',
  'similar-items': 'Items similar to a given item',
  'frequently-paired-items': 'Items frequently interacted with together with a given item',
  'popular-items': 'The most popular items',
  'trending-now': 'Items whose popularity is rising fastest',
  'personalized-ranking': 'A list of items ranked for a profile',
};

/** Fraction of the training time a new recommender spends PENDING before IN_PROGRESS. */
const PENDING_SHARE = 0.1;

export function registerRecommenderOperations(registry: OperationRegistry): void {
  registry.register<CreateInput>('CreateRecommender', (input, ctx) => {
    const domain = requireDomain(ctx, input.DomainName);
    const existing = domain.recommenders.get(input.RecommenderName);
    if (existing) {
      const state = currentStatus(ctx, existing) === 'DELETING' ? 'is being deleted' : 'already exists';
      throw badRequest(`Recommender ${input.RecommenderName} ${state} in domain ${domain.name}`);
    }
    const now = ctx.clock.now();
    const training = ctx.timing.recommenderTrainingSeconds * 1000;
    const record: RecommenderRecord = {
      name: input.RecommenderName,
      arn: ctx.store.arn(`domains/${domain.name}/recommenders/${input.RecommenderName}`),
      recipeName: input.RecommenderRecipeName,
      config: { RecommenderConfig: input.RecommenderConfig, Description: input.Description, RecommenderSchemaName: input.RecommenderSchemaName },
      createdAt: now,
      lastUpdatedAt: now,
      phases: [
        { status: 'PENDING', from: now },
        { status: 'IN_PROGRESS', from: now + Math.floor(training * PENDING_SHARE) },
        { status: 'ACTIVE', from: now + training },
      ],
    };
    domain.recommenders.set(record.name, record);
    if (input.Tags) ctx.store.tags.set(record.arn, { ...input.Tags });
    return { RecommenderArn: record.arn, Tags: ctx.store.tags.get(record.arn) };
  });

  registry.register<RecommenderRef & { TrainingMetricsCount?: number }>('GetRecommender', (input, ctx) => {
    const record = requireRecommender(ctx, requireDomain(ctx, input.DomainName), input.RecommenderName);
    return describeRecommender(ctx, record, input.TrainingMetricsCount);
  });

  registry.register<UpdateInput>('UpdateRecommender', (input, ctx) => {
    const record = requireRecommender(ctx, requireDomain(ctx, input.DomainName), input.RecommenderName);
    const status = currentStatus(ctx, record);
    if (status !== 'ACTIVE' && status !== 'INACTIVE') {
      throw badRequest(`Recommender ${record.name} cannot be updated while its status is ${status}; updates are accepted in ACTIVE or INACTIVE`);
    }
    const now = ctx.clock.now();
    if (record.latestUpdate && !record.latestUpdate.failureReason && record.latestUpdate.until > now) {
      throw badRequest(`Recommender ${record.name} already has an update in progress`);
    }
    const config: Input = {};
    if (input.Description !== undefined) config.Description = input.Description;
    if (input.RecommenderConfig !== undefined) config.RecommenderConfig = input.RecommenderConfig;
    record.latestUpdate = { config, from: now, until: now + ctx.timing.recommenderUpdateSeconds * 1000 };
    applyFinishedUpdate(ctx, record);
    return { RecommenderName: record.name };
  });

  registry.register<RecommenderRef>('StartRecommender', (input, ctx) => {
    const record = requireRecommender(ctx, requireDomain(ctx, input.DomainName), input.RecommenderName);
    const status = currentStatus(ctx, record);
    if (status !== 'INACTIVE') {
      throw badRequest(`Recommender ${record.name} cannot be started while its status is ${status}; only an INACTIVE recommender can be started`);
    }
    transition(ctx, record, 'STARTING', 'ACTIVE', ctx.timing.recommenderStartSeconds);
    return {};
  });

  registry.register<RecommenderRef>('StopRecommender', (input, ctx) => {
    const record = requireRecommender(ctx, requireDomain(ctx, input.DomainName), input.RecommenderName);
    const status = currentStatus(ctx, record);
    if (status !== 'ACTIVE') {
      throw badRequest(`Recommender ${record.name} cannot be stopped while its status is ${status}; only an ACTIVE recommender can be stopped`);
    }
    transition(ctx, record, 'STOPPING', 'INACTIVE', ctx.timing.recommenderStopSeconds);
    return {};
  });

  registry.register<RecommenderRef>('DeleteRecommender', (input, ctx) => {
    const domain = requireDomain(ctx, input.DomainName);
    const record = requireRecommender(ctx, domain, input.RecommenderName);
    // Deleting a recommender that is already being deleted is accepted: retried deletes are harmless.
    if (record.deletedAt === undefined) {
      const now = ctx.clock.now();
      record.phases = [...pastPhases(ctx, record), { status: 'DELETING', from: now }];
      record.deletedAt = now + ctx.timing.recommenderDeleteSeconds * 1000;
      ctx.store.sweep(now);
    }
    return {};
  });

  registry.register<{ DomainName: string; NextToken?: string; MaxResults?: number }>('ListRecommenders', (input, ctx) => {
    const domain = requireDomain(ctx, input.DomainName);
    const all = [...domain.recommenders.values()].sort((a, b) => a.name.localeCompare(b.name));
    const page = paginate(all, input.NextToken, input.MaxResults);
    return {
      Recommenders: page.items.map((r) => {
        const { RecommenderRecipeName, ...rest } = describeRecommender(ctx, r);
        // The list item calls the recipe RecipeName (REFERENCE §2).
        return { ...rest, RecipeName: RecommenderRecipeName };
      }),
      NextToken: page.nextToken,
    };
  });

  registry.register<{ NextToken?: string; MaxResults?: number }>('ListRecommenderRecipes', (input, ctx) => {
    const names = ctx.model.enumValues('com.amazonaws.customerprofiles#RecommenderRecipeName');
    const page = paginate(names, input.NextToken, input.MaxResults);
    return {
      RecommenderRecipes: page.items.map((name) => ({ name, description: RECIPE_DESCRIPTIONS[name] })),
      NextToken: page.nextToken,
    };
  });

  registry.register<RecommendationsInput>('GetProfileRecommendations', (input, ctx) => {
    const domain = requireDomain(ctx, input.DomainName);
    const record = requireRecommender(ctx, domain, input.RecommenderName);
    const status = currentStatus(ctx, record);
    if (status !== 'ACTIVE') {
      throw badRequest(`Recommender ${record.name} is not ACTIVE (status ${status}); recommendations are only served by an ACTIVE recommender`);
    }
    const items = [...(domain.recommendations.get(record.name)?.get(input.ProfileId) ?? [])]
      .sort((a, b) => (b.score ?? 0) - (a.score ?? 0))
      .slice(0, input.MaxResults ?? 25);
    return { Recommendations: items.map((i) => ({ CatalogItem: { Id: i.catalogItemId }, Score: i.score })) };
  });
}

export function requireRecommender(ctx: Context, domain: DomainRecord, name: string): RecommenderRecord {
  ctx.store.sweep(ctx.clock.now());
  const record = domain.recommenders.get(name);
  if (!record) throw notFound(`Recommender ${name} was not found in domain ${domain.name}`);
  return record;
}

/** The status at the clock's current time. */
export function currentStatus(ctx: Context, record: RecommenderRecord): string {
  return currentPhase(ctx, record).status;
}

function currentPhase(ctx: Context, record: RecommenderRecord): RecommenderPhase {
  const now = ctx.clock.now();
  let phase = record.phases[0];
  for (const p of record.phases) if (p.from <= now) phase = p;
  return phase;
}

/** Phases that have started by now (future ones are dropped when a new transition begins). */
function pastPhases(ctx: Context, record: RecommenderRecord): RecommenderPhase[] {
  const now = ctx.clock.now();
  return record.phases.filter((p) => p.from <= now);
}

function transition(ctx: Context, record: RecommenderRecord, during: string, after: string, seconds: number): void {
  const now = ctx.clock.now();
  record.phases = [...pastPhases(ctx, record), { status: during, from: now }, { status: after, from: now + seconds * 1000 }];
  record.failureReason = undefined;
  record.lastUpdatedAt = now;
}

/** Once an update's time has passed (and it did not fail), its configuration becomes the recommender's. */
function applyFinishedUpdate(ctx: Context, record: RecommenderRecord): void {
  const update = record.latestUpdate;
  if (!update || update.failureReason || update.until > ctx.clock.now() || update.applied) return;
  record.config = { ...record.config, ...update.config };
  record.lastUpdatedAt = update.until;
  update.applied = true;
}

/** The recommender in the GetRecommender output shape. */
export function describeRecommender(ctx: Context, record: RecommenderRecord, trainingMetricsCount = 0): Output {
  applyFinishedUpdate(ctx, record);
  const phase = currentPhase(ctx, record);
  const now = ctx.clock.now();
  const update = record.latestUpdate;
  const activeSince = record.phases.find((p) => p.status === 'ACTIVE' && p.from <= now)?.from;
  return {
    RecommenderName: record.name,
    RecommenderRecipeName: record.recipeName,
    RecommenderSchemaName: record.config.RecommenderSchemaName,
    RecommenderConfig: record.config.RecommenderConfig,
    Description: record.config.Description,
    Status: phase.status,
    CreatedAt: new Date(record.createdAt),
    LastUpdatedAt: new Date(Math.max(record.lastUpdatedAt, phase.from)),
    FailureReason: phase.status === 'FAILED' ? record.failureReason : undefined,
    LatestRecommenderUpdate: update
      ? {
        RecommenderConfig: update.config.RecommenderConfig,
        Status: update.failureReason ? 'FAILED' : update.until > now ? 'IN_PROGRESS' : 'ACTIVE',
        CreatedAt: new Date(update.from),
        LastUpdatedAt: new Date(update.until > now ? update.from : update.until),
        FailureReason: update.failureReason,
      }
      : undefined,
    // Training happened once the recommender first became ACTIVE; the metrics are fixed sample values.
    TrainingMetrics: trainingMetricsCount > 0 && activeSince !== undefined
      ? [{ Time: new Date(activeSince), Metrics: { hit: 0.25, coverage: 0.5, recall: 0.3, freshness: 0.8 } }]
      : undefined,
    Tags: ctx.store.tags.get(record.arn),
  };
}
