import { domainConfig, recommenderConfig, segmentDefinitionConfig, toBoolean, toNumber } from '../../lambda/config';

import { wireProperties } from '../helpers/cfn-wire';

/** Properties in the legacy form: the whole Config as one JSON string (stacks deployed by earlier versions). */
const props = (config: unknown) => ({ ServiceToken: 'token', Config: typeof config === 'string' ? config : JSON.stringify(config) });
/** Properties as the constructs write them (one per member), as CloudFormation delivers them (numbers and booleans as strings). */
const wire = (config: object) => wireProperties('token', config);

describe('numbers and booleans arrive typed or as strings', () => {
  test.each([
    [7, 7], ['7', 7], [' 7.5 ', 7.5], [0, 0], ['0', 0],
  ])('toNumber(%p) is %p', (input, expected) => {
    expect(toNumber(input, 'F', 'X')).toBe(expected);
  });

  test.each([
    [true, true], [false, false], ['true', true], ['false', false], ['TRUE', true], [' False ', false],
  ])('toBoolean(%p) is %p', (input, expected) => {
    expect(toBoolean(input, 'F', 'X')).toBe(expected);
  });

  test.each([[''], ['seven'], [null], [{}], [Number.NaN]])('toNumber(%p) is refused with the field, not the value', (input) => {
    expect(() => toNumber(input, 'DefaultExpirationDays', "Domain 'd'")).toThrow(/^Domain 'd': DefaultExpirationDays must be a number, got a \w+\.$/);
  });

  test.each([['yes'], [1], ['']])('toBoolean(%p) is refused', (input) => {
    expect(() => toBoolean(input, 'Enabled', 'X')).toThrow('Enabled must be true or false');
  });
});

test('a domain config with every number and boolean as a string reads like the typed one', () => {
  const typed = {
    DomainName: 'd',
    DefaultExpirationDays: 30,
    DataStore: { Enabled: true },
    WaitForDataStore: false,
    TimeoutSeconds: 600,
    Matching: { Enabled: true, AutoMerging: { Enabled: false, MinAllowedConfidenceScoreForMerging: 0.8 } },
    RuleBasedMatching: { Enabled: true, MaxAllowedRuleLevelForMerging: 2, MaxAllowedRuleLevelForMatching: 3 },
  };
  const strings = {
    DomainName: 'd',
    DefaultExpirationDays: '30',
    DataStore: { Enabled: 'true' },
    WaitForDataStore: 'false',
    TimeoutSeconds: '600',
    Matching: { Enabled: 'true', AutoMerging: { Enabled: 'false', MinAllowedConfidenceScoreForMerging: '0.8' } },
    RuleBasedMatching: { Enabled: 'true', MaxAllowedRuleLevelForMerging: '2', MaxAllowedRuleLevelForMatching: '3' },
  };
  expect(domainConfig(props(strings))).toEqual(domainConfig(props(typed)));
  expect(domainConfig(props(typed))).toMatchObject(typed);
  expect(domainConfig(wire(typed))).toEqual(domainConfig(props(typed)));
});

test('recommender and segment configs coerce their numbers and booleans too', () => {
  const r = recommenderConfig(props({
    DomainName: 'd',
    RecommenderName: 'r',
    RecommenderRecipeName: 'popular-items',
    Enabled: 'false',
    WaitForActive: 'true',
    TimeoutSeconds: '900',
    RecommenderConfig: {
      TrainingFrequency: '7',
      EventsConfig: { EventParametersList: [{ EventType: 'buy', EventValueThreshold: '2', EventWeight: '0.5' }] },
      InferenceConfig: { MinProvisionedTPS: '1' },
    },
  }));
  expect(r).toMatchObject({
    Enabled: false,
    WaitForActive: true,
    TimeoutSeconds: 900,
    RecommenderConfig: {
      TrainingFrequency: 7,
      EventsConfig: { EventParametersList: [{ EventType: 'buy', EventValueThreshold: 2, EventWeight: 0.5 }] },
      InferenceConfig: { MinProvisionedTPS: 1 },
    },
  });
  const s = segmentDefinitionConfig(props({
    DomainName: 'd', SegmentDefinitionName: 's', DisplayName: 'S', SegmentSqlQuery: 'SELECT 1', ValidateBeforeCreate: 'false', TimeoutSeconds: '60',
  }));
  expect(s).toMatchObject({ ValidateBeforeCreate: false, TimeoutSeconds: 60 });
});

test('defaults when the construct left a member out: wait, run, validate, 30 minutes', () => {
  expect(domainConfig(props({ DomainName: 'd', DefaultExpirationDays: 1 }))).toMatchObject({ WaitForDataStore: true, TimeoutSeconds: 1800 });
  expect(recommenderConfig(props({ DomainName: 'd', RecommenderName: 'r', RecommenderRecipeName: 'popular-items' })))
    .toMatchObject({ Enabled: true, WaitForActive: true });
  expect(segmentDefinitionConfig(props({ DomainName: 'd', SegmentDefinitionName: 's', DisplayName: 'S', SegmentGroups: {} })))
    .toMatchObject({ ValidateBeforeCreate: true });
});

test('properties without members, or a malformed legacy Config, are refused', () => {
  expect(() => domainConfig({})).toThrow('the resource has no properties besides ServiceToken');
  expect(() => domainConfig({ ServiceToken: 'token' })).toThrow('the resource has no properties besides ServiceToken');
  expect(() => domainConfig(wire({ DomainName: 'd' }))).toThrow("Domain 'd': DefaultExpirationDays must be a number, got a undefined.");
  expect(() => domainConfig(props('not json'))).toThrow('the Config property is not a JSON object');
  expect(() => segmentDefinitionConfig(props({ DomainName: 'd', SegmentDefinitionName: 's', DisplayName: 'S' })))
    .toThrow('exactly one of SegmentSqlQuery and SegmentGroups must be set');
});
