/**
 * Experiment worker (issue #18, target 3): the lean floor (lean-floor.ts) and an empty stack, run
 * by whole-process.ts as `node lean-worker.js <command>`, as bench/synth.ts runs the stacks of
 * bench/synth-stacks.ts (the L1 twin and the floor come from that file's own bundle).
 *
 * Sides: `lean` (the lean floor), `lean-prehashed` (the same, the handler bundle's hash given in
 * LEAN_HANDLER_HASH instead of fingerprinted), `lean-library` (the library's stack on the lean
 * provider, lean-library-provider.ts), `empty` (an empty stack), and probes, each an empty
 * stack plus one thing the floor pays for: `probe-l1-modules` (loads the four L1 classes the lean
 * floor uses), `probe-l2-modules` (loads the L2 classes the floor uses: lambda.Function, iam.Role,
 * s3 Bucket, s3-assets Asset, cr.Provider), `probe-assets` (stages and registers the two assets
 * as the floor does, four times), `probe-region-info` (one RegionInfo look-up).
 *
 * Commands (argv):
 * - `once <side> <n>`: one build and synthesis into a fresh directory (removed afterwards),
 *   printing wall and CPU milliseconds as JSON (the same as synth-stacks.ts's `once`);
 * - `template <side> <n> <outdir>`: one synthesis into `outdir`, left there for comparison.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';

const SIDES = ['lean', 'lean-prehashed', 'lean-library', 'empty', 'probe-l1-modules', 'probe-l2-modules', 'probe-assets', 'probe-region-info'] as const;
export type LeanSide = typeof SIDES[number];

/*
 * The probes' modules are required when used, not imported: a bundle's imports are required when it
 * starts, by every side (region-info's index alone registers all its facts on load).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const iam = () => require('aws-cdk-lib/aws-iam') as typeof import('aws-cdk-lib/aws-iam');
const lambda = () => require('aws-cdk-lib/aws-lambda') as typeof import('aws-cdk-lib/aws-lambda');
const s3 = () => require('aws-cdk-lib/aws-s3') as typeof import('aws-cdk-lib/aws-s3');
const s3assets = () => require('aws-cdk-lib/aws-s3-assets') as typeof import('aws-cdk-lib/aws-s3-assets');
const sfn = () => require('aws-cdk-lib/aws-stepfunctions') as typeof import('aws-cdk-lib/aws-stepfunctions');
const cr = () => require('aws-cdk-lib/custom-resources') as typeof import('aws-cdk-lib/custom-resources');
// esbuild wraps a required module of the bundle so that its imports (aws-lambda, aws-iam, aws-stepfunctions) load on first use.
const leanFloor = () => require('./lean-floor') as typeof import('./lean-floor');
const leanLibrary = () => require('./lean-library-provider') as typeof import('./lean-library-provider');
const leanAssets = () => require('./lean-assets') as typeof import('./lean-assets');
const regionInfo = () => require('aws-cdk-lib/region-info') as typeof import('aws-cdk-lib/region-info');
/* eslint-enable @typescript-eslint/no-require-imports */

/** Keeps a value alive (so that a property read that loads a module is not optimized away). */
const seen: unknown[] = [];

function build(side: LeanSide, app: App, n: number): Stack {
  if (side === 'lean') return leanFloor().leanFloorStack(app, n);
  if (side === 'lean-library') return leanLibrary().leanLibraryStack(app, n);
  if (side === 'lean-prehashed') {
    const handlerHash = process.env.LEAN_HANDLER_HASH;
    if (!handlerHash) throw new Error('LEAN_HANDLER_HASH is not set');
    return leanFloor().leanFloorStack(app, n, { handlerHash });
  }
  const stack = new Stack(app, 'Bench', { env: { account: '123456789012', region: 'us-east-1' } });
  if (side === 'probe-l1-modules') seen.push(lambda().CfnFunction, iam().CfnRole, iam().CfnPolicy, sfn().CfnStateMachine);
  if (side === 'probe-l2-modules') seen.push(lambda().Function, iam().Role, s3().Bucket, s3assets().Asset, cr().Provider);
  if (side === 'probe-region-info') seen.push(regionInfo().RegionInfo.get(stack.region).domainSuffix);
  if (side === 'probe-assets') {
    // The floor's four lambda.Code.fromAsset calls: the handler, and the framework's runtime three times.
    const { assetCode, frameworkRuntime, handlerDir } = leanAssets();
    const root = new Construct(stack, 'Assets');
    assetCode(new Construct(root, 'Handler'), handlerDir());
    for (const entrypoint of ['onEvent', 'isComplete', 'onTimeout']) assetCode(new Construct(root, entrypoint), frameworkRuntime(), ['*.ts']);
  }
  return stack;
}

/** Builds and synthesizes one stack into `outdir`; returns the template. */
export function synthOnce(side: LeanSide, n: number, outdir: string): Record<string, unknown> {
  const app = new App({ outdir });
  const stack = build(side, app, n);
  return app.synth().getStackByName(stack.stackName).template;
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function timeOnce(side: LeanSide, n: number): { wallMs: number; cpuMs: number } {
  const outdir = mkdtempSync(path.join(tmpdir(), 'bench-synth-'));
  const wall0 = process.hrtime.bigint();
  const cpu0 = cpuMs();
  synthOnce(side, n, outdir);
  const result = { wallMs: Number(process.hrtime.bigint() - wall0) / 1e6, cpuMs: cpuMs() - cpu0 };
  rmSync(outdir, { recursive: true, force: true });
  return result;
}

if (require.main === module && process.argv[2]) {
  const [command, side, n, outdir] = process.argv.slice(2);
  if (!(SIDES as readonly string[]).includes(side)) throw new Error(`unknown side ${side}`);
  if (command === 'once') {
    process.stdout.write(JSON.stringify(timeOnce(side as LeanSide, Number(n))));
  } else if (command === 'template') {
    synthOnce(side as LeanSide, Number(n), outdir);
  } else {
    throw new Error(`unknown command ${command}`);
  }
}
