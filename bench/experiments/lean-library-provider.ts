/**
 * Experiment (issue #18, target 3): the library's own constructs on the lean provider, without
 * changing src/. The library finds its provider with `CustomerProfilesProvider.of(scope)`, which
 * returns whatever construct has the id `CustomerProfilesProvider` under the stack; this file puts
 * one there first: the lean floor's resources (lean-floor.ts) behind the members the constructs call
 * at commit 098605d (`addToPolicy`, `addChildStatements`, `createResource`, `role`, `handler`,
 * `serviceToken`), which behave as src/private/provider.ts's do (statements merged by actions,
 * children's statements once per domain and kind, the cdk-nag finding on the child wildcard).
 * whole-process.ts checks that its template is the library's.
 */
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { buildLeanProvider, LeanParts } from './lean-floor';
import { addLibraryResources } from '../stacks';

/* eslint-disable @typescript-eslint/no-require-imports, import/no-extraneous-dependencies */
const configProperties = () => require('@cdk-customer-profiles/constructs/lib/private/config-properties') as typeof import('@cdk-customer-profiles/constructs/lib/private/config-properties');
const iamModule = () => require('aws-cdk-lib/aws-iam') as typeof import('aws-cdk-lib/aws-iam');
/* eslint-enable @typescript-eslint/no-require-imports, import/no-extraneous-dependencies */

const CHILD_WILDCARD_SUPPRESSION = {
  id: 'AwsSolutions-IAM5',
  reason: 'The handler creates, updates and deletes the object types, recommenders and segment definitions of a domain this stack creates (it may delete the domain itself), so it is granted on all children of that kind in that domain: naming each would grow the policy with every child, past IAM\'s inline limit at about a hundred. Children of an imported domain are named exactly.',
  applies_to: [{ regex: '/^Resource::arn:<AWS::Partition>:profile:(<AWS::Region>|[a-z0-9-]+):(<AWS::AccountId>|[0-9]+):domains\\/[^/*]+\\/(domain-object-types|recommenders|segment-definitions)\\/\\*$/g' }],
};

/** The lean provider with the members the library's constructs use (see the file's comment). */
export class LeanLibraryProvider extends Construct {
  public readonly serviceToken: string;
  /** The handler role's construct (`Handler/ServiceRole`): what custom resources depend on, its policy included. */
  public readonly role: Construct;
  private readonly parts: LeanParts;
  private readonly statements: iam.PolicyStatement[] = [];
  private readonly statementsByActions = new Map<string, { statement: iam.PolicyStatement; resources: Set<string> }>();
  private readonly onceKeys = new Set<string>();
  private grantable?: iam.IRole;

  public constructor(stack: Stack) {
    super(stack, 'CustomerProfilesProvider');
    this.parts = buildLeanProvider(this, {}, () => this.statements.map((s) => s.toStatementJson() as object));
    this.serviceToken = this.parts.serviceToken;
    this.role = this.parts.handlerRole.node.scope as Construct;
  }

  /** For grants to the handler (a customer managed key's): its role, imported by ARN (statements go to the key's policy). */
  public get handler(): iam.IGrantable {
    this.grantable ??= iamModule().Role.fromRoleArn(this, 'HandlerRoleRef', this.parts.handlerRole.attrArn, { mutable: false });
    return this.grantable;
  }

  public addToPolicy(...statements: iam.PolicyStatement[]): void {
    for (const statement of statements) {
      const key = mergeKey(statement);
      const existing = key === undefined ? undefined : this.statementsByActions.get(key);
      if (existing) {
        const added = statement.resources.filter((arn) => !existing.resources.has(arn));
        added.forEach((arn) => existing.resources.add(arn));
        if (added.length > 0) existing.statement.addResources(...added);
        continue;
      }
      if (key !== undefined) this.statementsByActions.set(key, { statement, resources: new Set(statement.resources) });
      this.statements.push(statement);
    }
  }

  public addChildStatements(options: { readonly onceKey?: string; readonly build: () => iam.PolicyStatement[] }): void {
    if (options.onceKey !== undefined) {
      if (this.onceKeys.has(options.onceKey)) return;
      if (this.onceKeys.size === 0) {
        const policy = this.parts.handlerPolicy;
        const existing = (policy.getMetadata('cdk_nag') as { rules_to_suppress?: unknown[] } | undefined)?.rules_to_suppress ?? [];
        policy.addMetadata('cdk_nag', { rules_to_suppress: [...existing, CHILD_WILDCARD_SUPPRESSION] });
      }
      this.onceKeys.add(options.onceKey);
    }
    this.addToPolicy(...options.build());
  }

  public createResource(scope: Construct, id: string, resourceType: string, config: object, dependsOnRole = true): CfnResource {
    const resource = new CfnResource(scope, id, {
      type: resourceType,
      properties: { ServiceToken: this.serviceToken, ...configProperties().renderConfigProperties(config) },
    });
    if (dependsOnRole) resource.node.addDependency(this.role);
    return resource;
  }
}

/** src/private/provider.ts's merge key: sorted actions of a plain Allow statement with resources. */
function mergeKey(statement: iam.PolicyStatement): string | undefined {
  if (statement.effect !== 'Allow' || statement.sid !== undefined || statement.hasPrincipal
    || statement.notActions.length > 0 || statement.notResources.length > 0
    || Object.keys(statement.conditions).length > 0 || statement.resources.length === 0) {
    return undefined;
  }
  return [...statement.actions].sort().join(',');
}

/** bench/synth-stacks.ts's libraryStack, the lean provider put in first. */
export function leanLibraryStack(app: App, n: number): Stack {
  const stack = new Stack(app, 'Bench', { env: { account: '123456789012', region: 'us-east-1' } });
  new LeanLibraryProvider(stack);
  addLibraryResources(stack, n);
  return stack;
}
