import { CustomerProfilesClient } from '@aws-sdk/client-customer-profiles';
import type { BuildMiddleware, DeserializeMiddleware, MiddlewareStack } from '@smithy/types';
import { ENDPOINT_ENV } from '../src/private/contract';

/** Environment variable with the SDK's maximum number of attempts per call (retries included). */
export const MAX_ATTEMPTS_ENV = 'CUSTOMER_PROFILES_MAX_ATTEMPTS';

/**
 * Enough attempts to ride out the service's throttling when a stack creates many resources at
 * once (the default of 3 gives up after about a second of backoff).
 */
const DEFAULT_MAX_ATTEMPTS = 8;

const clients = new Map<string, CustomerProfilesClient>();

function maxAttempts(): number {
  const raw = process.env[MAX_ATTEMPTS_ENV];
  const parsed = raw === undefined || raw === '' ? NaN : Number(raw);
  return Number.isInteger(parsed) && parsed >= 1 ? parsed : DEFAULT_MAX_ATTEMPTS;
}

/**
 * The Customer Profiles client for this invocation.
 *
 * Clients are cached per configuration: warm Lambda invocations reuse connections, while tests
 * that start an emulator on a new port (a new endpoint) get a new client.
 *
 * The endpoint override exists only for tests and the local deploy engine; in Lambda the
 * variable is never set and the SDK resolves the regional endpoint itself.
 */
export function profilesClient(): CustomerProfilesClient {
  const endpoint = process.env[ENDPOINT_ENV] || undefined;
  const region = process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || (endpoint ? 'us-east-1' : undefined);
  const attempts = maxAttempts();
  const key = `${endpoint ?? ''}|${region ?? ''}|${attempts}`;
  let client = clients.get(key);
  if (!client) {
    // Against a local endpoint without AWS credentials in the environment, sign with dummy
    // ones instead of failing in the credential chain; never when talking to AWS.
    const needsDummyCredentials = endpoint !== undefined && !process.env.AWS_ACCESS_KEY_ID && !process.env.AWS_PROFILE;
    client = new CustomerProfilesClient({
      region,
      endpoint,
      retryMode: 'adaptive',
      maxAttempts: attempts,
      ...(needsDummyCredentials ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    });
    clients.set(key, client);
  }
  return client;
}

/** Closes and forgets every cached client (tests call it before stopping an emulator). */
export function resetClients(): void {
  for (const client of clients.values()) {
    client.destroy();
  }
  clients.clear();
}

/**
 * Adds JSON body members the pinned SDK does not know yet.
 *
 * The bundled SDK (3.1019.0) predates `RecommenderSchemaName`, `RecommenderConfig.IncludedColumns`
 * and `SegmentSort`, and its schema-based serializer silently drops unknown members. The service
 * model of April 2026 has them, so they are merged into the serialized body before signing.
 */
export function withExtraBody<I extends object, O extends object>(
  command: { middlewareStack: MiddlewareStack<I, O> },
  extra: Record<string, unknown>,
): void {
  if (Object.keys(extra).length === 0) {
    return;
  }
  const middleware: BuildMiddleware<I, O> = (next) => async (args) => {
    const request = args.request as { body?: unknown; headers?: Record<string, string> };
    // The serializer hands over a string or, in recent versions, a byte array of JSON.
    const text = typeof request.body === 'string' ? request.body
      : request.body instanceof Uint8Array ? new TextDecoder().decode(request.body) : undefined;
    if (text !== undefined && text.length > 0) {
      const body = deepMerge(JSON.parse(text) as Record<string, unknown>, extra);
      request.body = JSON.stringify(body);
      if (request.headers) {
        // The content-length middleware runs after this one; drop any stale value anyway.
        delete request.headers['content-length'];
        delete request.headers['Content-Length'];
      }
    }
    return next(args);
  };
  command.middlewareStack.add(middleware, { step: 'build', name: 'customerProfilesExtraBodyMembers', priority: 'high' });
}

/** The JSON body of a successful response, as the service sent it (see `withRawBody`). */
interface RawBody {
  json?: Record<string, unknown>;
}

/**
 * Keeps the JSON body of the response, members the pinned SDK does not know included.
 *
 * The SDK's deserializer drops the members it does not know (RecommenderSchemaName,
 * RecommenderConfig.IncludedColumns) from responses as its serializer does from requests, so the
 * handler could not see them and would find its own recommender different from the stack's
 * definition. This middleware runs inside the deserializer: it reads the body first and hands the
 * deserializer the same bytes. The holder is filled once `send` resolved.
 */
export function withRawBody<I extends object, O extends object>(command: { middlewareStack: MiddlewareStack<I, O> }): RawBody {
  const holder: RawBody = {};
  const middleware: DeserializeMiddleware<I, O> = (next) => async (args) => {
    const result = await next(args);
    const response = result.response as { statusCode?: number; body?: unknown };
    const bytes = await readBody(response.body);
    if (bytes !== undefined) {
      response.body = bytes;
      if (response.statusCode !== undefined && response.statusCode >= 200 && response.statusCode < 300 && bytes.length > 0) {
        try {
          const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
          if (isPlainObject(parsed)) holder.json = parsed;
        } catch {
          // Not JSON: the deserializer reports it.
        }
      }
    }
    return result;
  };
  // 'low' priority in the deserialize step: inside the deserializer, next to the HTTP response.
  command.middlewareStack.add(middleware, { step: 'deserialize', name: 'customerProfilesRawBody', priority: 'low' });
  return holder;
}

/** The whole body as bytes (a Node stream, a web stream, a string or bytes), or undefined when there is none. */
async function readBody(body: unknown): Promise<Uint8Array | undefined> {
  if (body === undefined || body === null) return undefined;
  if (body instanceof Uint8Array) return body;
  if (typeof body === 'string') return new TextEncoder().encode(body);
  const iterable = body as AsyncIterable<Uint8Array | string>;
  if (typeof iterable[Symbol.asyncIterator] === 'function') {
    const chunks: Uint8Array[] = [];
    for await (const chunk of iterable) {
      chunks.push(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk);
    }
    return Buffer.concat(chunks);
  }
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepMerge(target: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...target };
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) continue;
    const existing = out[key];
    out[key] = isPlainObject(existing) && isPlainObject(value) ? deepMerge(existing, value) : value;
  }
  return out;
}
