import { Arn, ArnFormat, CfnResource, Stack, Token } from 'aws-cdk-lib';
import * as customerprofiles from 'aws-cdk-lib/aws-customerprofiles';
import { aws_customerprofiles as refs, IEnvironmentAware } from 'aws-cdk-lib/interfaces';
import { Construct, IConstruct } from 'constructs';
// Types only: domain.ts imports this module and the child constructs, which import this module.
import type { IDomain } from '../domain';

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

/** The same fix for a `CfnDomain`. */
const ENABLE_CFN_DATA_STORE = 'set `dataStore: { enabled: true }` on the CfnDomain';

/** The fix to name when `domain` has no data store (see {@link domainWithoutDataStore}). */
export function enableDataStoreFix(domain: IConstruct): string {
  return cfnDomains.has(domain) ? ENABLE_CFN_DATA_STORE : ENABLE_DATA_STORE;
}

/** The `CfnDomain` behind an IDomain made by `Domain.fromDomainRef`. */
const cfnDomains = new WeakMap<IConstruct, customerprofiles.CfnDomain>();

/** Called by `Domain.fromDomainRef` for the IDomain it makes of a `CfnDomain`. */
export function registerCfnDomain(view: IConstruct, cfn: customerprofiles.CfnDomain): void {
  cfnDomains.set(view, cfn);
}

/**
 * Whether a domain reference is an `IDomain` of this library (a `Domain`, an import, or the IDomain
 * made of a reference), rather than a bare reference such as a `CfnDomain`.
 */
export function isDomain(ref: refs.IDomainRef): ref is IDomain {
  const candidate = ref as Partial<IDomain>;
  return typeof candidate.domainArn === 'string' && typeof candidate.addRecommender === 'function';
}

/**
 * The `IDomain` a construct works with when a prop takes any `IDomainRef`: the domain itself when
 * it is one of this library, otherwise an `IDomain` made of the reference, as a child `DomainRef`
 * of `scope` (see `Domain.fromDomainRef`). The one place props turn a reference into a domain.
 */
export function domainFromRef(scope: Construct, ref: refs.IDomainRef): IDomain {
  if (isDomain(ref)) return ref;
  if (!domainOfRef) {
    throw new Error(`${scope.node.path}: a domain reference needs the Domain construct; import the package's root module, which loads it`);
  }
  return domainOfRef(scope, 'DomainRef', ref);
}

/** `Domain.fromDomainRef`, registered by domain.ts when it is loaded (see registerDomainOfRef). */
let domainOfRef: ((scope: Construct, id: string, ref: refs.IDomainRef) => IDomain) | undefined;

/**
 * Called by domain.ts with `Domain.fromDomainRef`. The IDomain made of a reference is a class of
 * domain.ts, whose `addObjectType`/`addRecommender`/`addSegment` create the child constructs;
 * the children ask for it here instead of importing domain.ts, so that no module cycle exists.
 * domain.ts is loaded with the package (its root module exports it, and it imports the children).
 */
export function registerDomainOfRef(factory: (scope: Construct, id: string, ref: refs.IDomainRef) => IDomain): void {
  domainOfRef = factory;
}

/**
 * The ARN of the domain named `domainName` in the environment of `ref` (a child resource of the
 * domain, or the domain itself): `arn:${Partition}:profile:${Region}:${Account}:domains/${DomainName}`.
 */
export function domainArnIn(ref: IConstruct & IEnvironmentAware, domainName: string): string {
  return Arn.format({
    partition: Stack.of(ref).partition,
    region: ref.env.region,
    account: ref.env.account,
    service: 'profile',
    resource: 'domains',
    resourceName: domainName,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

/**
 * The ARN of the customer managed key an L1 resource names (`CfnDomain.defaultEncryptionKey`,
 * `CfnDomainObjectType.encryptionKey`) when IAM can use it: a literal key ARN, or a reference to
 * an `Arn` attribute (`key.keyArn`). `known: false` when a key is set but is neither (a key id,
 * an alias, a parameter): IAM policies need the key's ARN, so no grant can name it.
 */
export function l1KeyArn(scope: IConstruct, value: string | undefined): { readonly keyArn?: string; readonly known: boolean } {
  if (value === undefined || value === '') return { known: true };
  if (!Token.isUnresolved(value)) {
    return /^arn:[^:]+:kms:[^:]*:\d{12}:key\/.+$/.test(value) ? { keyArn: value, known: true } : { known: false };
  }
  const resolved = Stack.of(scope).resolve(value) as { 'Fn::GetAtt'?: unknown[] } | undefined;
  const getAtt = resolved?.['Fn::GetAtt'];
  return Array.isArray(getAtt) && getAtt[1] === 'Arn' ? { keyArn: value, known: true } : { known: false };
}

/**
 * Whether a `CfnDomain` is declared without its data store: true when `dataStore` is absent or its
 * `enabled` is absent or false, undefined when it is a token (known at deployment only).
 */
function cfnDomainWithoutDataStore(cfn: customerprofiles.CfnDomain): boolean | undefined {
  const dataStore = cfn.dataStore;
  if (dataStore === undefined) return true;
  if (Token.isUnresolved(dataStore)) return undefined;
  const enabled = (dataStore as customerprofiles.CfnDomain.DataStoreProperty).enabled;
  if (enabled === undefined) return true;
  return typeof enabled === 'boolean' ? !enabled : undefined;
}

/**
 * How to name `domain` in an error (`'customers'`, or `at '<path>'` when its name is a token) when
 * it is a domain of this app created without a data store, which the service requires for
 * object types, recommenders and SQL segments (and their estimates), or a `CfnDomain` declared
 * without one; undefined when it has one, or when it is imported or its data store is a token
 * (unknown until deployment, where the handler names the fix).
 */
export function domainWithoutDataStore(domain: IConstruct): string | undefined {
  const cfn = cfnDomains.get(domain);
  if (cfn) {
    // A CfnDomain's data store is known when it is written as a literal.
    if (cfnDomainWithoutDataStore(cfn) !== true) return undefined;
    return typeof cfn.domainName === 'string' && !Token.isUnresolved(cfn.domainName) ? `'${cfn.domainName}'` : `at '${cfn.node.path}'`;
  }
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

/**
 * The domain of a child resource reference (recommender, segment definition, object type) when the
 * reference is a construct of this library, which knows its `IDomain`; undefined for an L1 child
 * (a `CfnRecommender` names its domain by name only, so its key is not known).
 */
export function domainOfChild(ref: IConstruct): IDomain | undefined {
  const domain = (ref as { readonly domain?: refs.IDomainRef }).domain;
  return domain !== undefined && isDomain(domain) ? domain : undefined;
}
