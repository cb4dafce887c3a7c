import { CompletionEvent, deadlinePassed, IsCompleteResponse, OnEventResponse, ResourceEvent, ResourceHandler } from './common';
import { domainHandler } from './domain';
import { domainObjectTypeHandler } from './domain-object-type';
import { HandlerError } from './errors';
import { log } from './log';
import { recommenderHandler } from './recommender';
import { segmentDefinitionHandler } from './segment-definition';
import { DEADLINE_KEY, ResourceTypes } from '../src/private/contract';

/**
 * The custom-resource handler of this library: one Lambda function is both the Provider
 * framework's onEvent and isComplete handler (one asset, one role, one log group per stack).
 *
 * The framework calls isComplete with the original request merged with onEvent's result, so an
 * isComplete invocation carries `Data[DEADLINE_KEY]`, which onEvent ALWAYS returns (even on
 * Delete). A CloudFormation request never carries `Data`, so `handler` tells the two apart by
 * that key. `onEvent` and `isComplete` are exported for tests and the local deploy engine.
 */

export type { CompletionEvent, IsCompleteResponse, OnEventResponse, ResourceEvent } from './common';
export { resetClients } from './client';
export { desiredConfig, planResourceUpdate as planUpdate } from './plan';

const HANDLERS: Record<string, ResourceHandler> = {
  [ResourceTypes.DOMAIN]: domainHandler,
  [ResourceTypes.DOMAIN_OBJECT_TYPE]: domainObjectTypeHandler,
  [ResourceTypes.RECOMMENDER]: recommenderHandler,
  [ResourceTypes.SEGMENT_DEFINITION]: segmentDefinitionHandler,
};

function handlerFor(resourceType: string): ResourceHandler {
  const found = HANDLERS[resourceType];
  if (!found) {
    throw new HandlerError(`Unsupported resource type '${resourceType}': this provider handles ${Object.keys(HANDLERS).join(', ')}.`);
  }
  return found;
}

/** The Provider framework's onEvent: starts the work and returns the physical id. */
export async function onEvent(event: ResourceEvent): Promise<OnEventResponse> {
  log('onEvent', { resourceType: event.ResourceType, requestType: event.RequestType, physicalResourceId: event.PhysicalResourceId });
  const resource = handlerFor(event.ResourceType);
  switch (event.RequestType) {
    case 'Create':
      return resource.create(event);
    case 'Update':
      return resource.update(event);
    case 'Delete':
      return resource.delete(event);
    default:
      throw new HandlerError(`Unsupported request type '${String((event as { RequestType: unknown }).RequestType)}'.`);
  }
}

/** The Provider framework's isComplete: polled until it answers IsComplete true (or throws). */
export async function isComplete(event: CompletionEvent): Promise<IsCompleteResponse> {
  let result: IsCompleteResponse;
  try {
    result = await handlerFor(event.ResourceType).isComplete(event);
  } catch (err) {
    // A poll that is throttled or meets a service error after the SDK's retries has learnt nothing:
    // the next poll asks again. Only once the resource's own deadline has passed does it fail,
    // with the last error (which names the resource, the operation and the service's message).
    if (err instanceof HandlerError && err.transient && !deadlinePassed(event)) {
      log('poll failed, retrying at the next poll', {
        resourceType: event.ResourceType, requestType: event.RequestType, physicalResourceId: event.PhysicalResourceId, errorName: err.name,
      });
      return { IsComplete: false };
    }
    throw err;
  }
  log('isComplete', {
    resourceType: event.ResourceType, requestType: event.RequestType, physicalResourceId: event.PhysicalResourceId, complete: result.IsComplete,
  });
  return result;
}

/** True for an isComplete invocation (see the module comment). */
function isCompletionEvent(event: ResourceEvent | CompletionEvent): event is CompletionEvent {
  const data = (event as CompletionEvent).Data;
  return typeof data === 'object' && data !== null && DEADLINE_KEY in data;
}

/** The Lambda entry point (`index.handler`). */
export async function handler(event: ResourceEvent | CompletionEvent): Promise<OnEventResponse | IsCompleteResponse> {
  try {
    return isCompletionEvent(event) ? await isComplete(event) : await onEvent(event);
  } catch (err) {
    // The message becomes the CloudFormation failure reason; it is built from safe values only.
    log('failed', {
      resourceType: event.ResourceType,
      requestType: event.RequestType,
      physicalResourceId: event.PhysicalResourceId,
      errorName: err instanceof Error ? err.name : 'Error',
    });
    throw err;
  }
}
