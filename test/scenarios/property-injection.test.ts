import { App, InjectionContext, IPropertyInjector, PropertyInjectors, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { DataStore } from '../../src/data-store';
import { Domain, DomainProps } from '../../src/domain';
import { DomainObjectType } from '../../src/domain-object-type';
import { Integration } from '../../src/integration';
import { Recommender, RecommenderProps, RecommenderRecipe } from '../../src/recommender';
import { SegmentDefinition } from '../../src/segment-definition';
import { SegmentQuery } from '../../src/segment-query';
import { onlyConfig, parseConfig, resourcesOf } from '../helpers/child-constructs';

const DOMAIN = 'Custom::CustomerProfilesDomain';
const RECOMMENDER = 'Custom::CustomerProfilesRecommender';
const FIELD = { Id: { source: '_source.Id', target: '_o.Id' } };

// The injectors of docs/conventions.md, as written there.
class RecommenderDefaults implements IPropertyInjector {
  public readonly constructUniqueId = Recommender.PROPERTY_INJECTION_ID;

  public inject(originalProps: RecommenderProps, _context: InjectionContext): RecommenderProps {
    return { ...originalProps, waitForActive: originalProps.waitForActive ?? false };
  }
}

class DomainDefaults implements IPropertyInjector {
  public readonly constructUniqueId = Domain.PROPERTY_INJECTION_ID;

  // `new Domain(scope, id)` without props passes undefined.
  public inject(originalProps: DomainProps | undefined, _context: InjectionContext): DomainProps {
    return { ...originalProps, removalPolicy: originalProps?.removalPolicy ?? RemovalPolicy.DESTROY };
  }
}

function appWith(...injectors: IPropertyInjector[]) {
  const app = new App();
  PropertyInjectors.of(app).add(...injectors);
  const stack = new Stack(app, 'Stack');
  return { app, stack };
}

function deletionPolicies(template: Template, type: string): Record<string, [string, string]> {
  return Object.fromEntries(resourcesOf(template, type).map(([id, r]) => [id, [r.DeletionPolicy, r.UpdateReplacePolicy]]));
}

describe('property injection', () => {
  test('each construct has its own PROPERTY_INJECTION_ID and keeps its name and static methods', () => {
    expect([Domain, DomainObjectType, Recommender, SegmentDefinition, Integration].map((c) => [c.name, c.PROPERTY_INJECTION_ID])).toEqual([
      ['Domain', '@cdk-customer-profiles/constructs.Domain'],
      ['DomainObjectType', '@cdk-customer-profiles/constructs.DomainObjectType'],
      ['Recommender', '@cdk-customer-profiles/constructs.Recommender'],
      ['SegmentDefinition', '@cdk-customer-profiles/constructs.SegmentDefinition'],
      ['Integration', '@cdk-customer-profiles/constructs.Integration'],
    ]);
    const stack = new Stack(new App(), 'Stack');
    expect(Domain.fromDomainName(stack, 'Imported', 'imported').domainName).toBe('imported');
  });

  test('an app-wide injector changes the waitForActive default of every Recommender, an explicit prop still wins', () => {
    const { stack } = appWith(new RecommenderDefaults());
    const domain = new Domain(stack, 'Customers', { domainName: 'customers', dataStore: DataStore.enabled() });
    new Recommender(stack, 'Defaulted', { domain, recommenderName: 'defaulted', recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU });
    domain.addRecommender('Added', { recommenderName: 'added', recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU });
    new Recommender(stack, 'Explicit', { domain, recommenderName: 'explicit', recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU, waitForActive: true });

    const configs = resourcesOf(Template.fromStack(stack), RECOMMENDER)
      .map(([, r]) => parseConfig(r.Properties))
      .map((c) => [c.RecommenderName, c.WaitForActive]);
    expect(configs.sort()).toEqual([['added', false], ['defaulted', false], ['explicit', true]]);
  });

  test('without an injector the default is unchanged', () => {
    const stack = new Stack(new App(), 'Stack');
    const domain = new Domain(stack, 'Customers', { domainName: 'customers', dataStore: DataStore.enabled() });
    new Recommender(stack, 'R', { domain, recommenderName: 'r', recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU });
    expect(onlyConfig(Template.fromStack(stack), RECOMMENDER)).toMatchObject({ WaitForActive: true });
  });

  test('an app-wide injector changes the removal policy default of a Domain (also one built without props), an explicit prop still wins', () => {
    const { stack } = appWith(new DomainDefaults());
    new Domain(stack, 'NoProps');
    new Domain(stack, 'Defaulted', { domainName: 'defaulted' });
    new Domain(stack, 'Explicit', { domainName: 'explicit', removalPolicy: RemovalPolicy.RETAIN });

    const policies = deletionPolicies(Template.fromStack(stack), DOMAIN);
    expect(Object.entries(policies).map(([id, p]) => [id.replace(/[0-9A-F]{8}$/, ''), ...p]).sort()).toEqual([
      ['Defaulted', 'Delete', 'Delete'],
      ['Explicit', 'Retain', 'Retain'],
      ['NoProps', 'Delete', 'Delete'],
    ]);
  });

  test('the adoption RETAIN rule judges the injected props: an injected DESTROY is refused with adoptExisting', () => {
    const { app, stack } = appWith(new DomainDefaults());
    new Domain(stack, 'Customers', { domainName: 'customers', adoptExisting: true });
    expect(() => app.synth()).toThrow(/Domain at 'Stack\/Customers': adoptExisting requires removalPolicy: RemovalPolicy\.RETAIN/);
  });

  test('injectors given to the App with its propertyInjectors prop apply as those added with PropertyInjectors.of(app)', () => {
    const app = new App({ propertyInjectors: [new RecommenderDefaults(), new DomainDefaults()] });
    const stack = new Stack(app, 'Sandbox');
    const domain = new Domain(stack, 'Customers', { dataStore: DataStore.enabled() });
    domain.addRecommender('ForYou', { recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU });
    new Domain(stack, 'Kept', { removalPolicy: RemovalPolicy.RETAIN });
    const template = Template.fromStack(stack);
    expect(Object.values(deletionPolicies(template, DOMAIN)).sort()).toEqual([['Delete', 'Delete'], ['Retain', 'Retain']]);
    expect(onlyConfig(template, RECOMMENDER)).toMatchObject({ WaitForActive: false });
  });

  test('an injector registered on one stack applies to that stack only', () => {
    const app = new App();
    const sandbox = new Stack(app, 'Sandbox');
    const production = new Stack(app, 'Production');
    PropertyInjectors.of(sandbox).add(new DomainDefaults());
    new Domain(sandbox, 'Customers', { domainName: 'customers' });
    new Domain(production, 'Customers', { domainName: 'customers' });
    expect(Object.values(deletionPolicies(Template.fromStack(sandbox), DOMAIN))).toEqual([['Delete', 'Delete']]);
    expect(Object.values(deletionPolicies(Template.fromStack(production), DOMAIN))).toEqual([['Retain', 'Retain']]);
  });

  test('every construct hands its props, scope and id to the injector of its id before it reads them', () => {
    const seen: string[] = [];
    const recorder = (id: string): IPropertyInjector => ({
      constructUniqueId: id,
      inject: (props: any, context: InjectionContext) => {
        seen.push(`${id.split('.').pop()} ${context.id}`);
        return props;
      },
    });
    const classes = [Domain, DomainObjectType, Recommender, SegmentDefinition, Integration];
    const { stack } = appWith(...classes.map((c) => recorder(c.PROPERTY_INJECTION_ID)));
    const domain = new Domain(stack, 'Customers', { domainName: 'customers', dataStore: DataStore.enabled() });
    const orders = new DomainObjectType(stack, 'Orders', { domain, objectTypeName: 'orders', fields: FIELD });
    new Recommender(stack, 'ForYou', { domain, recommenderName: 'for-you', recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU });
    new SegmentDefinition(stack, 'Vip', { domain, segmentDefinitionName: 'vip', displayName: 'VIP', query: SegmentQuery.sql('SELECT * FROM _profile') });
    new Integration(stack, 'Queue', { domain, uri: new sqs.Queue(stack, 'Q').queueArn, objectType: orders });
    expect(seen).toEqual(['Domain Customers', 'DomainObjectType Orders', 'Recommender ForYou', 'SegmentDefinition Vip', 'Integration Queue']);
  });
});
