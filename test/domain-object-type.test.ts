import { App, CfnParameter, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { DataStore } from '../src/data-store';
import { Domain } from '../src/domain';
import { ContentType, DomainObjectType, DomainObjectTypeField, DomainObjectTypeOptions, FeatureType } from '../src/domain-object-type';
import {
  ENV,
  expectExactStatement,
  expectPerKindStatement,
  importedDomainStack,
  onlyConfig,
  ownedDomainStack,
  profileArn,
  providerStatements,
  resourcesOf,
} from './helpers/child-constructs';

const TYPE = 'Custom::CustomerProfilesDomainObjectType';

const FIELDS: Record<string, DomainObjectTypeField> = {
  Id: { source: '_source.ProductId', target: '_item.Id' },
  Price: { source: '_source.Price', target: '_item.Price', contentType: ContentType.NUMBER },
  Category: { source: '_source.Category', target: '_item.Category', featureType: FeatureType.CATEGORICAL },
};

describe('DomainObjectType', () => {
  test('writes the object type as the Config JSON, with the domain name as written (it waits for the domain through DependsOn)', () => {
    const { stack, domain } = ownedDomainStack();
    new DomainObjectType(stack, 'Products', { domain, objectTypeName: 'Products', description: 'Catalog', fields: FIELDS });

    expect(onlyConfig(Template.fromStack(stack), TYPE)).toEqual({
      DomainName: 'customers',
      ObjectTypeName: 'Products',
      Description: 'Catalog',
      Fields: {
        Id: { Source: '_source.ProductId', Target: '_item.Id' },
        Price: { Source: '_source.Price', Target: '_item.Price', ContentType: 'NUMBER' },
        Category: { Source: '_source.Category', Target: '_item.Category', FeatureType: 'CATEGORICAL' },
      },
    });
  });

  test('generates a valid name when none is given', () => {
    const { stack, domain } = ownedDomainStack();
    new DomainObjectType(stack, 'Products', { domain, fields: FIELDS });
    const name = onlyConfig(Template.fromStack(stack), TYPE).ObjectTypeName as string;
    expect(name).toMatch(/^[a-zA-Z_][a-zA-Z_0-9-]*$/);
    expect(name.length).toBeLessThanOrEqual(64);
    expect(name).toContain('Products');
  });

  test('waits for the domain, which waits for the provider policy holding the child statements', () => {
    const { stack, domain } = ownedDomainStack();
    new DomainObjectType(stack, 'Products', { domain, fields: FIELDS });
    const [[, resource]] = resourcesOf(Template.fromStack(stack), TYPE);
    expect(resource.DependsOn).toEqual(['Customers6955EA0A']);
    const domainResource = Template.fromStack(stack).toJSON().Resources.Customers6955EA0A;
    expect(domainResource.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^CustomerProfilesProviderHandlerServiceRoleDefaultPolicy/)]));
  });

  test('fails when an object type is added to a domain without a data store', () => {
    const { stack, domain } = ownedDomainStack(false);
    expect(() => new DomainObjectType(stack, 'Products', { domain, fields: FIELDS })).toThrow(
      /DomainObjectType at 'Stack\/Products': domain 'customers' has no data store.*DataStore\.enabled\(\)/,
    );
  });

  test('accepts an imported domain (the data store is checked by the service at deploy time)', () => {
    const { stack, domain } = importedDomainStack();
    new DomainObjectType(stack, 'Products', { domain, objectTypeName: 'Products', fields: FIELDS });
    const template = Template.fromStack(stack);
    expect(onlyConfig(template, TYPE).DomainName).toBe('imported');
    const [[, resource]] = resourcesOf(template, TYPE);
    expect([...resource.DependsOn].sort()).toEqual([
      expect.stringMatching(/^CustomerProfilesProviderHandlerServiceRole[0-9A-F]{8}$/),
      expect.stringMatching(/^CustomerProfilesProviderHandlerServiceRoleDefaultPolicy/),
    ]);
    // The handler reads the imported domain to explain a refusal caused by a disabled data store.
    expect(providerStatements(template)).toContainEqual({ Effect: 'Allow', Action: 'profile:GetDomain', Resource: profileArn('domains/imported') });
  });

  const OBJECT_TYPE_ACTIONS = [
    'profile:PutDomainObjectType',
    'profile:GetDomainObjectType',
    'profile:DeleteDomainObjectType',
    'profile:TagResource',
    'profile:UntagResource',
  ];

  test('in a domain of its own stack, the handler is granted the domain\'s object types once, by the literal domain name', () => {
    const { stack, domain } = ownedDomainStack();
    new DomainObjectType(stack, 'Products', { domain, objectTypeName: 'Products', fields: FIELDS });
    new DomainObjectType(stack, 'Orders', { domain, objectTypeName: 'Orders', fields: FIELDS });
    const statements = providerStatements(Template.fromStack(stack));
    // A reference to the domain's custom resource here would be a dependency cycle.
    expect(JSON.stringify(statements)).not.toContain('Customers6955EA0A');
    expectPerKindStatement(statements, OBJECT_TYPE_ACTIONS, 'customers', 'domain-object-types');
    expect(statements).toContainEqual({ Effect: 'Allow', Action: 'profile:GetDomain', Resource: profileArn('domains/customers') });
  });

  test('in an imported domain, the handler is granted each object type by its exact ARN', () => {
    const { stack, domain } = importedDomainStack();
    new DomainObjectType(stack, 'Products', { domain, objectTypeName: 'Products', fields: FIELDS });
    new DomainObjectType(stack, 'Orders', { domain, objectTypeName: 'Orders', fields: FIELDS });
    const statements = providerStatements(Template.fromStack(stack));
    expectExactStatement(statements, OBJECT_TYPE_ACTIONS, 'imported', 'domain-object-types', ['Products', 'Orders']);
    // Added by both object types, listed once.
    expect(statements).toContainEqual({ Effect: 'Allow', Action: 'profile:GetDomain', Resource: profileArn('domains/imported') });
  });

  test('an encryption key is written as its ARN and the handler may use it', () => {
    const { stack, domain } = ownedDomainStack();
    const key = new kms.Key(stack, 'Key');
    new DomainObjectType(stack, 'Products', { domain, objectTypeName: 'Products', encryptionKey: key, fields: FIELDS });
    const template = Template.fromStack(stack);
    expect(onlyConfig(template, TYPE).EncryptionKey).toBe('${Key961B73FD.Arn}');
    expect(providerStatements(template)).toContainEqual({
      Effect: 'Allow',
      Action: ['kms:GenerateDataKey', 'kms:Decrypt', 'kms:DescribeKey', 'kms:CreateGrant'],
      Resource: { 'Fn::GetAtt': ['Key961B73FD', 'Arn'] },
    });
  });

  test('is retained by default: deleting an object type deletes its objects', () => {
    const { stack, domain } = ownedDomainStack();
    new DomainObjectType(stack, 'Products', { domain, fields: FIELDS });
    Template.fromStack(stack).hasResource(TYPE, { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('removal policy DESTROY deletes it', () => {
    const { stack, domain } = ownedDomainStack();
    new DomainObjectType(stack, 'Products', { domain, fields: FIELDS, removalPolicy: RemovalPolicy.DESTROY });
    Template.fromStack(stack).hasResource(TYPE, { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
  });

  test('tags from props and from Tags.of() are rendered into the Config', () => {
    const { stack, domain } = ownedDomainStack();
    const type = new DomainObjectType(stack, 'Products', { domain, fields: FIELDS, tags: { team: 'data' } });
    Tags.of(type).add('cost-center', '42');
    expect(onlyConfig(Template.fromStack(stack), TYPE).Tags).toEqual({ 'team': 'data', 'cost-center': '42' });
  });

  test('tags added later are validated at synthesis', () => {
    const { app, stack, domain } = ownedDomainStack();
    const type = new DomainObjectType(stack, 'Products', { domain, fields: FIELDS });
    Tags.of(type).add('aws:reserved', 'x');
    expect(() => app.synth()).toThrow(/tags key must not start with 'aws:'/);
  });

  test('attributes come from the custom resource', () => {
    const { stack, domain } = ownedDomainStack();
    const type = new DomainObjectType(stack, 'Products', { domain, fields: FIELDS });
    expect(stack.resolve(type.objectTypeName)).toEqual({ 'Fn::GetAtt': ['Products229621C6', 'ObjectTypeName'] });
    expect(stack.resolve(type.objectTypeArn)).toEqual({ 'Fn::GetAtt': ['Products229621C6', 'ObjectTypeArn'] });
    expect(stack.resolve(type.domainObjectTypeRef)).toEqual({
      domainName: { 'Fn::GetAtt': ['Customers6955EA0A', 'DomainName'] },
      objectTypeName: { 'Fn::GetAtt': ['Products229621C6', 'ObjectTypeName'] },
    });
  });

  test('grantReadAttributeInsights names the object-types ARN form and the domain ARN', () => {
    const { stack, domain } = importedDomainStack();
    const type = new DomainObjectType(stack, 'Products', { domain, objectTypeName: 'Products', fields: FIELDS });
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    type.grantReadAttributeInsights(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Reader') }],
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: ['profile:ListObjectTypeAttributeValues', 'profile:GetObjectTypeAttributeStatistics'],
            Resource: [
              {
                'Fn::Join': ['', [
                  'arn:', { Ref: 'AWS::Partition' }, ':profile:eu-west-1:111122223333:domains/imported/object-types/',
                  { 'Fn::GetAtt': ['Products229621C6', 'ObjectTypeName'] },
                ]],
              },
              profileArn('domains/imported'),
            ],
          },
        ],
      },
    });
  });

  test('grantReadAttributeInsights also allows decrypting with the object type key', () => {
    const { stack, domain } = ownedDomainStack();
    const key = new kms.Key(stack, 'Key');
    const type = new DomainObjectType(stack, 'Products', { domain, encryptionKey: key, fields: FIELDS });
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    type.grantReadAttributeInsights(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Reader') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Effect: 'Allow', Action: 'kms:Decrypt', Resource: { 'Fn::GetAtt': ['Key961B73FD', 'Arn'] } },
        ]),
      },
    });
  });

  test('without a key of its own, the object type reports the domain key, and grantReadAttributeInsights allows decrypting with it', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const key = new kms.Key(stack, 'Key');
    const domain = new Domain(stack, 'Customers', { domainName: 'customers', dataStore: DataStore.enabled(), encryptionKey: key });
    const type = new DomainObjectType(stack, 'Products', { domain, fields: FIELDS });
    expect(type.encryptionKey).toBe(key);
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    type.grantReadAttributeInsights(role);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Reader') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Effect: 'Allow', Action: 'kms:Decrypt', Resource: { 'Fn::GetAtt': ['Key961B73FD', 'Arn'] } },
        ]),
      },
    });
    // The service uses the domain key by itself: the object type's Config names no key.
    expect(onlyConfig(template, TYPE).EncryptionKey).toBeUndefined();
  });

  test('fromObjectTypeName imports an object type with its domain-object-types ARN', () => {
    const { stack, domain } = importedDomainStack();
    const imported = DomainObjectType.fromObjectTypeName(stack, 'Orders', domain, 'Orders');
    expect(imported.objectTypeName).toBe('Orders');
    expect(stack.resolve(imported.objectTypeArn)).toEqual(profileArn('domains/imported/domain-object-types/Orders'));
    expect(imported.domainObjectTypeRef).toEqual({ domainName: 'imported', objectTypeName: 'Orders' });
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    imported.grantReadAttributeInsights(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [Match.objectLike({
          Resource: [profileArn('domains/imported/object-types/Orders'), profileArn('domains/imported')],
        })],
      },
    });
    expect(resourcesOf(Template.fromStack(stack), TYPE)).toHaveLength(0);
  });

  test('fromObjectTypeName refuses an invalid name', () => {
    const { stack, domain } = importedDomainStack();
    expect(() => DomainObjectType.fromObjectTypeName(stack, 'Bad', domain, '9lives')).toThrow(/objectTypeName must match/);
  });

  test('grant() names the object type ARN and the domain ARN', () => {
    const { stack, domain } = importedDomainStack();
    const imported = DomainObjectType.fromObjectTypeName(stack, 'Orders', domain, 'Orders');
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    imported.grant(role, 'profile:GetDomainObjectType');
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: 'profile:GetDomainObjectType',
          Resource: [profileArn('domains/imported/domain-object-types/Orders'), profileArn('domains/imported')],
        }],
      },
    });
  });

  test('accepts tokens where literals would be validated', () => {
    const { stack, domain } = importedDomainStack();
    const name = new CfnParameter(stack, 'Name').valueAsString;
    const source = new CfnParameter(stack, 'Source').valueAsString;
    new DomainObjectType(stack, 'Products', {
      domain,
      objectTypeName: name,
      description: new CfnParameter(stack, 'Description').valueAsString,
      fields: { Id: { source, target: '_item.Id', contentType: ContentType.of(new CfnParameter(stack, 'CT').valueAsString) } },
    });
    const config = onlyConfig(Template.fromStack(stack), TYPE);
    expect(config.ObjectTypeName).toBe('${Name}');
    expect(config.Fields.Id).toEqual({ Source: '${Source}', Target: '_item.Id', ContentType: '${CT}' });
  });

  const invalid: [string, Partial<DomainObjectTypeOptions>, RegExp][] = [
    ['an empty fields map', { fields: {} }, /fields must have at least one field/],
    ['a name starting with a digit', { objectTypeName: '1Products' }, /objectTypeName must match .* got '1Products'/],
    ['a name with a space', { objectTypeName: 'My Products' }, /objectTypeName must match/],
    ['a name of 256 characters', { objectTypeName: 'a'.repeat(256) }, /objectTypeName must be 1-255 characters long, got a string of 256 characters/],
    ['an empty name', { objectTypeName: '' }, /objectTypeName must be 1-255 characters long/],
    ['an empty description', { description: '' }, /description must be 1-10000 characters long/],
    ['a description over 10000 characters', { description: 'x'.repeat(10001) }, /description must be 1-10000 characters long, got a string of 10001 characters/],
    ['a field key with a space', { fields: { 'bad key': { source: 'a', target: 'b' } } }, /fields key 'bad key' must match/],
    ['a field key of 65 characters', { fields: { ['k'.repeat(65)]: { source: 'a', target: 'b' } } }, /must be 1-64 characters long/],
    ['an empty source', { fields: { Id: { source: '', target: 'b' } } }, /fields\['Id'\]\.source must be 1-1000 characters long/],
    ['a target of 1001 characters', { fields: { Id: { source: 'a', target: 't'.repeat(1001) } } }, /fields\['Id'\]\.target must be 1-1000 characters long, got a string of 1001 characters/],
    ['an empty content type', { fields: { Id: { source: 'a', target: 'b', contentType: ContentType.of('') } } }, /contentType must be 1-64/],
    ['a reserved tag key', { tags: { 'aws:x': 'y' } }, /tags key must not start with 'aws:'/],
    ['50 tags (the owner marker takes the 50th)', { tags: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v'])) }, /tags must have 0-49 entries, got 50/],
    ['the owner marker\'s tag key', { tags: { 'cdk-customer-profiles:owner': 'x' } }, /tags key is reserved for the owner marker/],
  ];
  test.each(invalid)('refuses %s', (_, options, message) => {
    const { stack, domain } = ownedDomainStack();
    expect(() => new DomainObjectType(stack, 'Products', { domain, fields: FIELDS, ...options })).toThrow(message);
  });

  test('lists every violation in one error, naming the construct path', () => {
    const { stack, domain } = ownedDomainStack();
    expect(() => new DomainObjectType(stack, 'Products', {
      domain,
      objectTypeName: '1x',
      fields: { Id: { source: '', target: '' } },
    })).toThrow(/^DomainObjectType at 'Stack\/Products' is invalid:\n {2}- objectTypeName.*\n {2}- fields\['Id'\]\.source.*\n {2}- fields\['Id'\]\.target/);
  });
});
