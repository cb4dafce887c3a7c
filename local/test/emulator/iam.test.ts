import {
  AccessDeniedException,
  BadRequestException,
  CreateDomainCommand,
  CreateRecommenderCommand,
  DeleteDomainCommand,
  DeleteRecommenderCommand,
  GetDomainCommand,
  GetRecommenderCommand,
  ListDomainsCommand,
  ListTagsForResourceCommand,
  PutDomainObjectTypeCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-customer-profiles';
import { AuthorizationRequest, evaluate, PolicyDocument, PolicyStatement } from '../../src/emulator';
import { EmulatorForTests, startEmulatorForTests, stopEmulatorForTests } from '../helpers/emulator';

const ACCOUNT = '123456789012';
const PRINCIPAL = `arn:aws:sts::${ACCOUNT}:assumed-role/CustomerProfilesHandler/local`;
const DOMAIN_ARN = `arn:aws:profile:us-east-1:${ACCOUNT}:domains/D`;
const RECOMMENDER_ARN = `${DOMAIN_ARN}/recommenders/R`;
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/${KEY_ID}`;
const OWNER = 'cdk-customer-profiles:owner';
const recommenderConfig = { EventsConfig: { EventParametersList: [{ EventType: 'purchase', EventWeight: 0.5 }] } };

const policy = (...Statement: PolicyStatement[]): PolicyDocument => ({ Version: '2012-10-17', Statement });
const allow = (Action: string | string[], Resource: string | string[] = '*', Condition?: PolicyStatement['Condition']): PolicyStatement =>
  ({ Effect: 'Allow', Action, Resource, ...(Condition ? { Condition } : {}) });
const deny = (Action: string | string[], Resource: string | string[] = '*', Condition?: PolicyStatement['Condition']): PolicyStatement =>
  ({ Effect: 'Deny', Action, Resource, ...(Condition ? { Condition } : {}) });

let env: EmulatorForTests;
beforeEach(async () => {
  env = await startEmulatorForTests({ timing: { recommenderDeleteSeconds: 10 } });
});
afterEach(async () => {
  await stopEmulatorForTests(env);
});

/** Sets up resources with IAM off, then turns it on with these policies. */
async function withDomain(policies: PolicyDocument[], domainTags?: Record<string, string>): Promise<void> {
  await env.client.send(new CreateDomainCommand({ DomainName: 'D', DefaultExpirationDays: 30, DataStore: { Enabled: true }, Tags: domainTags }));
  env.emu.setIdentityPolicies(policies);
}

async function denial(promise: Promise<unknown>): Promise<AccessDeniedException> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AccessDeniedException);
  return err as AccessDeniedException;
}

const notAllowed = (action: string, resource: string) =>
  `User: ${PRINCIPAL} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;

describe('emulator IAM', () => {
  test('is off by default: every request is allowed', async () => {
    expect(env.emu.iamEnabled).toBe(false);
    await env.client.send(new CreateDomainCommand({ DomainName: 'D', DefaultExpirationDays: 30 }));
    await env.client.send(new DeleteDomainCommand({ DomainName: 'D' }));
  });

  test('allows what an identity policy allows', async () => {
    env.emu.setIdentityPolicies([policy(allow(['profile:CreateDomain', 'profile:GetDomain'], DOMAIN_ARN))]);
    expect(env.emu.iamEnabled).toBe(true);
    await env.client.send(new CreateDomainCommand({ DomainName: 'D', DefaultExpirationDays: 30 }));
    expect((await env.client.send(new GetDomainCommand({ DomainName: 'D' }))).DomainName).toBe('D');
  });

  test('denies what no statement allows, in the service words, as 403, logged, and changes nothing', async () => {
    await withDomain([policy(allow('profile:GetDomain', DOMAIN_ARN))]);
    env.emu.resetRequests();
    const err = await denial(env.client.send(new DeleteDomainCommand({ DomainName: 'D' })));
    expect(err.name).toBe('AccessDeniedException');
    expect(err.$metadata.httpStatusCode).toBe(403);
    expect(err.message).toBe(notAllowed('profile:DeleteDomain', DOMAIN_ARN));
    expect(env.emu.requests.map((r) => [r.operation, r.status])).toEqual([['DeleteDomain', 403]]);
    expect(env.emu.state.domains()).toEqual(['D']);
  });

  test('an explicit Deny beats any Allow', async () => {
    await withDomain([policy(allow('profile:*')), policy(deny('profile:DeleteDomain', DOMAIN_ARN))]);
    const err = await denial(env.client.send(new DeleteDomainCommand({ DomainName: 'D' })));
    expect(err.message).toBe(`User: ${PRINCIPAL} is not authorized to perform: profile:DeleteDomain on resource: ${DOMAIN_ARN} with an explicit deny in an identity-based policy`);
    await env.client.send(new GetDomainCommand({ DomainName: 'D' }));
  });

  test('NotAction and NotResource', async () => {
    await withDomain([policy({ Effect: 'Allow', NotAction: 'profile:Delete*', Resource: '*' })]);
    await env.client.send(new GetDomainCommand({ DomainName: 'D' }));
    await denial(env.client.send(new DeleteDomainCommand({ DomainName: 'D' })));

    env.emu.setIdentityPolicies([policy({ Effect: 'Allow', Action: 'profile:GetDomain', NotResource: `${DOMAIN_ARN}*` })]);
    await denial(env.client.send(new GetDomainCommand({ DomainName: 'D' })));
    env.emu.setIdentityPolicies([policy({ Effect: 'Allow', Action: 'profile:GetDomain', NotResource: `${DOMAIN_ARN}/*` })]);
    await env.client.send(new GetDomainCommand({ DomainName: 'D' }));
  });

  test('wildcards: actions case-insensitive with * and ?, ARNs case-sensitive with * across /', async () => {
    await withDomain([policy(allow(['PROFILE:?etdomain', 'profile:*Recommender'], 'arn:aws:profile:*:*:domains/*'))]);
    await env.client.send(new GetDomainCommand({ DomainName: 'D' }));
    // `domains/*` covers the domain and, across the `/`, its recommenders.
    await env.client.send(new CreateRecommenderCommand({ DomainName: 'D', RecommenderName: 'R', RecommenderRecipeName: 'recommended-for-you', RecommenderConfig: recommenderConfig }));
    await env.client.send(new GetRecommenderCommand({ DomainName: 'D', RecommenderName: 'R' }));
    await denial(env.client.send(new DeleteDomainCommand({ DomainName: 'D' })));

    env.emu.setIdentityPolicies([policy(allow('profile:GetDomain', `arn:aws:profile:us-east-1:${ACCOUNT}:domains/d`))]);
    await denial(env.client.send(new GetDomainCommand({ DomainName: 'D' })));
  });

  test('an action without resource types is authorized on * only', async () => {
    await withDomain([policy(allow('profile:ListDomains', 'arn:aws:profile:*:*:domains/*'))]);
    const err = await denial(env.client.send(new ListDomainsCommand({})));
    expect(err.message).toBe(notAllowed('profile:ListDomains', '*'));
    env.emu.setIdentityPolicies([policy(allow('profile:ListDomains'))]);
    expect((await env.client.send(new ListDomainsCommand({}))).Items?.length).toBe(1);
  });

  test('a child operation needs both the child ARN and the domain ARN', async () => {
    await withDomain([]);
    env.emu.setIdentityPolicies(undefined);
    await env.client.send(new CreateRecommenderCommand({ DomainName: 'D', RecommenderName: 'R', RecommenderRecipeName: 'recommended-for-you', RecommenderConfig: recommenderConfig }));
    const ref = { DomainName: 'D', RecommenderName: 'R' };

    env.emu.setIdentityPolicies([policy(allow('profile:GetRecommender', RECOMMENDER_ARN))]);
    expect((await denial(env.client.send(new GetRecommenderCommand(ref)))).message).toBe(notAllowed('profile:GetRecommender', DOMAIN_ARN));
    env.emu.setIdentityPolicies([policy(allow('profile:GetRecommender', DOMAIN_ARN))]);
    expect((await denial(env.client.send(new GetRecommenderCommand(ref)))).message).toBe(notAllowed('profile:GetRecommender', RECOMMENDER_ARN));
    env.emu.setIdentityPolicies([policy(allow('profile:GetRecommender', [DOMAIN_ARN, RECOMMENDER_ARN]))]);
    await env.client.send(new GetRecommenderCommand(ref));
  });

  test('tag operations are authorized on the ARN they name', async () => {
    await withDomain([policy(allow('profile:ListTagsForResource', DOMAIN_ARN))], { team: 'crm' });
    expect((await env.client.send(new ListTagsForResourceCommand({ resourceArn: DOMAIN_ARN }))).tags).toEqual({ team: 'crm' });
    const other = `arn:aws:profile:us-east-1:${ACCOUNT}:domains/Other`;
    expect((await denial(env.client.send(new ListTagsForResourceCommand({ resourceArn: other })))).message)
      .toBe(notAllowed('profile:ListTagsForResource', other));
  });

  test('aws:ResourceTag on the owner tag: deletes a tagged recommender, refuses an untagged one', async () => {
    const marker = 'MyStack/0a1b2c3d-0000-1111-2222-333344445555';
    await env.client.send(new CreateDomainCommand({ DomainName: 'D', DefaultExpirationDays: 30, DataStore: { Enabled: true }, Tags: { [OWNER]: `${marker}/Domain` } }));
    const base = { DomainName: 'D', RecommenderRecipeName: 'recommended-for-you' as const, RecommenderConfig: recommenderConfig };
    await env.client.send(new CreateRecommenderCommand({ ...base, RecommenderName: 'Ours', Tags: { [OWNER]: `${marker}/Rec` } }));
    await env.client.send(new CreateRecommenderCommand({ ...base, RecommenderName: 'Theirs' }));
    await env.client.send(new CreateRecommenderCommand({ ...base, RecommenderName: 'Sibling', Tags: { [OWNER]: 'OtherStack/guid/Rec' } }));
    env.emu.setIdentityPolicies([policy(allow(['profile:GetRecommender', 'profile:DeleteRecommender'], `arn:aws:profile:us-east-1:${ACCOUNT}:domains/*`,
      { StringLike: { [`aws:ResourceTag/${OWNER}`]: `${marker}/*` } }))]);

    await env.client.send(new DeleteRecommenderCommand({ DomainName: 'D', RecommenderName: 'Ours' }));
    expect((await denial(env.client.send(new DeleteRecommenderCommand({ DomainName: 'D', RecommenderName: 'Theirs' })))).message)
      .toBe(notAllowed('profile:DeleteRecommender', `${DOMAIN_ARN}/recommenders/Theirs`));
    await denial(env.client.send(new DeleteRecommenderCommand({ DomainName: 'D', RecommenderName: 'Sibling' })));
    expect(env.emu.state.recommender('D', 'Theirs')?.Status).not.toBe('DELETING');
  });

  test('aws:RequestTag and aws:TagKeys on create, and the TagResource a create with tags needs', async () => {
    await withDomain([policy(
      allow('profile:CreateRecommender', DOMAIN_ARN),
      allow(['profile:CreateRecommender', 'profile:TagResource'], `${DOMAIN_ARN}/recommenders/*`, {
        'StringEquals': { [`aws:RequestTag/${OWNER}`]: 'MyStack/guid/Rec' },
        'ForAllValues:StringEquals': { 'aws:TagKeys': [OWNER, 'team'] },
      }),
    )]);
    const create = (RecommenderName: string, Tags?: Record<string, string>) => env.client.send(new CreateRecommenderCommand({
      DomainName: 'D', RecommenderName, RecommenderRecipeName: 'recommended-for-you', RecommenderConfig: recommenderConfig, Tags,
    }));
    await create('A', { [OWNER]: 'MyStack/guid/Rec', team: 'crm' });
    await denial(create('B', { [OWNER]: 'MyStack/other/Rec' }));
    await denial(create('C', { [OWNER]: 'MyStack/guid/Rec', extra: 'x' }));
    await denial(create('D')); // no aws:RequestTag: StringEquals fails on a missing key
    expect(env.emu.state.recommender('D', 'B')).toBeUndefined();

    env.emu.setIdentityPolicies([policy(allow('profile:CreateDomain'))]);
    const err = await denial(env.client.send(new CreateDomainCommand({ DomainName: 'E', DefaultExpirationDays: 1, Tags: { team: 'crm' } })));
    expect(err.message).toBe(notAllowed('profile:TagResource', `arn:aws:profile:us-east-1:${ACCOUNT}:domains/E`));
    await env.client.send(new CreateDomainCommand({ DomainName: 'E', DefaultExpirationDays: 1 }));
  });

  test('aws:TagKeys on UntagResource: the owner tag cannot be removed', async () => {
    await withDomain([policy(allow('profile:UntagResource'), deny('profile:UntagResource', '*', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': OWNER } }))],
      { [OWNER]: 'S/g/D', team: 'crm' });
    await denial(env.client.send(new UntagResourceCommand({ resourceArn: DOMAIN_ARN, tagKeys: ['team', OWNER] })));
    await env.client.send(new UntagResourceCommand({ resourceArn: DOMAIN_ARN, tagKeys: ['team'] }));
    expect(env.emu.state.domain('D')?.Tags).toEqual({ [OWNER]: 'S/g/D' });
  });

  test('a domain with a KMS key needs the key actions on that key', async () => {
    const keyStatement = allow(['kms:GenerateDataKey', 'kms:Decrypt', 'kms:DescribeKey', 'kms:CreateGrant'], KEY_ARN);
    env.emu.setIdentityPolicies([policy(allow('profile:*'))]);
    const create = (DomainName: string, key: string) =>
      env.client.send(new CreateDomainCommand({ DomainName, DefaultExpirationDays: 1, DefaultEncryptionKey: key }));
    expect((await denial(create('A', KEY_ARN))).message).toBe(notAllowed('kms:GenerateDataKey', KEY_ARN));
    env.emu.setIdentityPolicies([policy(allow('profile:*'), { ...keyStatement, Action: ['kms:GenerateDataKey', 'kms:Decrypt', 'kms:DescribeKey'] })]);
    expect((await denial(create('A', KEY_ARN))).message).toBe(notAllowed('kms:CreateGrant', KEY_ARN));

    env.emu.setIdentityPolicies([policy(allow('profile:*'), keyStatement)]);
    await create('A', KEY_ARN);
    await create('B', KEY_ID); // a key id is the key of this account and region
    // An alias names no key IAM could check: only `*` covers it.
    expect((await denial(create('C', 'alias/customers'))).message).toBe(notAllowed('kms:GenerateDataKey', '*'));
    expect(env.emu.state.domains()).toEqual(['A', 'B']);

    env.emu.setIdentityPolicies([policy(allow('profile:*'))]);
    await env.client.send(new CreateDomainCommand({ DomainName: 'P', DefaultExpirationDays: 1, DataStore: { Enabled: true } }));
    const fields = { id: { Source: '_source.Id', Target: 'Orders.Id', ContentType: 'STRING' as const } };
    await denial(env.client.send(new PutDomainObjectTypeCommand({ DomainName: 'P', ObjectTypeName: 'Orders', Description: 'o', Fields: fields, EncryptionKey: KEY_ARN })));
    await env.client.send(new PutDomainObjectTypeCommand({ DomainName: 'P', ObjectTypeName: 'Orders', Description: 'o', Fields: fields }));
  });

  test('setIdentityPolicies switches at run time and names the principal', async () => {
    await withDomain([policy(allow('profile:CreateDomain'))]);
    await denial(env.client.send(new GetDomainCommand({ DomainName: 'D' })));
    env.emu.setIdentityPolicies([policy(allow('profile:CreateDomain'))], 'arn:aws:sts::123456789012:assumed-role/Handler/fn');
    expect((await denial(env.client.send(new GetDomainCommand({ DomainName: 'D' })))).message)
      .toMatch(/^User: arn:aws:sts::123456789012:assumed-role\/Handler\/fn is not authorized/);
    env.emu.setIdentityPolicies([policy(allow('profile:GetDomain', DOMAIN_ARN))]);
    await env.client.send(new GetDomainCommand({ DomainName: 'D' }));
    env.emu.setIdentityPolicies(undefined);
    expect(env.emu.iamEnabled).toBe(false);
    await env.client.send(new DeleteDomainCommand({ DomainName: 'D' }));
  });

  test('EmulatorOptions.iam turns it on from the start', async () => {
    const own = await startEmulatorForTests({ iam: { policies: [], principalArn: 'arn:aws:sts::123456789012:assumed-role/R/s' } });
    try {
      expect(own.emu.iamEnabled).toBe(true);
      const err = await denial(own.client.send(new ListDomainsCommand({})));
      expect(err.message).toMatch(/^User: arn:aws:sts::123456789012:assumed-role\/R\/s is not authorized to perform: profile:ListDomains on resource: \*/);
    } finally {
      await stopEmulatorForTests(own);
    }
  });

  test('refuses a policy IAM would refuse, or one with an unresolved member', () => {
    expect(() => env.emu.setIdentityPolicies([policy({ Effect: 'Allow', Action: 'profile:*' } as PolicyStatement)]))
      .toThrow('identity policy 0, statement 0: it needs exactly one of Resource and NotResource');
    const unresolved = { 'Fn::GetAtt': ['Key', 'Arn'] } as unknown as string;
    expect(() => env.emu.setIdentityPolicies([policy({ Sid: 'Key', Effect: 'Allow', Action: 'kms:Decrypt', Resource: [unresolved] })]))
      .toThrow('identity policy 0, statement Key: an action or resource is not a string (an unresolved intrinsic?)');
    expect(env.emu.iamEnabled).toBe(false);
  });

  test('validation and injected faults come before authorization', async () => {
    env.emu.setIdentityPolicies([]);
    await expect(env.client.send(new CreateDomainCommand({ DomainName: 'bad name!', DefaultExpirationDays: 1 }))).rejects.toBeInstanceOf(BadRequestException);
    env.emu.faults.add({ operation: 'GetDomain', error: 'ThrottlingException' });
    await expect(env.client.send(new GetDomainCommand({ DomainName: 'D' }))).rejects.toThrow(/Rate exceeded|Throttl/);
    await denial(env.client.send(new GetDomainCommand({ DomainName: 'D' })));
  });
});

describe('evaluate', () => {
  const req = (context?: Record<string, string | string[]>, action = 'profile:DeleteRecommender', resource = RECOMMENDER_ARN): AuthorizationRequest =>
    ({ action, resource, context });
  const ifAllowed = (Condition: PolicyStatement['Condition'], request: AuthorizationRequest) =>
    evaluate([policy(allow('profile:*', '*', Condition))], request);
  const OWNER_KEY = `aws:ResourceTag/${OWNER}`;

  test.each<[string, PolicyStatement['Condition'], Record<string, string | string[]> | undefined, string]>([
    ['StringEquals matches', { StringEquals: { [OWNER_KEY]: 'S/g/R' } }, { [OWNER_KEY]: 'S/g/R' }, 'allow'],
    ['StringEquals is case-sensitive in values', { StringEquals: { [OWNER_KEY]: 's/g/r' } }, { [OWNER_KEY]: 'S/g/R' }, 'implicit-deny'],
    ['condition key names are case-insensitive', { StringEquals: { [OWNER_KEY.toUpperCase()]: 'S/g/R' } }, { [OWNER_KEY]: 'S/g/R' }, 'allow'],
    ['StringEquals fails on a missing key', { StringEquals: { [OWNER_KEY]: 'S/g/R' } }, undefined, 'implicit-deny'],
    ['StringEqualsIfExists holds on a missing key', { StringEqualsIfExists: { [OWNER_KEY]: 'S/g/R' } }, undefined, 'allow'],
    ['StringEqualsIfExists checks a present key', { StringEqualsIfExists: { [OWNER_KEY]: 'S/g/R' } }, { [OWNER_KEY]: 'x' }, 'implicit-deny'],
    ['values of one key are ORed', { StringEquals: { [OWNER_KEY]: ['a', 'S/g/R'] } }, { [OWNER_KEY]: 'S/g/R' }, 'allow'],
    ['keys are ANDed', { StringEquals: { [OWNER_KEY]: 'S/g/R', 'aws:ResourceTag/team': 'crm' } }, { [OWNER_KEY]: 'S/g/R' }, 'implicit-deny'],
    ['operators are ANDed', { StringLike: { [OWNER_KEY]: 'S/*' }, StringNotEquals: { [OWNER_KEY]: 'S/g/R' } }, { [OWNER_KEY]: 'S/g/R' }, 'implicit-deny'],
    ['StringNotEquals holds on a missing key', { StringNotEquals: { [OWNER_KEY]: 'S/g/R' } }, undefined, 'allow'],
    ['StringNotEquals fails on an equal value', { StringNotEquals: { [OWNER_KEY]: ['x', 'S/g/R'] } }, { [OWNER_KEY]: 'S/g/R' }, 'implicit-deny'],
    ['StringLike * spans /', { StringLike: { [OWNER_KEY]: 'S/*' } }, { [OWNER_KEY]: 'S/g/R' }, 'allow'],
    ['StringLike ? is one character', { StringLike: { [OWNER_KEY]: 'S/?/R' } }, { [OWNER_KEY]: 'S/gg/R' }, 'implicit-deny'],
    ['StringLike fails on a missing key', { StringLike: { [OWNER_KEY]: '*' } }, undefined, 'implicit-deny'],
    ['StringNotLike', { StringNotLike: { [OWNER_KEY]: 'Other/*' } }, { [OWNER_KEY]: 'S/g/R' }, 'allow'],
    ['StringNotLikeIfExists on a missing key', { StringNotLikeIfExists: { [OWNER_KEY]: 'S/*' } }, undefined, 'allow'],
    ['ForAllValues: every value allowed', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['a', 'b'] } }, { 'aws:TagKeys': ['a', 'b'] }, 'allow'],
    ['ForAllValues: one value outside', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['a'] } }, { 'aws:TagKeys': ['a', 'c'] }, 'implicit-deny'],
    ['ForAllValues holds on a missing key', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['a'] } }, undefined, 'allow'],
    ['ForAnyValue: one value matches', { 'ForAnyValue:StringLike': { 'aws:TagKeys': 'cdk-*' } }, { 'aws:TagKeys': ['a', OWNER] }, 'allow'],
    ['ForAnyValue fails on a missing key', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'a' } }, undefined, 'implicit-deny'],
    ['ForAnyValue:StringNotEquals: one value outside', { 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': 'a' } }, { 'aws:TagKeys': ['a', 'b'] }, 'allow'],
    ['Null true: the key is missing', { Null: { [OWNER_KEY]: 'true' } }, undefined, 'allow'],
    ['Null true: the key is present', { Null: { [OWNER_KEY]: 'true' } }, { [OWNER_KEY]: 'x' }, 'implicit-deny'],
    ['Null false: the key is present', { Null: { [OWNER_KEY]: 'false' } }, { [OWNER_KEY]: 'x' }, 'allow'],
    ['Bool', { Bool: { 'aws:SecureTransport': true } }, { 'aws:SecureTransport': 'true' }, 'allow'],
    ['Bool mismatch', { Bool: { 'aws:SecureTransport': 'true' } }, { 'aws:SecureTransport': 'false' }, 'implicit-deny'],
  ])('%s', (_name, condition, context, expected) => {
    expect(ifAllowed(condition, req(context))).toBe(expected);
  });

  test.each<[string, PolicyStatement[], AuthorizationRequest, string]>([
    ['no statement', [], req(), 'implicit-deny'],
    ['Allow', [allow('profile:DeleteRecommender', RECOMMENDER_ARN)], req(), 'allow'],
    ['Deny wins whatever the order', [deny('profile:*'), allow('profile:DeleteRecommender', RECOMMENDER_ARN)], req(), 'explicit-deny'],
    ['a Deny whose condition fails does not apply', [allow('*'), deny('*', '*', { StringEquals: { 'aws:ResourceTag/x': 'y' } })], req(), 'allow'],
    ['action case-insensitive', [allow('Profile:deleterecommender', RECOMMENDER_ARN)], req(), 'allow'],
    ['action ? wildcard', [allow('profile:?eleteRecommender', RECOMMENDER_ARN)], req(), 'allow'],
    ['another service', [allow('kms:*')], req(), 'implicit-deny'],
    ['resource case-sensitive', [allow('profile:*', RECOMMENDER_ARN.toLowerCase())], req(), 'implicit-deny'],
    ['resource ? wildcard', [allow('profile:*', `${DOMAIN_ARN}/recommenders/?`)], req(), 'allow'],
    ['resource * spans / and :', [allow('profile:*', 'arn:aws:profile:*')], req(), 'allow'],
    ['NotAction', [{ Effect: 'Allow', NotAction: ['profile:Get*'], Resource: '*' }], req(), 'allow'],
    ['NotAction excludes', [{ Effect: 'Allow', NotAction: 'profile:Delete*', Resource: '*' }], req(), 'implicit-deny'],
    ['NotResource', [{ Effect: 'Allow', Action: '*', NotResource: `${DOMAIN_ARN}/segment-definitions/*` }], req(), 'allow'],
    ['NotResource excludes', [{ Effect: 'Allow', Action: '*', NotResource: [`${DOMAIN_ARN}/recommenders/*`] }], req(), 'implicit-deny'],
    ['Deny with NotResource', [allow('*'), { Effect: 'Deny', Action: '*', NotResource: DOMAIN_ARN }], req(), 'explicit-deny'],
    ['* is not matched by an ARN pattern', [allow('profile:ListDomains', 'arn:*')], req(undefined, 'profile:ListDomains', '*'), 'implicit-deny'],
  ])('%s', (_name, statements, request, expected) => {
    expect(evaluate(statements.length > 0 ? [policy(...statements)] : [], request)).toBe(expected);
  });

  test('refuses to guess an operator it does not evaluate', () => {
    expect(() => ifAllowed({ NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } }, req()))
      .toThrow(/does not support the condition operator NumericLessThan/);
  });
});
