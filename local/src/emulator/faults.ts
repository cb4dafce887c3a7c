import { ErrorName } from './errors';

/** Errors a fault can inject: the service's modeled errors. */
export type FaultError =
  | 'ThrottlingException'
  | 'InternalServerException'
  | 'AccessDeniedException'
  | 'BadRequestException'
  | 'ResourceNotFoundException';

export interface FaultSpec {
  /** Operation name (e.g. 'GetDomain'); every operation when omitted. */
  readonly operation?: string;
  /** How many matching requests the fault applies to. @default 1 */
  readonly times?: number;
  /** Error to answer with; none means the request proceeds (after the latency). */
  readonly error?: FaultError;
  readonly message?: string;
  /** Real milliseconds to wait before answering. */
  readonly latencyMs?: number;
}

interface ActiveFault {
  readonly spec: FaultSpec;
  remaining: number;
}

export interface FaultOutcome {
  readonly latencyMs: number;
  readonly error?: { readonly name: ErrorName; readonly message: string };
}

/** Injected faults: one-shot errors and latency per operation, and a token-bucket throttle on real time. */
export class Faults {
  private faults: ActiveFault[] = [];
  private rate: number | undefined;
  private tokens = 0;
  private lastRefill = 0;

  /** @param knownOperations when given, a fault naming another operation is refused (a typo would never fire). */
  constructor(private readonly knownOperations?: ReadonlySet<string>) {}

  public add(spec: FaultSpec): void {
    if (spec.operation !== undefined && this.knownOperations && !this.knownOperations.has(spec.operation)) {
      throw new Error(`faults.add: ${spec.operation} is not an operation of the Customer Profiles model`);
    }
    const times = spec.times ?? 1;
    if (!(times >= 1)) throw new Error(`faults.add: times must be at least 1, got ${times}`);
    this.faults.push({ spec, remaining: times });
  }

  /** Limits requests to `requestsPerSecond` (burst of the same size); `undefined` lifts the limit. */
  public throttle(requestsPerSecond: number | undefined): void {
    if (requestsPerSecond !== undefined && !(requestsPerSecond > 0)) {
      throw new Error(`faults.throttle: requestsPerSecond must be positive, got ${requestsPerSecond}`);
    }
    this.rate = requestsPerSecond;
    this.tokens = Math.max(1, requestsPerSecond ?? 0);
    this.lastRefill = Date.now();
  }

  public clear(): void {
    this.faults = [];
    this.rate = undefined;
  }

  /** Consumes the first fault matching the operation, if any. */
  public take(operation: string): FaultOutcome | undefined {
    const fault = this.faults.find((f) => f.spec.operation === undefined || f.spec.operation === operation);
    if (!fault) return undefined;
    fault.remaining--;
    if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
    const { error, message, latencyMs } = fault.spec;
    return {
      latencyMs: latencyMs ?? 0,
      error: error ? { name: error, message: message ?? `Injected ${error} for ${operation}` } : undefined,
    };
  }

  /** True when the request may proceed; false when the bucket is empty. */
  public admit(): boolean {
    if (this.rate === undefined) return true;
    const now = Date.now();
    const capacity = Math.max(1, this.rate);
    this.tokens = Math.min(capacity, this.tokens + ((now - this.lastRefill) / 1000) * this.rate);
    this.lastRefill = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
