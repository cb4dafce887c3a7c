import { ServiceError } from './errors';
import { accessDeniedMessage, AuthorizationRequest, evaluate, IamData, IamServiceData, loadIamData, PolicyDocument } from './iam';
import { isRecord } from './model';
import { Input } from './protocol';
import { Store } from './state';

/**
 * What IAM checks for one request of the service: `profile:<Operation>` on every resource type
 * the Service Authorization Reference names for the action (models/iam-profile.json), and the KMS
 * key actions on a customer managed key the request names.
 */

const RESOURCE_TAG = 'aws:ResourceTag/${TagKey}';
const REQUEST_TAG = 'aws:RequestTag/${TagKey}';
const TAG_KEYS = 'aws:TagKeys';

/** ARN placeholders whose input member has another name. */
const MEMBER_OF_PLACEHOLDER: Record<string, string> = { RecommenderTypeName: 'RecommenderName' };

/** Members naming a customer managed key the service uses with the caller's credentials. */
const KEY_MEMBERS: Record<string, string> = { CreateDomain: 'DefaultEncryptionKey', UpdateDomain: 'DefaultEncryptionKey', PutDomainObjectType: 'EncryptionKey' };
const KMS_ACTIONS = ['GenerateDataKey', 'Decrypt', 'DescribeKey', 'CreateGrant'];

/** The authorizations one request needs, in the order IAM is asked. */
export function authorizationsFor(operation: string, input: Input, store: Store, data: IamData = loadIamData()): AuthorizationRequest[] {
  const spec = data.profile.actions[operation];
  if (!spec) throw new Error(`models/iam-profile.json has no action profile:${operation}: run scripts/extract-iam-data.mjs`);
  const action = `profile:${operation}`;
  const requestKeys = requestTagKeys(operation, input);
  const withKeys = (keys: readonly string[] | undefined) => ({
    ...(keys?.includes(REQUEST_TAG) ? requestKeys.tags : {}),
    ...(keys?.includes(TAG_KEYS) && requestKeys.keys ? { [TAG_KEYS]: requestKeys.keys } : {}),
  });
  const actionKeys = withKeys(spec.conditionKeys);
  const out: AuthorizationRequest[] = [];
  const resource = (arn: string, type: string | undefined, keys: Record<string, string | string[]>) =>
    out.push({ action, resource: arn, context: { ...actionKeys, ...keys, ...resourceTags(data.profile, type, arn, store) } });

  for (const rt of spec.resourceTypes) {
    const arn = buildArn(data.profile.resourceTypes[rt.name]?.arn, input, store);
    if (arn) resource(arn, rt.name, withKeys(rt.conditionKeys));
    else if (rt.required) throw new Error(`cannot build the ${rt.name} ARN of ${action} from its input`);
  }
  if (out.length === 0) {
    // Tag operations name their resource by ARN; actions without resource types authorize `*`.
    const arn = typeof input.resourceArn === 'string' ? input.resourceArn : '*';
    resource(arn, arn === '*' ? undefined : resourceTypeOf(data.profile, arn), {});
  }
  // Tags given on create are applied with TagResource, which the caller needs too (REFERENCE §4),
  // on the resource created: the one whose entry takes aws:RequestTag.
  const createdType = spec.resourceTypes.find((rt) => rt.conditionKeys?.includes(REQUEST_TAG));
  const created = createdType ? buildArn(data.profile.resourceTypes[createdType.name]?.arn, input, store) : undefined;
  if (created && requestKeys.keys) {
    const context = { ...requestKeys.tags, [TAG_KEYS]: requestKeys.keys, ...resourceTags(data.profile, createdType?.name, created, store) };
    out.push({ action: 'profile:TagResource', resource: created, context });
  }
  const keyMember = KEY_MEMBERS[operation];
  const key = keyMember ? input[keyMember] : undefined;
  if (typeof key === 'string' && key !== '') {
    const keyArn = keyArnOf(data.kms, key, store);
    for (const a of KMS_ACTIONS) out.push({ action: `kms:${a}`, resource: keyArn });
  }
  return out;
}

/** Throws the service's AccessDeniedException for the first authorization the policies do not allow. */
export function authorize(policies: readonly PolicyDocument[], principalArn: string, requests: readonly AuthorizationRequest[]): void {
  for (const request of requests) {
    const decision = evaluate(policies, request);
    if (decision !== 'allow') throw new ServiceError('AccessDeniedException', accessDeniedMessage(principalArn, request, decision));
  }
}

/** aws:RequestTag/<key> and aws:TagKeys from the tags a request sets (or, for UntagResource, removes). */
function requestTagKeys(operation: string, input: Input): { tags: Record<string, string>; keys?: string[] } {
  if (operation === 'UntagResource') {
    const keys = Array.isArray(input.tagKeys) ? input.tagKeys.map(String) : [];
    return { tags: {}, keys: keys.length > 0 ? keys : undefined };
  }
  const tags = operation === 'TagResource' ? input.tags : input.Tags;
  if (!isRecord(tags) || Object.keys(tags).length === 0) return { tags: {} };
  return {
    tags: Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, String(v)])),
    keys: Object.keys(tags),
  };
}

/** aws:ResourceTag/<key> of a resource that exists and whose type has the key. */
function resourceTags(service: IamServiceData, type: string | undefined, arn: string, store: Store): Record<string, string> {
  if (!type || !service.resourceTypes[type]?.conditionKeys?.includes(RESOURCE_TAG)) return {};
  const tags = store.tags.get(arn) ?? {};
  return Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));
}

/** The ARN of a resource type from the request's members, or undefined when one is missing. */
function buildArn(format: string | undefined, input: Input, store: Store): string | undefined {
  if (!format) return undefined;
  let complete = true;
  const arn = format.replace(/\$\{([A-Za-z]+)\}/g, (_, name: string) => {
    if (name === 'Partition') return 'aws';
    if (name === 'Region') return store.region;
    if (name === 'Account') return store.accountId;
    const value = input[MEMBER_OF_PLACEHOLDER[name] ?? name];
    if (typeof value === 'string' && value !== '') return value;
    complete = false;
    return '';
  });
  return complete ? arn : undefined;
}

function resourceTypeOf(service: IamServiceData, arn: string): string | undefined {
  return Object.entries(service.resourceTypes).find(([, rt]) => formatPattern(rt.arn).test(arn))?.[0];
}

function formatPattern(format: string): RegExp {
  const source = format.split(/(\$\{[A-Za-z]+\})/).map((part) =>
    (part.startsWith('${') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`);
}

/**
 * IAM authorizes KMS on the key's ARN. A key id is turned into one (the key is in the caller's
 * account and region); an alias names no key IAM could check, so only `*` covers it.
 */
function keyArnOf(kms: IamServiceData, key: string, store: Store): string {
  if (/^arn:[^:]+:kms:[^:]*:\d{12}:key\/.+$/.test(key)) return key;
  if (/^(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i.test(key)) {
    return buildArn(kms.resourceTypes.key.arn, { KeyId: key }, store) ?? '*';
  }
  return '*';
}
