import { requireDataStore } from './data-store';
import { requireDomain } from './domain';
import { badRequest, notFound } from './errors';
import { paginate } from './pagination';
import { catalogItem, interactionsUntil, StoredInteraction } from './profile-objects';
import { Input, Output } from './protocol';
import { OperationRegistry } from './registry';
import { Context, DomainRecord, RecommenderPhase, RecommenderRecord } from './state';

/**
 * Recommenders and their state machine. A recommender's life is a list of timed phases
 * (PENDING -> IN_PROGRESS -> ACTIVE on create, STARTING -> ACTIVE, STOPPING -> INACTIVE,
 * DELETING -> gone); its status is read off the clock, so tests move time instead of waiting.
 *
 * Training needs data: when a training (create, or an update) would finish, the domain's
 * interactions of the recommender's event types put until then are counted against
 * `ctx.training` (Amazon Personalize's documented minimum by default); too few, and the training
 * ends FAILED with a FailureReason (an update FAILED keeps the previous configuration).
 * GetProfileRecommendations answers from the data the latest successful training saw.
 */

// ---------------------------------------------------------------- Input shapes and constants

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
  readonly CandidateIds?: string[];
}

interface EventParameter {
  readonly EventType: string;
  readonly EventValueThreshold?: number;
  readonly EventWeight?: number;
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

/** GetProfileRecommendations' documented default. */
const DEFAULT_MAX_RESULTS = 10;

/** Recipes that rank the same items for everyone; the others rank by what similar profiles did. */
const POPULARITY_RECIPES = new Set(['popular-items', 'trending-now']);

const DAY_MS = 86_400_000;

// ---------------------------------------------------------------- Operations

export function registerRecommenderOperations(registry: OperationRegistry): void {
  registry.register<CreateInput>('CreateRecommender', (input, ctx) => {
    const domain = requireDomain(ctx, input.DomainName);
    requireDataStore(domain, 'recommenders can be created');
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
        { status: 'ACTIVE', from: now + training, trains: true },
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
    const max = input.MaxResults ?? DEFAULT_MAX_RESULTS;
    const seeded = domain.recommendations.get(record.name)?.get(input.ProfileId);
    if (seeded) {
      const items = [...seeded].sort((a, b) => (b.score ?? 0) - (a.score ?? 0)).slice(0, max);
      return { Recommendations: items.map((i) => ({ CatalogItem: { Id: i.catalogItemId }, Score: i.score })) };
    }
    const ranked = recommend(domain, record, input.ProfileId, input.CandidateIds).slice(0, max);
    return { Recommendations: ranked.map(([id, score]) => ({ CatalogItem: catalogItem(ctx.model, domain, id), Score: score })) };
  });
}

// ---------------------------------------------------------------- Lookups

export function requireRecommender(ctx: Context, domain: DomainRecord, name: string): RecommenderRecord {
  ctx.store.sweep(ctx.clock.now());
  const record = domain.recommenders.get(name);
  if (!record) throw notFound(`Recommender ${name} was not found in domain ${domain.name}`);
  return record;
}

// ---------------------------------------------------------------- Behaviour

/** The status at the clock's current time. */
export function currentStatus(ctx: Context, record: RecommenderRecord): string {
  return currentPhase(ctx, record).status;
}

function currentPhase(ctx: Context, record: RecommenderRecord): RecommenderPhase {
  settleTraining(ctx, record);
  const now = ctx.clock.now();
  let phase = record.phases[0];
  for (const p of record.phases) if (p.from <= now) phase = p;
  return phase;
}

/** Phases that have started by now (future ones are dropped when a new transition begins). */
function pastPhases(ctx: Context, record: RecommenderRecord): RecommenderPhase[] {
  settleTraining(ctx, record);
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
  const config = { ...record.config, ...update.config };
  const domain = domainOf(ctx, record);
  const reason = domain ? insufficientData(ctx, domain, config, update.until) : undefined;
  if (reason) {
    update.failureReason = reason;
    return;
  }
  record.config = config;
  record.lastUpdatedAt = update.until;
  record.trainedAt = update.until;
  update.applied = true;
}

/** Once a training's end has passed, checks the data it had: ACTIVE with a model, or FAILED with the reason. */
function settleTraining(ctx: Context, record: RecommenderRecord): void {
  const i = record.phases.findIndex((p) => p.trains && p.from <= ctx.clock.now());
  if (i < 0) return;
  const end = record.phases[i].from;
  const domain = domainOf(ctx, record);
  const reason = domain ? insufficientData(ctx, domain, record.config, end) : undefined;
  if (reason) {
    // Nothing can follow an unsettled training: every transition reads the status first.
    record.phases = [...record.phases.slice(0, i), { status: 'FAILED', from: end }];
    record.failureReason = reason;
  } else {
    record.phases = record.phases.map((p, k) => (k === i ? { status: p.status, from: p.from } : p));
    record.trainedAt = end;
  }
}

function domainOf(ctx: Context, record: RecommenderRecord): DomainRecord | undefined {
  return [...ctx.store.domains.values()].find((d) => d.recommenders.get(record.name) === record);
}

function eventParameters(config: Input): EventParameter[] | undefined {
  const rc = config.RecommenderConfig as { EventsConfig?: { EventParametersList?: EventParameter[] } } | undefined;
  return rc?.EventsConfig?.EventParametersList;
}

/**
 * The interactions a recommender of this configuration trains on at `at`, with their weight:
 * those of its event types (all, without EventsConfig), less those whose value is below the
 * event type's EventValueThreshold.
 */
function trainingData(domain: DomainRecord, config: Input, at: number): Array<StoredInteraction & { weight: number }> {
  const params = eventParameters(config);
  return interactionsUntil(domain, at).flatMap((i) => {
    const p = params?.find((x) => x.EventType === i.eventType);
    if (params && !p) return [];
    if (p?.EventValueThreshold !== undefined && i.eventValue !== undefined && i.eventValue < p.EventValueThreshold) return [];
    return [{ ...i, weight: p?.EventWeight ?? 1 }];
  });
}

/** Why a training on the domain's data at `at` fails, or undefined when the data is enough. */
function insufficientData(ctx: Context, domain: DomainRecord, config: Input, at: number): string | undefined {
  const { minInteractions, minUsers, minInteractionsPerUser } = ctx.training;
  const data = trainingData(domain, config, at);
  const perUser = new Map<string, number>();
  for (const i of data) perUser.set(i.profileId, (perUser.get(i.profileId) ?? 0) + 1);
  const users = [...perUser.values()].filter((n) => n >= minInteractionsPerUser).length;
  if (data.length >= minInteractions && users >= minUsers) return undefined;
  const names = eventParameters(config)?.map((p) => p.EventType);
  const listed = names?.join(', ') ?? '';
  // Event types may be 256 characters each: a long list is counted, not quoted.
  const types = names === undefined ? 'of any event type' : listed.length <= 100 ? `of the event types (${listed})` : `of its ${names.length} event types`;
  // No final period: the handler quotes the reason inside its own sentence.
  return `Insufficient training data: the domain has ${data.length} interactions ${types} and ${users} users with at least `
    + `${minInteractionsPerUser} of them; training needs at least ${minInteractions} interactions and ${minUsers} users with at least ${minInteractionsPerUser} each`;
}

/**
 * The trained model's ranking for a profile, as [item, score 0-1], best first (ties by item id,
 * so answers are deterministic). Popularity recipes rank by weighted interaction counts
 * (trending-now discounts older ones); the others by the weighted interactions of profiles that
 * share items with this one, without the items it already has, falling back to popularity for a
 * profile without interactions. CandidateIds restricts (and may re-rank) the items.
 */
function recommend(domain: DomainRecord, record: RecommenderRecord, profileId: string, candidates?: string[]): Array<[string, number]> {
  const trainedAt = record.trainedAt;
  if (trainedAt === undefined) return [];
  const popularity = new Map<string, number>();
  const byProfile = new Map<string, Map<string, number>>();
  const add = (m: Map<string, number>, k: string, w: number) => m.set(k, (m.get(k) ?? 0) + w);
  for (const i of trainingData(domain, record.config, trainedAt)) {
    add(popularity, i.itemId, record.recipeName === 'trending-now' ? i.weight / (1 + (trainedAt - i.at) / DAY_MS) : i.weight);
    const items = byProfile.get(i.profileId) ?? new Map<string, number>();
    add(items, i.itemId, i.weight);
    byProfile.set(i.profileId, items);
  }
  const own = byProfile.get(profileId) ?? new Map<string, number>();
  const affinity = new Map<string, number>();
  if (!POPULARITY_RECIPES.has(record.recipeName)) {
    for (const [other, items] of byProfile) {
      if (other === profileId) continue;
      const shared = [...items.keys()].filter((item) => own.has(item)).length;
      if (shared > 0) for (const [item, w] of items) add(affinity, item, shared * w);
    }
  }
  const primary = [...affinity.values()].some((v) => v > 0) ? affinity : popularity;
  const pool = candidates ?? [...popularity.keys()].filter((item) => POPULARITY_RECIPES.has(record.recipeName) || !own.has(item));
  const max = Math.max(0, ...pool.map((item) => primary.get(item) ?? 0));
  return [...new Set(pool)]
    .sort((a, b) => (primary.get(b) ?? 0) - (primary.get(a) ?? 0) || (popularity.get(b) ?? 0) - (popularity.get(a) ?? 0) || a.localeCompare(b))
    .map((item) => [item, max > 0 ? Math.round(((primary.get(item) ?? 0) / max) * 10_000) / 10_000 : 0]);
}

// ---------------------------------------------------------------- Output shape

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
