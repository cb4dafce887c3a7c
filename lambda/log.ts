/**
 * A tiny structured logger that only accepts fields known to be safe.
 *
 * Resource properties carry customer data (SQL queries, segment groups, descriptions: members the
 * service model marks sensitive). Logging whole events or requests would copy them into CloudWatch,
 * so this logger has no free-form payload: only the typed fields below reach the log line.
 */

/** The only values a log line may carry. Names and ids are identifiers, never customer data. */
export interface LogFields {
  readonly resourceType?: string;
  readonly requestType?: string;
  readonly physicalResourceId?: string;
  readonly operation?: string;
  readonly status?: string;
  readonly progress?: number;
  readonly complete?: boolean;
  readonly errorName?: string;
  /** How an existing resource relates to this stack (lambda/ownership.ts `Owner.kind`): never the marker's value. */
  readonly owner?: string;
}

const ALLOWED: ReadonlyArray<keyof LogFields> = [
  'resourceType', 'requestType', 'physicalResourceId', 'operation', 'status', 'progress', 'complete', 'errorName', 'owner',
];

/** Writes one JSON line. Unknown keys are dropped even if a caller bypasses the type. */
export function log(message: string, fields: LogFields = {}): void {
  const line: Record<string, unknown> = { message };
  for (const key of ALLOWED) {
    const value = fields[key];
    if (value !== undefined) {
      line[key] = value;
    }
  }
  console.log(JSON.stringify(line));
}
