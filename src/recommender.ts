import { CfnResource, Duration, IResource, ITaggable, RemovalPolicy, Resource, TagManager, TagType, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { propertyInjectable } from 'aws-cdk-lib/core/lib/prop-injectable';
import { aws_customerprofiles as refs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import type { IDomain } from './domain';
import { addAdoptionValidation } from './private/adoption';
import {
  addTagValidation,
  childArnOf,
  configDomainName,
  createChildResource,
  lazyTags,
} from './private/child-resource';
import { Attributes, EventParametersConfig, RecommenderConfig, RecommenderConfigConfig, ResourceTypes } from './private/contract';
import { dataStoreDiagnosisActions, domainFromRef, domainWithoutDataStore, enableDataStoreFix } from './private/domain-internals';
import { generateContentName } from './private/names';
import { MAX_RESOURCE_TIMEOUT_SECONDS } from './private/provider';
import { Validator } from './private/validation';
import { RecommenderGrants } from './recommender-grants';

const KIND = 'Recommender';

/** The service model's pattern for recommender (and domain) names. */
const RECOMMENDER_NAME_PATTERN = /^[a-zA-Z0-9_-]+$/;

/**
 * The recipe (the kind of model) a recommender trains.
 *
 * An enum-like class with every recipe of the service model; `RecommenderRecipe.of()` names a
 * recipe the service added after this library was released.
 */
export class RecommenderRecipe {
  /** Personalized recommendations for a profile, from its interactions and those of similar profiles. */
  public static readonly RECOMMENDED_FOR_YOU = new RecommenderRecipe('recommended-for-you');
  /** Items similar to a given item. */
  public static readonly SIMILAR_ITEMS = new RecommenderRecipe('similar-items');
  /** Items frequently bought or used together with a given item. */
  public static readonly FREQUENTLY_PAIRED_ITEMS = new RecommenderRecipe('frequently-paired-items');
  /** The most popular items across all profiles. */
  public static readonly POPULAR_ITEMS = new RecommenderRecipe('popular-items');
  /** Items whose popularity is rising fastest. */
  public static readonly TRENDING_NOW = new RecommenderRecipe('trending-now');
  /** Re-ranks a list of candidate items (`CandidateIds`) for a profile. */
  public static readonly PERSONALIZED_RANKING = new RecommenderRecipe('personalized-ranking');

  /** A recipe by its API name, e.g. `recommended-for-you`. */
  public static of(name: string): RecommenderRecipe {
    return new RecommenderRecipe(name);
  }

  /** @param name the API name of the recipe */
  private constructor(public readonly name: string) {}

  /** The API name of the recipe. */
  public toString(): string {
    return this.name;
  }
}

/**
 * An event type the recommender trains on.
 */
export interface RecommenderEvent {
  /** The event type, as recorded in the events, e.g. `purchase` or `click` (1-256 characters). */
  readonly eventType: string;

  /**
   * Events whose value is below this threshold are ignored in training.
   * @default - every event of this type counts
   */
  readonly valueThreshold?: number;

  /**
   * The relative importance of this event type for training, between 0 and 1.
   * @default - the service weighs event types itself
   */
  readonly weight?: number;
}

/**
 * The properties of a recommender, without the domain (for `domain.addRecommender()`).
 */
export interface RecommenderOptions {
  /**
   * The name of the recommender (1-64 letters, digits, `_` or `-`).
   * Changing it replaces the recommender (and trains a new one).
   *
   * A generated name ends with a hash of the recipe and the schema, which cannot change in place:
   * changing either replaces the recommender under a new name. With an explicit name, such a
   * change is refused until the name changes too.
   *
   * @default - a unique name generated from the construct path, the recipe and the schema
   */
  readonly recommenderName?: string;

  /**
   * The recipe the recommender trains. Changing it replaces the recommender.
   */
  readonly recipe: RecommenderRecipe;

  /**
   * The event types to train on (1-10), with an optional value threshold and weight each.
   * Changes are applied in place (UpdateRecommender), which retrains the recommender.
   * @default - the service's default event handling for the recipe
   */
  readonly events?: RecommenderEvent[];

  /**
   * How often the recommender retrains on new data: whole days, 1-30.
   * @default - the service's default (7 days)
   */
  readonly trainingFrequency?: Duration;

  /**
   * The minimum provisioned transactions per second for GetProfileRecommendations (1-500).
   * A higher value costs more even when idle.
   * @default - the service's default (1)
   */
  readonly minProvisionedTps?: number;

  /**
   * The columns to train on, by dataset type (1-2 dataset types such as `_webAnalytics` and
   * `_catalogItem`, 1-100 column names each). The columns must be defined in the recommender
   * schema; `Item.Id`, `ItemList[].Id`, `EventTimestamp`, `EventType` and `EventValue` are always
   * included.
   * @default - every column of the recommender schema
   */
  readonly includedColumns?: { [datasetType: string]: string[] };

  /**
   * The name of the recommender schema to train with. Changing it replaces the recommender.
   * @default - the domain's default recommender schema
   */
  readonly recommenderSchemaName?: string;

  /**
   * A description of the recommender (1-1000 characters).
   * @default - no description
   */
  readonly description?: string;

  /**
   * Whether the recommender should be running (ACTIVE: it serves recommendations and costs) or
   * stopped (INACTIVE). Changing it starts or stops the recommender in place.
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Whether the deployment waits until the recommender reached its desired state (training
   * finished and ACTIVE, or INACTIVE when disabled). When false, the deployment continues once
   * training has started; `recommenderStatus` is then the status at that time.
   *
   * Training can take longer than a CloudFormation deployment may wait (one hour); for large
   * data sets set this to false.
   *
   * @default true
   */
  readonly waitForActive?: boolean;

  /**
   * How long the deployment waits for the recommender before failing, at most 54 minutes
   * (CloudFormation waits one hour for a custom resource).
   * @default Duration.minutes(54)
   */
  readonly timeout?: Duration;

  /**
   * Tags for the recommender. `Tags.of(scope).add()` works as well.
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };

  /**
   * What happens to the recommender when it is removed from the stack or replaced.
   *
   * A recommender holds no customer data (it is trained from the domain's data again when
   * recreated), and a retained one keeps costing money while nobody manages it: it is deleted
   * by default.
   *
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Take over an existing recommender of this name that this library did not create (it carries
   * no owner tag: made in the console, or by a version of this library before owner tags), or one
   * left behind by an earlier, deleted stack of the same name.
   *
   * The deployment tags it as this stack's, then brings its description, configuration (an
   * UpdateRecommender, which retrains it), running state and tags to these props; from then on the
   * stack manages it and deletes it with the stack. A recommender of another stack, or of another
   * construct of this stack, is never taken over. Requires `removalPolicy: RemovalPolicy.RETAIN`
   * (recommenders are deleted by default), so that a rollback of the adopting deployment does not
   * delete it; change the removal policy in a later deployment if you want.
   *
   * Without it, an existing recommender that is not this stack's fails the deployment, untouched.
   *
   * @default false
   */
  readonly adoptExisting?: boolean;
}

/**
 * The properties of a recommender.
 */
export interface RecommenderProps extends RecommenderOptions {
  /**
   * The domain the recommender belongs to (its data store holds the events it trains on): a
   * `Domain`, an imported domain, or any domain reference such as a `CfnDomain`.
   */
  readonly domain: refs.IDomainRef;
}

/**
 * A recommender: created by this library or imported.
 */
export interface IRecommender extends IResource, refs.IRecommenderRef {
  /** The domain the recommender belongs to. */
  readonly domain: IDomain;

  /**
   * The name of the recommender.
   * @attribute
   */
  readonly recommenderName: string;

  /**
   * The ARN of the recommender:
   * `arn:${Partition}:profile:${Region}:${Account}:domains/${DomainName}/recommenders/${RecommenderName}`.
   * @attribute
   */
  readonly recommenderArn: string;

  /**
   * The grants of this recommender, by intent (`recommender.grants.getRecommendations(fn)`).
   */
  readonly grants: RecommenderGrants;

  /**
   * Grants the given `profile:` actions on this recommender (its ARN and its domain's ARN).
   *
   * The use of this method is discouraged. Please use `grants.actions()` instead.
   */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;

  /**
   * Grants getting recommendations for profiles from this recommender (see
   * `RecommenderGrants.getRecommendations`).
   *
   * The use of this method is discouraged. Please use `grants.getRecommendations()` instead.
   */
  grantGetRecommendations(grantee: iam.IGrantable): iam.Grant;

  /**
   * Grants reading the recommender's status and configuration (see `RecommenderGrants.read`).
   *
   * The use of this method is discouraged. Please use `grants.read()` instead.
   */
  grantRead(grantee: iam.IGrantable): iam.Grant;
}

/**
 * Implements `IRecommender` from attributes alone (shared by `Recommender` and imports).
 */
export abstract class RecommenderBase extends Resource implements IRecommender {
  public abstract readonly domain: IDomain;
  public abstract readonly recommenderName: string;
  public abstract readonly recommenderArn: string;

  public get recommenderRef(): refs.RecommenderReference {
    return {
      domainName: this.domain.domainName,
      recommenderName: this.recommenderName,
      recommenderArn: this.recommenderArn,
    };
  }

  /**
   * The grants of this recommender, by intent (`recommender.grants.getRecommendations(fn)`), with
   * `kms:Decrypt` on the domain's key where customer data is read.
   */
  public get grants(): RecommenderGrants {
    return RecommenderGrants.fromRecommender(this);
  }

  /**
   * Grants the given `profile:` actions on this recommender (its ARN and its domain's ARN).
   *
   * The use of this method is discouraged. Please use `grants.actions()` instead.
   */
  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return this.grants.actions(grantee, ...actions);
  }

  /**
   * Grants getting recommendations for profiles from this recommender.
   *
   * The use of this method is discouraged. Please use `grants.getRecommendations()` instead.
   *
   * @example
   * declare const recommender: Recommender;
   * declare const fn: lambda.Function;
   * recommender.grants.getRecommendations(fn);
   * fn.addEnvironment('DOMAIN_NAME', recommender.domain.domainName);
   * fn.addEnvironment('RECOMMENDER_NAME', recommender.recommenderName);
   */
  public grantGetRecommendations(grantee: iam.IGrantable): iam.Grant {
    return this.grants.getRecommendations(grantee);
  }

  /**
   * Grants reading the recommender's status and configuration.
   *
   * The use of this method is discouraged. Please use `grants.read()` instead.
   */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.grants.read(grantee);
  }
}

/**
 * A recommender of Amazon Connect Customer Profiles: a model trained on the events in a
 * domain's data store that recommends items for profiles.
 *
 * The deployment waits until training has finished and the recommender is ACTIVE (see
 * `waitForActive` and `timeout`). A running recommender costs money: set `enabled: false` to
 * stop it without deleting it.
 *
 * @resource Custom::CustomerProfilesRecommender
 * @example
 * declare const domain: Domain;
 * declare const api: lambda.Function;
 * const forYou = new Recommender(this, 'ForYou', {
 *   domain,
 *   recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU,
 *   events: [{ eventType: 'purchase', weight: 1 }, { eventType: 'click', weight: 0.2 }],
 *   trainingFrequency: Duration.days(7),
 * });
 * forYou.grants.getRecommendations(api);
 */
@propertyInjectable
export class Recommender extends RecommenderBase implements ITaggable {
  /** Uniquely identifies this class for property injectors (`PropertyInjectors.of(scope).add()`). */
  public static readonly PROPERTY_INJECTION_ID: string = '@cdk-customer-profiles/constructs.Recommender';

  /**
   * Imports an existing recommender of a domain by its name.
   */
  public static fromRecommenderName(scope: Construct, id: string, domain: refs.IDomainRef, recommenderName: string): IRecommender {
    const v = new Validator(scope, KIND);
    v.name('recommenderName', recommenderName, 1, 64, RECOMMENDER_NAME_PATTERN, 'letters, digits, _ or -');
    v.throwIfInvalid();
    class Import extends RecommenderBase {
      public readonly domain = domainFromRef(this, domain);
      public readonly recommenderName = recommenderName;
      public readonly recommenderArn = childArnOf(this.domain, 'recommenders', recommenderName);
    }
    return new Import(scope, id);
  }

  /**
   * Grants listing the recipes the service offers (as `domain.grants.listRecommenderRecipes()`).
   *
   * IAM action: `profile:ListRecommenderRecipes` on `*`: the action has no resource type, so
   * `*` is the only resource IAM accepts for it.
   */
  public static grantListRecipes(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['profile:ListRecommenderRecipes'], resourceArns: ['*'] });
  }

  public readonly domain: IDomain;

  /** Tags of the recommender, rendered into the resource at synthesis. */
  public readonly tags: TagManager;

  /**
   * The custom resource. Its attributes are referenced when read (the getters below), not when the
   * construct is built: aws-cdk-lib keeps every reference, and its token, in process-wide tables,
   * and most are never used.
   */
  private readonly resource: CfnResource;

  constructor(scope: Construct, id: string, props: RecommenderProps) {
    super(scope, id);
    this.domain = domainFromRef(this, props.domain);

    // The recipe and schema cannot change in place: a generated name changes with them (a replacement).
    const name = props.recommenderName ?? generateContentName(this,
      { RecommenderRecipeName: props.recipe.name, RecommenderSchemaName: props.recommenderSchemaName },
      { maxLength: 64, allowedSpecialCharacters: '_-' });
    const timeoutSeconds = validateProps(this, name, this.domain, props);

    this.tags = new TagManager(TagType.MAP, ResourceTypes.RECOMMENDER, props.tags);
    addTagValidation(this, KIND);

    const config: RecommenderConfig = {
      DomainName: configDomainName(this, this.domain),
      RecommenderName: name,
      RecommenderRecipeName: props.recipe.name,
      RecommenderConfig: renderRecommenderConfig(props),
      RecommenderSchemaName: props.recommenderSchemaName,
      Description: props.description,
      Tags: lazyTags(this),
      Enabled: props.enabled ?? true,
      WaitForActive: props.waitForActive ?? true,
      TimeoutSeconds: Token.isUnresolved(timeoutSeconds) ? timeoutSeconds : Math.ceil(timeoutSeconds),
      // Only when true, so that the Config of existing stacks does not change.
      ...(props.adoptExisting === true ? { AdoptExisting: true } : {}),
    };

    const resource = createChildResource({
      scope: this,
      domain: this.domain,
      resourceType: ResourceTypes.RECOMMENDER,
      config,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
      arnKind: 'recommenders',
      name,
      actions: [
        'profile:CreateRecommender',
        'profile:GetRecommender',
        'profile:UpdateRecommender',
        'profile:DeleteRecommender',
        'profile:StartRecommender',
        'profile:StopRecommender',
        'profile:TagResource',
        'profile:UntagResource',
      ],
      domainActions: dataStoreDiagnosisActions(this.domain),
    });
    addAdoptionValidation(this, KIND, resource, props.adoptExisting);
    this.resource = resource;
  }

  public get recommenderName(): string {
    return Token.asString(this.resource.getAtt(Attributes.RECOMMENDER_NAME));
  }

  public get recommenderArn(): string {
    return Token.asString(this.resource.getAtt(Attributes.RECOMMENDER_ARN));
  }

  /**
   * The status of the recommender when the deployment finished (for example ACTIVE, INACTIVE,
   * or IN_PROGRESS when `waitForActive` is false).
   * @attribute
   */
  public get recommenderStatus(): string {
    return Token.asString(this.resource.getAtt(Attributes.RECOMMENDER_STATUS));
  }

  /**
   * Applies the removal policy to the recommender's custom resource (its DeletionPolicy and
   * UpdateReplacePolicy), as the `removalPolicy` prop does.
   */
  public applyRemovalPolicy(policy: RemovalPolicy): void {
    (this.node.defaultChild as CfnResource).applyRemovalPolicy(policy);
  }
}

function renderRecommenderConfig(props: RecommenderOptions): RecommenderConfigConfig | undefined {
  const config: RecommenderConfigConfig = {
    EventsConfig: props.events
      ? {
        EventParametersList: props.events.map((e): EventParametersConfig => ({
          EventType: e.eventType,
          EventValueThreshold: e.valueThreshold,
          EventWeight: e.weight,
        })),
      }
      : undefined,
    TrainingFrequency: trainingDays(props.trainingFrequency),
    InferenceConfig: props.minProvisionedTps !== undefined ? { MinProvisionedTPS: props.minProvisionedTps } : undefined,
    IncludedColumns: props.includedColumns,
  };
  return Object.values(config).some((v) => v !== undefined) ? config : undefined;
}

function trainingDays(frequency: Duration | undefined): number | undefined {
  return frequency?.toDays({ integral: false });
}

/** Checks the props (throwing one error listing every violation); returns the timeout in seconds. */
function validateProps(scope: Construct, name: string, domain: IDomain, props: RecommenderProps): number {
  const v = new Validator(scope, KIND);
  const withoutDataStore = domainWithoutDataStore(domain);
  if (withoutDataStore !== undefined) {
    v.fail('domain', `${withoutDataStore} has no data store, and the service only creates recommenders in a domain with one: ${enableDataStoreFix(domain)}`);
  }
  v.name('recommenderName', name, 1, 64, RECOMMENDER_NAME_PATTERN, 'letters, digits, _ or -');
  v.name('recipe', props.recipe.name, 1, 64, /^[a-z0-9-]+$/, 'a recipe name such as recommended-for-you');
  v.stringLength('description', props.description, 1, 1000);
  if (props.events !== undefined) {
    v.count('events', props.events, 1, 10);
    const seen = new Set<string>();
    props.events.forEach((e, i) => {
      v.stringLength(`events[${i}].eventType`, e.eventType, 1, 256);
      if (!Token.isUnresolved(e.eventType)) {
        v.check(seen.has(e.eventType), `events[${i}].eventType`, 'must not repeat an event type listed before', e.eventType);
        seen.add(e.eventType);
      }
      if (e.valueThreshold !== undefined && !Token.isUnresolved(e.valueThreshold)) {
        v.check(!Number.isFinite(e.valueThreshold), `events[${i}].valueThreshold`, `must be a finite number, got ${e.valueThreshold}`);
      }
      v.range(`events[${i}].weight`, e.weight, 0, 1);
    });
  }
  if (props.includedColumns !== undefined && !Token.isUnresolved(props.includedColumns)) {
    v.count('includedColumns', props.includedColumns, 1, 2);
    for (const [datasetType, columns] of Object.entries(props.includedColumns)) {
      v.stringLength(`includedColumns key '${datasetType}'`, datasetType, 1, 256);
      v.count(`includedColumns['${datasetType}']`, columns, 1, 100);
      (Token.isUnresolved(columns) ? [] : columns).forEach((column, i) =>
        v.stringLength(`includedColumns['${datasetType}'][${i}]`, column, 1, 1000));
    }
  }
  v.name('recommenderSchemaName', props.recommenderSchemaName, 1, 64, RECOMMENDER_NAME_PATTERN, 'letters, digits, _ or -');
  v.range('trainingFrequency (days)', v.durationIn('trainingFrequency', props.trainingFrequency, 'days'), 1, 30, true);
  v.range('minProvisionedTps', props.minProvisionedTps, 1, 500, true);
  const timeoutSeconds = props.timeout === undefined ? MAX_RESOURCE_TIMEOUT_SECONDS : v.durationIn('timeout', props.timeout, 'seconds');
  v.range('timeout (seconds)', timeoutSeconds, 1, MAX_RESOURCE_TIMEOUT_SECONDS);
  v.tags('tags', props.tags);
  v.throwIfInvalid();
  // Defined: an undefined timeout is recorded as a violation above.
  return timeoutSeconds!;
}
