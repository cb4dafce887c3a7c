/**
 * The example as a CDK app of two stacks, deployed the way platform teams run it:
 *
 *   cd examples
 *   npx cdk deploy CustomerData      # the platform: domain, object types, integration
 *   # ... data arrives through the integration (recommenders need it to train) ...
 *   npx cdk deploy Personalization   # recommenders, segments, the storefront function
 *
 * in the account and region of your credentials. `npm run demo` runs the same sequence locally.
 */
import { App, Environment } from 'aws-cdk-lib';
import { CustomerDataStack } from './customer-data-stack';
import { PersonalizationStack } from './personalization-stack';

/** Both stacks of the example in `app`; the personalization stack depends on the platform stack. */
export function addExampleStacks(app: App, env?: Environment): { platform: CustomerDataStack; personalization: PersonalizationStack } {
  const platform = new CustomerDataStack(app, 'CustomerData', { env });
  const personalization = new PersonalizationStack(app, 'Personalization', { env });
  // The domain is imported by name and must hold data before recommenders train. (node.addDependency: Stack#addDependency
  // is deprecated in newer aws-cdk-lib releases, and its replacement does not exist at the peer floor.)
  personalization.node.addDependency(platform);
  return { platform, personalization };
}

if (require.main === module) {
  const app = new App();
  addExampleStacks(app, { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION });
  app.synth();
}
