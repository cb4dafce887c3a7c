import { randomUUID } from 'crypto';
import type { CustomResourceRequest } from './provider-runtime';

/**
 * The requests CloudFormation sends to a custom resource, built the way it builds them: a fresh
 * RequestId each, and properties in its string form.
 */

/** Nothing listens there: the Provider runtime answers in-process. Present because CloudFormation always sends one. */
const RESPONSE_URL = 'http://localhost/local-deploy/response';

interface RequestFields {
  readonly RequestType: CustomResourceRequest['RequestType'];
  readonly StackId: string;
  readonly LogicalResourceId: string;
  readonly ResourceType: string;
  readonly ResourceProperties: Record<string, unknown>;
  /** @default the ServiceToken property */
  readonly ServiceToken?: string;
  readonly OldResourceProperties?: Record<string, unknown>;
  readonly PhysicalResourceId?: string;
}

export function cfnRequest(fields: RequestFields): CustomResourceRequest {
  return {
    RequestType: fields.RequestType,
    ServiceToken: fields.ServiceToken ?? String(fields.ResourceProperties.ServiceToken ?? ''),
    ResponseURL: RESPONSE_URL,
    StackId: fields.StackId,
    RequestId: randomUUID(),
    LogicalResourceId: fields.LogicalResourceId,
    ResourceType: fields.ResourceType,
    ResourceProperties: fields.ResourceProperties,
    ...(fields.OldResourceProperties !== undefined ? { OldResourceProperties: fields.OldResourceProperties } : {}),
    ...(fields.PhysicalResourceId !== undefined ? { PhysicalResourceId: fields.PhysicalResourceId } : {}),
  };
}

/** CloudFormation passes custom resource properties as strings: numbers and booleans included. */
export function cfnStringify(value: unknown): unknown {
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  if (Array.isArray(value)) {
    return value.map(cfnStringify);
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cfnStringify(v)]));
  }
  return value;
}
