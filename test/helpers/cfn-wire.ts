import { cfnStringify } from '../../local/src/deploy/requests';

/**
 * Resource properties as CloudFormation hands them to a custom resource: every number and
 * boolean becomes a string, at any depth. The rule is the local deploy engine's (one statement of
 * it for the engine and the handler tests).
 */
export { cfnStringify };

/** A Config as the constructs write it (one property per member), as CloudFormation delivers it. */
export function wireProperties(serviceToken: string, config: object): Record<string, unknown> {
  return { ServiceToken: serviceToken, ...(cfnStringify(JSON.parse(JSON.stringify(config))) as Record<string, unknown>) };
}
