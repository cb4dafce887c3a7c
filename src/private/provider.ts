import * as path from 'path';
import { CustomResource, Duration, Stack, Stack as CdkStack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, IConstruct } from 'constructs';
import { CONFIG_PROPERTY } from './contract';

/** Where the pre-bundled handler lives, relative to lib/private (and src/private under ts-jest). */
export const HANDLER_ASSET_DIR = path.join(__dirname, '..', '..', 'assets', 'handler');

/** Construct id of the singleton under the stack. */
const SINGLETON_ID = 'CustomerProfilesProvider';

/**
 * How often the Provider framework calls isComplete. Data store readiness and recommender
 * training take minutes; polling faster only burns Step Functions transitions and API calls.
 */
export const QUERY_INTERVAL = Duration.seconds(15);

/**
 * The Provider framework's own limit. CloudFormation waits at most one hour for a custom
 * resource; the framework needs a little time to report before that, so it gives up at 55 minutes.
 * Each resource's own deadline (`TimeoutSeconds` in its Config) must be below this.
 */
export const TOTAL_TIMEOUT = Duration.minutes(55);

/** The largest per-resource wait a construct may ask for, in seconds (a margin below TOTAL_TIMEOUT). */
export const MAX_RESOURCE_TIMEOUT_SECONDS = TOTAL_TIMEOUT.toSeconds() - 60;

/**
 * The one custom-resource provider of a stack, shared by every construct of this library.
 *
 * It holds one Lambda function (the pre-bundled handler in `assets/handler`, used as both the
 * onEvent and the isComplete handler) and one `iam.Policy` on its role to which each construct
 * adds statements for its own ARNs. Custom resources depend on that policy, so CloudFormation
 * keeps the permissions until the resources have been deleted.
 */
export class CustomerProfilesProvider extends Construct {
  /** Returns the stack's provider, creating it on first use. */
  public static of(scope: IConstruct): CustomerProfilesProvider {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(SINGLETON_ID);
    if (existing) {
      return existing as CustomerProfilesProvider;
    }
    return new CustomerProfilesProvider(stack, SINGLETON_ID);
  }

  public readonly handler: lambda.Function;
  public readonly policy: iam.Policy;
  public readonly serviceToken: string;

  private constructor(scope: CdkStack, id: string) {
    super(scope, id);

    this.handler = new lambda.Function(this, 'Handler', {
      description: 'Amazon Connect Customer Profiles resources (domains, object types, recommenders, segments)',
      code: lambda.Code.fromAsset(HANDLER_ASSET_DIR),
      handler: 'index.handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      // onEvent makes a handful of calls (with SDK retries); isComplete makes one read.
      timeout: Duration.minutes(2),
    });

    this.policy = new iam.Policy(this, 'Policy');
    this.handler.role!.attachInlinePolicy(this.policy);

    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.handler,
      isCompleteHandler: this.handler,
      queryInterval: QUERY_INTERVAL,
      totalTimeout: TOTAL_TIMEOUT,
      // The framework logs whole events (resource properties hold SQL queries and descriptions,
      // which are customer data): keep its application log level at FATAL.
      frameworkLambdaLoggingLevel: lambda.ApplicationLogLevel.FATAL,
    });
    this.serviceToken = provider.serviceToken;
  }

  /** Adds statements to the provider's policy (used by each construct for its own ARNs). */
  public addToPolicy(...statements: iam.PolicyStatement[]): void {
    this.policy.addStatements(...statements);
  }

  /**
   * Creates a custom resource of this provider carrying `config` as the `Config` JSON property.
   * The resource depends on the provider's policy.
   */
  public createResource(scope: Construct, id: string, resourceType: string, config: unknown): CustomResource {
    const resource = new CustomResource(scope, id, {
      serviceToken: this.serviceToken,
      resourceType,
      properties: { [CONFIG_PROPERTY]: Stack.of(scope).toJsonString(config) },
    });
    resource.node.addDependency(this.policy);
    return resource;
  }
}
