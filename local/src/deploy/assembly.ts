import * as fs from 'fs';
import * as path from 'path';
import { CfnTemplate } from './template';
import type { StackInput } from './types';

/**
 * Reads the stacks of a synthesized cloud assembly (a `cdk.out` directory) from its manifest.
 *
 * The manifest is read directly rather than through aws-cdk-lib's cloud-assembly classes: only
 * stack artifacts, their templates, environments and dependencies are needed, and reading the
 * JSON keeps the engine independent of the schema-version checks of whichever aws-cdk-lib the
 * user's app was synthesized with.
 */

interface ManifestArtifact {
  readonly type: string;
  readonly environment?: string;
  readonly dependencies?: string[];
  readonly displayName?: string;
  readonly properties?: {
    readonly templateFile?: string;
    readonly stackName?: string;
    readonly directoryName?: string;
  };
}

interface Manifest {
  readonly artifacts?: Record<string, ManifestArtifact>;
}

/** Anything with the directory of a synthesized assembly (aws-cdk-lib's `CloudAssembly` has one). */
export interface AssemblyLike {
  readonly directory: string;
}

/** Stacks of the assembly in `dir`, including those of nested assemblies (stages). */
export function stacksFromAssemblyDir(dir: string): StackInput[] {
  const manifestFile = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    throw new Error(`${dir} is not a cloud assembly: manifest.json not found`);
  }
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest;
  const artifacts = manifest.artifacts ?? {};
  const stacks: StackInput[] = [];
  const nameOf = (id: string): string | undefined => {
    const artifact = artifacts[id];
    return artifact?.type === 'aws:cloudformation:stack' ? artifact.properties?.stackName ?? id : undefined;
  };
  for (const [id, artifact] of Object.entries(artifacts)) {
    if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
      stacks.push(...stacksFromAssemblyDir(path.join(dir, artifact.properties.directoryName)));
      continue;
    }
    if (artifact.type !== 'aws:cloudformation:stack' || !artifact.properties?.templateFile) {
      continue;
    }
    const template = JSON.parse(fs.readFileSync(path.join(dir, artifact.properties.templateFile), 'utf8')) as CfnTemplate;
    const env = parseEnvironment(artifact.environment);
    stacks.push({
      stackName: nameOf(id)!,
      template,
      dependencies: (artifact.dependencies ?? []).map(nameOf).filter((n): n is string => n !== undefined),
      ...env,
    });
  }
  return stacks;
}

/** Stacks of a synthesized assembly object (`app.synth()`). */
export function stacksFromAssembly(assembly: AssemblyLike): StackInput[] {
  return stacksFromAssemblyDir(assembly.directory);
}

/** `aws://123456789012/eu-west-1`; CDK's `unknown-account` / `unknown-region` mean "the engine's default". */
function parseEnvironment(env: string | undefined): { account?: string; region?: string } {
  const match = /^aws:\/\/([^/]+)\/([^/]+)$/.exec(env ?? '');
  if (!match) {
    return {};
  }
  return {
    ...(match[1] !== 'unknown-account' ? { account: match[1] } : {}),
    ...(match[2] !== 'unknown-region' ? { region: match[2] } : {}),
  };
}
