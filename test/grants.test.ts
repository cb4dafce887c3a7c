import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as customerprofiles from 'aws-cdk-lib/aws-customerprofiles';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { DataStore } from '../src/data-store';
import { Domain } from '../src/domain';
import { DomainGrants } from '../src/domain-grants';
import { DomainObjectType } from '../src/domain-object-type';
import { DomainObjectTypeGrants } from '../src/domain-object-type-grants';
import { Recommender, RecommenderRecipe } from '../src/recommender';
import { RecommenderGrants } from '../src/recommender-grants';
import { SegmentDefinition } from '../src/segment-definition';
import { SegmentDefinitionGrants } from '../src/segment-definition-grants';
import { SegmentQuery } from '../src/segment-query';
import { ENV, profileArn } from './helpers/child-constructs';

type Json = Record<string, any>;

const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function newStack(): Stack {
  return new Stack(new App(), 'Stack', { env: ENV });
}

function role(stack: Stack): iam.Role {
  return new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
}

/** The statements of the role's policy (the grantee's only policy). */
function roleStatements(stack: Stack): Json[] {
  const policies = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^Role') }] } }));
  expect(policies).toHaveLength(1);
  return policies[0].Properties.PolicyDocument.Statement;
}

/** `arn:${Partition}:profile:eu-west-1:111122223333:domains/` followed by `parts`, as CloudFormation renders it. */
function domainArnJoin(...parts: unknown[]): Json {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':profile:eu-west-1:111122223333:domains/', ...parts]] };
}

/** The Ref of a CfnDomain, and the parts of a composite Ref (`DomainName|Name`) of a child L1. */
const ref = (logicalId: string) => ({ Ref: logicalId });
const refPart = (logicalId: string, index: number) => ({ 'Fn::Select': [index, { 'Fn::Split': ['|', { Ref: logicalId }] }] });

function logicalIdOf(stack: Stack, construct: CfnResource): string {
  return stack.getLogicalId(construct);
}

function encryptedDomain(stack: Stack) {
  const key = new kms.Key(stack, 'Key');
  const domain = new Domain(stack, 'Customers', { domainName: 'customers', encryptionKey: key, dataStore: DataStore.enabled() });
  return { key, domain };
}

describe('DomainGrants', () => {
  test('domain.grants.readProfiles: the read actions on the domain and its object types, kms:Decrypt on the key', () => {
    const stack = newStack();
    const { key, domain } = encryptedDomain(stack);
    domain.grants.readProfiles(role(stack));
    const arn = stack.resolve(domain.domainArn);
    expect(roleStatements(stack)).toEqual([
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: stack.resolve(key.keyArn) },
      {
        Effect: 'Allow',
        Action: ['profile:SearchProfiles', 'profile:BatchGetProfile', 'profile:ListProfileObjects', 'profile:GetSimilarProfiles'],
        Resource: [arn, { 'Fn::Join': ['', [...arn['Fn::Join'][1], '/object-types/*']] }],
      },
    ]);
  });

  test('the discouraged grant methods give the same statements as the grants they delegate to', () => {
    const viaGrants = newStack();
    const a = encryptedDomain(viaGrants).domain;
    a.grants.writeProfiles(role(viaGrants));
    const viaMethod = newStack();
    const b = encryptedDomain(viaMethod).domain;
    b.grantWriteProfiles(role(viaMethod));
    expect(roleStatements(viaMethod)).toEqual(roleStatements(viaGrants));
    expect(roleStatements(viaGrants)[0]).toEqual({ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: viaGrants.resolve(a.encryptionKey!.keyArn) });
  });

  test('fromDomain(CfnDomain) with a literal key ARN: the domain ARN from its Ref, kms on the key ARN', () => {
    const stack = newStack();
    const cfn = new customerprofiles.CfnDomain(stack, 'L1', { domainName: 'l1', defaultExpirationDays: 366, defaultEncryptionKey: KEY_ARN });
    DomainGrants.fromDomain(cfn).writeProfiles(role(stack));
    const arn = domainArnJoin(ref(logicalIdOf(stack, cfn)));
    expect(roleStatements(stack)).toEqual([
      { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: KEY_ARN },
      {
        Effect: 'Allow',
        Action: [
          'profile:CreateProfile',
          'profile:UpdateProfile',
          'profile:DeleteProfile',
          'profile:AddProfileKey',
          'profile:DeleteProfileKey',
          'profile:PutProfileObject',
          'profile:DeleteProfileObject',
        ],
        Resource: [arn, domainArnJoin(ref(logicalIdOf(stack, cfn)), '/object-types/*')],
      },
    ]);
  });

  test('fromDomain(CfnDomain) whose key is a reference to a key ARN (key.keyArn) grants kms on it', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key');
    const cfn = new customerprofiles.CfnDomain(stack, 'L1', { domainName: 'l1', defaultExpirationDays: 366, defaultEncryptionKey: key.keyArn });
    DomainGrants.fromDomain(cfn).estimateSegments(role(stack));
    expect(roleStatements(stack)).toEqual([
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: stack.resolve(key.keyArn) },
      { Effect: 'Allow', Action: ['profile:CreateSegmentEstimate', 'profile:GetSegmentEstimate'], Resource: domainArnJoin(ref(logicalIdOf(stack, cfn))) },
    ]);
  });

  test('fromDomain(CfnDomain) whose key is a key id grants no kms and warns that it must be granted separately', () => {
    const stack = newStack();
    const cfn = new customerprofiles.CfnDomain(stack, 'L1', { domainName: 'l1', defaultExpirationDays: 366, defaultEncryptionKey: '1234abcd-12ab-34cd-56ef-1234567890ab' });
    DomainGrants.fromDomain(cfn).readProfiles(role(stack));
    const statements = roleStatements(stack);
    expect(statements.map((s) => s.Action)).toEqual([['profile:SearchProfiles', 'profile:BatchGetProfile', 'profile:ListProfileObjects', 'profile:GetSimilarProfiles']]);
    Annotations.fromStack(stack).hasWarning('/Stack/L1', Match.stringLikeRegexp('^The defaultEncryptionKey of Stack/L1 is not a key ARN an IAM policy can name: grant kms:Decrypt on the key yourself'));
  });

  test('fromDomain(CfnDomain) without a key grants no kms and warns nothing', () => {
    const stack = newStack();
    const cfn = new customerprofiles.CfnDomain(stack, 'L1', { domainName: 'l1', defaultExpirationDays: 366 });
    DomainGrants.fromDomain(cfn).readProfiles(role(stack));
    expect(roleStatements(stack)).toHaveLength(1);
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  test('actions and listRecommenderRecipes: the actions on the domain ARN only, the recipes on *', () => {
    const stack = newStack();
    const cfn = new customerprofiles.CfnDomain(stack, 'L1', { domainName: 'l1', defaultExpirationDays: 366, defaultEncryptionKey: KEY_ARN });
    const grantee = role(stack);
    DomainGrants.fromDomain(cfn).actions(grantee, 'profile:GetDomain');
    DomainGrants.fromDomain(cfn).listRecommenderRecipes(grantee);
    expect(roleStatements(stack)).toEqual([
      { Effect: 'Allow', Action: 'profile:GetDomain', Resource: domainArnJoin(ref(logicalIdOf(stack, cfn))) },
      { Effect: 'Allow', Action: 'profile:ListRecommenderRecipes', Resource: '*' },
    ]);
  });

  test('an imported domain keeps its own ARN (fromDomainArn in another region)', () => {
    const stack = newStack();
    const domain = Domain.fromDomainArn(stack, 'Imported', 'arn:aws:profile:us-east-1:444455556666:domains/elsewhere');
    DomainGrants.fromDomain(domain).actions(role(stack), 'profile:GetDomain');
    expect(roleStatements(stack)).toEqual([{ Effect: 'Allow', Action: 'profile:GetDomain', Resource: 'arn:aws:profile:us-east-1:444455556666:domains/elsewhere' }]);
  });

  test('Domain.fromDomainRef(CfnDomain) knows its literal key, so the IDomain grants it', () => {
    const stack = newStack();
    const cfn = new customerprofiles.CfnDomain(stack, 'L1', { domainName: 'l1', defaultExpirationDays: 366, defaultEncryptionKey: KEY_ARN });
    const domain = Domain.fromDomainRef(stack, 'View', cfn);
    expect(domain.encryptionKey?.keyArn).toBe(KEY_ARN);
    expect(stack.resolve(domain.domainArn)).toEqual(domainArnJoin(ref(logicalIdOf(stack, cfn))));
    domain.grants.readProfiles(role(stack));
    expect(roleStatements(stack)[0]).toEqual({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY_ARN });
  });
});

describe('RecommenderGrants', () => {
  test('recommender.grants.getRecommendations: the recommender and domain ARNs, kms:Decrypt on the domain key', () => {
    const stack = newStack();
    const { key, domain } = encryptedDomain(stack);
    const recommender = new Recommender(stack, 'ForYou', { domain, recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU });
    recommender.grants.getRecommendations(role(stack));
    expect(roleStatements(stack)).toEqual([
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: stack.resolve(key.keyArn) },
      {
        Effect: 'Allow',
        Action: 'profile:GetProfileRecommendations',
        Resource: [stack.resolve(recommender.recommenderArn), stack.resolve(domain.domainArn)],
      },
    ]);
  });

  test('grantGetRecommendations delegates to grants.getRecommendations (the key included)', () => {
    const stack = newStack();
    const { key, domain } = encryptedDomain(stack);
    new Recommender(stack, 'ForYou', { domain, recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU }).grantGetRecommendations(role(stack));
    expect(roleStatements(stack)[0]).toEqual({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: stack.resolve(key.keyArn) });
  });

  test('fromRecommender(CfnRecommender): its RecommenderArn and the ARN of the domain its Ref names, no key', () => {
    const stack = newStack();
    const cfn = new customerprofiles.CfnRecommender(stack, 'L1', { domainName: 'customers', recommenderName: 'for-you', recommenderRecipeName: 'recommended-for-you' });
    const grantee = role(stack);
    const grants = RecommenderGrants.fromRecommender(cfn);
    grants.getRecommendations(grantee);
    grants.read(grantee);
    const id = logicalIdOf(stack, cfn);
    const domainArn = domainArnJoin(refPart(id, 0));
    expect(roleStatements(stack)).toEqual([
      { Effect: 'Allow', Action: 'profile:GetProfileRecommendations', Resource: [{ 'Fn::GetAtt': [id, 'RecommenderArn'] }, domainArn] },
      { Effect: 'Allow', Action: 'profile:GetRecommender', Resource: [{ 'Fn::GetAtt': [id, 'RecommenderArn'] }, domainArn] },
      { Effect: 'Allow', Action: 'profile:ListRecommenders', Resource: domainArn },
    ]);
  });

  test('fromRecommender of an imported recommender of a CfnDomain grants the CfnDomain key', () => {
    const stack = newStack();
    const cfn = new customerprofiles.CfnDomain(stack, 'L1', { domainName: 'l1', defaultExpirationDays: 366, defaultEncryptionKey: KEY_ARN });
    const recommender = Recommender.fromRecommenderName(stack, 'ForYou', cfn, 'for-you');
    RecommenderGrants.fromRecommender(recommender).getRecommendations(role(stack));
    const domainArn = domainArnJoin(ref(logicalIdOf(stack, cfn)));
    expect(roleStatements(stack)).toEqual([
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY_ARN },
      { Effect: 'Allow', Action: 'profile:GetProfileRecommendations', Resource: [domainArnJoin(ref(logicalIdOf(stack, cfn)), '/recommenders/for-you'), domainArn] },
    ]);
  });
});

describe('SegmentDefinitionGrants', () => {
  test('segment.grants.readMembership: the segment and domain ARNs, kms:Decrypt on the domain key', () => {
    const stack = newStack();
    const { key, domain } = encryptedDomain(stack);
    const segment = new SegmentDefinition(stack, 'Gold', { domain, displayName: 'Gold', query: SegmentQuery.sql('SELECT * FROM _profile') });
    segment.grants.readMembership(role(stack));
    expect(roleStatements(stack)).toEqual([
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: stack.resolve(key.keyArn) },
      {
        Effect: 'Allow',
        Action: 'profile:GetSegmentMembership',
        Resource: [stack.resolve(segment.segmentDefinitionArn), stack.resolve(domain.domainArn)],
      },
    ]);
  });

  test('fromSegmentDefinition(CfnSegmentDefinition): its SegmentDefinitionArn and its domain ARN', () => {
    const stack = newStack();
    const cfn = new customerprofiles.CfnSegmentDefinition(stack, 'L1', {
      domainName: 'customers',
      segmentDefinitionName: 'gold',
      displayName: 'Gold',
      segmentSqlQuery: 'SELECT * FROM _profile',
    });
    SegmentDefinitionGrants.fromSegmentDefinition(cfn).readMembership(role(stack));
    const id = logicalIdOf(stack, cfn);
    expect(roleStatements(stack)).toEqual([
      { Effect: 'Allow', Action: 'profile:GetSegmentMembership', Resource: [{ 'Fn::GetAtt': [id, 'SegmentDefinitionArn'] }, domainArnJoin(refPart(id, 0))] },
    ]);
  });

  test('grantReadMembership and grant delegate to the grants', () => {
    const stack = newStack();
    const domain = Domain.fromDomainName(stack, 'Imported', 'imported');
    const segment = SegmentDefinition.fromSegmentDefinitionName(stack, 'Gold', domain, 'gold');
    const grantee = role(stack);
    segment.grantReadMembership(grantee);
    segment.grant(grantee, 'profile:GetSegmentDefinition');
    const resources = [profileArn('domains/imported/segment-definitions/gold'), profileArn('domains/imported')];
    expect(roleStatements(stack)).toEqual([
      { Effect: 'Allow', Action: 'profile:GetSegmentMembership', Resource: resources },
      { Effect: 'Allow', Action: 'profile:GetSegmentDefinition', Resource: resources },
    ]);
  });
});

describe('DomainObjectTypeGrants', () => {
  const fields = { Id: { source: '_source.Id', target: '_item.Id' } };

  test('objectType.grants.readAttributeInsights: the object-types ARN form and the domain ARN, kms:Decrypt on its key', () => {
    const stack = newStack();
    const { key, domain } = encryptedDomain(stack);
    const objectType = new DomainObjectType(stack, 'Products', { domain, objectTypeName: 'products', fields });
    objectType.grants.readAttributeInsights(role(stack));
    const arn = stack.resolve(domain.domainArn);
    expect(roleStatements(stack)).toEqual([
      {
        Effect: 'Allow',
        Action: ['profile:ListObjectTypeAttributeValues', 'profile:GetObjectTypeAttributeStatistics'],
        Resource: [{ 'Fn::Join': ['', [...arn['Fn::Join'][1], '/object-types/', { 'Fn::GetAtt': [stack.getLogicalId(objectType.node.defaultChild as any), 'ObjectTypeName'] }]] }, arn],
      },
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: stack.resolve(key.keyArn) },
    ]);
  });

  test('fromDomainObjectType(CfnDomainObjectType) with a literal key: the ARNs from its Ref, kms on its key', () => {
    const stack = newStack();
    const cfn = new customerprofiles.CfnDomainObjectType(stack, 'L1', {
      domainName: 'customers',
      objectTypeName: 'products',
      encryptionKey: KEY_ARN,
      fields: { Id: { source: '_source.Id', target: '_item.Id' } },
    });
    const grantee = role(stack);
    const grants = DomainObjectTypeGrants.fromDomainObjectType(cfn);
    grants.readAttributeInsights(grantee);
    grants.actions(grantee, 'profile:GetDomainObjectType');
    const id = logicalIdOf(stack, cfn);
    const domainArn = domainArnJoin(refPart(id, 0));
    expect(roleStatements(stack)).toEqual([
      {
        Effect: 'Allow',
        Action: ['profile:ListObjectTypeAttributeValues', 'profile:GetObjectTypeAttributeStatistics'],
        Resource: [domainArnJoin(refPart(id, 0), '/object-types/', refPart(id, 1)), domainArn],
      },
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY_ARN },
      { Effect: 'Allow', Action: 'profile:GetDomainObjectType', Resource: [domainArnJoin(refPart(id, 0), '/domain-object-types/', refPart(id, 1)), domainArn] },
    ]);
  });
});
