import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * A day of the week on which the Identity Resolution Job runs (`JobSchedule.DayOfTheWeek`).
 */
export class DayOfWeek {
  public static readonly SUNDAY = new DayOfWeek('SUNDAY');
  public static readonly MONDAY = new DayOfWeek('MONDAY');
  public static readonly TUESDAY = new DayOfWeek('TUESDAY');
  public static readonly WEDNESDAY = new DayOfWeek('WEDNESDAY');
  public static readonly THURSDAY = new DayOfWeek('THURSDAY');
  public static readonly FRIDAY = new DayOfWeek('FRIDAY');
  public static readonly SATURDAY = new DayOfWeek('SATURDAY');

  /** A day the service knows and this library does not (passed through as it is). */
  public static of(value: string): DayOfWeek {
    return new DayOfWeek(value);
  }

  /** The value sent to the service. */
  public readonly value: string;

  private constructor(value: string) {
    this.value = value;
  }
}

/**
 * How the auto-merging process resolves conflicts between profiles (`ConflictResolvingModel`).
 */
export class ConflictResolvingModel {
  /** Use the data that was most recently updated. */
  public static readonly RECENCY = new ConflictResolvingModel('RECENCY');

  /**
   * Use the data from a specific source (an object type name, given as `sourceName`).
   * If both duplicate profiles come from the same source, RECENCY is used.
   */
  public static readonly SOURCE = new ConflictResolvingModel('SOURCE');

  /** A model the service knows and this library does not (passed through as it is). */
  public static of(value: string): ConflictResolvingModel {
    return new ConflictResolvingModel(value);
  }

  /** The value sent to the service. */
  public readonly value: string;

  private constructor(value: string) {
    this.value = value;
  }
}

/**
 * How rule-based matching compares profiles across attribute types (`AttributeMatchingModel`).
 */
export class AttributeMatchingModel {
  /** An attribute of one type matches only the same attribute type of the other profile. */
  public static readonly ONE_TO_ONE = new AttributeMatchingModel('ONE_TO_ONE');

  /** Any attribute of a type matches any attribute of the same type (e.g. BusinessEmailAddress and PersonalEmailAddress). */
  public static readonly MANY_TO_MANY = new AttributeMatchingModel('MANY_TO_MANY');

  /** A model the service knows and this library does not (passed through as it is). */
  public static of(value: string): AttributeMatchingModel {
    return new AttributeMatchingModel(value);
  }

  /** The value sent to the service. */
  public readonly value: string;

  private constructor(value: string) {
    this.value = value;
  }
}

/**
 * When the weekly Identity Resolution Job runs.
 */
export interface JobSchedule {
  /** The day of the week. */
  readonly dayOfWeek: DayOfWeek;

  /**
   * The time of day, UTC, as `H:MM` or `HH:MM` (for example `'03:30'`).
   */
  readonly time: string;
}

/**
 * How profile conflicts are resolved when profiles are merged.
 */
export interface ConflictResolution {
  /** The conflict resolving model. */
  readonly model: ConflictResolvingModel;

  /**
   * The object type name whose data wins. Required with `ConflictResolvingModel.SOURCE`.
   *
   * @default - none (only valid with RECENCY)
   */
  readonly sourceName?: string;
}

/**
 * Where matching results are written (`ExportingConfig.S3Exporting`).
 *
 * The construct adds a statement to the bucket's policy that lets the Customer Profiles service
 * principal (`profile.amazonaws.com`) write objects, limited to this account and this domain
 * (`aws:SourceAccount`, `aws:SourceArn`), and lets it use the bucket's KMS key if it has one.
 * For an imported bucket the policy cannot be changed: add such a statement yourself.
 */
export interface MatchingExportDestination {
  /** The bucket. */
  readonly bucket: s3.IBucket;

  /**
   * The key name (prefix) under which result files are written.
   *
   * @default - the bucket's root
   */
  readonly keyName?: string;
}

/**
 * Auto-merging of the duplicate profiles found by the Identity Resolution Job.
 */
export interface AutoMergingOptions {
  /**
   * Whether profiles are merged automatically.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Matching criteria: a list (1-10) of attribute lists (1-20 attribute names each). Two
   * profiles that agree on every attribute of at least one list are merged, for example
   * `[['FirstName', 'LastName', 'EmailAddress'], ['PhoneNumber']]`.
   *
   * @default - no consolidation criteria
   */
  readonly consolidation?: string[][];

  /**
   * How conflicts between merged profiles are resolved.
   *
   * @default - the service's default
   */
  readonly conflictResolution?: ConflictResolution;

  /**
   * The minimum confidence score (0-1) a matching group needs to be merged.
   *
   * @default - the service's default
   */
  readonly minAllowedConfidenceScoreForMerging?: number;
}

/**
 * Machine-learning based matching (the weekly Identity Resolution Job), the `Matching` of
 * CreateDomain / UpdateDomain.
 */
export interface MatchingOptions {
  /**
   * Whether matching is enabled.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * When the Identity Resolution Job runs.
   *
   * @default - the service's default (Saturday, 12AM UTC)
   */
  readonly jobSchedule?: JobSchedule;

  /**
   * Auto-merging of duplicate profiles.
   *
   * @default - no auto-merging
   */
  readonly autoMerging?: AutoMergingOptions;

  /**
   * Write the job's results to an S3 bucket.
   *
   * @default - results are only available through the GetMatches API
   */
  readonly exportTo?: MatchingExportDestination;
}

/**
 * Which attributes of each attribute type rule-based matching uses (`AttributeTypesSelector`).
 */
export interface AttributeTypesSelector {
  /** How attributes are compared across attribute types. */
  readonly attributeMatchingModel: AttributeMatchingModel;

  /**
   * The address attributes (1-4) that represent `Address` in matching rules, e.g.
   * `Address`, `BusinessAddress`, `MailingAddress`, `ShippingAddress`.
   *
   * @default - the service's default
   */
  readonly address?: string[];

  /**
   * The phone attributes (1-4) that represent `PhoneNumber` in matching rules, e.g.
   * `PhoneNumber`, `HomePhoneNumber`, `MobilePhoneNumber`.
   *
   * @default - the service's default
   */
  readonly phoneNumber?: string[];

  /**
   * The email attributes (1-3) that represent `EmailAddress` in matching rules, e.g.
   * `EmailAddress`, `BusinessEmailAddress`, `PersonalEmailAddress`.
   *
   * @default - the service's default
   */
  readonly emailAddress?: string[];
}

/**
 * Rule-based matching, the `RuleBasedMatching` of CreateDomain / UpdateDomain.
 */
export interface RuleBasedMatchingOptions {
  /**
   * Whether rule-based matching is enabled.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * The matching rules (1-15), each a list (1-15) of attribute names, such as
   * `['EmailAddress']` or `['FirstName', 'LastName', 'Address.City']`. The position of a rule
   * is its level.
   *
   * @default - the service's default rules
   */
  readonly rules?: string[][];

  /**
   * The highest rule level (1-15) whose matches are merged.
   *
   * @default - the service's default
   */
  readonly maxAllowedRuleLevelForMerging?: number;

  /**
   * The highest rule level (1-15) that is evaluated for matching.
   *
   * @default - the service's default
   */
  readonly maxAllowedRuleLevelForMatching?: number;

  /**
   * Which attributes of each attribute type the rules use.
   *
   * @default - the service's default
   */
  readonly attributeTypesSelector?: AttributeTypesSelector;

  /**
   * How conflicts between merged profiles are resolved.
   *
   * @default - the service's default
   */
  readonly conflictResolution?: ConflictResolution;

  /**
   * Write the matching results to an S3 bucket.
   *
   * @default - results are only available through the ListRuleBasedMatches API
   */
  readonly exportTo?: MatchingExportDestination;
}
