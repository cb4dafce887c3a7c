import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ContentType, DataStore, Domain, RecommenderRecipe, SegmentQuery } from '../src';

describe('Domain.add* methods', () => {
  test('add an object type, a recommender and a segment that belong to the domain and wait for it', () => {
    const stack = new Stack(new App(), 'Stack');
    const domain = new Domain(stack, 'Customers', { domainName: 'customers', dataStore: DataStore.enabled() });

    const orders = domain.addObjectType('Orders', {
      fields: { Id: { source: '_source.Id', target: '_order.Id', contentType: ContentType.STRING } },
    });
    const recs = domain.addRecommender('ForYou', {
      recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU,
      events: [{ eventType: 'purchase' }],
    });
    const segment = domain.addSegment('Gold', { displayName: 'Gold', query: SegmentQuery.sql("SELECT * FROM _profile WHERE _profile.Attributes.tier = 'gold'") });

    expect([orders.domain, recs.domain, segment.domain]).toEqual([domain, domain, domain]);
    // Children are created in the domain's scope, so their paths read Stack/Customers/<id>.
    expect(orders.node.path).toBe('Stack/Customers/Orders');

    const template = Template.fromStack(stack);
    for (const type of ['DomainObjectType', 'Recommender', 'SegmentDefinition']) {
      const [resource] = Object.values(template.findResources(`Custom::CustomerProfiles${type}`));
      expect(resource.DependsOn).toEqual(expect.arrayContaining(['Customers6955EA0A']));
    }
  });

  test('an imported domain can take children too (the service checks its data store at deploy time)', () => {
    const stack = new Stack(new App(), 'Stack');
    const domain = Domain.fromDomainName(stack, 'Shared', 'shared-customers');
    const orders = domain.addObjectType('Orders', { fields: { Id: { source: '_source.Id', target: '_order.Id' } } });
    expect(orders.node.path).toBe('Stack/Shared/Orders');
    Template.fromStack(stack).resourceCountIs('Custom::CustomerProfilesDomainObjectType', 1);
  });
});
