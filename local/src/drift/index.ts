import {
  CloudFormationClient, DescribeStackResourcesCommand, DescribeStacksCommand, ListExportsCommand,
} from '@aws-sdk/client-cloudformation';
import { CustomerProfilesClient } from '@aws-sdk/client-customer-profiles';
import { parseStackId, ResourceTypes } from '@cdk-customer-profiles/constructs/lib/private/contract';
import { DeployableApp, DeploymentState, emptyState, StackInput, stacksOf } from '../deploy';
import { compareResource, FieldDifference, MISSING_FIELD } from './compare';
import { readLive } from './live';
import { HandlerPlanning, loadHandlerPlanning } from '../plan/planner';
import { KnownValues, knownFromState, resolveKnown, withoutServiceToken } from '../plan/resolve';

export type { FieldDifference } from './compare';
export { MISSING_FIELD } from './compare';

/**
 * Drift: CloudFormation's drift detection does not look into custom resources, so this compares
 * the desired state of each of the library's resources in a synthesized app (its typed Config,
 * read by the handler's own `desiredConfig`) with the live resource, with Get* calls only.
 */

export interface DriftOptions {
  /** The app: a CDK `App` (synthesized here), a synthesized assembly, its directory, or stacks. */
  readonly app: DeployableApp;
  /**
   * The service endpoint (an emulator's `endpoint`, the standalone server).
   * @default the SDK's own endpoint for the region (a real account)
   */
  readonly endpoint?: string;
  /** @default the SDK's default region, else 'us-east-1' with an endpoint */
  readonly region?: string;
  /**
   * What resolves the templates' references (physical ids, attributes, exports): the local
   * deployment state, or `'cloudformation'` (DescribeStacks, DescribeStackResources, ListExports
   * of the real account). @default the local state given in `state`, else nothing is resolved
   */
  readonly resolveWith?: 'state' | 'cloudformation';
  /** The local deployment state (`LocalDeployment.state`, or a state file's content). @default empty */
  readonly state?: DeploymentState;
  /** Only these stacks. @default every stack of the app */
  readonly stacks?: string[];
  /** @default the bundled handler's */
  readonly planning?: HandlerPlanning;
  /** Clients to use instead of new ones (tests). */
  readonly clients?: { readonly profiles?: CustomerProfilesClient; readonly cloudFormation?: CloudFormationClient };
}

/** One difference between the app and the live service. */
export interface DriftEntry extends FieldDifference {
  readonly stackName: string;
  readonly logicalId: string;
  readonly resourceType: string;
  /** The live resource's name (`domain`, `domain/name`). */
  readonly resourceName: string;
}

/** A resource that could not be compared (its desired state depends on a value not known here). */
export interface UncheckedResource {
  readonly stackName: string;
  readonly logicalId: string;
  readonly resourceType: string;
  readonly reason: string;
}

export interface DriftResult {
  /** True when at least one difference was found. */
  readonly drifted: boolean;
  readonly differences: DriftEntry[];
  /** How many resources were compared. */
  readonly checked: number;
  readonly unchecked: UncheckedResource[];
}

const OURS = new Set<string>(Object.values(ResourceTypes));

/** Compares every resource of the library in the app with the live service; makes Get* (and CloudFormation Describe/List) calls only. */
export async function detectDrift(options: DriftOptions): Promise<DriftResult> {
  const stacks = stacksOf(options.app).filter((s) => !options.stacks || options.stacks.includes(s.stackName));
  const planning = options.planning ?? loadHandlerPlanning();
  const profiles = options.clients?.profiles ?? new CustomerProfilesClient({
    endpoint: options.endpoint,
    region: options.region ?? (options.endpoint ? process.env.AWS_REGION ?? 'us-east-1' : undefined),
    ...(options.endpoint ? { credentials: localCredentials() } : {}),
  });
  const cloudFormation = options.resolveWith === 'cloudformation'
    ? options.clients?.cloudFormation ?? new CloudFormationClient({ region: options.region })
    : undefined;
  const state = options.state ?? emptyState();
  const exports = cloudFormation ? await listExports(cloudFormation) : {};
  const differences: DriftEntry[] = [];
  const unchecked: UncheckedResource[] = [];
  let checked = 0;
  for (const stack of stacks) {
    const known = cloudFormation ? await knownFromCloudFormation(cloudFormation, stack, exports) : knownFromState(stack, state);
    for (const [logicalId, resource] of Object.entries(stack.template.Resources ?? {})) {
      if (!OURS.has(resource.Type)) {
        continue;
      }
      const where = { stackName: stack.stackName, logicalId, resourceType: resource.Type };
      const resolved = resolveKnown(withoutServiceToken(resource.Properties), stack, known);
      if (!resolved.resolved) {
        unchecked.push({ ...where, reason: resolved.reason });
        continue;
      }
      const config = planning.desiredConfig(resource.Type, resolved.value) as Record<string, unknown>;
      const resourceName = nameOf(resource.Type, config);
      checked += 1;
      let live: Record<string, unknown> | undefined;
      try {
        live = await readLive(profiles, resource.Type, config);
      } catch (e) {
        throw new Error(`Cannot read ${resource.Type} '${resourceName}' (${stack.stackName}/${logicalId}): ${(e as Error).name}: ${(e as Error).message}`);
      }
      if (!live) {
        differences.push({ ...where, resourceName, field: MISSING_FIELD, desired: 'exists', live: 'missing (deleted outside the stack)' });
        continue;
      }
      differences.push(...compareResource(resource.Type, config, live).map((d) => ({ ...where, resourceName, ...d })));
    }
  }
  return { drifted: differences.length > 0, differences, checked, unchecked };
}

/** `Stack/LogicalId  field  desired  live`, one line per difference, in aligned columns; values of sensitive members are never shown. */
export function formatDrift(result: DriftResult): string[] {
  const rows = result.differences.map((d) => [
    `${d.stackName}/${d.logicalId}`,
    d.field,
    ...(d.sensitive ? ['(sensitive, differs)', ''] : [show(d.desired), show(d.live)]),
  ]);
  const header = ['resource', 'field', 'desired', 'live'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  const lines = rows.length > 0 ? [line(header), ...rows.map(line)] : [];
  for (const u of result.unchecked) {
    lines.push(`not checked: ${u.stackName}/${u.logicalId} (${u.resourceType}): ${u.reason}`);
  }
  lines.push(result.drifted
    ? `${result.differences.length} difference(s) in ${new Set(result.differences.map((d) => `${d.stackName}/${d.logicalId}`)).size} of ${result.checked} resource(s)`
    : `No drift: ${result.checked} resource(s) match the app`);
  return lines;
}

function show(value: unknown): string {
  if (value === undefined) {
    return '(absent)';
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function nameOf(resourceType: string, config: Record<string, unknown>): string {
  const child = config.ObjectTypeName ?? config.RecommenderName ?? config.SegmentDefinitionName;
  return resourceType === ResourceTypes.DOMAIN || child === undefined ? String(config.DomainName) : `${String(config.DomainName)}/${String(child)}`;
}

/** An emulator or local server accepts any signature; the SDK still needs credentials to sign. */
function localCredentials() {
  return {
    accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'local',
    secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
    sessionToken: process.env.AWS_SESSION_TOKEN,
  };
}

async function listExports(client: CloudFormationClient): Promise<Record<string, string>> {
  const exports: Record<string, string> = {};
  let token: string | undefined;
  do {
    const page = await client.send(new ListExportsCommand({ NextToken: token }));
    for (const e of page.Exports ?? []) {
      if (e.Name !== undefined && e.Value !== undefined) exports[e.Name] = e.Value;
    }
    token = page.NextToken;
  } while (token);
  return exports;
}

/** The deployed stack's physical ids and the account's exports; undefined when the stack does not exist. */
async function knownFromCloudFormation(
  client: CloudFormationClient, stack: StackInput, exports: Record<string, string>,
): Promise<KnownValues | undefined> {
  let stackId: string | undefined;
  try {
    stackId = (await client.send(new DescribeStacksCommand({ StackName: stack.stackName }))).Stacks?.[0]?.StackId;
  } catch (e) {
    if (/does not exist/.test((e as Error).message ?? '')) return undefined;
    throw e;
  }
  const parts = stackId ? /^arn:[^:]+:cloudformation:([^:]*):([^:]*):stack\//.exec(stackId) : null;
  if (!stackId || !parts || !parseStackId(stackId)) {
    return undefined;
  }
  const resources = (await client.send(new DescribeStackResourcesCommand({ StackName: stackId }))).StackResources ?? [];
  return {
    stackId,
    region: parts[1],
    account: parts[2],
    physicalIds: Object.fromEntries(resources
      .filter((r) => r.LogicalResourceId && r.PhysicalResourceId)
      .map((r) => [r.LogicalResourceId!, r.PhysicalResourceId!])),
    exports,
  };
}

