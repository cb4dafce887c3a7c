import { ChildProcess, spawn } from 'child_process';
import { CustomResourceHandler, CustomResourceRequest, IsCompleteRequest, IsCompleteResult, OnEventResult } from './provider-runtime';

/**
 * Runs the bundled handler in a child Node process, as Lambda runs it in its own: the process has
 * its own environment (the endpoint override and region are set there, not in the caller's
 * `process.env`), its own module cache and its own SDK clients. It also keeps the bundle out of
 * jest's module sandbox, where the bundled SDK's lazy `import('node:http')` fails without
 * `--experimental-vm-modules`.
 */

/** The child's code: load the bundle, answer `{id, fn, event}` messages. No event is ever logged. */
const WORKER_SOURCE = `
const mod = require(process.env.LOCAL_DEPLOY_HANDLER_BUNDLE);
process.on('message', async (m) => {
  try {
    const result = await mod[m.fn](m.event);
    process.send({ id: m.id, ok: true, result: result === undefined ? null : result });
  } catch (e) {
    process.send({ id: m.id, ok: false, message: e && e.message ? String(e.message) : String(e) });
  }
});
process.on('disconnect', () => process.exit(0));
`;

interface WorkerReply {
  readonly id: number;
  readonly ok: boolean;
  readonly result?: unknown;
  readonly message?: string;
}

export interface HandlerProcessOptions {
  /** Absolute path of the bundle (`assets/handler/index.js`). */
  readonly bundle: string;
  /** Variables added to the child's environment (endpoint override, region). */
  readonly env: Record<string, string | undefined>;
}

/** A custom-resource handler served by a child process; `stop()` ends it. */
export class HandlerProcess implements CustomResourceHandler {
  private child?: ChildProcess;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (e: Error) => void }>();
  private stderrTail = '';

  public constructor(private readonly options: HandlerProcessOptions) {}

  public async onEvent(event: CustomResourceRequest): Promise<OnEventResult | undefined> {
    return (await this.call('onEvent', event)) as OnEventResult | undefined;
  }

  public async isComplete(event: IsCompleteRequest): Promise<IsCompleteResult> {
    return (await this.call('isComplete', event)) as IsCompleteResult;
  }

  /** Ends the child process (idempotent). */
  public async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) {
      return;
    }
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.disconnect();
      // A handler stuck in a call must not keep the caller alive.
      setTimeout(() => child.kill(), 2000).unref();
    });
  }

  private call(fn: 'onEvent' | 'isComplete', event: unknown): Promise<unknown> {
    const child = this.ensureStarted();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      child.send({ id, fn, event }, (err) => {
        if (err) {
          this.pending.delete(id);
          reject(err);
        }
      });
    });
  }

  private ensureStarted(): ChildProcess {
    if (this.child && this.child.exitCode === null) {
      return this.child;
    }
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries({ ...process.env, ...this.options.env, LOCAL_DEPLOY_HANDLER_BUNDLE: this.options.bundle })) {
      if (value !== undefined) {
        env[key] = value;
      }
    }
    const child = spawn(process.execPath, ['-e', WORKER_SOURCE], { env, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      // Kept only to explain a crash; the handler writes no resource properties.
      this.stderrTail = (this.stderrTail + chunk).slice(-2000);
    });
    child.on('message', (raw: unknown) => {
      const reply = raw as WorkerReply;
      const waiter = this.pending.get(reply.id);
      if (!waiter) {
        return;
      }
      this.pending.delete(reply.id);
      if (reply.ok) {
        waiter.resolve(reply.result ?? undefined);
      } else {
        waiter.reject(new Error(reply.message ?? 'handler failed'));
      }
    });
    child.on('exit', (code, signal) => {
      const reason = new Error(`The handler process exited (${signal ?? code})${crashSummary(this.stderrTail)}`);
      for (const waiter of this.pending.values()) {
        waiter.reject(reason);
      }
      this.pending.clear();
    });
    this.child = child;
    return child;
  }
}

/** The error line of a Node crash (`Error: ...`), else the last line of stderr. */
function crashSummary(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const error = lines.find((l) => /^[A-Za-z]*Error\b.*:/.test(l)) ?? lines[lines.length - 1];
  return error ? `: ${error}` : '';
}
