import { Annotations } from 'aws-cdk-lib';
import * as customerprofiles from 'aws-cdk-lib/aws-customerprofiles';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { aws_customerprofiles as refs } from 'aws-cdk-lib/interfaces';
import { domainArnIn, domainOfChild, l1KeyArn } from './private/domain-internals';

/** The IAM actions of `readAttributeInsights`. */
const ATTRIBUTE_INSIGHT_ACTIONS = ['profile:ListObjectTypeAttributeValues', 'profile:GetObjectTypeAttributeStatistics'];

/**
 * The grants of a domain object type, by intent: `objectType.grants`, or
 * `DomainObjectTypeGrants.fromDomainObjectType(ref)` for any object type reference (a
 * `DomainObjectType`, an imported one, or a `CfnDomainObjectType`).
 *
 * The key granted with the reads is the object type's own KMS key: the `encryptionKey` of a
 * `DomainObjectType` (the domain's key when it has none of its own), or the `encryptionKey` of a
 * `CfnDomainObjectType` when it is a literal key ARN or a reference to a key's `Arn`. An imported
 * object type, or a `CfnDomainObjectType` without a key of its own (its objects use the domain's
 * key, which it does not name), grants no key permissions: grant them on the key.
 *
 * @example
 * import { DomainObjectTypeGrants } from '@cdk-customer-profiles/constructs';
 *
 * declare const products: customerprofiles.CfnDomainObjectType;
 * declare const fn: lambda.Function;
 * DomainObjectTypeGrants.fromDomainObjectType(products).readAttributeInsights(fn);
 */
export class DomainObjectTypeGrants {
  /**
   * The grants of an object type reference (a `DomainObjectType`, an imported one, or a
   * `CfnDomainObjectType`).
   */
  public static fromDomainObjectType(objectType: refs.IDomainObjectTypeRef): DomainObjectTypeGrants {
    return new DomainObjectTypeGrants(objectType);
  }

  /**
   * The ARN of the object type:
   * `arn:${Partition}:profile:${Region}:${Account}:domains/${DomainName}/domain-object-types/${ObjectTypeName}`.
   */
  public readonly objectTypeArn: string;

  /** The ARN of the object type's domain. */
  public readonly domainArn: string;

  private readonly objectTypeName: string;

  private constructor(private readonly objectType: refs.IDomainObjectTypeRef) {
    const ref = objectType.domainObjectTypeRef;
    const domain = domainOfChild(objectType);
    this.objectTypeName = ref.objectTypeName;
    this.domainArn = domain?.domainArn ?? domainArnIn(objectType, ref.domainName);
    const own = (objectType as { readonly objectTypeArn?: unknown }).objectTypeArn;
    this.objectTypeArn = domain && typeof own === 'string' ? own : `${this.domainArn}/domain-object-types/${ref.objectTypeName}`;
  }

  /**
   * Grants the given `profile:` actions on the object type (its ARN and its domain's ARN, which the
   * service authorizes together), without key permissions.
   */
  public actions(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.objectTypeArn, this.domainArn] });
  }

  /**
   * Grants reading the attribute insights of this object type: the distinct values of an
   * attribute and its statistics.
   *
   * IAM actions: `profile:ListObjectTypeAttributeValues`, `profile:GetObjectTypeAttributeStatistics`
   * on `arn:${Partition}:profile:${Region}:${Account}:domains/${DomainName}/object-types/${ObjectTypeName}`
   * (these two operations use the `object-types` form of the ARN, not `domain-object-types`) and
   * the domain's ARN; `kms:Decrypt` on the object type's key when it is known.
   */
  public readAttributeInsights(grantee: iam.IGrantable): iam.Grant {
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: ATTRIBUTE_INSIGHT_ACTIONS,
      resourceArns: [`${this.domainArn}/object-types/${this.objectTypeName}`, this.domainArn],
    });
    this.keyActions(grantee, 'kms:Decrypt');
    return grant;
  }

  private keyActions(grantee: iam.IGrantable, ...actions: string[]): void {
    if (domainOfChild(this.objectType)) {
      (this.objectType as { readonly encryptionKey?: kms.IKey }).encryptionKey?.grant(grantee, ...actions);
      return;
    }
    if (!customerprofiles.CfnDomainObjectType.isCfnDomainObjectType(this.objectType)) return;
    const { keyArn, known } = l1KeyArn(this.objectType, this.objectType.encryptionKey);
    if (keyArn !== undefined) {
      iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [keyArn] });
    } else if (!known) {
      Annotations.of(this.objectType).addWarningV2('@cdk-customer-profiles/constructs:objectTypeKeyNotGranted',
        `The encryptionKey of ${this.objectType.node.path} is not a key ARN an IAM policy can name: grant ${actions.join(', ')} on the key yourself.`);
    }
  }
}
