import { CfnDeletionPolicy, CfnResource } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { Validator } from './validation';

/**
 * The synth-time rule of explicit adoption (`adoptExisting: true`), the same for every construct.
 *
 * A deployment that adopts a resource in a Create can still fail later and roll back; CloudFormation
 * then sends Delete for the resource it believes it created, and the handler, which has just put its
 * owner marker on it, would delete what it adopted. With `DeletionPolicy: Retain` (and
 * `UpdateReplacePolicy: Retain`) CloudFormation keeps it instead, so adoption requires RETAIN. Checked
 * when the app is synthesized, so `applyRemovalPolicy` calls made after construction count.
 */
export function addAdoptionValidation(scope: Construct, kind: string, resource: CfnResource, adoptExisting: boolean | undefined): void {
  if (adoptExisting !== true) {
    return;
  }
  scope.node.addValidation({
    validate: () => {
      const v = new Validator(scope, kind);
      const policy = resource.cfnOptions.deletionPolicy;
      const replacePolicy = resource.cfnOptions.updateReplacePolicy;
      v.check(policy !== CfnDeletionPolicy.RETAIN || replacePolicy !== CfnDeletionPolicy.RETAIN, 'adoptExisting',
        'requires removalPolicy: RemovalPolicy.RETAIN (a rollback of the adopting deployment would otherwise delete the adopted resource); '
        + 'set it while adopting, and change it in a later deployment if you want', `removal policy ${policy ?? 'Delete'}`);
      try {
        v.throwIfInvalid();
        return [];
      } catch (e) {
        return [(e as Error).message];
      }
    },
  });
}
