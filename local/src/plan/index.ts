import { Formatter, FormatStream, fullDiff, ResourceDifference, TemplateDiff } from '@aws-cdk/cloudformation-diff';
import { CONFIG_PROPERTY, ResourceTypes, UpdateDecision, UpdateDecisionKind } from '@cdk-customer-profiles/constructs/lib/private/contract';
import { DeploymentState, LocalDeployEngine, ResourceChange, StackInput, StackPlan } from '../deploy';
import { HandlerPlanning, loadHandlerPlanning } from './planner';
import { knownFromState, resolveKnown, withoutServiceToken } from './resolve';

export type { HandlerPlanning } from './planner';
export { loadHandlerPlanning } from './planner';

/**
 * `plan`: the template diff of each stack as `cdk diff` renders it (@aws-cdk/cloudformation-diff),
 * and under each of this library's resources that is updated, what the update does to the live
 * resource, as the handler's own `planUpdate` decides it. Nothing is deployed and no service is called.
 */

/** One resource's planned change, with the handler's decisions for an update of our resources. */
export interface ResourcePlan extends ResourceChange {
  /** What the update does to the live resource (absent for a create, a delete, or another type). */
  readonly decisions?: readonly UpdateDecision[];
  /** Why the decisions cannot be known before the deployment (a value only the deployment resolves). */
  readonly unresolved?: string;
}

export interface StackDiff extends StackPlan {
  readonly changes: ResourcePlan[];
}

export interface PlanResult {
  readonly stacks: StackDiff[];
  /** The rendered plan (what the CLI prints). */
  readonly text: string;
}

export interface PlanOptions {
  /** The handler's planning. @default the bundled handler's (`loadHandlerPlanning()`) */
  readonly planning?: HandlerPlanning;
  /** Keep cloudformation-diff's terminal colours. @default false */
  readonly color?: boolean;
}

const OURS = new Set<string>(Object.values(ResourceTypes));

/** Plans a deploy of `stacks` over `state`: the engine's resource actions, the template diff and the handler's decisions. */
export function planApp(stacks: StackInput[], state: DeploymentState, options: PlanOptions = {}): PlanResult {
  const engine = new LocalDeployEngine();
  let planning = options.planning;
  const planningOf = (): HandlerPlanning => (planning ??= loadHandlerPlanning());
  const inputs = new Map(stacks.map((s) => [s.stackName, s]));
  const plans: StackDiff[] = engine.plan(stacks, state).map((plan) => {
    const input = inputs.get(plan.stackName)!;
    const known = knownFromState(input, state);
    const changes = plan.changes.map((change): ResourcePlan => {
      if (!OURS.has(change.resourceType) || (change.action !== 'update' && change.action !== 'may-update')) {
        return change;
      }
      const old = state.stacks[plan.stackName]?.resources[change.logicalId];
      const resolved = resolveKnown(withoutServiceToken(input.template.Resources?.[change.logicalId]?.Properties), input, known);
      if (!old || !resolved.resolved) {
        return { ...change, unresolved: resolved.resolved ? 'the resource is not deployed' : resolved.reason };
      }
      const decisions = planningOf().planUpdate(change.resourceType, withoutServiceToken(old.properties), resolved.value).decisions;
      return { ...change, decisions };
    });
    return { ...plan, changes };
  });
  // One blank line between stacks, none at the end.
  const text = plans.map((plan) => renderStack(plan, inputs.get(plan.stackName)!, state).replace(/\n+$/, '')).join('\n\n');
  return { stacks: plans, text: options.color ? text : stripAnsi(text) };
}

/** One stack, as `cdk diff` prints it, with the decisions under our resources. */
function renderStack(plan: StackDiff, input: StackInput, state: DeploymentState): string {
  const lines: string[] = [];
  const stream = { write: (chunk: string) => (lines.push(chunk), true) } as unknown as FormatStream;
  const title = plan.action === 'create' ? ' (new stack)' : '';
  const diff = fullDiff(readable(state.stacks[plan.stackName]?.template ?? {}), readable(input.template));
  const formatter = new Formatter(stream, {}, diff);
  formatter.print(`Stack ${plan.stackName}${title}`);
  if (diff.isEmpty) {
    formatter.print('There were no differences');
    // A resource the template does not change may still be updated: a value it reads changes.
    printDynamic(formatter, plan);
    return lines.join('');
  }
  printDiff(formatter, diff, plan);
  return lines.join('');
}

/** cloudformation-diff's `formatDifferences`, with our decisions printed under each resource. */
function printDiff(formatter: Formatter, diff: TemplateDiff, plan: StackDiff): void {
  if (diff.awsTemplateFormatVersion || diff.transform || diff.description) {
    formatter.printSectionHeader('Template');
    formatter.formatDifference('AWSTemplateFormatVersion', 'AWSTemplateFormatVersion', diff.awsTemplateFormatVersion);
    formatter.formatDifference('Transform', 'Transform', diff.transform);
    formatter.formatDifference('Description', 'Description', diff.description);
    formatter.printSectionFooter();
  }
  if (diff.iamChanges.hasChanges || diff.securityGroupChanges.hasChanges) {
    formatter.formatIamChanges(diff.iamChanges);
    formatter.formatSecurityGroupChanges(diff.securityGroupChanges);
    formatter.warning('(NOTE: There may be security-related changes not in this list. See https://github.com/aws/aws-cdk/issues/1299)');
    formatter.printSectionFooter();
  }
  formatter.formatSection('Parameters', 'Parameter', diff.parameters);
  formatter.formatSection('Metadata', 'Metadata', diff.metadata);
  formatter.formatSection('Mappings', 'Mapping', diff.mappings);
  formatter.formatSection('Conditions', 'Condition', diff.conditions);
  const byId = new Map(plan.changes.map((c) => [c.logicalId, c]));
  formatter.formatSection('Resources', 'Resource', diff.resources, (type: string, id: string, resource: ResourceDifference) => {
    formatter.formatResourceDifference(type, id, resource);
    const change = byId.get(id);
    if (change) {
      effectLines(change).forEach((line) => formatter.print(line));
    }
  });
  printDynamic(formatter, plan);
  formatter.formatSection('Outputs', 'Output', diff.outputs);
  formatter.formatSection('Other Changes', 'Unknown', diff.unknown);
}

/** Resources that are not in the template diff but read a value that changes (CloudFormation's "Dynamic"). */
function printDynamic(formatter: Formatter, plan: StackDiff): void {
  const dynamic = plan.changes.filter((c) => c.action === 'may-update');
  if (dynamic.length === 0) {
    return;
  }
  formatter.printSectionHeader('May change (a value they read changes)');
  for (const change of dynamic) {
    formatter.print(`[?] ${change.resourceType} ${change.logicalId} (reads ${(change.because ?? []).join(', ')})`);
    effectLines(change).forEach((line) => formatter.print(line));
  }
  formatter.printSectionFooter();
}

const LABELS: Record<UpdateDecisionKind, string> = {
  'none': 'no write call',
  'update-in-place': 'update in place',
  'tags': 'tags only',
  'replace': 'REPLACE: a new resource is created, the old one deleted in the cleanup phase',
  'stop': 'stop',
  'start': 'start',
  'retrain': 'retrains',
  'wait-for-data-store': 'waits for the data store to be ready',
  'wait': 'waits until it settles',
};

/** `↳ update in place (RecommenderConfig.TrainingFrequency): <reason>`, one line per decision. */
function effectLines(change: ResourcePlan): string[] {
  if (change.unresolved) {
    return [`    ↳ decided at deploy: ${change.unresolved}`];
  }
  return (change.decisions ?? []).map((d) => {
    const fields = d.fields.length > 0 ? ` (${d.fields.join(', ')})` : '';
    return `    ↳ ${LABELS[d.kind] ?? d.kind}${fields}${d.reason ? `: ${d.reason}` : ''}`;
  });
}

/**
 * The template with each of our resources' `Config` JSON (when it holds no token) as an object,
 * so that the diff names the member that changes instead of printing two long strings.
 */
function readable(template: Record<string, unknown>): Record<string, unknown> {
  const resources = template.Resources as Record<string, { Type?: string; Properties?: Record<string, unknown> }> | undefined;
  if (!resources) {
    return template;
  }
  const out: Record<string, unknown> = {};
  for (const [id, resource] of Object.entries(resources)) {
    const config = resource.Properties?.[CONFIG_PROPERTY];
    let parsed: unknown;
    if (OURS.has(resource.Type ?? '') && typeof config === 'string') {
      try {
        parsed = JSON.parse(config);
      } catch {
        parsed = undefined;
      }
    }
    out[id] = parsed === undefined ? resource : { ...resource, Properties: { ...resource.Properties, [CONFIG_PROPERTY]: parsed } };
  }
  return { ...template, Resources: out };
}

function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}
