import { ArnFormat, CustomResource, ITaggable, Lazy, RemovalPolicy, Stack, TagManager } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { domainInternals } from './domain-internals';
import { CustomerProfilesProvider } from './provider';
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

/** Options for {@link createChildResource}. */
export interface ChildResourceOptions {
  readonly scope: Construct;
  readonly domain: IDomain;
  readonly resourceType: string;
  readonly config: unknown;
  readonly removalPolicy: RemovalPolicy;
  /** Statements the handler needs for this resource (added to the provider's shared policy). */
  readonly statements: iam.PolicyStatement[];
}

/**
 * Creates the custom resource of a child construct under the id `Resource`: adds the handler's
 * statements to the provider's policy, orders the resource after the domain's custom resource
 * when the domain is one of ours (so it waits for the domain, and its data store, to be ready),
 * and applies the removal policy (DeletionPolicy and UpdateReplacePolicy).
 */
export function createChildResource(options: ChildResourceOptions): CustomResource {
  const provider = CustomerProfilesProvider.of(options.scope);
  provider.addToPolicy(...options.statements);
  const resource = provider.createResource(options.scope, 'Resource', options.resourceType, options.config);
  const internals = domainInternals(options.domain);
  if (internals) {
    resource.node.addDependency(internals.resource);
  }
  resource.applyRemovalPolicy(options.removalPolicy);
  return resource;
}

/**
 * The tags of a construct, rendered when the template is synthesized (so `Tags.of(scope).add()`
 * calls made after construction are included), or undefined when there are none (the API
 * rejects an empty tag map).
 */
export function lazyTags(taggable: ITaggable): Record<string, string> {
  return Lazy.any({
    produce: () => {
      const rendered = taggable.tags.renderTags() as Record<string, string> | undefined;
      return rendered && Object.keys(rendered).length > 0 ? rendered : undefined;
    },
  }) as unknown as Record<string, string>;
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
