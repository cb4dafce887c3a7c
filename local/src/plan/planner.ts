import { UpdatePlan } from '@cdk-customer-profiles/constructs/lib/private/contract';
import { BUNDLED_HANDLER_PATH } from '../deploy';
import { requireHandlerBundle } from '../deploy/provider-runtime';

/**
 * The handler's own update planning and Config reading, from the handler bundle the stacks
 * deploy: what `plan` shows is what the handler decides, and `drift` reads the desired state as
 * the handler does (one JSON `Config`, or structured properties), with numbers and booleans typed.
 */
export interface HandlerPlanning {
  /** The decisions an Update from `oldProperties` to `newProperties` makes (pure: no call). */
  planUpdate(resourceType: string, oldProperties: Record<string, unknown>, newProperties: Record<string, unknown>): UpdatePlan;
  /** The typed Config a resource's (resolved) properties ask for. */
  desiredConfig(resourceType: string, properties: Record<string, unknown>): Record<string, unknown>;
}

const loaded = new Map<string, HandlerPlanning>();

/** Loads the planning functions of the handler bundle at `file`; throws when it has none (an older library). */
export function loadHandlerPlanning(file: string = BUNDLED_HANDLER_PATH): HandlerPlanning {
  const cached = loaded.get(file);
  if (cached) {
    return cached;
  }
  const mod = requireHandlerBundle(file) as Partial<HandlerPlanning>;
  if (typeof mod.planUpdate !== 'function' || typeof mod.desiredConfig !== 'function') {
    throw new Error(`The handler bundle at ${file} does not export planUpdate and desiredConfig: it is from a library version without update planning (rebuild it with \`node scripts/bundle-handler.mjs\`)`);
  }
  const planning: HandlerPlanning = { planUpdate: mod.planUpdate.bind(mod), desiredConfig: mod.desiredConfig.bind(mod) };
  loaded.set(file, planning);
  return planning;
}
