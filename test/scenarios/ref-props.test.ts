import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as customerprofiles from 'aws-cdk-lib/aws-customerprofiles';
import { DataStore } from '../../src/data-store';
import { Domain } from '../../src/domain';
import { DomainObjectType } from '../../src/domain-object-type';
import { Integration, IntegrationObjectTypeMapping } from '../../src/integration';
import { Recommender, RecommenderRecipe } from '../../src/recommender';
import { SegmentDefinition } from '../../src/segment-definition';
import { SegmentQuery } from '../../src/segment-query';
import { ENV, onlyConfig, providerStatements, resourcesOf, statementsWithActions } from '../helpers/child-constructs';

type Json = Record<string, any>;

const RECOMMENDER_ACTIONS = [
  'profile:CreateRecommender',
  'profile:GetRecommender',
  'profile:UpdateRecommender',
  'profile:DeleteRecommender',
  'profile:StartRecommender',
  'profile:StopRecommender',
  'profile:TagResource',
  'profile:UntagResource',
];

function newStack(): Stack {
  return new Stack(new App(), 'Stack', { env: ENV });
}

function cfnDomain(stack: Stack, props: Partial<customerprofiles.CfnDomainProps> = {}): customerprofiles.CfnDomain {
  return new customerprofiles.CfnDomain(stack, 'L1Domain', { domainName: 'l1', defaultExpirationDays: 366, dataStore: { enabled: true }, ...props });
}

/** `arn:${Partition}:profile:eu-west-1:111122223333:domains/` followed by `parts`. */
function domainArnJoin(...parts: unknown[]): Json {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':profile:eu-west-1:111122223333:domains/', ...parts]] };
}

const refPart = (logicalId: string, index: number) => ({ 'Fn::Select': [index, { 'Fn::Split': ['|', { Ref: logicalId }] }] });

describe('props that take a domain accept any IDomainRef', () => {
  test('a Recommender on a CfnDomain names the domain by its Ref and grants the handler the exact recommender only', () => {
    const stack = newStack();
    const domain = cfnDomain(stack);
    const recommender = new Recommender(stack, 'ForYou', { domain, recommenderName: 'for-you', recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU });
    const template = Template.fromStack(stack);
    // The Ref orders the recommender after the CfnDomain.
    expect(onlyConfig(template, 'Custom::CustomerProfilesRecommender').DomainName).toBe('${L1Domain}');
    expect(stack.resolve(recommender.domain.domainName)).toEqual({ Ref: 'L1Domain' });
    const statements = providerStatements(template);
    // Not a domain of this library: no per-kind wildcard, the recommender by its exact ARN.
    expect(statementsWithActions(statements, RECOMMENDER_ACTIONS)).toEqual([{
      Effect: 'Allow',
      Action: RECOMMENDER_ACTIONS,
      Resource: [domainArnJoin({ Ref: 'L1Domain' }, '/recommenders/for-you'), domainArnJoin({ Ref: 'L1Domain' })],
    }]);
    // The handler may read the domain to explain a refusal for a missing data store.
    expect(statements.filter((st) => st.Action === 'profile:GetDomain')).toEqual([{ Effect: 'Allow', Action: 'profile:GetDomain', Resource: domainArnJoin({ Ref: 'L1Domain' }) }]);
    // And the domain half of cleanup deletes of its children, as for any domain this stack does not own.
    expect(statements.filter((st) => JSON.stringify(st.Resource) === JSON.stringify(domainArnJoin({ Ref: 'L1Domain' })) && Array.isArray(st.Action))
      .map((st) => st.Action)).toEqual([[
      'profile:GetDomainObjectType',
      'profile:DeleteDomainObjectType',
      'profile:GetRecommender',
      'profile:DeleteRecommender',
      'profile:GetSegmentDefinition',
      'profile:DeleteSegmentDefinition',
    ]]);
  });

  test('a Recommender on a CfnDomain declared without a data store is refused at synthesis', () => {
    const stack = newStack();
    const domain = cfnDomain(stack, { dataStore: undefined });
    expect(() => new Recommender(stack, 'ForYou', { domain, recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU }))
      .toThrow("'l1' has no data store, and the service only creates recommenders in a domain with one: set `dataStore: { enabled: true }` on the CfnDomain");
  });

  test('a CfnDomain whose data store is a token is left to the deployment', () => {
    const stack = newStack();
    const enabled = new CfnParameter(stack, 'DataStoreEnabled', { type: 'String' });
    const domain = cfnDomain(stack, { dataStore: { enabled: enabled.valueAsString as unknown as boolean } });
    expect(() => new Recommender(stack, 'ForYou', { domain, recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU })).not.toThrow();
  });

  test('a DomainObjectType on a CfnDomain with `dataStore: { enabled: false }` is refused; with one enabled it is created', () => {
    const fields = { Id: { source: '_source.Id', target: '_item.Id' } };
    const without = newStack();
    expect(() => new DomainObjectType(without, 'Products', { domain: cfnDomain(without, { dataStore: { enabled: false } }), fields }))
      .toThrow("DomainObjectType at 'Stack/Products': domain 'l1' has no data store, and the service only accepts object types in a domain with one: set `dataStore: { enabled: true }` on the CfnDomain.");
    const stack = newStack();
    new DomainObjectType(stack, 'Products', { domain: cfnDomain(stack), objectTypeName: 'products', fields });
    expect(onlyConfig(Template.fromStack(stack), 'Custom::CustomerProfilesDomainObjectType').DomainName).toBe('${L1Domain}');
  });

  test('an SQL segment needs the CfnDomain data store, a segment of groups does not', () => {
    const stack = newStack();
    const domain = cfnDomain(stack, { dataStore: undefined });
    expect(() => new SegmentDefinition(stack, 'Sql', { domain, displayName: 'Sql', query: SegmentQuery.sql('SELECT * FROM _profile') }))
      .toThrow('set `dataStore: { enabled: true }` on the CfnDomain, or write the query with SegmentQuery.groups()');
    expect(() => new SegmentDefinition(stack, 'Groups', {
      domain,
      displayName: 'Groups',
      query: SegmentQuery.groups({ groups: [{ sourceSegments: [SegmentDefinition.fromSegmentDefinitionName(stack, 'Gold', domain, 'gold')] }] }),
    })).not.toThrow();
  });

  test('a Domain passed as IDomainRef stays the domain itself, with the per-kind statements of a domain of this stack', () => {
    const stack = newStack();
    const domain = new Domain(stack, 'Customers', { domainName: 'customers', dataStore: DataStore.enabled() });
    const recommender = new Recommender(stack, 'ForYou', { domain, recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU });
    expect(recommender.domain).toBe(domain);
    expect(recommender.node.tryFindChild('DomainRef')).toBeUndefined();
    expect(onlyConfig(Template.fromStack(stack), 'Custom::CustomerProfilesRecommender').DomainName).toBe('customers');
  });
});

describe('Integration takes object type references', () => {
  test('with a CfnDomain and a CfnDomainObjectType: the domain Ref and the object type name from its Ref', () => {
    const stack = newStack();
    const domain = cfnDomain(stack);
    const objectType = new customerprofiles.CfnDomainObjectType(stack, 'L1Orders', {
      domainName: domain.ref,
      objectTypeName: 'orders',
      fields: { Id: { source: '_source.Id', target: '_item.Id' } },
    });
    new Integration(stack, 'Feed', { domain, uri: 'arn:aws:sqs:eu-west-1:111122223333:orders', objectType });
    new Integration(stack, 'Mapped', {
      domain,
      uri: 'arn:aws:sqs:eu-west-1:111122223333:mapped',
      objectTypeMappings: [IntegrationObjectTypeMapping.fromObjectType('orders', objectType)],
    });
    const integrations = Object.fromEntries(resourcesOf(Template.fromStack(stack), 'AWS::CustomerProfiles::Integration')
      .map(([id, r]) => [id.replace(/[0-9A-F]{8}$/, ''), r.Properties]));
    expect(integrations.Feed).toMatchObject({ DomainName: { Ref: 'L1Domain' }, ObjectTypeName: refPart('L1Orders', 1) });
    expect(integrations.Mapped).toMatchObject({ DomainName: { Ref: 'L1Domain' }, ObjectTypeNames: [{ Key: 'orders', Value: refPart('L1Orders', 1) }] });
  });
});

describe('source segments take segment definition references', () => {
  test('a classic segment starts from a CfnSegmentDefinition, named by its Ref (which orders the two)', () => {
    const stack = newStack();
    const domain = new Domain(stack, 'Customers', { domainName: 'customers', dataStore: DataStore.enabled() });
    const source = new customerprofiles.CfnSegmentDefinition(stack, 'L1Gold', {
      domainName: 'customers',
      segmentDefinitionName: 'gold',
      displayName: 'Gold',
      segmentSqlQuery: 'SELECT * FROM _profile',
    });
    new SegmentDefinition(stack, 'FromGold', {
      domain,
      segmentDefinitionName: 'from-gold',
      displayName: 'From gold',
      query: SegmentQuery.groups({ groups: [{ sourceSegments: [source] }] }),
    });
    const [[, resource]] = resourcesOf(Template.fromStack(stack), 'Custom::CustomerProfilesSegmentDefinition');
    expect(resource.Properties.SegmentGroups.Groups[0].SourceSegments).toEqual([{ SegmentDefinitionName: refPart('L1Gold', 1) }]);
  });
});
