/**
 * Turns service errors into sentences a user can act on.
 *
 * The message reaches CloudFormation's stack events (the Provider framework uses it as the
 * failure reason), so it names the resource, the operation and the service's own message, and
 * never a sensitive value (SQL, segment groups, descriptions) from the resource properties.
 */

/** What a message needs to say which resource failed: `Domain 'customers'`. */
export interface ResourceRef {
  /** Human kind, e.g. 'Domain', 'Recommender'. */
  readonly kind: string;
  /** The resource's name (or physical id): an identifier, never customer data. */
  readonly name: string;
  /**
   * Values that must never appear in a message (the service may echo a rejected query back).
   * They are replaced by `<redacted>`.
   */
  readonly sensitive?: ReadonlyArray<string | undefined>;
}

/** An error raised by the handler for a user: its message is safe and complete. */
export class HandlerError extends Error {
  /**
   * @param transient the failure may go away on its own (throttling, a service error, the network):
   *   a poll that meets it can simply try again at the next poll.
   */
  constructor(message: string, public readonly transient = false) {
    super(message);
    this.name = 'HandlerError';
  }
}

/** Network failures below the service (the SDK retried them already). */
const TRANSIENT_NETWORK_ERRORS = new Set(['TimeoutError', 'RequestTimeout', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT']);

function isTransientNetworkError(err: unknown, name: string): boolean {
  const code = err && typeof err === 'object' && 'code' in err ? String((err as { code: unknown }).code) : undefined;
  return TRANSIENT_NETWORK_ERRORS.has(name) || (code !== undefined && TRANSIENT_NETWORK_ERRORS.has(code));
}

/** `Domain 'customers'` */
export function describe(ref: ResourceRef): string {
  return `${ref.kind} '${ref.name}'`;
}

/** The service error name (`BadRequestException`...) of an SDK error, if any. */
export function errorName(err: unknown): string | undefined {
  if (err && typeof err === 'object' && 'name' in err && typeof (err as { name: unknown }).name === 'string') {
    return (err as { name: string }).name;
  }
  return undefined;
}

/** True for the service's "does not exist" answer. */
export function isNotFound(err: unknown): boolean {
  return errorName(err) === 'ResourceNotFoundException';
}

/** True when the service rejected the request itself (not a transient failure). */
export function isBadRequest(err: unknown): boolean {
  return errorName(err) === 'BadRequestException';
}

/** The service's message, with any sensitive value of the resource removed. */
export function serviceMessage(err: unknown, ref: ResourceRef): string {
  let message = '';
  if (err && typeof err === 'object' && 'message' in err && typeof (err as { message: unknown }).message === 'string') {
    message = (err as { message: string }).message;
  }
  return redact(message, ref.sensitive) || 'no message';
}

/** Replaces every occurrence of each sensitive value by `<redacted>`. */
export function redact(text: string, sensitive: ReadonlyArray<string | undefined> = []): string {
  let out = text;
  for (const value of sensitive) {
    // Very short values (a one-letter description) would mangle the message; they carry no data worth hiding.
    if (value && value.length >= 4) {
      out = out.split(value).join('<redacted>');
    }
  }
  return out;
}

/**
 * Maps an error thrown by `operation` on `ref` to a HandlerError with an actionable message.
 * HandlerErrors pass through unchanged (they are already phrased for the user).
 */
export function toHandlerError(err: unknown, ref: ResourceRef, operation: string): HandlerError {
  if (err instanceof HandlerError) {
    return err;
  }
  const what = describe(ref);
  const name = errorName(err) ?? 'Error';
  const message = serviceMessage(err, ref);
  switch (name) {
    case 'AccessDeniedException':
      return new HandlerError(`${what}: ${operation} was denied (${message}). The provider's role needs profile:${operation} `
        + 'on this resource: check the grants added by the construct, and any permissions boundary, SCP or KMS key policy involved.');
    case 'BadRequestException':
      return new HandlerError(`${what}: ${operation} was rejected by Customer Profiles: ${message}. Fix the construct's props and deploy again.`);
    case 'ResourceNotFoundException':
      return new HandlerError(`${what}: ${operation} failed because Customer Profiles could not find it or its domain: ${message}.`);
    case 'ThrottlingException':
      return new HandlerError(`${what}: ${operation} was still throttled after the SDK's retries: ${message}. `
        + 'Deploy again later, or raise CUSTOMER_PROFILES_MAX_ATTEMPTS on the provider function.', true);
    case 'InternalServerException':
      return new HandlerError(`${what}: ${operation} failed with a Customer Profiles service error after retries: ${message}. Deploy again later.`, true);
    default:
      return new HandlerError(`${what}: ${operation} failed (${name}): ${message}.`, isTransientNetworkError(err, name));
  }
}

/** Runs a service call and maps its failure. */
export async function call<T>(ref: ResourceRef, operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toHandlerError(err, ref, operation);
  }
}

/**
 * Runs a service call whose "not found" answer means the work is already done (deletes).
 * Returns false when the resource did not exist.
 */
export async function callIgnoringNotFound(ref: ResourceRef, operation: string, fn: () => Promise<unknown>): Promise<boolean> {
  try {
    await fn();
    return true;
  } catch (err) {
    if (isNotFound(err)) {
      return false;
    }
    throw toHandlerError(err, ref, operation);
  }
}
