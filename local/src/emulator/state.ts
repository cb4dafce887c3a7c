import { Clock } from './clock';
import { ServiceModel } from './model';
import { Input } from './protocol';

/** How long slow things take, in simulated seconds on the emulator's clock (latency is real time). */
export interface Timing {
  readonly dataStoreReadySeconds: number;
  readonly recommenderTrainingSeconds: number;
  readonly recommenderUpdateSeconds: number;
  readonly recommenderStartSeconds: number;
  readonly recommenderStopSeconds: number;
  readonly recommenderDeleteSeconds: number;
  readonly segmentEstimateSeconds: number;
  /** Real milliseconds added to every response. */
  readonly latencyMs: number;
}

export const DEFAULT_TIMING: Timing = {
  dataStoreReadySeconds: 300,
  recommenderTrainingSeconds: 1800,
  recommenderUpdateSeconds: 600,
  recommenderStartSeconds: 300,
  recommenderStopSeconds: 120,
  recommenderDeleteSeconds: 60,
  segmentEstimateSeconds: 5,
  latencyMs: 0,
};

/**
 * What a recommender's training needs in the domain. The service does not document it for
 * Customer Profiles; the defaults are Amazon Personalize's documented minimum (at least 1,000
 * item interactions, and 25 users with two or more interactions each), which the recommender
 * API mirrors. An assumption: see local/src/emulator/README.md.
 */
export interface TrainingRequirements {
  /** Interactions of the recommender's event types. */
  readonly minInteractions: number;
  /** Users (profiles) with at least `minInteractionsPerUser` of them. */
  readonly minUsers: number;
  readonly minInteractionsPerUser: number;
}

export const DEFAULT_TRAINING_REQUIREMENTS: TrainingRequirements = {
  minInteractions: 1000,
  minUsers: 25,
  minInteractionsPerUser: 2,
};

/** For tests of the handler alone, whose recommenders train on an empty domain. */
export const NO_TRAINING_REQUIREMENTS: TrainingRequirements = { minInteractions: 0, minUsers: 0, minInteractionsPerUser: 0 };

export type SeedRecord = Record<string, string | number>;
export interface SeedRecommendation {
  readonly catalogItemId: string;
  readonly score?: number;
}

/** One item interaction (the `_webAnalytics` columns the recommender API names: EventType, Item.Id, EventValue). */
export interface Interaction {
  readonly eventType: string;
  readonly itemId: string;
  readonly eventValue?: number;
}

export interface SeededObject {
  /** Values by field name. */
  readonly values: SeedRecord;
  /** Simulated ms the record was seeded or put (its LastUpdatedAt). */
  readonly at: number;
  /** ProfileObjectUniqueKey of an object put with PutProfileObject. */
  readonly key?: string;
  /** The profile the object was mapped to (through its `_profile.*` fields). */
  readonly profileId?: string;
  readonly interaction?: Interaction;
}

export interface DataStoreState {
  enabled: boolean;
  /** Simulated ms when readiness started (create with the data store on, or the update that enabled it). */
  readyFrom?: number;
  /** Set by failDataStore: readiness stops where it was and reports this message. */
  failure?: { readonly message: string; readonly progress: number };
}

export interface ObjectTypeRecord {
  readonly name: string;
  readonly arn: string;
  /** The PutDomainObjectType input, minus the labels. */
  config: Input;
  readonly createdAt: number;
  lastUpdatedAt: number;
}

/** A recommender's life as a sequence of timed phases; the status at any time is computed from them. */
export interface RecommenderPhase {
  readonly status: string;
  /** Simulated ms the phase starts. */
  readonly from: number;
  /** True for the ACTIVE phase that ends a training: the data is checked when it begins. */
  readonly trains?: boolean;
}

export interface RecommenderUpdate {
  /** The UpdateRecommender input (the configuration that is being applied). */
  readonly config: Input;
  readonly from: number;
  readonly until: number;
  failureReason?: string;
  /** True once the configuration was copied into the recommender. */
  applied?: boolean;
}

export interface RecommenderRecord {
  readonly name: string;
  readonly arn: string;
  readonly recipeName: string;
  config: Input;
  readonly createdAt: number;
  lastUpdatedAt: number;
  phases: RecommenderPhase[];
  failureReason?: string;
  latestUpdate?: RecommenderUpdate;
  /**
   * Simulated ms the latest successful training (create or update) finished: the model is the
   * domain's interactions up to then, so data put later changes nothing until the next training.
   */
  trainedAt?: number;
  /** Simulated ms at which a deleting recommender disappears. */
  deletedAt?: number;
}

export interface SegmentRecord {
  readonly name: string;
  readonly arn: string;
  readonly config: Input;
  readonly segmentType: 'ENHANCED' | 'CLASSIC';
  readonly createdAt: number;
}

export interface EstimateRecord {
  readonly id: string;
  readonly createdAt: number;
  /** Profiles the query selected when the estimate was created. */
  readonly count: number;
}

export interface DomainRecord {
  readonly name: string;
  readonly arn: string;
  readonly createdAt: number;
  lastUpdatedAt: number;
  config: Input;
  dataStore?: DataStoreState;
  readonly objectTypes: Map<string, ObjectTypeRecord>;
  readonly recommenders: Map<string, RecommenderRecord>;
  readonly segments: Map<string, SegmentRecord>;
  readonly estimates: Map<string, EstimateRecord>;
  /** Object records by object type name, seeded or put (for attribute values, statistics and training). */
  readonly objects: Map<string, SeededObject[]>;
  readonly profiles: Array<Record<string, unknown>>;
  /** Set by failSegmentEstimates: estimates of this domain end FAILED with this message. */
  estimateFailure?: string;
  /** Seeded recommendations: recommender name -> profile id -> items. */
  readonly recommendations: Map<string, Map<string, SeedRecommendation[]>>;
}

/** All in-memory state of one emulator. */
export class Store {
  public readonly domains = new Map<string, DomainRecord>();
  /** Tags by resource ARN; removed with the resource. */
  public readonly tags = new Map<string, Record<string, string>>();
  private sequence = 0;

  constructor(public readonly region: string, public readonly accountId: string) {}

  public arn(resource: string): string {
    return `arn:aws:profile:${this.region}:${this.accountId}:${resource}`;
  }

  public nextId(): string {
    this.sequence++;
    return `${Date.now().toString(16)}${this.sequence.toString(16).padStart(8, '0')}`;
  }

  /** Forgets what has finished deleting by `now` (recommenders leave DELETING on the clock, not on a request). */
  public sweep(now: number): void {
    for (const domain of this.domains.values()) {
      for (const rec of [...domain.recommenders.values()]) {
        if (rec.deletedAt !== undefined && rec.deletedAt <= now) {
          domain.recommenders.delete(rec.name);
          domain.recommendations.delete(rec.name);
          this.dropTags(rec.arn);
        }
      }
    }
  }

  /** Removes the tags of a resource and of everything under it. */
  public dropTags(arn: string): void {
    for (const key of [...this.tags.keys()]) {
      if (key === arn || key.startsWith(`${arn}/`)) this.tags.delete(key);
    }
  }
}

/** What an operation handler sees. */
export interface Context {
  readonly store: Store;
  readonly clock: Clock;
  readonly timing: Timing;
  readonly training: TrainingRequirements;
  readonly model: ServiceModel;
}
