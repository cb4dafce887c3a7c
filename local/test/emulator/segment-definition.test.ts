import {
  BadRequestException,
  CreateDomainCommand,
  CreateSegmentDefinitionCommand,
  CreateSegmentEstimateCommand,
  DeleteSegmentDefinitionCommand,
  GetSegmentDefinitionCommand,
  GetSegmentEstimateCommand,
  GetSegmentMembershipCommand,
  ListSegmentDefinitionsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-customer-profiles';
import { EmulatorForTests, startEmulatorForTests, stopEmulatorForTests } from '../helpers/emulator';

let env: EmulatorForTests;
beforeEach(async () => {
  env = await startEmulatorForTests();
  await env.client.send(new CreateDomainCommand({ DomainName: 'D', DefaultExpirationDays: 30, DataStore: { Enabled: true } }));
  env.emu.seedProfiles('D', [
    { ProfileId: '1'.repeat(32), FirstName: 'Ann', Attributes: { tier: 'gold', spend: '900' } },
    { ProfileId: '2'.repeat(32), FirstName: 'Bob', Attributes: { tier: 'silver', spend: '90' } },
    { ProfileId: '3'.repeat(32), FirstName: 'Cyd', Attributes: { tier: 'gold', spend: '300' } },
  ]);
});
afterEach(async () => {
  await stopEmulatorForTests(env);
});

const sql = "SELECT * FROM _profile WHERE _profile.Attributes.tier = 'gold' AND _profile.Attributes.spend > 500";

describe('segment definitions', () => {
  test('an SQL segment is ENHANCED; it is read, listed and deleted', async () => {
    const out = await env.client.send(new CreateSegmentDefinitionCommand({
      DomainName: 'D', SegmentDefinitionName: 'HighValue', DisplayName: 'High value', SegmentSqlQuery: sql, Tags: { a: 'b' },
    }));
    expect(out.SegmentDefinitionArn).toBe('arn:aws:profile:us-east-1:123456789012:domains/D/segment-definitions/HighValue');
    const got = await env.client.send(new GetSegmentDefinitionCommand({ DomainName: 'D', SegmentDefinitionName: 'HighValue' }));
    expect(got).toMatchObject({ SegmentType: 'ENHANCED', SegmentSqlQuery: sql, DisplayName: 'High value', Tags: { a: 'b' } });
    const list = await env.client.send(new ListSegmentDefinitionsCommand({ DomainName: 'D' }));
    expect(list.Items).toEqual([expect.objectContaining({ SegmentDefinitionName: 'HighValue', SegmentType: 'ENHANCED' })]);
    expect(list.Items?.[0]).not.toHaveProperty('SegmentSqlQuery');
    expect((await env.client.send(new DeleteSegmentDefinitionCommand({ DomainName: 'D', SegmentDefinitionName: 'HighValue' }))).Message).toMatch(/deleted/);
    await expect(env.client.send(new GetSegmentDefinitionCommand({ DomainName: 'D', SegmentDefinitionName: 'HighValue' })))
      .rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  test('a name that exists is refused (BadRequest), leaving the existing definition and its tags as they were', async () => {
    await env.client.send(new CreateSegmentDefinitionCommand({
      DomainName: 'D', SegmentDefinitionName: 'HighValue', DisplayName: 'Theirs', SegmentSqlQuery: sql, Tags: { owner: 'them' },
    }));
    await expect(env.client.send(new CreateSegmentDefinitionCommand({
      DomainName: 'D', SegmentDefinitionName: 'HighValue', DisplayName: 'Ours', SegmentSqlQuery: 'SELECT * FROM _profile', Tags: { owner: 'us' },
    }))).rejects.toBeInstanceOf(BadRequestException);
    expect(env.emu.state.segmentDefinition('D', 'HighValue')).toMatchObject({ DisplayName: 'Theirs', SegmentSqlQuery: sql, Tags: { owner: 'them' } });
  });

  test('a create takes at most 50 tags (49 user tags and the owner marker fit)', async () => {
    const tags = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
    await expect(env.client.send(new CreateSegmentDefinitionCommand({
      DomainName: 'D', SegmentDefinitionName: 'TooMany', DisplayName: 'S', SegmentSqlQuery: sql, Tags: tags(51),
    }))).rejects.toBeInstanceOf(BadRequestException);
    await env.client.send(new CreateSegmentDefinitionCommand({
      DomainName: 'D', SegmentDefinitionName: 'Fits', DisplayName: 'S', SegmentSqlQuery: sql, Tags: tags(50),
    }));
    expect(Object.keys(env.emu.state.segmentDefinition('D', 'Fits')?.Tags as object)).toHaveLength(50);
  });

  test('a segment-group segment is CLASSIC', async () => {
    await env.client.send(new CreateSegmentDefinitionCommand({
      DomainName: 'D',
      SegmentDefinitionName: 'Classic',
      DisplayName: 'Classic',
      SegmentGroups: { Include: 'ALL', Groups: [{ Type: 'ALL', Dimensions: [{ ProfileAttributes: { FirstName: { DimensionType: 'INCLUSIVE', Values: ['Ann'] } } }] }] },
    }));
    expect(env.emu.state.segmentDefinition('D', 'Classic')?.SegmentType).toBe('CLASSIC');
  });

  test('needs exactly one of SQL and groups', async () => {
    await expect(env.client.send(new CreateSegmentDefinitionCommand({ DomainName: 'D', SegmentDefinitionName: 'S', DisplayName: 'S' })))
      .rejects.toThrow(/Exactly one of SegmentSqlQuery and SegmentGroups/);
  });

  test('SQL that does not parse is refused with the parser message, never the SQL', async () => {
    const secret = "SELEC * FROM _profile WHERE _profile.EmailAddress = 'secret@example.com'";
    const err = await env.client.send(new CreateSegmentDefinitionCommand({
      DomainName: 'D', SegmentDefinitionName: 'S', DisplayName: 'S', SegmentSqlQuery: secret,
    })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestException);
    expect((err as Error).message).toMatch(/^SegmentSqlQuery is not valid SQL \(line 1, column \d+\): Expected/);
    expect((err as Error).message).not.toContain('secret@example.com');
    await expect(env.client.send(new CreateSegmentDefinitionCommand({
      DomainName: 'D', SegmentDefinitionName: 'S', DisplayName: 'S', SegmentSqlQuery: 'DELETE FROM _profile',
    }))).rejects.toThrow(/single SELECT statement/);
  });

  test('an estimate answers 202 RUNNING, then 200 with the count of matching profiles', async () => {
    const created = await env.client.send(new CreateSegmentEstimateCommand({ DomainName: 'D', SegmentSqlQuery: sql }));
    expect(created.StatusCode).toBe(202);
    expect(created.EstimateId).toBeDefined();
    const running = await env.client.send(new GetSegmentEstimateCommand({ DomainName: 'D', EstimateId: created.EstimateId! }));
    expect(running).toMatchObject({ Status: 'RUNNING', StatusCode: 202 });
    env.emu.clock.advance(5000);
    const done = await env.client.send(new GetSegmentEstimateCommand({ DomainName: 'D', EstimateId: created.EstimateId! }));
    expect(done).toMatchObject({ Status: 'SUCCEEDED', StatusCode: 200, Estimate: '1' });
    const all = await env.client.send(new CreateSegmentEstimateCommand({ DomainName: 'D', SegmentSqlQuery: 'SELECT * FROM _profile' }));
    env.emu.clock.advance(5000);
    expect((await env.client.send(new GetSegmentEstimateCommand({ DomainName: 'D', EstimateId: all.EstimateId! }))).Estimate).toBe('3');
    await expect(env.client.send(new CreateSegmentEstimateCommand({ DomainName: 'D', SegmentSqlQuery: 'SELECT FROM WHERE' })))
      .rejects.toThrow(/not valid SQL/);
  });

  test('failSegmentEstimates makes estimates end FAILED with a message', async () => {
    const created = await env.client.send(new CreateSegmentEstimateCommand({ DomainName: 'D', SegmentSqlQuery: sql }));
    env.emu.failSegmentEstimates('D', 'Estimate failed: query timed out');
    env.emu.clock.advance(5000);
    const out = await env.client.send(new GetSegmentEstimateCommand({ DomainName: 'D', EstimateId: created.EstimateId! }));
    expect(out).toMatchObject({ Status: 'FAILED', Message: 'Estimate failed: query timed out', StatusCode: 200 });
  });

  test('seeded profiles must fit the Profile shape', () => {
    expect(() => env.emu.seedProfiles('D', [{ FirstName: 'Ann', Attributes: { age: 42 } }]))
      .toThrow(/profile 0 does not fit the Profile shape: .*'Attributes\.\*' failed to satisfy constraint: Member must be a string/);
  });

  test('membership says PRESENT, ABSENT or not found, with LastComputedAt', async () => {
    await env.client.send(new CreateSegmentDefinitionCommand({ DomainName: 'D', SegmentDefinitionName: 'Gold', DisplayName: 'Gold', SegmentSqlQuery: "SELECT * FROM _profile WHERE tier = 'gold'" }));
    const out = await env.client.send(new GetSegmentMembershipCommand({
      DomainName: 'D', SegmentDefinitionName: 'Gold', ProfileIds: ['1'.repeat(32), '2'.repeat(32), 'f'.repeat(32)],
    }));
    expect(out.Profiles?.map((p) => [p.ProfileId, p.QueryResult])).toEqual([['1'.repeat(32), 'PRESENT'], ['2'.repeat(32), 'ABSENT']]);
    expect(out.Profiles?.[0].Profile?.FirstName).toBe('Ann');
    expect(out.Failures).toEqual([{ ProfileId: 'f'.repeat(32), Message: expect.stringMatching(/not found/), Status: 404 }]);
    expect(out.LastComputedAt).toBeInstanceOf(Date);
  });
});
