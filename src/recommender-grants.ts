import * as iam from 'aws-cdk-lib/aws-iam';
import { aws_customerprofiles as refs } from 'aws-cdk-lib/interfaces';
import { DomainGrants } from './domain-grants';
import { domainArnIn, domainOfChild } from './private/domain-internals';

/**
 * The grants of a recommender, by intent: `recommender.grants`, or
 * `RecommenderGrants.fromRecommender(ref)` for any recommender reference (a `Recommender`, an
 * imported one, or a `CfnRecommender`).
 *
 * The service authorizes recommender operations on the recommender's ARN and its domain's ARN, so
 * both are granted. Grants that read customer data also grant `kms:Decrypt` on the domain's
 * customer managed key when the reference knows its domain (a recommender of this library); a
 * `CfnRecommender` names its domain by name only: grant the key with
 * `DomainGrants.fromDomain(domain)` or on the key itself.
 *
 * @example
 * import { RecommenderGrants } from '@cdk-customer-profiles/constructs';
 *
 * declare const recommender: customerprofiles.CfnRecommender;
 * declare const fn: lambda.Function;
 * RecommenderGrants.fromRecommender(recommender).getRecommendations(fn);
 */
export class RecommenderGrants {
  /**
   * The grants of a recommender reference (a `Recommender`, an imported one, or a `CfnRecommender`).
   */
  public static fromRecommender(recommender: refs.IRecommenderRef): RecommenderGrants {
    return new RecommenderGrants(recommender);
  }

  /** The ARN of the recommender. */
  public readonly recommenderArn: string;

  /** The ARN of the recommender's domain. */
  public readonly domainArn: string;

  private readonly domainGrants?: DomainGrants;

  private constructor(recommender: refs.IRecommenderRef) {
    const ref = recommender.recommenderRef;
    const domain = domainOfChild(recommender);
    this.recommenderArn = ref.recommenderArn;
    this.domainGrants = domain && DomainGrants.fromDomain(domain);
    this.domainArn = this.domainGrants?.domainArn ?? domainArnIn(recommender, ref.domainName);
  }

  /**
   * Grants the given `profile:` actions on the recommender (its ARN and its domain's ARN), without
   * key permissions.
   */
  public actions(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.recommenderArn, this.domainArn] });
  }

  /**
   * Grants getting recommendations for profiles from this recommender.
   *
   * IAM actions: `profile:GetProfileRecommendations` on the recommender's ARN and the domain's ARN,
   * and `kms:Decrypt` on the domain's customer managed key, if it has one and it is known.
   *
   * In the function (AWS SDK for JavaScript v3, names passed in environment variables):
   *
   * ```js
   * import { CustomerProfilesClient, GetProfileRecommendationsCommand } from '@aws-sdk/client-customer-profiles';
   *
   * const client = new CustomerProfilesClient({});
   * export async function handler(event) {
   *   const { Recommendations } = await client.send(new GetProfileRecommendationsCommand({
   *     DomainName: process.env.DOMAIN_NAME,
   *     RecommenderName: process.env.RECOMMENDER_NAME,
   *     ProfileId: event.profileId,
   *     MaxResults: 10,
   *   }));
   *   return Recommendations ?? [];
   * }
   * ```
   */
  public getRecommendations(grantee: iam.IGrantable): iam.Grant {
    this.domainGrants?._keyActions(grantee, 'kms:Decrypt');
    return this.actions(grantee, 'profile:GetProfileRecommendations');
  }

  /**
   * Grants reading the recommender's status and configuration (no customer data).
   *
   * IAM actions: `profile:GetRecommender` on the recommender's ARN and the domain's ARN,
   * `profile:ListRecommenders` on the domain's ARN.
   */
  public read(grantee: iam.IGrantable): iam.Grant {
    return this.actions(grantee, 'profile:GetRecommender').combine(
      iam.Grant.addToPrincipal({ grantee, actions: ['profile:ListRecommenders'], resourceArns: [this.domainArn] }),
    );
  }
}
