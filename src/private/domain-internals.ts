import { CfnResource, Token } from 'aws-cdk-lib';
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

/** The fix every refusal for a missing data store names. */
export const ENABLE_DATA_STORE = 'create the domain with `dataStore: DataStore.enabled()`';

/**
 * How to name `domain` in an error (`'customers'`, or `at '<path>'` when its name is a token) when
 * it is a domain of this app created without a data store, which the service requires for
 * object types, recommenders and SQL segments (and their estimates); undefined when it has one,
 * or when it is imported (unknown until deployment, where the handler names the fix).
 */
export function domainWithoutDataStore(domain: IConstruct): string | undefined {
  const internals = registry.get(domain);
  if (!internals || internals.dataStoreEnabled) return undefined;
  return Token.isUnresolved(internals.literalName) ? `at '${domain.node.path}'` : `'${internals.literalName}'`;
}

/**
 * The domain actions the handler needs to explain a refusal for a missing data store (it reads
 * the domain): only on an imported domain, which synthesis cannot check. A domain of this app is
 * checked at synth, and the handler of its own stack may read it anyway.
 */
export function dataStoreDiagnosisActions(domain: IConstruct): string[] {
  return registry.has(domain) ? [] : ['profile:GetDomain'];
}
