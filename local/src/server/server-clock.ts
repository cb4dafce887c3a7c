import { Clock } from '../emulator/clock';

export interface ServerClockOptions {
  /** Simulated ms at start. @default the real time now */
  readonly startMs?: number;
  /** Simulated seconds per real second. @default 1 (real time) */
  readonly speed?: number;
  /** Stand still until advanced or set (deterministic tests). @default false */
  readonly frozen?: boolean;
}

/**
 * The standalone server's clock: real time (or `speed` times it) by default, as an application
 * under test expects, and movable from the admin API. It never goes back: the service's
 * timestamps only grow, and a resource's phases (training, readiness) are computed from them.
 */
export class ServerClock extends Clock {
  public readonly speed: number;
  private base: number;
  private realBase = Date.now();
  private stopped: boolean;

  constructor(options: ServerClockOptions = {}) {
    super();
    this.speed = options.speed ?? 1;
    if (!(this.speed > 0) || !Number.isFinite(this.speed)) throw new Error(`clock speed must be a positive number, got ${options.speed}`);
    this.base = options.startMs ?? Date.now();
    this.stopped = options.frozen ?? false;
  }

  public get frozen(): boolean {
    return this.stopped;
  }

  public now(): number {
    return this.stopped ? this.base : this.base + (Date.now() - this.realBase) * this.speed;
  }

  public advance(ms: number): void {
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new Error(`the clock advances by a non-negative number of milliseconds, got ${ms}`);
    this.rebase(this.now() + ms);
  }

  /** Moves the clock to `ms` (not before now); `frozen` stops or restarts it. */
  public set(ms: number | undefined, frozen?: boolean): void {
    const now = this.now();
    if (ms !== undefined && !(Number.isFinite(ms) && ms >= now)) {
      throw new Error(`the clock cannot go back: it reads ${new Date(now).toISOString()}, asked for ${Number.isFinite(ms) ? new Date(ms).toISOString() : ms}`);
    }
    this.rebase(ms ?? now);
    if (frozen !== undefined) this.stopped = frozen;
  }

  private rebase(ms: number): void {
    this.base = ms;
    this.realBase = Date.now();
  }
}
