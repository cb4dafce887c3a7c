/**
 * Experiment (issue #18, target 3): the assets of the lean floor (lean-floor.ts), staged and
 * registered as `lambda.Code.fromAsset` does, without lambda, s3 or s3-assets. Its own module, so
 * that whole-process-worker.ts's asset probe loads nothing else.
 */
import * as path from 'path';
import { AssetHashType, AssetStaging, FileAssetPackaging, Names, Stack } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/* eslint-disable @typescript-eslint/no-require-imports */
/** The installed package's root (assets/handler is under it), found as the worker's require finds it. */
const packageRoot = () => path.dirname(require.resolve('@cdk-customer-profiles/constructs/package.json'));
/** The library's handler bundle. */
export const handlerDir = () => path.join(packageRoot(), 'assets', 'handler');
/** The Provider framework's runtime directory, which `cr.Provider` stages for its three functions. */
export const frameworkRuntime = () => path.join(path.dirname(require.resolve('aws-cdk-lib/package.json')), 'custom-resources', 'lib', 'provider-framework', 'runtime');
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * A staged directory asset, as lambda.Code.fromAsset stages and registers it; returns the Code
 * property. With `customHash`, the directory is not fingerprinted (AssetHashType.CUSTOM: the hash
 * is that of the string), as if the library shipped its handler bundle's hash.
 */
export function assetCode(scope: Construct, sourcePath: string, exclude?: string[], customHash?: string): CfnFunction.CodeProperty {
  const code = new Construct(scope, 'Code');
  const staging = new AssetStaging(code, 'Stage', customHash === undefined
    ? { sourcePath, exclude }
    : { sourcePath, exclude, assetHash: customHash, assetHashType: AssetHashType.CUSTOM });
  const stack = Stack.of(scope);
  const location = stack.synthesizer.addFileAsset({
    packaging: staging.packaging as FileAssetPackaging,
    sourceHash: staging.assetHash,
    fileName: staging.relativeStagedPath(stack),
    deployTime: true,
    displayName: Names.stackRelativeConstructPath(code),
  });
  return { s3Bucket: location.bucketName, s3Key: location.objectKey };
}

