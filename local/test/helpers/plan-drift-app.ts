import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { DataStore, Domain, DomainObjectType, Recommender, RecommenderRecipe, SegmentDefinition, SegmentQuery } from '../../../src';
import { LocalDeployment, StackInput, stacksFromAssembly } from '../../src/deploy';
import { Clock, Emulator, NO_TRAINING_REQUIREMENTS } from '../../src/emulator';

/** The app of the plan and drift tests: a shared domain stack, and a stack that adds to the domain by reference (an import). */
export interface AppVersion {
  readonly expirationDays?: number;
  readonly trainingDays?: number;
  readonly orderTags?: Record<string, string>;
}

export function planDriftApp(version: AppVersion = {}): StackInput[] {
  const app = new App();
  const shared = new Stack(app, 'SharedCustomers');
  const domain = new Domain(shared, 'Customers', {
    domainName: 'customers',
    dataStore: DataStore.enabled(),
    defaultExpiration: Duration.days(version.expirationDays ?? 365),
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const team = new Stack(app, 'Personalization');
  new DomainObjectType(team, 'Orders', {
    domain,
    objectTypeName: 'orders',
    fields: { OrderId: { source: '_source.OrderId', target: '_order.OrderId' } },
    tags: version.orderTags ?? { team: 'orders' },
    removalPolicy: RemovalPolicy.DESTROY,
  });
  new Recommender(team, 'ForYou', {
    domain,
    recommenderName: 'for-you',
    recipe: RecommenderRecipe.RECOMMENDED_FOR_YOU,
    events: [{ eventType: 'purchase' }],
    trainingFrequency: Duration.days(version.trainingDays ?? 7),
    description: 'Picks for every customer',
    removalPolicy: RemovalPolicy.DESTROY,
  });
  new SegmentDefinition(team, 'Loyal', {
    domain,
    segmentDefinitionName: 'loyal',
    displayName: 'Loyal customers',
    query: SegmentQuery.sql("SELECT * FROM _profile WHERE _profile.Attributes.tier = 'gold'"),
    removalPolicy: RemovalPolicy.DESTROY,
  });
  return stacksFromAssembly(app.synth());
}

/** A deployment on a manual clock whose recommenders train without data (the plan and drift tests need them deployed, not trained on anything). */
export async function startDeployment(): Promise<LocalDeployment> {
  const emulator = await Emulator.start({ clock: Clock.manual(), training: NO_TRAINING_REQUIREMENTS });
  return LocalDeployment.start({ emulator });
}
