import { ArnFormat, CfnResource, ITaggable, RemovalPolicy, Stack, TagManager } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { lazyMember } from './config-properties';
import { DomainInternals, domainInternals } from './domain-internals';
import { CLEANUP_ACTIONS, CustomerProfilesProvider } from './provider';
import { Validator } from './validation';
import type { IDomain } from '../domain';

/**
 * Helpers shared by the constructs that live inside a domain (object types, recommenders,
 * segment definitions): ARNs, the provider's IAM statements, ordering after the domain, tags.
 */

/** ARN of a resource inside a domain: `arn:${Partition}:profile:${Region}:${Account}:domains/${domain}/${kind}/${name}`. */
export function formatChildArn(scope: IConstruct, domainName: string, kind: string, name: string): string {
  return Stack.of(scope).formatArn({
    service: 'profile',
    resource: 'domains',
    resourceName: `${domainName}/${kind}/${name}`,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

/**
 * ARN of a resource inside `domain`, in the domain's own partition, region and account: an
 * imported domain's ARN (`Domain.fromDomainArn`) may name another region or account than the stack.
 */
export function childArnOf(domain: IDomain, kind: string, name: string): string {
  return `${domain.domainArn}/${kind}/${name}`;
}

/** ARN of a domain in the stack's partition, region and account. */
export function formatDomainArnFor(scope: IConstruct, domainName: string): string {
  return Stack.of(scope).formatArn({
    service: 'profile',
    resource: 'domains',
    resourceName: domainName,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

/**
 * The domain name to use in the provider's own IAM statements.
 *
 * For a domain created by this library it is the synth-time literal: a reference to the domain's
 * custom resource would make the shared policy depend on a resource that depends on the policy.
 * An imported domain's name is whatever the user passed (a literal or a parameter), which is safe.
 */
export function policyDomainName(domain: IDomain): string {
  return domainInternals(domain)?.literalName ?? domain.domainName;
}

/**
 * The domain name a child writes into its Config. For a domain created by this library in the
 * same stack it is the name itself (the child already depends on the domain's resource, so it
 * waits for it); a reference there would only make CloudFormation, and every synthesis, join
 * strings for the same value. A domain of another stack, or an imported one, is referenced.
 */
export function configDomainName(scope: IConstruct, domain: IDomain): string {
  return ownDomain(scope, domain)?.literalName ?? domain.domainName;
}

/** The internals of `domain` when this library creates it in the same stack as `scope`. */
function ownDomain(scope: IConstruct, domain: IDomain): DomainInternals | undefined {
  const internals = domainInternals(domain);
  return internals !== undefined && Stack.of(internals.resource) === Stack.of(scope) ? internals : undefined;
}

/** The child actions of CLEANUP_ACTIONS (the domain's own are never granted on an imported domain). */
const CHILD_CLEANUP_ACTIONS = CLEANUP_ACTIONS.filter((a) => a !== 'profile:GetDomain' && a !== 'profile:DeleteDomain');

/** The ARN resource types of a domain's children (`domains/${domain}/${kind}/${name}`). */
export type ChildArnKind = 'domain-object-types' | 'recommenders' | 'segment-definitions';

/** Options for {@link createChildResource}. */
export interface ChildResourceOptions {
  readonly scope: Construct;
  readonly domain: IDomain;
  readonly resourceType: string;
  readonly config: object;
  readonly removalPolicy: RemovalPolicy;
  /** The resource's ARN type and name, for the handler's statements. */
  readonly arnKind: ChildArnKind;
  readonly name: string;
  /** Actions the handler needs on the resource (and on the domain's ARN, which the service also checks). */
  readonly actions: string[];
  /** Actions the handler needs on the domain's ARN only. */
  readonly domainActions: string[];
  /** Further statements (a KMS key of the resource's own), added as they are. */
  readonly extraStatements?: iam.PolicyStatement[];
}

/**
 * Creates the custom resource of a child construct under the id `Resource`: adds the handler's
 * statements to the provider's policy, orders the resource after the domain's custom resource
 * when the domain is one of ours (so it waits for the domain, and its data store, to be ready),
 * and applies the removal policy (DeletionPolicy and UpdateReplacePolicy).
 *
 * The handler's statements depend on who owns the domain:
 * - a domain created by this library in the same stack: the handler already manages the whole
 *   domain (it may update and delete it), so its children are granted per kind, as
 *   `domains/${domain}/${kind}/*`, once for all of them. Naming every child would grow the
 *   shared policy with each one, past IAM's inline limit at about a hundred children (adding
 *   managed overflow policies), and cost synthesis time per child;
 * - an imported domain, or one of another stack: the stack's handler may only touch the children
 *   it declares, so each is named by its exact ARN.
 */
export function createChildResource(options: ChildResourceOptions): CfnResource {
  const provider = CustomerProfilesProvider.of(options.scope);
  const internals = domainInternals(options.domain);
  const policyDomain = policyDomainName(options.domain);
  const ownsDomain = ownDomain(options.scope, options.domain) !== undefined;
  provider.addChildStatements({
    // Statements made once per domain and kind are keyed by them; exact ones are merged by actions.
    onceKey: ownsDomain ? `${policyDomain}/${options.arnKind}` : undefined,
    build: () => {
      const domainArn = formatDomainArnFor(options.scope, policyDomain);
      // The wildcard is the name of a child of this stack's own domain, see above.
      const childArn = formatChildArn(options.scope, policyDomain, options.arnKind, ownsDomain ? '*' : options.name);
      const statements = [new iam.PolicyStatement({ actions: options.actions, resources: [childArn, domainArn] })];
      if (options.domainActions.length > 0) {
        statements.push(new iam.PolicyStatement({ actions: options.domainActions, resources: [domainArn] }));
      }
      return statements;
    },
  });
  if (!ownsDomain) {
    // The domain half of cleanup deletes of this domain's children (the service authorizes child
    // actions on the child's ARN and the domain's). Their own half is the provider's statement
    // conditioned on the owner marker, which an imported domain does not carry; the exact statement
    // of a child goes with the child, so without this one, removing the last segment (say) of an
    // imported domain would leave it behind. One ARN per domain, merged into one statement.
    provider.addToPolicy(new iam.PolicyStatement({
      actions: [...CHILD_CLEANUP_ACTIONS],
      resources: [formatDomainArnFor(options.scope, policyDomain)],
    }));
  }
  if (options.extraStatements) {
    provider.addToPolicy(...options.extraStatements);
  }
  // A child of this stack's own domain depends on the domain, which depends on the provider's role
  // and policies (where the child's statements are): ordered after them through the domain.
  const resource = provider.createResource(options.scope, 'Resource', options.resourceType, options.config, !ownsDomain);
  if (internals) {
    // The construct-level dependency (CfnResource#addDependency is deprecated in newer aws-cdk-lib):
    // aws-cdk-lib renders it as DependsOn in the same stack, and as a stack dependency across stacks.
    resource.node.addDependency(internals.resource);
  }
  resource.applyRemovalPolicy(options.removalPolicy);
  return resource;
}

/**
 * The tags of a construct, rendered when the template is synthesized (so `Tags.of(scope).add()`
 * calls made after construction are included), or left out when there are none (the API
 * rejects an empty tag map).
 */
export function lazyTags(taggable: ITaggable): Record<string, string> {
  return lazyMember(() => {
    const rendered = taggable.tags.renderTags() as Record<string, string> | undefined;
    return rendered && Object.keys(rendered).length > 0 ? rendered : undefined;
  });
}

/**
 * Validates the tags a construct ends up with (including those added later by `Tags.of()`),
 * when the app is synthesized.
 */
export function addTagValidation(scope: Construct & ITaggable, kind: string): void {
  scope.node.addValidation({
    validate: () => {
      const v = new Validator(scope, kind);
      v.tags('tags', (scope.tags as TagManager).renderTags() as Record<string, string> | undefined);
      try {
        v.throwIfInvalid();
        return [];
      } catch (e) {
        return [(e as Error).message];
      }
    },
  });
}
