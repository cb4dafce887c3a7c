import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { onEvent } from '../../lambda/index';
import { BUNDLED_HANDLER_PATH, LocalDeployment } from '../../local/src/deploy';
import { Emulator } from '../../local/src/emulator';
import { DataStore } from '../../src/data-store';
import { Domain } from '../../src/domain';
import { Recommender, RecommenderOptions, RecommenderRecipe } from '../../src/recommender';
import { onlyConfig, ownedDomainStack } from '../helpers/child-constructs';
import { stopEmulator } from '../helpers/handler-emulator';
import { createEvent, deleteEvent, deploy, updateEvent, writeOperations } from '../helpers/handler-events';
import { MINUTE, RECOMMENDER, startWithDomain } from '../helpers/handler-recommender';

/**
 * Generated recommender names (issue #13, case 5): the recipe and the schema cannot change in
 * place, so a generated name includes a hash of them, and such a change replaces the recommender
 * under a new name instead of being refused.
 */

/** The Config the construct writes for a recommender with these options. */
function synthConfig(options: Partial<RecommenderOptions> = {}, id = 'ForYou'): Record<string, any> {
  const { stack, domain } = ownedDomainStack();
  new Recommender(stack, id, { domain, recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU, ...options });
  return onlyConfig(Template.fromStack(stack), RECOMMENDER);
}

function nameOf(options: Partial<RecommenderOptions> = {}, id?: string): string {
  return synthConfig(options, id).RecommenderName;
}

describe('generated names', () => {
  test('change with the recipe and with the schema', () => {
    const base = nameOf();
    expect(nameOf({ recipe: RecommenderRecipe.POPULAR_ITEMS })).not.toBe(base);
    expect(nameOf({ recommenderSchemaName: 'retail' })).not.toBe(base);
    expect(nameOf({ recommenderSchemaName: 'retail' })).not.toBe(nameOf({ recommenderSchemaName: 'outlet' }));
  });

  test('stay the same for what changes in place', () => {
    const base = nameOf();
    expect(nameOf()).toBe(base);
    expect(nameOf({
      events: [{ eventType: 'purchase' }],
      trainingFrequency: Duration.days(3),
      minProvisionedTps: 2,
      includedColumns: { _catalogItem: ['Category'] },
      description: 'Home page',
      enabled: false,
      waitForActive: false,
      timeout: Duration.minutes(20),
      tags: { team: 'crm' },
    })).toBe(base);
  });

  test('are unique per construct path and valid names of at most 64 characters', () => {
    expect(nameOf({}, 'Other')).not.toBe(nameOf());
    const long = nameOf({}, 'A'.repeat(200));
    expect(long.length).toBeLessThanOrEqual(64);
    for (const name of [long, nameOf(), nameOf({ recipe: RecommenderRecipe.of('next-best-action') })]) {
      expect(name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    }
    expect(nameOf()).toContain('ForYou');
  });

  test('an explicit name is used as given', () => {
    expect(nameOf({ recommenderName: 'for-you', recipe: RecommenderRecipe.POPULAR_ITEMS })).toBe('for-you');
  });
});

describe('a recipe change on a generated name', () => {
  let emu: Emulator;
  beforeEach(async () => {
    emu = await startWithDomain();
  });
  afterEach(async () => {
    await stopEmulator(emu);
  });

  test('is a replacement the handler accepts; the old recommender is deleted in the cleanup', async () => {
    const before = synthConfig();
    const after = synthConfig({ recipe: RecommenderRecipe.POPULAR_ITEMS });
    await deploy(emu, createEvent(RECOMMENDER, before), { stepMs: MINUTE });
    emu.resetRequests();

    const replaced = await deploy(emu, updateEvent(RECOMMENDER, `customers/${before.RecommenderName}`, after, before), { stepMs: MINUTE });
    expect(replaced.onEvent.PhysicalResourceId).toBe(`customers/${after.RecommenderName}`);
    expect(writeOperations(emu)).toEqual(['CreateRecommender']);

    // CloudFormation deletes the old physical id: it carries this logical resource's marker.
    await deploy(emu, deleteEvent(RECOMMENDER, `customers/${before.RecommenderName}`, before));
    expect(emu.state.recommender('customers', before.RecommenderName)).toBeUndefined();
    expect(emu.state.recommender('customers', after.RecommenderName)).toMatchObject({ RecommenderRecipeName: 'popular-items', Status: 'ACTIVE' });
  });

  test('under an explicit name is refused with advice that works', async () => {
    const before = synthConfig({ recommenderName: 'for-you' });
    const after = synthConfig({ recommenderName: 'for-you', recipe: RecommenderRecipe.POPULAR_ITEMS });
    const err = await onEvent(updateEvent(RECOMMENDER, 'customers/for-you', after, before)).catch((e: Error) => e);
    expect((err as Error).message).toBe("Recommender 'customers/for-you': changing the recipe or schema needs a new recommender, "
      + 'and its name did not change. Give it a new recommenderName, or remove recommenderName: generated names include a hash '
      + 'of the recipe and schema, so the recommender is then replaced under a new name.');
  });
});

describe('through the local deploy engine', () => {
  beforeAll(() => {
    if (!fs.existsSync(BUNDLED_HANDLER_PATH)) {
      execFileSync(process.execPath, [path.join(__dirname, '..', '..', 'scripts', 'bundle-handler.mjs')], { stdio: 'ignore' });
    }
  });

  /** The domain in one stack, the recommender (generated name) in another: its policy names it by its exact ARN. */
  function app(recipe: RecommenderRecipe): App {
    const a = new App();
    const shared = new Stack(a, 'SharedCustomers');
    const domain = new Domain(shared, 'Customers', { domainName: 'customers', dataStore: DataStore.enabled(), removalPolicy: RemovalPolicy.DESTROY });
    const team = new Stack(a, 'TeamRecs');
    new Recommender(team, 'ForYou', { domain, recipe, events: [{ eventType: 'purchase' }], waitForActive: false });
    return a;
  }

  test('a recipe change replaces the recommender under a new name, and the cleanup deletes the old one', async () => {
    const local = await LocalDeployment.start({ fast: 3000 });
    try {
      const first = await local.deploy(app(RecommenderRecipe.RECOMMENDED_FOR_YOU));
      expect(first.success).toBe(true);
      const logicalId = Object.keys(local.state.stacks.TeamRecs.resources).find((id) => id.startsWith('ForYou'))!;
      const before = local.state.stacks.TeamRecs.resources[logicalId].physicalId;
      const changed = await local.deploy(app(RecommenderRecipe.POPULAR_ITEMS));
      expect(changed.success).toBe(true);
      expect(changed.stacks.find((s) => s.stackName === 'TeamRecs')?.replaced).toEqual([logicalId]);
      const after = local.state.stacks.TeamRecs.resources[logicalId].physicalId;
      expect(after).not.toBe(before);
      expect(local.emulator.state.recommender('customers', before.split('/')[1])).toBeUndefined();
      expect(local.emulator.state.recommender('customers', after.split('/')[1])).toMatchObject({ RecommenderRecipeName: 'popular-items' });
    } finally {
      await local.stop();
    }
  }, 60_000);
});
