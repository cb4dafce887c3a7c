import { Annotations, Arn, ArnComponents, ArnFormat, CfnResource, Duration, IResource, ITaggable, RemovalPolicy, Resource, Stack, TagManager, TagType, Token } from 'aws-cdk-lib';
import * as customerprofiles from 'aws-cdk-lib/aws-customerprofiles';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { propertyInjectable } from 'aws-cdk-lib/core/lib/prop-injectable';
import { aws_customerprofiles as refs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { DataStore } from './data-store';
import { DomainGrants } from './domain-grants';
import { DomainObjectType, DomainObjectTypeOptions } from './domain-object-type';
import { ConflictResolution, MatchingExportDestination, MatchingOptions, RuleBasedMatchingOptions } from './matching';
import { addAdoptionValidation } from './private/adoption';
import { lazyMember } from './private/config-properties';
import * as contract from './private/contract';
import { isDomain, l1KeyArn, registerCfnDomain, registerDomain, registerDomainOfRef } from './private/domain-internals';
import { generateName } from './private/names';
import { CustomerProfilesProvider } from './private/provider';
import { validateDomainProps } from './private/validate-domain-props';
import { CustomerProfilesValidationError, Validator } from './private/validation';
import { Recommender, RecommenderOptions } from './recommender';
import { SegmentDefinition, SegmentDefinitionOptions } from './segment-definition';

/** The Customer Profiles service principal (data store, dead-letter queue, exports). */
const SERVICE_PRINCIPAL = 'profile.amazonaws.com';

/**
 * How many domains have added their statement to a queue's policy: SQS requires every statement
 * of a policy to have its own Sid, and several domains may share one dead-letter queue.
 */
const deadLetterQueueStatements = new WeakMap<sqs.IQueue, number>();

/** The default of `defaultExpiration` (the console's default). */
const DEFAULT_EXPIRATION_DAYS = 366;

/** What the custom-resource handler does with a domain (on the domain's ARN only). */
const PROVIDER_DOMAIN_ACTIONS = [
  'profile:CreateDomain',
  'profile:GetDomain',
  'profile:UpdateDomain',
  'profile:DeleteDomain',
  'profile:TagResource',
  'profile:UntagResource',
];

/** What the caller of CreateDomain / UpdateDomain needs on a customer managed key (the service creates a grant with them). */
const PROVIDER_KEY_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt', 'kms:DescribeKey', 'kms:CreateGrant'];

/**
 * Properties of a Customer Profiles domain.
 */
export interface DomainProps {
  /**
   * The name of the domain: 1-64 letters, digits, hyphens and underscores, unique in the account
   * and region. Changing it replaces the domain.
   *
   * @default - a unique name derived from the construct path
   */
  readonly domainName?: string;

  /**
   * How long profile data is kept before it expires (`DefaultExpirationDays`): a whole number of
   * days between 1 and 1098.
   *
   * @default Duration.days(366)
   */
  readonly defaultExpiration?: Duration;

  /**
   * Whether the domain's data store is enabled, and whether the deployment waits until it is
   * ready. Object types, recommenders and SQL segments need an enabled data store.
   *
   * @default DataStore.disabled()
   */
  readonly dataStore?: DataStore;

  /**
   * A customer managed KMS key that encrypts the domain's data (`DefaultEncryptionKey`).
   *
   * The deployment's handler role is granted `kms:GenerateDataKey`, `kms:Decrypt`,
   * `kms:DescribeKey` and `kms:CreateGrant` on the key: the service creates a KMS grant for
   * itself with the caller's credentials, which is how Customer Profiles gets the access it needs.
   * For an imported key, its key policy must allow the account's IAM policies to grant this.
   *
   * @default - an AWS owned key
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * A queue for errors from ingesting data from third-party applications (`DeadLetterQueueUrl`).
   *
   * A statement is added to the queue's policy that allows `profile.amazonaws.com` to send
   * messages, limited to this account and domain (`aws:SourceAccount`, `aws:SourceArn`), and, if
   * the queue has a KMS key, the service principal is allowed `kms:GenerateDataKey` and
   * `kms:Decrypt` on it. An imported queue's policy cannot be changed: add the statement yourself.
   *
   * @default - no dead-letter queue
   */
  readonly deadLetterQueue?: sqs.IQueue;

  /**
   * Machine-learning based matching (the weekly Identity Resolution Job).
   *
   * @default - matching disabled
   */
  readonly matching?: MatchingOptions;

  /**
   * Rule-based matching.
   *
   * @default - rule-based matching disabled
   */
  readonly ruleBasedMatching?: RuleBasedMatchingOptions;

  /**
   * What happens to the domain when it is removed from the stack, or replaced (its name changed).
   *
   * A domain holds customer data, so by default it is kept (both the DeletionPolicy and the
   * UpdateReplacePolicy are Retain); a retained domain keeps its name, so a new domain of the
   * same name cannot be created until it has been deleted.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Take over an existing domain of this name that this library did not create: one without an
   * owner tag (made in the console, with `CfnDomain`, or by a version of this library before
   * ownership tags) or one left by an earlier, deleted stack of the same name.
   *
   * The deployment tags the domain as this stack's, then sets its expiration, matching, data
   * store, key, queue and tags to these props (tags it had that are not in them are removed),
   * and from then on this stack updates it and, with `RemovalPolicy.DESTROY`, deletes it with
   * all its profiles. A domain owned by another stack, or by another construct of this stack,
   * is never taken over. Requires `removalPolicy: RemovalPolicy.RETAIN` (a rollback of the
   * adopting deployment must not delete it); change the policy in a later deployment if needed.
   * Without it, an existing domain of the same name fails the deployment untouched.
   *
   * @default false
   */
  readonly adoptExisting?: boolean;
}

/**
 * Attributes of an existing domain, for `Domain.fromDomainAttributes`.
 */
export interface DomainAttributes {
  /**
   * The name of the domain.
   */
  readonly domainName: string;

  /**
   * The customer managed KMS key of the domain; grants then also grant its use.
   *
   * @default - no key (the domain uses an AWS owned key)
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * An Amazon Connect Customer Profiles domain, created by this library or imported.
 */
export interface IDomain extends IResource, refs.IDomainRef {
  /**
   * The name of the domain.
   * @attribute
   */
  readonly domainName: string;

  /**
   * The ARN of the domain: `arn:${Partition}:profile:${Region}:${Account}:domains/${DomainName}`.
   * @attribute
   */
  readonly domainArn: string;

  /**
   * The customer managed KMS key that encrypts the domain's data, if any.
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The grants of this domain, by intent (`domain.grants.readProfiles(fn)`), with the key
   * permissions an encrypted domain needs.
   */
  readonly grants: DomainGrants;

  /**
   * Grants the given IAM actions on this domain (its ARN only).
   *
   * The use of this method is discouraged. Please use `grants.actions()` instead.
   */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;

  /**
   * Grants reading profiles and their objects (see `DomainGrants.readProfiles`).
   *
   * The use of this method is discouraged. Please use `grants.readProfiles()` instead.
   */
  grantReadProfiles(grantee: iam.IGrantable): iam.Grant;

  /**
   * Grants creating, updating and deleting profiles, their keys and their objects (see
   * `DomainGrants.writeProfiles`).
   *
   * The use of this method is discouraged. Please use `grants.writeProfiles()` instead.
   */
  grantWriteProfiles(grantee: iam.IGrantable): iam.Grant;

  /**
   * Grants estimating the size of segments (see `DomainGrants.estimateSegments`).
   *
   * The use of this method is discouraged. Please use `grants.estimateSegments()` instead.
   */
  grantSegmentEstimates(grantee: iam.IGrantable): iam.Grant;

  /**
   * Grants listing the recommender recipes the service offers (see
   * `DomainGrants.listRecommenderRecipes`).
   *
   * The use of this method is discouraged. Please use `grants.listRecommenderRecipes()` instead.
   */
  grantListRecommenderRecipes(grantee: iam.IGrantable): iam.Grant;

  /**
   * Adds a domain object type to this domain. The domain must have its data store enabled.
   */
  addObjectType(id: string, options: DomainObjectTypeOptions): DomainObjectType;

  /**
   * Adds a recommender to this domain.
   */
  addRecommender(id: string, options: RecommenderOptions): Recommender;

  /**
   * Adds a segment definition (SQL or classic segment groups) to this domain.
   */
  addSegment(id: string, options: SegmentDefinitionOptions): SegmentDefinition;
}

/**
 * Implements IDomain from attributes alone (shared by `Domain` and imported domains).
 */
export abstract class DomainBase extends Resource implements IDomain {
  public abstract readonly domainName: string;
  public abstract readonly domainArn: string;
  /** The customer managed KMS key of the domain, if any (subclasses set it; undefined by default). */
  public readonly encryptionKey?: kms.IKey;

  public get domainRef(): refs.DomainReference {
    return { domainName: this.domainName };
  }

  /**
   * The grants of this domain, by intent, with the key permissions an encrypted domain needs.
   */
  public get grants(): DomainGrants {
    return DomainGrants.fromDomain(this);
  }

  /**
   * Grants the given IAM actions on this domain (its ARN only).
   *
   * The use of this method is discouraged. Please use `grants.actions()` instead.
   */
  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return this.grants.actions(grantee, ...actions);
  }

  /**
   * Grants reading profiles and their objects.
   *
   * The use of this method is discouraged. Please use `grants.readProfiles()` instead.
   */
  public grantReadProfiles(grantee: iam.IGrantable): iam.Grant {
    return this.grants.readProfiles(grantee);
  }

  /**
   * Grants creating, updating and deleting profiles, their keys and their objects.
   *
   * The use of this method is discouraged. Please use `grants.writeProfiles()` instead.
   */
  public grantWriteProfiles(grantee: iam.IGrantable): iam.Grant {
    return this.grants.writeProfiles(grantee);
  }

  /**
   * Grants estimating the size of segments.
   *
   * The use of this method is discouraged. Please use `grants.estimateSegments()` instead.
   */
  public grantSegmentEstimates(grantee: iam.IGrantable): iam.Grant {
    return this.grants.estimateSegments(grantee);
  }

  /**
   * Grants listing the recommender recipes the service offers.
   *
   * The use of this method is discouraged. Please use `grants.listRecommenderRecipes()` instead.
   */
  public grantListRecommenderRecipes(grantee: iam.IGrantable): iam.Grant {
    return this.grants.listRecommenderRecipes(grantee);
  }

  public addObjectType(id: string, options: DomainObjectTypeOptions): DomainObjectType {
    return new DomainObjectType(this, id, { ...options, domain: this });
  }

  public addRecommender(id: string, options: RecommenderOptions): Recommender {
    return new Recommender(this, id, { ...options, domain: this });
  }

  public addSegment(id: string, options: SegmentDefinitionOptions): SegmentDefinition {
    return new SegmentDefinition(this, id, { ...options, domain: this });
  }
}

/** Builds a domain ARN in the stack's partition, region and account. */
export function formatDomainArn(scope: Construct, domainName: string): string {
  return Stack.of(scope).formatArn({
    service: 'profile',
    resource: 'domains',
    resourceName: domainName,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

/**
 * An Amazon Connect Customer Profiles domain.
 *
 * Created by a custom resource (CreateDomain / UpdateDomain / DeleteDomain); every field is
 * updated in place except the name, whose change replaces the domain. With an enabled data store
 * the deployment waits, by default, until the data store is ready.
 *
 * Tags are set with `Tags.of(domain).add(key, value)` (stack-level tags apply too).
 *
 * @example
 * const domain = new Domain(this, 'Customers', {
 *   dataStore: DataStore.enabled(),
 *   defaultExpiration: Duration.days(365),
 * });
 */
@propertyInjectable
export class Domain extends DomainBase implements ITaggable {
  /** Uniquely identifies this class for property injectors (`PropertyInjectors.of(scope).add()`). */
  public static readonly PROPERTY_INJECTION_ID: string = '@cdk-customer-profiles/constructs.Domain';

  /**
   * Imports a domain by name (in the stack's account and region).
   */
  public static fromDomainName(scope: Construct, id: string, domainName: string): IDomain {
    return Domain.fromDomainAttributes(scope, id, { domainName });
  }

  /**
   * Imports a domain by ARN (`arn:<partition>:profile:<region>:<account>:domains/<name>`).
   * The ARN may be a token.
   */
  public static fromDomainArn(scope: Construct, id: string, domainArn: string): IDomain {
    const invalid = () => new CustomerProfilesValidationError(
      `Domain.fromDomainArn at '${scope.node.path}/${id}': domainArn must look like arn:<partition>:profile:<region>:<account>:domains/<name>, got '${domainArn}'`,
    );
    let parts: ArnComponents;
    try {
      parts = Arn.split(domainArn, ArnFormat.SLASH_RESOURCE_NAME);
    } catch {
      throw invalid();
    }
    if (!Token.isUnresolved(domainArn) && (parts.service !== 'profile' || parts.resource !== 'domains' || !parts.resourceName || parts.resourceName.includes('/'))) {
      throw invalid();
    }
    return new ImportedDomain(scope, id, { domainName: parts.resourceName!, domainArn, environmentFromArn: domainArn });
  }

  /**
   * An `IDomain` of any domain reference, such as a `CfnDomain` (a domain of this library is
   * returned as it is), so that `addRecommender()`, the grants and the other constructs work with it.
   *
   * Its name and ARN are those of the reference, in the reference's environment. Of a `CfnDomain`
   * it also knows what is written as literals when it is called: its `defaultEncryptionKey` when it
   * is a key ARN or a reference to a key's `Arn` (grants then grant its use), and whether its data
   * store is enabled (object types, recommenders and SQL segments of a `CfnDomain` declared without
   * one are refused at synthesis, as they are for a `Domain`). The constructs of this library that
   * take a domain call this themselves.
   */
  public static fromDomainRef(scope: Construct, id: string, domainRef: refs.IDomainRef): IDomain {
    if (isDomain(domainRef)) return domainRef;
    const cfn = customerprofiles.CfnDomain.isCfnDomain(domainRef) ? domainRef : undefined;
    const domain = new ImportedDomain(scope, id, {
      domainName: domainRef.domainRef.domainName,
      domainArn: customerprofiles.CfnDomain.arnForDomain(domainRef),
      account: domainRef.env.account,
      region: domainRef.env.region,
      encryptionKeyArn: cfn && l1KeyArn(cfn, cfn.defaultEncryptionKey).keyArn,
    });
    if (cfn) registerCfnDomain(domain, cfn);
    return domain;
  }

  /**
   * Imports a domain from its attributes (in the stack's account and region).
   */
  public static fromDomainAttributes(scope: Construct, id: string, attrs: DomainAttributes): IDomain {
    return new ImportedDomain(scope, id, {
      domainName: attrs.domainName,
      domainArn: formatDomainArn(scope, attrs.domainName),
      encryptionKey: attrs.encryptionKey,
    });
  }

  /**
   * The name of the domain. A reference to the custom resource: whatever reads it is deployed
   * after the domain is ready.
   * @attribute
   */
  public readonly domainName: string;

  /**
   * The ARN of the domain. A reference to the custom resource, like `domainName`.
   * @attribute
   */
  public readonly domainArn: string;

  /** The customer managed KMS key of the domain, if any. */
  public readonly encryptionKey?: kms.IKey;

  /** The dead-letter queue of the domain, if any. */
  public readonly deadLetterQueue?: sqs.IQueue;

  /** Whether the domain's data store is enabled. */
  public readonly dataStoreEnabled: boolean;

  /** Tags of the domain (use `Tags.of(domain)`). */
  public readonly tags: TagManager;

  constructor(scope: Construct, id: string, props: DomainProps = {}) {
    super(scope, id, { physicalName: props.domainName });

    validateDomainProps(this, props);

    const dataStore = props.dataStore ?? DataStore.disabled();
    const literalName = props.domainName ?? generateName(this, { maxLength: 64, allowedSpecialCharacters: '-_' });
    // The ARN from the name as written, for IAM and resource policies: referencing the custom
    // resource there would make the provider's policy depend on a resource that depends on it.
    const literalArn = formatDomainArn(this, literalName);
    const provider = CustomerProfilesProvider.of(this);

    this.tags = new TagManager(TagType.MAP, contract.ResourceTypes.DOMAIN, undefined, { tagPropertyName: 'tags' });
    this.encryptionKey = props.encryptionKey;
    this.deadLetterQueue = props.deadLetterQueue;
    this.dataStoreEnabled = dataStore.isEnabled;

    provider.addToPolicy(new iam.PolicyStatement({ actions: PROVIDER_DOMAIN_ACTIONS, resources: [literalArn] }));
    props.encryptionKey?.grant(provider.handler, ...PROVIDER_KEY_ACTIONS);

    // Validated above: whole days / whole seconds, or tokens in those units.
    const expirationDays = (props.defaultExpiration ?? Duration.days(DEFAULT_EXPIRATION_DAYS)).toDays({ integral: false });
    const timeoutSeconds = dataStore.readinessTimeout.toSeconds({ integral: false });

    const config: contract.DomainConfig = {
      DomainName: literalName,
      DefaultExpirationDays: expirationDays,
      DefaultEncryptionKey: props.encryptionKey?.keyArn,
      DeadLetterQueueUrl: props.deadLetterQueue?.queueUrl,
      Matching: renderMatching(props.matching),
      RuleBasedMatching: renderRuleBasedMatching(props.ruleBasedMatching),
      DataStore: { Enabled: dataStore.isEnabled },
      Tags: lazyMember(() => this.renderTags()),
      WaitForDataStore: dataStore.waitForReadiness,
      // Only when asked: the Config of existing stacks stays as it was.
      AdoptExisting: props.adoptExisting === true ? true : undefined,
      TimeoutSeconds: timeoutSeconds,
    };

    const resource = provider.createResource(this, 'Resource', contract.ResourceTypes.DOMAIN, config);
    resource.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN);
    addAdoptionValidation(this, 'Domain', resource, props.adoptExisting);

    if (props.deadLetterQueue) {
      this.allowDeadLetterQueue(props.deadLetterQueue, literalArn, resource);
    }
    for (const [field, destination] of [
      ['matching.exportTo', props.matching?.exportTo],
      ['ruleBasedMatching.exportTo', props.ruleBasedMatching?.exportTo],
    ] as const) {
      if (destination) {
        this.allowExport(field, destination, literalArn, resource);
      }
    }

    this.domainName = Token.asString(resource.getAtt(contract.Attributes.DOMAIN_NAME));
    this.domainArn = formatDomainArn(this, this.domainName);

    registerDomain(this, { literalName, dataStoreEnabled: dataStore.isEnabled, resource });

    // Tags can be added after construction (Tags.of is an aspect): check them at synth.
    this.node.addValidation({
      validate: () => {
        const v = new Validator(this, 'Domain');
        v.tags('tags', this.renderTags());
        try {
          v.throwIfInvalid();
          return [];
        } catch (e) {
          return [(e as Error).message];
        }
      },
    });
  }

  /**
   * Applies the removal policy to the domain's custom resource (its DeletionPolicy and
   * UpdateReplacePolicy), as the `removalPolicy` prop does.
   */
  public applyRemovalPolicy(policy: RemovalPolicy): void {
    (this.node.defaultChild as CfnResource).applyRemovalPolicy(policy);
  }

  private renderTags(): Record<string, string> | undefined {
    const tags = this.tags.renderTags() as Record<string, string> | undefined;
    return tags && Object.keys(tags).length > 0 ? tags : undefined;
  }

  /** The queue policy the service needs to deliver failed ingestion records. */
  private allowDeadLetterQueue(queue: sqs.IQueue, literalArn: string, resource: Construct): void {
    const principal = this.servicePrincipal(literalArn);
    const n = (deadLetterQueueStatements.get(queue) ?? 0) + 1;
    deadLetterQueueStatements.set(queue, n);
    const result = queue.addToResourcePolicy(new iam.PolicyStatement({
      sid: n === 1 ? 'AllowCustomerProfilesDeadLetterQueue' : `AllowCustomerProfilesDeadLetterQueue${n}`,
      principals: [new iam.ServicePrincipal(SERVICE_PRINCIPAL)],
      actions: ['sqs:SendMessage'],
      resources: [queue.queueArn],
      conditions: this.confusedDeputyConditions(literalArn),
    }));
    if (result.policyDependable) {
      resource.node.addDependency(result.policyDependable);
    } else if (!result.statementAdded) {
      Annotations.of(this).addWarningV2('@cdk-customer-profiles/constructs:deadLetterQueuePolicy',
        `The policy of the imported queue ${queue.node.path} cannot be changed: allow ${SERVICE_PRINCIPAL} sqs:SendMessage on it yourself (with aws:SourceAccount and aws:SourceArn conditions).`);
    }
    queue.encryptionMasterKey?.grant(principal, 'kms:GenerateDataKey', 'kms:Decrypt');
  }

  /** The bucket policy the service needs to write matching results. */
  private allowExport(field: string, destination: MatchingExportDestination, literalArn: string, resource: Construct): void {
    const bucket = destination.bucket;
    const result = bucket.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal(SERVICE_PRINCIPAL)],
      actions: ['s3:PutObject'],
      resources: [bucket.arnForObjects(destination.keyName ? `${destination.keyName}*` : '*')],
      conditions: this.confusedDeputyConditions(literalArn),
    }));
    if (result.policyDependable) {
      resource.node.addDependency(result.policyDependable);
    } else if (!result.statementAdded) {
      Annotations.of(this).addWarningV2('@cdk-customer-profiles/constructs:exportBucketPolicy',
        `${field}: the policy of the imported bucket ${bucket.node.path} cannot be changed: allow ${SERVICE_PRINCIPAL} s3:PutObject on it yourself (with aws:SourceAccount and aws:SourceArn conditions).`);
    }
    bucket.encryptionKey?.grant(this.servicePrincipal(literalArn), 'kms:GenerateDataKey', 'kms:Encrypt');
  }

  private servicePrincipal(literalArn: string): iam.IPrincipal {
    return new iam.ServicePrincipal(SERVICE_PRINCIPAL).withConditions(this.confusedDeputyConditions(literalArn));
  }

  /** Limits the service principal to this account and this domain (confused-deputy prevention). */
  private confusedDeputyConditions(literalArn: string): Record<string, Record<string, string>> {
    return {
      StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
      ArnEquals: { 'aws:SourceArn': literalArn },
    };
  }
}

// The child constructs make an IDomain of a reference through domain-internals (they do not import this module).
registerDomainOfRef((scope, id, ref) => Domain.fromDomainRef(scope, id, ref));

interface ImportedDomainProps {
  readonly domainName: string;
  readonly domainArn: string;
  readonly encryptionKey?: kms.IKey;
  readonly environmentFromArn?: string;
  readonly account?: string;
  readonly region?: string;
  /** A key known by its ARN only (a `CfnDomain`'s), imported under the domain. */
  readonly encryptionKeyArn?: string;
}

class ImportedDomain extends DomainBase {
  public readonly domainName: string;
  public readonly domainArn: string;
  public readonly encryptionKey?: kms.IKey;

  constructor(scope: Construct, id: string, props: ImportedDomainProps) {
    super(scope, id, { environmentFromArn: props.environmentFromArn, account: props.account, region: props.region });
    this.domainName = props.domainName;
    this.domainArn = props.domainArn;
    this.encryptionKey = props.encryptionKeyArn !== undefined
      ? kms.Key.fromKeyArn(this, 'EncryptionKey', props.encryptionKeyArn)
      : props.encryptionKey;
  }
}

function renderConflictResolution(resolution: ConflictResolution | undefined): contract.ConflictResolution | undefined {
  return resolution && { ConflictResolvingModel: resolution.model.value, SourceName: resolution.sourceName };
}

function renderExporting(destination: MatchingExportDestination | undefined): contract.ExportingConfig | undefined {
  return destination && { S3Exporting: { S3BucketName: destination.bucket.bucketName, S3KeyName: destination.keyName } };
}

/** Always rendered (disabled when absent), so removing `matching` turns it off on update. */
function renderMatching(matching: MatchingOptions | undefined): contract.MatchingConfig {
  if (!matching) return { Enabled: false };
  const autoMerging = matching.autoMerging;
  return {
    Enabled: matching.enabled ?? true,
    JobSchedule: matching.jobSchedule && { DayOfTheWeek: matching.jobSchedule.dayOfWeek.value, Time: matching.jobSchedule.time },
    AutoMerging: autoMerging && {
      Enabled: autoMerging.enabled ?? true,
      Consolidation: autoMerging.consolidation && { MatchingAttributesList: autoMerging.consolidation },
      ConflictResolution: renderConflictResolution(autoMerging.conflictResolution),
      MinAllowedConfidenceScoreForMerging: autoMerging.minAllowedConfidenceScoreForMerging,
    },
    ExportingConfig: renderExporting(matching.exportTo),
  };
}

/** Always rendered (disabled when absent), so removing `ruleBasedMatching` turns it off on update. */
function renderRuleBasedMatching(rbm: RuleBasedMatchingOptions | undefined): contract.RuleBasedMatchingConfig {
  if (!rbm) return { Enabled: false };
  const selector = rbm.attributeTypesSelector;
  return {
    Enabled: rbm.enabled ?? true,
    MatchingRules: rbm.rules?.map((rule) => ({ Rule: rule })),
    MaxAllowedRuleLevelForMerging: rbm.maxAllowedRuleLevelForMerging,
    MaxAllowedRuleLevelForMatching: rbm.maxAllowedRuleLevelForMatching,
    AttributeTypesSelector: selector && {
      AttributeMatchingModel: selector.attributeMatchingModel.value,
      Address: selector.address,
      PhoneNumber: selector.phoneNumber,
      EmailAddress: selector.emailAddress,
    },
    ConflictResolution: renderConflictResolution(rbm.conflictResolution),
    ExportingConfig: renderExporting(rbm.exportTo),
  };
}
