import { createRequire } from 'module';
import * as path from 'path';
import { ProviderCompletionRequest, ProviderLimits, ProviderRequest } from '@cdk-customer-profiles/constructs/lib/private/contract';

/**
 * Plays the CDK Provider framework (aws-cdk-lib/custom-resources, `Provider` with onEvent and
 * isComplete handlers) around the library's handler, following its runtime (framework.js,
 * cfn-response.js): physical id defaults, the CREATE_FAILED marker, isComplete polling every
 * `queryInterval` until `totalTimeout`, Data merging, and CloudFormation's checks on the response.
 */

/** The event CloudFormation sends to a custom resource (as the framework passes it on): the contract's, with the fields CloudFormation always sends. */
export interface CustomResourceRequest extends ProviderRequest {
  readonly ServiceToken: string;
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
}

/** What onEvent may return. */
export interface OnEventResult {
  readonly PhysicalResourceId?: string;
  readonly Data?: Record<string, unknown>;
  readonly NoEcho?: boolean;
  readonly [key: string]: unknown;
}

/** What isComplete returns. */
export interface IsCompleteResult {
  readonly IsComplete: boolean;
  readonly Data?: Record<string, unknown>;
  readonly [key: string]: unknown;
}

/** The event isComplete receives: the request merged with onEvent's result. */
export type IsCompleteRequest = CustomResourceRequest & ProviderCompletionRequest & { readonly NoEcho?: boolean };

/** The handler module's two entry points (the bundled `assets/handler/index.js`, or a fake in tests). */
export interface CustomResourceHandler {
  onEvent(event: CustomResourceRequest): Promise<OnEventResult | undefined | void>;
  isComplete(event: IsCompleteRequest): Promise<IsCompleteResult>;
}

/** The response the framework would send to CloudFormation. */
export interface ProviderResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason: string;
  readonly PhysicalResourceId: string;
  readonly Data: Record<string, unknown>;
  readonly NoEcho: boolean;
  /** How many times isComplete ran. */
  readonly polls: number;
}

/** Timing of the framework's waiter state machine. */
export interface ProviderTiming {
  /** Milliseconds between isComplete calls (the framework's `queryInterval`). */
  readonly queryIntervalMs: number;
  /** Milliseconds after which the waiter gives up with "Operation timed out" (the framework's `totalTimeout`). */
  readonly totalTimeoutMs: number;
  /** Give up after this many isComplete calls as well (the state machine's `maxAttempts`; used with a stepped clock). */
  readonly maxPolls?: number;
}

/** Called after each isComplete that returned false (used for readiness progress lines). */
export type PollListener = (request: IsCompleteRequest, polls: number) => void | Promise<void>;

/** The framework's marker physical id after a failed Create, so that the following Delete is ignored. */
export const CREATE_FAILED_PHYSICAL_ID_MARKER = 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED';
const MISSING_PHYSICAL_ID_MARKER = 'AWSCDK::CustomResourceProviderFramework::MISSING_PHYSICAL_ID';

/** Runs one custom-resource request through the framework's rules and returns the response it would send. */
export async function invokeProvider(
  request: CustomResourceRequest,
  handler: CustomResourceHandler,
  timing: ProviderTiming,
  onPoll?: PollListener,
): Promise<ProviderResponse> {
  if (request.RequestType === 'Delete' && request.PhysicalResourceId === CREATE_FAILED_PHYSICAL_ID_MARKER) {
    return respond('SUCCESS', 'SUCCESS', request.PhysicalResourceId, {}, false, 0, request);
  }
  let event: IsCompleteRequest | undefined;
  let polls = 0;
  try {
    const result = (await handler.onEvent({ ...request, ResponseURL: '...' })) || {};
    const physicalId = result.PhysicalResourceId || defaultPhysicalId(request);
    if (request.RequestType === 'Delete' && physicalId !== request.PhysicalResourceId) {
      throw new Error(`DELETE: cannot change the physical resource ID from "${request.PhysicalResourceId}" to "${result.PhysicalResourceId}" during deletion`);
    }
    event = { ...request, ...result, PhysicalResourceId: physicalId };

    const started = Date.now();
    for (;;) {
      polls += 1;
      const complete = await handler.isComplete({ ...event, ResponseURL: '...' });
      if (complete.IsComplete) {
        const data = { ...(event.Data ?? {}), ...(complete.Data ?? {}) };
        const physical = typeof complete.PhysicalResourceId === 'string' && complete.PhysicalResourceId ? complete.PhysicalResourceId : event.PhysicalResourceId;
        return respond('SUCCESS', 'SUCCESS', physical, data, event.NoEcho === true, polls, request);
      }
      if (complete.Data && Object.keys(complete.Data).length > 0) {
        throw new Error('"Data" is not allowed if "IsComplete" is "False"');
      }
      if (onPoll) {
        await onPoll(event, polls);
      }
      if (Date.now() - started + timing.queryIntervalMs > timing.totalTimeoutMs || (timing.maxPolls !== undefined && polls >= timing.maxPolls)) {
        return respond('FAILED', 'Operation timed out', event.PhysicalResourceId, event.Data ?? {}, event.NoEcho === true, polls, request);
      }
      await sleep(timing.queryIntervalMs);
    }
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    // Same choice as cfn-response.js: a Create that failed before it had an id answers with a
    // marker, so that CloudFormation's rollback Delete is ignored.
    const physicalId = event?.PhysicalResourceId
      ?? request.PhysicalResourceId
      ?? (request.RequestType === 'Create' ? CREATE_FAILED_PHYSICAL_ID_MARKER : MISSING_PHYSICAL_ID_MARKER);
    return respond('FAILED', reason, physicalId, event?.Data ?? {}, false, polls, request);
  }
}

function defaultPhysicalId(request: CustomResourceRequest): string {
  if (request.RequestType === 'Create') {
    return request.RequestId;
  }
  return request.PhysicalResourceId ?? MISSING_PHYSICAL_ID_MARKER;
}

/** Builds the response and applies CloudFormation's size limit to the body the framework would PUT. */
function respond(
  status: 'SUCCESS' | 'FAILED',
  reason: string,
  physicalId: string,
  data: Record<string, unknown>,
  noEcho: boolean,
  polls: number,
  request: CustomResourceRequest,
): ProviderResponse {
  const body = JSON.stringify({
    Status: status,
    Reason: reason,
    StackId: request.StackId,
    RequestId: request.RequestId,
    PhysicalResourceId: physicalId,
    LogicalResourceId: request.LogicalResourceId,
    NoEcho: noEcho,
    Data: data,
  });
  // CloudFormation applies the limit to every response, FAILED ones too: a too-long failure
  // reason is replaced by this message and lost.
  if (Buffer.byteLength(body, 'utf8') > ProviderLimits.MAX_RESPONSE_BYTES) {
    return { Status: 'FAILED', Reason: 'Response object is too long.', PhysicalResourceId: physicalId, Data: {}, NoEcho: noEcho, polls };
  }
  return { Status: status, Reason: reason, PhysicalResourceId: physicalId, Data: data, NoEcho: noEcho, polls };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The library's bundled handler, found through the package name as the user installed it (in this
 * repository the workspace link to the root): the toolkit runs exactly the handler the user's stacks deploy.
 */
export const BUNDLED_HANDLER_PATH = path.join(path.dirname(require.resolve('@cdk-customer-profiles/constructs/package.json')), 'assets', 'handler', 'index.js');

/**
 * The module of the handler bundle at `file`: the engine runs its entry points, `plan` and `drift`
 * its update planning. Loaded with Node's own loader, not the caller's `require`: under jest,
 * modules run in a VM context where the bundled SDK's lazy `import('node:http')` fails without
 * --experimental-vm-modules.
 */
export function requireHandlerBundle(file: string = BUNDLED_HANDLER_PATH): Record<string, unknown> {
  try {
    return createRequire(file)(file) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`Cannot load the custom-resource handler bundle at ${file} (run \`node scripts/bundle-handler.mjs\`): ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Loads the library's real, bundled handler (`assets/handler/index.js`, built by `node scripts/bundle-handler.mjs`). */
export function loadBundledHandler(file: string = BUNDLED_HANDLER_PATH): CustomResourceHandler {
  const mod = requireHandlerBundle(file) as Partial<CustomResourceHandler>;
  if (typeof mod.onEvent !== 'function' || typeof mod.isComplete !== 'function') {
    throw new Error(`The handler bundle at ${file} does not export onEvent and isComplete`);
  }
  const handler: CustomResourceHandler & { resetClients?: () => void } = { onEvent: mod.onEvent.bind(mod), isComplete: mod.isComplete.bind(mod) };
  const reset = (mod as { resetClients?: unknown }).resetClients;
  if (typeof reset === 'function') {
    handler.resetClients = () => reset.call(mod);
  }
  return handler;
}
