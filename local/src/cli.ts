#!/usr/bin/env node
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import {
  DeployResult, EngineEvent, formatEvent, LocalDeployment, loadState, saveState, StackInput,
  stacksFromAssemblyDir, StackResult,
} from './deploy';
import { CustomResourceHandler } from './deploy/provider-runtime';
import { detectDrift, formatDrift } from './drift';
import { planApp } from './plan';
import { serve } from './server/serve';
import { synthesizeApp } from './synth';

/**
 * `cdk-customer-profiles-local`: deploys a CDK app's Customer Profiles resources to the embedded
 * emulator, with the state kept in a file so that the next `deploy` is an update.
 * See docs/local-deploy.md.
 */

const USAGE = `Usage: cdk-customer-profiles-local <deploy|plan|drift|destroy> [options]

Commands
  deploy    create or update every stack of the app on the embedded emulator
  plan      show what deploy would change, as cdk diff does, and what each update does to the
            live resource (alias: diff); needs no emulator
  drift     compare the app's desired state with the live resources (reads only): the emulator
            restored from the state file, --endpoint <url>, or --live aws (exit 1 when they differ)
  destroy   delete the deployed stacks, dependents first
  serve     run the emulator as a standalone endpoint for applications (serve --help for its options)

Options
  --app <command>      synthesize the app with this command (as cdk synth does, with the context of cdk.json)
                       default: the "app" of ./cdk.json
  --assembly <dir>     use an already synthesized cloud assembly (cdk.out) instead
  --output <dir>       where --app synthesizes to (default: .local-deploy/cdk.out)
  --state <file>       state file (default: .local-deploy/state.json)
  --stack <name>       only this stack and the stacks it depends on (repeatable; destroy: only this one)
  --fast <factor>      emulator clock speed-up for readiness and training (default: 600)
  --json               one JSON document on stdout, for machines
  --endpoint <url>     drift: read this Customer Profiles endpoint (e.g. serve's) instead of the state's emulator
  --live aws           drift: read the real account (SDK default credentials and region), references
                       resolved through CloudFormation
  -h, --help           this help

Exit codes
  0 success (drift: none), 1 deployment failed (rolled back) / drift found, 2 usage error,
  3 the app or state could not be loaded (drift: the live service could not be read)`;

/** Exit codes a CI can act on. */
export const ExitCode = {
  OK: 0,
  FAILED: 1,
  USAGE: 2,
  SETUP: 3,
} as const;

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** Test seams: an in-process handler instead of the bundled one. */
export interface CliOverrides {
  readonly handler?: CustomResourceHandler;
  readonly cwd?: string;
}

const defaultIo: CliIo = {
  stdout: (text) => process.stdout.write(text + '\n'),
  stderr: (text) => process.stderr.write(text + '\n'),
};

class UsageError extends Error {}
class SetupError extends Error {}

/** Runs the CLI with `argv` (without node and the script) and returns the exit code. */
export async function main(argv: string[], io: CliIo = defaultIo, overrides: CliOverrides = {}): Promise<number> {
  if (argv[0] === 'serve') {
    return serve(argv.slice(1), io, overrides.cwd);
  }
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (e) {
    io.stderr(`${message(e)}\n\n${USAGE}`);
    return ExitCode.USAGE;
  }
  if (args.help) {
    io.stdout(USAGE);
    return ExitCode.OK;
  }
  const cwd = overrides.cwd ?? process.cwd();
  const stateFile = path.resolve(cwd, args.state);
  try {
    const state = loadStateOrFail(stateFile);
    if (args.command === 'destroy') {
      return await destroy(args, state, stateFile, io, overrides);
    }
    const stacks = selectStacks(await loadApp(args, cwd), args.stacks);
    if (args.command === 'plan') {
      const plan = planApp(stacks, state, { color: io === defaultIo && process.stdout.isTTY === true });
      io.stdout(args.json ? JSON.stringify({ command: 'plan', stacks: plan.stacks }, undefined, 2) : plan.text);
      return ExitCode.OK;
    }
    if (args.command === 'drift') {
      return await drift(args, stacks, state, io, overrides);
    }
    return await deploy(args, stacks, state, stateFile, io, overrides);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`${e.message}\n\n${USAGE}`);
      return ExitCode.USAGE;
    }
    if (args.json) {
      io.stdout(JSON.stringify({ command: args.command, success: false, error: message(e) }, undefined, 2));
    } else {
      io.stderr(`Error: ${message(e)}`);
    }
    return e instanceof SetupError ? ExitCode.SETUP : ExitCode.FAILED;
  }
}

interface Args {
  readonly command: 'deploy' | 'plan' | 'drift' | 'destroy';
  readonly endpoint?: string;
  readonly live?: 'aws';
  readonly app?: string;
  readonly assembly?: string;
  readonly output: string;
  readonly state: string;
  readonly stacks?: string[];
  readonly fast: number;
  readonly json: boolean;
  readonly help: boolean;
}

function parse(argv: string[]): Args {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      app: { type: 'string' },
      assembly: { type: 'string' },
      output: { type: 'string' },
      state: { type: 'string' },
      stack: { type: 'string', multiple: true },
      fast: { type: 'string' },
      json: { type: 'boolean' },
      endpoint: { type: 'string' },
      live: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    return { command: 'plan', output: '', state: '', fast: 1, json: false, help: true };
  }
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length === 0 ? 'Missing command' : `Unexpected arguments: ${positionals.slice(1).join(' ')}`);
  }
  const name = positionals[0] === 'diff' ? 'plan' : positionals[0];
  if (name !== 'deploy' && name !== 'plan' && name !== 'drift' && name !== 'destroy') {
    throw new UsageError(`Unknown command: ${positionals[0]}`);
  }
  if (values.app !== undefined && values.assembly !== undefined) {
    throw new UsageError('Use either --app or --assembly, not both');
  }
  const fast = values.fast === undefined ? 600 : Number(values.fast);
  if (!Number.isFinite(fast) || fast <= 0) {
    throw new UsageError(`--fast must be a positive number, got ${values.fast}`);
  }
  if (values.live !== undefined && values.live !== 'aws') {
    throw new UsageError(`--live takes only "aws", got ${values.live}`);
  }
  if ((values.live !== undefined || values.endpoint !== undefined) && name !== 'drift') {
    throw new UsageError('--endpoint and --live are options of drift');
  }
  if (values.live !== undefined && values.endpoint !== undefined) {
    throw new UsageError('Use either --endpoint or --live aws, not both');
  }
  return {
    command: name,
    endpoint: values.endpoint,
    live: values.live === 'aws' ? 'aws' : undefined,
    app: values.app,
    assembly: values.assembly,
    output: values.output ?? path.join('.local-deploy', 'cdk.out'),
    state: values.state ?? path.join('.local-deploy', 'state.json'),
    stacks: values.stack,
    fast,
    json: values.json === true,
    help: false,
  };
}

function loadStateOrFail(file: string) {
  try {
    return loadState(file);
  } catch (e) {
    throw new SetupError(`Cannot read the state file ${file}: ${message(e)}`);
  }
}

/** Synthesizes (as `cdk synth` does, see synth.ts) or reads the app's cloud assembly. */
async function loadApp(args: Args, cwd: string): Promise<StackInput[]> {
  let dir: string;
  if (args.assembly !== undefined) {
    dir = path.resolve(cwd, args.assembly);
  } else {
    const command = args.app ?? appFromCdkJson(cwd);
    dir = path.resolve(cwd, args.output);
    fs.mkdirSync(dir, { recursive: true });
    try {
      await synthesizeApp({ app: command, workingDirectory: cwd, outdir: dir });
    } catch (e) {
      throw new SetupError(`The app did not synthesize: ${command}\n${message(e)}`);
    }
  }
  try {
    return stacksFromAssemblyDir(dir);
  } catch (e) {
    throw new SetupError(message(e));
  }
}

function appFromCdkJson(cwd: string): string {
  const file = path.join(cwd, 'cdk.json');
  if (!fs.existsSync(file)) {
    throw new UsageError('No app: pass --app <command> or --assembly <dir>, or run where a cdk.json is');
  }
  const app = (JSON.parse(fs.readFileSync(file, 'utf8')) as { app?: unknown }).app;
  if (typeof app !== 'string' || app.length === 0) {
    throw new UsageError(`${file} has no "app" command`);
  }
  return app;
}

function selectStacks(stacks: StackInput[], names: string[] | undefined): StackInput[] {
  if (!names) {
    return stacks;
  }
  const unknown = names.filter((n) => !stacks.some((s) => s.stackName === n));
  if (unknown.length > 0) {
    throw new UsageError(`No such stack in the app: ${unknown.join(', ')} (stacks: ${stacks.map((s) => s.stackName).join(', ')})`);
  }
  // Like `cdk deploy <stack>`: the stacks it depends on come along.
  const wanted = new Set<string>();
  const add = (name: string): void => {
    if (!wanted.has(name)) {
      wanted.add(name);
      stacks.find((s) => s.stackName === name)?.dependencies?.forEach(add);
    }
  };
  names.forEach(add);
  return stacks.filter((s) => wanted.has(s.stackName));
}

/** Starts the emulator and engine; what fails here is set-up (a missing handler bundle, a port), not the deployment. */
async function start(args: Args, state: ReturnType<typeof loadState>, io: CliIo, overrides: CliOverrides): Promise<LocalDeployment> {
  try {
    return await LocalDeployment.start({ fast: args.fast, state, handler: overrides.handler, onEvent: printer(args, io) });
  } catch (e) {
    throw new SetupError(message(e));
  }
}

async function deploy(
  args: Args, stacks: StackInput[], state: ReturnType<typeof loadState>, stateFile: string, io: CliIo, overrides: CliOverrides,
): Promise<number> {
  const local = await start(args, state, io, overrides);
  try {
    const warnings = await restore(local, args, io);
    const result = await local.deploy(stacks);
    saveState(stateFile, local.stateWithEmulator());
    report('deploy', result, warnings, args, io);
    return result.success ? ExitCode.OK : ExitCode.FAILED;
  } finally {
    await local.stop();
  }
}

async function destroy(args: Args, state: ReturnType<typeof loadState>, stateFile: string, io: CliIo, overrides: CliOverrides): Promise<number> {
  const unknown = (args.stacks ?? []).filter((n) => !(n in state.stacks));
  if (unknown.length > 0) {
    throw new UsageError(`No such deployed stack: ${unknown.join(', ')}`);
  }
  const local = await start(args, state, io, overrides);
  try {
    const warnings = await restore(local, args, io);
    const result = await local.destroy(args.stacks);
    saveState(stateFile, local.stateWithEmulator());
    report('destroy', result, warnings, args, io);
    return result.success ? ExitCode.OK : ExitCode.FAILED;
  } finally {
    await local.stop();
  }
}

/**
 * The emulator lives only as long as one command. It starts from the snapshot the previous
 * command saved; without one (an older or hand-made state file), the resources the state lists
 * are re-created from their stored properties.
 */
async function restore(local: LocalDeployment, args: Args, io: CliIo): Promise<string[]> {
  if (local.emulatorRestored) {
    return [];
  }
  const count = Object.values(local.state.stacks).reduce((n, s) => n + Object.values(s.resources).filter((r) => r.emulated).length, 0);
  if (count === 0) {
    return [];
  }
  if (!args.json) {
    io.stdout(`Restoring ${count} resource(s) from the state file into the emulator...`);
  }
  const warnings = await local.restore();
  if (!args.json) {
    warnings.forEach((w) => io.stderr(`warning: ${w}`));
  }
  return warnings;
}

function printer(args: Args, io: CliIo): ((event: EngineEvent) => void) | undefined {
  return args.json ? undefined : (event) => io.stdout(formatEvent(event));
}

function report(command: string, result: DeployResult, warnings: string[], args: Args, io: CliIo): void {
  if (args.json) {
    io.stdout(JSON.stringify({ command, success: result.success, stacks: result.stacks, warnings, events: result.events }, undefined, 2));
    return;
  }
  io.stdout('');
  for (const stack of result.stacks) {
    io.stdout(summaryLine(stack));
  }
  if (result.stacks.length === 0) {
    io.stdout('Nothing to do.');
  }
  io.stdout(result.success ? `${command}: done` : `${command}: FAILED`);
}

function summaryLine(stack: StackResult): string {
  const lines = [`${stack.success ? 'OK    ' : 'FAILED'} ${stack.stackName}: ${stack.status}${stack.reason ? ` - ${stack.reason}` : ''}`];
  const counts = (['created', 'updated', 'replaced', 'deleted', 'retained'] as const)
    .map((k) => [k, stack[k].length] as const)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`);
  if (counts.length > 0) {
    lines.push(`       ${counts.join(', ')}`);
  } else if (stack.success) {
    lines.push('       no changes');
  }
  if (stack.retained.length > 0) {
    lines.push(`       retained: ${stack.retained.join(', ')}`);
  }
  if (stack.notEmulated.length > 0) {
    const byType = new Map<string, number>();
    stack.notEmulated.forEach((n) => byType.set(n.resourceType, (byType.get(n.resourceType) ?? 0) + 1));
    lines.push(`       not emulated (placeholders): ${[...byType].map(([t, n]) => `${t} x${n}`).join(', ')}`);
  }
  if (stack.cleanupFailures.length > 0) {
    lines.push(`       cleanup failed for: ${stack.cleanupFailures.join(', ')}`);
  }
  for (const [name, value] of Object.entries(stack.outputs)) {
    lines.push(`       output ${name} = ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  }
  return lines.join('\n');
}

/**
 * Reads only. Default: the emulator of the state file (its snapshot, or the resources the state
 * lists re-created in a throwaway emulator); `--endpoint`: that service; `--live aws`: the account.
 */
async function drift(args: Args, stacks: StackInput[], state: ReturnType<typeof loadState>, io: CliIo, overrides: CliOverrides): Promise<number> {
  const local = args.endpoint === undefined && args.live === undefined ? await start(args, state, io, overrides) : undefined;
  try {
    if (local) {
      await restore(local, { ...args, json: true }, io);
    }
    let result: Awaited<ReturnType<typeof detectDrift>>;
    try {
      result = await detectDrift({
        app: stacks,
        state,
        endpoint: local?.emulator.endpoint ?? args.endpoint,
        resolveWith: args.live === 'aws' ? 'cloudformation' : 'state',
      });
    } catch (e) {
      throw new SetupError(message(e));
    }
    if (args.json) {
      io.stdout(JSON.stringify({ command: 'drift', ...result }, undefined, 2));
    } else {
      formatDrift(result).forEach((line) => io.stdout(line));
    }
    return result.drifted ? ExitCode.FAILED : ExitCode.OK;
  } finally {
    await local?.stop();
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  }, (e) => {
    process.stderr.write(`${message(e)}\n`);
    process.exitCode = ExitCode.FAILED;
  });
}
