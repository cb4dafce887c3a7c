import { App, CfnOutput, CfnParameter, CfnResource, Duration, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import {
  AttributeMatchingModel,
  ConflictResolvingModel,
  DataStore,
  DayOfWeek,
  Domain,
  IDomain,
} from '../src';
import { parseConfig } from './helpers/child-constructs';
import { domainInternals } from '../src/private/domain-internals';
import { OWNED_RESOURCES_SID } from '../src/private/provider';

const ENV = { account: '111122223333', region: 'eu-west-1' };
const DOMAIN_TYPE = 'Custom::CustomerProfilesDomain';

type Json = Record<string, any>;

function newStack(): Stack {
  return new Stack(new App(), 'Stack', { env: ENV });
}

/** The parsed Config of every domain, by logical id. */
function domainConfigs(template: Template): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [id, resource] of Object.entries(template.findResources(DOMAIN_TYPE))) {
    out[id] = parseConfig(resource.Properties);
  }
  return out;
}

function onlyDomainConfig(template: Template): Json {
  const configs = Object.values(domainConfigs(template));
  expect(configs).toHaveLength(1);
  return configs[0];
}

function logicalId(stack: Stack, domain: Domain): string {
  return stack.getLogicalId(domain.node.defaultChild as CfnResource);
}

/** Statements of the provider's shared policy. */
function providerStatements(template: Template): Json[] {
  const policies = Object.entries(template.findResources('AWS::IAM::Policy')).filter(([id]) => id.startsWith('CustomerProfilesProviderHandlerServiceRoleDefaultPolicy'));
  expect(policies).toHaveLength(1);
  return policies[0][1].Properties.PolicyDocument.Statement;
}

function profileArn(rest: string): Json {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:profile:eu-west-1:111122223333:${rest}`]] };
}

describe('Domain', () => {
  test('a domain with defaults: generated name, 366 days, data store and matching disabled', () => {
    const stack = newStack();
    new Domain(stack, 'Customers');
    const config = onlyDomainConfig(Template.fromStack(stack));
    expect(config).toEqual({
      DomainName: expect.stringMatching(/^Stack-Customers-[A-Z0-9]{8}$/),
      DefaultExpirationDays: 366,
      Matching: { Enabled: false },
      RuleBasedMatching: { Enabled: false },
      DataStore: { Enabled: false },
      WaitForDataStore: false,
      TimeoutSeconds: 2700,
    });
  });

  test('a generated name stays within 64 characters of the allowed set for deep, long paths', () => {
    const stack = new Stack(new App(), 'AVeryLongStackNameThatGoesOnAndOnForQuiteSomeTime', { env: ENV });
    const deep = new (class extends Stack {})(stack, 'Nested'.repeat(5));
    new Domain(deep, 'TheCustomersDomainWithAnEvenLongerConstructIdThanUsual');
    const config = onlyDomainConfig(Template.fromStack(deep));
    expect(config.DomainName.length).toBeLessThanOrEqual(64);
    expect(config.DomainName).toMatch(/^[a-zA-Z0-9_-]+$/);
  });

  test('a domain with every option renders the whole CreateDomain surface into Config', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key');
    const dlq = new sqs.Queue(stack, 'Dlq');
    const bucket = new s3.Bucket(stack, 'Results');
    const domain = new Domain(stack, 'Customers', {
      domainName: 'customers',
      defaultExpiration: Duration.days(30),
      dataStore: DataStore.enabled({ readinessTimeout: Duration.minutes(20) }),
      encryptionKey: key,
      deadLetterQueue: dlq,
      matching: {
        jobSchedule: { dayOfWeek: DayOfWeek.MONDAY, time: '3:30' },
        autoMerging: {
          consolidation: [['FirstName', 'LastName'], ['EmailAddress']],
          conflictResolution: { model: ConflictResolvingModel.SOURCE, sourceName: 'Orders' },
          minAllowedConfidenceScoreForMerging: 0.8,
        },
        exportTo: { bucket, keyName: 'matches/' },
      },
      ruleBasedMatching: {
        rules: [['EmailAddress'], ['FirstName', 'LastName', 'Address.City']],
        maxAllowedRuleLevelForMerging: 1,
        maxAllowedRuleLevelForMatching: 2,
        attributeTypesSelector: {
          attributeMatchingModel: AttributeMatchingModel.MANY_TO_MANY,
          address: ['Address', 'ShippingAddress'],
          phoneNumber: ['PhoneNumber'],
          emailAddress: ['EmailAddress', 'BusinessEmailAddress'],
        },
        conflictResolution: { model: ConflictResolvingModel.RECENCY },
        exportTo: { bucket },
      },
    });
    const template = Template.fromStack(stack);
    const keyId = stack.getLogicalId(key.node.defaultChild as kms.CfnKey);
    const dlqId = stack.getLogicalId(dlq.node.defaultChild as sqs.CfnQueue);
    const bucketId = stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket);

    expect(domainConfigs(template)[logicalId(stack, domain)]).toEqual({
      DomainName: 'customers',
      DefaultExpirationDays: 30,
      DefaultEncryptionKey: `\${${keyId}.Arn}`,
      DeadLetterQueueUrl: `\${${dlqId}}`,
      Matching: {
        Enabled: true,
        JobSchedule: { DayOfTheWeek: 'MONDAY', Time: '3:30' },
        AutoMerging: {
          Enabled: true,
          Consolidation: { MatchingAttributesList: [['FirstName', 'LastName'], ['EmailAddress']] },
          ConflictResolution: { ConflictResolvingModel: 'SOURCE', SourceName: 'Orders' },
          MinAllowedConfidenceScoreForMerging: 0.8,
        },
        ExportingConfig: { S3Exporting: { S3BucketName: `\${${bucketId}}`, S3KeyName: 'matches/' } },
      },
      RuleBasedMatching: {
        Enabled: true,
        MatchingRules: [{ Rule: ['EmailAddress'] }, { Rule: ['FirstName', 'LastName', 'Address.City'] }],
        MaxAllowedRuleLevelForMerging: 1,
        MaxAllowedRuleLevelForMatching: 2,
        AttributeTypesSelector: {
          AttributeMatchingModel: 'MANY_TO_MANY',
          Address: ['Address', 'ShippingAddress'],
          PhoneNumber: ['PhoneNumber'],
          EmailAddress: ['EmailAddress', 'BusinessEmailAddress'],
        },
        ConflictResolution: { ConflictResolvingModel: 'RECENCY' },
        ExportingConfig: { S3Exporting: { S3BucketName: `\${${bucketId}}` } },
      },
      DataStore: { Enabled: true },
      WaitForDataStore: true,
      TimeoutSeconds: 1200,
    });
  });

  test('matching and auto-merging can be configured but switched off', () => {
    const stack = newStack();
    new Domain(stack, 'Customers', {
      matching: { enabled: false, autoMerging: { enabled: false } },
      ruleBasedMatching: { enabled: false },
    });
    const config = onlyDomainConfig(Template.fromStack(stack));
    expect(config.Matching).toEqual({ Enabled: false, AutoMerging: { Enabled: false } });
    expect(config.RuleBasedMatching).toEqual({ Enabled: false });
  });

  test('the data store waits for readiness by default, and the wait can be turned off', () => {
    const stack = newStack();
    const waiting = new Domain(stack, 'Waiting', { dataStore: DataStore.enabled() });
    const notWaiting = new Domain(stack, 'NotWaiting', { dataStore: DataStore.enabled({ waitForReadiness: false }) });
    const configs = domainConfigs(Template.fromStack(stack));
    expect(configs[logicalId(stack, waiting)]).toMatchObject({ DataStore: { Enabled: true }, WaitForDataStore: true, TimeoutSeconds: 2700 });
    expect(configs[logicalId(stack, notWaiting)]).toMatchObject({ DataStore: { Enabled: true }, WaitForDataStore: false });
    expect(waiting.dataStoreEnabled).toBe(true);
  });

  test('numbers and booleans are written with their types, one property per Config member', () => {
    const stack = newStack();
    new Domain(stack, 'Customers', { defaultExpiration: Duration.days(7), dataStore: DataStore.enabled() });
    const raw = Template.fromStack(stack).findResources(DOMAIN_TYPE);
    const properties = Object.values(raw)[0].Properties;
    expect(properties).toMatchObject({ DefaultExpirationDays: 7, DataStore: { Enabled: true }, WaitForDataStore: true });
    expect(properties).not.toHaveProperty('Config');
  });

  test('an expiration given as a token in days is passed through unvalidated', () => {
    const stack = newStack();
    const days = new CfnParameter(stack, 'Days', { type: 'Number' });
    new Domain(stack, 'Customers', { defaultExpiration: Duration.days(days.valueAsNumber), domainName: new CfnParameter(stack, 'Name').valueAsString });
    const config = onlyDomainConfig(Template.fromStack(stack));
    expect(config.DefaultExpirationDays).toEqual('${Days}');
    expect(config.DomainName).toEqual('${Name}');
  });

  describe('removal policy', () => {
    test('retains the domain on deletion and on replacement by default', () => {
      const stack = newStack();
      new Domain(stack, 'Customers');
      Template.fromStack(stack).hasResource(DOMAIN_TYPE, { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    });

    test('deletes the domain when asked', () => {
      const stack = newStack();
      new Domain(stack, 'Customers', { removalPolicy: RemovalPolicy.DESTROY });
      Template.fromStack(stack).hasResource(DOMAIN_TYPE, { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
    });
  });

  describe('dead-letter queue', () => {
    test('adds a queue policy for profile.amazonaws.com with confused-deputy conditions, before the domain is created', () => {
      const stack = newStack();
      const dlq = new sqs.Queue(stack, 'Dlq');
      const domain = new Domain(stack, 'Customers', { domainName: 'customers', deadLetterQueue: dlq });
      const template = Template.fromStack(stack);
      const dlqId = stack.getLogicalId(dlq.node.defaultChild as sqs.CfnQueue);
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: dlqId }],
        PolicyDocument: {
          Statement: [{
            Effect: 'Allow',
            Principal: { Service: 'profile.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Resource: { 'Fn::GetAtt': [dlqId, 'Arn'] },
            Condition: {
              StringEquals: { 'aws:SourceAccount': '111122223333' },
              ArnEquals: { 'aws:SourceArn': profileArn('domains/customers') },
            },
          }],
        },
      });
      const policyId = Object.keys(template.findResources('AWS::SQS::QueuePolicy'))[0];
      const resource = template.findResources(DOMAIN_TYPE)[logicalId(stack, domain)];
      expect(resource.DependsOn).toContain(policyId);
      expect(domain.deadLetterQueue).toBe(dlq);
    });

    test('lets the service use the key of a KMS-encrypted queue, for this domain only', () => {
      const stack = newStack();
      const queueKey = new kms.Key(stack, 'QueueKey');
      new Domain(stack, 'Customers', { domainName: 'customers', deadLetterQueue: new sqs.Queue(stack, 'Dlq', { encryptionMasterKey: queueKey }) });
      Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([{
            Effect: 'Allow',
            Principal: { Service: 'profile.amazonaws.com' },
            Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
            Resource: '*',
            Condition: {
              StringEquals: { 'aws:SourceAccount': '111122223333' },
              ArnEquals: { 'aws:SourceArn': profileArn('domains/customers') },
            },
          }]),
        },
      });
    });

    test('domains sharing a queue add statements with distinct Sids (SQS refuses a policy with a repeated Sid)', () => {
      const stack = newStack();
      const dlq = new sqs.Queue(stack, 'Dlq');
      new Domain(stack, 'Customers', { domainName: 'customers', deadLetterQueue: dlq });
      new Domain(stack, 'Partners', { domainName: 'partners', deadLetterQueue: dlq });
      const [policy] = Object.values(Template.fromStack(stack).findResources('AWS::SQS::QueuePolicy'));
      const statements = policy.Properties.PolicyDocument.Statement as Array<{ Sid?: string; Condition: any }>;
      expect(statements.map((s) => s.Condition.ArnEquals['aws:SourceArn'])).toEqual([profileArn('domains/customers'), profileArn('domains/partners')]);
      const sids = statements.map((s) => s.Sid);
      expect(sids[0]).toBe('AllowCustomerProfilesDeadLetterQueue');
      expect(new Set(sids).size).toBe(sids.length);
    });

    test('warns that an imported queue needs the policy added by hand', () => {
      const stack = newStack();
      const dlq = sqs.Queue.fromQueueArn(stack, 'Dlq', 'arn:aws:sqs:eu-west-1:111122223333:dlq');
      new Domain(stack, 'Customers', { deadLetterQueue: dlq });
      Annotations.fromStack(stack).hasWarning('/Stack/Customers', Match.stringLikeRegexp('allow profile.amazonaws.com sqs:SendMessage'));
      const config = onlyDomainConfig(Template.fromStack(stack));
      expect(config.DeadLetterQueueUrl).toEqual('https://sqs.eu-west-1.${AWS::URLSuffix}/111122223333/dlq');
    });
  });

  describe('matching exports', () => {
    test('adds a bucket policy for the service with confused-deputy conditions, scoped to the key name', () => {
      const stack = newStack();
      const bucket = new s3.Bucket(stack, 'Results');
      const domain = new Domain(stack, 'Customers', { domainName: 'customers', matching: { exportTo: { bucket, keyName: 'matches' } } });
      const template = Template.fromStack(stack);
      const bucketId = stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([{
            Effect: 'Allow',
            Principal: { Service: 'profile.amazonaws.com' },
            Action: 's3:PutObject',
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/matches*']] },
            Condition: {
              StringEquals: { 'aws:SourceAccount': '111122223333' },
              ArnEquals: { 'aws:SourceArn': profileArn('domains/customers') },
            },
          }]),
        },
      });
      const policyId = Object.keys(template.findResources('AWS::S3::BucketPolicy'))[0];
      expect(template.findResources(DOMAIN_TYPE)[logicalId(stack, domain)].DependsOn).toContain(policyId);
    });

    test('warns that an imported bucket needs the policy added by hand', () => {
      const stack = newStack();
      const bucket = s3.Bucket.fromBucketName(stack, 'Results', 'my-results');
      new Domain(stack, 'Customers', { ruleBasedMatching: { exportTo: { bucket } } });
      Annotations.fromStack(stack).hasWarning('/Stack/Customers', Match.stringLikeRegexp('ruleBasedMatching.exportTo: .*s3:PutObject'));
      expect(onlyDomainConfig(Template.fromStack(stack)).RuleBasedMatching.ExportingConfig).toEqual({ S3Exporting: { S3BucketName: 'my-results' } });
    });
  });

  describe('encryption key', () => {
    test('grants the handler role what CreateDomain needs on the key', () => {
      const stack = newStack();
      const key = new kms.Key(stack, 'Key');
      const domain = new Domain(stack, 'Customers', { encryptionKey: key });
      const template = Template.fromStack(stack);
      const keyId = stack.getLogicalId(key.node.defaultChild as kms.CfnKey);
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^CustomerProfilesProviderHandlerServiceRole') }],
        PolicyDocument: {
          Statement: Match.arrayWith([{
            Effect: 'Allow',
            Action: ['kms:GenerateDataKey', 'kms:Decrypt', 'kms:DescribeKey', 'kms:CreateGrant'],
            Resource: { 'Fn::GetAtt': [keyId, 'Arn'] },
          }]),
        },
      });
      expect(domain.encryptionKey).toBe(key);
      expect(onlyDomainConfig(template).DefaultEncryptionKey).toEqual(`\${${keyId}.Arn}`);
    });
  });

  describe('tags', () => {
    test('Tags.of(domain) and stack tags end up in Config.Tags', () => {
      const stack = newStack();
      const domain = new Domain(stack, 'Customers');
      Tags.of(domain).add('team', 'crm');
      Tags.of(stack).add('cost-center', '42');
      expect(onlyDomainConfig(Template.fromStack(stack)).Tags).toEqual({ 'team': 'crm', 'cost-center': '42' });
    });

    test('no tags means no Tags member', () => {
      const stack = newStack();
      new Domain(stack, 'Customers');
      expect(onlyDomainConfig(Template.fromStack(stack))).not.toHaveProperty('Tags');
    });

    test('a reserved tag key added with Tags.of fails at synth, naming the domain', () => {
      const stack = newStack();
      const domain = new Domain(stack, 'Customers');
      Tags.of(domain).add('aws:team', 'crm');
      expect(() => Template.fromStack(stack)).toThrow(/Domain at 'Stack\/Customers': tags key must not start with 'aws:' \(reserved for AWS\), got 'aws:team'/);
    });

    test('more than 49 tags fail at synth (the service allows 50, and the owner marker takes one)', () => {
      const stack = newStack();
      const domain = new Domain(stack, 'Customers');
      for (let i = 0; i < 50; i++) Tags.of(domain).add(`k${i}`, 'v');
      expect(() => Template.fromStack(stack)).toThrow(/tags must have 0-49 entries, got 50/);
    });

    test('the owner marker\'s key is reserved', () => {
      const stack = newStack();
      const domain = new Domain(stack, 'Customers');
      Tags.of(domain).add('cdk-customer-profiles:owner', 'x');
      expect(() => Template.fromStack(stack)).toThrow(/tags key is reserved for the owner marker/);
    });
  });

  describe('provider', () => {
    test('several domains share one handler, one state machine and one policy', () => {
      const stack = newStack();
      new Domain(stack, 'A');
      new Domain(stack, 'B', { dataStore: DataStore.enabled() });
      new Domain(stack, 'C', { encryptionKey: new kms.Key(stack, 'Key') });
      const template = Template.fromStack(stack);
      template.resourceCountIs(DOMAIN_TYPE, 3);
      template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
      expect(Object.keys(template.findResources('AWS::Lambda::Function', { Properties: { Handler: 'index.handler', Runtime: 'nodejs22.x' } }))).toHaveLength(1);
      // Statements with the same actions are merged: one statement names the three domains
      // (the KMS key's grant for domain C shares the policy).
      const statements = providerStatements(template).filter((s) => JSON.stringify(s).includes('profile:CreateDomain'));
      expect(statements).toHaveLength(1);
      expect((statements[0] as { Resource: Json[] }).Resource).toHaveLength(3);
    });

    test('every domain custom resource depends on the provider policy and uses the provider', () => {
      const stack = newStack();
      new Domain(stack, 'A');
      new Domain(stack, 'B');
      const template = Template.fromStack(stack);
      const policyId = Object.keys(template.findResources('AWS::IAM::Policy')).find((id) => id.startsWith('CustomerProfilesProviderHandlerServiceRoleDefaultPolicy'))!;
      for (const resource of Object.values(template.findResources(DOMAIN_TYPE))) {
        expect(resource.DependsOn).toContain(policyId);
        expect(resource.Properties.ServiceToken).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^CustomerProfilesProviderframeworkonEvent/), 'Arn'] });
      }
    });

    test('the provider policy names the domain ARN (never the custom resource, never *)', () => {
      const stack = newStack();
      new Domain(stack, 'Customers', { domainName: 'customers' });
      // The marker-conditioned cleanup statement is the provider's own (test/scenarios/security-least-privilege.test.ts).
      const statements = providerStatements(Template.fromStack(stack)).filter((s) => s.Sid !== OWNED_RESOURCES_SID);
      expect(statements).toEqual([{
        Effect: 'Allow',
        Action: [
          'profile:CreateDomain',
          'profile:GetDomain',
          'profile:UpdateDomain',
          'profile:DeleteDomain',
          'profile:TagResource',
          'profile:UntagResource',
        ],
        Resource: profileArn('domains/customers'),
      }]);
      expect(JSON.stringify(statements)).not.toContain('"*"');
      expect(JSON.stringify(statements)).not.toContain('Fn::GetAtt');
    });
  });

  describe('attributes', () => {
    test('domainName and domainArn reference the custom resource, so their readers wait for the domain', () => {
      const stack = newStack();
      const domain = new Domain(stack, 'Customers', { domainName: 'customers' });
      new CfnOutput(stack, 'Name', { value: domain.domainName });
      new CfnOutput(stack, 'Arn', { value: domain.domainArn });
      const id = logicalId(stack, domain);
      const template = Template.fromStack(stack);
      template.hasOutput('Name', { Value: { 'Fn::GetAtt': [id, 'DomainName'] } });
      template.hasOutput('Arn', {
        Value: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':profile:eu-west-1:111122223333:domains/', { 'Fn::GetAtt': [id, 'DomainName'] }]] },
      });
    });

    test('implements IDomainRef', () => {
      const stack = newStack();
      const domain = new Domain(stack, 'Customers');
      expect(domain.domainRef.domainName).toBe(domain.domainName);
      expect(domain.env).toEqual({ account: '111122223333', region: 'eu-west-1' });
    });

    test('registers its literal name, data store flag and custom resource for child constructs', () => {
      const stack = newStack();
      const domain = new Domain(stack, 'Customers', { domainName: 'customers', dataStore: DataStore.enabled() });
      const internals = domainInternals(domain)!;
      expect(internals.literalName).toBe('customers');
      expect(internals.dataStoreEnabled).toBe(true);
      expect(internals.resource).toBe(domain.node.defaultChild);
    });
  });

  describe('imports', () => {
    test('fromDomainName builds the ARN in the stack environment', () => {
      const stack = newStack();
      const domain = Domain.fromDomainName(stack, 'Imported', 'customers');
      expect(domain.domainName).toBe('customers');
      expect(stack.resolve(domain.domainArn)).toEqual(profileArn('domains/customers'));
      expect(domainInternals(domain)).toBeUndefined();
    });

    test('fromDomainName accepts a token', () => {
      const stack = newStack();
      const name = new CfnParameter(stack, 'DomainName').valueAsString;
      const domain = Domain.fromDomainName(stack, 'Imported', name);
      expect(stack.resolve(domain.domainArn)).toEqual({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':profile:eu-west-1:111122223333:domains/', { Ref: 'DomainName' }]],
      });
    });

    test('fromDomainArn parses the name and the environment', () => {
      const stack = newStack();
      const domain = Domain.fromDomainArn(stack, 'Imported', 'arn:aws:profile:us-east-1:444455556666:domains/other');
      expect(domain.domainName).toBe('other');
      expect(domain.domainArn).toBe('arn:aws:profile:us-east-1:444455556666:domains/other');
      expect(domain.env).toEqual({ account: '444455556666', region: 'us-east-1' });
    });

    test('fromDomainArn accepts a token and splits it at deploy time', () => {
      const stack = newStack();
      const arn = new CfnParameter(stack, 'DomainArn').valueAsString;
      const domain = Domain.fromDomainArn(stack, 'Imported', arn);
      expect(stack.resolve(domain.domainName)).toEqual({ 'Fn::Select': [1, { 'Fn::Split': ['/', { 'Fn::Select': [5, { 'Fn::Split': [':', { Ref: 'DomainArn' }] }] }] }] });
    });

    test.each([
      'not-an-arn',
      'arn:aws:profile:eu-west-1:111122223333:domains',
      'arn:aws:profile:eu-west-1:111122223333:domains/customers/object-types/Orders',
    ])('fromDomainArn rejects %s', (arn) => {
      const stack = newStack();
      expect(() => Domain.fromDomainArn(stack, 'Imported', arn)).toThrow(`domainArn must look like arn:<partition>:profile:<region>:<account>:domains/<name>, got '${arn}'`);
    });

    test('fromDomainArn rejects an ARN that is not a domain ARN', () => {
      const stack = newStack();
      expect(() => Domain.fromDomainArn(stack, 'Imported', 'arn:aws:sqs:eu-west-1:111122223333:queue'))
        .toThrow("Domain.fromDomainArn at 'Stack/Imported': domainArn must look like arn:<partition>:profile:<region>:<account>:domains/<name>, got 'arn:aws:sqs:eu-west-1:111122223333:queue'");
    });

    test('fromDomainAttributes with a key grants the key too', () => {
      const stack = newStack();
      const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:eu-west-1:111122223333:key/abc');
      const domain = Domain.fromDomainAttributes(stack, 'Imported', { domainName: 'customers', encryptionKey: key });
      const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      domain.grantReadProfiles(role);
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: 'arn:aws:kms:eu-west-1:111122223333:key/abc' }]),
        },
      });
    });
  });

  describe('grants', () => {
    function grantStack() {
      const stack = newStack();
      const key = new kms.Key(stack, 'Key');
      const domain = new Domain(stack, 'Customers', { domainName: 'customers', encryptionKey: key });
      const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      return { stack, key, domain, role };
    }

    function roleStatements(stack: Stack): Json[] {
      const policies = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^Role') }] } }));
      expect(policies).toHaveLength(1);
      return policies[0].Properties.PolicyDocument.Statement;
    }

    /** The domain ARN built from the custom resource's DomainName attribute. */
    function domainArnOf(stack: Stack, domain: Domain): Json {
      return stack.resolve(domain.domainArn);
    }

    test('grantReadProfiles: profile read actions on the domain and its object types, kms:Decrypt on the key', () => {
      const { stack, key, domain, role } = grantStack();
      domain.grantReadProfiles(role);
      const arn = domainArnOf(stack, domain);
      expect(roleStatements(stack)).toEqual([
        { Effect: 'Allow', Action: 'kms:Decrypt', Resource: stack.resolve(key.keyArn) },
        {
          Effect: 'Allow',
          Action: ['profile:SearchProfiles', 'profile:BatchGetProfile', 'profile:ListProfileObjects', 'profile:GetSimilarProfiles'],
          Resource: [arn, { 'Fn::Join': ['', [...arn['Fn::Join'][1], '/object-types/*']] }],
        },
      ]);
    });

    test('grantWriteProfiles: profile write actions, kms:Decrypt and kms:GenerateDataKey on the key', () => {
      const { stack, domain, role } = grantStack();
      domain.grantWriteProfiles(role);
      const statements = roleStatements(stack);
      expect(statements[0].Action).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
      expect(statements[1].Action).toEqual([
        'profile:CreateProfile',
        'profile:UpdateProfile',
        'profile:DeleteProfile',
        'profile:AddProfileKey',
        'profile:DeleteProfileKey',
        'profile:PutProfileObject',
        'profile:DeleteProfileObject',
      ]);
    });

    test('grantSegmentEstimates: the estimate actions on the domain ARN', () => {
      const { stack, domain, role } = grantStack();
      domain.grantSegmentEstimates(role);
      const statements = roleStatements(stack);
      expect(statements[1]).toEqual({
        Effect: 'Allow',
        Action: ['profile:CreateSegmentEstimate', 'profile:GetSegmentEstimate'],
        Resource: domainArnOf(stack, domain),
      });
    });

    test('grantListRecommenderRecipes: the only grant on *', () => {
      const stack = newStack();
      const domain = new Domain(stack, 'Customers');
      const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      domain.grantListRecommenderRecipes(role);
      expect(roleStatements(stack)).toEqual([{ Effect: 'Allow', Action: 'profile:ListRecommenderRecipes', Resource: '*' }]);
    });

    test('grant: any actions on the domain ARN only', () => {
      const stack = newStack();
      const domain = new Domain(stack, 'Customers');
      const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      domain.grant(role, 'profile:GetDomain', 'profile:ListDomainObjectTypes');
      expect(roleStatements(stack)).toEqual([{ Effect: 'Allow', Action: ['profile:GetDomain', 'profile:ListDomainObjectTypes'], Resource: domainArnOf(stack, domain) }]);
    });

    test('grants on an imported domain use its literal ARN', () => {
      const stack = newStack();
      const domain: IDomain = Domain.fromDomainName(stack, 'Imported', 'customers');
      const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      domain.grantSegmentEstimates(role);
      expect(roleStatements(stack)).toEqual([{
        Effect: 'Allow',
        Action: ['profile:CreateSegmentEstimate', 'profile:GetSegmentEstimate'],
        Resource: profileArn('domains/customers'),
      }]);
    });
  });
});
