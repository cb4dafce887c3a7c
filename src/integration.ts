import { ArnFormat, IResource, RemovalPolicy, Resource, Stack } from 'aws-cdk-lib';
import * as customerprofiles from 'aws-cdk-lib/aws-customerprofiles';
import { propertyInjectable } from 'aws-cdk-lib/core/lib/prop-injectable';
import { aws_customerprofiles as refs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { Validator } from './private/validation';

/**
 * Whether an integration ingests profile data or domain-wide data (the `Scope` of
 * PutIntegration, added in the December 2025 release).
 */
export class IntegrationScope {
  /** The integration ingests data into customer profiles. */
  public static readonly PROFILE = new IntegrationScope('PROFILE');
  /** The integration ingests data at domain level (for example recommender events and items). */
  public static readonly DOMAIN = new IntegrationScope('DOMAIN');

  /** A scope this version of the library does not know yet. */
  public static of(value: string): IntegrationScope {
    return new IntegrationScope(value);
  }

  private constructor(
    /** The value sent to the service. */
    public readonly value: string,
  ) {}
}

/**
 * One entry of an integration's object type mapping: a tag key of the source data and the object
 * type that ingests the records carrying it.
 */
export class IntegrationObjectTypeMapping {
  /**
   * Maps `key` to an object type defined with this library, imported, or any object type
   * reference such as a `CfnDomainObjectType`.
   */
  public static fromObjectType(key: string, objectType: refs.IDomainObjectTypeRef): IntegrationObjectTypeMapping {
    return new IntegrationObjectTypeMapping(key, objectType.domainObjectTypeRef.objectTypeName);
  }

  /** Maps `key` to an object type by name (for example a profile object type defined elsewhere). */
  public static fromName(key: string, objectTypeName: string): IntegrationObjectTypeMapping {
    return new IntegrationObjectTypeMapping(key, objectTypeName);
  }

  private constructor(
    /** The key of the source data. */
    public readonly key: string,
    /** The object type that ingests it. */
    public readonly objectTypeName: string,
  ) {}
}

/**
 * Properties of an `Integration`.
 */
export interface IntegrationProps {
  /**
   * The domain the integration ingests into: a `Domain`, an imported domain, or any domain
   * reference such as a `CfnDomain`.
   */
  readonly domain: refs.IDomainRef;

  /**
   * The URI of the data source: an S3 bucket, an SQS queue, an Amazon AppFlow flow or an event
   * stream, as PutIntegration accepts it.
   *
   * @default - none; then `flowDefinition` is required (the service creates the AppFlow flow)
   */
  readonly uri?: string;

  /**
   * An Amazon AppFlow flow for the service to create for this integration.
   *
   * @default - none; then `uri` is required
   */
  readonly flowDefinition?: customerprofiles.CfnIntegration.FlowDefinitionProperty;

  /**
   * Whether the integration ingests profile data or domain-level data.
   *
   * @default - the service's default (`PROFILE`)
   */
  readonly integrationScope?: IntegrationScope;

  /**
   * The one object type that ingests every record: a `DomainObjectType`, an imported one, or any
   * object type reference such as a `CfnDomainObjectType`. Give this or `objectTypeMappings`.
   *
   * @default - none; then `objectTypeMappings` is required
   */
  readonly objectType?: refs.IDomainObjectTypeRef;

  /**
   * The name of the one object type that ingests every record, when it is not a construct of this
   * library. Give at most one of `objectType` and `objectTypeName`.
   *
   * @default - none
   */
  readonly objectTypeName?: string;

  /**
   * Object types by source key, for sources that carry several kinds of records.
   *
   * @default - none; then `objectType` or `objectTypeName` is required
   */
  readonly objectTypeMappings?: IntegrationObjectTypeMapping[];

  /**
   * Names of event triggers to run on the ingested data (the service accepts one).
   *
   * @default - none
   */
  readonly eventTriggerNames?: string[];

  /**
   * What happens to the integration when it leaves the stack. An integration holds no customer
   * data (its objects live in the domain), so it is deleted by default.
   *
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A Customer Profiles integration, created by this library or imported.
 */
export interface IIntegration extends IResource, refs.IIntegrationRef {
  /**
   * The name of the domain the integration belongs to.
   * @attribute
   */
  readonly domainName: string;

  /**
   * The URI of the integration's data source.
   * @attribute
   */
  readonly integrationUri: string;
}

/**
 * Attributes of an existing integration.
 */
export interface IntegrationAttributes {
  /** The name of the domain. */
  readonly domainName: string;
  /** The URI of the integration's data source. */
  readonly uri: string;
}

abstract class IntegrationBase extends Resource implements IIntegration {
  public abstract readonly domainName: string;
  public abstract readonly integrationUri: string;

  public get integrationRef(): refs.IntegrationReference {
    return { domainName: this.domainName, uri: this.integrationUri };
  }
}

/**
 * A Customer Profiles integration (over the native `AWS::CustomerProfiles::Integration`), with the
 * release's `Scope` and object type mappings that accept this library's object types.
 *
 * @example
 * declare const domain: Domain;
 * declare const orders: DomainObjectType;
 * declare const queue: sqs.IQueue;
 * new Integration(this, 'OrdersFeed', {
 *   domain,
 *   uri: queue.queueArn,
 *   integrationScope: IntegrationScope.DOMAIN,
 *   objectType: orders,
 * });
 */
@propertyInjectable
export class Integration extends IntegrationBase {
  /** Uniquely identifies this class for property injectors (`PropertyInjectors.of(scope).add()`). */
  public static readonly PROPERTY_INJECTION_ID: string = '@cdk-customer-profiles/constructs.Integration';

  /** Imports an existing integration. */
  public static fromIntegrationAttributes(scope: Construct, id: string, attrs: IntegrationAttributes): IIntegration {
    class Import extends IntegrationBase {
      public readonly domainName = attrs.domainName;
      public readonly integrationUri = attrs.uri;
    }
    return new Import(scope, id);
  }

  public readonly domainName: string;
  public readonly integrationUri: string;

  /** The underlying L1 resource. */
  public readonly resource: customerprofiles.CfnIntegration;

  constructor(scope: Construct, id: string, props: IntegrationProps) {
    super(scope, id);

    const v = new Validator(this, 'Integration');
    const sources = [props.uri, props.flowDefinition].filter((x) => x !== undefined).length;
    v.check(sources !== 1, 'uri / flowDefinition', 'must be given exactly once between them', sources);
    v.stringLength('uri', props.uri, 1, 255);
    const targets = [props.objectType, props.objectTypeName, props.objectTypeMappings].filter((x) => x !== undefined).length;
    v.check(targets !== 1, 'objectType / objectTypeName / objectTypeMappings', 'must be given exactly once between them', targets);
    v.count('objectTypeMappings', props.objectTypeMappings, 1, 1000);
    for (const [i, m] of (props.objectTypeMappings ?? []).entries()) {
      v.stringLength(`objectTypeMappings[${i}].key`, m.key, 1, 255);
      v.name(`objectTypeMappings[${i}].objectTypeName`, m.objectTypeName, 1, 255, /^[a-zA-Z_][a-zA-Z_0-9-]*$/, 'a letter or _ first, then letters, digits, _ or -');
    }
    v.name('objectTypeName', props.objectTypeName, 1, 255, /^[a-zA-Z_][a-zA-Z_0-9-]*$/, 'a letter or _ first, then letters, digits, _ or -');
    v.count('eventTriggerNames', props.eventTriggerNames, 1, 1);
    v.throwIfInvalid();

    this.resource = new customerprofiles.CfnIntegration(this, 'Resource', {
      domainName: props.domain.domainRef.domainName,
      uri: props.uri,
      flowDefinition: props.flowDefinition,
      scope: props.integrationScope?.value,
      // The object type must exist before the integration names it: its `objectTypeName` is a GetAtt
      // of its custom resource (of a CfnDomainObjectType, a part of its Ref), which orders the two, so
      // no DependsOn (it would be redundant, cfn-lint W3005). An imported object type has no
      // resource in the stack to wait for.
      objectTypeName: props.objectType?.domainObjectTypeRef.objectTypeName ?? props.objectTypeName,
      objectTypeNames: props.objectTypeMappings?.map((m) => ({ key: m.key, value: m.objectTypeName })),
      eventTriggerNames: props.eventTriggerNames,
    });
    this.resource.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.DESTROY);

    this.domainName = props.domain.domainRef.domainName;
    // With a flow definition, the service names the integration by the ARN of the flow it creates.
    this.integrationUri = props.uri ?? Stack.of(this).formatArn({
      service: 'appflow',
      resource: 'flow',
      resourceName: props.flowDefinition!.flowName,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }
}
