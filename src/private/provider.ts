import * as path from 'path';
import { ArnFormat, Aws, CfnResource, Duration, Fn, Stack, Stack as CdkStack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, IConstruct } from 'constructs';
import { renderConfigProperties } from './config-properties';
import { OWNER_TAG_KEY, ProviderLimits } from './contract';

/** Where the pre-bundled handler lives, relative to lib/private (and src/private under ts-jest). */
export const HANDLER_ASSET_DIR = path.join(__dirname, '..', '..', 'assets', 'handler');

/** Construct id of the singleton under the stack. */
const SINGLETON_ID = 'CustomerProfilesProvider';

/**
 * How often the Provider framework calls isComplete. Data store readiness and recommender
 * training take minutes; polling faster only burns Step Functions transitions and API calls.
 */
export const QUERY_INTERVAL = Duration.seconds(ProviderLimits.QUERY_INTERVAL_SECONDS);

/**
 * The Provider framework's own limit. CloudFormation waits at most one hour for a custom
 * resource; the framework needs a little time to report before that, so it gives up at 55 minutes.
 * Each resource's own deadline (`TimeoutSeconds` in its Config) must be below this.
 */
export const TOTAL_TIMEOUT = Duration.seconds(ProviderLimits.TOTAL_TIMEOUT_SECONDS);

/** The largest per-resource wait a construct may ask for, in seconds (a margin below TOTAL_TIMEOUT). */
export const MAX_RESOURCE_TIMEOUT_SECONDS = TOTAL_TIMEOUT.toSeconds() - 60;

/**
 * What the handler's Delete path calls for each kind of resource: Get (ownership, then the wait
 * until it is gone) and Delete. Granted on everything the stack created (see ownedResourcesStatement).
 */
export const CLEANUP_ACTIONS: readonly string[] = [
  'profile:GetDomain', 'profile:DeleteDomain',
  'profile:GetDomainObjectType', 'profile:DeleteDomainObjectType',
  'profile:GetRecommender', 'profile:DeleteRecommender',
  'profile:GetSegmentDefinition', 'profile:DeleteSegmentDefinition',
];

/** Sid of the statement that grants CLEANUP_ACTIONS on what the stack created. */
export const OWNED_RESOURCES_SID = 'DeleteWhatThisStackCreated';

/**
 * The one custom-resource provider of a stack, shared by every construct of this library.
 *
 * It holds one Lambda function (the pre-bundled handler in `assets/handler`, used as both the
 * onEvent and the isComplete handler) and the policy of its role, to which the constructs add
 * their statements. Custom resources depend on that policy (directly, or through their domain),
 * so CloudFormation keeps the permissions until the resources have been deleted.
 *
 * The policy is the handler role's default policy. The children of a domain of the same stack
 * are granted once per kind (see createChildResource), so it keeps its size whatever their
 * number. Children of an imported domain each add their ARN; should a stack of many of them pass
 * IAM's 10,240 characters of inline policy per role, aws-cdk-lib moves the rest into managed
 * `OverflowPolicy` documents of the same role, which is why custom resources depend on the whole
 * role (its policy and any overflow).
 *
 * Those statements follow the current template, but CloudFormation deletes removed and replaced
 * resources after the update, under the new template's policy. One more statement, the same in
 * every template of the stack, keeps the get and delete actions on whatever carries the stack's
 * owner marker (see ownedResourcesStatement).
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
  /** The handler's role: its default policy (and overflow policies) hold every construct's statements. */
  public readonly role: iam.IRole;
  public readonly serviceToken: string;
  /** Statements added so far that others with the same actions are merged into, by their actions. */
  private readonly statementsByActions = new Map<string, { statement: iam.PolicyStatement; resources: Set<string> }>();
  /** Keys of the child statements made once per domain and kind (see createChildResource). */
  private readonly onceKeys = new Set<string>();

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

    this.role = this.handler.role!;
    this.handler.addToRolePolicy(ownedResourcesStatement(scope));

    // The framework's isComplete and onTimeout functions share one role (both only invoke the
    // handler): one role and one policy fewer than a role each. The onEvent function keeps its own,
    // which may also start the waiter (the waiter invokes isComplete: one role for all would be a cycle).
    const completeAndTimeoutRole = new iam.Role(this, 'frameworkCompleteAndTimeoutRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole')],
    });

    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.handler,
      isCompleteHandler: this.handler,
      frameworkCompleteAndTimeoutRole: completeAndTimeoutRole,
      queryInterval: QUERY_INTERVAL,
      totalTimeout: TOTAL_TIMEOUT,
      // The framework logs whole events (resource properties hold SQL queries and descriptions,
      // which are customer data): keep its application log level at FATAL.
      frameworkLambdaLoggingLevel: lambda.ApplicationLogLevel.FATAL,
    });
    this.serviceToken = provider.serviceToken;

    suppressNagFindings(this);
  }

  /** Adds statements to the provider's policy (used by each construct for its own ARNs). */
  public addToPolicy(...statements: iam.PolicyStatement[]): void {
    for (const statement of statements) {
      // One statement per set of actions, listing every resource once: the same permissions as
      // one statement per construct, in a policy that stays small (IAM limits inline policies to
      // 10,240 characters) and synthesizes faster with many resources.
      const key = mergeKey(statement);
      const existing = key === undefined ? undefined : this.statementsByActions.get(key);
      if (existing) {
        const added = statement.resources.filter((arn) => !existing.resources.has(arn));
        added.forEach((arn) => existing.resources.add(arn));
        if (added.length > 0) {
          existing.statement.addResources(...added);
        }
        continue;
      }
      if (key !== undefined) {
        this.statementsByActions.set(key, { statement, resources: new Set(statement.resources) });
      }
      this.handler.addToRolePolicy(statement);
    }
  }

  /**
   * Adds the statements of a child resource. With a `onceKey`, they cover every child of a kind
   * in a domain (a `domains/${domain}/${kind}/*` ARN) and are built and added only the first time
   * the key is seen; without one they name the child and are added (merged) each time.
   */
  public addChildStatements(options: { readonly onceKey?: string; readonly build: () => iam.PolicyStatement[] }): void {
    if (options.onceKey !== undefined) {
      if (this.onceKeys.has(options.onceKey)) {
        return;
      }
      if (this.onceKeys.size === 0) {
        suppressChildWildcardFinding(this.role);
      }
      this.onceKeys.add(options.onceKey);
    }
    this.addToPolicy(...options.build());
  }

  /**
   * Creates a custom resource of this provider carrying `config` as its properties, one per
   * member (see config-properties.ts). Unless `dependsOnRole` is false, the resource depends on
   * the provider's role, its policy and any overflow policy (a resource that depends on another
   * one that does, the domain for its children, is ordered after them through it).
   *
   * It is a plain `CfnResource` with the id `Resource`, so it is the construct's `defaultChild`
   * (escape hatches, `applyRemovalPolicy`) and its logical ID is what a `CustomResource` wrapper
   * would give it (aws-cdk-lib leaves the wrapper's `Default` child out of logical IDs).
   */
  public createResource(scope: Construct, id: string, resourceType: string, config: object, dependsOnRole = true): CfnResource {
    const resource = new CfnResource(scope, id, {
      type: resourceType,
      properties: {
        ServiceToken: this.serviceToken,
        ...renderConfigProperties(config),
      },
    });
    if (dependsOnRole) {
      resource.node.addDependency(this.role);
    }
    return resource;
  }
}

/**
 * CLEANUP_ACTIONS on every Customer Profiles resource of the stack's account and region that
 * carries this stack's owner marker (`<stackName>/<stackGuid>/<logicalId>`, see ownerMarker in
 * contract.ts), matched as `<stackName>/<stackGuid>/*` built from `AWS::StackId` at deploy time.
 *
 * Why: CloudFormation applies the new template's policy in the update phase and deletes removed
 * resources and replaced physical ids afterwards, in UPDATE_COMPLETE_CLEANUP_IN_PROGRESS
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-update-behaviors.html).
 * Grants that name the template's children are gone by then: the last recommender of a domain
 * removed, a segment of an imported domain replaced under a new hashed name, a renamed domain's
 * old children. A failed cleanup delete only shows as an event (the stack ends UPDATE_COMPLETE)
 * and leaves the resource running.
 *
 * Why a tag condition rather than per-domain child wildcards: a wildcard for every domain the
 * stack manages still follows the template (a renamed domain's old name is in no template any
 * more), while the marker is on every resource the handler created or adopted, for as long as it
 * exists, and the service supports `aws:ResourceTag` on all its resource types. The resource is
 * a wildcard because the names to delete are, by definition, no longer in the template; the
 * condition limits it to this stack's own resources (the stack GUID excludes an earlier stack of
 * the same name). Child actions are also authorized on the domain's ARN: a domain this stack
 * created carries the marker too; an imported domain's ARN is granted by the exact statements of
 * its children that the template still declares.
 */
function ownedResourcesStatement(stack: CdkStack): iam.PolicyStatement {
  const everyResource = stack.formatArn({ service: 'profile', resource: 'domains', resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
  // `arn:<p>:cloudformation:<r>:<a>:stack/<name>/<guid>` -> `<name>/<guid>/*`
  const thisStacksMarkers = Fn.join('', [Fn.select(1, Fn.split(':stack/', Aws.STACK_ID)), '/*']);
  return new iam.PolicyStatement({
    sid: OWNED_RESOURCES_SID,
    actions: [...CLEANUP_ACTIONS],
    resources: [everyResource],
    conditions: { StringLike: { [`aws:ResourceTag/${OWNER_TAG_KEY}`]: thisStacksMarkers } },
  });
}

/** The managed policy every Lambda role of the provider carries (CloudWatch Logs only). */
const BASIC_EXECUTION_ROLE = 'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';

interface NagSuppression {
  readonly id: string;
  readonly reason: string;
  readonly appliesTo?: Array<string | { regex: string }>;
}

/**
 * cdk-nag (AwsSolutions) findings on the provider's own support resources, with the reasons a
 * reviewer needs. Written as the `cdk_nag` metadata cdk-nag reads, so the library needs no
 * runtime dependency on cdk-nag; suppressions a user adds later are merged, not replaced.
 */
function suppressNagFindings(provider: CustomerProfilesProvider): void {
  for (const child of provider.node.findAll()) {
    if (!CfnResource.isCfnResource(child)) continue;
    const nodePath = child.node.path;
    const suppressions: NagSuppression[] = [];
    switch (child.cfnResourceType) {
      case 'AWS::Lambda::Function':
        suppressions.push({
          id: 'AwsSolutions-L1',
          reason: nodePath.includes('/Provider/')
            ? 'The runtime of the custom-resource Provider framework functions is chosen by aws-cdk-lib (not configurable); it moves with aws-cdk-lib upgrades.'
            : 'The handler bundle is built and tested for Node.js 22 (esbuild target node22); the runtime is raised together with the bundle target in a library release.',
        });
        break;
      case 'AWS::IAM::Role':
        if (nodePath.includes('waiter-state-machine')) break;
        suppressions.push({
          id: 'AwsSolutions-IAM4',
          reason: 'AWSLambdaBasicExecutionRole only allows logs:CreateLogGroup, logs:CreateLogStream and logs:PutLogEvents, which the function needs to write its own logs.',
          appliesTo: [BASIC_EXECUTION_ROLE],
        });
        break;
      case 'AWS::IAM::Policy':
        if (nodePath.endsWith('/Handler/ServiceRole/DefaultPolicy/Resource')) {
          suppressions.push(OWNED_RESOURCES_SUPPRESSION);
          break;
        }
        if (!nodePath.includes('/Provider/') && !nodePath.includes('/frameworkCompleteAndTimeoutRole/')) break;
        suppressions.push({
          id: 'AwsSolutions-IAM5',
          reason: 'The only wildcard is the version qualifier `<function ARN>:*` that grantInvoke adds so that any version of this one function can be invoked; no other resource is covered.',
          appliesTo: [{ regex: '/^Resource::<[A-Za-z0-9]+\\.Arn>:\\*$/g' }],
        });
        break;
      case 'AWS::StepFunctions::StateMachine':
        suppressions.push(
          {
            id: 'AwsSolutions-SF1',
            reason: 'Logging ALL events with execution data would copy every resource request, which holds customer data (segment SQL, descriptions), into CloudWatch Logs; failures reach CloudFormation stack events.',
          },
          {
            id: 'AwsSolutions-SF2',
            reason: 'The waiter state machine only calls the isComplete function on a timer; X-Ray traces of it add cost and show nothing the stack events do not.',
          },
        );
        break;
    }
    if (suppressions.length > 0) {
      addNagSuppressions(child, suppressions);
    }
  }
}

/** cdk-nag's wildcard finding on `domains/*` of ownedResourcesStatement, and nothing else. */
const OWNED_RESOURCES_SUPPRESSION: NagSuppression = {
  id: 'AwsSolutions-IAM5',
  reason: 'Get and delete only, on the resources that carry this stack\'s owner marker (condition aws:ResourceTag/cdk-customer-profiles:owner = <stackName>/<stackGuid>/*): CloudFormation deletes removed and replaced resources after applying the new template\'s policy, when their names are no longer in it.',
  appliesTo: [{ regex: '/^Resource::arn:<AWS::Partition>:profile:(<AWS::Region>|[a-z0-9-]+):(<AWS::AccountId>|[0-9]+):domains\\/\\*$/g' }],
};

function addNagSuppressions(resource: CfnResource, suppressions: NagSuppression[]): void {
  const existing = (resource.getMetadata('cdk_nag') as { rules_to_suppress?: unknown[] } | undefined)?.rules_to_suppress ?? [];
  // The metadata form cdk-nag reads: `applies_to`, not `appliesTo` (which it would ignore,
  // widening the suppression to every finding of the rule).
  const rendered = suppressions.map(({ appliesTo, ...rest }) => (appliesTo ? { ...rest, applies_to: appliesTo } : rest));
  resource.addMetadata('cdk_nag', { rules_to_suppress: [...existing, ...rendered] });
}

/**
 * cdk-nag's wildcard finding on the handler's policy for `domains/${domain}/${kind}/*`: the
 * children of a domain this stack creates and manages (see createChildResource). Added on the
 * role's default policy, the first time such a statement is made.
 */
function suppressChildWildcardFinding(role: iam.IRole): void {
  const policy = role.node.tryFindChild('DefaultPolicy')?.node.defaultChild;
  if (!policy || !CfnResource.isCfnResource(policy)) {
    return;
  }
  addNagSuppressions(policy, [{
    id: 'AwsSolutions-IAM5',
    reason: 'The handler creates, updates and deletes the object types, recommenders and segment definitions of a domain this stack creates (it may delete the domain itself), so it is granted on all children of that kind in that domain: naming each would grow the policy with every child, past IAM\'s inline limit at about a hundred. Children of an imported domain are named exactly.',
    appliesTo: [{ regex: '/^Resource::arn:<AWS::Partition>:profile:(<AWS::Region>|[a-z0-9-]+):(<AWS::AccountId>|[0-9]+):domains\\/[^/*]+\\/(domain-object-types|recommenders|segment-definitions)\\/\\*$/g' }],
  }]);
}

/**
 * The key under which statements merge: their sorted actions. Only plain Allow statements with
 * resources merge; one with a condition, principal, Sid or Not* element keeps its own statement.
 */
function mergeKey(statement: iam.PolicyStatement): string | undefined {
  if (statement.effect !== iam.Effect.ALLOW || statement.sid !== undefined || statement.hasPrincipal
    || statement.notActions.length > 0 || statement.notResources.length > 0
    || Object.keys(statement.conditions).length > 0 || statement.resources.length === 0) {
    return undefined;
  }
  return [...statement.actions].sort().join(',');
}
