import { App, Aspects, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CustomerDataStack } from '../../examples/customer-data-stack';
import { PersonalizationStack } from '../../examples/personalization-stack';
import { DataStore, Domain, DomainObjectType, Recommender, RecommenderRecipe, SegmentDefinition, SegmentQuery } from '../../src';

/**
 * cdk-nag's AwsSolutions pack over the example stack (every construct of the library): no
 * unsuppressed error or warning. The library suppresses findings on its own provider (support
 * resources a user cannot change); the example suppresses findings on its own function. Every
 * suppression carries a reason.
 */

const ENV = { account: '111122223333', region: 'eu-west-1' };

interface Suppression { readonly id: string; readonly reason: string; readonly appliesTo?: unknown[] }

function nagFindings(stack: Stack): string[] {
  Aspects.of(stack).add(new AwsSolutionsChecks({ verbose: true }));
  const annotations = Annotations.fromStack(stack);
  return [
    ...annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-.*')),
    ...annotations.findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*')),
  ].map((m) => `${m.id}: ${String(m.entry.data).split('\n')[0].slice(0, 160)}`);
}

/** Every suppression in the template, by logical id. */
function suppressions(stack: Stack): Array<[string, Suppression]> {
  type Resource = { Metadata?: { cdk_nag?: { rules_to_suppress?: Suppression[] } } };
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, Resource>;
  return Object.entries(resources).flatMap(([id, r]) => (r.Metadata?.cdk_nag?.rules_to_suppress ?? []).map((s) => [id, s] as [string, Suppression]));
}

describe('cdk-nag AwsSolutions', () => {
  test('the example platform stack has no unsuppressed error or warning', () => {
    const stack = new CustomerDataStack(new App(), 'CustomerData', { env: ENV });
    expect(nagFindings(stack)).toEqual([]);
  });

  test('the example personalization stack has no unsuppressed error or warning', () => {
    const stack = new PersonalizationStack(new App(), 'Personalization', { env: ENV });
    expect(nagFindings(stack)).toEqual([]);
  });

  test('every suppression of the example stack has a reason, and only the provider and the storefront function have any', () => {
    const stack = new CustomerDataStack(new App(), 'CustomerData', { env: ENV });
    const all = suppressions(stack);
    expect(all.length).toBeGreaterThan(0);
    for (const [id, s] of all) {
      expect(s.reason.length).toBeGreaterThanOrEqual(60);
      expect(id).toMatch(/^(CustomerProfilesProvider|StorefrontApi)/);
    }
    // Rules that are suppressed, nothing else: runtimes, the logs-only managed policy, the version
    // qualifier / object-type wildcards, and the waiter's logging and tracing.
    expect([...new Set(all.map(([, s]) => s.id))].sort()).toEqual([
      'AwsSolutions-IAM4', 'AwsSolutions-IAM5', 'AwsSolutions-L1', 'AwsSolutions-SF1', 'AwsSolutions-SF2',
    ]);
    // Wildcard suppressions are narrowed to the exact finding, never the whole rule.
    for (const [, s] of all.filter(([, x]) => x.id === 'AwsSolutions-IAM5' || x.id === 'AwsSolutions-IAM4')) {
      expect((s as { applies_to?: unknown[] }).applies_to).toHaveLength(1);
    }
  });

  test('a minimal stack of the library alone (imported key, no example resources) is clean too', () => {
    const app = new App();
    const stack = new Stack(app, 'Minimal', { env: ENV });
    const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    const domain = new Domain(stack, 'Customers', { domainName: 'customers', dataStore: DataStore.enabled(), encryptionKey: key });
    new DomainObjectType(stack, 'Orders', { domain, encryptionKey: key, fields: { Id: { source: '_source.Id', target: '_order.Id' } } });
    new Recommender(stack, 'ForYou', { domain, recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU });
    new SegmentDefinition(stack, 'Gold', { domain, displayName: 'Gold', query: SegmentQuery.sql('SELECT * FROM _profile') });
    expect(nagFindings(stack)).toEqual([]);
    for (const [id] of suppressions(stack)) {
      expect(id).toMatch(/^CustomerProfilesProvider/);
    }
  });

  test('the suppressions are narrow: a wildcard added to a provider role is still reported', () => {
    const stack = new Stack(new App(), 'S', { env: ENV });
    new Domain(stack, 'Customers');
    const provider = stack.node.findChild('CustomerProfilesProvider');
    const frameworkRole = provider.node.findChild('Provider').node.findChild('framework-onEvent').node.findChild('ServiceRole') as iam.Role;
    frameworkRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['profile:GetDomain'], resources: ['arn:aws:profile:eu-west-1:111122223333:domains/*'] }));
    (provider as unknown as { addToPolicy(s: iam.PolicyStatement): void }).addToPolicy(new iam.PolicyStatement({ actions: ['profile:*'], resources: ['*'] }));
    const findings = nagFindings(stack).filter((f) => f.includes('AwsSolutions-IAM5'));
    expect(findings.some((f) => f.includes('framework-onEvent/ServiceRole/DefaultPolicy') && f.includes('domains/*'))).toBe(true);
    expect(findings.some((f) => f.includes('CustomerProfilesProvider/Handler/ServiceRole/DefaultPolicy') && f.includes('Resource::*'))).toBe(true);
  });

  test('the suppression of the owned-resources statement covers `domains/*` only: any other profile wildcard on the handler is still reported', () => {
    const stack = new Stack(new App(), 'S', { env: ENV });
    new Domain(stack, 'Customers');
    const provider = stack.node.findChild('CustomerProfilesProvider') as unknown as { addToPolicy(s: iam.PolicyStatement): void };
    provider.addToPolicy(new iam.PolicyStatement({ actions: ['profile:DeleteDomain'], resources: ['arn:aws:profile:eu-west-1:111122223333:domains/cust*'] }));
    provider.addToPolicy(new iam.PolicyStatement({ actions: ['profile:DeleteRecommender'], resources: ['arn:aws:profile:*:111122223333:domains/*'] }));
    const findings = nagFindings(stack).filter((f) => f.includes('AwsSolutions-IAM5') && f.includes('Handler/ServiceRole/DefaultPolicy'));
    expect(findings.some((f) => f.includes('domains/cust*'))).toBe(true);
    expect(findings.some((f) => f.includes('profile:*:111122223333:domains/*'))).toBe(true);
    expect(findings.filter((f) => /domains\/\*\]?$/.test(f) && f.includes('eu-west-1'))).toEqual([]);
  });

  test('the provider carries its suppressions whether or not the stack runs cdk-nag', () => {
    const stack = new Stack(new App(), 'S', { env: ENV });
    new Domain(stack, 'Customers');
    const fns = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'));
    expect(fns).toHaveLength(4);
    for (const fn of fns) {
      expect(fn.Metadata.cdk_nag.rules_to_suppress.map((r: Suppression) => r.id)).toContain('AwsSolutions-L1');
    }
  });
});
