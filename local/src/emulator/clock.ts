/**
 * Simulated time for everything slow in the service (data store readiness, recommender
 * training, deletion). Tests move a manual clock by hand; demos run a scaled clock so that
 * half an hour of training passes in seconds.
 */
export abstract class Clock {
  /** A clock that stands still until `advance()` is called. */
  public static manual(startMs: number = Date.now()): Clock {
    return new ManualClock(startMs);
  }

  /**
   * A clock on which simulated time runs `factor` times faster than real time, starting at
   * `startMs` (default: the real time now).
   */
  public static scaled(factor: number, startMs: number = Date.now()): Clock {
    if (!(factor > 0)) throw new Error(`Clock.scaled: factor must be positive, got ${factor}`);
    return new ScaledClock(factor, startMs);
  }

  /** Simulated milliseconds since the epoch. */
  public abstract now(): number;

  /** Moves a manual clock forward; scaled clocks refuse. */
  public abstract advance(ms: number): void;
}

class ManualClock extends Clock {
  constructor(private current: number) {
    super();
  }

  public now(): number {
    return this.current;
  }

  public advance(ms: number): void {
    if (!(ms >= 0)) throw new Error(`Clock.advance: ms must be a non-negative number, got ${ms}`);
    this.current += ms;
  }
}

class ScaledClock extends Clock {
  private readonly realStart = Date.now();

  constructor(private readonly factor: number, private readonly simulatedStart: number) {
    super();
  }

  public now(): number {
    return this.simulatedStart + (Date.now() - this.realStart) * this.factor;
  }

  public advance(_ms: number): void {
    throw new Error('Clock.advance: only manual clocks can be advanced; this clock is scaled');
  }
}
