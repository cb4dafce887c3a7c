/**
 * The event stream of a local deployment, shaped like CloudFormation stack events, plus progress
 * lines for slow resources (data store readiness, recommender training). Events never carry
 * resource properties: they hold SQL queries and descriptions, which are customer data.
 */

/** Resource and stack statuses, as CloudFormation names them. */
export type ResourceStatus =
  | 'CREATE_IN_PROGRESS' | 'CREATE_COMPLETE' | 'CREATE_FAILED'
  | 'UPDATE_IN_PROGRESS' | 'UPDATE_COMPLETE' | 'UPDATE_FAILED'
  | 'DELETE_IN_PROGRESS' | 'DELETE_COMPLETE' | 'DELETE_FAILED' | 'DELETE_SKIPPED'
  | 'ROLLBACK_IN_PROGRESS' | 'ROLLBACK_COMPLETE' | 'ROLLBACK_FAILED'
  | 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS'
  | 'UPDATE_ROLLBACK_IN_PROGRESS' | 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS'
  | 'UPDATE_ROLLBACK_COMPLETE' | 'UPDATE_ROLLBACK_FAILED';

/** One stack or resource event. */
export interface StackEvent {
  readonly kind: 'event';
  /** ISO-8601 time. */
  readonly timestamp: string;
  readonly stackName: string;
  /** The logical id, or the stack name for stack-level events. */
  readonly logicalId: string;
  /** The resource type, or `AWS::CloudFormation::Stack`. */
  readonly resourceType: string;
  readonly status: ResourceStatus;
  readonly physicalId?: string;
  /** Why (failure message, "not emulated", "replacement", "retained"...). */
  readonly reason?: string;
}

/** A readiness progress line for a resource that is still being waited for. */
export interface ProgressEvent {
  readonly kind: 'progress';
  readonly timestamp: string;
  readonly stackName: string;
  readonly logicalId: string;
  readonly resourceType: string;
  readonly physicalId: string;
  /** E.g. `data store 40% (Indexing profiles)` or `recommender IN_PROGRESS`. */
  readonly message: string;
}

export type EngineEvent = StackEvent | ProgressEvent;

export type EventListener = (event: EngineEvent) => void;

/** One line of human output for an event (the CLI's default format). */
export function formatEvent(event: EngineEvent): string {
  const time = event.timestamp.slice(11, 19);
  if (event.kind === 'progress') {
    return `${time} | ${event.stackName} | ${event.logicalId} (${event.resourceType}) ... ${event.message}`;
  }
  const reason = event.reason ? ` ${event.reason}` : '';
  return `${time} | ${event.stackName} | ${event.status.padEnd(26)} | ${event.resourceType} | ${event.logicalId}${reason}`;
}

const STACK_TYPE = 'AWS::CloudFormation::Stack';

/** A resource event, stamped now. */
export function stackEventOf(
  stackName: string, logicalId: string, resourceType: string, status: ResourceStatus, reason?: string, physicalId?: string,
): StackEvent {
  return {
    kind: 'event',
    timestamp: new Date().toISOString(),
    stackName,
    logicalId,
    resourceType,
    status,
    ...(physicalId ? { physicalId } : {}),
    ...(reason ? { reason } : {}),
  };
}

/** The stack's own event (logical id: its name, type `AWS::CloudFormation::Stack`). */
export function stackLevelEvent(stackName: string, status: ResourceStatus, reason?: string): StackEvent {
  return stackEventOf(stackName, stackName, STACK_TYPE, status, reason);
}
