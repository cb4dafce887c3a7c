import { HandlerError } from './errors';
import {
  CONFIG_PROPERTY,
  ConfigTypes,
  ConfigTypeSchema,
  DomainConfig,
  DomainObjectTypeConfig,
  RecommenderConfig,
  ResourceTypes,
  SegmentDefinitionConfig,
} from '../src/private/contract';

/**
 * Reads a resource's desired state from its properties and gives numbers and booleans their types.
 *
 * The constructs write each Config member as a property of its own (contract.ts), which
 * CloudFormation hands over with every number and boolean as a string: "7" and "true" are turned
 * back into 7 and true at the paths {@link ConfigTypes} lists, and anything else there is refused
 * with the member's path (never its value: it may be customer data). Stacks deployed by earlier
 * versions carry the members as one JSON string in `Config`, read the same way.
 */

/** Default wait when a Config lacks TimeoutSeconds (older or hand-written templates). */
export const DEFAULT_TIMEOUT_SECONDS = 1800;

type Json = Record<string, unknown>;

/** The property CloudFormation adds to every custom resource's properties: not a Config member. */
const SERVICE_TOKEN = 'ServiceToken';

/**
 * The Config members of a resource's properties: the properties but ServiceToken, or the legacy
 * `Config` JSON string (an already-parsed object is accepted too).
 */
export function readConfig(properties: Json | undefined, what: string): Json {
  if (properties !== undefined && properties !== null && CONFIG_PROPERTY in properties) {
    return readLegacyConfig(properties[CONFIG_PROPERTY], what);
  }
  const members: Json = {};
  for (const [key, value] of Object.entries(properties ?? {})) {
    if (key !== SERVICE_TOKEN) members[key] = value;
  }
  if (Object.keys(members).length === 0) {
    throw new HandlerError(`${what}: the resource has no properties besides ServiceToken; it must be created by this library's constructs.`);
  }
  return members;
}

function readLegacyConfig(raw: unknown, what: string): Json {
  if (raw === undefined || raw === null) {
    throw new HandlerError(`${what}: the ${CONFIG_PROPERTY} property is empty; it must be created by this library's constructs.`);
  }
  if (typeof raw === 'object' && !Array.isArray(raw)) {
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

/**
 * `config` with the members `schema` lists given their types (see ConfigTypes). Absent and null
 * members stay as they are: whether a member is required is the parser's business. The input is
 * not changed (it is the request's properties).
 */
export function restoreTypes(config: Json, schema: ConfigTypeSchema, what: string): Json {
  let out = config;
  for (const [path, type] of Object.entries(schema)) {
    out = restoreAt(out, path.split('.'), '', type, what) as Json;
  }
  return out;
}

/** `value` with the member at `steps` (under `at`, the path so far, for errors) converted; copied on write. */
function restoreAt(value: unknown, steps: string[], at: string, type: 'number' | 'boolean', what: string): unknown {
  if (steps.length === 0) {
    if (value === undefined || value === null) return value;
    return type === 'number' ? toNumber(value, at, what) : toBoolean(value, at, what);
  }
  const [step, ...rest] = steps;
  const list = step.endsWith('[]');
  const key = list ? step.slice(0, -2) : step;
  const container = obj(value);
  if (!container) return value;
  const keys = key === '*' ? Object.keys(container) : [key];
  let copy: Json | undefined;
  for (const k of keys) {
    const member = container[k];
    const path = at === '' ? k : `${at}.${k}`;
    const restored = list
      ? (Array.isArray(member) ? member.map((item, i) => restoreAt(item, rest, `${path}[${i}]`, type, what)) : member)
      : restoreAt(member, rest, path, type, what);
    if (restored !== member && !(Array.isArray(member) && jsonSame(member, restored as unknown[]))) {
      copy = copy ?? { ...container };
      copy[k] = restored;
    }
  }
  return copy ?? value;
}

/** Whether a list's restored copy holds the very same items (nothing was converted). */
function jsonSame(before: unknown[], after: unknown[]): boolean {
  return before.every((item, i) => item === after[i]);
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

/** A member the type restore has checked: the value, or `fallback` when it is absent. */
function orDefault<T>(value: unknown, fallback: T): T {
  return value === undefined || value === null ? fallback : value as T;
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

/** Drops undefined and null members at every depth (the previous parser did, member by member). */
function compactDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(compactDeep);
  const o = obj(value);
  if (!o) return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(o)) {
    if (v !== undefined && v !== null) out[k] = compactDeep(v);
  }
  return out;
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
  const value = orDefault(config.TimeoutSeconds, DEFAULT_TIMEOUT_SECONDS);
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
  const raw = readConfig(properties, what);
  const name = requireName(raw.DomainName, 'DomainName', what, NAME_PATTERN, 64);
  const w = `Domain '${name}'`;
  const c = restoreTypes(raw, ConfigTypes[ResourceTypes.DOMAIN], w);
  const matching = obj(c.Matching);
  const rbm = obj(c.RuleBasedMatching);
  const dataStore = obj(c.DataStore);
  // Required where their structure is set (the restore only checks the type of what is there).
  if (matching) toBoolean(matching.Enabled, 'Matching.Enabled', w);
  if (rbm) toBoolean(rbm.Enabled, 'RuleBasedMatching.Enabled', w);
  return compact({
    DomainName: name,
    DefaultExpirationDays: toNumber(c.DefaultExpirationDays, 'DefaultExpirationDays', w),
    DefaultEncryptionKey: c.DefaultEncryptionKey as string | undefined,
    DeadLetterQueueUrl: c.DeadLetterQueueUrl as string | undefined,
    Matching: matching ? compactDeep(matching) as DomainConfig['Matching'] : undefined,
    RuleBasedMatching: rbm ? compactDeep(rbm) as DomainConfig['RuleBasedMatching'] : undefined,
    DataStore: dataStore ? { Enabled: toBoolean(dataStore.Enabled, 'DataStore.Enabled', w) } : undefined,
    Tags: tags(c.Tags, w),
    AdoptExisting: orDefault(c.AdoptExisting, false) || undefined,
    // The constructs wait by default: a domain whose data store is not ready refuses object types.
    WaitForDataStore: orDefault(c.WaitForDataStore, true),
    TimeoutSeconds: timeout(c, w),
  });
}

// ------------------------------------------------------------------ DomainObjectType

export function domainObjectTypeConfig(properties: Json | undefined): DomainObjectTypeConfig {
  const what = 'Domain object type';
  const raw = readConfig(properties, what);
  const domain = requireName(raw.DomainName, 'DomainName', what, NAME_PATTERN, 64);
  const name = requireName(raw.ObjectTypeName, 'ObjectTypeName', what, TYPE_NAME_PATTERN, 255);
  const w = `Domain object type '${domain}/${name}'`;
  const c = restoreTypes(raw, ConfigTypes[ResourceTypes.DOMAIN_OBJECT_TYPE], w);
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
    AdoptExisting: orDefault(c.AdoptExisting, false) || undefined,
  });
}

// ------------------------------------------------------------------ Recommender

export function recommenderConfig(properties: Json | undefined): RecommenderConfig {
  const what = 'Recommender';
  const raw = readConfig(properties, what);
  const domain = requireName(raw.DomainName, 'DomainName', what, NAME_PATTERN, 64);
  const name = requireName(raw.RecommenderName, 'RecommenderName', what, NAME_PATTERN, 64);
  const w = `Recommender '${domain}/${name}'`;
  const c = restoreTypes(raw, ConfigTypes[ResourceTypes.RECOMMENDER], w);
  if (typeof c.RecommenderRecipeName !== 'string' || c.RecommenderRecipeName.length === 0) {
    throw new HandlerError(`${w}: RecommenderRecipeName is required.`);
  }
  return compact({
    DomainName: domain,
    RecommenderName: name,
    RecommenderRecipeName: c.RecommenderRecipeName,
    RecommenderConfig: obj(c.RecommenderConfig) ? compactDeep(c.RecommenderConfig) as RecommenderConfig['RecommenderConfig'] : undefined,
    RecommenderSchemaName: c.RecommenderSchemaName as string | undefined,
    Description: c.Description as string | undefined,
    Tags: tags(c.Tags, w),
    AdoptExisting: orDefault(c.AdoptExisting, false) || undefined,
    Enabled: orDefault(c.Enabled, true),
    WaitForActive: orDefault(c.WaitForActive, true),
    TimeoutSeconds: timeout(c, w),
  });
}

// ------------------------------------------------------------------ SegmentDefinition

export function segmentDefinitionConfig(properties: Json | undefined): SegmentDefinitionConfig {
  const what = 'Segment definition';
  const raw = readConfig(properties, what);
  const domain = requireName(raw.DomainName, 'DomainName', what, NAME_PATTERN, 64);
  const name = requireName(raw.SegmentDefinitionName, 'SegmentDefinitionName', what, NAME_PATTERN, 64);
  const w = `Segment definition '${domain}/${name}'`;
  const c = restoreTypes(raw, ConfigTypes[ResourceTypes.SEGMENT_DEFINITION], w);
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
    AdoptExisting: orDefault(c.AdoptExisting, false) || undefined,
    ValidateBeforeCreate: orDefault(c.ValidateBeforeCreate, true),
    TimeoutSeconds: timeout(c, w),
  });
}
