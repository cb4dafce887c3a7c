import { HandlerError } from './errors';
import {
  CONFIG_PROPERTY,
  DomainConfig,
  DomainObjectTypeConfig,
  RecommenderConfig,
  SegmentDefinitionConfig,
} from '../src/private/contract';

/**
 * Reads the `Config` JSON property of a resource and gives numbers and booleans their real types.
 *
 * The constructs write `Config` as JSON (src/private/config-json.ts, which writes what
 * `Stack.toJsonString` would), so values normally arrive typed. A
 * value that is itself a token (a CfnParameter, an imported value) is rendered by CloudFormation
 * as a string inside the JSON, so "7" and "true" must be accepted too; anything else is refused
 * with the field's name (never its value: it may be customer data).
 */

/** Default wait when a Config lacks TimeoutSeconds (older or hand-written templates). */
export const DEFAULT_TIMEOUT_SECONDS = 1800;

type Json = Record<string, unknown>;

/** Parses the Config property (a JSON string; an already-parsed object is accepted too). */
export function readConfig(properties: Json | undefined, what: string): Json {
  const raw = properties?.[CONFIG_PROPERTY];
  if (raw === undefined || raw === null) {
    throw new HandlerError(`${what}: the resource has no ${CONFIG_PROPERTY} property; it must be created by this library's constructs.`);
  }
  if (typeof raw === 'object') {
    return { ...(raw as Json) };
  }
  if (typeof raw !== 'string') {
    throw new HandlerError(`${what}: the ${CONFIG_PROPERTY} property must be a JSON string.`);
  }
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new Error('not an object');
    }
    return parsed as Json;
  } catch {
    throw new HandlerError(`${what}: the ${CONFIG_PROPERTY} property is not a JSON object.`);
  }
}

/** A number, or a string holding one ("7", " 7.5 "). */
export function toNumber(value: unknown, field: string, what: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return value;
  }
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value.trim());
    if (Number.isFinite(parsed)) {
      return parsed;
    }
  }
  throw new HandlerError(`${what}: ${field} must be a number, got a ${typeof value}.`);
}

/** A boolean, or the strings "true" / "false" (any case). */
export function toBoolean(value: unknown, field: string, what: string): boolean {
  if (typeof value === 'boolean') {
    return value;
  }
  if (typeof value === 'string') {
    const lower = value.trim().toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  throw new HandlerError(`${what}: ${field} must be true or false, got a ${typeof value}.`);
}

function optNumber(value: unknown, field: string, what: string): number | undefined {
  return value === undefined || value === null ? undefined : toNumber(value, field, what);
}

function optBoolean(value: unknown, field: string, what: string, fallback: boolean): boolean {
  return value === undefined || value === null ? fallback : toBoolean(value, field, what);
}

function obj(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

/** Drops keys whose value is undefined, so comparisons and requests see only what was set. */
function compact<T extends Json>(value: T): T {
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) {
    if (v !== undefined) out[k] = v;
  }
  return out as T;
}

/**
 * Checks a name used as an HTTP path label. The SDK sends whatever it gets: an empty label
 * produces a different route (`/domains//recommenders`), a slash another resource.
 */
export function requireName(value: unknown, field: string, what: string, pattern: RegExp, max: number): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new HandlerError(`${what}: ${field} is required and must be a non-empty string.`);
  }
  if (value.length > max || !pattern.test(value)) {
    throw new HandlerError(`${what}: ${field} '${value}' is not a valid name (${pattern.source}, at most ${max} characters).`);
  }
  return value;
}

/** Names of domains, recommenders and segment definitions. */
export const NAME_PATTERN = /^[a-zA-Z0-9_-]+$/;
/** Names of object types. */
export const TYPE_NAME_PATTERN = /^[a-zA-Z_][a-zA-Z_0-9-]*$/;

function timeout(config: Json, what: string): number {
  const value = optNumber(config.TimeoutSeconds, 'TimeoutSeconds', what) ?? DEFAULT_TIMEOUT_SECONDS;
  if (value <= 0) {
    throw new HandlerError(`${what}: TimeoutSeconds must be positive.`);
  }
  return value;
}

function tags(value: unknown, what: string): Record<string, string> | undefined {
  const map = obj(value);
  if (!map) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map)) {
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      throw new HandlerError(`${what}: the value of tag '${k}' must be a string.`);
    }
    out[k] = String(v);
  }
  return out;
}

// ------------------------------------------------------------------ Domain

export function domainConfig(properties: Json | undefined): DomainConfig {
  const what = 'Domain';
  const c = readConfig(properties, what);
  const name = requireName(c.DomainName, 'DomainName', what, NAME_PATTERN, 64);
  const w = `Domain '${name}'`;
  const matching = obj(c.Matching);
  const rbm = obj(c.RuleBasedMatching);
  const dataStore = obj(c.DataStore);
  const autoMerging = obj(matching?.AutoMerging);
  return compact({
    DomainName: name,
    DefaultExpirationDays: toNumber(c.DefaultExpirationDays, 'DefaultExpirationDays', w),
    DefaultEncryptionKey: c.DefaultEncryptionKey as string | undefined,
    DeadLetterQueueUrl: c.DeadLetterQueueUrl as string | undefined,
    Matching: matching ? compact({
      ...matching,
      Enabled: toBoolean(matching.Enabled, 'Matching.Enabled', w),
      AutoMerging: autoMerging ? compact({
        ...autoMerging,
        Enabled: toBoolean(autoMerging.Enabled, 'Matching.AutoMerging.Enabled', w),
        MinAllowedConfidenceScoreForMerging: optNumber(autoMerging.MinAllowedConfidenceScoreForMerging,
          'Matching.AutoMerging.MinAllowedConfidenceScoreForMerging', w),
      }) : undefined,
    }) as unknown as DomainConfig['Matching'] : undefined,
    RuleBasedMatching: rbm ? compact({
      ...rbm,
      Enabled: toBoolean(rbm.Enabled, 'RuleBasedMatching.Enabled', w),
      MaxAllowedRuleLevelForMerging: optNumber(rbm.MaxAllowedRuleLevelForMerging, 'RuleBasedMatching.MaxAllowedRuleLevelForMerging', w),
      MaxAllowedRuleLevelForMatching: optNumber(rbm.MaxAllowedRuleLevelForMatching, 'RuleBasedMatching.MaxAllowedRuleLevelForMatching', w),
    }) as unknown as DomainConfig['RuleBasedMatching'] : undefined,
    DataStore: dataStore ? { Enabled: toBoolean(dataStore.Enabled, 'DataStore.Enabled', w) } : undefined,
    Tags: tags(c.Tags, w),
    AdoptExisting: optBoolean(c.AdoptExisting, 'AdoptExisting', w, false) || undefined,
    // The constructs wait by default: a domain whose data store is not ready refuses object types.
    WaitForDataStore: optBoolean(c.WaitForDataStore, 'WaitForDataStore', w, true),
    TimeoutSeconds: timeout(c, w),
  });
}

// ------------------------------------------------------------------ DomainObjectType

export function domainObjectTypeConfig(properties: Json | undefined): DomainObjectTypeConfig {
  const what = 'Domain object type';
  const c = readConfig(properties, what);
  const domain = requireName(c.DomainName, 'DomainName', what, NAME_PATTERN, 64);
  const name = requireName(c.ObjectTypeName, 'ObjectTypeName', what, TYPE_NAME_PATTERN, 255);
  const w = `Domain object type '${domain}/${name}'`;
  const fields = obj(c.Fields);
  if (!fields || Object.keys(fields).length === 0) {
    throw new HandlerError(`${w}: Fields must have at least one entry.`);
  }
  return compact({
    DomainName: domain,
    ObjectTypeName: name,
    Description: c.Description as string | undefined,
    EncryptionKey: c.EncryptionKey as string | undefined,
    Fields: fields as unknown as DomainObjectTypeConfig['Fields'],
    Tags: tags(c.Tags, w),
    AdoptExisting: optBoolean(c.AdoptExisting, 'AdoptExisting', w, false) || undefined,
  });
}

// ------------------------------------------------------------------ Recommender

export function recommenderConfig(properties: Json | undefined): RecommenderConfig {
  const what = 'Recommender';
  const c = readConfig(properties, what);
  const domain = requireName(c.DomainName, 'DomainName', what, NAME_PATTERN, 64);
  const name = requireName(c.RecommenderName, 'RecommenderName', what, NAME_PATTERN, 64);
  const w = `Recommender '${domain}/${name}'`;
  if (typeof c.RecommenderRecipeName !== 'string' || c.RecommenderRecipeName.length === 0) {
    throw new HandlerError(`${w}: RecommenderRecipeName is required.`);
  }
  const rc = obj(c.RecommenderConfig);
  let settings: RecommenderConfig['RecommenderConfig'];
  if (rc) {
    const events = obj(rc.EventsConfig);
    const list = Array.isArray(events?.EventParametersList) ? events.EventParametersList as unknown[] : undefined;
    const inference = obj(rc.InferenceConfig);
    settings = compact({
      ...rc,
      EventsConfig: events ? compact({
        ...events,
        EventParametersList: list?.map((entry, i) => {
          const e = obj(entry) ?? {};
          return compact({
            ...e,
            EventType: e.EventType as string,
            EventValueThreshold: optNumber(e.EventValueThreshold, `EventParametersList[${i}].EventValueThreshold`, w),
            EventWeight: optNumber(e.EventWeight, `EventParametersList[${i}].EventWeight`, w),
          });
        }),
      }) : undefined,
      TrainingFrequency: optNumber(rc.TrainingFrequency, 'RecommenderConfig.TrainingFrequency', w),
      InferenceConfig: inference ? compact({
        ...inference,
        MinProvisionedTPS: optNumber(inference.MinProvisionedTPS, 'InferenceConfig.MinProvisionedTPS', w),
      }) : undefined,
    }) as unknown as RecommenderConfig['RecommenderConfig'];
  }
  return compact({
    DomainName: domain,
    RecommenderName: name,
    RecommenderRecipeName: c.RecommenderRecipeName,
    RecommenderConfig: settings,
    RecommenderSchemaName: c.RecommenderSchemaName as string | undefined,
    Description: c.Description as string | undefined,
    Tags: tags(c.Tags, w),
    AdoptExisting: optBoolean(c.AdoptExisting, 'AdoptExisting', w, false) || undefined,
    Enabled: optBoolean(c.Enabled, 'Enabled', w, true),
    WaitForActive: optBoolean(c.WaitForActive, 'WaitForActive', w, true),
    TimeoutSeconds: timeout(c, w),
  });
}

// ------------------------------------------------------------------ SegmentDefinition

export function segmentDefinitionConfig(properties: Json | undefined): SegmentDefinitionConfig {
  const what = 'Segment definition';
  const c = readConfig(properties, what);
  const domain = requireName(c.DomainName, 'DomainName', what, NAME_PATTERN, 64);
  const name = requireName(c.SegmentDefinitionName, 'SegmentDefinitionName', what, NAME_PATTERN, 64);
  const w = `Segment definition '${domain}/${name}'`;
  if (typeof c.DisplayName !== 'string' || c.DisplayName.length === 0) {
    throw new HandlerError(`${w}: DisplayName is required.`);
  }
  const hasSql = typeof c.SegmentSqlQuery === 'string' && c.SegmentSqlQuery.length > 0;
  const hasGroups = c.SegmentGroups !== undefined && c.SegmentGroups !== null;
  if (hasSql === hasGroups) {
    throw new HandlerError(`${w}: exactly one of SegmentSqlQuery and SegmentGroups must be set.`);
  }
  return compact({
    DomainName: domain,
    SegmentDefinitionName: name,
    DisplayName: c.DisplayName,
    Description: c.Description as string | undefined,
    SegmentSqlQuery: hasSql ? c.SegmentSqlQuery as string : undefined,
    SegmentGroups: hasGroups ? c.SegmentGroups : undefined,
    SegmentSort: c.SegmentSort ?? undefined,
    Tags: tags(c.Tags, w),
    AdoptExisting: optBoolean(c.AdoptExisting, 'AdoptExisting', w, false) || undefined,
    ValidateBeforeCreate: optBoolean(c.ValidateBeforeCreate, 'ValidateBeforeCreate', w, true),
    TimeoutSeconds: timeout(c, w),
  });
}
