import { CfnParameter, Duration, Lazy, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { DataStore } from '../src/data-store';
import { Domain } from '../src/domain';
import { SegmentDefinition, SegmentDefinitionOptions } from '../src/segment-definition';
import {
  AddressAttribute,
  AddressField,
  DimensionType,
  ProfileAttribute,
  ProfileType,
  SegmentDimension,
  SegmentInclude,
  SegmentQuery,
  SortAttributeType,
  SortDataType,
  SortOrder,
} from '../src/segment-query';
import {
  expectExactStatement,
  expectPerKindStatement,
  importedDomainStack,
  onlyConfig,
  ownedDomainStack,
  parseConfig,
  profileArn,
  providerStatements,
  resourcesOf,
} from './helpers/child-constructs';

const TYPE = 'Custom::CustomerProfilesSegmentDefinition';
const SQL = "SELECT * FROM profiles WHERE Attributes.tier = 'gold'";

function configs(stack: Stack): Record<string, Record<string, any>> {
  return Object.fromEntries(resourcesOf(Template.fromStack(stack), TYPE).map(([id, r]) => [id, parseConfig(r.Properties)]));
}

describe('SegmentDefinition', () => {
  test('an SQL segment: Config carries the query, display name and defaults', () => {
    const { stack, domain } = ownedDomainStack();
    new SegmentDefinition(stack, 'Gold', {
      domain,
      segmentDefinitionName: 'gold',
      displayName: 'Gold customers',
      description: 'Tier gold',
      query: SegmentQuery.sql(SQL),
    });
    expect(onlyConfig(Template.fromStack(stack), TYPE)).toEqual({
      DomainName: 'customers',
      SegmentDefinitionName: 'gold',
      DisplayName: 'Gold customers',
      Description: 'Tier gold',
      SegmentSqlQuery: SQL,
      ValidateBeforeCreate: true,
      TimeoutSeconds: 1800,
    });
  });

  test('a classic segment renders every dimension kind as the API SegmentGroup', () => {
    const { stack, domain } = ownedDomainStack();
    new SegmentDefinition(stack, 'Classic', {
      domain,
      segmentDefinitionName: 'classic',
      displayName: 'Classic',
      query: SegmentQuery.groups({
        include: SegmentInclude.ANY,
        groups: [{
          dimensionsInclude: SegmentInclude.ALL,
          dimensions: [
            SegmentDimension.profileAttribute(ProfileAttribute.EMAIL_ADDRESS, DimensionType.ENDS_WITH, ['@example.com']),
            SegmentDimension.address(AddressAttribute.SHIPPING_ADDRESS, AddressField.COUNTRY, DimensionType.INCLUSIVE, ['DE', 'FR']),
            SegmentDimension.birthDate(DimensionType.BETWEEN, ['1980-01-01', '1989-12-31']),
            SegmentDimension.profileType(DimensionType.INCLUSIVE, ProfileType.ACCOUNT_PROFILE),
            SegmentDimension.customAttribute('tier', DimensionType.INCLUSIVE, ['gold']),
            SegmentDimension.calculatedAttribute('_total_spend', DimensionType.GREATER_THAN, ['1000'], {
              rangeOverride: { start: Duration.days(90), end: Duration.days(7) },
            }),
            SegmentDimension.calculatedAttribute('_orders', DimensionType.EQUAL, ['3']),
          ],
        }],
      }),
      sort: [{ name: 'LastName', order: SortOrder.ASC, dataType: SortDataType.STRING, attributeType: SortAttributeType.PROFILE }],
      validateBeforeCreate: false,
      timeout: Duration.minutes(5),
    });
    const config = onlyConfig(Template.fromStack(stack), TYPE);
    expect(config.SegmentSqlQuery).toBeUndefined();
    expect(config.SegmentGroups).toEqual({
      Include: 'ANY',
      Groups: [{
        Type: 'ALL',
        Dimensions: [
          { ProfileAttributes: { EmailAddress: { DimensionType: 'ENDS_WITH', Values: ['@example.com'] } } },
          { ProfileAttributes: { ShippingAddress: { Country: { DimensionType: 'INCLUSIVE', Values: ['DE', 'FR'] } } } },
          { ProfileAttributes: { BirthDate: { DimensionType: 'BETWEEN', Values: ['1980-01-01', '1989-12-31'] } } },
          { ProfileAttributes: { ProfileType: { DimensionType: 'INCLUSIVE', Values: ['ACCOUNT_PROFILE'] } } },
          { ProfileAttributes: { Attributes: { tier: { DimensionType: 'INCLUSIVE', Values: ['gold'] } } } },
          {
            CalculatedAttributes: {
              _total_spend: {
                DimensionType: 'GREATER_THAN',
                Values: ['1000'],
                ConditionOverrides: { Range: { Start: 90, End: 7, Unit: 'DAYS' } },
              },
            },
          },
          { CalculatedAttributes: { _orders: { DimensionType: 'EQUAL', Values: ['3'] } } },
        ],
      }],
    });
    expect(config.SegmentSort).toEqual({ Attributes: [{ Name: 'LastName', Order: 'ASC', DataType: 'STRING', Type: 'PROFILE' }] });
    expect(config).toMatchObject({ ValidateBeforeCreate: false, TimeoutSeconds: 300 });
  });

  test('source segments reference another SegmentDefinition (and so wait for it)', () => {
    const { stack, domain } = ownedDomainStack();
    const gold = new SegmentDefinition(stack, 'Gold', { domain, displayName: 'Gold', query: SegmentQuery.sql(SQL) });
    const vip = SegmentDefinition.fromSegmentDefinitionName(stack, 'Vip', domain, 'vip');
    new SegmentDefinition(stack, 'GoldOrVip', {
      domain,
      segmentDefinitionName: 'gold-or-vip',
      displayName: 'Gold or VIP',
      query: SegmentQuery.groups({ groups: [{ sourceSegments: [gold, vip], sourceSegmentsInclude: SegmentInclude.ANY }] }),
    });
    const all = configs(stack);
    const goldId = Object.keys(all).find((id) => id.startsWith('Gold') && !id.startsWith('GoldOrVip'))!;
    const combined = Object.values(all).find((c) => c.SegmentDefinitionName === 'gold-or-vip')!;
    expect(combined.SegmentGroups).toEqual({
      Groups: [{
        SourceSegments: [{ SegmentDefinitionName: `\${${goldId}.SegmentDefinitionName}` }, { SegmentDefinitionName: 'vip' }],
        SourceType: 'ANY',
      }],
    });
  });

  test('SQL segments are ENHANCED, groups CLASSIC; the deployed type is an attribute', () => {
    expect(SegmentQuery.sql(SQL).segmentType).toBe('ENHANCED');
    expect(SegmentQuery.groups({ groups: [] }).segmentType).toBe('CLASSIC');
    const { stack, domain } = ownedDomainStack();
    const s = new SegmentDefinition(stack, 'Gold', { domain, displayName: 'Gold', query: SegmentQuery.sql(SQL) });
    const [[id]] = resourcesOf(Template.fromStack(stack), TYPE);
    expect(stack.resolve(s.segmentType)).toEqual({ 'Fn::GetAtt': [id, 'SegmentType'] });
    expect(stack.resolve(s.estimatedProfileCount)).toEqual({ 'Fn::GetAtt': [id, 'EstimatedProfileCount'] });
    expect(stack.resolve(s.segmentDefinitionName)).toEqual({ 'Fn::GetAtt': [id, 'SegmentDefinitionName'] });
    expect(stack.resolve(s.segmentDefinitionArn)).toEqual({ 'Fn::GetAtt': [id, 'SegmentDefinitionArn'] });
    expect(stack.resolve(s.segmentDefinitionRef)).toEqual({
      domainName: { 'Fn::GetAtt': ['Customers6955EA0A', 'DomainName'] },
      segmentDefinitionName: { 'Fn::GetAtt': [id, 'SegmentDefinitionName'] },
      segmentDefinitionArn: { 'Fn::GetAtt': [id, 'SegmentDefinitionArn'] },
    });
  });

  describe('generated names carry a hash of the content', () => {
    function nameFor(options: Partial<SegmentDefinitionOptions>): string {
      const { stack, domain } = ownedDomainStack();
      new SegmentDefinition(stack, 'Gold', { domain, displayName: 'Gold', query: SegmentQuery.sql(SQL), ...options });
      return onlyConfig(Template.fromStack(stack), TYPE).SegmentDefinitionName;
    }

    test('valid and stable between synths', () => {
      const name = nameFor({});
      expect(name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
      expect(name).toMatch(/Gold.*-[0-9a-f]{8}$/);
      expect(nameFor({})).toBe(name);
    });

    test.each<[string, Partial<SegmentDefinitionOptions>]>([
      ['the query', { query: SegmentQuery.sql(`${SQL} AND 1 = 1`) }],
      ['the display name', { displayName: 'Gold (new)' }],
      ['the description', { description: 'now with a description' }],
      ['the sort', { sort: [{ name: 'LastName', order: SortOrder.DESC }] }],
    ])('a change of %s changes the name', (_, change) => {
      expect(nameFor(change)).not.toBe(nameFor({}));
    });

    test('a source segment replaced under a new name changes the name of the segments built on it', () => {
      function dependentName(sourceSql: string): string {
        const { stack, domain } = ownedDomainStack();
        const source = new SegmentDefinition(stack, 'Source', { domain, displayName: 'Source', query: SegmentQuery.sql(sourceSql) });
        new SegmentDefinition(stack, 'Dependent', {
          domain,
          displayName: 'Dependent',
          query: SegmentQuery.groups({ groups: [{ sourceSegments: [source] }] }),
        });
        return Object.values(configs(stack)).find((c) => c.DisplayName === 'Dependent')!.SegmentDefinitionName;
      }
      expect(dependentName(SQL)).toBe(dependentName(SQL));
      expect(dependentName(`${SQL} AND 1 = 1`)).not.toBe(dependentName(SQL));
    });

    test('tags, timeout and validation options do not change the name', () => {
      expect(nameFor({ tags: { a: 'b' }, timeout: Duration.minutes(3), validateBeforeCreate: false })).toBe(nameFor({}));
    });
  });

  test('waits for the domain, which waits for the provider policy holding the child statements', () => {
    const { stack, domain } = ownedDomainStack();
    new SegmentDefinition(stack, 'Gold', { domain, displayName: 'Gold', query: SegmentQuery.sql(SQL) });
    const [[, resource]] = resourcesOf(Template.fromStack(stack), TYPE);
    expect(resource.DependsOn).toEqual(['Customers6955EA0A']);
    const domainResource = Template.fromStack(stack).toJSON().Resources.Customers6955EA0A;
    expect(domainResource.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^CustomerProfilesProviderHandlerServiceRoleDefaultPolicy/)]));
  });

  const SEGMENT_ACTIONS = [
    'profile:CreateSegmentDefinition',
    'profile:GetSegmentDefinition',
    'profile:DeleteSegmentDefinition',
    'profile:TagResource',
    'profile:UntagResource',
  ];

  test('in a domain of its own stack, the handler is granted the domain\'s segment definitions once; estimates on the domain ARN only', () => {
    const { stack, domain } = ownedDomainStack();
    new SegmentDefinition(stack, 'Gold', { domain, segmentDefinitionName: 'gold', displayName: 'Gold', query: SegmentQuery.sql(SQL) });
    new SegmentDefinition(stack, 'Silver', { domain, segmentDefinitionName: 'silver', displayName: 'Silver', query: SegmentQuery.sql(SQL) });
    const statements = providerStatements(Template.fromStack(stack));
    expect(JSON.stringify(statements)).not.toContain('Customers6955EA0A');
    expectPerKindStatement(statements, SEGMENT_ACTIONS, 'customers', 'segment-definitions');
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Action: ['profile:CreateSegmentEstimate', 'profile:GetSegmentEstimate'],
      Resource: profileArn('domains/customers'),
    });
  });

  test('in an imported domain, the handler is granted each segment definition by its exact ARN', () => {
    const { stack, domain } = importedDomainStack();
    new SegmentDefinition(stack, 'Gold', { domain, segmentDefinitionName: 'gold', displayName: 'Gold', query: SegmentQuery.sql(SQL) });
    new SegmentDefinition(stack, 'Silver', { domain, segmentDefinitionName: 'silver', displayName: 'Silver', query: SegmentQuery.sql(SQL) });
    expectExactStatement(providerStatements(Template.fromStack(stack)), SEGMENT_ACTIONS, 'imported', 'segment-definitions', ['gold', 'silver']);
  });

  test('is deleted by default; RETAIN is available', () => {
    const { stack, domain } = ownedDomainStack();
    new SegmentDefinition(stack, 'A', { domain, displayName: 'A', query: SegmentQuery.sql(SQL) });
    new SegmentDefinition(stack, 'B', { domain, displayName: 'B', query: SegmentQuery.sql(SQL), removalPolicy: RemovalPolicy.RETAIN });
    const resources = resourcesOf(Template.fromStack(stack), TYPE);
    const byId = Object.fromEntries(resources.map(([id, r]) => [id.slice(0, 1), r]));
    expect(byId.A).toMatchObject({ DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
    expect(byId.B).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('tags from props and from Tags.of() are rendered into the Config', () => {
    const { stack, domain } = ownedDomainStack();
    const s = new SegmentDefinition(stack, 'Gold', { domain, displayName: 'Gold', query: SegmentQuery.sql(SQL), tags: { team: 'crm' } });
    Tags.of(s).add('stage', 'prod');
    expect(onlyConfig(Template.fromStack(stack), TYPE).Tags).toEqual({ team: 'crm', stage: 'prod' });
  });

  test('grantReadMembership names the segment definition ARN and the domain ARN', () => {
    const { stack, domain } = importedDomainStack();
    const s = SegmentDefinition.fromSegmentDefinitionName(stack, 'Gold', domain, 'gold');
    s.grantReadMembership(new iam.Role(stack, 'Api', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }));
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Api') }],
      PolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: 'profile:GetSegmentMembership',
          Resource: [profileArn('domains/imported/segment-definitions/gold'), profileArn('domains/imported')],
        }],
      },
    });
  });

  test('fromSegmentDefinitionName imports with its ARN and validates the name', () => {
    const { stack, domain } = importedDomainStack();
    const s = SegmentDefinition.fromSegmentDefinitionName(stack, 'Gold', domain, 'gold');
    expect(s.segmentDefinitionName).toBe('gold');
    expect(stack.resolve(s.segmentDefinitionRef)).toEqual({
      domainName: 'imported',
      segmentDefinitionName: 'gold',
      segmentDefinitionArn: profileArn('domains/imported/segment-definitions/gold'),
    });
    expect(() => SegmentDefinition.fromSegmentDefinitionName(stack, 'Bad', domain, 'gold!')).toThrow(/segmentDefinitionName must match/);
  });

  test('on an imported domain there is no domain dependency', () => {
    const { stack, domain } = importedDomainStack();
    new SegmentDefinition(stack, 'Gold', { domain, segmentDefinitionName: 'gold', displayName: 'Gold', query: SegmentQuery.sql(SQL) });
    const template = Template.fromStack(stack);
    expect(onlyConfig(template, TYPE).DomainName).toBe('imported');
    const [[, resource]] = resourcesOf(template, TYPE);
    expect([...resource.DependsOn].sort()).toEqual([
      expect.stringMatching(/^CustomerProfilesProviderHandlerServiceRole[0-9A-F]{8}$/),
      expect.stringMatching(/^CustomerProfilesProviderHandlerServiceRoleDefaultPolicy/),
    ]);
  });

  test('accepts tokens where literals would be validated', () => {
    const { stack, domain } = importedDomainStack();
    const p = (id: string) => new CfnParameter(stack, id).valueAsString;
    new SegmentDefinition(stack, 'Gold', {
      domain,
      segmentDefinitionName: p('Name'),
      displayName: p('Display'),
      description: p('Description'),
      query: SegmentQuery.sql(p('Sql')),
      timeout: Duration.seconds(new CfnParameter(stack, 'Timeout', { type: 'Number' }).valueAsNumber),
    });
    expect(onlyConfig(Template.fromStack(stack), TYPE)).toMatchObject({ SegmentDefinitionName: '${Name}', SegmentSqlQuery: '${Sql}' });
  });

  test('refuses source segments of another domain', () => {
    const { stack, domain } = ownedDomainStack();
    const other = Domain.fromDomainName(stack, 'Other', 'other');
    const foreign = SegmentDefinition.fromSegmentDefinitionName(stack, 'Foreign', other, 'x');
    expect(() => new SegmentDefinition(stack, 'S', {
      domain: Domain.fromDomainName(stack, 'Mine', 'mine'),
      displayName: 'S',
      query: SegmentQuery.groups({ groups: [{ sourceSegments: [foreign] }] }),
    })).toThrow(/source segments must belong to the segment's domain 'mine', got a segment of domain 'other'/);
    void domain;
  });

  test('refuses source segments of another domain of this app', () => {
    const { stack, domain } = ownedDomainStack();
    const partners = new Domain(stack, 'Partners', { domainName: 'partners', dataStore: DataStore.enabled() });
    const source = new SegmentDefinition(stack, 'Source', { domain, displayName: 'Source', query: SegmentQuery.sql(SQL) });
    expect(() => new SegmentDefinition(stack, 'S', {
      domain: partners,
      displayName: 'S',
      query: SegmentQuery.groups({ groups: [{ sourceSegments: [source] }] }),
    })).toThrow(/source segments must belong to the segment's domain 'partners', got a segment of domain 'customers'/);
    // The same domain imported by name is the same domain.
    new SegmentDefinition(stack, 'Same', {
      domain: Domain.fromDomainName(stack, 'CustomersByName', 'customers'),
      displayName: 'Same',
      query: SegmentQuery.groups({ groups: [{ sourceSegments: [source] }] }),
    });
  });

  describe('on a domain of this app without a data store', () => {
    const plain = () => ownedDomainStack(false);

    test('an SQL segment fails: the service runs SQL segments (and their estimates) on the data store', () => {
      const { stack, domain } = plain();
      for (const validateBeforeCreate of [true, false]) {
        expect(() => new SegmentDefinition(stack, `Gold${validateBeforeCreate}`, { domain, displayName: 'Gold', query: SegmentQuery.sql(SQL), validateBeforeCreate }))
          .toThrow(`SegmentDefinition at 'Stack/Gold${validateBeforeCreate}': query SegmentQuery.sql() needs the data store of domain 'customers', `
            + 'which is not enabled: create the domain with `dataStore: DataStore.enabled()`, or write the query with SegmentQuery.groups()');
      }
    });

    test('an SQL segment given as a token fails too, without the SQL in the message', () => {
      const { stack, domain } = plain();
      const sql = new CfnParameter(stack, 'Sql').valueAsString;
      expect(() => domain.addSegment('Gold', { displayName: 'Gold', query: SegmentQuery.sql(sql) })).toThrow(/query SegmentQuery\.sql\(\) needs the data store/);
      let message = '';
      try {
        new SegmentDefinition(stack, 'Secret', { domain, displayName: 'Gold', query: SegmentQuery.sql("SELECT * FROM profiles WHERE EmailAddress = 'jane@example.com'") });
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toContain('needs the data store');
      expect(message).not.toContain('jane@example.com');
    });

    test('the data store error is listed with the other violations', () => {
      const { stack, domain } = plain();
      expect(() => new SegmentDefinition(stack, 'Gold', { domain, displayName: '', query: SegmentQuery.sql(SQL) }))
        .toThrow(/is invalid:\n {2}- query SegmentQuery\.sql\(\) needs the data store.*\n {2}- displayName/);
    });

    test('a classic segment (SegmentQuery.groups) is accepted: classic segments predate the data store', () => {
      const { stack, domain } = plain();
      new SegmentDefinition(stack, 'Gold', {
        domain,
        displayName: 'Gold',
        query: SegmentQuery.groups({ groups: [{ dimensions: [SegmentDimension.customAttribute('tier', DimensionType.INCLUSIVE, ['gold'])] }] }),
      });
      expect(onlyConfig(Template.fromStack(stack), TYPE).SegmentGroups).toBeDefined();
    });

    test('an imported domain is not checked (its data store is unknown at synth)', () => {
      const { stack, domain } = importedDomainStack();
      new SegmentDefinition(stack, 'Gold', { domain, displayName: 'Gold', query: SegmentQuery.sql(SQL) });
      const template = Template.fromStack(stack);
      expect(onlyConfig(template, TYPE).SegmentSqlQuery).toBe(SQL);
      // The handler reads the imported domain to explain a refusal caused by a disabled data store.
      expect(providerStatements(template)).toContainEqual(expect.objectContaining({
        Action: expect.arrayContaining(['profile:GetDomain']), Resource: profileArn('domains/imported'),
      }));
    });
  });

  test('never writes the SQL into an error message', () => {
    const { stack, domain } = ownedDomainStack();
    const secret = "SELECT * FROM profiles WHERE EmailAddress = 'jane@example.com' " + 'x'.repeat(50000);
    let message = '';
    try {
      new SegmentDefinition(stack, 'Gold', { domain, displayName: '', query: SegmentQuery.sql(secret) });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain(`got a query of ${secret.length} characters`);
    expect(message).not.toContain('jane@example.com');
    expect(message).not.toContain('SELECT');
  });

  const dims = (...d: SegmentDimension[]) => SegmentQuery.groups({ groups: [{ dimensions: d }] });
  const fifty = Array.from({ length: 51 }, (_, i) => `v${i}`);
  const invalid: [string, Partial<SegmentDefinitionOptions>, RegExp][] = [
    ['no query at all', { query: undefined as unknown as SegmentQuery }, /query is required: use SegmentQuery\.sql\(\) .* or SegmentQuery\.groups\(\)/],
    ['a query object that is neither form', { query: { segmentType: 'ENHANCED' } as unknown as SegmentQuery }, /query is required/],
    ['an empty SQL query', { query: SegmentQuery.sql('') }, /query SQL must be 1-50000 characters long and not blank, got a query of 0 characters/],
    ['a blank SQL query', { query: SegmentQuery.sql('   ') }, /got a query of 3 characters/],
    ['an SQL query over 50000 characters', { query: SegmentQuery.sql('S'.repeat(50001)) }, /got a query of 50001 characters/],
    ['no groups', { query: SegmentQuery.groups({ groups: [] }) }, /query SegmentQuery\.groups\(\) needs at least one group/],
    ['an empty group', { query: SegmentQuery.groups({ groups: [{}] }) }, /query\.groups\[0\] needs at least one dimension or source segment/],
    ['a numeric comparison on a text attribute', { query: dims(SegmentDimension.profileAttribute(ProfileAttribute.FIRST_NAME, DimensionType.GREATER_THAN, ['a'])) },
      /query\.groups\[0\]\.dimensions\[0\] \(FirstName\) accepts the dimension types INCLUSIVE, EXCLUSIVE, CONTAINS, BEGINS_WITH, ENDS_WITH, got 'GREATER_THAN'/],
    ['a text comparison on the birth date', { query: dims(SegmentDimension.birthDate(DimensionType.CONTAINS, ['1980'])) }, /\(BirthDate\) accepts the dimension types BEFORE, AFTER, BETWEEN, NOT_BETWEEN, ON/],
    ['BETWEEN with one value', { query: dims(SegmentDimension.birthDate(DimensionType.BETWEEN, ['1980-01-01'])) }, /must be exactly 2 values \(from and to\) for BETWEEN, got 1/],
    ['CONTAINS on the profile type', { query: dims(SegmentDimension.profileType(DimensionType.CONTAINS, ProfileType.PROFILE)) }, /\(ProfileType\) accepts the dimension types INCLUSIVE, EXCLUSIVE/],
    ['an address dimension with a date comparison', { query: dims(SegmentDimension.address(AddressAttribute.ADDRESS, AddressField.CITY, DimensionType.ON, ['x'])) }, /\(Address\.City\) accepts/],
    ['a dimension without values', { query: dims(SegmentDimension.customAttribute('tier', DimensionType.INCLUSIVE, [])) }, /values must have 1-50 entries, got 0/],
    ['a dimension with 51 values', { query: dims(SegmentDimension.customAttribute('tier', DimensionType.INCLUSIVE, fifty)) }, /values must have 1-50 entries, got 51/],
    ['a value of 256 characters', { query: dims(SegmentDimension.profileAttribute(ProfileAttribute.LAST_NAME, DimensionType.INCLUSIVE, ['v'.repeat(256)])) }, /values\[0\] must be 1-255 characters long, got 256 characters/],
    ['an empty value', { query: dims(SegmentDimension.customAttribute('tier', DimensionType.INCLUSIVE, [''])) }, /values\[0\] must be 1-255 characters long, got 0 characters/],
    ['a calculated attribute name starting with a digit', { query: dims(SegmentDimension.calculatedAttribute('1total', DimensionType.EQUAL, ['1'])) }, /attribute name must match/],
    ['an override range ending before it starts', {
      query: dims(SegmentDimension.calculatedAttribute('_spend', DimensionType.EQUAL, ['1'], { rangeOverride: { start: Duration.days(7), end: Duration.days(30) } })),
    }, /rangeOverride must end no earlier than it starts/],
    ['an override range of part days', { query: dims(SegmentDimension.calculatedAttribute('_spend', DimensionType.EQUAL, ['1'], { rangeOverride: { start: Duration.hours(36) } })) }, /rangeOverride\.start \(days\) must be a whole number/],
    ['an empty display name', { displayName: '' }, /displayName must be 1-255 characters long/],
    ['a display name of 256 characters', { displayName: 'd'.repeat(256) }, /displayName must be 1-255 characters long, got a string of 256 characters/],
    ['an empty description', { description: '' }, /description must be 1-4000 characters long/],
    ['a description of 4001 characters', { description: 'd'.repeat(4001) }, /description must be 1-4000 characters long/],
    ['a name with a dot', { segmentDefinitionName: 'gold.v2' }, /segmentDefinitionName must match/],
    ['a name of 65 characters', { segmentDefinitionName: 's'.repeat(65) }, /segmentDefinitionName must be 1-64 characters long/],
    ['an empty sort', { sort: [] }, /sort must have 1-10 entries, got 0/],
    ['a sort attribute with a space', { sort: [{ name: 'Last Name', order: SortOrder.ASC }] }, /sort\[0\]\.name must match/],
    ['a timeout over the provider limit', { timeout: Duration.hours(1) }, /timeout \(seconds\) must be between 1 and/],
    ['a token timeout in minutes', { timeout: Duration.minutes(Lazy.number({ produce: () => 5 })) }, /timeout is a token and must then be given in seconds/],
    ['a reserved tag key', { tags: { 'aws:x': 'y' } }, /tags key must not start with 'aws:'/],
  ];
  test.each(invalid)('refuses %s', (_, options, message) => {
    const { stack, domain } = ownedDomainStack();
    expect(() => new SegmentDefinition(stack, 'Gold', { domain, displayName: 'Gold', query: SegmentQuery.sql(SQL), ...options }))
      .toThrow(message);
  });

  test('error messages name the construct path and list every violation', () => {
    const { stack, domain } = ownedDomainStack();
    expect(() => new SegmentDefinition(stack, 'Gold', { domain, displayName: '', query: SegmentQuery.sql('') }))
      .toThrow(/^SegmentDefinition at 'Stack\/Gold' is invalid:\n {2}- query SQL.*\n {2}- displayName/);
  });
});

describe('adoptExisting', () => {
  const props = { displayName: 'Gold', query: SegmentQuery.sql(SQL), segmentDefinitionName: 'gold' };

  test('is written into the Config only when true', () => {
    const { stack, domain } = ownedDomainStack();
    new SegmentDefinition(stack, 'Gold', { domain, ...props, adoptExisting: true, removalPolicy: RemovalPolicy.RETAIN });
    expect(onlyConfig(Template.fromStack(stack), TYPE).AdoptExisting).toBe(true);
    const other = ownedDomainStack();
    new SegmentDefinition(other.stack, 'Gold', { domain: other.domain, ...props, adoptExisting: false });
    expect(onlyConfig(Template.fromStack(other.stack), TYPE)).not.toHaveProperty('AdoptExisting');
  });

  test('does not change the generated name', () => {
    const a = ownedDomainStack();
    new SegmentDefinition(a.stack, 'Gold', { domain: a.domain, displayName: 'Gold', query: SegmentQuery.sql(SQL) });
    const b = ownedDomainStack();
    new SegmentDefinition(b.stack, 'Gold', {
      domain: b.domain, displayName: 'Gold', query: SegmentQuery.sql(SQL), adoptExisting: true, removalPolicy: RemovalPolicy.RETAIN,
    });
    const nameOf = (stack: Stack) => onlyConfig(Template.fromStack(stack), TYPE).SegmentDefinitionName;
    expect(nameOf(b.stack)).toBe(nameOf(a.stack));
  });

  test('works through domain.addSegment', () => {
    const { stack, domain } = ownedDomainStack();
    domain.addSegment('Gold', { ...props, adoptExisting: true, removalPolicy: RemovalPolicy.RETAIN });
    expect(onlyConfig(Template.fromStack(stack), TYPE).AdoptExisting).toBe(true);
  });

  test('needs an explicit removalPolicy RETAIN: segment definitions are deleted by default', () => {
    const { stack, domain } = ownedDomainStack();
    new SegmentDefinition(stack, 'Gold', { domain, ...props, adoptExisting: true });
    expect(() => Template.fromStack(stack)).toThrow(/SegmentDefinition at 'Stack\/Gold': adoptExisting requires removalPolicy: RemovalPolicy.RETAIN/);
  });

  test('RETAIN applied after construction counts', () => {
    const { stack, domain } = ownedDomainStack();
    const s = new SegmentDefinition(stack, 'Gold', { domain, ...props, adoptExisting: true });
    s.applyRemovalPolicy(RemovalPolicy.RETAIN);
    expect(() => Template.fromStack(stack)).not.toThrow();
  });
});
