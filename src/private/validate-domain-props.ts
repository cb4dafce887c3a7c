import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { MAX_RESOURCE_TIMEOUT_SECONDS } from './provider';
import { Validator } from './validation';
import type { DataStore } from '../data-store';
import type { AttributeTypesSelector, ConflictResolution, MatchingExportDestination, MatchingOptions, RuleBasedMatchingOptions } from '../matching';

/** The service model's `name` shape (DomainName). */
export const DOMAIN_NAME_PATTERN = /^[a-zA-Z0-9_-]+$/;
const DOMAIN_NAME_RULE = 'letters, digits, hyphens and underscores';

/** The service model's `JobScheduleTime` shape. */
const JOB_SCHEDULE_TIME = /^([0-9]|0[0-9]|1[0-9]|2[0-3]):[0-5][0-9]$/;

/** The service model's `s3BucketName` shape. */
const S3_BUCKET_NAME = /^[a-z0-9.-]+$/;

/** The subset of DomainProps the rules look at (kept structural to avoid an import cycle). */
export interface DomainPropsToValidate {
  readonly domainName?: string;
  readonly defaultExpiration?: Duration;
  readonly dataStore?: DataStore;
  readonly matching?: MatchingOptions;
  readonly ruleBasedMatching?: RuleBasedMatchingOptions;
}

/**
 * A Duration converted to whole units, or undefined (with the violation recorded) when it is not
 * a whole number of units or is a token in another unit. A token amount in the right unit is
 * returned as the token number.
 */
export function wholeUnits(v: Validator, field: string, duration: Duration, unit: 'days' | 'seconds'): number | undefined {
  const value = v.durationIn(field, duration, unit);
  if (value === undefined) {
    return undefined;
  }
  if (!Token.isUnresolved(value) && !Number.isInteger(value)) {
    v.fail(field, `must be a whole number of ${unit}`, value);
    return undefined;
  }
  return value;
}

/**
 * The synth-time rules of a domain, from the service model (CreateDomainRequest) and the
 * library's own limits. Throws one error listing every violation.
 */
export function validateDomainProps(scope: IConstruct, props: DomainPropsToValidate): void {
  const v = new Validator(scope, 'Domain');

  v.name('domainName', props.domainName, 1, 64, DOMAIN_NAME_PATTERN, DOMAIN_NAME_RULE);

  if (props.defaultExpiration !== undefined) {
    const days = wholeUnits(v, 'defaultExpiration', props.defaultExpiration, 'days');
    v.range('defaultExpiration (days)', days, 1, 1098);
  }

  if (props.dataStore?.isEnabled) {
    const seconds = wholeUnits(v, 'dataStore.readinessTimeout', props.dataStore.readinessTimeout, 'seconds');
    v.range('dataStore.readinessTimeout (seconds)', seconds, 60, MAX_RESOURCE_TIMEOUT_SECONDS, true);
  }

  if (props.matching) {
    validateMatching(v, props.matching);
  }
  if (props.ruleBasedMatching) {
    validateRuleBasedMatching(v, props.ruleBasedMatching);
  }

  v.throwIfInvalid();
}

function validateMatching(v: Validator, matching: MatchingOptions): void {
  if (matching.jobSchedule) {
    v.name('matching.jobSchedule.time', matching.jobSchedule.time, 3, 5, JOB_SCHEDULE_TIME, 'H:MM or HH:MM, 24-hour clock, UTC');
  }
  const autoMerging = matching.autoMerging;
  if (autoMerging) {
    const list = autoMerging.consolidation;
    if (list !== undefined && !Token.isUnresolved(list)) {
      v.count('matching.autoMerging.consolidation', list, 1, 10);
      list.forEach((attributes, i) => {
        attributeList(v, `matching.autoMerging.consolidation[${i}]`, attributes, 1, 20);
      });
    }
    conflictResolution(v, 'matching.autoMerging.conflictResolution', autoMerging.conflictResolution);
    v.range('matching.autoMerging.minAllowedConfidenceScoreForMerging', autoMerging.minAllowedConfidenceScoreForMerging, 0, 1);
  }
  exportDestination(v, 'matching.exportTo', matching.exportTo);
}

function validateRuleBasedMatching(v: Validator, rbm: RuleBasedMatchingOptions): void {
  const rules = rbm.rules;
  if (rules !== undefined && !Token.isUnresolved(rules)) {
    v.count('ruleBasedMatching.rules', rules, 1, 15);
    rules.forEach((rule, i) => attributeList(v, `ruleBasedMatching.rules[${i}]`, rule, 1, 15));
  }
  v.range('ruleBasedMatching.maxAllowedRuleLevelForMerging', rbm.maxAllowedRuleLevelForMerging, 1, 15, true);
  v.range('ruleBasedMatching.maxAllowedRuleLevelForMatching', rbm.maxAllowedRuleLevelForMatching, 1, 15, true);
  attributeTypesSelector(v, 'ruleBasedMatching.attributeTypesSelector', rbm.attributeTypesSelector);
  conflictResolution(v, 'ruleBasedMatching.conflictResolution', rbm.conflictResolution);
  exportDestination(v, 'ruleBasedMatching.exportTo', rbm.exportTo);
}

/** A list of attribute names: `min`-`max` entries of 1-255 characters. */
function attributeList(v: Validator, field: string, attributes: string[] | undefined, min: number, max: number): void {
  if (attributes === undefined || Token.isUnresolved(attributes)) return;
  v.count(field, attributes, min, max);
  attributes.forEach((attribute, j) => v.stringLength(`${field}[${j}]`, attribute, 1, 255));
}

function attributeTypesSelector(v: Validator, field: string, selector: AttributeTypesSelector | undefined): void {
  if (!selector) return;
  attributeList(v, `${field}.address`, selector.address, 1, 4);
  attributeList(v, `${field}.phoneNumber`, selector.phoneNumber, 1, 4);
  attributeList(v, `${field}.emailAddress`, selector.emailAddress, 1, 3);
}

function conflictResolution(v: Validator, field: string, resolution: ConflictResolution | undefined): void {
  if (!resolution) return;
  const model = resolution.model.value;
  if (model === 'SOURCE' && resolution.sourceName === undefined) {
    v.fail(`${field}.sourceName`, 'is required when the model is SOURCE (the object type whose data wins)');
  }
  if (model === 'RECENCY' && resolution.sourceName !== undefined) {
    v.fail(`${field}.sourceName`, 'is only used with the SOURCE model, not RECENCY', resolution.sourceName);
  }
  v.stringLength(`${field}.sourceName`, resolution.sourceName, 1, 255);
}

function exportDestination(v: Validator, field: string, destination: MatchingExportDestination | undefined): void {
  if (!destination) return;
  v.name(`${field}.bucket (bucket name)`, destination.bucket.bucketName, 3, 63, S3_BUCKET_NAME, 'lower-case letters, digits, dots and hyphens');
  v.stringLength(`${field}.keyName`, destination.keyName, 1, 800);
}
