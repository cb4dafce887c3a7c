import { isRecord } from './model';
import { Input } from './protocol';
import {
  DataStoreState, DomainRecord, EstimateRecord, ObjectTypeRecord, RecommenderRecord, SeededObject, SeedRecommendation, SegmentRecord, Store,
} from './state';

/**
 * A JSON-serializable copy of an emulator's state, so a CLI that runs the emulator in-process
 * can keep its resources between runs. Times are restored relative to the clock: a resource
 * restored from a snapshot is exactly as far along (readiness, training) as when it was saved,
 * whatever the new clock reads.
 */
export interface EmulatorSnapshot {
  readonly format: typeof FORMAT;
  /** The clock (simulated ms) when the snapshot was taken. */
  readonly clockMs: number;
  readonly region: string;
  readonly accountId: string;
  readonly domains: DomainSnapshot[];
  readonly tags: Record<string, Record<string, string>>;
}

const FORMAT = 'customer-profiles-emulator/1';

interface DomainSnapshot {
  readonly name: string;
  readonly arn: string;
  readonly createdAt: number;
  readonly lastUpdatedAt: number;
  readonly config: Input;
  readonly dataStore?: DataStoreState;
  readonly objectTypes: ObjectTypeRecord[];
  readonly recommenders: RecommenderRecord[];
  readonly segments: SegmentRecord[];
  readonly estimates: EstimateRecord[];
  readonly objects: Array<[string, SeededObject[]]>;
  readonly profiles: Array<Record<string, unknown>>;
  readonly recommendations: Array<[string, Array<[string, SeedRecommendation[]]>]>;
}

export function takeSnapshot(store: Store, clockMs: number): EmulatorSnapshot {
  const domains = [...store.domains.values()].map((d): DomainSnapshot => ({
    name: d.name,
    arn: d.arn,
    createdAt: d.createdAt,
    lastUpdatedAt: d.lastUpdatedAt,
    config: d.config,
    dataStore: d.dataStore,
    objectTypes: [...d.objectTypes.values()],
    recommenders: [...d.recommenders.values()],
    segments: [...d.segments.values()],
    estimates: [...d.estimates.values()],
    objects: [...d.objects.entries()],
    profiles: d.profiles,
    recommendations: [...d.recommendations.entries()].map(([name, byProfile]) => [name, [...byProfile.entries()]]),
  }));
  // A JSON round trip makes the snapshot independent of the live state.
  const snapshot: EmulatorSnapshot = {
    format: FORMAT,
    clockMs,
    region: store.region,
    accountId: store.accountId,
    domains,
    tags: Object.fromEntries(store.tags),
  };
  return JSON.parse(JSON.stringify(snapshot));
}

/** Replaces the store's contents with the snapshot, shifting every time by `clockMs - snapshot.clockMs`. */
export function restoreSnapshot(store: Store, value: unknown, clockMs: number): void {
  if (!isRecord(value) || value.format !== FORMAT || !Array.isArray(value.domains) || !isRecord(value.tags)) {
    throw new Error(`Not an emulator snapshot (expected format ${FORMAT})`);
  }
  const snapshot = JSON.parse(JSON.stringify(value)) as EmulatorSnapshot;
  if (snapshot.region !== store.region || snapshot.accountId !== store.accountId) {
    throw new Error(`The snapshot is of ${snapshot.region}/${snapshot.accountId}, this emulator serves ${store.region}/${store.accountId}`);
  }
  const shift = clockMs - snapshot.clockMs;
  const t = (ms: number): number => ms + shift;
  const opt = (ms: number | undefined): number | undefined => (ms === undefined ? undefined : ms + shift);
  store.domains.clear();
  store.tags.clear();
  for (const d of snapshot.domains) {
    const domain: DomainRecord = {
      name: d.name,
      arn: d.arn,
      createdAt: t(d.createdAt),
      lastUpdatedAt: t(d.lastUpdatedAt),
      config: d.config,
      dataStore: d.dataStore ? { ...d.dataStore, readyFrom: opt(d.dataStore.readyFrom) } : undefined,
      objectTypes: new Map(d.objectTypes.map((o) => [o.name, { ...o, createdAt: t(o.createdAt), lastUpdatedAt: t(o.lastUpdatedAt) }])),
      recommenders: new Map(d.recommenders.map((r) => [r.name, {
        ...r,
        createdAt: t(r.createdAt),
        lastUpdatedAt: t(r.lastUpdatedAt),
        phases: r.phases.map((p) => ({ ...p, from: t(p.from) })),
        latestUpdate: r.latestUpdate ? { ...r.latestUpdate, from: t(r.latestUpdate.from), until: t(r.latestUpdate.until) } : undefined,
        deletedAt: opt(r.deletedAt),
        trainedAt: opt(r.trainedAt),
      }])),
      segments: new Map(d.segments.map((s) => [s.name, { ...s, createdAt: t(s.createdAt) }])),
      estimates: new Map(d.estimates.map((e) => [e.id, { ...e, createdAt: t(e.createdAt) }])),
      objects: new Map(d.objects.map(([name, records]) => [name, records.map((r) => ({ ...r, at: t(r.at) }))])),
      profiles: d.profiles,
      recommendations: new Map(d.recommendations.map(([name, byProfile]) => [name, new Map(byProfile)])),
    };
    store.domains.set(domain.name, domain);
  }
  for (const [arn, tags] of Object.entries(snapshot.tags)) store.tags.set(arn, tags);
}
