import { CfnParameter, Duration, Lazy, RemovalPolicy, Tags, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Domain } from '../src/domain';
import { DomainObjectType } from '../src/domain-object-type';
import { MAX_RESOURCE_TIMEOUT_SECONDS } from '../src/private/provider';
import { Recommender, RecommenderOptions, RecommenderRecipe } from '../src/recommender';
import { SegmentDefinition } from '../src/segment-definition';
import { SegmentQuery } from '../src/segment-query';
import {
  expectExactStatement,
  expectPerKindStatement,
  importedDomainStack,
  onlyConfig,
  ownedDomainStack,
  profileArn,
  providerStatements,
  resourcesOf,
} from './helpers/child-constructs';

const TYPE = 'Custom::CustomerProfilesRecommender';

function role(stack: import('aws-cdk-lib').Stack, id = 'Api'): iam.Role {
  return new iam.Role(stack, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
}

describe('Recommender', () => {
  test('writes the recommender as the Config JSON with real numbers and booleans', () => {
    const { stack, domain } = ownedDomainStack();
    new Recommender(stack, 'ForYou', {
      domain,
      recommenderName: 'for-you',
      recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU,
      events: [{ eventType: 'purchase', weight: 1, valueThreshold: 10 }, { eventType: 'click', weight: 0.25 }],
      trainingFrequency: Duration.days(7),
      minProvisionedTps: 5,
      includedColumns: { _catalogItem: ['Category', 'Price'] },
      recommenderSchemaName: 'retail',
      description: 'Recommended for you',
    });
    expect(onlyConfig(Template.fromStack(stack), TYPE)).toEqual({
      DomainName: 'customers',
      RecommenderName: 'for-you',
      RecommenderRecipeName: 'recommended-for-you',
      RecommenderConfig: {
        EventsConfig: {
          EventParametersList: [
            { EventType: 'purchase', EventValueThreshold: 10, EventWeight: 1 },
            { EventType: 'click', EventWeight: 0.25 },
          ],
        },
        TrainingFrequency: 7,
        InferenceConfig: { MinProvisionedTPS: 5 },
        IncludedColumns: { _catalogItem: ['Category', 'Price'] },
      },
      RecommenderSchemaName: 'retail',
      Description: 'Recommended for you',
      Enabled: true,
      WaitForActive: true,
      TimeoutSeconds: MAX_RESOURCE_TIMEOUT_SECONDS,
    });
  });

  test('minimal recommender: generated name, no RecommenderConfig, waits until ACTIVE with the longest deadline', () => {
    const { stack, domain } = ownedDomainStack();
    new Recommender(stack, 'Popular', { domain, recipe: RecommenderRecipe.POPULAR_ITEMS });
    const config = onlyConfig(Template.fromStack(stack), TYPE);
    expect(config.RecommenderName).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(config.RecommenderName).toContain('Popular');
    expect(config.RecommenderConfig).toBeUndefined();
    expect(config).toMatchObject({ Enabled: true, WaitForActive: true, TimeoutSeconds: MAX_RESOURCE_TIMEOUT_SECONDS });
  });

  test('desired state and readiness options reach the handler', () => {
    const { stack, domain } = ownedDomainStack();
    new Recommender(stack, 'ForYou', {
      domain,
      recipe: RecommenderRecipe.TRENDING_NOW,
      enabled: false,
      waitForActive: false,
      timeout: Duration.minutes(20),
    });
    expect(onlyConfig(Template.fromStack(stack), TYPE)).toMatchObject({ Enabled: false, WaitForActive: false, TimeoutSeconds: 1200 });
  });

  test('every recipe of the service model is listed, and of() names others', () => {
    expect([
      RecommenderRecipe.RECOMMENDED_FOR_YOU,
      RecommenderRecipe.SIMILAR_ITEMS,
      RecommenderRecipe.FREQUENTLY_PAIRED_ITEMS,
      RecommenderRecipe.POPULAR_ITEMS,
      RecommenderRecipe.TRENDING_NOW,
      RecommenderRecipe.PERSONALIZED_RANKING,
    ].map((r) => r.name)).toEqual([
      'recommended-for-you', 'similar-items', 'frequently-paired-items', 'popular-items', 'trending-now', 'personalized-ranking',
    ]);
    const { stack, domain } = ownedDomainStack();
    new Recommender(stack, 'New', { domain, recipe: RecommenderRecipe.of('next-best-action') });
    expect(onlyConfig(Template.fromStack(stack), TYPE).RecommenderRecipeName).toBe('next-best-action');
  });

  test('waits for the domain, which waits for the provider policy holding the child statements', () => {
    const { stack, domain } = ownedDomainStack();
    new Recommender(stack, 'ForYou', { domain, recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU });
    const [[, resource]] = resourcesOf(Template.fromStack(stack), TYPE);
    expect(resource.DependsOn).toEqual(['Customers6955EA0A']);
    const domainResource = Template.fromStack(stack).toJSON().Resources.Customers6955EA0A;
    expect(domainResource.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^CustomerProfilesProviderHandlerServiceRoleDefaultPolicy/)]));
  });

  test('in an imported domain, waits for the provider policy itself (there is no domain resource to wait for)', () => {
    const { stack, domain } = importedDomainStack();
    new Recommender(stack, 'ForYou', { domain, recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU });
    const [[, resource]] = resourcesOf(Template.fromStack(stack), TYPE);
    expect(resource.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^CustomerProfilesProviderHandlerServiceRoleDefaultPolicy/)]));
  });

  const RECOMMENDER_ACTIONS = [
    'profile:CreateRecommender',
    'profile:GetRecommender',
    'profile:UpdateRecommender',
    'profile:DeleteRecommender',
    'profile:StartRecommender',
    'profile:StopRecommender',
    'profile:TagResource',
    'profile:UntagResource',
  ];

  test('in a domain of its own stack, the handler is granted the domain\'s recommenders once, by the literal domain name', () => {
    const { stack, domain } = ownedDomainStack();
    new Recommender(stack, 'ForYou', { domain, recommenderName: 'for-you', recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU });
    new Recommender(stack, 'Similar', { domain, recommenderName: 'similar', recipe: RecommenderRecipe.SIMILAR_ITEMS });
    const statements = providerStatements(Template.fromStack(stack));
    expect(JSON.stringify(statements)).not.toContain('Customers6955EA0A');
    // The handler manages the whole domain (it may delete it): one statement for all its
    // recommenders keeps the policy the same size however many there are.
    expectPerKindStatement(statements, RECOMMENDER_ACTIONS, 'customers', 'recommenders');
  });

  test('in an imported domain, the handler is granted each recommender by its exact ARN', () => {
    const { stack, domain } = importedDomainStack();
    new Recommender(stack, 'ForYou', { domain, recommenderName: 'for-you', recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU });
    new Recommender(stack, 'Similar', { domain, recommenderName: 'similar', recipe: RecommenderRecipe.SIMILAR_ITEMS });
    expectExactStatement(providerStatements(Template.fromStack(stack)), RECOMMENDER_ACTIONS, 'imported', 'recommenders', ['for-you', 'similar']);
  });

  test('no statement the child constructs add to the provider policy uses *', () => {
    const { stack, domain } = ownedDomainStack();
    new Recommender(stack, 'ForYou', { domain, recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU });
    new DomainObjectType(stack, 'Products', { domain, fields: { Id: { source: '_source.Id', target: '_item.Id' } } });
    new SegmentDefinition(stack, 'Gold', { domain, displayName: 'Gold', query: SegmentQuery.sql('SELECT * FROM profiles') });
    const resources = providerStatements(Template.fromStack(stack)).flatMap((st) => [st.Resource].flat());
    expect(resources.length).toBeGreaterThan(0);
    expect(resources).not.toContain('*');
  });

  test('is deleted by default (no customer data, and a retained recommender keeps costing)', () => {
    const { stack, domain } = ownedDomainStack();
    new Recommender(stack, 'ForYou', { domain, recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU });
    Template.fromStack(stack).hasResource(TYPE, { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
  });

  test('removal policy RETAIN keeps it', () => {
    const { stack, domain } = ownedDomainStack();
    new Recommender(stack, 'ForYou', { domain, recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU, removalPolicy: RemovalPolicy.RETAIN });
    Template.fromStack(stack).hasResource(TYPE, { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('tags from props and from Tags.of() are rendered into the Config', () => {
    const { stack, domain } = ownedDomainStack();
    const recommender = new Recommender(stack, 'ForYou', { domain, recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU, tags: { team: 'ml' } });
    Tags.of(recommender).add('stage', 'prod');
    expect(onlyConfig(Template.fromStack(stack), TYPE).Tags).toEqual({ team: 'ml', stage: 'prod' });
  });

  test('attributes come from the custom resource, status included', () => {
    const { stack, domain } = ownedDomainStack();
    const r = new Recommender(stack, 'ForYou', { domain, recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU });
    const [[logicalId]] = resourcesOf(Template.fromStack(stack), TYPE);
    expect(stack.resolve(r.recommenderName)).toEqual({ 'Fn::GetAtt': [logicalId, 'RecommenderName'] });
    expect(stack.resolve(r.recommenderArn)).toEqual({ 'Fn::GetAtt': [logicalId, 'RecommenderArn'] });
    expect(stack.resolve(r.recommenderStatus)).toEqual({ 'Fn::GetAtt': [logicalId, 'Status'] });
    expect(stack.resolve(r.recommenderRef)).toEqual({
      domainName: { 'Fn::GetAtt': ['Customers6955EA0A', 'DomainName'] },
      recommenderName: { 'Fn::GetAtt': [logicalId, 'RecommenderName'] },
      recommenderArn: { 'Fn::GetAtt': [logicalId, 'RecommenderArn'] },
    });
  });

  test('an attribute read twice is the same token (they are made on first read, not when the construct is built)', () => {
    const { stack, domain } = ownedDomainStack();
    const r = new Recommender(stack, 'ForYou', { domain, recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU });
    expect(Token.isUnresolved(r.recommenderArn)).toBe(true);
    expect(r.recommenderArn).toBe(r.recommenderArn);
    expect(r.recommenderName).toBe(r.recommenderName);
    expect(r.recommenderStatus).toBe(r.recommenderStatus);
  });

  test('grantGetRecommendations names the recommender ARN and the domain ARN', () => {
    const { stack, domain } = ownedDomainStack();
    const r = new Recommender(stack, 'ForYou', { domain, recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU });
    r.grantGetRecommendations(role(stack));
    const [[logicalId]] = resourcesOf(Template.fromStack(stack), TYPE);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Api') }],
      PolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: 'profile:GetProfileRecommendations',
          Resource: [
            { 'Fn::GetAtt': [logicalId, 'RecommenderArn'] },
            { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':profile:eu-west-1:111122223333:domains/', { 'Fn::GetAtt': ['Customers6955EA0A', 'DomainName'] }]] },
          ],
        }],
      },
    });
  });

  test('grantRead allows GetRecommender on the recommender and ListRecommenders on the domain', () => {
    const { stack, domain } = importedDomainStack();
    const r = Recommender.fromRecommenderName(stack, 'ForYou', domain, 'for-you');
    r.grantRead(role(stack));
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          { Effect: 'Allow', Action: 'profile:GetRecommender', Resource: [profileArn('domains/imported/recommenders/for-you'), profileArn('domains/imported')] },
          { Effect: 'Allow', Action: 'profile:ListRecommenders', Resource: profileArn('domains/imported') },
        ],
      },
    });
  });

  test('grantListRecipes uses * (ListRecommenderRecipes has no resource type)', () => {
    const { stack } = importedDomainStack();
    Recommender.grantListRecipes(role(stack));
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'profile:ListRecommenderRecipes', Resource: '*' }] },
    });
  });

  test('fromRecommenderName imports a recommender with its ARN', () => {
    const { stack, domain } = importedDomainStack();
    const r = Recommender.fromRecommenderName(stack, 'ForYou', domain, 'for-you');
    expect(r.recommenderName).toBe('for-you');
    expect(stack.resolve(r.recommenderArn)).toEqual(profileArn('domains/imported/recommenders/for-you'));
    expect(stack.resolve(r.recommenderRef)).toEqual({
      domainName: 'imported',
      recommenderName: 'for-you',
      recommenderArn: profileArn('domains/imported/recommenders/for-you'),
    });
    expect(() => Recommender.fromRecommenderName(stack, 'Bad', domain, 'for you')).toThrow(/recommenderName must match/);
  });

  test('on an imported domain the policy and Config use the given name and there is no domain dependency', () => {
    const { stack, domain } = importedDomainStack();
    new Recommender(stack, 'ForYou', { domain, recommenderName: 'for-you', recipe: RecommenderRecipe.SIMILAR_ITEMS });
    const template = Template.fromStack(stack);
    expect(onlyConfig(template, TYPE).DomainName).toBe('imported');
    expect(providerStatements(template)).toContainEqual(expect.objectContaining({
      Resource: [profileArn('domains/imported/recommenders/for-you'), profileArn('domains/imported')],
    }));
    const [[, resource]] = resourcesOf(template, TYPE);
    expect([...resource.DependsOn].sort()).toEqual([
      expect.stringMatching(/^CustomerProfilesProviderHandlerServiceRole[0-9A-F]{8}$/),
      expect.stringMatching(/^CustomerProfilesProviderHandlerServiceRoleDefaultPolicy/),
    ]);
  });

  test('accepts tokens where literals would be validated', () => {
    const { stack, domain } = importedDomainStack();
    const num = (id: string) => new CfnParameter(stack, id, { type: 'Number' }).valueAsNumber;
    new Recommender(stack, 'ForYou', {
      domain,
      recommenderName: new CfnParameter(stack, 'Name').valueAsString,
      recipe: RecommenderRecipe.of(new CfnParameter(stack, 'Recipe').valueAsString),
      events: [{ eventType: new CfnParameter(stack, 'Event').valueAsString, weight: num('Weight'), valueThreshold: num('Threshold') }],
      trainingFrequency: Duration.days(num('Days')),
      minProvisionedTps: num('Tps'),
      timeout: Duration.seconds(num('Timeout')),
      description: new CfnParameter(stack, 'Description').valueAsString,
    });
    const config = onlyConfig(Template.fromStack(stack), TYPE);
    expect(config.RecommenderName).toBe('${Name}');
    expect(config.RecommenderRecipeName).toBe('${Recipe}');
  });

  const tenEvents = Array.from({ length: 10 }, (_, i) => ({ eventType: `e${i}` }));
  const invalid: [string, Partial<RecommenderOptions>, RegExp][] = [
    ['an empty recipe', { recipe: RecommenderRecipe.of('') }, /recipe must be 1-64 characters long/],
    ['a recipe with spaces', { recipe: RecommenderRecipe.of('recommended for you') }, /recipe must match/],
    ['0 event parameters', { events: [] }, /events must have 1-10 entries, got 0/],
    ['11 event parameters', { events: [...tenEvents, { eventType: 'e10' }] }, /events must have 1-10 entries, got 11/],
    ['an empty event type', { events: [{ eventType: '' }] }, /events\[0\]\.eventType must be 1-256 characters long/],
    ['an event type of 257 characters', { events: [{ eventType: 'e'.repeat(257) }] }, /events\[0\]\.eventType must be 1-256 characters long/],
    ['a repeated event type', { events: [{ eventType: 'click' }, { eventType: 'click' }] }, /events\[1\]\.eventType must not repeat/],
    ['a weight over 1', { events: [{ eventType: 'click', weight: 1.5 }] }, /events\[0\]\.weight must be between 0 and 1, got 1.5/],
    ['a negative weight', { events: [{ eventType: 'click', weight: -0.1 }] }, /events\[0\]\.weight must be between 0 and 1/],
    ['a threshold that is not a number', { events: [{ eventType: 'click', valueThreshold: NaN }] }, /events\[0\]\.valueThreshold must be a finite number, got NaN/],
    ['an infinite threshold', { events: [{ eventType: 'click', valueThreshold: Infinity }] }, /valueThreshold must be a finite number, got Infinity/],
    ['a training frequency of 0 days', { trainingFrequency: Duration.hours(0) }, /trainingFrequency \(days\) must be between 1 and 30, got 0/],
    ['a training frequency of 31 days', { trainingFrequency: Duration.days(31) }, /trainingFrequency \(days\) must be between 1 and 30, got 31/],
    ['a training frequency of 36 hours', { trainingFrequency: Duration.hours(36) }, /trainingFrequency \(days\) must be a whole number, got 1.5/],
    ['0 provisioned TPS', { minProvisionedTps: 0 }, /minProvisionedTps must be between 1 and 500, got 0/],
    ['501 provisioned TPS', { minProvisionedTps: 501 }, /minProvisionedTps must be between 1 and 500, got 501/],
    ['fractional TPS', { minProvisionedTps: 2.5 }, /minProvisionedTps must be a whole number/],
    ['a timeout over the provider limit', { timeout: Duration.hours(1) }, new RegExp(`timeout \\(seconds\\) must be between 1 and ${MAX_RESOURCE_TIMEOUT_SECONDS}, got 3600`)],
    // aws-cdk-lib cannot convert a token between units: the error names the field and the fix.
    ['a token timeout in minutes', { timeout: Duration.minutes(Lazy.number({ produce: () => 20 })) }, /timeout is a token and must then be given in seconds \(Duration\.seconds\(\.\.\.\)\)/],
    ['a token training frequency in hours', { trainingFrequency: Duration.hours(Lazy.number({ produce: () => 48 })) }, /trainingFrequency is a token and must then be given in days/],
    ['an empty description', { description: '' }, /description must be 1-1000 characters long/],
    ['a description of 1001 characters', { description: 'd'.repeat(1001) }, /description must be 1-1000 characters long/],
    ['a name with a dot', { recommenderName: 'for.you' }, /recommenderName must match/],
    ['a name of 65 characters', { recommenderName: 'r'.repeat(65) }, /recommenderName must be 1-64 characters long/],
    ['included columns for 3 dataset types', { includedColumns: { a: ['x'], b: ['y'], c: ['z'] } }, /includedColumns must have 1-2 entries, got 3/],
    ['included columns with no column', { includedColumns: { _catalogItem: [] } }, /includedColumns\['_catalogItem'\] must have 1-100 entries, got 0/],
    ['101 included columns', { includedColumns: { _catalogItem: Array.from({ length: 101 }, (_, i) => `c${i}`) } }, /must have 1-100 entries, got 101/],
    ['an empty column name', { includedColumns: { _catalogItem: [''] } }, /includedColumns\['_catalogItem'\]\[0\] must be 1-1000 characters long/],
    ['a schema name with a space', { recommenderSchemaName: 'my schema' }, /recommenderSchemaName must match/],
    ['a reserved tag key', { tags: { 'aws:cost': 'x' } }, /tags key must not start with 'aws:'/],
  ];
  test.each(invalid)('refuses %s', (_, options, message) => {
    const { stack, domain } = ownedDomainStack();
    expect(() => new Recommender(stack, 'ForYou', { domain, recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU, ...options }))
      .toThrow(message);
  });

  test('error messages name the construct path', () => {
    const { stack, domain } = ownedDomainStack();
    expect(() => new Recommender(stack, 'ForYou', { domain, recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU, events: [] }))
      .toThrow("Recommender at 'Stack/ForYou': events must have 1-10 entries, got 0");
  });

  test('fails when a recommender is added to a domain without a data store', () => {
    const { stack, domain } = ownedDomainStack(false);
    expect(() => new Recommender(stack, 'ForYou', { domain, recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU })).toThrow(
      "Recommender at 'Stack/ForYou': domain 'customers' has no data store, and the service only creates recommenders in a domain "
      + 'with one: create the domain with `dataStore: DataStore.enabled()`',
    );
    expect(() => domain.addRecommender('Similar', { recipe: RecommenderRecipe.SIMILAR_ITEMS })).toThrow(/'Stack\/Customers\/Similar': domain 'customers' has no data store/);
  });

  test('a domain without a data store whose name is a token is named by its path', () => {
    const { stack } = importedDomainStack();
    const domain = new Domain(stack, 'Plain', { domainName: new CfnParameter(stack, 'DomainName').valueAsString });
    expect(() => new Recommender(stack, 'ForYou', { domain, recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU }))
      .toThrow("Recommender at 'Stack/ForYou': domain at 'Stack/Plain' has no data store");
  });

  test('accepts an imported domain without knowing its data store (the service checks it at deploy time)', () => {
    const { stack, domain } = importedDomainStack();
    new Recommender(stack, 'ForYou', { domain, recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU });
    const template = Template.fromStack(stack);
    expect(resourcesOf(template, TYPE)).toHaveLength(1);
    // The handler reads the imported domain to explain a refusal caused by a disabled data store.
    expect(providerStatements(template)).toContainEqual({ Effect: 'Allow', Action: 'profile:GetDomain', Resource: profileArn('domains/imported') });
  });
});

describe('adoptExisting', () => {
  test('is written into the Config only when true', () => {
    const { stack, domain } = ownedDomainStack();
    new Recommender(stack, 'ForYou', { domain, recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU, adoptExisting: true, removalPolicy: RemovalPolicy.RETAIN });
    expect(onlyConfig(Template.fromStack(stack), TYPE).AdoptExisting).toBe(true);
    const other = ownedDomainStack();
    new Recommender(other.stack, 'ForYou', { domain: other.domain, recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU, adoptExisting: false });
    expect(onlyConfig(Template.fromStack(other.stack), TYPE)).not.toHaveProperty('AdoptExisting');
  });

  test('works through domain.addRecommender', () => {
    const { stack, domain } = ownedDomainStack();
    domain.addRecommender('ForYou', { recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU, adoptExisting: true, removalPolicy: RemovalPolicy.RETAIN });
    expect(onlyConfig(Template.fromStack(stack), TYPE).AdoptExisting).toBe(true);
  });

  test('needs an explicit removalPolicy RETAIN: recommenders are deleted by default', () => {
    const { stack, domain } = ownedDomainStack();
    new Recommender(stack, 'ForYou', { domain, recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU, adoptExisting: true });
    expect(() => Template.fromStack(stack)).toThrow(/Recommender at 'Stack\/ForYou': adoptExisting requires removalPolicy: RemovalPolicy.RETAIN/);
  });

  test('RETAIN applied after construction counts', () => {
    const { stack, domain } = ownedDomainStack();
    const r = new Recommender(stack, 'ForYou', { domain, recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU, adoptExisting: true });
    r.applyRemovalPolicy(RemovalPolicy.RETAIN);
    expect(() => Template.fromStack(stack)).not.toThrow();
  });
});
