import { Arn, ArnFormat, IResource, Resource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { aws_customerprofiles as refs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';

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
   * Grants the given IAM actions on this domain.
   */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;
}

/**
 * Implements IDomain from attributes alone (shared by `Domain` and imported domains).
 */
export abstract class DomainBase extends Resource implements IDomain {
  public abstract readonly domainName: string;
  public abstract readonly domainArn: string;

  public get domainRef(): refs.DomainReference {
    return { domainName: this.domainName };
  }

  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.domainArn] });
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

// Keep the import used until the Domain class lands (fromDomainArn parses with it).
void Arn;
