import {
  BadRequestException,
  CreateDomainCommand,
  CreateSegmentDefinitionCommand,
  CreateSegmentEstimateCommand,
  GetSegmentEstimateCommand,
} from '@aws-sdk/client-customer-profiles';
import { parseSegmentSql } from '../../src/emulator/sql';
import { EmulatorForTests, startEmulatorForTests, stopEmulatorForTests } from '../helpers/emulator';

// The service runs segment SQL on Spark SQL ("SQL (Beta) segments", Amazon Connect admin guide;
// REFERENCE §8): the emulator parses it with a Spark grammar and refuses what Spark refuses.

let env: EmulatorForTests;
beforeAll(async () => {
  env = await startEmulatorForTests();
  await env.client.send(new CreateDomainCommand({ DomainName: 'D', DefaultExpirationDays: 30, DataStore: { Enabled: true } }));
  env.emu.seedProfiles('D', [
    { ProfileId: '1'.repeat(32), FirstName: 'Ann', Attributes: { tier: 'gold', spend: '900' } },
    { ProfileId: '2'.repeat(32), FirstName: 'Bob', Attributes: { tier: 'silver', spend: '90' } },
    { ProfileId: '3'.repeat(32), FirstName: 'Cyd', Attributes: { tier: 'gold', spend: '300', vip: 'yes' } },
  ]);
});
afterAll(async () => {
  await stopEmulatorForTests(env);
});

let names = 0;
function createDefinition(sql: string): Promise<unknown> {
  names += 1;
  return env.client.send(new CreateSegmentDefinitionCommand({
    DomainName: 'D', SegmentDefinitionName: `S${names}`, DisplayName: 'S', SegmentSqlQuery: sql,
  }));
}

async function estimate(sql: string): Promise<string | undefined> {
  const created = await env.client.send(new CreateSegmentEstimateCommand({ DomainName: 'D', SegmentSqlQuery: sql }));
  env.emu.clock.advance(5000);
  return (await env.client.send(new GetSegmentEstimateCommand({ DomainName: 'D', EstimateId: created.EstimateId! }))).Estimate;
}

async function refusal(send: () => Promise<unknown>): Promise<Error> {
  const err = await send().then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(BadRequestException);
  return err as Error;
}

describe('segment SQL is parsed as Spark SQL', () => {
  test.each([
    ['a map subscript', "SELECT * FROM _profile WHERE Attributes['tier'] = 'gold'"],
    ['an interval', 'SELECT * FROM _profile WHERE _profile.LastUpdatedAt > current_timestamp() - INTERVAL 30 DAYS'],
    ['date_sub over current_date()', 'SELECT * FROM _profile WHERE to_date(_profile.Attributes.joined) >= date_sub(current_date(), 30)'],
    ['the dotted attribute form', "SELECT * FROM _profile WHERE _profile.Attributes.tier = 'gold'"],
    ['WITH ... SELECT', "WITH gold AS (SELECT * FROM _profile WHERE Attributes['tier'] = 'gold') SELECT * FROM gold"],
    ['Spark comments and a trailing semicolon', "-- gold customers\nSELECT * /* all */ FROM _profile WHERE `Attributes`.`tier` = 'gold';"],
  ])('%s is accepted by CreateSegmentDefinition and CreateSegmentEstimate', async (_, sql) => {
    await expect(createDefinition(sql)).resolves.toBeDefined();
    await expect(estimate(sql)).resolves.toMatch(/^\d+$/);
  });

  // Each query carries names and values a customer would choose (zq...): none may reach the message.
  test.each([
    ['MySQL LIMIT offset, count', "SELECT * FROM _profile WHERE Attributes['zq_tier'] = 'zq-gold' LIMIT 10, 20", /^SegmentSqlQuery is not valid SQL \(line 1, column 72\): Expected .*, found ','/],
    ['a MySQL # comment', "SELECT * FROM _profile WHERE Attributes.zq_tier = 'zq-gold' # zq comment", /^SegmentSqlQuery is not valid SQL \(line 1, column 61\): .*found a character Spark SQL does not recognize/],
    ['two statements', "SELECT * FROM _profile WHERE Attributes.zq_tier = 'zq-gold'; SELECT * FROM zq_other", /^SegmentSqlQuery must be a single SELECT statement \(one Spark SQL query\); found 2 statements$/],
    ['an INSERT', "INSERT INTO zq_table SELECT * FROM _profile WHERE Attributes.zq_tier = 'zq-gold'", /found a dmlStatement statement$/],
    ['DDL', 'CREATE TABLE zq_table (zq_column STRING)', /found a createTable statement$/],
    ['SET', 'SET zq.key = zq_value', /found a setAny statement$/],
    ['a name where a keyword belongs', "SELECT * FROM _profile WHERE Attributes.zq_tier 'zq-gold'", /^SegmentSqlQuery is not valid SQL \(line 1, column 49\): Expected .*, found a string/],
    ['an unterminated string', "SELECT * FROM _profile WHERE Attributes.zq_tier = 'zq-gold", /\(line 1, column 51\): .*unterminated string/],
    ['an unclosed comment', 'SELECT * FROM _profile /* zq comment', /: Found an unclosed \/\* comment/],
    ['a statement on a later line', 'SELECT *\nFROM _profile\nWHERE zq_tier = = 2', /\(line 3, column 17\)/],
  ])('%s is refused with BadRequestException, and no part of the SQL in the message', async (_, sql, message) => {
    for (const send of [() => createDefinition(sql), () => estimate(sql)]) {
      const err = await refusal(send);
      expect(err.message).toMatch(message);
      expect(err.message.toLowerCase()).not.toContain('zq');
    }
  });

  test('a keyword used as a column name is not named in the message either', async () => {
    const err = await refusal(() => createDefinition('SELECT * FROM _profile WHERE Attributes.tier = 1 source = 2'));
    expect(err.message).toMatch(/\(line 1, column 50\): .*found a name or keyword/);
    expect(err.message.toLowerCase()).not.toContain('source');
  });

  test('a 50,000-character query is parsed', () => {
    const clause = " OR Attributes['tier'] = 'gold'";
    const sql = `SELECT * FROM _profile WHERE Attributes['tier'] = 'x'${clause.repeat(Math.floor((50_000 - 60) / clause.length))}`;
    expect(sql.length).toBeLessThanOrEqual(50_000);
    expect(sql.length).toBeGreaterThan(49_900);
    expect(parseSegmentSql(sql).filter([{ Attributes: { tier: 'gold' } }, { Attributes: { tier: 'silver' } }])).toHaveLength(1);
  });
});

describe('the estimate counts the seeded profiles a simple WHERE clause selects', () => {
  test.each([
    ["_profile.Attributes.tier = 'gold'", '2'],
    ["Attributes['tier'] = 'gold'", '2'],
    ["_profile.Attributes['tier'] = 'gold' AND Attributes['spend'] > 500", '1'],
    ["Attributes.tier = 'gold' AND NOT _profile.Attributes.spend >= 500", '1'],
    ["Attributes['tier'] IN ('silver', 'bronze') OR Attributes['vip'] IS NOT NULL", '2'],
    ["FirstName LIKE 'A%' OR FirstName LIKE '_ob'", '2'],
    ["Attributes['vip'] IS NULL", '2'],
    ['Attributes.spend BETWEEN 100 AND 900', '2'],
    // Three-valued logic: NOT of a comparison with a missing attribute is NULL, not true.
    ["NOT Attributes['vip'] = 'yes'", '0'],
    ["Attributes['vip'] <=> NULL", '2'],
    // Beyond the evaluator: every profile counts.
    ["upper(Attributes['tier']) = 'GOLD'", '3'],
  ])('WHERE %s selects %s', async (where, count) => {
    await expect(estimate(`SELECT * FROM _profile WHERE ${where}`)).resolves.toBe(count);
  });

  test('queries beyond one plain SELECT count every profile', () => {
    const profiles = [{ Attributes: { tier: 'gold' } }, { Attributes: { tier: 'silver' } }];
    for (const sql of [
      "SELECT * FROM _profile WHERE Attributes['tier'] = 'gold' LIMIT 1",
      "WITH g AS (SELECT * FROM _profile) SELECT * FROM g WHERE Attributes['tier'] = 'gold'",
      "SELECT * FROM _profile WHERE Attributes['tier'] = 'gold' UNION SELECT * FROM _profile",
      "SELECT * FROM _profile a JOIN _profile b ON a.x = b.x WHERE Attributes['tier'] = 'gold'",
      "SELECT * FROM _profile WHERE Attributes['tier'] RLIKE 'g.*'",
    ]) {
      expect(parseSegmentSql(sql).matches(profiles[1])).toBeUndefined();
      expect(parseSegmentSql(sql).filter(profiles)).toHaveLength(2);
    }
  });

  test('string literals follow Spark: backslash escapes, raw strings, adjacent literals', () => {
    const profile = { Attributes: { name: "O'Brien", path: 'a\\b', word: 'abc' } };
    expect(parseSegmentSql("SELECT * FROM _profile WHERE Attributes['name'] = 'O\\'Brien'").matches(profile)).toBe(true);
    expect(parseSegmentSql("SELECT * FROM _profile WHERE Attributes['path'] = r'a\\b'").matches(profile)).toBe(true);
    expect(parseSegmentSql("SELECT * FROM _profile WHERE Attributes['word'] = 'a' 'bc'").matches(profile)).toBe(true);
    expect(parseSegmentSql("SELECT * FROM _profile WHERE Attributes['word'] LIKE 'a\\%'").matches(profile)).toBe(false);
  });
});
