import { planUpdate as planDomain } from '../../lambda/domain';
import { planUpdate as planObjectType } from '../../lambda/domain-object-type';
import { desiredConfig, planUpdate } from '../../lambda/index';
import { planUpdate as planRecommender, RecommenderLive } from '../../lambda/recommender';
import { planUpdate as planSegment } from '../../lambda/segment-definition';
import {
  CONFIG_PROPERTY, DomainConfig, DomainObjectTypeConfig, RecommenderConfig, ResourceTypes, SegmentDefinitionConfig, UpdatePlan,
} from '../../src/private/contract';

/** The update plans as tables: each row is a change and the decisions it makes, in order (no service, no emulator). */

const kinds = (plan: UpdatePlan) => plan.decisions.map((d) => d.kind);
const fields = (plan: UpdatePlan) => plan.decisions.map((d) => (d.fields.length > 0 ? `${d.kind}:${d.fields.join(',')}` : d.kind));

const DOMAIN: DomainConfig = { DomainName: 'customers', DefaultExpirationDays: 366, WaitForDataStore: true, TimeoutSeconds: 1800, Tags: { team: 'crm' } };

describe('domain', () => {
  test.each<[string, Partial<DomainConfig>, Partial<DomainConfig>, string[]]>([
    ['nothing changed', {}, {}, ['none']],
    ['a new name', {}, { DomainName: 'people' }, ['replace:DomainName']],
    ['a new name with a data store waited for', { DataStore: { Enabled: true } }, { DomainName: 'people', DataStore: { Enabled: true } },
      ['replace:DomainName', 'wait-for-data-store:DataStore,WaitForDataStore']],
    ['expiration days', {}, { DefaultExpirationDays: 30 }, ['update-in-place:DefaultExpirationDays']],
    ['the data store enabled', {}, { DataStore: { Enabled: true } }, ['update-in-place:DataStore', 'wait-for-data-store:DataStore,WaitForDataStore']],
    ['the data store enabled, not waited for', {}, { DataStore: { Enabled: true }, WaitForDataStore: false }, ['update-in-place:DataStore']],
    ['the wait turned on for an enabled data store', { DataStore: { Enabled: true }, WaitForDataStore: false }, { DataStore: { Enabled: true } },
      ['wait-for-data-store:DataStore,WaitForDataStore']],
    ['an encryption key removed', { DefaultEncryptionKey: 'arn:aws:kms:us-east-1:123456789012:key/k' }, {}, ['update-in-place:DefaultEncryptionKey']],
    ['a tag changed', {}, { Tags: { team: 'sales' } }, ['tags:Tags']],
    ['a timeout changed', {}, { TimeoutSeconds: 60 }, ['none']],
    ['adoption turned on (the domain is marked, if it is not yet)', {}, { AdoptExisting: true }, ['tags:AdoptExisting']],
  ])('%s', (_name, before, after, expected) => {
    expect(fields(planDomain({ ...DOMAIN, ...before }, { ...DOMAIN, ...after }))).toEqual(expected);
  });
});

const OBJECT_TYPE: DomainObjectTypeConfig = {
  DomainName: 'customers', ObjectTypeName: 'Orders', Fields: { OrderId: { Source: '_source.OrderId', Target: '_order.OrderId' } },
};

describe('object type', () => {
  test.each<[string, Partial<DomainObjectTypeConfig>, string[]]>([
    ['nothing changed', {}, ['none']],
    ['a new name', { ObjectTypeName: 'Purchases' }, ['replace:ObjectTypeName']],
    ['another domain', { DomainName: 'people' }, ['replace:DomainName']],
    ['a field added (PutDomainObjectType in place)', { Fields: { ...OBJECT_TYPE.Fields, Total: { Source: '_source.Total', Target: '_order.Total' } } },
      ['update-in-place:Fields']],
    ['the description', { Description: 'Orders' }, ['update-in-place:Description']],
    ['tags', { Tags: { team: 'crm' } }, ['tags:Tags']],
    ['adoption turned on (the object type is marked, if it is not yet)', { AdoptExisting: true }, ['tags:AdoptExisting']],
  ])('%s', (_name, after, expected) => {
    expect(fields(planObjectType(OBJECT_TYPE, { ...OBJECT_TYPE, ...after }))).toEqual(expected);
  });
});

const RECOMMENDER: RecommenderConfig = {
  DomainName: 'customers',
  RecommenderName: 'for-you',
  RecommenderRecipeName: 'recommended-for-you',
  Enabled: true,
  WaitForActive: true,
  TimeoutSeconds: 1800,
  RecommenderConfig: { TrainingFrequency: 7 },
};

describe('recommender', () => {
  test.each<[string, Partial<RecommenderConfig>, Partial<RecommenderConfig>, RecommenderLive | undefined, string[]]>([
    ['nothing changed', {}, {}, undefined, ['none']],
    ['a new name', {}, { RecommenderName: 'picks' }, undefined, ['replace:RecommenderName']],
    ['a new recipe and name', {}, { RecommenderName: 'picks', RecommenderRecipeName: 'trending-now' }, undefined,
      ['replace:RecommenderName,RecommenderRecipeName']],
    ['the training frequency', {}, { RecommenderConfig: { TrainingFrequency: 14 } }, undefined,
      ['update-in-place:RecommenderConfig', 'retrain:RecommenderConfig']],
    ['the description', {}, { Description: 'Picks' }, undefined, ['update-in-place:Description', 'retrain:Description']],
    ['the configuration while it trains (deferred)', {}, { RecommenderConfig: { TrainingFrequency: 14 } }, { Status: 'IN_PROGRESS' },
      ['wait:Status', 'update-in-place:RecommenderConfig', 'retrain:RecommenderConfig']],
    ['the configuration while an update is in progress', {}, { RecommenderConfig: { TrainingFrequency: 14 } },
      { Status: 'ACTIVE', LatestRecommenderUpdate: { Status: 'IN_PROGRESS' } },
      ['wait:Status', 'update-in-place:RecommenderConfig', 'retrain:RecommenderConfig']],
    ['the configuration of a settled recommender', {}, { RecommenderConfig: { TrainingFrequency: 14 } }, { Status: 'ACTIVE' },
      ['update-in-place:RecommenderConfig', 'retrain:RecommenderConfig']],
    ['disabled', {}, { Enabled: false }, undefined, ['stop:Enabled']],
    ['enabled', { Enabled: false }, {}, undefined, ['start:Enabled']],
    ['tags', {}, { Tags: { team: 'crm' } }, undefined, ['tags:Tags']],
    ['adoption turned on', {}, { AdoptExisting: true }, undefined, ['tags:AdoptExisting']],
    ['a busy recommender with nothing to write', {}, { TimeoutSeconds: 60 }, { Status: 'IN_PROGRESS' }, ['none']],
  ])('%s', (_name, before, after, current, expected) => {
    expect(fields(planRecommender({ ...RECOMMENDER, ...before }, { ...RECOMMENDER, ...after }, current))).toEqual(expected);
  });

  test('a new recipe under the same name is a replacement the handler refuses, and the reason says so', () => {
    const plan = planRecommender(RECOMMENDER, { ...RECOMMENDER, RecommenderRecipeName: 'trending-now' });
    expect(kinds(plan)).toEqual(['replace']);
    expect(plan.decisions[0].reason).toContain('the handler refuses this');
  });
});

const SEGMENT: SegmentDefinitionConfig = {
  DomainName: 'customers',
  SegmentDefinitionName: 'high-value',
  DisplayName: 'High value',
  SegmentSqlQuery: 'SELECT * FROM profiles',
  ValidateBeforeCreate: true,
  TimeoutSeconds: 1800,
};

describe('segment definition', () => {
  test.each<[string, Partial<SegmentDefinitionConfig>, string[]]>([
    ['nothing changed', {}, ['none']],
    ['a new name (validated first)', { SegmentDefinitionName: 'high-value-2' }, ['wait:ValidateBeforeCreate', 'replace:SegmentDefinitionName']],
    ['the query under the same name: recreated in place after validation', { SegmentSqlQuery: 'SELECT 1' },
      ['wait:ValidateBeforeCreate', 'update-in-place:SegmentSqlQuery']],
    ['the display name without validation', { DisplayName: 'Top', ValidateBeforeCreate: false }, ['update-in-place:DisplayName']],
    ['tags', { Tags: { team: 'crm' } }, ['tags:Tags']],
    ['adoption turned on', { AdoptExisting: true }, ['tags:AdoptExisting']],
  ])('%s', (_name, after, expected) => {
    expect(fields(planSegment(SEGMENT, { ...SEGMENT, ...after }))).toEqual(expected);
  });

  test('decisions name members, never their values', () => {
    const plan = planSegment(SEGMENT, { ...SEGMENT, SegmentSqlQuery: 'SELECT secret FROM profiles', Description: 'a private note' });
    expect(JSON.stringify(plan)).not.toMatch(/secret|private note/);
  });
});

describe('the bundle\'s planUpdate and desiredConfig (what the local plan and drift commands call)', () => {
  const props = (config: object) => ({ [CONFIG_PROPERTY]: JSON.stringify(config) });

  test('dispatch on the resource type and parse Config as the handler does (strings coerced)', () => {
    expect(desiredConfig(ResourceTypes.DOMAIN, props({ ...DOMAIN, DefaultExpirationDays: '30' }))).toMatchObject({ DefaultExpirationDays: 30 });
    expect(kinds(planUpdate(ResourceTypes.RECOMMENDER, props(RECOMMENDER), props({ ...RECOMMENDER, Enabled: 'false' })))).toEqual(['stop']);
    expect(kinds(planUpdate(ResourceTypes.DOMAIN_OBJECT_TYPE, props(OBJECT_TYPE), props(OBJECT_TYPE)))).toEqual(['none']);
    expect(kinds(planUpdate(ResourceTypes.SEGMENT_DEFINITION, props(SEGMENT), props({ ...SEGMENT, DisplayName: 'Top' }))))
      .toEqual(['wait', 'update-in-place']);
  });

  test('an unknown type or a bad Config is refused with the handler\'s message', () => {
    expect(() => desiredConfig('Custom::Other', props({}))).toThrow("Unsupported resource type 'Custom::Other'");
    expect(() => planUpdate(ResourceTypes.DOMAIN, props(DOMAIN), props({ ...DOMAIN, DefaultExpirationDays: 'soon' })))
      .toThrow('DefaultExpirationDays must be a number');
  });
});
