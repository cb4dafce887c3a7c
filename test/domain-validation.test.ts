import { App, CfnParameter, Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AttributeMatchingModel, ConflictResolvingModel, DataStore, DayOfWeek, Domain, DomainProps } from '../src';

const ENV = { account: '111122223333', region: 'eu-west-1' };

function newStack(): Stack {
  return new Stack(new App(), 'Stack', { env: ENV });
}

const PREFIX = "Domain at 'Stack/Customers': ";
const rules = (n: number) => Array.from({ length: n }, (_, i) => [`Attr${i}`]);
const names = (n: number) => Array.from({ length: n }, (_, i) => `Attr${i}`);

describe('Domain validation', () => {
  test.each<[string, (stack: Stack) => DomainProps, string]>([
    ['an empty name', () => ({ domainName: '' }),
      "domainName must be 1-64 characters long, got '' (0 characters)"],
    ['a name over 64 characters', () => ({ domainName: 'a'.repeat(65) }),
      "domainName must be 1-64 characters long, got '" + 'a'.repeat(65) + "' (65 characters)"],
    ['a name with a space', () => ({ domainName: 'my domain' }),
      "domainName must match ^[a-zA-Z0-9_-]+$ (letters, digits, hyphens and underscores), got 'my domain' (9 characters)"],
    ['a name with a dot', () => ({ domainName: 'my.domain' }),
      "domainName must match ^[a-zA-Z0-9_-]+$ (letters, digits, hyphens and underscores), got 'my.domain' (9 characters)"],
    ['an expiration of 0 days', () => ({ defaultExpiration: Duration.days(0) }),
      'defaultExpiration (days) must be between 1 and 1098, got 0'],
    ['an expiration of 1099 days', () => ({ defaultExpiration: Duration.days(1099) }),
      'defaultExpiration (days) must be between 1 and 1098, got 1099'],
    ['an expiration that is not whole days', () => ({ defaultExpiration: Duration.hours(36) }),
      'defaultExpiration must be a whole number of days, got 1.5'],
    ['an expiration given as a token in hours', (stack) => ({ defaultExpiration: Duration.hours(new CfnParameter(stack, 'Hours', { type: 'Number' }).valueAsNumber) }),
      'defaultExpiration is a token and must then be given in days (Duration.days(...))'],
    ['a readiness timeout under a minute', () => ({ dataStore: DataStore.enabled({ readinessTimeout: Duration.seconds(30) }) }),
      'dataStore.readinessTimeout (seconds) must be between 60 and 3240, got 30'],
    ['a readiness timeout over the CloudFormation limit', () => ({ dataStore: DataStore.enabled({ readinessTimeout: Duration.hours(1) }) }),
      'dataStore.readinessTimeout (seconds) must be between 60 and 3240, got 3600'],
    ['a job schedule time of 24:00', () => ({ matching: { jobSchedule: { dayOfWeek: DayOfWeek.SUNDAY, time: '24:00' } } }),
      "matching.jobSchedule.time must match ^([0-9]|0[0-9]|1[0-9]|2[0-3]):[0-5][0-9]$ (H:MM or HH:MM, 24-hour clock, UTC), got '24:00' (5 characters)"],
    ['a job schedule time with seconds', () => ({ matching: { jobSchedule: { dayOfWeek: DayOfWeek.SUNDAY, time: '03:30:00' } } }),
      "matching.jobSchedule.time must be 3-5 characters long, got '03:30:00' (8 characters)"],
    ['an empty consolidation list', () => ({ matching: { autoMerging: { consolidation: [] } } }),
      'matching.autoMerging.consolidation must have 1-10 entries, got 0'],
    ['11 consolidation criteria', () => ({ matching: { autoMerging: { consolidation: rules(11) } } }),
      'matching.autoMerging.consolidation must have 1-10 entries, got 11'],
    ['an empty consolidation criterion', () => ({ matching: { autoMerging: { consolidation: [['EmailAddress'], []] } } }),
      'matching.autoMerging.consolidation[1] must have 1-20 entries, got 0'],
    ['a consolidation criterion of 21 attributes', () => ({ matching: { autoMerging: { consolidation: [names(21)] } } }),
      'matching.autoMerging.consolidation[0] must have 1-20 entries, got 21'],
    ['an empty attribute name', () => ({ matching: { autoMerging: { consolidation: [['']] } } }),
      "matching.autoMerging.consolidation[0][0] must be 1-255 characters long, got '' (0 characters)"],
    ['SOURCE conflict resolution without a source', () => ({ matching: { autoMerging: { conflictResolution: { model: ConflictResolvingModel.SOURCE } } } }),
      'matching.autoMerging.conflictResolution.sourceName is required when the model is SOURCE (the object type whose data wins)'],
    ['RECENCY conflict resolution with a source', () => ({ ruleBasedMatching: { conflictResolution: { model: ConflictResolvingModel.RECENCY, sourceName: 'Orders' } } }),
      "ruleBasedMatching.conflictResolution.sourceName is only used with the SOURCE model, not RECENCY, got 'Orders' (6 characters)"],
    ['a confidence score above 1', () => ({ matching: { autoMerging: { minAllowedConfidenceScoreForMerging: 1.5 } } }),
      'matching.autoMerging.minAllowedConfidenceScoreForMerging must be between 0 and 1, got 1.5'],
    ['a negative confidence score', () => ({ matching: { autoMerging: { minAllowedConfidenceScoreForMerging: -0.1 } } }),
      'matching.autoMerging.minAllowedConfidenceScoreForMerging must be between 0 and 1, got -0.1'],
    ['an export bucket with an invalid literal name', (stack) => ({ matching: { exportTo: { bucket: s3.Bucket.fromBucketName(stack, 'B', 'My_Bucket') } } }),
      "matching.exportTo.bucket (bucket name) must match ^[a-z0-9.-]+$ (lower-case letters, digits, dots and hyphens), got 'My_Bucket' (9 characters)"],
    ['an empty export key name', (stack) => ({ matching: { exportTo: { bucket: new s3.Bucket(stack, 'B'), keyName: '' } } }),
      "matching.exportTo.keyName must be 1-800 characters long, got '' (0 characters)"],
    ['no matching rules', () => ({ ruleBasedMatching: { rules: [] } }),
      'ruleBasedMatching.rules must have 1-15 entries, got 0'],
    ['16 matching rules', () => ({ ruleBasedMatching: { rules: rules(16) } }),
      'ruleBasedMatching.rules must have 1-15 entries, got 16'],
    ['a matching rule of 16 attributes', () => ({ ruleBasedMatching: { rules: [names(16)] } }),
      'ruleBasedMatching.rules[0] must have 1-15 entries, got 16'],
    ['a merging rule level of 0', () => ({ ruleBasedMatching: { maxAllowedRuleLevelForMerging: 0 } }),
      'ruleBasedMatching.maxAllowedRuleLevelForMerging must be between 1 and 15, got 0'],
    ['a matching rule level of 16', () => ({ ruleBasedMatching: { maxAllowedRuleLevelForMatching: 16 } }),
      'ruleBasedMatching.maxAllowedRuleLevelForMatching must be between 1 and 15, got 16'],
    ['a fractional rule level', () => ({ ruleBasedMatching: { maxAllowedRuleLevelForMatching: 2.5 } }),
      'ruleBasedMatching.maxAllowedRuleLevelForMatching must be a whole number, got 2.5'],
    ['five address attribute types', () => ({ ruleBasedMatching: { attributeTypesSelector: { attributeMatchingModel: AttributeMatchingModel.ONE_TO_ONE, address: names(5) } } }),
      'ruleBasedMatching.attributeTypesSelector.address must have 1-4 entries, got 5'],
    ['four email attribute types', () => ({ ruleBasedMatching: { attributeTypesSelector: { attributeMatchingModel: AttributeMatchingModel.ONE_TO_ONE, emailAddress: names(4) } } }),
      'ruleBasedMatching.attributeTypesSelector.emailAddress must have 1-3 entries, got 4'],
    ['no phone attribute types', () => ({ ruleBasedMatching: { attributeTypesSelector: { attributeMatchingModel: AttributeMatchingModel.MANY_TO_MANY, phoneNumber: [] } } }),
      'ruleBasedMatching.attributeTypesSelector.phoneNumber must have 1-4 entries, got 0'],
  ])('rejects %s', (_, props, message) => {
    const stack = newStack();
    expect(() => new Domain(stack, 'Customers', props(stack))).toThrow(PREFIX + message);
  });

  test('reports every violation at once, one per line', () => {
    const stack = newStack();
    expect(() => new Domain(stack, 'Customers', {
      domainName: 'bad name',
      defaultExpiration: Duration.days(2000),
      ruleBasedMatching: { maxAllowedRuleLevelForMerging: 20 },
    })).toThrow([
      "Domain at 'Stack/Customers' is invalid:",
      "  - domainName must match ^[a-zA-Z0-9_-]+$ (letters, digits, hyphens and underscores), got 'bad name' (8 characters)",
      '  - defaultExpiration (days) must be between 1 and 1098, got 2000',
      '  - ruleBasedMatching.maxAllowedRuleLevelForMerging must be between 1 and 15, got 20',
    ].join('\n'));
  });

  test('the error is a ValidationError', () => {
    const stack = newStack();
    let error: unknown;
    try {
      new Domain(stack, 'Customers', { domainName: '' });
    } catch (e) {
      error = e;
    }
    expect((error as Error).name).toBe('ValidationError');
  });

  test('accepts the same fields given as tokens', () => {
    const stack = newStack();
    const str = (id: string) => new CfnParameter(stack, id).valueAsString;
    const num = (id: string) => new CfnParameter(stack, id, { type: 'Number' }).valueAsNumber;
    const list = (id: string) => new CfnParameter(stack, id, { type: 'CommaDelimitedList' }).valueAsList;
    const lazyList = Lazy.list({ produce: () => names(30) });

    expect(() => new Domain(stack, 'Customers', {
      domainName: str('Name'),
      defaultExpiration: Duration.days(num('Days')),
      dataStore: DataStore.enabled({ readinessTimeout: Duration.seconds(num('Timeout')) }),
      matching: {
        jobSchedule: { dayOfWeek: DayOfWeek.of(str('Day')), time: str('Time') },
        autoMerging: {
          consolidation: [list('Consolidation'), lazyList],
          conflictResolution: { model: ConflictResolvingModel.SOURCE, sourceName: str('Source') },
          minAllowedConfidenceScoreForMerging: num('Score'),
        },
        exportTo: { bucket: s3.Bucket.fromBucketName(stack, 'Bucket', str('BucketName')), keyName: str('Key') },
      },
      ruleBasedMatching: {
        rules: [list('Rule'), lazyList, [str('Attribute')]],
        maxAllowedRuleLevelForMerging: num('Merging'),
        maxAllowedRuleLevelForMatching: num('Matching'),
        attributeTypesSelector: {
          attributeMatchingModel: AttributeMatchingModel.of(str('Model')),
          address: list('Address'),
          phoneNumber: lazyList,
          emailAddress: [str('Email')],
        },
      },
    })).not.toThrow();
    expect(() => Template.fromStack(stack)).not.toThrow();
  });

  test('accepts the boundaries of every range', () => {
    const stack = newStack();
    expect(() => new Domain(stack, 'Customers', {
      domainName: 'a'.repeat(64),
      defaultExpiration: Duration.days(1098),
      dataStore: DataStore.enabled({ readinessTimeout: Duration.minutes(54) }),
      matching: {
        jobSchedule: { dayOfWeek: DayOfWeek.SATURDAY, time: '0:00' },
        autoMerging: { consolidation: Array.from({ length: 10 }, () => names(20)), minAllowedConfidenceScoreForMerging: 0 },
      },
      ruleBasedMatching: {
        rules: Array.from({ length: 15 }, () => names(15)),
        maxAllowedRuleLevelForMerging: 15,
        maxAllowedRuleLevelForMatching: 1,
        attributeTypesSelector: {
          attributeMatchingModel: AttributeMatchingModel.ONE_TO_ONE,
          address: names(4),
          phoneNumber: names(4),
          emailAddress: names(3),
        },
      },
    })).not.toThrow();
    expect(() => new Domain(stack, 'Short', { domainName: 'a', defaultExpiration: Duration.days(1), matching: { jobSchedule: { dayOfWeek: DayOfWeek.SUNDAY, time: '23:59' } } })).not.toThrow();
    expect(() => new Domain(stack, 'InHours', { defaultExpiration: Duration.hours(48) })).not.toThrow();
  });
});
