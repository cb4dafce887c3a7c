import type { ResourceState } from './state';
import type { CfnResource } from './template';
import type { PolicyDocument } from '../emulator/iam';

/**
 * The custom-resource handler's identity, as deployed: which role the Lambda function that runs
 * the handler has, and the identity policies attached to that role at this moment of a
 * deployment. The emulator authorizes every request of the handler with them, so a statement the
 * library forgot (or one CloudFormation has already removed, see cleanup.ts) fails locally as it
 * would in AWS.
 */

/** The logical ids of the handler's function and role in one template. */
export interface HandlerIdentity {
  readonly functionId: string;
  readonly roleId: string;
}

/** Where the identity policies go (the emulator's `setIdentityPolicies`); `undefined` turns authorization off. */
export type IdentityPolicySink = (policies: PolicyDocument[] | undefined, principalArn?: string) => void;

/**
 * Finds the handler behind the template's custom resources of `types`: their ServiceToken is a
 * function's ARN; a function of the CDK Provider framework names the user's handler in
 * `USER_ON_EVENT_FUNCTION_ARN` (the framework functions only invoke it), any other function is
 * the handler itself. Its `Role` is the role whose policies count. Undefined when the template
 * does not say (a literal ServiceToken, an imported role): authorization is then left off.
 */
export function handlerIdentityOf(resources: Record<string, CfnResource>, types: ReadonlySet<string>): HandlerIdentity | undefined {
  for (const def of Object.values(resources)) {
    if (!types.has(def.Type)) {
      continue;
    }
    const frameworkId = getAttArnOf(def.Properties?.ServiceToken);
    const framework = frameworkId ? resources[frameworkId] : undefined;
    if (!frameworkId || framework?.Type !== 'AWS::Lambda::Function') {
      continue;
    }
    const variables = (framework.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables;
    const userId = getAttArnOf(variables?.USER_ON_EVENT_FUNCTION_ARN);
    const functionId = userId && resources[userId]?.Type === 'AWS::Lambda::Function' ? userId : frameworkId;
    const roleId = getAttArnOf(resources[functionId].Properties?.Role);
    if (roleId && resources[roleId]?.Type === 'AWS::IAM::Role') {
      return { functionId, roleId };
    }
  }
  return undefined;
}

/** The identity policies of the role `roleId` among the live resources, and the caller's ARN as the service names it. */
export function identityPoliciesOf(
  identity: HandlerIdentity,
  live: Iterable<ResourceState>,
  scope: { readonly partition: string; readonly account: string },
): { readonly policies: PolicyDocument[]; readonly principalArn: string } {
  const all = [...live];
  const role = all.find((r) => r.logicalId === identity.roleId && r.type === 'AWS::IAM::Role');
  const functionName = all.find((r) => r.logicalId === identity.functionId)?.physicalId ?? identity.functionId;
  const roleName = role?.physicalId ?? identity.roleId;
  const principalArn = `arn:${scope.partition}:sts::${scope.account}:assumed-role/${roleName}/${functionName}`;
  if (!role) {
    // The role is not deployed (yet, or any more): nothing allows anything.
    return { policies: [], principalArn };
  }
  const policies: PolicyDocument[] = [];
  // Inline policies of the role itself.
  for (const inline of asList(role.properties.Policies)) {
    const document = documentOf((inline as Record<string, unknown> | undefined)?.PolicyDocument);
    if (document) policies.push(document);
  }
  // Managed policies named by ARN on the role: the stack's own are found among the live
  // resources. AWS managed policies (arn:<p>:iam::aws:policy/...) are not known to the engine;
  // the ones aws-cdk-lib attaches (AWSLambdaBasicExecutionRole) grant nothing on profile:.
  const attachedArns = new Set(asList(role.properties.ManagedPolicyArns).filter((a): a is string => typeof a === 'string'));
  for (const resource of all) {
    const attached = asList(resource.properties.Roles).includes(roleName);
    if (resource.type === 'AWS::IAM::Policy' && attached) {
      const document = documentOf(resource.properties.PolicyDocument);
      if (document) policies.push(document);
    }
    if (resource.type === 'AWS::IAM::ManagedPolicy' && (attached || attachedArns.has(resource.physicalId)
      || attachedArns.has(`arn:${scope.partition}:iam::${scope.account}:policy/${resource.physicalId}`))) {
      const document = documentOf(resource.properties.PolicyDocument);
      if (document) policies.push(document);
    }
  }
  return { policies, principalArn };
}

/** `{ "Fn::GetAtt": [id, "Arn"] }` (or `"id.Arn"`) -> id. */
function getAttArnOf(value: unknown): string | undefined {
  const getAtt = (value as Record<string, unknown> | undefined)?.['Fn::GetAtt'];
  if (Array.isArray(getAtt) && getAtt[1] === 'Arn' && typeof getAtt[0] === 'string') {
    return getAtt[0];
  }
  if (typeof getAtt === 'string' && getAtt.endsWith('.Arn')) {
    return getAtt.slice(0, -'.Arn'.length);
  }
  return undefined;
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/** A resolved policy document; CloudFormation also accepts it as a JSON string. */
function documentOf(value: unknown): PolicyDocument | undefined {
  const parsed = typeof value === 'string' ? safeParse(value) : value;
  if (parsed !== null && typeof parsed === 'object' && 'Statement' in parsed) {
    return parsed as PolicyDocument;
  }
  return undefined;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
