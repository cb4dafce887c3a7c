import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { BUNDLED_HANDLER_PATH, emptyState, LocalDeployment } from '../../src/deploy';
import { planApp, ResourcePlan } from '../../src/plan';
import { planDriftApp, startDeployment } from '../helpers/plan-drift-app';

/** `plan`: cloudformation-diff's rendering of each stack, with the handler's decisions under our updated resources. */

beforeAll(() => {
  if (!fs.existsSync(BUNDLED_HANDLER_PATH)) {
    execFileSync(process.execPath, [path.join(__dirname, '..', '..', '..', 'scripts', 'bundle-handler.mjs')], { stdio: 'ignore' });
  }
});

let local: LocalDeployment;
beforeAll(async () => {
  local = await startDeployment();
  const result = await local.deploy(planDriftApp());
  expect(result.stacks.map((s) => s.status)).toEqual(['CREATE_COMPLETE', 'CREATE_COMPLETE']);
}, 60_000);
afterAll(async () => {
  await local?.emulator.stop();
});

function change(plan: ReturnType<typeof planApp>, stack: string, type: string): ResourcePlan {
  const found = plan.stacks.find((s) => s.stackName === stack)?.changes.find((c) => c.resourceType === type);
  if (!found) throw new Error(`no ${type} in ${stack}`);
  return found;
}

test('a new app: every stack is new, rendered as cdk diff does, without decisions', () => {
  const plan = planApp(planDriftApp(), emptyState());
  expect(plan.stacks.map((s) => [s.stackName, s.action])).toEqual([['SharedCustomers', 'create'], ['Personalization', 'create']]);
  expect(plan.text).toMatch(/^Stack SharedCustomers \(new stack\)$/m);
  expect(plan.text).toMatch(/^\[\+\] Custom::CustomerProfilesDomain Customers6955EA0A$/m);
  expect(plan.text).not.toMatch(/↳/);
  // No terminal colours unless asked.
  expect(plan.text).not.toMatch(/\u001b\[/);
});

test('no change: "There were no differences", and no decisions', () => {
  const plan = planApp(planDriftApp(), local.state);
  expect(plan.stacks.map((s) => s.action)).toEqual(['no-change', 'no-change']);
  expect(plan.text).toMatch(/^Stack SharedCustomers\nThere were no differences$/m);
});

test('a recommender\'s TrainingFrequency 7 -> 14: the member that changes, and "update in place" + "retrains" from the handler', () => {
  const plan = planApp(planDriftApp({ trainingDays: 14 }), local.state);
  const recommender = change(plan, 'Personalization', 'Custom::CustomerProfilesRecommender');
  expect(recommender.action).toBe('update');
  // The Config of the other stack's domain is an import: resolved from the state's exports.
  expect(recommender.unresolved).toBeUndefined();
  expect(recommender.decisions?.map((d) => d.kind)).toEqual(['update-in-place', 'retrain']);
  expect(plan.text).toMatch(/^\[~\] Custom::CustomerProfilesRecommender ForYou[0-9A-F]{8}$/m);
  expect(plan.text).toMatch(/TrainingFrequency/);
  expect(plan.text).toMatch(/\[-\] 7\b/);
  expect(plan.text).toMatch(/\[\+\] 14\b/);
  expect(plan.text).toMatch(/ {4}↳ update in place \(RecommenderConfig\): UpdateRecommender/);
  expect(plan.text).toMatch(/ {4}↳ retrains \(RecommenderConfig\): /);
  expect(change(plan, 'SharedCustomers', 'Custom::CustomerProfilesDomain').action).toBe('no-change');
});

test('a domain\'s expiration 365 -> 30: an UpdateDomain of DefaultExpirationDays, no wait for the data store it already has', () => {
  const plan = planApp(planDriftApp({ expirationDays: 30 }), local.state);
  const domain = change(plan, 'SharedCustomers', 'Custom::CustomerProfilesDomain');
  expect(domain.decisions).toEqual([{ kind: 'update-in-place', fields: ['DefaultExpirationDays'], reason: expect.any(String) }]);
  expect(plan.text).toMatch(/DefaultExpirationDays/);
  expect(plan.text).toMatch(/↳ update in place \(DefaultExpirationDays\)/);
});

test('tags of an object type: "tags only"', () => {
  const plan = planApp(planDriftApp({ orderTags: { team: 'checkout' } }), local.state);
  expect(change(plan, 'Personalization', 'Custom::CustomerProfilesDomainObjectType').decisions?.map((d) => d.kind)).toEqual(['tags']);
  expect(plan.text).toMatch(/↳ tags only \(Tags\)/);
});

test('a value known only at deploy: the plan says so instead of guessing', () => {
  const stacks = planDriftApp({ trainingDays: 14 });
  // A state without the domain stack's exports: the import cannot be resolved before the deploy.
  const state = { ...local.state, stacks: { Personalization: local.state.stacks.Personalization } };
  const plan = planApp(stacks.filter((s) => s.stackName === 'Personalization'), state);
  const recommender = change(plan, 'Personalization', 'Custom::CustomerProfilesRecommender');
  expect(recommender.decisions).toBeUndefined();
  expect(recommender.unresolved).toMatch(/depends on export .+, a value known at deploy/);
  expect(plan.text).toMatch(/↳ decided at deploy: depends on export /);
});
