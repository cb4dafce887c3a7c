/**
 * Experiment (issue #18, target 3), not shipped and not part of `npm run bench`: the "lean floor".
 *
 * The same 13 support resources that `cr.Provider` and the library's handler produce (see
 * src/private/provider.ts: 4 AWS::Lambda::Function, 4 AWS::IAM::Role, 4 AWS::IAM::Policy and the
 * waiter's AWS::StepFunctions::StateMachine), with the same construct paths (so the same logical
 * IDs), the same properties, DependsOn and cdk-nag metadata, and the same two assets (the Provider
 * framework's runtime directory and the library's `assets/handler`), but written with L1 classes
 * only: no lambda.Function, iam.Role, iam.Policy, s3-assets Asset, s3 Bucket import or
 * RegionInfo look-up. The assets are staged with `AssetStaging` and registered with
 * `stack.synthesizer.addFileAsset`, as `lambda.Code.fromAsset` does.
 *
 * The custom resources are those of bench/stacks.ts's floorStack (`floorResources`, a module of
 * definitions only, which the worker bundles can share). whole-process.ts checks
 * that this stack's template and asset manifest are the floor's (modulo nothing: they must be equal).
 */
import { App, ArnFormat, AssetStaging, Aws, CfnResource, Fn, Lazy, Stack } from 'aws-cdk-lib';
import { CfnPolicy, CfnRole } from 'aws-cdk-lib/aws-iam';
import { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { CfnStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { assetCode, frameworkRuntime, handlerDir } from './lean-assets';
import { FloorResource, floorResources } from '../stacks';

/* eslint-disable @typescript-eslint/no-require-imports, import/no-extraneous-dependencies */
const contract = () => require('@cdk-customer-profiles/constructs/lib/private/contract') as typeof import('@cdk-customer-profiles/constructs/lib/private/contract');
/* eslint-enable @typescript-eslint/no-require-imports, import/no-extraneous-dependencies */

const ENV = { account: '123456789012', region: 'us-east-1' };

/** What the provider framework's functions run on: `lambda.determineLatestNodeRuntime` gives this for us-east-1 in aws-cdk-lib 2.253. */
const FRAMEWORK_RUNTIME = 'nodejs22.x';

const BASIC_EXECUTION_ROLE = 'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';

/** The cdk-nag suppressions src/private/provider.ts writes (copied: they are private to it). */
const NAG = {
  handlerRuntime: { id: 'AwsSolutions-L1', reason: 'The handler bundle is built and tested for Node.js 22 (esbuild target node22); the runtime is raised together with the bundle target in a library release.' },
  frameworkRuntime: { id: 'AwsSolutions-L1', reason: 'The runtime of the custom-resource Provider framework functions is chosen by aws-cdk-lib (not configurable); it moves with aws-cdk-lib upgrades.' },
  basicExecution: {
    id: 'AwsSolutions-IAM4',
    reason: 'AWSLambdaBasicExecutionRole only allows logs:CreateLogGroup, logs:CreateLogStream and logs:PutLogEvents, which the function needs to write its own logs.',
    applies_to: [BASIC_EXECUTION_ROLE],
  },
  invokeVersions: {
    id: 'AwsSolutions-IAM5',
    reason: 'The only wildcard is the version qualifier `<function ARN>:*` that grantInvoke adds so that any version of this one function can be invoked; no other resource is covered.',
    applies_to: [{ regex: '/^Resource::<[A-Za-z0-9]+\\.Arn>:\\*$/g' }],
  },
  ownedResources: {
    id: 'AwsSolutions-IAM5',
    reason: 'Get and delete only, on the resources that carry this stack\'s owner marker (condition aws:ResourceTag/cdk-customer-profiles:owner = <stackName>/<stackGuid>/*): CloudFormation deletes removed and replaced resources after applying the new template\'s policy, when their names are no longer in it.',
    applies_to: [{ regex: '/^Resource::arn:<AWS::Partition>:profile:(<AWS::Region>|[a-z0-9-]+):(<AWS::AccountId>|[0-9]+):domains\\/\\*$/g' }],
  },
  sf1: { id: 'AwsSolutions-SF1', reason: 'Logging ALL events with execution data would copy every resource request, which holds customer data (segment SQL, descriptions), into CloudWatch Logs; failures reach CloudFormation stack events.' },
  sf2: { id: 'AwsSolutions-SF2', reason: 'The waiter state machine only calls the isComplete function on a timer; X-Ray traces of it add cost and show nothing the stack events do not.' },
};

function nag(resource: CfnResource, ...rules: object[]): void {
  resource.addMetadata('cdk_nag', { rules_to_suppress: rules });
}

/** An IAM role as iam.Role renders it (its `Resource`), with an optional managed policy of AWS. */
function role(scope: Construct, id: string, service: string, basicExecution: boolean): CfnRole {
  const holder = new Construct(scope, id);
  const r = new CfnRole(holder, 'Resource', {
    assumeRolePolicyDocument: {
      Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: service } }],
      Version: '2012-10-17',
    },
    managedPolicyArns: basicExecution ? [`arn:${Aws.PARTITION}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole`] : undefined,
  });
  if (basicExecution) nag(r, NAG.basicExecution);
  return r;
}

/** A role's `DefaultPolicy` as iam.Policy renders it (the policy's name is its logical ID), `more` statements added at synthesis. */
function defaultPolicy(r: CfnRole, statements: object[], more?: () => object[]): CfnPolicy {
  const holder = new Construct(r.node.scope!, 'DefaultPolicy');
  const stack = Stack.of(r);
  const policy: CfnPolicy = new CfnPolicy(holder, 'Resource', {
    policyDocument: { Statement: more ? Lazy.any({ produce: () => [...statements, ...more()] }) : statements, Version: '2012-10-17' },
    policyName: Lazy.string({ produce: () => stack.getLogicalId(policy) }),
    roles: [r.ref],
  });
  return policy;
}

/** `grantInvoke` of a function: the function and its versions. */
function invoke(fn: CfnFunction): object {
  return { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: [fn.attrArn, `${fn.attrArn}:*`] };
}

/** Adds the asset metadata lambda.Code.fromAsset adds when the CLI asks for it (SAM and the toolkit read it). */
function assetMetadata(fn: CfnFunction, scope: Construct): void {
  if (!fn.node.tryGetContext(cxapi.ASSET_RESOURCE_METADATA_ENABLED_CONTEXT)) return;
  const staging = scope.node.findChild('Code').node.findChild('Stage') as AssetStaging;
  fn.addMetadata(cxapi.ASSET_RESOURCE_METADATA_PATH_KEY, staging.relativeStagedPath(Stack.of(fn)));
  fn.addMetadata(cxapi.ASSET_RESOURCE_METADATA_IS_BUNDLED_KEY, false);
  fn.addMetadata(cxapi.ASSET_RESOURCE_METADATA_PROPERTY_KEY, 'Code');
}

export interface LeanOptions {
  /** The handler bundle's hash, known in advance (no fingerprinting of assets/handler): a variant, its template's S3Key differs. */
  readonly handlerHash?: string;
}

/** What lean-library-provider.ts builds on. */
export interface LeanParts {
  readonly serviceToken: string;
  /** The handler's role (`Handler/ServiceRole`, which holds its `DefaultPolicy`). */
  readonly handlerRole: CfnRole;
  /** The handler role's policy; its document's statements after the first are `extraStatements`. */
  readonly handlerPolicy: CfnPolicy;
}

/** The lean provider: returns the service token (the onEvent function's ARN). */
export function leanProvider(stack: Stack, options: LeanOptions = {}): string {
  return buildLeanProvider(new Construct(stack, 'CustomerProfilesProvider'), options).serviceToken;
}

/**
 * The lean provider's resources under `root` (the stack's `CustomerProfilesProvider`). The handler
 * policy's statements after the first come from `extraStatements`, read at synthesis.
 */
export function buildLeanProvider(root: Construct, options: LeanOptions = {}, extraStatements: () => object[] = () => []): LeanParts {
  const stack = Stack.of(root);
  const { OWNER_TAG_KEY, ProviderLimits } = contract();

  // The library's handler (src/private/provider.ts).
  const handlerScope = new Construct(root, 'Handler');
  const handlerRole = role(handlerScope, 'ServiceRole', 'lambda.amazonaws.com', true);
  const handlerCode = assetCode(handlerScope, handlerDir(), undefined, options.handlerHash);
  const handler = new CfnFunction(handlerScope, 'Resource', {
    architectures: ['arm64'],
    code: handlerCode,
    description: 'Amazon Connect Customer Profiles resources (domains, object types, recommenders, segments)',
    handler: 'index.handler',
    memorySize: 256,
    role: handlerRole.attrArn,
    runtime: 'nodejs22.x',
    timeout: 120,
  });
  assetMetadata(handler, handlerScope);
  const handlerPolicy = defaultPolicy(handlerRole, [{
    Action: [
      'profile:GetDomain', 'profile:DeleteDomain',
      'profile:GetDomainObjectType', 'profile:DeleteDomainObjectType',
      'profile:GetRecommender', 'profile:DeleteRecommender',
      'profile:GetSegmentDefinition', 'profile:DeleteSegmentDefinition',
    ],
    Condition: { StringLike: { [`aws:ResourceTag/${OWNER_TAG_KEY}`]: Fn.join('', [Fn.select(1, Fn.split(':stack/', Aws.STACK_ID)), '/*']) } },
    Effect: 'Allow',
    Resource: stack.formatArn({ service: 'profile', resource: 'domains', resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME }),
    Sid: 'DeleteWhatThisStackCreated',
  }], extraStatements);
  handler.addDependency(handlerPolicy);
  handler.addDependency(handlerRole);
  nag(handler, NAG.handlerRuntime);
  nag(handlerPolicy, NAG.ownedResources);

  const userGrants = [invoke(handler), { Action: 'lambda:GetFunction', Effect: 'Allow', Resource: handler.attrArn }];

  const completeAndTimeoutRole = role(root, 'frameworkCompleteAndTimeoutRole', 'lambda.amazonaws.com', true);
  const completeAndTimeoutPolicy = defaultPolicy(completeAndTimeoutRole, userGrants);
  nag(completeAndTimeoutPolicy, NAG.invokeVersions);

  // cr.Provider's three functions (one asset: the framework's runtime, without its .ts files).
  const provider = new Construct(root, 'Provider');
  const runtimeDir = frameworkRuntime();
  /** One framework function, with the given role or (no role given) its own `ServiceRole`, created before its code as lambda.Function does. */
  const frameworkFunction = (entrypoint: string, variables: Record<string, string>, sharedRole?: CfnRole) => {
    const scope = new Construct(provider, `framework-${entrypoint}`);
    const fnRole = sharedRole ?? role(scope, 'ServiceRole', 'lambda.amazonaws.com', true);
    const code = assetCode(scope, runtimeDir, ['*.ts']);
    const fn = new CfnFunction(scope, 'Resource', {
      code,
      description: `AWS CDK resource provider framework - ${entrypoint} (${provider.node.path})`.slice(0, 256),
      environment: { variables },
      handler: `framework.${entrypoint}`,
      loggingConfig: { applicationLogLevel: 'FATAL', logFormat: 'JSON' },
      role: fnRole.attrArn,
      runtime: FRAMEWORK_RUNTIME,
      timeout: 900,
    });
    assetMetadata(fn, scope);
    nag(fn, NAG.frameworkRuntime);
    return { fn, role: fnRole };
  };
  const userArns = { USER_ON_EVENT_FUNCTION_ARN: handler.attrArn, USER_IS_COMPLETE_FUNCTION_ARN: handler.attrArn };
  const onEvent = frameworkFunction('onEvent', userArns);
  const isComplete = frameworkFunction('isComplete', userArns, completeAndTimeoutRole);
  const onTimeout = frameworkFunction('onTimeout', userArns, completeAndTimeoutRole);
  for (const { fn } of [isComplete, onTimeout]) {
    fn.addDependency(completeAndTimeoutPolicy);
    fn.addDependency(completeAndTimeoutRole);
  }

  // The waiter state machine (cr.Provider's WaiterStateMachine).
  const waiter = new Construct(provider, 'waiter-state-machine');
  const waiterRole = role(waiter, 'Role', 'states.amazonaws.com', false);
  const waiterPolicy = defaultPolicy(waiterRole, [invoke(isComplete.fn), invoke(onTimeout.fn)]);
  nag(waiterPolicy, NAG.invokeVersions);
  const interval = ProviderLimits.QUERY_INTERVAL_SECONDS;
  const stateMachine = new CfnStateMachine(waiter, 'Resource', {
    definitionString: stack.toJsonString({
      StartAt: 'framework-isComplete-task',
      States: {
        'framework-isComplete-task': {
          End: true,
          Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: interval, MaxAttempts: Math.ceil(ProviderLimits.TOTAL_TIMEOUT_SECONDS / interval), BackoffRate: 1 }],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'framework-onTimeout-task' }],
          Type: 'Task',
          Resource: isComplete.fn.attrArn,
        },
        'framework-onTimeout-task': { End: true, Type: 'Task', Resource: onTimeout.fn.attrArn },
      },
    }),
    roleArn: waiterRole.attrArn,
  });
  stateMachine.addDependency(waiterPolicy);
  stateMachine.addDependency(waiterRole);
  nag(stateMachine, NAG.sf1, NAG.sf2);

  // onEvent: its own role, which may also start the waiter.
  onEvent.fn.environment = { variables: { ...userArns, WAITER_STATE_MACHINE_ARN: stateMachine.ref } };
  const onEventPolicy = defaultPolicy(onEvent.role, [...userGrants, { Action: 'states:StartExecution', Effect: 'Allow', Resource: stateMachine.ref }]);
  nag(onEventPolicy, NAG.invokeVersions);
  onEvent.fn.addDependency(onEventPolicy);
  onEvent.fn.addDependency(onEvent.role);

  return { serviceToken: onEvent.fn.attrArn, handlerRole, handlerPolicy };
}

/** floorStack of bench/synth-stacks.ts with the lean provider. */
export function leanFloorStack(app: App, n: number, options: LeanOptions = {}): Stack {
  const stack = new Stack(app, 'Bench', { env: ENV });
  const serviceToken = leanProvider(stack, options);
  const resource = (r: FloorResource) => {
    const cfn = new CfnResource(stack, r.id, { type: r.type, properties: { ServiceToken: serviceToken, ...r.config } });
    cfn.applyRemovalPolicy(r.removalPolicy);
    return cfn;
  };
  const { domain, children } = floorResources(n);
  const domainResource = resource(domain);
  for (const child of children) resource(child).addDependency(domainResource);
  return stack;
}
