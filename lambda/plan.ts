import { domainConfig, domainObjectTypeConfig, recommenderConfig, segmentDefinitionConfig } from './config';
import { planUpdate as planDomain } from './domain';
import { planUpdate as planObjectType } from './domain-object-type';
import { HandlerError } from './errors';
import { planUpdate as planRecommender } from './recommender';
import { planUpdate as planSegment } from './segment-definition';
import { ResourceTypes, UpdatePlan } from '../src/private/contract';

/**
 * The update plans of the handler, without a service call: the local toolkit's `plan` and `drift`
 * load the bundle (assets/handler/index.js) and call these (exported from index.ts as
 * `planUpdate` and `desiredConfig`), so what a review shows is what the deployment does.
 * Properties are the resource's CloudFormation properties (the structured members, or the `Config` string of stacks deployed by earlier versions), as in a request.
 */

type Properties = Record<string, unknown>;

interface Planner {
  readonly config: (properties: Properties | undefined) => object;
  readonly plan: (old: never, desired: never) => UpdatePlan;
}

const PLANNERS: Record<string, Planner> = {
  [ResourceTypes.DOMAIN]: { config: domainConfig, plan: planDomain },
  [ResourceTypes.DOMAIN_OBJECT_TYPE]: { config: domainObjectTypeConfig, plan: planObjectType },
  [ResourceTypes.RECOMMENDER]: { config: recommenderConfig, plan: planRecommender },
  [ResourceTypes.SEGMENT_DEFINITION]: { config: segmentDefinitionConfig, plan: planSegment },
};

function plannerFor(resourceType: string): Planner {
  const found = PLANNERS[resourceType];
  if (!found) {
    throw new HandlerError(`Unsupported resource type '${resourceType}': this provider handles ${Object.keys(PLANNERS).join(', ')}.`);
  }
  return found;
}

/** The typed Config the handler reads from these properties (throws the handler's refusal for a bad one). */
export function desiredConfig(resourceType: string, properties: Properties): object {
  return plannerFor(resourceType).config(properties);
}

/** What an update from `oldProperties` to `newProperties` does, as the handler decides it (no live state). */
export function planResourceUpdate(resourceType: string, oldProperties: Properties, newProperties: Properties): UpdatePlan {
  const planner = plannerFor(resourceType);
  return planner.plan(planner.config(oldProperties) as never, planner.config(newProperties) as never);
}
