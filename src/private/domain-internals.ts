import { CfnResource } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * What child constructs (object types, recommenders, segments) need to know about a domain that
 * this library creates in the same app, without a public API for it and without import cycles.
 */
export interface DomainInternals {
  /**
   * The domain name as a synth-time string (never a reference to the custom resource).
   * The provider's IAM statements must use it: a statement that referenced the domain's custom
   * resource would make the shared policy depend on a resource that itself depends on the policy.
   */
  readonly literalName: string;
  /** Whether the domain is created with its data store enabled. */
  readonly dataStoreEnabled: boolean;
  /** The domain's custom resource, for ordering (children wait until the domain is ready). */
  readonly resource: CfnResource;
}

const registry = new WeakMap<IConstruct, DomainInternals>();

/** Called by the Domain construct. */
export function registerDomain(domain: IConstruct, internals: DomainInternals): void {
  registry.set(domain, internals);
}

/** The internals of a domain created by this library, or undefined for an imported domain. */
export function domainInternals(domain: IConstruct): DomainInternals | undefined {
  return registry.get(domain);
}
