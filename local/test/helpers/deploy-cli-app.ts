/**
 * A platform team's app for CLI tests and manual runs: a shared domain stack and a team stack.
 * Environment knobs: DAYS (default expiration), RECS=1 (add a recommender), FAIL_RECIPE (a recipe
 * the service rejects, to force a rollback).
 */
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { DataStore, Domain, DomainObjectType, Recommender, RecommenderRecipe } from '../../../src';

const app = new App();
const shared = new Stack(app, 'SharedCustomers');
const domain = new Domain(shared, 'Customers', {
  domainName: 'customers',
  dataStore: DataStore.enabled(),
  defaultExpiration: Duration.days(Number(process.env.DAYS ?? '365')),
});
const team = new Stack(app, 'TeamOrders');
new DomainObjectType(team, 'Orders', {
  domain,
  objectTypeName: 'orders',
  fields: { OrderId: { source: '_source.OrderId', target: '_order.OrderId' } },
  removalPolicy: RemovalPolicy.DESTROY,
});
if (process.env.RECS) {
  new Recommender(team, 'ForYou', {
    domain,
    recommenderName: 'for-you',
    recipe: process.env.FAIL_RECIPE ? RecommenderRecipe.of(process.env.FAIL_RECIPE) : RecommenderRecipe.RECOMMENDED_FOR_YOU,
    events: [{ eventType: 'purchase' }],
    removalPolicy: RemovalPolicy.DESTROY,
  });
}
app.synth();
