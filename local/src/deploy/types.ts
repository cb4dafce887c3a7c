import type { EngineEvent, EventListener } from './events';
import type { IdentityPolicySink } from './iam-policies';
import type { CustomResourceHandler } from './provider-runtime';
import type { DeploymentState } from './state';
import type { CfnTemplate } from './template';

/** The engine's public types: what it takes (stacks, options) and what it answers (plans, results). */

/** One stack of an app, as the engine takes it (see `stacksFromAssembly`). */
export interface StackInput {
  readonly stackName: string;
  readonly template: CfnTemplate;
  /** Names of the stacks this one depends on (deployed first). */
  readonly dependencies?: string[];
  /** @default the engine's region */
  readonly region?: string;
  /** @default the engine's account */
  readonly account?: string;
}

/** What a resource needs in order to print readiness progress. Never its properties. */
export interface ProgressSubject {
  readonly stackName: string;
  readonly logicalId: string;
  readonly resourceType: string;
  readonly physicalId: string;
}

/** Returns a progress message for a resource that is still being waited for, or undefined. */
export type ProgressReader = (subject: ProgressSubject) => string | undefined;

export interface EngineOptions {
  /**
   * An in-process custom-resource handler (a fake, or the handler's source in tests).
   * @default the bundled handler (`handlerBundle`), run in a child process like a Lambda function
   */
  readonly handler?: CustomResourceHandler;
  /** The handler bundle run in a child process when `handler` is not given. @default assets/handler/index.js of this package */
  readonly handlerBundle?: string;
  /** Service endpoint the handler's client uses (set in `CUSTOMER_PROFILES_ENDPOINT` while the engine runs). @default - unset */
  readonly endpoint?: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default '123456789012' */
  readonly account?: string;
  /** Milliseconds between isComplete calls. @default 50 */
  readonly queryIntervalMs?: number;
  /** Milliseconds before a resource fails with "Operation timed out" (the Provider's totalTimeout). @default 55 minutes */
  readonly totalTimeoutMs?: number;
  /** isComplete calls before "Operation timed out", whatever the time. @default - no limit but totalTimeoutMs */
  readonly maxPolls?: number;
  /** How many resources of a stack may be in progress at once. @default 10 */
  readonly concurrency?: number;
  /** Receives every stack event and progress line as it happens. */
  readonly onEvent?: EventListener;
  /** Reads readiness progress between isComplete polls. */
  readonly progress?: ProgressReader;
  /** Called after every isComplete that answered "not yet" (a test can move a manual clock here). */
  readonly onPoll?: () => void;
  /** At most one progress line per resource per this many milliseconds (a changed message only). @default 1000 */
  readonly progressIntervalMs?: number;
  /** Custom resource types sent to the handler. @default this library's four types */
  readonly emulatedTypes?: readonly string[];
  /**
   * Receives the handler role's identity policies as deployed, at the start of each stack
   * operation and after every change of an IAM resource (and `undefined`, authorization off,
   * when the operation ends or the template names no handler role). `LocalDeployment` passes
   * the emulator's `setIdentityPolicies`. @default - none (the handler is not authorized)
   */
  readonly identityPolicies?: IdentityPolicySink;
}

export type ResourceAction = 'create' | 'update' | 'delete' | 'no-change' | 'may-update';

/** The planned change of one resource. */
export interface ResourceChange {
  readonly logicalId: string;
  readonly resourceType: string;
  readonly action: ResourceAction;
  /** False for types that are only given placeholders. */
  readonly emulated: boolean;
  /** Why `may-update`: the dependencies whose values may change. */
  readonly because?: string[];
}

/** The planned changes of one stack. */
export interface StackPlan {
  readonly stackName: string;
  readonly action: 'create' | 'update' | 'no-change';
  readonly changes: ResourceChange[];
}

/** The outcome of one stack. */
export interface StackResult {
  readonly stackName: string;
  /** Final stack status (CREATE_COMPLETE, UPDATE_COMPLETE, ROLLBACK_COMPLETE, UPDATE_ROLLBACK_COMPLETE, DELETE_COMPLETE, ...FAILED). */
  readonly status: string;
  readonly success: boolean;
  /** The first failure, when the stack failed. */
  readonly reason?: string;
  readonly created: string[];
  readonly updated: string[];
  readonly replaced: string[];
  readonly deleted: string[];
  /** Resources kept because of `DeletionPolicy` / `UpdateReplacePolicy: Retain`. */
  readonly retained: string[];
  /** Logical ids of resources given placeholders only (with their types). */
  readonly notEmulated: { logicalId: string; resourceType: string }[];
  readonly outputs: Record<string, unknown>;
  /** Deletes that failed after a successful update (the stack stays UPDATE_COMPLETE, as in CloudFormation). */
  readonly cleanupFailures: string[];
}

/** The outcome of a deploy or destroy. */
export interface DeployResult {
  readonly success: boolean;
  /** The state to keep for the next run. */
  readonly state: DeploymentState;
  readonly stacks: StackResult[];
  readonly events: EngineEvent[];
}

export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_ACCOUNT = '123456789012';
