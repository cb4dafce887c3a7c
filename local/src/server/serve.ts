import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { ADMIN_PREFIX, adminHook } from './admin';
import { demoDataSet, loadSampleData, parseSampleDataSet, SampleDataResult, SampleDataSet } from './sample-data';
import { ServerClock, ServerClockOptions } from './server-clock';
import { Emulator } from '../emulator/emulator';
import { PolicyDocument } from '../emulator/iam';
import { isRecord } from '../emulator/model';
import { EmulatorSnapshot } from '../emulator/snapshot';
import { Timing, TrainingRequirements } from '../emulator/state';

export interface ServerOptions {
  /** @default '127.0.0.1' (loopback: the admin API has no authentication) */
  readonly host?: string;
  /** @default 0 (a free port; `server.endpoint` tells which) */
  readonly port?: number;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default '123456789012' */
  readonly accountId?: string;
  /** @default real time, from now */
  readonly clock?: ServerClockOptions;
  /** An emulator snapshot (`GET /_emulator/state`, `--save`), or a local deploy state file's content, to start from. */
  readonly restore?: unknown;
  /** Data sets loaded at start, after `restore`. */
  readonly sampleData?: readonly SampleDataSet[];
  /**
   * Identity policies every request is authorized against (IAM as the engine's emulator applies it).
   * @default - IAM off: every request is allowed
   */
  readonly policies?: PolicyDocument[];
  /** The caller named in AccessDeniedException messages. @default arn:aws:iam::<account>:role/... (the emulator's default) */
  readonly principalArn?: string;
  /** Simulated durations (readiness, training, ...). @default DEFAULT_TIMING */
  readonly timing?: Partial<Timing>;
  /** @default DEFAULT_TRAINING_REQUIREMENTS (as the service: training needs data) */
  readonly training?: Partial<TrainingRequirements>;
}

export interface EmulatorServer {
  /** The Customer Profiles endpoint, for an SDK's `endpoint` / `endpoint_url`. */
  readonly endpoint: string;
  /** The admin API's base URL (`<endpoint>/_emulator`). */
  readonly adminEndpoint: string;
  readonly emulator: Emulator;
  readonly clock: ServerClock;
  /** What `sampleData` loaded. */
  readonly loaded: readonly SampleDataResult[];
  /** Stops the server (open connections dropped) and answers the final state. */
  stop(): Promise<EmulatorSnapshot>;
}

/**
 * Starts the emulator as a standalone Customer Profiles endpoint for applications: real time by
 * default (the admin API advances or sets it), the same model validation, Spark SQL, data-store
 * and training rules as the deploy engine's emulator, IAM only when `policies` are given.
 */
export async function startServer(options: ServerOptions = {}): Promise<EmulatorServer> {
  const clock = new ServerClock(options.clock);
  let emulator: Emulator | undefined;
  const context = () => {
    if (!emulator) throw new Error('the server is starting');
    return { emulator, clock };
  };
  emulator = await Emulator.start({
    host: options.host,
    port: options.port,
    region: options.region,
    accountId: options.accountId,
    clock,
    timing: options.timing,
    training: options.training,
    restore: options.restore === undefined ? undefined : snapshotIn(options.restore),
    iam: options.policies ? { policies: options.policies, principalArn: options.principalArn } : undefined,
    admin: adminHook(context),
  });
  const emu = emulator;
  let loaded: SampleDataResult[];
  try {
    loaded = (options.sampleData ?? []).map((set) => loadSampleData(emu, set));
  } catch (e) {
    await emu.stop();
    throw e;
  }
  return {
    endpoint: emu.endpoint,
    adminEndpoint: `${emu.endpoint}${ADMIN_PREFIX}`,
    emulator: emu,
    clock,
    loaded,
    stop: async () => {
      await emu.stop();
      return emu.snapshot();
    },
  };
}

/** A snapshot, or the one a local deploy state file keeps under `emulator`. */
function snapshotIn(value: unknown): unknown {
  if (isRecord(value) && value.format === undefined && isRecord(value.emulator)) return value.emulator;
  return value;
}

export interface ServeIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export const SERVE_USAGE = `Usage: cdk-customer-profiles-local serve [options]

Runs the Customer Profiles emulator as a standalone endpoint for applications and tests in any
language (docs/emulator-server.md). Stops on SIGINT or SIGTERM.

Options
  --host <address>         address to listen on (default: 127.0.0.1; the admin API has no authentication)
  --port <n>               port (default: 4566; 0 picks a free one, printed)
  --region <region>        region of the ARNs (default: us-east-1)
  --account <id>           account of the ARNs (default: 123456789012)
  --restore <file>         start from a snapshot (--save, GET /_emulator/state) or a deploy state file
  --save <file>            write the state to this file at stop
  --sample-data <file|demo>  load a data set (JSON) at start, or the example's generated one (repeatable)
  --domain <name>          domain of --sample-data demo (default: sample), created when missing
  --policy <file>          enforce this identity policy document (or array of documents) on every request
  --principal <arn>        caller named in AccessDeniedException messages
  --speed <factor>         simulated seconds per real second (default: 1)
  --frozen                 start with the clock standing still (move it with POST /_emulator/clock/advance)
  -h, --help               this help`;

class ServeUsageError extends Error {}

interface ServeArgs {
  readonly options: ServerOptions;
  readonly save?: string;
  readonly help: boolean;
}

/**
 * The `serve` command: starts the server, prints `Customer Profiles emulator listening on <url>`
 * (one line, for scripts), waits for SIGINT/SIGTERM (or `stopSignal`), saves the state when asked,
 * and answers the exit code (0 stopped, 2 usage error, 3 could not start).
 */
export async function serve(argv: string[], io: ServeIo, cwd: string = process.cwd(), stopSignal?: AbortSignal): Promise<number> {
  let args: ServeArgs;
  try {
    args = parseServeArgs(argv, cwd);
  } catch (e) {
    io.stderr(`${message(e)}\n\n${SERVE_USAGE}`);
    return e instanceof ServeUsageError ? 2 : 3;
  }
  if (args.help) {
    io.stdout(SERVE_USAGE);
    return 0;
  }
  let server: EmulatorServer;
  try {
    server = await startServer(args.options);
  } catch (e) {
    io.stderr(`Error: the emulator did not start: ${message(e)}`);
    return 3;
  }
  io.stdout(`Customer Profiles emulator listening on ${server.endpoint}`);
  io.stdout(`Admin API: ${server.adminEndpoint} (region ${args.options.region ?? 'us-east-1'}, IAM ${server.emulator.iamEnabled ? 'enforced' : 'off'})`);
  for (const l of server.loaded) {
    io.stdout(`Loaded ${l.records} record(s) into domain ${l.domainName}${l.createdDomain ? ' (created)' : ''}`);
  }
  await new Promise<void>((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
    if (stopSignal?.aborted) done();
    stopSignal?.addEventListener('abort', done, { once: true });
  });
  const snapshot = await server.stop();
  if (args.save) {
    try {
      const tmp = `${args.save}.${process.pid}.tmp`;
      fs.mkdirSync(path.dirname(args.save), { recursive: true });
      fs.writeFileSync(tmp, JSON.stringify(snapshot, undefined, 2));
      fs.renameSync(tmp, args.save);
      io.stdout(`State saved to ${args.save}`);
    } catch (e) {
      io.stderr(`Error: the state could not be saved to ${args.save}: ${message(e)}`);
      return 1;
    }
  }
  io.stdout('Customer Profiles emulator stopped');
  return 0;
}

function parseServeArgs(argv: string[], cwd: string): ServeArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      allowPositionals: false,
      strict: true,
      options: {
        'host': { type: 'string' },
        'port': { type: 'string' },
        'region': { type: 'string' },
        'account': { type: 'string' },
        'restore': { type: 'string' },
        'save': { type: 'string' },
        'sample-data': { type: 'string', multiple: true },
        'domain': { type: 'string' },
        'policy': { type: 'string' },
        'principal': { type: 'string' },
        'speed': { type: 'string' },
        'frozen': { type: 'boolean' },
        'help': { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    throw new ServeUsageError(message(e));
  }
  if (values.help) return { options: {}, help: true };
  const port = values.port === undefined ? 4566 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ServeUsageError(`--port must be 0-65535, got ${values.port}`);
  const speed = values.speed === undefined ? undefined : Number(values.speed);
  if (speed !== undefined && !(speed > 0 && Number.isFinite(speed))) throw new ServeUsageError(`--speed must be a positive number, got ${values.speed}`);
  const file = (f: string) => path.resolve(cwd, f);
  const sampleData = (values['sample-data'] ?? []).map((s) => (s === 'demo'
    ? demoDataSet(values.domain ?? 'sample')
    : parseSampleDataSet(readJson(file(s), '--sample-data'))));
  const policy = values.policy === undefined ? undefined : readJson(file(values.policy), '--policy');
  return {
    options: {
      host: values.host,
      port,
      region: values.region,
      accountId: values.account,
      clock: { speed, frozen: values.frozen },
      restore: values.restore === undefined ? undefined : readJson(file(values.restore), '--restore'),
      sampleData,
      policies: policy === undefined ? undefined : (Array.isArray(policy) ? policy : [policy]) as PolicyDocument[],
      principalArn: values.principal,
    },
    save: values.save === undefined ? undefined : file(values.save),
    help: false,
  };
}

function readJson(file: string, option: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${option}: cannot read ${file}: ${message(e)}`);
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
