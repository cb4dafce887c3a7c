import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DataStore } from '../../src/data-store';
import { Domain } from '../../src/domain';
import { RecommenderRecipe } from '../../src/recommender';
import { SegmentQuery } from '../../src/segment-query';
import { ENV, resourcesOf } from '../helpers/child-constructs';

/** DeletionPolicy and UpdateReplacePolicy of the only resource of `type`. */
function policies(stack: Stack, type: string): [unknown, unknown] {
  const resources = resourcesOf(Template.fromStack(stack), type);
  expect(resources).toHaveLength(1);
  const [, resource] = resources[0];
  return [resource.DeletionPolicy, resource.UpdateReplacePolicy];
}

describe('applyRemovalPolicy (the IResource method, not only the prop)', () => {
  test('sets the DeletionPolicy and UpdateReplacePolicy of every custom resource of the library', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const domain = new Domain(stack, 'Customers', { domainName: 'customers', dataStore: DataStore.enabled() });
    const type = domain.addObjectType('Products', { fields: { Id: { source: '_source.Id', target: '_item.Id' } } });
    const recommender = domain.addRecommender('ForYou', { recipe: RecommenderRecipe.POPULAR_ITEMS });
    const segment = domain.addSegment('Gold', { displayName: 'Gold', query: SegmentQuery.sql('SELECT * FROM _profile') });

    domain.applyRemovalPolicy(RemovalPolicy.DESTROY);
    type.applyRemovalPolicy(RemovalPolicy.DESTROY);
    recommender.applyRemovalPolicy(RemovalPolicy.RETAIN);
    segment.applyRemovalPolicy(RemovalPolicy.RETAIN);

    expect(policies(stack, 'Custom::CustomerProfilesDomain')).toEqual(['Delete', 'Delete']);
    expect(policies(stack, 'Custom::CustomerProfilesDomainObjectType')).toEqual(['Delete', 'Delete']);
    expect(policies(stack, 'Custom::CustomerProfilesRecommender')).toEqual(['Retain', 'Retain']);
    expect(policies(stack, 'Custom::CustomerProfilesSegmentDefinition')).toEqual(['Retain', 'Retain']);
  });
});
