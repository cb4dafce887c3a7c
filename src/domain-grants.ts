import { Annotations } from 'aws-cdk-lib';
import * as customerprofiles from 'aws-cdk-lib/aws-customerprofiles';
import * as iam from 'aws-cdk-lib/aws-iam';
import { aws_customerprofiles as refs } from 'aws-cdk-lib/interfaces';
import { isDomain, l1KeyArn } from './private/domain-internals';

const READ_PROFILE_ACTIONS = [
  'profile:SearchProfiles',
  'profile:BatchGetProfile',
  'profile:ListProfileObjects',
  'profile:GetSimilarProfiles',
];

const WRITE_PROFILE_ACTIONS = [
  'profile:CreateProfile',
  'profile:UpdateProfile',
  'profile:DeleteProfile',
  'profile:AddProfileKey',
  'profile:DeleteProfileKey',
  'profile:PutProfileObject',
  'profile:DeleteProfileObject',
];

const SEGMENT_ESTIMATE_ACTIONS = ['profile:CreateSegmentEstimate', 'profile:GetSegmentEstimate'];

/**
 * The grants of a Customer Profiles domain, by intent: `domain.grants`, or
 * `DomainGrants.fromDomain(ref)` for any domain reference (a `Domain`, an imported domain, or a
 * `CfnDomain`).
 *
 * Grants that read or write customer data also grant the use of the domain's customer managed KMS
 * key, when the key is known: the `encryptionKey` of a `Domain` (or given to
 * `Domain.fromDomainAttributes`), or the `defaultEncryptionKey` of a `CfnDomain` when it is a
 * literal key ARN or a reference to a key's `Arn` (`key.keyArn`). A `CfnDomain` key given as a key
 * id, an alias or a parameter cannot be named in an IAM policy: the grant then adds a warning, and
 * the key permissions must be granted separately.
 *
 * @example
 * import { DomainGrants } from '@cdk-customer-profiles/constructs';
 *
 * declare const domain: customerprofiles.CfnDomain;
 * declare const fn: lambda.Function;
 * DomainGrants.fromDomain(domain).readProfiles(fn);
 */
export class DomainGrants {
  /**
   * The grants of a domain reference (a `Domain`, an imported domain, or a `CfnDomain`).
   */
  public static fromDomain(domain: refs.IDomainRef): DomainGrants {
    return new DomainGrants(domain);
  }

  /**
   * The ARN of the domain the grants name: the `domainArn` of an `IDomain` (which may be in another
   * region or account for `Domain.fromDomainArn`), or built in the reference's own environment.
   */
  public readonly domainArn: string;

  private constructor(private readonly domain: refs.IDomainRef) {
    this.domainArn = isDomain(domain) ? domain.domainArn : customerprofiles.CfnDomain.arnForDomain(domain);
  }

  /**
   * Grants the given IAM actions on the domain (its ARN only), without key permissions.
   */
  public actions(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.domainArn] });
  }

  /**
   * Grants reading profiles and their objects.
   *
   * IAM actions: `profile:SearchProfiles`, `profile:BatchGetProfile`, `profile:ListProfileObjects`,
   * `profile:GetSimilarProfiles` on the domain ARN and its object types
   * (`<domainArn>/object-types/*`), and `kms:Decrypt` on the domain's key if it has one.
   */
  public readProfiles(grantee: iam.IGrantable): iam.Grant {
    this.keyActions(grantee, 'kms:Decrypt');
    return iam.Grant.addToPrincipal({ grantee, actions: READ_PROFILE_ACTIONS, resourceArns: this.profileResourceArns() });
  }

  /**
   * Grants creating, updating and deleting profiles, their keys and their objects.
   *
   * IAM actions: `profile:CreateProfile`, `profile:UpdateProfile`, `profile:DeleteProfile`,
   * `profile:AddProfileKey`, `profile:DeleteProfileKey`, `profile:PutProfileObject`,
   * `profile:DeleteProfileObject` on the domain ARN and its object types
   * (`<domainArn>/object-types/*`), and `kms:Decrypt`, `kms:GenerateDataKey` on the domain's key
   * if it has one.
   */
  public writeProfiles(grantee: iam.IGrantable): iam.Grant {
    this.keyActions(grantee, 'kms:Decrypt', 'kms:GenerateDataKey');
    return iam.Grant.addToPrincipal({ grantee, actions: WRITE_PROFILE_ACTIONS, resourceArns: this.profileResourceArns() });
  }

  /**
   * Grants estimating the size of segments.
   *
   * IAM actions: `profile:CreateSegmentEstimate`, `profile:GetSegmentEstimate` on the domain ARN,
   * and `kms:Decrypt` on the domain's key if it has one.
   */
  public estimateSegments(grantee: iam.IGrantable): iam.Grant {
    this.keyActions(grantee, 'kms:Decrypt');
    return iam.Grant.addToPrincipal({ grantee, actions: SEGMENT_ESTIMATE_ACTIONS, resourceArns: [this.domainArn] });
  }

  /**
   * Grants listing the recommender recipes the service offers.
   *
   * IAM action: `profile:ListRecommenderRecipes` on `*`. The action has no resource type in IAM, so
   * `*` is the only resource it can be granted on; it reveals nothing about this domain.
   */
  public listRecommenderRecipes(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['profile:ListRecommenderRecipes'], resourceArns: ['*'] });
  }

  /**
   * Grants KMS actions on the domain's customer managed key, when it has one (nothing otherwise).
   * Used by the grants of the domain's recommenders, segments and object types as well.
   *
   * @internal
   */
  public _keyActions(grantee: iam.IGrantable, ...actions: string[]): void {
    this.keyActions(grantee, ...actions);
  }

  private keyActions(grantee: iam.IGrantable, ...actions: string[]): void {
    if (isDomain(this.domain)) {
      this.domain.encryptionKey?.grant(grantee, ...actions);
      return;
    }
    if (!customerprofiles.CfnDomain.isCfnDomain(this.domain)) return;
    const { keyArn, known } = l1KeyArn(this.domain, this.domain.defaultEncryptionKey);
    if (keyArn !== undefined) {
      iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [keyArn] });
    } else if (!known) {
      Annotations.of(this.domain).addWarningV2('@cdk-customer-profiles/constructs:domainKeyNotGranted',
        `The defaultEncryptionKey of ${this.domain.node.path} is not a key ARN an IAM policy can name: grant ${actions.join(', ')} on the key yourself.`);
    }
  }

  /** Profile operations are authorized on the domain, profile-object operations on its object types. */
  private profileResourceArns(): string[] {
    return [this.domainArn, `${this.domainArn}/object-types/*`];
  }
}
