import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { addExampleStacks } from '../../examples/app';
import { CustomerDataStack } from '../../examples/customer-data-stack';
import { PersonalizationStack } from '../../examples/personalization-stack';
import { parseConfig } from '../helpers/child-constructs';
import { SAMPLE_OBJECT_TYPE_FIELDS } from '../helpers/sample-data';

const ENV = { account: '123456789012', region: 'us-east-1' };

interface Synthesized {
  readonly app: App;
  readonly platform: Template;
  readonly personalization: Template;
  readonly stacks: { platform: CustomerDataStack; personalization: PersonalizationStack };
}

function synth(): Synthesized {
  const app = new App();
  const stacks = addExampleStacks(app, ENV);
  return { app, platform: Template.fromStack(stacks.platform), personalization: Template.fromStack(stacks.personalization), stacks };
}

describe('the example: a platform stack and a personalization stack', () => {
  test('the platform stack holds the domain, its object types and the integration, and no recommender or segment', () => {
    const { platform } = synth();
    platform.resourceCountIs('Custom::CustomerProfilesDomain', 1);
    platform.resourceCountIs('Custom::CustomerProfilesDomainObjectType', 4);
    platform.resourceCountIs('AWS::CustomerProfiles::Integration', 1);
    platform.resourceCountIs('Custom::CustomerProfilesRecommender', 0);
    platform.resourceCountIs('Custom::CustomerProfilesSegmentDefinition', 0);
    platform.hasResourceProperties('AWS::CustomerProfiles::Integration', {
      Scope: 'DOMAIN',
      ObjectTypeNames: Match.arrayWith([Match.objectLike({ Key: 'customer' }), Match.objectLike({ Key: 'web-event' })]),
    });
  });

  test('the platform\'s object types are the ones the sample data is put to', () => {
    const { platform } = synth();
    type Field = { Source: string; Target: string; ContentType?: string };
    const configs = Object.values(platform.findResources('Custom::CustomerProfilesDomainObjectType'))
      .map((r) => parseConfig(r.Properties) as { ObjectTypeName: string; Fields: Record<string, Field> });
    for (const [name, fields] of Object.entries(SAMPLE_OBJECT_TYPE_FIELDS)) {
      const config = configs.find((c) => c.ObjectTypeName === name);
      // The construct adds FeatureType; the sample's PutDomainObjectType input has none.
      const deployed = Object.fromEntries(Object.entries(config?.Fields ?? {})
        .map(([k, f]) => [k, { Source: f.Source, Target: f.Target, ...(f.ContentType ? { ContentType: f.ContentType } : {}) }]));
      expect({ name, fields: deployed }).toEqual({ name, fields });
    }
  });

  test('the personalization stack uses the domain by name, depends on the platform stack, and creates no domain', () => {
    const { app, personalization } = synth();
    personalization.resourceCountIs('Custom::CustomerProfilesDomain', 0);
    personalization.resourceCountIs('Custom::CustomerProfilesRecommender', 3);
    personalization.resourceCountIs('Custom::CustomerProfilesSegmentDefinition', 2);
    for (const r of Object.values(personalization.findResources('Custom::CustomerProfilesRecommender'))) {
      expect(parseConfig(r.Properties)).toMatchObject({ DomainName: 'retail-customers' });
    }
    const manifest = app.synth().getStackByName('Personalization');
    expect(manifest.dependencies.map((d) => d.id)).toContain('CustomerData');
  });

  test('each stack is backed by one handler function', () => {
    const { platform, personalization } = synth();
    for (const t of [platform, personalization]) {
      t.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
      t.resourcePropertiesCountIs('AWS::Lambda::Function', { Handler: 'index.handler', Runtime: 'nodejs22.x', Architectures: ['arm64'] }, 1);
    }
  });

  test('the storefront function may read recommendations of exactly its two recommenders', () => {
    const { personalization } = synth();
    const storefront = { Properties: { PolicyName: Match.stringLikeRegexp('^StorefrontApiServiceRoleDefaultPolicy') } };
    const policies = personalization.findResources('AWS::IAM::Policy', storefront);
    type Statement = { Action: unknown; Resource: unknown[] };
    const statements = Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
    const recommenders = statements.filter((s) => s.Action === 'profile:GetProfileRecommendations')
      .flatMap((s) => s.Resource)
      .map((r) => (r as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'])
      .filter((g): g is [string, string] => g !== undefined && g[1] === 'RecommenderArn')
      .map(([id]) => id.replace(/[0-9A-F]{8}$/, ''));
    expect(recommenders.sort()).toEqual(['CustomersForYou', 'CustomersSimilarItems']);
  });

  test('matches the committed snapshot (a backstop; targeted assertions live in the construct tests)', () => {
    // Asset hashes change with every handler edit; the snapshot guards the templates' shape.
    const { platform, personalization } = synth();
    const json = JSON.stringify({ platform: platform.toJSON(), personalization: personalization.toJSON() }).replace(/[a-f0-9]{64}(\.zip)?/g, '<asset-hash>$1');
    expect(JSON.parse(json)).toMatchSnapshot();
  });
});
