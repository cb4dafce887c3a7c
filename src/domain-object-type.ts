import { CfnResource, IResource, ITaggable, RemovalPolicy, Resource, TagManager, TagType, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { propertyInjectable } from 'aws-cdk-lib/core/lib/prop-injectable';
import { aws_customerprofiles as refs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import type { IDomain } from './domain';
import { DomainObjectTypeGrants } from './domain-object-type-grants';
import { addAdoptionValidation } from './private/adoption';
import {
  addTagValidation,
  childArnOf,
  configDomainName,
  createChildResource,
  lazyTags,
} from './private/child-resource';
import { Attributes, DomainObjectTypeConfig, DomainObjectTypeFieldConfig, ResourceTypes } from './private/contract';
import { domainFromRef, domainInternals, domainWithoutDataStore, enableDataStoreFix } from './private/domain-internals';
import { generateName } from './private/names';
import { CustomerProfilesValidationError, Validator } from './private/validation';

const KIND = 'DomainObjectType';

/** The service model's ObjectTypeName pattern. */
const OBJECT_TYPE_NAME_PATTERN = /^[a-zA-Z_][a-zA-Z_0-9-]*$/;
/** The service model's DomainObjectTypeFieldName pattern. */
const FIELD_NAME_PATTERN = /^[a-zA-Z0-9_.-]+$/;

/**
 * The IAM actions the KMS key of an encrypted object type must allow to whoever calls
 * PutDomainObjectType (the service creates a grant on the key to encrypt the objects).
 */
const KEY_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt', 'kms:DescribeKey', 'kms:CreateGrant'];

/**
 * How the values of a field are interpreted: as text or as numbers.
 *
 * An enum-like class: use a constant, or `ContentType.of()` for a value the service added after
 * this library was released.
 */
export class ContentType {
  /** Values are strings. */
  public static readonly STRING = new ContentType('STRING');
  /** Values are numbers. */
  public static readonly NUMBER = new ContentType('NUMBER');

  /** A content type by its API name, for values this library does not list yet. */
  public static of(value: string): ContentType {
    return new ContentType(value);
  }

  /** @param value the API name of the content type, e.g. `STRING` */
  private constructor(public readonly value: string) {}

  /** The API name of the content type. */
  public toString(): string {
    return this.value;
  }
}

/**
 * How a field is used as a feature by recommenders: as free text or as a category.
 *
 * An enum-like class: use a constant, or `FeatureType.of()` for a value the service added after
 * this library was released.
 */
export class FeatureType {
  /** Free text (titles, descriptions): the model reads the words. */
  public static readonly TEXTUAL = new FeatureType('TEXTUAL');
  /** A category (genre, brand, size): the model treats each value as a label. */
  public static readonly CATEGORICAL = new FeatureType('CATEGORICAL');

  /** A feature type by its API name, for values this library does not list yet. */
  public static of(value: string): FeatureType {
    return new FeatureType(value);
  }

  /** @param value the API name of the feature type, e.g. `TEXTUAL` */
  private constructor(public readonly value: string) {}

  /** The API name of the feature type. */
  public toString(): string {
    return this.value;
  }
}

/**
 * One field of a domain object type: where its value comes from in the ingested object and
 * where it is stored.
 */
export interface DomainObjectTypeField {
  /**
   * Where the value is read from in the ingested object, e.g. `_source.Price`.
   * 1-1000 characters.
   */
  readonly source: string;

  /**
   * Where the value is stored in the domain object, e.g. `_item.Price`.
   * 1-1000 characters.
   */
  readonly target: string;

  /**
   * How the value is interpreted.
   * @default - the service's default (STRING)
   */
  readonly contentType?: ContentType;

  /**
   * How recommenders use the field as a feature.
   * @default - the field is not used as a recommender feature type
   */
  readonly featureType?: FeatureType;
}

/**
 * The properties of a domain object type, without the domain (for `domain.addObjectType()`).
 */
export interface DomainObjectTypeOptions {
  /**
   * The name of the object type: 1-255 characters, starting with a letter or `_`, then letters,
   * digits, `_` or `-`.
   *
   * Changing the name replaces the object type (and deletes the old one's objects unless the
   * removal policy retains it).
   *
   * @default - a unique name generated from the construct path
   */
  readonly objectTypeName?: string;

  /**
   * A description of the object type (1-10000 characters).
   * @default - no description
   */
  readonly description?: string;

  /**
   * A customer managed KMS key that encrypts the objects of this type.
   *
   * The deployment's handler is granted `kms:GenerateDataKey`, `kms:Decrypt`, `kms:DescribeKey`
   * and `kms:CreateGrant` on it; a key in another account must also allow that in its key policy.
   *
   * @default - the domain's encryption key
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The fields of the object type, by field name (keys: 1-64 characters of letters, digits,
   * `_`, `.` and `-`). At least one field.
   */
  readonly fields: { [name: string]: DomainObjectTypeField };

  /**
   * Tags for the object type. `Tags.of(scope).add()` works as well.
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };

  /**
   * What happens to the object type when it is removed from the stack or replaced.
   *
   * Deleting an object type deletes every object stored under it, hence the default.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Take over an existing object type of this name that this library did not create: one
   * without an owner tag (made in the console, with `CfnObjectType`, or by a version of this
   * library before ownership tags) or one left by an earlier, deleted stack of the same name.
   *
   * The deployment tags the object type as this stack's, then puts these props' definition over
   * it (its objects are mapped by the new fields from then on) and sets its tags, and from then
   * on this stack updates it and, with `RemovalPolicy.DESTROY`, deletes it with its objects. An
   * object type owned by another stack, or by another construct of this stack, is never taken
   * over. Requires `removalPolicy: RemovalPolicy.RETAIN` (a rollback of the adopting deployment
   * must not delete it). Without it, an existing object type of the same name fails the
   * deployment untouched.
   *
   * @default false
   */
  readonly adoptExisting?: boolean;
}

/**
 * The properties of a domain object type.
 */
export interface DomainObjectTypeProps extends DomainObjectTypeOptions {
  /**
   * The domain the object type belongs to: a `Domain`, an imported domain, or any domain reference
   * such as a `CfnDomain`. A domain created by this library, or a `CfnDomain` declared with a
   * literal `dataStore`, must have its data store enabled.
   */
  readonly domain: refs.IDomainRef;
}

/**
 * A domain object type: created by this library or imported.
 */
export interface IDomainObjectType extends IResource, refs.IDomainObjectTypeRef {
  /** The domain the object type belongs to. */
  readonly domain: IDomain;

  /**
   * The name of the object type.
   * @attribute
   */
  readonly objectTypeName: string;

  /**
   * The ARN of the object type:
   * `arn:${Partition}:profile:${Region}:${Account}:domains/${DomainName}/domain-object-types/${ObjectTypeName}`.
   * @attribute
   */
  readonly objectTypeArn: string;

  /**
   * The KMS key that encrypts the objects of this type.
   * @default - unknown for imported object types; the domain's key when none was given
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The grants of this object type, by intent (`objectType.grants.readAttributeInsights(fn)`).
   */
  readonly grants: DomainObjectTypeGrants;

  /**
   * Grants the given `profile:` actions on this object type (its ARN and its domain's ARN,
   * which the service authorizes together).
   *
   * The use of this method is discouraged. Please use `grants.actions()` instead.
   */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;

  /**
   * Grants reading the attribute insights of this object type (see
   * `DomainObjectTypeGrants.readAttributeInsights`).
   *
   * The use of this method is discouraged. Please use `grants.readAttributeInsights()` instead.
   */
  grantReadAttributeInsights(grantee: iam.IGrantable): iam.Grant;
}

/**
 * Implements `IDomainObjectType` from attributes alone (shared by `DomainObjectType` and imports).
 */
export abstract class DomainObjectTypeBase extends Resource implements IDomainObjectType {
  public abstract readonly domain: IDomain;
  public abstract readonly objectTypeName: string;
  public abstract readonly objectTypeArn: string;

  public readonly encryptionKey?: kms.IKey;

  public get domainObjectTypeRef(): refs.DomainObjectTypeReference {
    return { domainName: this.domain.domainName, objectTypeName: this.objectTypeName };
  }

  /**
   * The grants of this object type, by intent (`objectType.grants.readAttributeInsights(fn)`),
   * with `kms:Decrypt` on the object type's key where data is read.
   */
  public get grants(): DomainObjectTypeGrants {
    return DomainObjectTypeGrants.fromDomainObjectType(this);
  }

  /**
   * Grants the given `profile:` actions on this object type (its ARN and its domain's ARN,
   * which the service authorizes together).
   *
   * The use of this method is discouraged. Please use `grants.actions()` instead.
   */
  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return this.grants.actions(grantee, ...actions);
  }

  /**
   * Grants reading the attribute insights of this object type: the distinct values of an
   * attribute and its statistics.
   *
   * The use of this method is discouraged. Please use `grants.readAttributeInsights()` instead.
   *
   * In the application (AWS SDK for JavaScript v3, names passed in environment variables):
   *
   * ```js
   * import {
   *   CustomerProfilesClient,
   *   ListObjectTypeAttributeValuesCommand,
   *   GetObjectTypeAttributeStatisticsCommand,
   * } from '@aws-sdk/client-customer-profiles';
   *
   * const client = new CustomerProfilesClient({});
   * const target = {
   *   DomainName: process.env.DOMAIN_NAME,
   *   ObjectTypeName: process.env.OBJECT_TYPE_NAME,
   *   AttributeName: 'Category',
   * };
   * const { Items } = await client.send(new ListObjectTypeAttributeValuesCommand(target));
   * const stats = await client.send(new GetObjectTypeAttributeStatisticsCommand(target));
   * ```
   *
   * @example
   * declare const fn: lambda.Function;
   * declare const products: DomainObjectType;
   * products.grants.readAttributeInsights(fn);
   * fn.addEnvironment('DOMAIN_NAME', products.domain.domainName);
   * fn.addEnvironment('OBJECT_TYPE_NAME', products.objectTypeName);
   */
  public grantReadAttributeInsights(grantee: iam.IGrantable): iam.Grant {
    return this.grants.readAttributeInsights(grantee);
  }
}

/**
 * A domain object type of Amazon Connect Customer Profiles: the schema of objects (products,
 * orders, ...) stored in a domain's data store and used by recommenders.
 *
 * The domain needs its data store enabled: for a domain created by this library the construct
 * refuses a domain without one, and the object type is created once the data store is ready.
 * Deleting an object type deletes its objects, so it is retained by default.
 *
 * @resource Custom::CustomerProfilesDomainObjectType
 * @example
 * declare const domain: Domain;
 * new DomainObjectType(this, 'Products', {
 *   domain,
 *   fields: {
 *     Id: { source: '_source.ProductId', target: '_item.Id' },
 *     Category: { source: '_source.Category', target: '_item.Category', featureType: FeatureType.CATEGORICAL },
 *     Price: { source: '_source.Price', target: '_item.Price', contentType: ContentType.NUMBER },
 *   },
 * });
 */
@propertyInjectable
export class DomainObjectType extends DomainObjectTypeBase implements ITaggable {
  /** Uniquely identifies this class for property injectors (`PropertyInjectors.of(scope).add()`). */
  public static readonly PROPERTY_INJECTION_ID: string = '@cdk-customer-profiles/constructs.DomainObjectType';

  /**
   * Imports an existing object type of a domain by its name.
   */
  public static fromObjectTypeName(scope: Construct, id: string, domain: refs.IDomainRef, objectTypeName: string): IDomainObjectType {
    class Import extends DomainObjectTypeBase {
      public readonly domain = domainFromRef(this, domain);
      public readonly objectTypeName = objectTypeName;
      public readonly objectTypeArn = childArnOf(this.domain, 'domain-object-types', objectTypeName);
    }
    const v = new Validator(scope, KIND);
    v.name('objectTypeName', objectTypeName, 1, 255, OBJECT_TYPE_NAME_PATTERN, 'a letter or _, then letters, digits, _ or -');
    v.throwIfInvalid();
    return new Import(scope, id);
  }

  public readonly domain: IDomain;

  /** Tags of the object type, rendered into the resource at synthesis. */
  public readonly tags: TagManager;

  public readonly encryptionKey?: kms.IKey;

  /**
   * The custom resource. Its attributes are referenced when read (the getters below), not when the
   * construct is built: aws-cdk-lib keeps every reference, and its token, in process-wide tables,
   * and most are never used.
   */
  private readonly resource: CfnResource;

  constructor(scope: Construct, id: string, props: DomainObjectTypeProps) {
    super(scope, id);
    this.domain = domainFromRef(this, props.domain);
    // Objects without a key of their own are encrypted with the domain's key.
    this.encryptionKey = props.encryptionKey ?? this.domain.encryptionKey;

    const internals = domainInternals(this.domain);
    if (internals && !internals.dataStoreEnabled) {
      throw new CustomerProfilesValidationError(
        `${KIND} at '${this.node.path}': domain '${internals.literalName}' has no data store, and the service ` +
        'only accepts object types in a domain with one. Create the domain with `dataStore: DataStore.enabled()`.',
      );
    }
    const cfnWithoutDataStore = internals ? undefined : domainWithoutDataStore(this.domain);
    if (cfnWithoutDataStore !== undefined) {
      throw new CustomerProfilesValidationError(
        `${KIND} at '${this.node.path}': domain ${cfnWithoutDataStore} has no data store, and the service ` +
        `only accepts object types in a domain with one: ${enableDataStoreFix(this.domain)}.`,
      );
    }

    const name = props.objectTypeName ?? generateName(this, { maxLength: 64, allowedSpecialCharacters: '_-', mustStartWithLetter: true });
    validateProps(this, name, props);

    this.tags = new TagManager(TagType.MAP, ResourceTypes.DOMAIN_OBJECT_TYPE, props.tags);
    addTagValidation(this, KIND);

    const extraStatements = props.encryptionKey
      ? [new iam.PolicyStatement({ actions: KEY_ACTIONS, resources: [props.encryptionKey.keyArn] })]
      : undefined;

    const config: DomainObjectTypeConfig = {
      DomainName: configDomainName(this, this.domain),
      ObjectTypeName: name,
      Description: props.description,
      EncryptionKey: props.encryptionKey?.keyArn,
      Fields: renderFields(props.fields),
      Tags: lazyTags(this),
      // Only when asked: the Config of existing stacks stays as it was.
      AdoptExisting: props.adoptExisting === true ? true : undefined,
    };

    const resource = createChildResource({
      scope: this,
      domain: this.domain,
      resourceType: ResourceTypes.DOMAIN_OBJECT_TYPE,
      config,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      arnKind: 'domain-object-types',
      name,
      actions: [
        'profile:PutDomainObjectType',
        'profile:GetDomainObjectType',
        'profile:DeleteDomainObjectType',
        'profile:TagResource',
        'profile:UntagResource',
      ],
      // When the service refuses the object type, the handler reads the domain to tell the user
      // whether its data store is off (the usual cause with an imported domain).
      domainActions: ['profile:GetDomain'],
      extraStatements,
    });
    addAdoptionValidation(this, KIND, resource, props.adoptExisting);
    this.resource = resource;
  }

  public get objectTypeName(): string {
    return Token.asString(this.resource.getAtt(Attributes.OBJECT_TYPE_NAME));
  }

  public get objectTypeArn(): string {
    return Token.asString(this.resource.getAtt(Attributes.OBJECT_TYPE_ARN));
  }

  /**
   * Applies the removal policy to the object type's custom resource (its DeletionPolicy and
   * UpdateReplacePolicy), as the `removalPolicy` prop does.
   */
  public applyRemovalPolicy(policy: RemovalPolicy): void {
    (this.node.defaultChild as CfnResource).applyRemovalPolicy(policy);
  }
}

function renderFields(fields: { [name: string]: DomainObjectTypeField }): Record<string, DomainObjectTypeFieldConfig> {
  const rendered: Record<string, DomainObjectTypeFieldConfig> = {};
  for (const [key, field] of Object.entries(fields)) {
    rendered[key] = {
      Source: field.source,
      Target: field.target,
      ContentType: field.contentType?.value,
      FeatureType: field.featureType?.value,
    };
  }
  return rendered;
}

function validateProps(scope: Construct, name: string, props: DomainObjectTypeProps): void {
  const v = new Validator(scope, KIND);
  v.name('objectTypeName', name, 1, 255, OBJECT_TYPE_NAME_PATTERN, 'a letter or _, then letters, digits, _ or -');
  v.stringLength('description', props.description, 1, 10000);
  const entries = Object.entries(props.fields ?? {});
  v.check(entries.length === 0, 'fields', 'must have at least one field');
  for (const [key, field] of entries) {
    v.name(`fields key '${key}'`, key, 1, 64, FIELD_NAME_PATTERN, 'letters, digits, _, . or -');
    v.stringLength(`fields['${key}'].source`, field.source, 1, 1000);
    v.stringLength(`fields['${key}'].target`, field.target, 1, 1000);
    v.stringLength(`fields['${key}'].contentType`, field.contentType?.value, 1, 64);
    v.stringLength(`fields['${key}'].featureType`, field.featureType?.value, 1, 64);
  }
  v.tags('tags', props.tags);
  v.throwIfInvalid();
}
