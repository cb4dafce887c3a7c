/**
 * Fixtures for the child-construct tests (object types, recommenders, segment definitions):
 * a stack with a domain (created or imported) and readers for the Config members (the resource's
 * properties) and the provider's policy.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DataStore } from '../../src/data-store';
import { Domain } from '../../src/domain';

export const ENV = { account: '111122223333', region: 'eu-west-1' };

/** A stack with a domain named `customers` created by the library's Domain construct. */
export function ownedDomainStack(dataStoreEnabled = true) {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: ENV });
  const domain = new Domain(stack, 'Customers', {
    domainName: 'customers',
    dataStore: dataStoreEnabled ? DataStore.enabled() : DataStore.disabled(),
  });
  return { app, stack, domain };
}

/** A stack with an imported domain named `imported`. */
export function importedDomainStack() {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: ENV });
  const domain = Domain.fromDomainName(stack, 'Imported', 'imported');
  return { app, stack, domain };
}

type Json = Record<string, any>;

/** Renders an intrinsic as a readable placeholder, e.g. `${Customers6955EA0A.DomainName}`. */
function placeholder(intrinsic: Json): string {
  if (intrinsic['Fn::GetAtt']) return `\${${intrinsic['Fn::GetAtt'].join('.')}}`;
  if (intrinsic.Ref) return `\${${intrinsic.Ref}}`;
  return `\${${Object.keys(intrinsic)[0]}}`;
}

const INTRINSIC = /^(Ref|Fn::[A-Za-z]+)$/;

/** A template value with every intrinsic as a placeholder string (an `Fn::Join` as the joined text). */
function readable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(readable);
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && INTRINSIC.test(keys[0])) {
    const join = (value as Json)['Fn::Join'];
    if (join && join[0] === '') {
      return (join[1] as unknown[]).map((part) => (typeof part === 'string' ? part : placeholder(part as Json))).join('');
    }
    return placeholder(value as Json);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, readable(v)]));
}

/**
 * The Config members of a custom resource's template properties (all but ServiceToken), with
 * intrinsics as readable placeholders. The legacy form (one `Config` JSON string) is parsed.
 */
export function parseConfig(properties: Json): Json {
  const { ServiceToken: _token, ...members } = properties;
  if (typeof members.Config === 'string') return JSON.parse(members.Config);
  return readable(members) as Json;
}

/** The logical ids and resources of one type. */
export function resourcesOf(template: Template, type: string): [string, Json][] {
  return Object.entries(template.findResources(type));
}

/** The parsed Config of the only resource of `type`. */
export function onlyConfig(template: Template, type: string): Json {
  const resources = resourcesOf(template, type);
  if (resources.length !== 1) throw new Error(`expected one ${type}, found ${resources.length}`);
  return parseConfig(resources[0][1].Properties);
}

/** Statements of the provider's shared policy. */
export function providerStatements(template: Template): Json[] {
  const policies = Object.entries(template.findResources('AWS::IAM::Policy')).filter(([id]) => id.startsWith('CustomerProfilesProviderHandlerServiceRoleDefaultPolicy'));
  if (policies.length !== 1) throw new Error(`expected the provider policy, found ${policies.length}`);
  return policies[0][1].Properties.PolicyDocument.Statement;
}

/** `arn:${AWS::Partition}:profile:eu-west-1:111122223333:<rest>` as CloudFormation renders it. */
export function profileArn(rest: string): Json {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:profile:eu-west-1:111122223333:${rest}`]] };
}

/** The provider's statements whose actions are exactly `actions` (in that order). */
export function statementsWithActions(statements: Json[], actions: string[]): Json[] {
  return statements.filter((st) => JSON.stringify(st.Action) === JSON.stringify(actions));
}

/**
 * The child statement for a domain of the stack's own: one statement with `actions` on all
 * children of `kind` in `domainName` and on the domain, however many children there are.
 */
export function expectPerKindStatement(statements: Json[], actions: string[], domainName: string, kind: string): void {
  expect(statementsWithActions(statements, actions)).toEqual([{
    Effect: 'Allow',
    Action: actions,
    Resource: [profileArn(`domains/${domainName}/${kind}/*`), profileArn(`domains/${domainName}`)],
  }]);
}

/**
 * The child statement for an imported domain: `actions` on each named child by its exact ARN
 * (the domain ARN after the first, as the statements merge).
 */
export function expectExactStatement(statements: Json[], actions: string[], domainName: string, kind: string, names: [string, ...string[]]): void {
  const [first, ...rest] = names;
  expect(statementsWithActions(statements, actions)).toEqual([{
    Effect: 'Allow',
    Action: actions,
    Resource: [
      profileArn(`domains/${domainName}/${kind}/${first}`),
      profileArn(`domains/${domainName}`),
      ...rest.map((n) => profileArn(`domains/${domainName}/${kind}/${n}`)),
    ],
  }]);
}
