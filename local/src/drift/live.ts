import {
  CustomerProfilesClient, GetDomainCommand, GetDomainObjectTypeCommand, GetRecommenderCommand, GetSegmentDefinitionCommand,
} from '@aws-sdk/client-customer-profiles';
import { ResourceTypes } from '@cdk-customer-profiles/constructs/lib/private/contract';

/**
 * Reads one of our resources as the service returns it, with only Get* operations. The JSON body
 * is taken as sent, because the pinned SDK drops members newer than it (RecommenderSchemaName,
 * RecommenderConfig.IncludedColumns, SegmentSort) and they would read as drift.
 */

type Json = Record<string, unknown>;

/** The live resource, or undefined when it does not exist (or its domain does not). */
export async function readLive(client: CustomerProfilesClient, resourceType: string, config: Json): Promise<Json | undefined> {
  const domain = { DomainName: String(config.DomainName) };
  switch (resourceType) {
    case ResourceTypes.DOMAIN:
      return send(client, new GetDomainCommand(domain));
    case ResourceTypes.DOMAIN_OBJECT_TYPE:
      return send(client, new GetDomainObjectTypeCommand({ ...domain, ObjectTypeName: String(config.ObjectTypeName) }));
    case ResourceTypes.RECOMMENDER:
      return send(client, new GetRecommenderCommand({ ...domain, RecommenderName: String(config.RecommenderName) }));
    case ResourceTypes.SEGMENT_DEFINITION:
      return send(client, new GetSegmentDefinitionCommand({ ...domain, SegmentDefinitionName: String(config.SegmentDefinitionName) }));
    default:
      throw new Error(`Not a resource type of this library: ${resourceType}`);
  }
}

interface RawCapable {
  readonly middlewareStack: { add(middleware: unknown, options: Json): void };
}

async function send(client: CustomerProfilesClient, command: RawCapable): Promise<Json | undefined> {
  let body: Json | undefined;
  command.middlewareStack.add((next: (args: unknown) => Promise<{ response: { statusCode?: number; body?: unknown } }>) => async (args: unknown) => {
    const result = await next(args);
    const bytes = await readBody(result.response.body);
    if (bytes !== undefined) {
      result.response.body = bytes;
      const status = result.response.statusCode ?? 0;
      if (status >= 200 && status < 300 && bytes.length > 0) {
        try {
          body = JSON.parse(Buffer.from(bytes).toString('utf8')) as Json;
        } catch {
          // Not JSON: the deserializer reports it.
        }
      }
    }
    return result;
  }, { step: 'deserialize', name: 'driftRawBody', priority: 'low' });
  try {
    await client.send(command as never);
  } catch (e) {
    if ((e as { name?: string }).name === 'ResourceNotFoundException') {
      return undefined;
    }
    throw e;
  }
  return body ?? {};
}

async function readBody(body: unknown): Promise<Uint8Array | undefined> {
  if (body === undefined || body === null) return undefined;
  if (body instanceof Uint8Array) return body;
  if (typeof body === 'string') return Buffer.from(body);
  const iterable = body as AsyncIterable<Uint8Array | string>;
  if (typeof iterable[Symbol.asyncIterator] === 'function') {
    const chunks: Buffer[] = [];
    for await (const chunk of iterable) {
      chunks.push(Buffer.from(chunk));
    }
    return Buffer.concat(chunks);
  }
  return undefined;
}
