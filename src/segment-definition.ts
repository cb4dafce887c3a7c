import { createHash } from 'crypto';
import { CfnResource, Duration, IResource, ITaggable, RemovalPolicy, Resource, Stack, TagManager, TagType, Token } from 'aws-cdk-lib';
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
  policyDomainName,
} from './private/child-resource';
import { Attributes, ResourceTypes, SegmentDefinitionConfig } from './private/contract';
import { dataStoreDiagnosisActions, domainFromRef, domainOfChild, domainWithoutDataStore, enableDataStoreFix } from './private/domain-internals';
import { generateName } from './private/names';
import { MAX_RESOURCE_TIMEOUT_SECONDS } from './private/provider';
import { Validator } from './private/validation';
import { SegmentDefinitionGrants } from './segment-definition-grants';
import { SegmentQuery, SegmentSortAttribute } from './segment-query';

const KIND = 'SegmentDefinition';

/** The service model's pattern for segment definition (and domain) names. */
const SEGMENT_NAME_PATTERN = /^[a-zA-Z0-9_-]+$/;

/** The service model's pattern for sort attribute names (`fieldName`). */
const SORT_FIELD_PATTERN = /^[a-zA-Z0-9_.-]+$/;

/** Length of the content hash appended to generated names. */
const HASH_LENGTH = 8;

/** The deployment's default wait for the query validation (an estimate) and for deletion. */
const DEFAULT_TIMEOUT = Duration.minutes(30);

/**
 * The properties of a segment definition, without the domain (for `domain.addSegment()`).
 */
export interface SegmentDefinitionOptions {
  /**
   * The name of the segment definition (1-64 letters, digits, `_` or `-`).
   *
   * Customer Profiles cannot update a segment definition: a change of the query, display name,
   * description or sort needs a new one. With the generated default name, which ends with a
   * hash of that content, a changed segment gets a new name: the new definition is created
   * next to the old one, and CloudFormation deletes the old one afterwards. With an explicit
   * name, the deployment validates the new query, then deletes the definition and creates it
   * again under the same name: for a moment the segment does not exist.
   *
   * @default - a unique name generated from the construct path and a hash of the content
   */
  readonly segmentDefinitionName?: string;

  /** The name shown in the Amazon Connect console (1-255 characters). */
  readonly displayName: string;

  /**
   * A description of the segment (1-4000 characters).
   * @default - no description
   */
  readonly description?: string;

  /** The query: `SegmentQuery.sql(...)` (ENHANCED) or `SegmentQuery.groups(...)` (CLASSIC). */
  readonly query: SegmentQuery;

  /**
   * How the profiles of the segment are ordered (1-10 attributes).
   * @default - the service's order
   */
  readonly sort?: SegmentSortAttribute[];

  /**
   * Whether the deployment first runs the query as an estimate (CreateSegmentEstimate) and
   * fails, before anything is created or deleted, when the service rejects it. The estimate's
   * profile count becomes `estimatedProfileCount`.
   * @default true
   */
  readonly validateBeforeCreate?: boolean;

  /**
   * How long the deployment waits for the validation estimate and for deletions before failing,
   * at most 54 minutes.
   * @default Duration.minutes(30)
   */
  readonly timeout?: Duration;

  /**
   * Tags for the segment definition. `Tags.of(scope).add()` works as well.
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };

  /**
   * What happens to the segment definition when it is removed from the stack or replaced.
   * A segment definition holds no customer data (membership is computed from the profiles),
   * and a retained one would be left behind by every change of the query: it is deleted by
   * default.
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Take over an existing segment definition of this name that this library did not create (it
   * carries no owner tag: made in the console, or by a version of this library before owner tags),
   * or one left behind by an earlier, deleted stack of the same name.
   *
   * Segment definitions cannot be updated, so only a definition whose display name, description,
   * query and sort are exactly these props is adopted: the deployment tags it as this stack's and
   * brings its tags to these props; from then on the stack manages it (later changes recreate it)
   * and deletes it with the stack. Any other content fails the deployment, naming the members that
   * differ. A definition of another stack, or of another construct of this stack, is never taken
   * over. Requires `removalPolicy: RemovalPolicy.RETAIN` (segment definitions are deleted by
   * default), so that a rollback of the adopting deployment does not delete it; change the removal
   * policy in a later deployment if you want. Costs one TagResource call.
   *
   * Without it, an existing definition that is not this stack's fails the deployment, untouched.
   *
   * @default false
   */
  readonly adoptExisting?: boolean;
}

/**
 * The properties of a segment definition.
 */
export interface SegmentDefinitionProps extends SegmentDefinitionOptions {
  /**
   * The domain whose profiles the segment selects: a `Domain`, an imported domain, or any domain
   * reference such as a `CfnDomain`.
   */
  readonly domain: refs.IDomainRef;
}

/**
 * A segment definition: created by this library or imported.
 */
export interface ISegmentDefinition extends IResource, refs.ISegmentDefinitionRef {
  /** The domain the segment definition belongs to. */
  readonly domain: IDomain;

  /**
   * The name of the segment definition.
   * @attribute
   */
  readonly segmentDefinitionName: string;

  /**
   * The ARN of the segment definition:
   * `arn:${Partition}:profile:${Region}:${Account}:domains/${DomainName}/segment-definitions/${SegmentDefinitionName}`.
   * @attribute
   */
  readonly segmentDefinitionArn: string;

  /**
   * The grants of this segment definition, by intent (`segment.grants.readMembership(fn)`).
   */
  readonly grants: SegmentDefinitionGrants;

  /**
   * Grants the given `profile:` actions on this segment definition (its ARN and its domain's ARN).
   *
   * The use of this method is discouraged. Please use `grants.actions()` instead.
   */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;

  /**
   * Grants checking whether profiles are members of this segment (see
   * `SegmentDefinitionGrants.readMembership`).
   *
   * The use of this method is discouraged. Please use `grants.readMembership()` instead.
   */
  grantReadMembership(grantee: iam.IGrantable): iam.Grant;
}

/**
 * Implements `ISegmentDefinition` from attributes alone (shared by `SegmentDefinition` and imports).
 */
export abstract class SegmentDefinitionBase extends Resource implements ISegmentDefinition {
  public abstract readonly domain: IDomain;
  public abstract readonly segmentDefinitionName: string;
  public abstract readonly segmentDefinitionArn: string;

  public get segmentDefinitionRef(): refs.SegmentDefinitionReference {
    return {
      domainName: this.domain.domainName,
      segmentDefinitionName: this.segmentDefinitionName,
      segmentDefinitionArn: this.segmentDefinitionArn,
    };
  }

  /**
   * The grants of this segment definition, by intent (`segment.grants.readMembership(fn)`), with
   * `kms:Decrypt` on the domain's key where customer data is read.
   */
  public get grants(): SegmentDefinitionGrants {
    return SegmentDefinitionGrants.fromSegmentDefinition(this);
  }

  /**
   * Grants the given `profile:` actions on this segment definition (its ARN and its domain's ARN).
   *
   * The use of this method is discouraged. Please use `grants.actions()` instead.
   */
  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return this.grants.actions(grantee, ...actions);
  }

  /**
   * Grants checking whether profiles are members of this segment.
   *
   * The use of this method is discouraged. Please use `grants.readMembership()` instead.
   */
  public grantReadMembership(grantee: iam.IGrantable): iam.Grant {
    return this.grants.readMembership(grantee);
  }
}

/**
 * A segment definition of Amazon Connect Customer Profiles: a query that selects profiles of a
 * domain, written in SQL (an ENHANCED segment) or as groups of dimensions (a CLASSIC segment).
 *
 * The query is validated by the service before the definition is created (see
 * `validateBeforeCreate`). Segment definitions cannot be updated: see `segmentDefinitionName`
 * for how changes are rolled out.
 *
 * @resource Custom::CustomerProfilesSegmentDefinition
 * @example
 * declare const domain: Domain;
 * new SegmentDefinition(this, 'HighValue', {
 *   domain,
 *   displayName: 'High value customers',
 *   query: SegmentQuery.sql("SELECT * FROM _profile WHERE _profile.Attributes.tier = 'gold'"),
 * });
 */
@propertyInjectable
export class SegmentDefinition extends SegmentDefinitionBase implements ITaggable {
  /** Uniquely identifies this class for property injectors (`PropertyInjectors.of(scope).add()`). */
  public static readonly PROPERTY_INJECTION_ID: string = '@cdk-customer-profiles/constructs.SegmentDefinition';

  /**
   * Imports an existing segment definition of a domain by its name.
   */
  public static fromSegmentDefinitionName(scope: Construct, id: string, domain: refs.IDomainRef, segmentDefinitionName: string): ISegmentDefinition {
    const v = new Validator(scope, KIND);
    v.name('segmentDefinitionName', segmentDefinitionName, 1, 64, SEGMENT_NAME_PATTERN, 'letters, digits, _ or -');
    v.throwIfInvalid();
    class Import extends SegmentDefinitionBase {
      public readonly domain = domainFromRef(this, domain);
      public readonly segmentDefinitionName = segmentDefinitionName;
      public readonly segmentDefinitionArn = childArnOf(this.domain, 'segment-definitions', segmentDefinitionName);
    }
    return new Import(scope, id);
  }

  public readonly domain: IDomain;

  /** Tags of the segment definition, rendered into the resource at synthesis. */
  public readonly tags: TagManager;

  /** The name as known at synthesis (a literal unless the user passed a token). */
  private readonly literalName: string;

  /**
   * The custom resource. Its attributes are referenced when read (the getters below), not when the
   * construct is built: aws-cdk-lib keeps every reference, and its token, in process-wide tables,
   * and most are never used.
   */
  private readonly resource: CfnResource;

  constructor(scope: Construct, id: string, props: SegmentDefinitionProps) {
    super(scope, id);
    this.domain = domainFromRef(this, props.domain);

    const v = new Validator(this, KIND);
    const query = props.query;
    let rendered: { sql?: string; groups?: Record<string, unknown> } = {};
    if (!(query instanceof SegmentQuery)) {
      v.fail('query', 'is required: use SegmentQuery.sql() for an SQL segment or SegmentQuery.groups() for segment groups');
    } else {
      rendered = query._render(v);
      checkSourceSegments(v, this.domain, query);
      // Classic segments (groups) predate the data store; SQL segments and their estimates run on it.
      const withoutDataStore = rendered.sql !== undefined ? domainWithoutDataStore(this.domain) : undefined;
      if (withoutDataStore !== undefined) {
        v.fail('query', `SegmentQuery.sql() needs the data store of domain ${withoutDataStore}, which is not enabled: `
          + `${enableDataStoreFix(this.domain)}, or write the query with SegmentQuery.groups()`);
      }
    }
    const sort = renderSort(v, props.sort);
    v.stringLength('displayName', props.displayName, 1, 255);
    v.stringLength('description', props.description, 1, 4000);
    const timeoutSeconds = v.durationIn('timeout', props.timeout ?? DEFAULT_TIMEOUT, 'seconds');
    v.range('timeout (seconds)', timeoutSeconds, 1, MAX_RESOURCE_TIMEOUT_SECONDS);
    v.tags('tags', props.tags);

    const content = {
      DisplayName: props.displayName,
      Description: props.description,
      SegmentSqlQuery: rendered.sql,
      SegmentGroups: rendered.groups,
      SegmentSort: sort,
    };
    const name = props.segmentDefinitionName ?? this.generateContentName(content, query instanceof SegmentQuery ? query : undefined);
    this.literalName = name;
    v.name('segmentDefinitionName', name, 1, 64, SEGMENT_NAME_PATTERN, 'letters, digits, _ or -');
    v.throwIfInvalid();

    this.tags = new TagManager(TagType.MAP, ResourceTypes.SEGMENT_DEFINITION, props.tags);
    addTagValidation(this, KIND);

    const config: SegmentDefinitionConfig = {
      DomainName: configDomainName(this, this.domain),
      SegmentDefinitionName: name,
      ...content,
      Tags: lazyTags(this),
      ValidateBeforeCreate: props.validateBeforeCreate ?? true,
      // Defined: an unconvertible timeout was refused above (throwIfInvalid).
      TimeoutSeconds: Token.isUnresolved(timeoutSeconds) ? timeoutSeconds! : Math.ceil(timeoutSeconds!),
      // Only when true, so that the Config of existing stacks does not change.
      ...(props.adoptExisting === true ? { AdoptExisting: true } : {}),
    };

    const resource = createChildResource({
      scope: this,
      domain: this.domain,
      resourceType: ResourceTypes.SEGMENT_DEFINITION,
      config,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
      arnKind: 'segment-definitions',
      name,
      actions: [
        'profile:CreateSegmentDefinition',
        'profile:GetSegmentDefinition',
        'profile:DeleteSegmentDefinition',
        'profile:TagResource',
        'profile:UntagResource',
      ],
      // Estimates (the query validation) belong to the domain, not to a segment definition.
      domainActions: ['profile:CreateSegmentEstimate', 'profile:GetSegmentEstimate', ...dataStoreDiagnosisActions(this.domain)],
    });
    addAdoptionValidation(this, KIND, resource, props.adoptExisting);
    this.resource = resource;
  }

  public get segmentDefinitionName(): string {
    return Token.asString(this.resource.getAtt(Attributes.SEGMENT_DEFINITION_NAME));
  }

  public get segmentDefinitionArn(): string {
    return Token.asString(this.resource.getAtt(Attributes.SEGMENT_DEFINITION_ARN));
  }

  /**
   * The segment type: `ENHANCED` (SQL) or `CLASSIC` (groups).
   * @attribute
   */
  public get segmentType(): string {
    return Token.asString(this.resource.getAtt(Attributes.SEGMENT_TYPE));
  }

  /**
   * The number of profiles the validation estimate found at deployment (a number, or the
   * service's text when it gives no number); empty when `validateBeforeCreate` is false, after an
   * update that changed only tags (no estimate is run for it: CloudFormation does not give the
   * handler the previous value, and a new estimate could fail a tag change), and when the
   * deployment found the definition already there (adopted with `adoptExisting`, or a retried create).
   * @attribute
   */
  public get estimatedProfileCount(): string {
    return Token.asString(this.resource.getAtt(Attributes.ESTIMATED_PROFILE_COUNT));
  }

  /**
   * Applies the removal policy to the segment definition's custom resource (its DeletionPolicy and
   * UpdateReplacePolicy), as the `removalPolicy` prop does.
   */
  public applyRemovalPolicy(policy: RemovalPolicy): void {
    (this.node.defaultChild as CfnResource).applyRemovalPolicy(policy);
  }

  /**
   * The default name: unique for the construct path, ending with a hash of the content that
   * cannot be updated in place, so that a changed segment is created under a new name.
   * Tokens (references to other segments, parameters) are hashed in their resolved form, which
   * is stable between synths. Source segments of this app are also hashed by their names at
   * synthesis: when a source segment is replaced under a new name, this one is too, instead of
   * being deleted and recreated under its old name.
   */
  private generateContentName(content: Record<string, unknown>, query: SegmentQuery | undefined): string {
    const sourceNames = (query?._sourceSegments() ?? []).map((source) =>
      source instanceof SegmentDefinition ? source.literalName : source.segmentDefinitionRef.segmentDefinitionName);
    const resolved = JSON.stringify(Stack.of(this).resolve({ ...content, SourceNames: sourceNames }));
    const hash = createHash('sha256').update(resolved).digest('hex').slice(0, HASH_LENGTH);
    const base = generateName(this, { maxLength: 64 - HASH_LENGTH - 1, allowedSpecialCharacters: '_-' });
    return `${base}-${hash}`;
  }
}

/** Source segments must belong to the same domain. */
function checkSourceSegments(v: Validator, domain: IDomain, query: SegmentQuery): void {
  for (const source of query._sourceSegments()) {
    const sourceDomain = domainOfChild(source);
    if (sourceDomain === domain) continue;
    // The synth-time names: a domain of this app has a token as its domainName attribute. An L1
    // source names its domain by a token of its own reference: checked at deployment only.
    const a = sourceDomain ? policyDomainName(sourceDomain) : source.segmentDefinitionRef.domainName;
    const b = policyDomainName(domain);
    if (!Token.isUnresolved(a) && !Token.isUnresolved(b) && a !== b) {
      v.fail('query source segments', `must belong to the segment's domain '${b}', got a segment of domain '${a}'`);
    }
  }
}

function renderSort(v: Validator, sort: SegmentSortAttribute[] | undefined): Record<string, unknown> | undefined {
  if (sort === undefined) return undefined;
  v.count('sort', sort, 1, 10);
  return {
    Attributes: sort.map((a, i) => {
      v.name(`sort[${i}].name`, a.name, 1, 64, SORT_FIELD_PATTERN, 'letters, digits, _, . or -');
      const attribute: Record<string, string> = { Name: a.name, Order: a.order.value };
      if (a.dataType) attribute.DataType = a.dataType.value;
      if (a.attributeType) attribute.Type = a.attributeType.value;
      return attribute;
    }),
  };
}
