import * as fs from 'fs';
import * as path from 'path';
import { CfnTemplate } from './template';

/**
 * The local deployment state: what CloudFormation would remember about each stack, so that a
 * second deploy of a changed app is an update. Kept in a JSON file by the CLI. It holds resolved
 * resource properties (needed for `OldResourceProperties`): like a CloudFormation stack, it is
 * not something to print or commit.
 */

/** One deployed resource. */
export interface ResourceState {
  readonly logicalId: string;
  readonly type: string;
  readonly physicalId: string;
  /** `Fn::GetAtt` values: the handler's Data for our resources, placeholders for the others. */
  readonly attributes: Record<string, unknown>;
  /** The resolved properties the resource was last created or updated with. */
  readonly properties: Record<string, unknown>;
  /** False for resource types the engine does not emulate (placeholders only). */
  readonly emulated: boolean;
}

/** One deployed stack. */
export interface StackState {
  readonly stackName: string;
  readonly stackId: string;
  readonly region: string;
  readonly account: string;
  readonly status: string;
  /** The template last deployed successfully. */
  readonly template: CfnTemplate;
  readonly resources: Record<string, ResourceState>;
  readonly outputs: Record<string, unknown>;
  /** Export name -> value. */
  readonly exports: Record<string, string>;
  /** Stacks this one depends on (deploy order; destroy goes the other way). */
  readonly dependencies: string[];
}

/** Everything the engine and the CLI remember between runs. */
export interface DeploymentState {
  readonly version: 1;
  readonly stacks: Record<string, StackState>;
  /** Opaque snapshot of the embedded emulator, kept by the CLI (see docs/local-deploy.md). */
  readonly emulator?: unknown;
}

export function emptyState(): DeploymentState {
  return { version: 1, stacks: {} };
}

/** Reads a state file; a missing file is an empty state. */
export function loadState(file: string): DeploymentState {
  if (!fs.existsSync(file)) {
    return emptyState();
  }
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<DeploymentState>;
  if (parsed.version !== 1 || typeof parsed.stacks !== 'object' || parsed.stacks === null) {
    throw new Error(`${file} is not a local deployment state file (version 1)`);
  }
  return parsed as DeploymentState;
}

/** Writes a state file atomically (a crash mid-write must not lose what is deployed). */
export function saveState(file: string, state: DeploymentState): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(state, undefined, 2) + '\n', { mode: 0o600 });
  fs.renameSync(tmp, file);
}
