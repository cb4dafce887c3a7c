import { App, Aspects, CfnResource, ConstructSelector, MissingRemovalPolicies, Mixin, Mixins, RemovalPolicies, RemovalPolicy, Shims, Stack, Tag, Tags } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as customerprofiles from 'aws-cdk-lib/aws-customerprofiles';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { IConstruct } from 'constructs';
import { DataStore } from '../../src/data-store';
import { Domain } from '../../src/domain';
import { Integration } from '../../src/integration';
import { Recommender, RecommenderRecipe } from '../../src/recommender';
import { onlyConfig, resourcesOf } from '../helpers/child-constructs';

const DOMAIN = 'Custom::CustomerProfilesDomain';
const RECOMMENDER = 'Custom::CustomerProfilesRecommender';
const FIELD = { Id: { source: '_source.Id', target: '_o.Id' } };

/** A generic mixin, as an organisation would write one: every CloudFormation resource it reaches is retained. */
class RetainEverything extends Mixin {
  public supports(construct: IConstruct): construct is CfnResource {
    return CfnResource.isCfnResource(construct);
  }
  public applyTo(construct: IConstruct): void {
    (construct as CfnResource).applyRemovalPolicy(RemovalPolicy.RETAIN);
  }
}

/** What a generated L1 property mixin checks: the L1 class of the resource type. */
class OnlyCfnDomain extends Mixin {
  public supports(construct: IConstruct): construct is customerprofiles.CfnDomain {
    return customerprofiles.CfnDomain.isCfnDomain(construct);
  }
  public applyTo(construct: IConstruct): void {
    (construct as customerprofiles.CfnDomain).defaultExpirationDays = 1;
  }
}

function setup() {
  const app = new App();
  const stack = new Stack(app, 'Stack');
  const domain = new Domain(stack, 'Customers', { domainName: 'customers', dataStore: DataStore.enabled() });
  return { app, stack, domain };
}

function policiesOf(stack: Stack, type: string): [string, string][] {
  return resourcesOf(Template.fromStack(stack), type).map(([, r]) => [r.DeletionPolicy, r.UpdateReplacePolicy]);
}

function recommender(domain: Domain, id: string, props: { adoptExisting?: boolean } = {}): Recommender {
  return domain.addRecommender(id, { recommenderName: id.toLowerCase(), recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU, ...props });
}

describe('generic mixins and aspects', () => {
  test('RemovalPolicies reaches the DeletionPolicy of the custom resources, and the adoption rule sees it', () => {
    const { app, stack, domain } = setup();
    recommender(domain, 'Adopted', { adoptExisting: true });
    RemovalPolicies.of(stack).retain({ applyToResourceTypes: [RECOMMENDER] });
    expect(() => app.synth()).not.toThrow();
    expect(policiesOf(stack, RECOMMENDER)).toEqual([['Retain', 'Retain']]);
  });

  test('RemovalPolicies.destroy() on a stack with an adopting Domain is refused at synthesis', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    new Domain(stack, 'Customers', { domainName: 'customers', adoptExisting: true });
    RemovalPolicies.of(stack).destroy({ applyToResourceTypes: [DOMAIN] });
    expect(() => app.synth()).toThrow(/Domain at 'Stack\/Customers': adoptExisting requires removalPolicy: RemovalPolicy\.RETAIN/);
  });

  test('MissingRemovalPolicies leaves the defaults of the constructs alone (each sets its own)', () => {
    const destroyed = setup();
    MissingRemovalPolicies.of(destroyed.stack).destroy();
    expect(policiesOf(destroyed.stack, DOMAIN)).toEqual([['Retain', 'Retain']]);

    const retained = setup();
    recommender(retained.domain, 'ForYou');
    MissingRemovalPolicies.of(retained.stack).retain();
    expect(policiesOf(retained.stack, RECOMMENDER)).toEqual([['Delete', 'Delete']]);
  });

  test('construct.with(mixin) reaches the custom resource of that construct only, and the adoption rule sees it', () => {
    const { app, stack, domain } = setup();
    const adopted = recommender(domain, 'Adopted', { adoptExisting: true });
    recommender(domain, 'Other');
    expect(adopted.with(new RetainEverything())).toBe(adopted);
    expect(() => app.synth()).not.toThrow();
    expect(policiesOf(stack, RECOMMENDER).sort()).toEqual([['Delete', 'Delete'], ['Retain', 'Retain']]);
    // The shared provider is not in the recommender's subtree.
    expect(Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')).every((f) => f.DeletionPolicy !== 'Retain')).toBe(true);
  });

  test('Mixins.of() with a resource-type selector picks the custom resources by their Custom:: type', () => {
    const { stack, domain } = setup();
    recommender(domain, 'ForYou');
    const applied = Mixins.of(stack, ConstructSelector.resourcesOfType(RECOMMENDER)).requireAny().apply(new RetainEverything());
    expect(applied.report.map((a) => a.construct.node.path)).toEqual(['Stack/Customers/ForYou/Resource']);
    expect(policiesOf(stack, RECOMMENDER)).toEqual([['Retain', 'Retain']]);
    expect(policiesOf(stack, DOMAIN)).toEqual([['Retain', 'Retain']]);
  });

  test('a mixin used as an aspect (Shims.asAspect) also reaches constructs added after it', () => {
    const { app, stack, domain } = setup();
    Aspects.of(stack).add(Shims.asAspect(new RetainEverything()));
    recommender(domain, 'Adopted', { adoptExisting: true });
    expect(() => app.synth()).not.toThrow();
    expect(policiesOf(stack, RECOMMENDER)).toEqual([['Retain', 'Retain']]);
  });

  test('a tag aspect used as a mixin (Shims.asMixin) tags the construct, as Tags.of() does', () => {
    const { stack, domain } = setup();
    domain.with(Shims.asMixin(new Tag('team', 'crm')));
    expect(onlyConfig(Template.fromStack(stack), DOMAIN)).toMatchObject({ Tags: { team: 'crm' } });
  });

  test('a mixin of the L1 CfnDomain finds nothing in a Domain (a custom resource), and says so with requireAny()', () => {
    const { stack, domain } = setup();
    expect(() => Mixins.of(domain).requireAny().apply(new OnlyCfnDomain())).toThrow(/none of the provided mixins could be applied/);
    expect(onlyConfig(Template.fromStack(stack), DOMAIN)).toMatchObject({ DefaultExpirationDays: 366 });
  });

  test('an Integration is an L1 CfnIntegration inside: mixins of that L1 type apply to it', () => {
    const { stack, domain } = setup();
    const orders = domain.addObjectType('Orders', { objectTypeName: 'orders', fields: FIELD });
    const integration = new Integration(stack, 'Queue', { domain, uri: new sqs.Queue(stack, 'Q').queueArn, objectType: orders });
    const report = Mixins.of(integration, ConstructSelector.cfnResource()).requireAll().apply(new (class extends Mixin {
      public supports(c: IConstruct) { return customerprofiles.CfnIntegration.isCfnIntegration(c); }
      public applyTo(c: IConstruct) { (c as customerprofiles.CfnIntegration).eventTriggerNames = ['high-value']; }
    })()).report;
    expect(report).toHaveLength(1);
    Template.fromStack(stack).hasResourceProperties('AWS::CustomerProfiles::Integration', { EventTriggerNames: ['high-value'] });
  });

  test('Tags.of() on an Integration tags its CfnIntegration', () => {
    const { stack, domain } = setup();
    const orders = domain.addObjectType('Orders', { objectTypeName: 'orders', fields: FIELD });
    const integration = new Integration(stack, 'Queue', { domain, uri: new sqs.Queue(stack, 'Q').queueArn, objectType: orders });
    Tags.of(integration).add('team', 'crm');
    Template.fromStack(stack).hasResourceProperties('AWS::CustomerProfiles::Integration', { Tags: [{ Key: 'team', Value: 'crm' }] });
  });

  test('RemovalPolicies without applyToResourceTypes also reaches the shared provider', () => {
    const { stack } = setup();
    RemovalPolicies.of(stack).retain();
    const template = Template.fromStack(stack);
    const provider = Object.entries(template.toJSON().Resources as Record<string, { Type: string; DeletionPolicy?: string }>)
      .filter(([id]) => id.startsWith('CustomerProfilesProvider'));
    expect(provider.length).toBeGreaterThan(0);
    expect(provider.map(([, r]) => [r.Type, r.DeletionPolicy])).toEqual(provider.map(([, r]) => [r.Type, 'Retain']));
  });
});
