import { wireProperties } from './cfn-wire';
import type { CompletionEvent, IsCompleteResponse, OnEventResponse, ResourceEvent } from '../../lambda/index';
import { isComplete, onEvent } from '../../lambda/index';
import type { Emulator } from '../../local/src/emulator';
import { CONFIG_PROPERTY, DEADLINE_KEY } from '../../src/private/contract';

/**
 * CloudFormation requests as the Provider framework hands them to the handler, and a driver that
 * plays the framework's isComplete polling against the emulator's manual clock.
 */

/** The emulator's default region and account: TagResource only accepts ARNs that match them. */
export const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/HandlerTest/0c9f7e60-0000-0000-0000-000000000000';
const SERVICE_TOKEN = 'arn:aws:lambda:us-east-1:123456789012:function:provider-framework-onEvent';

let counter = 0;
function requestId(): string {
  counter++;
  return `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`;
}

/**
 * The properties of a resource whose desired state is `config`: one property per member, with
 * numbers and booleans as strings, as CloudFormation delivers what the constructs write. A string
 * is the legacy form, the whole Config as JSON in the `Config` property (stacks deployed by
 * earlier versions, hand-written templates).
 */
function properties(config: object | string): Record<string, unknown> {
  return typeof config === 'string' ? { ServiceToken: SERVICE_TOKEN, [CONFIG_PROPERTY]: config } : wireProperties(SERVICE_TOKEN, config);
}

/**
 * Who sends the request: the stack (its ARN) and the logical resource. Ownership markers are made
 * of both, so a test plays another stack, or another construct of the same stack, by changing them.
 */
export interface EventOrigin {
  /** @default STACK_ID */
  readonly stackId?: string;
  /** @default 'Resource' */
  readonly logicalResourceId?: string;
}

/** Another stack of the same account and region. */
export const OTHER_STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/OtherTeam/7a1d3c20-0000-0000-0000-000000000000';
/** An earlier stack of the same name as STACK_ID, since deleted (another GUID). */
export const EARLIER_STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/HandlerTest/11111111-0000-0000-0000-000000000000';

function base(resourceType: string, id?: string, origin: EventOrigin = {}) {
  return {
    ResourceType: resourceType,
    RequestId: id ?? requestId(),
    StackId: origin.stackId ?? STACK_ID,
    LogicalResourceId: origin.logicalResourceId ?? 'Resource',
    ResponseURL: 'https://cloudformation-custom-resource-response.invalid/',
    ServiceToken: SERVICE_TOKEN,
  };
}

export function createEvent(resourceType: string, config: object | string, options: { requestId?: string } & EventOrigin = {}): ResourceEvent {
  return { ...base(resourceType, options.requestId, options), RequestType: 'Create', ResourceProperties: properties(config) };
}

export function updateEvent(
  resourceType: string, physicalResourceId: string, config: object | string, oldConfig: object | string, origin: EventOrigin = {},
): ResourceEvent {
  return {
    ...base(resourceType, undefined, origin),
    RequestType: 'Update',
    PhysicalResourceId: physicalResourceId,
    ResourceProperties: properties(config),
    OldResourceProperties: properties(oldConfig),
  };
}

export function deleteEvent(resourceType: string, physicalResourceId: string, config: object | string, origin: EventOrigin = {}): ResourceEvent {
  return { ...base(resourceType, undefined, origin), RequestType: 'Delete', PhysicalResourceId: physicalResourceId, ResourceProperties: properties(config) };
}

/** The isComplete request: the original request merged with onEvent's result. */
export function completionEvent(event: ResourceEvent, result: OnEventResponse): CompletionEvent {
  return { ...event, PhysicalResourceId: result.PhysicalResourceId, Data: result.Data };
}

/** The same isComplete request with its deadline moved into the past. */
export function pastDeadline(event: CompletionEvent): CompletionEvent {
  return { ...event, Data: { ...event.Data, [DEADLINE_KEY]: Date.now() - 1 } };
}

export interface Deployed {
  readonly onEvent: OnEventResponse;
  readonly final: IsCompleteResponse;
  /** isComplete calls that answered false before completion. */
  readonly polls: number;
  /** The attributes CloudFormation would see: onEvent's Data merged with isComplete's. */
  readonly attributes: Record<string, unknown>;
}

/**
 * Runs onEvent, then isComplete until it completes, moving the emulator's clock by `stepMs`
 * between polls (the framework's query interval). Throws what the handler throws.
 */
export async function deploy(emu: Emulator, event: ResourceEvent, options: { stepMs?: number; maxPolls?: number } = {}): Promise<Deployed> {
  const stepMs = options.stepMs ?? 15_000;
  const maxPolls = options.maxPolls ?? 1000;
  const first = await onEvent(event);
  const completion = completionEvent(event, first);
  for (let polls = 0; polls < maxPolls; polls++) {
    const result = await isComplete(completion);
    if (result.IsComplete) {
      return { onEvent: first, final: result, polls, attributes: { ...first.Data, ...(result.Data ?? {}) } };
    }
    expect(result.Data).toBeUndefined();
    emu.clock.advance(stepMs);
  }
  throw new Error(`isComplete did not complete after ${maxPolls} polls`);
}

/** Operations that change something (everything but Get/List). */
export function writeOperations(emu: Emulator): string[] {
  return emu.requests.map((r) => r.operation).filter((op) => !/^(Get|List)/.test(op));
}

/** Every line written to console.* (and process.stdout/stderr) while `fn` runs. */
export async function captureOutput<T>(fn: () => Promise<T>): Promise<{ output: string; result?: T; error?: unknown }> {
  const lines: string[] = [];
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const spies = methods.map((m) => jest.spyOn(console, m).mockImplementation((...args: unknown[]) => {
    lines.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a) ?? String(a))).join(' '));
  }));
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    const result = await fn();
    return { output: lines.join('\n'), result };
  } catch (error) {
    return { output: lines.join('\n'), error };
  } finally {
    spies.forEach((s) => s.mockRestore());
    out.mockRestore();
    err.mockRestore();
  }
}
