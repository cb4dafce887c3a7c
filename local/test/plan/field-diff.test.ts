import { Writable } from 'stream';
import { fullDiff, formatDifferences } from '@aws-cdk/cloudformation-diff';
import { DataStore, Domain, RecommenderRecipe } from '@cdk-customer-profiles/constructs';
import { App, Duration, Stack } from 'aws-cdk-lib';

/**
 * `cdk diff` of a one-member change (issue #17 item 1): the desired state is written as one
 * property per Config member, so the diff names the member and its two values, not the whole state.
 */

/** The template of a stack with one recommender that trains every `days` days. */
function template(days: number): Record<string, unknown> {
  const app = new App();
  const stack = new Stack(app, 'Shop', { env: { account: '111122223333', region: 'eu-west-1' } });
  const domain = new Domain(stack, 'Customers', { domainName: 'customers', dataStore: DataStore.enabled() });
  domain.addRecommender('ForYou', {
    recommenderName: 'for-you',
    recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU,
    events: [{ eventType: 'purchase', weight: 1 }],
    trainingFrequency: Duration.days(days),
    description: 'Personal picks on the home page',
  });
  return app.synth().getStackByName('Shop').template;
}

/** What `cdk diff` prints, without colours. */
function formatted(before: Record<string, unknown>, after: Record<string, unknown>): string {
  let out = '';
  const stream = new Writable({ write(chunk, _encoding, done) { out += chunk.toString(); done(); } });
  formatDifferences(stream, fullDiff(before, after));
  // eslint-disable-next-line no-control-regex
  return out.replace(/\u001b\[[0-9;]*m/g, '');
}

test('a training frequency from 7 to 14 days shows as that one field, from 7 to 14', () => {
  const diff = fullDiff(template(7), template(14));
  const changed = Object.entries(diff.resources.changes).filter(([, change]) => change.isDifferent);
  expect(changed.map(([, change]) => change.newResourceType)).toEqual(['Custom::CustomerProfilesRecommender']);
  const [[, recommender]] = changed;
  expect(Object.keys(recommender.propertyUpdates)).toEqual(['RecommenderConfig']);

  const text = formatted(template(7), template(14));
  expect(text).toMatch(/\[~\] Custom::CustomerProfilesRecommender .*ForYou/);
  expect(text).toContain('RecommenderConfig');
  expect(text).toContain('TrainingFrequency');
  // [~] RecommenderConfig
  //  └─ [~] .TrainingFrequency:
  //      ├─ [-] 7
  //      └─ [+] 14
  expect(text).toMatch(/\[~\] RecommenderConfig\s+└─ \[~\] \.TrainingFrequency:\s+├─ \[-\] 7\s+└─ \[\+\] 14/);
  // Not the whole desired state: the members that did not change are not repeated.
  expect(text).not.toContain('Personal picks on the home page');
  expect(text).not.toContain('RecommenderRecipeName');
  expect(text).not.toMatch(/\bConfig\b/);
});
