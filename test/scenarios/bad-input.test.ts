import { App, CfnParameter, Duration, Lazy, Stack, Tags } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  AttributeMatchingModel, ConflictResolvingModel, ContentType, DataStore, DayOfWeek, DimensionType, Domain,
  DomainObjectType, DomainObjectTypeProps, FeatureType, Integration, IntegrationObjectTypeMapping, IntegrationProps,
  ProfileAttribute, Recommender, RecommenderProps, RecommenderRecipe, SegmentDefinition, SegmentDefinitionProps,
  SegmentDimension, SegmentQuery, SortOrder,
} from '../../src';
import type { DomainProps } from '../../src';

/**
 * Bad input: every row is an invalid configuration of one construct, rejected at synth with a
 * message that names the construct path, the field, the rule and the value received. The second
 * table gives the same fields as tokens (CfnParameter, Lazy), which only deploy time can check:
 * they are accepted.
 */

const ENV = { account: '111122223333', region: 'eu-west-1' };
const PATH = 'Stack/Bad';

interface Fixture {
  readonly app: App;
  readonly stack: Stack;
  readonly domain: Domain;
}

function fixture(): Fixture {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: ENV });
  return { app, stack, domain: new Domain(stack, 'Customers', { domainName: 'customers', dataStore: DataStore.enabled() }) };
}

const long = (n: number, c = 'a') => c.repeat(n);
const manyTags = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));

function domain(props: DomainProps): (f: Fixture) => Construct {
  return (f) => new Domain(f.stack, 'Bad', props);
}
function objectType(props: Partial<DomainObjectTypeProps>): (f: Fixture) => Construct {
  return (f) => new DomainObjectType(f.stack, 'Bad', {
    domain: f.domain,
    fields: { Id: { source: '_source.Id', target: '_item.Id' } },
    ...props,
  });
}
/** A domain of this app created without a data store (the fixture's domain has one). */
function plainDomain(f: Fixture): Domain {
  return new Domain(f.stack, 'Plain', { domainName: 'plain' });
}
function recommender(props: Partial<RecommenderProps>, domainOf: (f: Fixture) => Domain = (f) => f.domain): (f: Fixture) => Construct {
  return (f) => new Recommender(f.stack, 'Bad', { domain: domainOf(f), recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU, ...props });
}
function segment(props: Partial<SegmentDefinitionProps>, domainOf: (f: Fixture) => Domain = (f) => f.domain): (f: Fixture) => Construct {
  return (f) => new SegmentDefinition(f.stack, 'Bad', {
    domain: domainOf(f),
    displayName: 'High value',
    query: SegmentQuery.sql("SELECT * FROM profiles WHERE Attributes.tier = 'gold'"),
    ...props,
  });
}
function integration(props: Partial<IntegrationProps>, defaults: Partial<IntegrationProps> = { uri: 'arn:aws:sqs:eu-west-1:111122223333:orders', objectTypeName: 'orders' }): (f: Fixture) => Construct {
  return (f) => new Integration(f.stack, 'Bad', { domain: f.domain, ...defaults, ...props });
}
/** Adds tags after construction (Tags.of is an aspect: the rule runs at synth). */
function tagged(build: (f: Fixture) => Construct, tags: Record<string, string>): (f: Fixture) => Construct {
  return (f) => {
    const c = build(f);
    for (const [k, v] of Object.entries(tags)) Tags.of(c).add(k, v);
    return c;
  };
}
function bucket(name: string): (f: Fixture) => s3.IBucket {
  return (f) => s3.Bucket.fromBucketName(f.stack, 'ExportBucket', name);
}

/** Builds the row's construct and synthesizes; returns the error message, or undefined when accepted. */
function synthError(build: (f: Fixture) => unknown): string | undefined {
  const f = fixture();
  try {
    build(f);
    Template.fromStack(f.stack);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

type Row = [name: string, build: (f: Fixture) => unknown, field: string, rule: string, value: string];

const SQL = 'SELECT * FROM profiles';
const dim = (values: string[]) => SegmentDimension.customAttribute('tier', DimensionType.INCLUSIVE, values);

const ROWS: Row[] = [
  // ------------------------------------------------------------------ Domain
  ['Domain: empty name', domain({ domainName: '' }), 'domainName', 'must be 1-64 characters long', "'' (0 characters)"],
  ['Domain: name of 65 characters', domain({ domainName: long(65) }), 'domainName', 'must be 1-64 characters long', `'${long(65)}' (65 characters)`],
  ['Domain: name with a space', domain({ domainName: 'my domain' }), 'domainName', 'must match ^[a-zA-Z0-9_-]+$', "'my domain'"],
  ['Domain: name with a dot', domain({ domainName: 'customers.prod' }), 'domainName', 'letters, digits, hyphens and underscores', "'customers.prod'"],
  ['Domain: expiration of 0 days', domain({ defaultExpiration: Duration.days(0) }), 'defaultExpiration (days)', 'must be between 1 and 1098', 'got 0'],
  ['Domain: expiration of 1099 days', domain({ defaultExpiration: Duration.days(1099) }), 'defaultExpiration (days)', 'must be between 1 and 1098', 'got 1099'],
  ['Domain: expiration of 36 hours', domain({ defaultExpiration: Duration.hours(36) }), 'defaultExpiration', 'must be a whole number of days', 'got 1.5'],
  ['Domain: readiness timeout of 30 s', domain({ dataStore: DataStore.enabled({ readinessTimeout: Duration.seconds(30) }) }),
    'dataStore.readinessTimeout (seconds)', 'must be between 60 and 3240', 'got 30'],
  ['Domain: readiness timeout of 1 hour', domain({ dataStore: DataStore.enabled({ readinessTimeout: Duration.hours(1) }) }),
    'dataStore.readinessTimeout (seconds)', 'must be between 60 and 3240', 'got 3600'],
  ['Domain: job schedule at 25:00', domain({ matching: { jobSchedule: { dayOfWeek: DayOfWeek.MONDAY, time: '25:00' } } }),
    'matching.jobSchedule.time', 'H:MM or HH:MM, 24-hour clock, UTC', "'25:00'"],
  ['Domain: empty consolidation', domain({ matching: { autoMerging: { consolidation: [] } } }),
    'matching.autoMerging.consolidation', 'must have 1-10 entries', 'got 0'],
  ['Domain: 21 consolidation attributes', domain({ matching: { autoMerging: { consolidation: [Array.from({ length: 21 }, (_, i) => `A${i}`)] } } }),
    'matching.autoMerging.consolidation[0]', 'must have 1-20 entries', 'got 21'],
  ['Domain: merge confidence 1.5', domain({ matching: { autoMerging: { minAllowedConfidenceScoreForMerging: 1.5 } } }),
    'matching.autoMerging.minAllowedConfidenceScoreForMerging', 'must be between 0 and 1', 'got 1.5'],
  ['Domain: RECENCY with a source name', domain({ matching: { autoMerging: { conflictResolution: { model: ConflictResolvingModel.RECENCY, sourceName: 'Orders' } } } }),
    'matching.autoMerging.conflictResolution.sourceName', 'is only used with the SOURCE model', "'Orders'"],
  ['Domain: no rules', domain({ ruleBasedMatching: { rules: [] } }), 'ruleBasedMatching.rules', 'must have 1-15 entries', 'got 0'],
  ['Domain: 16 rules', domain({ ruleBasedMatching: { rules: Array.from({ length: 16 }, () => ['EmailAddress']) } }),
    'ruleBasedMatching.rules', 'must have 1-15 entries', 'got 16'],
  ['Domain: empty attribute in a rule', domain({ ruleBasedMatching: { rules: [['']] } }),
    'ruleBasedMatching.rules[0][0]', 'must be 1-255 characters long', "'' (0 characters)"],
  ['Domain: merge rule level 0', domain({ ruleBasedMatching: { maxAllowedRuleLevelForMerging: 0 } }),
    'ruleBasedMatching.maxAllowedRuleLevelForMerging', 'must be between 1 and 15', 'got 0'],
  ['Domain: match rule level 2.5', domain({ ruleBasedMatching: { maxAllowedRuleLevelForMatching: 2.5 } }),
    'ruleBasedMatching.maxAllowedRuleLevelForMatching', 'must be a whole number', 'got 2.5'],
  ['Domain: 4 email attributes', domain({
    ruleBasedMatching: {
      attributeTypesSelector: { attributeMatchingModel: AttributeMatchingModel.ONE_TO_ONE, emailAddress: ['a', 'b', 'c', 'd'] },
    },
  }), 'ruleBasedMatching.attributeTypesSelector.emailAddress', 'must have 1-3 entries', 'got 4'],
  ['Domain: export bucket name with capitals', (f) => new Domain(f.stack, 'Bad', { matching: { exportTo: { bucket: bucket('My_Bucket')(f) } } }),
    'matching.exportTo.bucket (bucket name)', 'lower-case letters, digits, dots and hyphens', "'My_Bucket'"],
  ['Domain: export key name of 801 characters', (f) => new Domain(f.stack, 'Bad', {
    ruleBasedMatching: { exportTo: { bucket: bucket('exports')(f), keyName: long(801) } },
  }), 'ruleBasedMatching.exportTo.keyName', 'must be 1-800 characters long', 'a string of 801 characters'],
  ['Domain: tag key aws:', tagged(domain({}), { 'aws:owner': 'me' }), 'tags key', "must not start with 'aws:'", "'aws:owner'"],
  ['Domain: tag key of 129 characters', tagged(domain({}), { [long(129, 'k')]: 'v' }), 'tags key', 'must be 1-128 characters long', 'a string of 129 characters'],
  ['Domain: tag value of 257 characters', tagged(domain({}), { team: long(257) }), "tags['team']", 'must be at most 256 characters long', 'a string of 257 characters'],
  ['Domain: 51 tags', tagged(domain({}), manyTags(51)), 'tags', 'must have 0-49 entries', 'got 51'],

  // ------------------------------------------------------------------ DomainObjectType
  ['DomainObjectType: name starting with a digit', objectType({ objectTypeName: '1orders' }), 'objectTypeName',
    'must match ^[a-zA-Z_][a-zA-Z_0-9-]*$', "'1orders'"],
  ['DomainObjectType: name with !', objectType({ objectTypeName: 'orders!' }), 'objectTypeName', 'a letter or _, then letters, digits, _ or -', "'orders!'"],
  ['DomainObjectType: name of 256 characters', objectType({ objectTypeName: long(256) }), 'objectTypeName', 'must be 1-255 characters long', 'a string of 256 characters'],
  ['DomainObjectType: empty description', objectType({ description: '' }), 'description', 'must be 1-10000 characters long', "'' (0 characters)"],
  ['DomainObjectType: description of 10001 characters', objectType({ description: long(10001) }), 'description',
    'must be 1-10000 characters long', 'a string of 10001 characters'],
  ['DomainObjectType: field name with a space', objectType({ fields: { 'Order Id': { source: '_source.Id', target: '_order.Id' } } }),
    "fields key 'Order Id'", 'must match ^[a-zA-Z0-9_.-]+$', "'Order Id'"],
  ['DomainObjectType: field name of 65 characters', objectType({ fields: { [long(65, 'F')]: { source: '_source.Id', target: '_order.Id' } } }),
    'fields key', 'must be 1-64 characters long', `'${long(65, 'F')}' (65 characters)`],
  ['DomainObjectType: empty source', objectType({ fields: { Id: { source: '', target: '_order.Id' } } }),
    "fields['Id'].source", 'must be 1-1000 characters long', "'' (0 characters)"],
  ['DomainObjectType: target of 1001 characters', objectType({ fields: { Id: { source: '_source.Id', target: long(1001) } } }),
    "fields['Id'].target", 'must be 1-1000 characters long', 'a string of 1001 characters'],
  ['DomainObjectType: empty content type', objectType({ fields: { Id: { source: '_source.Id', target: '_order.Id', contentType: ContentType.of('') } } }),
    "fields['Id'].contentType", 'must be 1-64 characters long', "'' (0 characters)"],
  ['DomainObjectType: feature type of 65 characters', objectType({
    fields: { Id: { source: '_source.Id', target: '_order.Id', featureType: FeatureType.of(long(65, 'X')) } },
  }), "fields['Id'].featureType", 'must be 1-64 characters long', '(65 characters)'],
  ['DomainObjectType: tag key aws:', objectType({ tags: { 'aws:cost': 'x' } }), 'tags key', "must not start with 'aws:'", "'aws:cost'"],
  ['DomainObjectType: tag value of 300 characters', objectType({ tags: { team: long(300) } }), "tags['team']", 'must be at most 256 characters long', 'a string of 300 characters'],
  ['DomainObjectType: 51 tags', objectType({ tags: manyTags(51) }), 'tags', 'must have 0-49 entries', 'got 51'],
  ['DomainObjectType: aws: tag added later', tagged(objectType({}), { 'aws:later': 'x' }), 'tags key', "must not start with 'aws:'", "'aws:later'"],

  // ------------------------------------------------------------------ Recommender
  ['Recommender: name with a space', recommender({ recommenderName: 'for you' }), 'recommenderName', 'must match ^[a-zA-Z0-9_-]+$', "'for you'"],
  ['Recommender: name of 65 characters', recommender({ recommenderName: long(65) }), 'recommenderName', 'must be 1-64 characters long', '(65 characters)'],
  ['Recommender: recipe in capitals', recommender({ recipe: RecommenderRecipe.of('Recommended_For_You') }), 'recipe',
    'a recipe name such as recommended-for-you', "'Recommended_For_You'"],
  ['Recommender: empty description', recommender({ description: '' }), 'description', 'must be 1-1000 characters long', "'' (0 characters)"],
  ['Recommender: description of 1001 characters', recommender({ description: long(1001) }), 'description', 'must be 1-1000 characters long', 'a string of 1001 characters'],
  ['Recommender: no events', recommender({ events: [] }), 'events', 'must have 1-10 entries', 'got 0'],
  ['Recommender: 11 events', recommender({ events: Array.from({ length: 11 }, (_, i) => ({ eventType: `e${i}` })) }), 'events', 'must have 1-10 entries', 'got 11'],
  ['Recommender: empty event type', recommender({ events: [{ eventType: '' }] }), 'events[0].eventType', 'must be 1-256 characters long', "'' (0 characters)"],
  ['Recommender: event type of 257 characters', recommender({ events: [{ eventType: long(257) }] }), 'events[0].eventType',
    'must be 1-256 characters long', 'a string of 257 characters'],
  ['Recommender: repeated event type', recommender({ events: [{ eventType: 'purchase' }, { eventType: 'purchase' }] }), 'events[1].eventType',
    'must not repeat an event type', "'purchase'"],
  ['Recommender: weight 1.5', recommender({ events: [{ eventType: 'purchase', weight: 1.5 }] }), 'events[0].weight', 'must be between 0 and 1', 'got 1.5'],
  ['Recommender: weight -0.1', recommender({ events: [{ eventType: 'purchase', weight: -0.1 }] }), 'events[0].weight', 'must be between 0 and 1', 'got -0.1'],
  ['Recommender: infinite value threshold', recommender({ events: [{ eventType: 'purchase', valueThreshold: Infinity }] }), 'events[0].valueThreshold',
    'must be a finite number', 'Infinity'],
  ['Recommender: no included columns', recommender({ includedColumns: {} }), 'includedColumns', 'must have 1-2 entries', 'got 0'],
  ['Recommender: 3 dataset types', recommender({ includedColumns: { a: ['x'], b: ['y'], c: ['z'] } }), 'includedColumns', 'must have 1-2 entries', 'got 3'],
  ['Recommender: dataset type without columns', recommender({ includedColumns: { _webAnalytics: [] } }), "includedColumns['_webAnalytics']",
    'must have 1-100 entries', 'got 0'],
  ['Recommender: empty column name', recommender({ includedColumns: { _webAnalytics: [''] } }), "includedColumns['_webAnalytics'][0]",
    'must be 1-1000 characters long', "'' (0 characters)"],
  ['Recommender: schema name with a space', recommender({ recommenderSchemaName: 'my schema' }), 'recommenderSchemaName',
    'must match ^[a-zA-Z0-9_-]+$', "'my schema'"],
  ['Recommender: training every 31 days', recommender({ trainingFrequency: Duration.days(31) }), 'trainingFrequency (days)', 'must be between 1 and 30', 'got 31'],
  ['Recommender: training every 36 hours', recommender({ trainingFrequency: Duration.hours(36) }), 'trainingFrequency (days)', 'must be a whole number', 'got 1.5'],
  ['Recommender: 0 TPS', recommender({ minProvisionedTps: 0 }), 'minProvisionedTps', 'must be between 1 and 500', 'got 0'],
  ['Recommender: 501 TPS', recommender({ minProvisionedTps: 501 }), 'minProvisionedTps', 'must be between 1 and 500', 'got 501'],
  ['Recommender: 2.5 TPS', recommender({ minProvisionedTps: 2.5 }), 'minProvisionedTps', 'must be a whole number', 'got 2.5'],
  ['Recommender: timeout of 1 hour', recommender({ timeout: Duration.hours(1) }), 'timeout (seconds)', 'must be between 1 and 3240', 'got 3600'],
  ['Recommender: tag key aws:', recommender({ tags: { 'aws:team': 'x' } }), 'tags key', "must not start with 'aws:'", "'aws:team'"],
  ['Recommender: empty tag key', recommender({ tags: { '': 'x' } }), 'tags key', 'must be 1-128 characters long', "'' (0 characters)"],
  ['Recommender: domain without a data store', recommender({}, plainDomain), 'domain', 'has no data store', "'plain'"],

  // ------------------------------------------------------------------ SegmentDefinition
  ['SegmentDefinition: name with a space', segment({ segmentDefinitionName: 'high value' }), 'segmentDefinitionName',
    'must match ^[a-zA-Z0-9_-]+$', "'high value'"],
  ['SegmentDefinition: name of 65 characters', segment({ segmentDefinitionName: long(65) }), 'segmentDefinitionName', 'must be 1-64 characters long', '(65 characters)'],
  ['SegmentDefinition: empty display name', segment({ displayName: '' }), 'displayName', 'must be 1-255 characters long', "'' (0 characters)"],
  ['SegmentDefinition: display name of 256 characters', segment({ displayName: long(256) }), 'displayName', 'must be 1-255 characters long', 'a string of 256 characters'],
  ['SegmentDefinition: empty description', segment({ description: '' }), 'description', 'must be 1-4000 characters long', "'' (0 characters)"],
  ['SegmentDefinition: description of 4001 characters', segment({ description: long(4001) }), 'description', 'must be 1-4000 characters long', 'a string of 4001 characters'],
  // The SQL is customer data: the message gives its length, never its text.
  ['SegmentDefinition: blank SQL', segment({ query: SegmentQuery.sql('   ') }), 'query', 'SQL must be 1-50000 characters long and not blank', 'got a query of 3 characters'],
  ['SegmentDefinition: SQL of 50001 characters', segment({ query: SegmentQuery.sql(SQL + ' '.repeat(50001 - SQL.length)) }), 'query',
    'SQL must be 1-50000 characters long', 'got a query of 50001 characters'],
  ['SegmentDefinition: no sort attributes', segment({ sort: [] }), 'sort', 'must have 1-10 entries', 'got 0'],
  ['SegmentDefinition: 11 sort attributes', segment({ sort: Array.from({ length: 11 }, (_, i) => ({ name: `a${i}`, order: SortOrder.ASC })) }),
    'sort', 'must have 1-10 entries', 'got 11'],
  ['SegmentDefinition: sort name with a space', segment({ sort: [{ name: 'last order', order: SortOrder.DESC }] }), 'sort[0].name',
    'must match ^[a-zA-Z0-9_.-]+$', "'last order'"],
  ['SegmentDefinition: timeout of 1 hour', segment({ timeout: Duration.hours(1) }), 'timeout (seconds)', 'must be between 1 and 3240', 'got 3600'],
  ['SegmentDefinition: first name BEFORE a date', segment({
    query: SegmentQuery.groups({ groups: [{ dimensions: [SegmentDimension.profileAttribute(ProfileAttribute.FIRST_NAME, DimensionType.BEFORE, ['x'])] }] }),
  }), 'query.groups[0].dimensions[0]', 'accepts the dimension types', "'BEFORE'"],
  ['SegmentDefinition: 51 dimension values', segment({
    query: SegmentQuery.groups({ groups: [{ dimensions: [dim(Array.from({ length: 51 }, (_, i) => `v${i}`))] }] }),
  }), "query.groups[0].dimensions[0] (Attributes['tier']) values", 'must have 1-50 entries', 'got 51'],
  ['SegmentDefinition: dimension value of 256 characters', segment({ query: SegmentQuery.groups({ groups: [{ dimensions: [dim([long(256)])] }] }) }),
    "query.groups[0].dimensions[0] (Attributes['tier']) values[0]", 'must be 1-255 characters long', 'got 256 characters'],
  ['SegmentDefinition: tag key aws:', segment({ tags: { 'aws:segment': 'x' } }), 'tags key', "must not start with 'aws:'", "'aws:segment'"],
  ['SegmentDefinition: 51 tags', segment({ tags: manyTags(51) }), 'tags', 'must have 0-49 entries', 'got 51'],
  ['SegmentDefinition: SQL on a domain without a data store', segment({}, plainDomain), 'query', 'SegmentQuery.sql() needs the data store', "'plain'"],

  // ------------------------------------------------------------------ Integration
  ['Integration: neither uri nor flow', integration({ uri: undefined }), 'uri / flowDefinition', 'must be given exactly once between them', 'got 0'],
  ['Integration: uri and flow', integration({
    flowDefinition: { flowName: 'orders', kmsArn: 'arn:aws:kms:eu-west-1:111122223333:key/k', sourceFlowConfig: {}, tasks: [], triggerConfig: { triggerType: 'OnDemand' } } as any,
  }), 'uri / flowDefinition', 'must be given exactly once between them', 'got 2'],
  ['Integration: uri of 256 characters', integration({ uri: long(256) }), 'uri', 'must be 1-255 characters long', 'a string of 256 characters'],
  ['Integration: no object type', integration({ objectTypeName: undefined }), 'objectType / objectTypeName / objectTypeMappings',
    'must be given exactly once between them', 'got 0'],
  ['Integration: object type name and mappings', integration({ objectTypeMappings: [IntegrationObjectTypeMapping.fromName('k', 'orders')] }),
    'objectType / objectTypeName / objectTypeMappings', 'must be given exactly once between them', 'got 2'],
  ['Integration: no mappings', integration({ objectTypeName: undefined, objectTypeMappings: [] }), 'objectTypeMappings', 'must have 1-1000 entries', 'got 0'],
  ['Integration: empty mapping key', integration({ objectTypeName: undefined, objectTypeMappings: [IntegrationObjectTypeMapping.fromName('', 'orders')] }),
    'objectTypeMappings[0].key', 'must be 1-255 characters long', "'' (0 characters)"],
  ['Integration: mapped name starting with a digit', integration({
    objectTypeName: undefined, objectTypeMappings: [IntegrationObjectTypeMapping.fromName('k', '9orders')],
  }), 'objectTypeMappings[0].objectTypeName', 'a letter or _ first, then letters, digits, _ or -', "'9orders'"],
  ['Integration: object type name with a space', integration({ objectTypeName: 'my orders' }), 'objectTypeName',
    'must match ^[a-zA-Z_][a-zA-Z_0-9-]*$', "'my orders'"],
  ['Integration: two event triggers', integration({ eventTriggerNames: ['a', 'b'] }), 'eventTriggerNames', 'must have 1-1 entries', 'got 2'],
];

describe('bad input', () => {
  test('the table covers every construct with at least 60 rows', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(60);
    const kinds = new Set(ROWS.map(([name]) => name.split(':')[0]));
    expect([...kinds].sort()).toEqual(['Domain', 'DomainObjectType', 'Integration', 'Recommender', 'SegmentDefinition']);
  });

  test.each(ROWS)('%s is rejected at synth, naming the path, field, rule and value', (name, build, field, rule, value) => {
    const message = synthError(build);
    expect(message).toBeDefined();
    const kind = name.split(':')[0];
    expect(message).toContain(`${kind} at '${PATH}'`);
    expect(message).toContain(field);
    expect(message).toContain(rule);
    expect(message).toContain(value);
  });
});

// ------------------------------------------------------------------ the same fields as tokens

type TokenRow = [name: string, build: (f: Fixture) => unknown];

const str = (f: Fixture, id: string) => new CfnParameter(f.stack, id, { type: 'String' }).valueAsString;
const num = (f: Fixture, id: string) => new CfnParameter(f.stack, id, { type: 'Number' }).valueAsNumber;
const lazyNum = (n: number) => Lazy.number({ produce: () => n });

const TOKEN_ROWS: TokenRow[] = [
  ['Domain: domainName', (f) => new Domain(f.stack, 'Bad', { domainName: str(f, 'P') })],
  ['Domain: defaultExpiration', (f) => new Domain(f.stack, 'Bad', { defaultExpiration: Duration.days(num(f, 'P')) })],
  ['Domain: readinessTimeout', (f) => new Domain(f.stack, 'Bad', { dataStore: DataStore.enabled({ readinessTimeout: Duration.seconds(lazyNum(600)) }) })],
  ['Domain: jobSchedule.time', (f) => new Domain(f.stack, 'Bad', { matching: { jobSchedule: { dayOfWeek: DayOfWeek.MONDAY, time: str(f, 'P') } } })],
  ['Domain: merge confidence', (f) => new Domain(f.stack, 'Bad', { matching: { autoMerging: { minAllowedConfidenceScoreForMerging: num(f, 'P') } } })],
  ['Domain: rule levels', (f) => new Domain(f.stack, 'Bad', {
    ruleBasedMatching: { maxAllowedRuleLevelForMerging: lazyNum(3), maxAllowedRuleLevelForMatching: num(f, 'P') },
  })],
  ['Domain: tag value', (f) => Tags.of(new Domain(f.stack, 'Bad', {})).add('team', str(f, 'P'))],
  ['DomainObjectType: objectTypeName', (f) => objectType({ objectTypeName: str(f, 'P') })(f)],
  ['DomainObjectType: description', (f) => objectType({ description: str(f, 'P') })(f)],
  ['DomainObjectType: field source and target', (f) => objectType({ fields: { Id: { source: str(f, 'S'), target: str(f, 'T') } } })(f)],
  ['DomainObjectType: tag value', (f) => objectType({ tags: { team: str(f, 'P') } })(f)],
  ['Recommender: recommenderName', (f) => recommender({ recommenderName: str(f, 'P') })(f)],
  ['Recommender: recipe', (f) => recommender({ recipe: RecommenderRecipe.of(str(f, 'P')) })(f)],
  ['Recommender: description', (f) => recommender({ description: str(f, 'P') })(f)],
  ['Recommender: event type and weight', (f) => recommender({ events: [{ eventType: str(f, 'P'), weight: num(f, 'W'), valueThreshold: lazyNum(3) }] })(f)],
  ['Recommender: schema name', (f) => recommender({ recommenderSchemaName: str(f, 'P') })(f)],
  ['Recommender: trainingFrequency', (f) => recommender({ trainingFrequency: Duration.days(num(f, 'P')) })(f)],
  ['Recommender: minProvisionedTps', (f) => recommender({ minProvisionedTps: num(f, 'P') })(f)],
  ['Recommender: timeout', (f) => recommender({ timeout: Duration.seconds(lazyNum(900)) })(f)],
  ['SegmentDefinition: segmentDefinitionName', (f) => segment({ segmentDefinitionName: str(f, 'P') })(f)],
  ['SegmentDefinition: displayName', (f) => segment({ displayName: str(f, 'P') })(f)],
  ['SegmentDefinition: description', (f) => segment({ description: str(f, 'P') })(f)],
  ['SegmentDefinition: SQL', (f) => segment({ query: SegmentQuery.sql(str(f, 'P')) })(f)],
  ['SegmentDefinition: sort name', (f) => segment({ sort: [{ name: str(f, 'P'), order: SortOrder.ASC }] })(f)],
  ['SegmentDefinition: dimension values', (f) => segment({ query: SegmentQuery.groups({ groups: [{ dimensions: [dim([str(f, 'P')])] }] }) })(f)],
  ['SegmentDefinition: timeout', (f) => segment({ timeout: Duration.seconds(lazyNum(300)) })(f)],
  ['Integration: uri', (f) => integration({ uri: str(f, 'P') })(f)],
  ['Integration: objectTypeName', (f) => integration({ objectTypeName: str(f, 'P') })(f)],
  ['Integration: mapping key and name', (f) => integration({
    objectTypeName: undefined, objectTypeMappings: [IntegrationObjectTypeMapping.fromName(str(f, 'K'), str(f, 'N'))],
  })(f)],
];

describe('the same fields as tokens', () => {
  test.each(TOKEN_ROWS)('%s given as a token is accepted (checked at deploy time)', (_name, build) => {
    expect(synthError(build)).toBeUndefined();
  });
});
