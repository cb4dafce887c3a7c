import * as iam from 'aws-cdk-lib/aws-iam';
import { aws_customerprofiles as refs } from 'aws-cdk-lib/interfaces';
import { DomainGrants } from './domain-grants';
import { domainArnIn, domainOfChild } from './private/domain-internals';

/**
 * The grants of a segment definition, by intent: `segment.grants`, or
 * `SegmentDefinitionGrants.fromSegmentDefinition(ref)` for any segment definition reference (a
 * `SegmentDefinition`, an imported one, or a `CfnSegmentDefinition`).
 *
 * The service authorizes segment operations on the segment definition's ARN and its domain's ARN,
 * so both are granted. Grants that read customer data also grant `kms:Decrypt` on the domain's
 * customer managed key when the reference knows its domain (a segment definition of this library);
 * a `CfnSegmentDefinition` names its domain by name only: grant the key with
 * `DomainGrants.fromDomain(domain)` or on the key itself.
 *
 * @example
 * import { SegmentDefinitionGrants } from '@cdk-customer-profiles/constructs';
 *
 * declare const segment: customerprofiles.CfnSegmentDefinition;
 * declare const fn: lambda.Function;
 * SegmentDefinitionGrants.fromSegmentDefinition(segment).readMembership(fn);
 */
export class SegmentDefinitionGrants {
  /**
   * The grants of a segment definition reference (a `SegmentDefinition`, an imported one, or a
   * `CfnSegmentDefinition`).
   */
  public static fromSegmentDefinition(segmentDefinition: refs.ISegmentDefinitionRef): SegmentDefinitionGrants {
    return new SegmentDefinitionGrants(segmentDefinition);
  }

  /** The ARN of the segment definition. */
  public readonly segmentDefinitionArn: string;

  /** The ARN of the segment definition's domain. */
  public readonly domainArn: string;

  private readonly domainGrants?: DomainGrants;

  private constructor(segmentDefinition: refs.ISegmentDefinitionRef) {
    const ref = segmentDefinition.segmentDefinitionRef;
    const domain = domainOfChild(segmentDefinition);
    this.segmentDefinitionArn = ref.segmentDefinitionArn;
    this.domainGrants = domain && DomainGrants.fromDomain(domain);
    this.domainArn = this.domainGrants?.domainArn ?? domainArnIn(segmentDefinition, ref.domainName);
  }

  /**
   * Grants the given `profile:` actions on the segment definition (its ARN and its domain's ARN),
   * without key permissions.
   */
  public actions(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.segmentDefinitionArn, this.domainArn] });
  }

  /**
   * Grants checking whether profiles are members of this segment.
   *
   * IAM actions: `profile:GetSegmentMembership` on the segment definition's ARN and the domain's
   * ARN, and `kms:Decrypt` on the domain's customer managed key, if it has one and it is known.
   *
   * In the application (AWS SDK for JavaScript v3):
   *
   * ```js
   * import { CustomerProfilesClient, GetSegmentMembershipCommand } from '@aws-sdk/client-customer-profiles';
   *
   * const client = new CustomerProfilesClient({});
   * const { Profiles } = await client.send(new GetSegmentMembershipCommand({
   *   DomainName: process.env.DOMAIN_NAME,
   *   SegmentDefinitionName: process.env.SEGMENT_NAME,
   *   ProfileIds: [profileId],
   * }));
   * ```
   */
  public readMembership(grantee: iam.IGrantable): iam.Grant {
    this.domainGrants?._keyActions(grantee, 'kms:Decrypt');
    return this.actions(grantee, 'profile:GetSegmentMembership');
  }
}
