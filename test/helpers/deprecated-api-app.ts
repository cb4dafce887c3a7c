/**
 * The control case of test/scenarios/deprecations.test.ts: an app that calls an API aws-cdk-lib deprecates
 * (`CfnResource#addDependsOn`, deprecated in favour of `addDependency`), to show that the
 * deprecation check of scripts/peer-range.mjs fails on one. Same export as examples/app.ts.
 */
import { App, CfnResource, Stack } from 'aws-cdk-lib';

export function addExampleStacks(app: App): void {
  const stack = new Stack(app, 'UsesDeprecatedApi');
  const first = new CfnResource(stack, 'First', { type: 'AWS::SQS::Queue' });
  const second = new CfnResource(stack, 'Second', { type: 'AWS::SQS::Queue' });
  second.addDependsOn(first);
}
