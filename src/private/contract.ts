/**
 * The one contract between the constructs (src/) and the custom-resource handler (lambda/).
 *
 * Each custom resource carries its desired state as top-level resource properties, next to
 * `ServiceToken`, named and shaped exactly as the `*Config` interfaces below
 * (src/private/config-properties.ts writes them). One property per member, rather than one JSON
 * string, so that `cdk diff` and change sets name the member that changes
 * (`RecommenderConfig.TrainingFrequency`) instead of replacing the whole document.
 *
 * CloudFormation hands every number and boolean of a custom resource's properties to the handler
 * as a string ("7", "true"). The handler gives them back their types from {@link ConfigTypes}
 * (lambda/config.ts), one table of the number and boolean members of each Config, nested ones
 * included: only those paths are converted, so a string that looks like a number stays a string.
 *
 * Stacks deployed by earlier versions of the library carry the same members as one JSON string
 * in a `Config` property ({@link CONFIG_PROPERTY}); the handler still reads it, so the update
 * that moves such a stack to the structured form compares like with like (and makes no call when
 * nothing else changed).
 *
 * Member names follow the Customer Profiles API (PascalCase), so the handler passes them to the
 * SDK with as little mapping as possible. This file must stay free of imports: it is compiled by
 * jsii (as part of src/) and bundled by esbuild (as part of the handler).
 */

/** CloudFormation resource types of this library's custom resources. */
export const ResourceTypes = {
  DOMAIN: 'Custom::CustomerProfilesDomain',
  DOMAIN_OBJECT_TYPE: 'Custom::CustomerProfilesDomainObjectType',
  RECOMMENDER: 'Custom::CustomerProfilesRecommender',
  SEGMENT_DEFINITION: 'Custom::CustomerProfilesSegmentDefinition',
} as const;

/**
 * The property that carried the whole desired state as one JSON string before the members became
 * properties of their own. Written by no current construct; read by the handler for the resources
 * of stacks deployed with it (their old properties on the first update, and hand-written templates).
 */
export const CONFIG_PROPERTY = 'Config';

/** Environment variable the handler's client factory reads; set only by tests and the local deploy engine. */
export const ENDPOINT_ENV = 'CUSTOMER_PROFILES_ENDPOINT';

/** Key of `Data` (returned by onEvent) holding the epoch-millisecond deadline isComplete enforces. */
export const DEADLINE_KEY = 'ReadyDeadline';

export type Tags = Record<string, string>;

// ---------------------------------------------------------------- The Provider framework

/**
 * The Provider framework's settings and CloudFormation's limits, written once here: the
 * constructs configure the provider with them, the handler respects them, and the local deploy
 * engine plays them.
 */
export const ProviderLimits = {
  /** Seconds between isComplete calls (the framework's `queryInterval`). */
  QUERY_INTERVAL_SECONDS: 15,
  /** Seconds after which the framework's waiter fails the resource (`totalTimeout`, 55 minutes). */
  TOTAL_TIMEOUT_SECONDS: 55 * 60,
  /** The largest response CloudFormation accepts from a custom resource, in bytes ("Response object is too long."). */
  MAX_RESPONSE_BYTES: 4096,
} as const;

/**
 * The request CloudFormation sends to a custom resource, as the Provider framework passes it to
 * onEvent. The handler reads it; the local deploy engine builds it. Fields CloudFormation always
 * sends are still optional here, so that tests may leave out what a resource does not read.
 */
export interface ProviderRequest {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResourceType: string;
  readonly RequestId?: string;
  readonly StackId?: string;
  readonly LogicalResourceId?: string;
  readonly ResponseURL?: string;
  readonly ServiceToken?: string;
  /** Absent on Create. */
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: Record<string, unknown>;
  /** Present on Update only. */
  readonly OldResourceProperties?: Record<string, unknown>;
}

/** What isComplete receives: the request merged with onEvent's result by the Provider framework. */
export interface ProviderCompletionRequest extends ProviderRequest {
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, unknown>;
}

// ---------------------------------------------------------------- Update planning

/**
 * What an update does to the live resource, named. The handler decides with a pure
 * `planUpdate(old, desired, current?)` per resource (lambda/), and the local toolkit's `plan`
 * prints the same decisions, so what a review shows is what the deployment does.
 */
export type UpdateDecisionKind =
  /** Nothing to write (the update makes no write call). */
  | 'none'
  /** An update call changes the resource in place. */
  | 'update-in-place'
  /** Tags added or removed, nothing else. */
  | 'tags'
  /** A new resource is created and the old one deleted in the cleanup phase. */
  | 'replace'
  /** A recommender is stopped (billing stops). */
  | 'stop'
  /** A recommender is started (billing starts, it may train). */
  | 'start'
  /** The change makes a recommender train again. */
  | 'retrain'
  /** The deployment waits for the domain's data store to be ready. */
  | 'wait-for-data-store'
  /** The deployment waits for the resource to settle (recommender ACTIVE or INACTIVE, estimate done). */
  | 'wait';

export interface UpdateDecision {
  readonly kind: UpdateDecisionKind;
  /** The Config members behind this decision (never their values: they may be customer data). */
  readonly fields: readonly string[];
  /** One sentence for people: what happens and why. */
  readonly reason: string;
}

export interface UpdatePlan {
  readonly decisions: readonly UpdateDecision[];
}

// ---------------------------------------------------------------- Ownership

/**
 * Tag key of the ownership marker the handler puts on every resource it creates (or adopts on
 * the user's explicit request). Only a resource carrying its own marker is adopted on a retried
 * create, updated or deleted. The key is reserved: constructs refuse it in user tags, and the
 * handler keeps it out of tag diffs. The provider's cleanup-phase permissions are conditioned on
 * it (`aws:ResourceTag/<key>`).
 */
export const OWNER_TAG_KEY = 'cdk-customer-profiles:owner';

/** The Config member that asks the handler to take over an existing resource (see AdoptExisting in each Config). */
export const ADOPT_EXISTING = 'AdoptExisting';

/** The longest tag value the service accepts (model: TagValue, 0-256). */
const MAX_TAG_VALUE = 256;

/** The parts of a CloudFormation stack ARN: `arn:<p>:cloudformation:<r>:<a>:stack/<name>/<guid>`. */
export function parseStackId(stackId: string): { readonly stackName: string; readonly stackGuid: string } | undefined {
  const match = /^arn:[^:]+:cloudformation:[^:]*:[^:]*:stack\/([^/]+)\/([^/]+)$/.exec(stackId);
  return match ? { stackName: match[1], stackGuid: match[2] } : undefined;
}

/**
 * The ownership marker of one logical resource of one stack: `<stackName>/<stackGuid>/<logicalId>`.
 *
 * The stack's GUID makes it unique to this incarnation of the stack (a stack deleted and created
 * again under the same name has another one); the stack name and logical id make it readable in a
 * refusal. The provider's IAM condition matches the prefix `<stackName>/<stackGuid>/`, which it
 * builds from `AWS::StackId`. A logical id too long for the 256-character tag value is shortened
 * and ends in a hash of the whole id, so the marker stays unique and deterministic.
 */
export function ownerMarker(stackId: string, logicalResourceId: string): string {
  const parts = parseStackId(stackId);
  const prefix = parts ? `${parts.stackName}/${parts.stackGuid}/` : `${stackId}/`;
  const full = `${prefix}${logicalResourceId}`;
  if (full.length <= MAX_TAG_VALUE) {
    return full;
  }
  const hash = shortHash(logicalResourceId);
  return `${prefix}${logicalResourceId.slice(0, Math.max(0, MAX_TAG_VALUE - prefix.length - hash.length - 1))}~${hash}`;
}

/** The parts of a marker, or undefined for a value this library never wrote. */
export function parseOwnerMarker(marker: string): { readonly stackName: string; readonly stackGuid: string; readonly logicalId: string } | undefined {
  const match = /^([^/]+)\/([^/]+)\/(.+)$/.exec(marker);
  return match ? { stackName: match[1], stackGuid: match[2], logicalId: match[3] } : undefined;
}

/** djb2 modulo 2^32 as 8 hex digits (this file may import nothing, so no crypto; arithmetic stays exact below 2^53). */
function shortHash(text: string): string {
  let h = 5381;
  for (let i = 0; i < text.length; i++) {
    h = (h * 33 + text.charCodeAt(i)) % 0x100000000;
  }
  return h.toString(16).padStart(8, '0');
}

// ---------------------------------------------------------------- Domain

export interface S3ExportingConfig {
  readonly S3BucketName: string;
  readonly S3KeyName?: string;
}
export interface ExportingConfig {
  readonly S3Exporting?: S3ExportingConfig;
}
export interface ConflictResolution {
  readonly ConflictResolvingModel: string;
  readonly SourceName?: string;
}
export interface MatchingConfig {
  readonly Enabled: boolean;
  readonly JobSchedule?: { readonly DayOfTheWeek: string; readonly Time: string };
  readonly AutoMerging?: {
    readonly Enabled: boolean;
    readonly Consolidation?: { readonly MatchingAttributesList: string[][] };
    readonly ConflictResolution?: ConflictResolution;
    readonly MinAllowedConfidenceScoreForMerging?: number;
  };
  readonly ExportingConfig?: ExportingConfig;
}
export interface RuleBasedMatchingConfig {
  readonly Enabled: boolean;
  readonly MatchingRules?: { readonly Rule: string[] }[];
  readonly MaxAllowedRuleLevelForMerging?: number;
  readonly MaxAllowedRuleLevelForMatching?: number;
  readonly AttributeTypesSelector?: {
    readonly AttributeMatchingModel: string;
    readonly Address?: string[];
    readonly PhoneNumber?: string[];
    readonly EmailAddress?: string[];
  };
  readonly ConflictResolution?: ConflictResolution;
  readonly ExportingConfig?: ExportingConfig;
}

export interface DomainConfig {
  readonly DomainName: string;
  readonly DefaultExpirationDays: number;
  readonly DefaultEncryptionKey?: string;
  readonly DeadLetterQueueUrl?: string;
  readonly Matching?: MatchingConfig;
  readonly RuleBasedMatching?: RuleBasedMatchingConfig;
  readonly DataStore?: { readonly Enabled: boolean };
  readonly Tags?: Tags;
  /** Wait in isComplete until DataStore.Readiness.ProgressPercentage is 100. */
  readonly WaitForDataStore: boolean;
  /**
   * Take over an existing resource of this name that carries no owner marker, or the marker of an
   * earlier, deleted stack of the same name (explicit adoption). Absent or false: such a resource
   * is refused untouched.
   */
  readonly AdoptExisting?: boolean;
  /** How long isComplete may wait, in seconds, before failing the deployment. */
  readonly TimeoutSeconds: number;
}

// ---------------------------------------------------------------- DomainObjectType

export interface DomainObjectTypeFieldConfig {
  readonly Source: string;
  readonly Target: string;
  readonly ContentType?: string;
  readonly FeatureType?: string;
}

export interface DomainObjectTypeConfig {
  readonly DomainName: string;
  readonly ObjectTypeName: string;
  readonly Description?: string;
  readonly EncryptionKey?: string;
  readonly Fields: Record<string, DomainObjectTypeFieldConfig>;
  readonly Tags?: Tags;
  /**
   * Take over an existing resource of this name that carries no owner marker, or the marker of an
   * earlier, deleted stack of the same name (explicit adoption). Absent or false: such a resource
   * is refused untouched.
   */
  readonly AdoptExisting?: boolean;
}

// ---------------------------------------------------------------- Recommender

export interface EventParametersConfig {
  readonly EventType: string;
  readonly EventValueThreshold?: number;
  readonly EventWeight?: number;
}

export interface RecommenderConfigConfig {
  readonly EventsConfig?: { readonly EventParametersList: EventParametersConfig[] };
  readonly TrainingFrequency?: number;
  readonly IncludedColumns?: Record<string, string[]>;
  readonly InferenceConfig?: { readonly MinProvisionedTPS?: number };
}

export interface RecommenderConfig {
  readonly DomainName: string;
  readonly RecommenderName: string;
  readonly RecommenderRecipeName: string;
  readonly RecommenderConfig?: RecommenderConfigConfig;
  readonly RecommenderSchemaName?: string;
  readonly Description?: string;
  readonly Tags?: Tags;
  /** Desired running state: true = ACTIVE (StartRecommender), false = INACTIVE (StopRecommender). */
  readonly Enabled: boolean;
  /** Wait in isComplete until training finished (ACTIVE / INACTIVE); false = return once training started. */
  readonly WaitForActive: boolean;
  /**
   * Take over an existing resource of this name that carries no owner marker, or the marker of an
   * earlier, deleted stack of the same name (explicit adoption). Absent or false: such a resource
   * is refused untouched.
   */
  readonly AdoptExisting?: boolean;
  readonly TimeoutSeconds: number;
}

// ---------------------------------------------------------------- SegmentDefinition

export interface SegmentDefinitionConfig {
  readonly DomainName: string;
  readonly SegmentDefinitionName: string;
  readonly DisplayName: string;
  readonly Description?: string;
  /** Exactly one of SegmentSqlQuery and SegmentGroups. */
  readonly SegmentSqlQuery?: string;
  /** The API's SegmentGroup structure (Groups, Include), passed through as JSON. */
  readonly SegmentGroups?: unknown;
  /** The API's SegmentSort structure, passed through as JSON. */
  readonly SegmentSort?: unknown;
  readonly Tags?: Tags;
  /** Run CreateSegmentEstimate first and fail before anything is created when the service rejects the query. */
  readonly ValidateBeforeCreate: boolean;
  /**
   * Take over an existing resource of this name that carries no owner marker, or the marker of an
   * earlier, deleted stack of the same name (explicit adoption). Absent or false: such a resource
   * is refused untouched.
   */
  readonly AdoptExisting?: boolean;
  readonly TimeoutSeconds: number;
}

// ---------------------------------------------------------------- Type restore

/** The type a Config member has before CloudFormation turns it into a string. */
export type ConfigScalarType = 'number' | 'boolean';

/**
 * The number and boolean members of one Config, by path: `.` between members, `[]` for every
 * element of a list, `*` for every value of a map. Members not listed are strings or structures.
 */
export type ConfigTypeSchema = Readonly<Record<string, ConfigScalarType>>;

/** What adopting an existing resource is asked with, the same in every Config. */
const ADOPT: ConfigTypeSchema = { [ADOPT_EXISTING]: 'boolean' };

/**
 * The number and boolean members of every Config, per resource type: the handler restores them
 * from CloudFormation's strings and refuses any other value with the member's path. A member
 * added to a Config interface with a number or boolean in it is added here too (the round-trip
 * test, test/scenarios/config-round-trip.test.ts, sets every member and fails otherwise).
 */
export const ConfigTypes: Readonly<Record<string, ConfigTypeSchema>> = {
  [ResourceTypes.DOMAIN]: {
    'DefaultExpirationDays': 'number',
    'Matching.Enabled': 'boolean',
    'Matching.AutoMerging.Enabled': 'boolean',
    'Matching.AutoMerging.MinAllowedConfidenceScoreForMerging': 'number',
    'RuleBasedMatching.Enabled': 'boolean',
    'RuleBasedMatching.MaxAllowedRuleLevelForMerging': 'number',
    'RuleBasedMatching.MaxAllowedRuleLevelForMatching': 'number',
    'DataStore.Enabled': 'boolean',
    'WaitForDataStore': 'boolean',
    'TimeoutSeconds': 'number',
    ...ADOPT,
  },
  [ResourceTypes.DOMAIN_OBJECT_TYPE]: {
    ...ADOPT,
  },
  [ResourceTypes.RECOMMENDER]: {
    'RecommenderConfig.EventsConfig.EventParametersList[].EventValueThreshold': 'number',
    'RecommenderConfig.EventsConfig.EventParametersList[].EventWeight': 'number',
    'RecommenderConfig.TrainingFrequency': 'number',
    'RecommenderConfig.InferenceConfig.MinProvisionedTPS': 'number',
    'Enabled': 'boolean',
    'WaitForActive': 'boolean',
    'TimeoutSeconds': 'number',
    ...ADOPT,
  },
  [ResourceTypes.SEGMENT_DEFINITION]: {
    // The only numbers of the API's SegmentGroup and SegmentSort structures (service model).
    'SegmentGroups.Groups[].Dimensions[].CalculatedAttributes.*.ConditionOverrides.Range.Start': 'number',
    'SegmentGroups.Groups[].Dimensions[].CalculatedAttributes.*.ConditionOverrides.Range.End': 'number',
    'ValidateBeforeCreate': 'boolean',
    'TimeoutSeconds': 'number',
    ...ADOPT,
  },
};

/** Attribute names returned in `Data` (readable with `getAtt`). */
export const Attributes = {
  DOMAIN_NAME: 'DomainName',
  DOMAIN_ARN: 'DomainArn',
  DATA_STORE_ENABLED: 'DataStoreEnabled',
  OBJECT_TYPE_NAME: 'ObjectTypeName',
  OBJECT_TYPE_ARN: 'ObjectTypeArn',
  RECOMMENDER_NAME: 'RecommenderName',
  RECOMMENDER_ARN: 'RecommenderArn',
  RECOMMENDER_STATUS: 'Status',
  SEGMENT_DEFINITION_NAME: 'SegmentDefinitionName',
  SEGMENT_DEFINITION_ARN: 'SegmentDefinitionArn',
  SEGMENT_TYPE: 'SegmentType',
  ESTIMATED_PROFILE_COUNT: 'EstimatedProfileCount',
} as const;
