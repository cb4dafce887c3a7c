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

/**
 * The longest message a HandlerError carries, in bytes of its JSON-escaped UTF-8 form.
 *
 * The message becomes the Reason of the failure response the Provider framework sends, and
 * CloudFormation refuses a response over 4096 bytes with "Response object is too long.", losing the
 * reason. The framework's Reason is the error's stack (the message, a `Logs: /aws/lambda/<fn>` line
 * and up to ten frames of the bundled handler, some 700 bytes), and the envelope holds the stack ARN
 * (up to about 230 bytes), request id, physical id (up to 320 for an object type), logical id (up to
 * 255) and onEvent's Data (up to about 900 for an object type): some 2,500 bytes with the stack.
 * 1,000 bytes leaves room to spare.
 */
export const MAX_REASON_BYTES = 1000;

/** How much of a service message a sentence quotes, so that the sentence's own remedy stays whole. */
const MAX_SERVICE_MESSAGE_BYTES = 500;

/** `text` cut at the tail (with an ellipsis) so that its JSON-escaped UTF-8 form has at most `maxBytes`. */
function truncateForResponse(text: string, maxBytes: number): string {
  const size = (t: string): number => Buffer.byteLength(JSON.stringify(t)) - 2;
  if (size(text) <= maxBytes) return text;
  const cut = (n: number): string => {
    let head = text.slice(0, n);
    // Never leave half of a surrogate pair.
    if (/[\uD800-\uDBFF]$/.test(head)) head = head.slice(0, -1);
    return `${head}…`;
  };
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (size(cut(mid)) <= maxBytes) lo = mid;
    else hi = mid - 1;
  }
  return cut(lo);
}

/**
 * An error raised by the handler for a user: its message is safe and complete, and short enough
 * for CloudFormation's response limit (see MAX_REASON_BYTES): a longer one is cut at the tail, so
 * the sentence's beginning (which resource, which operation) always arrives.
 */
export class HandlerError extends Error {
  /**
   * @param transient the failure may go away on its own (throttling, a service error, the network):
   *   a poll that meets it can simply try again at the next poll.
   */
  constructor(message: string, public readonly transient = false) {
    super(truncateForResponse(message, MAX_REASON_BYTES));
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

/**
 * True for a read, in the wait after this handler's own accepted Delete, that means the resource
 * is gone: in cleanup the only grant on a removed resource may be the provider's statement
 * conditioned on the owner marker (aws:ResourceTag), and a resource that no longer exists has no
 * tags, so IAM denies instead of the service answering "not found".
 */
export function isGoneAfterDelete(err: unknown): boolean {
  return isNotFound(err) || errorName(err) === 'AccessDeniedException';
}

/** True when the service rejected the request itself (not a transient failure). */
export function isBadRequest(err: unknown): boolean {
  return errorName(err) === 'BadRequestException';
}

/** The service's message, with any sensitive value of the resource removed, cut when it is long. */
export function serviceMessage(err: unknown, ref: ResourceRef): string {
  let message = '';
  if (err && typeof err === 'object' && 'message' in err && typeof (err as { message: unknown }).message === 'string') {
    message = (err as { message: string }).message;
  }
  // Redacted before it is cut: a cut could split a sensitive value and hide it from `redact`.
  return truncateForResponse(redact(message, ref.sensitive), MAX_SERVICE_MESSAGE_BYTES) || 'no message';
}

/** Replaces every occurrence of each sensitive value by `<redacted>`. */
function redact(text: string, sensitive: ReadonlyArray<string | undefined> = []): string {
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
