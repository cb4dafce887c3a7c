/**
 * Experiment preload (`node -r stub-region-facts.js ...`): aws-cdk-lib's region facts without their
 * 1.3 MB table (region-info/lib/built-ins.generated.js), to measure what loading them costs a
 * process. Every look-up then returns its default (or nothing); whole-process.ts checks that the
 * floor's template does not change for the benchmark's us-east-1 stack.
 */
import Module from 'module';
import * as path from 'path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const builtIns = path.join(path.dirname(require.resolve('aws-cdk-lib/package.json')), 'region-info', 'lib', 'built-ins.generated.js');
const stub = new Module(builtIns);
stub.filename = builtIns;
stub.loaded = true;
stub.exports = { BuiltIns: class { public static register(): void {} } };
// eslint-disable-next-line @typescript-eslint/no-require-imports
require.cache[builtIns] = stub;
