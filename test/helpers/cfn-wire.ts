/**
 * Resource properties as CloudFormation hands them to a custom resource: every number and
 * boolean becomes a string, at any depth (the local deploy engine plays the same rule,
 * `cfnStringify` in local/src/deploy/requests.ts; test/ does not import across packages).
 */
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

/** A Config as the constructs write it (one property per member), as CloudFormation delivers it. */
export function wireProperties(serviceToken: string, config: object): Record<string, unknown> {
  return { ServiceToken: serviceToken, ...(cfnStringify(JSON.parse(JSON.stringify(config))) as Record<string, unknown>) };
}
