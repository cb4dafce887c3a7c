/**
 * The example as a CDK app: `npx cdk deploy --app "npx ts-node --prefer-ts-exts examples/app.ts"`
 * deploys it to the account and region of your credentials; `npm run demo` deploys it locally.
 */
import { App } from 'aws-cdk-lib';
import { CustomerDataStack } from './customer-data-stack';

const app = new App();
new CustomerDataStack(app, 'CustomerData', {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
app.synth();
