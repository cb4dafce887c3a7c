import { OWNER_TAG_KEY, ResourceTypes } from '@cdk-customer-profiles/constructs/lib/private/contract';
import { isRecord } from '../emulator/model';

/**
 * Desired (the typed Config) against live (the Get* answer), member by member, over the members
 * the library manages. A member the app leaves out is the service's default, not drift; members
 * that are maps the library writes whole (tags, object type fields) must match key for key.
 */

type Json = Record<string, unknown>;

export interface FieldDifference {
  /** Config member path, e.g. `RecommenderConfig.TrainingFrequency`, `Tags.team`. */
  readonly field: string;
  /** Absent when sensitive, or when the member is absent on that side. */
  readonly desired?: unknown;
  readonly live?: unknown;
  /** Customer data (queries, descriptions, segment groups): the values are never shown. */
  readonly sensitive?: boolean;
}

/** The field shown for a resource that is missing live. */
export const MISSING_FIELD = '(resource)';

/** Members whose values are customer data. */
const SENSITIVE = new Set(['Description', 'SegmentSqlQuery', 'SegmentGroups']);

/** Members compared key for key (a key present live only is drift too). */
const WHOLE_MAPS = new Set(['Tags', 'Fields', 'RecommenderConfig.IncludedColumns']);

interface Member {
  readonly key: string;
  /** The live value in the shape of the Config member. */
  readonly live: (live: Json) => unknown;
  /** The desired value; default: the Config member. */
  readonly desired?: (config: Json) => unknown;
}

const tags: Member = {
  key: 'Tags',
  // The ownership marker is the handler's, never the app's: never drift.
  live: (l) => withoutMarker(l.Tags) ?? {},
  desired: (c) => withoutMarker(c.Tags) ?? {},
};
const member = (key: string): Member => ({ key, live: (l) => l[key] });

const RUNNING = ['ACTIVE', 'PENDING', 'IN_PROGRESS', 'STARTING'];
const STOPPED = ['INACTIVE', 'STOPPING'];

const MEMBERS: Record<string, readonly Member[]> = {
  [ResourceTypes.DOMAIN]: [
    member('DefaultExpirationDays'),
    member('DefaultEncryptionKey'),
    member('DeadLetterQueueUrl'),
    member('Matching'),
    // Status is reported by the service, never written.
    { key: 'RuleBasedMatching', live: (l) => omit(l.RuleBasedMatching, 'Status') },
    { key: 'DataStore', live: (l) => (isRecord(l.DataStore) ? { Enabled: l.DataStore.Enabled } : undefined) },
    tags,
  ],
  [ResourceTypes.DOMAIN_OBJECT_TYPE]: [member('Description'), member('EncryptionKey'), member('Fields'), tags],
  [ResourceTypes.RECOMMENDER]: [
    member('RecommenderRecipeName'),
    member('RecommenderSchemaName'),
    member('RecommenderConfig'),
    member('Description'),
    {
      key: 'Enabled',
      // The running state the app asks for, against the status the service reports.
      live: (l) => l.Status,
      desired: (c) => (c.Enabled === undefined ? undefined : c.Enabled === true || c.Enabled === 'true' ? 'running' : 'stopped'),
    },
    tags,
  ],
  [ResourceTypes.SEGMENT_DEFINITION]: [
    member('DisplayName'), member('Description'), member('SegmentSqlQuery'), member('SegmentGroups'), member('SegmentSort'), tags,
  ],
};

/** Every difference between a resource's desired Config and its live description. */
export function compareResource(resourceType: string, config: Json, live: Json): FieldDifference[] {
  const out: FieldDifference[] = [];
  for (const m of MEMBERS[resourceType] ?? []) {
    const desired = m.desired ? m.desired(config) : config[m.key];
    const have = m.live(live);
    if (m.key === 'Enabled') {
      const ok = desired === undefined || (desired === 'running' ? RUNNING : STOPPED).includes(String(have));
      if (!ok) out.push({ field: 'Enabled', desired: desired === 'running', live: have ?? null });
      continue;
    }
    if (SENSITIVE.has(m.key)) {
      if (desired !== undefined && !same(desired, have)) out.push({ field: m.key, sensitive: true });
      continue;
    }
    compareValue(m.key, desired, have, out);
  }
  return out;
}

function compareValue(path: string, desired: unknown, live: unknown, out: FieldDifference[]): void {
  if (desired === undefined) {
    return;
  }
  if (isRecord(desired) && isRecord(live)) {
    const keys = WHOLE_MAPS.has(path) ? new Set([...Object.keys(desired), ...Object.keys(live)]) : Object.keys(desired);
    for (const key of keys) {
      if (WHOLE_MAPS.has(path) && !(key in desired)) {
        out.push({ field: `${path}.${key}`, live: live[key] });
      } else if (WHOLE_MAPS.has(path) && !(key in live)) {
        out.push({ field: `${path}.${key}`, desired: desired[key] });
      } else {
        compareValue(`${path}.${key}`, desired[key], live[key], out);
      }
    }
    return;
  }
  if (!same(desired, live)) {
    out.push({ field: path, desired, ...(live === undefined ? {} : { live }) });
  }
}

/** Deep equality where a number equals its string form (CloudFormation renders token numbers as strings). */
function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' || typeof b === 'number') {
    return a !== null && b !== null && a !== '' && b !== '' && Number(a) === Number(b);
  }
  if (typeof a === 'boolean' || typeof b === 'boolean') {
    return String(a) === String(b);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => same(item, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    // Desired members only: a member the app leaves out is the service's default.
    return Object.keys(a).every((k) => a[k] === undefined || same(a[k], b[k]));
  }
  return a === b;
}

function withoutMarker(value: unknown): Json | undefined {
  return omit(value, OWNER_TAG_KEY);
}

function omit(value: unknown, key: string): Json | undefined {
  if (!isRecord(value)) {
    return undefined;
  }
  const { [key]: _dropped, ...rest } = value;
  return rest;
}
