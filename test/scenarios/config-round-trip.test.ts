import { App, CfnParameter, Duration, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { domainConfig, domainObjectTypeConfig, recommenderConfig, segmentDefinitionConfig } from '../../lambda/config';
import { onEvent } from '../../lambda/index';
import { Emulator } from '../../local/src/emulator';
import {
  ConflictResolvingModel, ContentType, DataStore, DimensionType, Domain, DomainObjectType, Recommender, RecommenderRecipe,
  SegmentDefinition, SegmentDimension, SegmentQuery,
} from '../../src';
import { ConfigTypes, ResourceTypes } from '../../src/private/contract';
import { cfnStringify, wireProperties } from '../helpers/cfn-wire';
import { startEmulator, stopEmulator } from '../helpers/handler-emulator';
import { createEvent, updateEvent, writeOperations } from '../helpers/handler-events';

/**
 * The desired state as structured resource properties (issue #17 item 1): what the constructs
 * synthesize, after CloudFormation has turned its numbers and booleans into strings, reads back
 * in the handler as the typed Config; tokens land in their own field; and the update that moves
 * a stack from the legacy `Config` JSON string to the structured form changes nothing.
 */

type Json = Record<string, any>;
const ENV = { account: '111122223333', region: 'eu-west-1' };

const PARSERS: Record<string, (properties: Json) => unknown> = {
  [ResourceTypes.DOMAIN]: domainConfig,
  [ResourceTypes.DOMAIN_OBJECT_TYPE]: domainObjectTypeConfig,
  [ResourceTypes.RECOMMENDER]: recommenderConfig,
  [ResourceTypes.SEGMENT_DEFINITION]: segmentDefinitionConfig,
};

/** The Config members of every custom resource of `type` in the stack's template (all properties but ServiceToken). */
function membersOf(stack: Stack, type: string): Json[] {
  return Object.values(Template.fromStack(stack).findResources(type)).map((r) => {
    const { ServiceToken: _token, ...members } = r.Properties;
    return members;
  });
}

/** One stack that sets every number and boolean member of every Config (AdoptExisting included). */
function everyMemberStack(): Stack {
  const stack = new Stack(new App(), 'Stack', { env: ENV });
  const domain = new Domain(stack, 'Customers', {
    domainName: 'customers',
    defaultExpiration: Duration.days(30),
    dataStore: DataStore.enabled({ waitForReadiness: false }),
    matching: { autoMerging: { conflictResolution: { model: ConflictResolvingModel.RECENCY }, minAllowedConfidenceScoreForMerging: 0.8 } },
    ruleBasedMatching: { rules: [['EmailAddress']], maxAllowedRuleLevelForMerging: 1, maxAllowedRuleLevelForMatching: 2 },
    adoptExisting: true,
  });
  new DomainObjectType(stack, 'Orders', {
    domain,
    objectTypeName: 'orders',
    fields: { id: { source: '_source.Id', target: '_order.Id', contentType: ContentType.STRING } },
    adoptExisting: true,
  });
  new Recommender(stack, 'ForYou', {
    domain,
    recommenderName: 'for-you',
    recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU,
    events: [{ eventType: 'purchase', weight: 1, valueThreshold: 10 }, { eventType: 'click', weight: 0.25 }],
    trainingFrequency: Duration.days(7),
    minProvisionedTps: 5,
    enabled: false,
    waitForActive: false,
    adoptExisting: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  new SegmentDefinition(stack, 'BigSpenders', {
    domain,
    segmentDefinitionName: 'big-spenders',
    displayName: 'Big spenders',
    query: SegmentQuery.groups({
      groups: [{
        dimensions: [SegmentDimension.calculatedAttribute('_total_spend', DimensionType.GREATER_THAN, ['1000'], {
          rangeOverride: { start: Duration.days(90), end: Duration.days(7) },
        })],
      }],
    }),
    validateBeforeCreate: false,
    adoptExisting: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  return stack;
}

/** Paths of the number and boolean leaves of `value`, with list indexes (`a.b[0].c`). */
function scalarPaths(value: unknown, at = ''): string[] {
  if (typeof value === 'number' || typeof value === 'boolean') return [at];
  if (Array.isArray(value)) return value.flatMap((item, i) => scalarPaths(item, `${at}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => scalarPaths(v, at === '' ? k : `${at}.${k}`));
  }
  return [];
}

/** A ConfigTypes path as a pattern over concrete paths (`[]` any index, `*` any map key). */
function pathPattern(schemaPath: string): RegExp {
  const escaped = schemaPath.split('.').map((step) => {
    const list = step.endsWith('[]');
    const key = list ? step.slice(0, -2) : step;
    return (key === '*' ? '[^.\\[]+' : key.replace(/[$()*+?[\]\\^{|}]/g, '\\$&')) + (list ? '\\[\\d+\\]' : '');
  });
  return new RegExp(`^${escaped.join('\\.')}$`);
}

describe('both directions: synthesized members -> CloudFormation strings -> handler -> the typed Config', () => {
  const stack = everyMemberStack();

  test.each(Object.keys(PARSERS))('%s', (type) => {
    const [members] = membersOf(stack, type);
    expect(members).toBeDefined();
    const onTheWire = wireProperties('token', members);
    // CloudFormation's rule, as the engine plays it: no number or boolean is left.
    expect(scalarPaths(onTheWire)).toEqual([]);
    expect(PARSERS[type](onTheWire)).toEqual(members);
    // The same state in the legacy JSON string (typed values) reads the same.
    expect(PARSERS[type]({ ServiceToken: 'token', Config: JSON.stringify(members) })).toEqual(members);
  });

  test.each(Object.keys(PARSERS))('%s: the type table lists exactly the number and boolean members', (type) => {
    const [members] = membersOf(stack, type);
    const patterns = Object.keys(ConfigTypes[type]).map((p) => [p, pathPattern(p)] as const);
    const leaves = scalarPaths(members);
    // Every typed member is restored ...
    expect(leaves.filter((leaf) => !patterns.some(([, re]) => re.test(leaf)))).toEqual([]);
    // ... and every path of the table is one the constructs write (set in this stack).
    expect(patterns.filter(([, re]) => !leaves.some((leaf) => re.test(leaf))).map(([p]) => p)).toEqual([]);
    // Each listed member has the type the table says.
    for (const leaf of leaves) {
      const [, type_] = Object.entries(ConfigTypes[type]).find(([p]) => pathPattern(p).test(leaf))!;
      const value = leaf.split(/\.|\[(\d+)\]/).filter((s) => s !== undefined && s !== '').reduce((v: any, k) => v[k], members);
      expect([leaf, typeof value]).toEqual([leaf, type_]);
    }
  });

  test('a string that looks like a number or a boolean stays a string where the Config has a string', () => {
    const members = membersOf(stack, ResourceTypes.RECOMMENDER)[0];
    const parsed = recommenderConfig(wireProperties('token', { ...members, Description: '42', RecommenderSchemaName: 'true' }));
    expect(parsed).toMatchObject({ Description: '42', RecommenderSchemaName: 'true' });
  });

  test('a value that is not one is refused with the member\'s path, never the value', () => {
    const members = membersOf(stack, ResourceTypes.SEGMENT_DEFINITION)[0];
    const groups = JSON.parse(JSON.stringify(members.SegmentGroups));
    groups.Groups[0].Dimensions[0].CalculatedAttributes._total_spend.ConditionOverrides.Range.Start = 'ninety secret days';
    expect(() => segmentDefinitionConfig(wireProperties('token', { ...members, SegmentGroups: groups }))).toThrow(
      "Segment definition 'customers/big-spenders': SegmentGroups.Groups[0].Dimensions[0].CalculatedAttributes._total_spend.ConditionOverrides.Range.Start must be a number, got a string.",
    );
    const recommender = membersOf(stack, ResourceTypes.RECOMMENDER)[0];
    const withBadWeight = JSON.parse(JSON.stringify(cfnStringify(recommender)));
    withBadWeight.RecommenderConfig.EventsConfig.EventParametersList[1].EventWeight = 'heavy';
    expect(() => recommenderConfig(withBadWeight)).toThrow(/RecommenderConfig\.EventsConfig\.EventParametersList\[1\]\.EventWeight must be a number, got a string\.$/);
    expect(() => domainConfig(wireProperties('token', { ...membersOf(stack, ResourceTypes.DOMAIN)[0], WaitForDataStore: 'maybe' })))
      .toThrow("Domain 'customers': WaitForDataStore must be true or false, got a string.");
  });

  test('templates without tags carry no Tags property; Tags.of() adds one at synthesis', () => {
    const [domain] = membersOf(stack, ResourceTypes.DOMAIN);
    expect(Object.keys(domain)).not.toContain('Tags');
    expect(Object.keys(domain)).not.toContain('Config');

    const tagged = everyMemberStack();
    Tags.of(tagged).add('team', 'crm');
    for (const type of Object.keys(PARSERS)) {
      const [members] = membersOf(tagged, type);
      expect([type, members.Tags]).toEqual([type, { team: 'crm' }]);
      expect(PARSERS[type](wireProperties('token', members))).toMatchObject({ Tags: { team: 'crm' } });
    }
  });
});

/** The template value with `Ref`s and `Fn::ImportValue`s replaced by what CloudFormation resolves them to. */
function resolveIntrinsics(value: unknown, values: Record<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveIntrinsics(v, values));
  if (value === null || typeof value !== 'object') return value;
  const o = value as Json;
  if (typeof o.Ref === 'string' && o.Ref in values) return values[o.Ref];
  if (typeof o['Fn::ImportValue'] === 'string' && o['Fn::ImportValue'] in values) return values[o['Fn::ImportValue']];
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, resolveIntrinsics(v, values)]));
}

describe('with tokens', () => {
  test('a parameter number and a Ref\'d domain name land in their own fields; the handler reads the resolved strings', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const days = new CfnParameter(stack, 'Days', { type: 'Number' });
    const name = new CfnParameter(stack, 'DomainName');
    const domain = Domain.fromDomainName(stack, 'Imported', name.valueAsString);
    new Recommender(stack, 'ForYou', {
      domain,
      recommenderName: 'for-you',
      recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU,
      trainingFrequency: Duration.days(days.valueAsNumber),
    });
    const [members] = membersOf(stack, ResourceTypes.RECOMMENDER);
    expect(members.DomainName).toEqual({ Ref: 'DomainName' });
    expect(members.RecommenderConfig.TrainingFrequency).toEqual({ Ref: 'Days' });

    const deployed = wireProperties('token', resolveIntrinsics(members, { Days: '14', DomainName: 'customers' }) as Json);
    expect(recommenderConfig(deployed)).toMatchObject({ DomainName: 'customers', RecommenderConfig: { TrainingFrequency: 14 } });
  });

  test('a domain of another stack is an Fn::ImportValue in DomainName alone', () => {
    const app = new App();
    const platform = new Stack(app, 'Platform', { env: ENV });
    const domain = new Domain(platform, 'Customers', { domainName: 'customers', dataStore: DataStore.enabled() });
    const team = new Stack(app, 'Team', { env: ENV });
    new Recommender(team, 'ForYou', { domain, recommenderName: 'for-you', recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU });
    const [members] = membersOf(team, ResourceTypes.RECOMMENDER);
    const exportName = members.DomainName['Fn::ImportValue'];
    expect(typeof exportName).toBe('string');
    expect(JSON.stringify({ ...members, DomainName: undefined })).not.toContain('Fn::ImportValue');

    const deployed = wireProperties('token', resolveIntrinsics(members, { [exportName]: 'customers' }) as Json);
    expect(recommenderConfig(deployed)).toMatchObject({ DomainName: 'customers', RecommenderName: 'for-you', Enabled: true, WaitForActive: true });
  });
});

describe('stacks deployed with the legacy Config string', () => {
  let emu: Emulator;
  beforeEach(async () => { emu = await startEmulator(); });
  afterEach(async () => { await stopEmulator(emu); });

  /** A domain's members as the construct synthesizes them (typed, as in the template). */
  function domainMembers(days: number): Json {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    new Domain(stack, 'Customers', { domainName: 'customers', defaultExpiration: Duration.days(days), dataStore: DataStore.disabled() });
    return membersOf(stack, ResourceTypes.DOMAIN)[0];
  }

  test('the update to the structured form of the same state makes no call; one changed member makes the one update', async () => {
    const before = domainMembers(365);
    // What the previous version wrote: the same members as one JSON string.
    const legacy = JSON.stringify(before);
    await onEvent(createEvent(ResourceTypes.DOMAIN, legacy));
    emu.resetRequests();

    const same = await onEvent(updateEvent(ResourceTypes.DOMAIN, 'customers', before, legacy));
    expect(same.PhysicalResourceId).toBe('customers');
    expect(emu.requests).toEqual([]);

    const changed = await onEvent(updateEvent(ResourceTypes.DOMAIN, 'customers', domainMembers(30), legacy));
    expect(changed.PhysicalResourceId).toBe('customers');
    expect(writeOperations(emu)).toEqual(['UpdateDomain']);
    expect(emu.requests.filter((r) => r.operation === 'UpdateDomain')).toHaveLength(1);
    expect(emu.state.domain('customers')).toMatchObject({ DefaultExpirationDays: 30 });
  });
});
