import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Tags } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as source from '../../lambda/index';
import { BUNDLED_HANDLER_PATH, CustomResourceHandler, DeployResult, formatEvent, LocalDeployment } from '../../local/src/deploy';
import { Clock, Emulator, NO_TRAINING_REQUIREMENTS } from '../../local/src/emulator';
import {
  DataStore, DimensionType, Domain, DomainObjectType, Recommender, RecommenderRecipe, SegmentDefinition, SegmentDimension, SegmentQuery,
} from '../../src';
import { ENDPOINT_ENV } from '../../src/private/contract';
import { captureOutput } from '../helpers/handler-events';
import {
  CapturingBundleHandler, DOMAIN, outcome, reliabilityApp, SECRET_DESCRIPTION, SECRET_SQL, sourceHandler, STACK,
} from '../helpers/reliability-harness';

/**
 * Sensitive data: segment SQL, segment groups and descriptions are customer data (the service
 * model marks them sensitive). A full lifecycle of every resource type, successful and failing,
 * writes none of them to a log line, a stack event or a failure reason; the Provider framework's
 * functions (which log whole events) are held at log level FATAL; and responses to
 * CloudFormation stay under 4096 bytes with maximal inputs.
 */

jest.setTimeout(120_000);

const SECRET_GROUP_VALUE = 'obsidian-tier-55d1';
const SECRET_OBJECT_TYPE_DESCRIPTION = 'Orders incl. private notes 3b7e';
const SECRET_RECOMMENDER_DESCRIPTION = 'Recommender for VIP list 8d2a';
const SECRETS = [SECRET_SQL, SECRET_DESCRIPTION, SECRET_GROUP_VALUE, SECRET_OBJECT_TYPE_DESCRIPTION, SECRET_RECOMMENDER_DESCRIPTION];

beforeAll(() => {
  if (!fs.existsSync(BUNDLED_HANDLER_PATH)) {
    execFileSync(process.execPath, [path.join(__dirname, '..', '..', 'scripts', 'bundle-handler.mjs')], { stdio: 'ignore' });
  }
});

/** Every resource type with each sensitive member set; `version` changes them all (an update). */
function sensitiveApp(version: number, only: { recommender?: number; segment?: number } = {}): App {
  const app = reliabilityApp({
    objectTypeDescription: `${SECRET_OBJECT_TYPE_DESCRIPTION} v${version}`,
    recommenderDescription: `${SECRET_RECOMMENDER_DESCRIPTION} v${only.recommender ?? version}`,
    segmentDisplayName: `Gold tier v${only.segment ?? version}`,
  });
  const groupsVersion = only.recommender !== undefined || only.segment !== undefined ? 2 : version;
  const stack = app.node.findChild(STACK) as Stack;
  const domain = stack.node.findChild('Customers') as Domain;
  new SegmentDefinition(stack, 'Obsidian', {
    domain,
    segmentDefinitionName: 'obsidian',
    displayName: 'Obsidian',
    description: `${SECRET_DESCRIPTION} (groups) v${groupsVersion}`,
    query: SegmentQuery.groups({ groups: [{ dimensions: [SegmentDimension.customAttribute('tier', DimensionType.INCLUSIVE, [SECRET_GROUP_VALUE])] }] }),
  });
  return app;
}

function expectNoSecret(where: string, text: string): void {
  for (const secret of SECRETS) {
    expect({ where, found: text.includes(secret) ? secret : undefined }).toEqual({ where, found: undefined });
  }
}

const HANDLERS: Array<[string, (emu: Emulator) => CustomResourceHandler & { stop?: () => Promise<void>; output?: string }]> = [
  ['the handler source, in process', () => sourceHandler()],
  ['the shipped bundle, in its own process', (emu) => new CapturingBundleHandler({ [ENDPOINT_ENV]: emu.endpoint, AWS_REGION: 'us-east-1' })],
];

describe.each(HANDLERS)('no sensitive value reaches a log line, an event or a reason (%s)', (_name, makeHandler) => {
  test('create, update, failed update with the service echoing the values, and destroy', async () => {
    // One stack with domain and recommender, and injected faults: no data to ingest (see reliability-harness.ts).
    const emu = await Emulator.start({
      clock: Clock.manual(), timing: { dataStoreReadySeconds: 60, recommenderTrainingSeconds: 300 }, training: NO_TRAINING_REQUIREMENTS,
    });
    const handler = makeHandler(emu);
    const local = await LocalDeployment.start({ emulator: emu, handler });
    const results: DeployResult[] = [];
    const { output, error } = await captureOutput(async () => {
      results.push(await local.deploy(sensitiveApp(1)));
      results.push(await local.deploy(sensitiveApp(2)));
      // The service rejects the next updates and echoes the request's sensitive values back in its
      // message (one resource changes at a time, so each fault hits that resource's request).
      emu.faults.add({ operation: 'UpdateRecommender', times: 1, error: 'BadRequestException', message: `Bad description ${SECRET_RECOMMENDER_DESCRIPTION} v3` });
      results.push(await local.deploy(sensitiveApp(2, { recommender: 3 })));
      emu.faults.add({ operation: 'CreateSegmentEstimate', times: 1, error: 'BadRequestException', message: `Cannot parse: ${SECRET_SQL}` });
      results.push(await local.deploy(sensitiveApp(2, { segment: 3 })));
      results.push(await local.destroy());
    });
    const logs = output + ((handler as { output?: string }).output ?? '');
    await handler.stop?.();
    await local.stop();
    await emu.stop();
    expect(error).toBeUndefined();

    expect(results.map((r) => outcome(r).status)).toEqual(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', 'DELETE_COMPLETE']);
    // The handler did log (one JSON line per step): the capture works.
    expect(logs).toContain('"resourceType":"Custom::CustomerProfilesSegmentDefinition"');
    expect(logs).toContain('"operation":"CreateSegmentEstimate"');
    expectNoSecret('handler and engine output', logs);
    const events = results.flatMap((r) => r.events);
    expectNoSecret('stack events', events.map((e) => formatEvent(e)).join('\n'));
    expectNoSecret('stack events (JSON)', JSON.stringify(events));
    const reasons = results.map((r) => outcome(r).reason ?? '').join('\n');
    expectNoSecret('failure reasons', reasons);
    // The echoed values became <redacted> in what the user sees.
    expect(reasons).toContain('<redacted>');
    const failures = events.map((e) => formatEvent(e)).filter((l) => l.includes('_FAILED'));
    expect(failures.find((l) => l.includes(`Segment definition '${DOMAIN}/gold'`))).toContain('Cannot parse: <redacted>');
    expect(failures.find((l) => l.includes(`Recommender '${DOMAIN}/for-you'`))).toContain('Bad description <redacted>');
  });
});

describe('the Provider framework', () => {
  function template(): Template {
    const stack = new Stack(new App(), 'S');
    new Domain(stack, 'Customers');
    return Template.fromStack(stack);
  }

  test('its three functions log at level FATAL only, in JSON (so Lambda filters the whole-event lines)', () => {
    const fns = Object.entries(template().findResources('AWS::Lambda::Function')).filter(([id]) => /framework/.test(id));
    expect(fns.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
      'CustomerProfilesProviderframeworkisComplete', 'CustomerProfilesProviderframeworkonEvent', 'CustomerProfilesProviderframeworkonTimeout',
    ]);
    for (const [, fn] of fns) {
      expect(fn.Properties.LoggingConfig).toEqual({ ApplicationLogLevel: 'FATAL', LogFormat: 'JSON' });
    }
  });

  test('its waiter state machine does not log execution data', () => {
    const machines = Object.values(template().findResources('AWS::StepFunctions::StateMachine'));
    expect(machines).toHaveLength(1);
    const logging = machines[0].Properties.LoggingConfiguration;
    expect(logging === undefined || logging.IncludeExecutionData === false).toBe(true);
  });

  test('no function environment carries a resource property', () => {
    const stack = new Stack(new App(), 'S');
    const domain = new Domain(stack, 'Customers', { dataStore: DataStore.enabled() });
    new SegmentDefinition(stack, 'Gold', { domain, displayName: 'Gold', description: SECRET_DESCRIPTION, query: SegmentQuery.sql(SECRET_SQL) });
    for (const fn of Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'))) {
      expectNoSecret('function environment', JSON.stringify(fn.Properties.Environment ?? {}));
    }
  });
});

describe('responses to CloudFormation stay under 4096 bytes with maximal inputs', () => {
  test('every resource type with 64-character names, maximal descriptions, 49 tags (the most a user may set: the owner marker is the 50th) and 50000 characters of SQL', async () => {
    const long = (n: number, c: string) => c.repeat(n);
    const app = new App();
    const stack = new Stack(app, 'Maximal');
    const domainName = long(64, 'd');
    const domain = new Domain(stack, 'Customers', { domainName, dataStore: DataStore.enabled() });
    const objectType = new DomainObjectType(stack, 'Orders', {
      domain, objectTypeName: long(255, 'o'), description: long(10000, 'x'), fields: { [long(64, 'F')]: { source: long(1000, 's'), target: long(1000, 't') } },
    });
    const recommender = new Recommender(stack, 'ForYou', {
      domain,
      recommenderName: long(64, 'r'),
      recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU,
      description: long(1000, 'x'),
      events: Array.from({ length: 10 }, (_, i) => ({ eventType: `${i}${long(255, 'e')}` })),
    });
    const where = ` WHERE _profile.Attributes.tier = '${''}`;
    const sqlHead = `SELECT * FROM _profile${where}`;
    const sql = `${sqlHead}${long(50000 - sqlHead.length - 1, 'q')}'`;
    expect(sql).toHaveLength(50000);
    const segment = new SegmentDefinition(stack, 'Gold', {
      domain, segmentDefinitionName: long(64, 'g'), displayName: long(255, 'n'), description: long(4000, 'x'), query: SegmentQuery.sql(sql),
    });
    for (const scope of [domain, objectType, recommender, segment]) {
      for (let i = 0; i < 49; i++) Tags.of(scope).add(`${String(i).padStart(2, '0')}${long(126, 'k')}`, long(256, 'v'));
    }

    const emu = await Emulator.start({ clock: Clock.manual(), training: NO_TRAINING_REQUIREMENTS });
    const sizes: Record<string, number> = {};
    const recorded: CustomResourceHandler = {
      async onEvent(e) {
        return (await source.onEvent(e as never)) as never;
      },
      async isComplete(e) {
        const r = await source.isComplete(e as never);
        if (r.IsComplete) {
          // The body the framework PUTs to CloudFormation: the request ids and the merged Data.
          const body = {
            Status: 'SUCCESS',
            Reason: 'SUCCESS',
            StackId: e.StackId,
            RequestId: e.RequestId,
            PhysicalResourceId: e.PhysicalResourceId,
            LogicalResourceId: e.LogicalResourceId,
            NoEcho: false,
            Data: { ...e.Data, ...r.Data },
          };
          sizes[e.ResourceType] = Math.max(sizes[e.ResourceType] ?? 0, JSON.stringify(body).length);
        }
        return r as never;
      },
    };
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const local = await LocalDeployment.start({ emulator: emu, handler: recorded });
    const result = await local.deploy(app);
    await local.stop();
    await emu.stop();
    jest.restoreAllMocks();
    expect(outcome(result)).toEqual({ status: 'CREATE_COMPLETE', reason: undefined });
    expect(Object.keys(sizes)).toHaveLength(4);
    for (const [type, size] of Object.entries(sizes)) {
      expect({ type, size, under: size < 4096 }).toEqual({ type, size, under: true });
    }
  });
});
