import { NonInteractiveIoHost, Toolkit } from '@aws-cdk/toolkit-lib';

/**
 * Synthesizes a CDK app as `cdk synth` does, with the CDK's own programmatic toolkit
 * (`@aws-cdk/toolkit-lib`): it runs the app command in the app's directory with the context the
 * cdk CLI gives it (cdk.json's `context`, cdk.context.json, ~/.cdk.json) and the CLI's environment,
 * and writes the cloud assembly to `outdir`.
 *
 * Why not run the app command by hand (as this CLI did): the app then misses cdk.json's context,
 * feature flags included, and synthesizes another template than `cdk synth` (a `cdk init` app gave
 * 22 resources locally and 28 with `cdk synth`).
 *
 * Context lookups are off: they need an AWS account, which a local deployment does not have. An app
 * that needs one fails here with the toolkit's message, as `cdk synth --no-lookups` would.
 */
export async function synthesizeApp(options: { readonly app: string; readonly workingDirectory: string; readonly outdir: string }): Promise<void> {
  const toolkit = new Toolkit({ ioHost: new NonInteractiveIoHost({ logLevel: 'error' }) });
  const source = await toolkit.fromCdkApp(options.app, {
    workingDirectory: options.workingDirectory,
    outdir: options.outdir,
    lookups: false,
  });
  const assembly = await toolkit.synth(source);
  // Releases the toolkit's read lock on the directory; an outdir given by the caller is kept.
  await assembly.dispose();
}
