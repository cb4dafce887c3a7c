import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { economy, StepCalls } from '../../bench/deploy';
import { BUNDLED_HANDLER_PATH } from '../../local/src/deploy';

/**
 * Benchmark target 3 (API economy) as a specification: the Customer Profiles calls each resource
 * of the example stack makes per lifecycle step, read from the emulator's request log. Counts,
 * not times: the run is deterministic (one resource at a time, manual clock moved by the query
 * interval after each poll). `npm run bench` reports the same table in docs/benchmarks.md.
 */

beforeAll(() => {
  if (!fs.existsSync(BUNDLED_HANDLER_PATH)) {
    execFileSync(process.execPath, [path.join(__dirname, '..', '..', 'scripts', 'bundle-handler.mjs')], { stdio: 'ignore' });
  }
});

/** The writes a create must make: the create call, plus what the desired state needs. */
const CREATE_WRITES: Record<string, string[]> = {
  Customers: ['CreateDomain'],
  CustomersCustomerRecords: ['PutDomainObjectType'],
  CustomersOrders: ['PutDomainObjectType'],
  CustomersProducts: ['PutDomainObjectType'],
  CustomersWebEvents: ['PutDomainObjectType'],
  CustomersForYou: ['CreateRecommender'],
  CustomersSimilarItems: ['CreateRecommender'],
  // enabled: false: trained first, then stopped.
  CustomersTrending: ['CreateRecommender', 'StopRecommender'],
  // validateBeforeCreate (the default): the query runs as an estimate before the definition exists.
  CustomersHighValue: ['CreateSegmentEstimate', 'CreateSegmentDefinition'],
  CustomersGoldMembers: ['CreateSegmentEstimate', 'CreateSegmentDefinition'],
};

/** Logical ids without their hash suffix, so that the map reads like the example's construct ids. */
const idOf = (logicalId: string) => logicalId.replace(/[0-9A-F]{8}$/, '');

const DELETE_WRITES: Record<string, string> = {
  'Custom::CustomerProfilesDomain': 'DeleteDomain',
  'Custom::CustomerProfilesDomainObjectType': 'DeleteDomainObjectType',
  'Custom::CustomerProfilesRecommender': 'DeleteRecommender',
  'Custom::CustomerProfilesSegmentDefinition': 'DeleteSegmentDefinition',
};

describe('API economy of the example app (platform and personalization stacks) on the emulator', () => {
  let steps: StepCalls[];
  let success: boolean[];
  const of = (step: StepCalls['step']) => steps.filter((s) => s.step === step);

  beforeAll(async () => {
    ({ steps, success } = await economy());
  }, 120_000);

  test('every step succeeds and covers the ten resources of the example', () => {
    expect(success.every(Boolean)).toBe(true);
    for (const step of ['create', 'redeploy', 'update-unchanged', 'delete'] as const) {
      expect(of(step).map((s) => idOf(s.logicalId)).sort()).toEqual(Object.keys(CREATE_WRITES).sort());
    }
  });

  test('create: the create call (and what the desired state needs), then one read per poll; a read first where the create cannot refuse a takeover itself', () => {
    const objectType = (s: StepCalls) => s.resourceType.endsWith('DomainObjectType');
    const segment = (s: StepCalls) => s.resourceType.endsWith('SegmentDefinition');
    for (const s of of('create')) {
      expect({ id: s.logicalId, writes: s.writes }).toEqual({ id: s.logicalId, writes: CREATE_WRITES[idOf(s.logicalId)] });
      // Object types (PutDomainObjectType is an upsert) and segments (created only after the validating
      // estimate, so the ownership check must come before onEvent returns a physical id) read first;
      // domains and recommenders learn of an existing resource from the create's own refusal.
      expect({ id: s.logicalId, onEventReads: s.onEventReads, maxReadsPerPoll: s.maxReadsPerPoll })
        .toEqual({ id: s.logicalId, onEventReads: objectType(s) || segment(s) ? 1 : 0, maxReadsPerPoll: s.reads - s.onEventReads > 0 ? 1 : 0 });
    }
    // The resources that wait read once per poll.
    const waiting = of('create').filter((s) => !objectType(s));
    expect(waiting.every((s) => s.reads - s.onEventReads === s.polls)).toBe(true);
    // An object type is usable at once (no poll reads).
    expect(of('create').filter(objectType).map((s) => [s.onEventReads, s.reads - s.onEventReads])).toEqual([[1, 0], [1, 0], [1, 0], [1, 0]]);
  });

  test('a redeploy without change makes no call at all', () => {
    expect(of('redeploy').map((s) => s.writes.length + s.reads)).toEqual(of('redeploy').map(() => 0));
  });

  test('an Update whose properties did not change makes no write', () => {
    for (const s of of('update-unchanged')) {
      expect({ id: s.logicalId, writes: s.writes }).toEqual({ id: s.logicalId, writes: [] });
      expect(s.reads).toBeLessThanOrEqual(s.polls);
    }
  });

  test('delete: one read (is it this stack\'s?), one delete call, then one read per poll', () => {
    for (const s of of('delete')) {
      expect({ id: s.logicalId, writes: s.writes }).toEqual({ id: s.logicalId, writes: [DELETE_WRITES[s.resourceType]] });
      expect({ id: s.logicalId, reads: s.reads, onEventReads: s.onEventReads }).toEqual({ id: s.logicalId, reads: s.polls + 1, onEventReads: 1 });
    }
  });
});
