import { ResourceEvent } from '../../../lambda/common';
import { HandlerError } from '../../../lambda/errors';
import { decision, planOf } from '../../../lambda/framework/decisions';
import { ALREADY_GONE_KEY, lifecycle, ResourceHooks } from '../../../lambda/framework/lifecycle';
import { LEFT_IN_PLACE_KEY, markerOf } from '../../../lambda/ownership';
import { DEADLINE_KEY, OWNER_TAG_KEY, Tags } from '../../../src/private/contract';

/**
 * The shared lifecycle with a resource of its own: hooks that record what the lifecycle asks of
 * them, over an in-memory "service", so the routing, ownership and wait rules are tested once,
 * for every resource.
 */

const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Framework/0c9f7e60-0000-0000-0000-000000000000';
const OTHER = 'OtherTeam/7a1d3c20-0000-0000-0000-000000000000/Thing';

interface Config { readonly Name: string; readonly Value: string; readonly AdoptExisting?: boolean; readonly TimeoutSeconds: number }
interface Live { readonly tags: Tags }

function fixture(initial?: Live) {
  const calls: string[] = [];
  let live = initial;
  const hooks: ResourceHooks<Config, { Name: string }, Live> = {
    resourceType: 'Custom::Thing',
    noun: 'thing',
    importHint: 'Thing.fromName',
    getOperation: 'GetThing',
    deleteOperation: 'DeleteThing',
    physicalId: (id) => id.Name,
    parsePhysicalId: (id) => (/^[a-z]+$/.test(id) ? { Name: id } : undefined),
    ref: (id) => ({ kind: 'Thing', name: id.Name }),
    arn: (_e, id) => `arn:thing/${id.Name}`,
    config: (p) => JSON.parse(String(p?.Config)) as Config,
    timeoutSeconds: (c) => c.TimeoutSeconds,
    attributes: (_e, c) => ({ Name: c.Name }),
    get: async () => { calls.push('get'); return live; },
    tagsOf: (l) => l.tags,
    // A new name, or the value 'fixed', is a replacement; any other value change is written in place.
    planUpdate: (old, desired) => planOf([
      (old.Name !== desired.Name || desired.Value === 'fixed') && decision('replace', ['Name'], 'replaced'),
      old.Name === desired.Name && desired.Value !== 'fixed' && old.Value !== desired.Value && decision('update-in-place', ['Value'], 'changed'),
    ]),
    create: async (_e, c) => { calls.push('create'); return { PhysicalResourceId: c.Name, Data: { [DEADLINE_KEY]: 0 } }; },
    update: async (_e, c, _o, _p, _l, verdict) => { calls.push(`update:${verdict}`); return { PhysicalResourceId: c.Name, Data: { [DEADLINE_KEY]: 0 } }; },
    sameIdReplacement: (c) => new HandlerError(`Thing '${c.Name}' cannot be replaced under the same name.`),
    remove: async () => { calls.push('remove'); live = undefined; },
    settle: async () => ({ IsComplete: true }),
  };
  return { handler: lifecycle(hooks), calls, setLive: (l: Live | undefined) => { live = l; } };
}

const props = (c: Partial<Config> = {}) => ({ Config: JSON.stringify({ Name: 'thing', Value: 'a', TimeoutSeconds: 60, ...c }) });
const event = (RequestType: ResourceEvent['RequestType'], extra: Partial<ResourceEvent> = {}): ResourceEvent => ({
  RequestType, ResourceType: 'Custom::Thing', StackId: STACK_ID, LogicalResourceId: 'Thing', PhysicalResourceId: 'thing', ResourceProperties: props(), ...extra,
});
const ours = (): Live => ({ tags: { [OWNER_TAG_KEY]: markerOf(event('Create')) } });

describe('update', () => {
  test('a plan without writes answers without a call', async () => {
    const f = fixture(ours());
    const res = await f.handler.update(event('Update', { OldResourceProperties: props({ TimeoutSeconds: 30 }) }));
    expect(f.calls).toEqual([]);
    expect(res.Data).toMatchObject({ Name: 'thing' });
  });

  test('a write reads first and hands the verdict to the resource', async () => {
    const f = fixture(ours());
    await f.handler.update(event('Update', { OldResourceProperties: props({ Value: 'old' }) }));
    expect(f.calls).toEqual(['get', 'update:ours']);
  });

  test('a write to a resource another stack owns is refused before the resource is asked to write', async () => {
    const f = fixture({ tags: { [OWNER_TAG_KEY]: OTHER } });
    await expect(f.handler.update(event('Update', { OldResourceProperties: props({ Value: 'old' }) }))).rejects.toThrow('belongs to another stack');
    expect(f.calls).toEqual(['get']);
  });

  test('a replacement under the same physical id is refused untouched; under a new one it is a create', async () => {
    const f = fixture(ours());
    await expect(f.handler.update(event('Update', { ResourceProperties: props({ Value: 'fixed' }), OldResourceProperties: props() })))
      .rejects.toThrow("Thing 'thing' cannot be replaced under the same name.");
    expect(f.calls).toEqual([]);
    await f.handler.update(event('Update', { ResourceProperties: props({ Name: 'other' }), OldResourceProperties: props() }));
    expect(f.calls).toEqual(['create']);
  });
});

describe('delete', () => {
  test('an id the handler never made deletes nothing and completes at once', async () => {
    const f = fixture(ours());
    const res = await f.handler.delete(event('Delete', { PhysicalResourceId: 'Thing-ABC123' }));
    expect(f.calls).toEqual([]);
    expect((await f.handler.isComplete({ ...event('Delete', { PhysicalResourceId: 'Thing-ABC123' }), PhysicalResourceId: 'Thing-ABC123', Data: res.Data })).IsComplete).toBe(true);
  });

  test('a resource already gone: one read, and isComplete makes none', async () => {
    const f = fixture(undefined);
    const res = await f.handler.delete(event('Delete'));
    expect(res.Data[ALREADY_GONE_KEY]).toBe(true);
    expect((await f.handler.isComplete({ ...event('Delete'), PhysicalResourceId: 'thing', Data: res.Data })).IsComplete).toBe(true);
    expect(f.calls).toEqual(['get']);
  });

  test('a resource that is not ours is left in place, and isComplete completes at once', async () => {
    const f = fixture({ tags: { [OWNER_TAG_KEY]: OTHER } });
    const res = await f.handler.delete(event('Delete'));
    expect(res.Data[LEFT_IN_PLACE_KEY]).toBe(true);
    expect((await f.handler.isComplete({ ...event('Delete'), PhysicalResourceId: 'thing', Data: res.Data })).IsComplete).toBe(true);
    expect(f.calls).toEqual(['get']);
  });

  test('ours is deleted, waited for while it is still there, and the wait fails at the deadline naming the read', async () => {
    const f = fixture(ours());
    const res = await f.handler.delete(event('Delete'));
    expect(f.calls).toEqual(['get', 'remove']);
    f.setLive(ours());
    const poll = { ...event('Delete'), PhysicalResourceId: 'thing', Data: res.Data };
    expect((await f.handler.isComplete(poll)).IsComplete).toBe(false);
    await expect(f.handler.isComplete({ ...poll, Data: { [DEADLINE_KEY]: Date.now() - 1 } }))
      .rejects.toThrow("Thing 'thing': gave up waiting for the thing to be deleted after 60 seconds (last seen: still returned by GetThing)");
    f.setLive(undefined);
    expect((await f.handler.isComplete(poll)).IsComplete).toBe(true);
  });
});
