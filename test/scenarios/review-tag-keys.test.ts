import { App, Stack, Tags } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DataStore } from '../../src/data-store';
import { Domain } from '../../src/domain';
import { RecommenderRecipe } from '../../src/recommender';
import { ENV } from '../helpers/child-constructs';

describe('tag keys follow the service model\'s TagKey pattern', () => {
  function stackWithDomain() {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const domain = new Domain(stack, 'Customers', { domainName: 'customers', dataStore: DataStore.enabled() });
    return { app, stack, domain };
  }

  test('a key with a space (from Tags.of) fails at synthesis, naming the key, instead of at deployment', () => {
    const { app, domain } = stackWithDomain();
    Tags.of(domain).add('Cost Center', '42');
    expect(() => app.synth()).toThrow(/Domain at 'Stack\/Customers': tags key must match .*no spaces.*got 'Cost Center'/);
  });

  test('a key with @ in the props of a child construct is refused at once', () => {
    const { domain } = stackWithDomain();
    expect(() => domain.addRecommender('ForYou', { recipe: RecommenderRecipe.POPULAR_ITEMS, tags: { 'owner@team': 'x' } }))
      .toThrow(/tags key must match .*got 'owner@team'/);
  });

  test('keys with letters, digits and + - = . _ : / are accepted', () => {
    const { stack, domain } = stackWithDomain();
    for (const key of ['Environment', 'cost-center', 'team:owner', 'a/b', 'x.y', 'A_1', 'k+v=2']) {
      Tags.of(domain).add(key, 'v');
    }
    domain.addRecommender('ForYou', { recipe: RecommenderRecipe.POPULAR_ITEMS, tags: { 'app:component': 'api' } });
    expect(() => Template.fromStack(stack)).not.toThrow();
  });
});
