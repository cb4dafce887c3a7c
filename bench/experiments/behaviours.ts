/**
 * Experiment (issue #18, target 3): what users' app-wide customizations do to the current provider
 * (src/private/provider.ts: cr.Provider, lambda.Function, iam.Role) and to the lean provider of
 * lean-floor.ts (L1 classes only). Prints, for each customization, what each template shows.
 * Run: `npx ts-node -r tsconfig-paths/register --project bench/tsconfig.json bench/experiments/behaviours.ts`
 * (the provider comes from src/ through bench/tsconfig.json's paths).
 */
import { App, Aspects, IAspect, IPropertyInjector, InjectionContext, PropertyInjectors, Stack, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { leanProvider } from './lean-floor';
import { CustomerProfilesProvider } from '../../src/private/provider';

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;
type Side = 'current' | 'lean';

const ENV = { account: '123456789012', region: 'us-east-1' };

/** Synthesizes a stack holding only one side's provider, after `before` customized the app and `onStack` the stack. */
interface SynthOptions {
  readonly env?: boolean;
  readonly context?: Record<string, unknown>;
  readonly before?: (app: App) => void;
  readonly onStack?: (stack: Stack) => void;
}

function synth(side: Side, options: SynthOptions = {}) {
  const app = new App({ context: options.context });
  options.before?.(app);
  const stack = new Stack(app, 'Bench', { env: options.env === false ? undefined : ENV });
  options.onStack?.(stack);
  if (side === 'current') CustomerProfilesProvider.of(stack);
  else leanProvider(stack);
  const template = app.synth().getStackByName('Bench').template as { Resources: Resources; Mappings?: unknown };
  return template;
}

const ofType = (t: { Resources: Resources }, type: string) => Object.values(t.Resources).filter((r) => r.Type === type);
const count = (t: { Resources: Resources }, type: string, has: (p: Record<string, unknown>) => boolean) => `${ofType(t, type).filter((r) => has(r.Properties ?? {})).length}/${ofType(t, type).length}`;

class TracingInjector implements IPropertyInjector {
  public readonly constructUniqueId = lambda.Function.PROPERTY_INJECTION_ID;
  public inject(props: lambda.FunctionProps, _context: InjectionContext): lambda.FunctionProps {
    return { ...props, tracing: lambda.Tracing.ACTIVE };
  }
}

class CountFunctions implements IAspect {
  public l2 = 0;
  public l1 = 0;
  public visit(node: IConstruct): void {
    if (node instanceof lambda.Function) this.l2++;
    if (node instanceof lambda.CfnFunction) this.l1++;
  }
}

const rows: Record<string, Record<Side, string>> = {};
const row = (name: string, f: (side: Side) => string) => {
  rows[name] = { current: f('current'), lean: f('lean') };
};

row('support resources (default)', (side) => {
  const t = synth(side);
  const types: Record<string, number> = {};
  for (const r of Object.values(t.Resources)) types[r.Type] = (types[r.Type] ?? 0) + 1;
  return JSON.stringify(types);
});
row('PropertyInjectors: lambda.Function tracing ACTIVE (functions with TracingConfig)', (side) =>
  count(synth(side, { before: (app) => PropertyInjectors.of(app).add(new TracingInjector()) }), 'AWS::Lambda::Function', (p) => p.TracingConfig !== undefined));
row('Aspect visiting constructs (lambda.Function / CfnFunction seen)', (side) => {
  const aspect = new CountFunctions();
  synth(side, { before: (app) => Aspects.of(app).add(aspect) });
  return `L2 ${aspect.l2}, L1 ${aspect.l1}`;
});
row('Tags.of(app).add (functions, roles, state machine tagged)', (side) => {
  const t = synth(side, { before: (app) => Tags.of(app).add('team', 'x') });
  const tagged = (type: string) => count(t, type, (p) => Array.isArray(p.Tags) && p.Tags.length > 0);
  return `functions ${tagged('AWS::Lambda::Function')}, roles ${tagged('AWS::IAM::Role')}, state machines ${tagged('AWS::StepFunctions::StateMachine')}`;
});
row('iam.PermissionsBoundary.of(stack).apply (roles with a boundary)', (side) =>
  count(synth(side, { onStack: (stack) => iam.PermissionsBoundary.of(stack).apply(iam.ManagedPolicy.fromManagedPolicyName(stack, 'B', 'boundary')) }), 'AWS::IAM::Role', (p) => p.PermissionsBoundary !== undefined));
row('context @aws-cdk/core:permissionsBoundary (roles with a boundary)', (side) =>
  count(synth(side, { context: { '@aws-cdk/core:permissionsBoundary': { name: 'boundary' } } }), 'AWS::IAM::Role', (p) => p.PermissionsBoundary !== undefined));
row('iam.Role.customizeRoles(app) (AWS::IAM::Role resources synthesized)', (side) => {
  try {
    const t = synth(side, { before: (app) => iam.Role.customizeRoles(app) });
    return `${ofType(t, 'AWS::IAM::Role').length} roles`;
  } catch (e) {
    return `synth fails: ${(e as Error).message.split('\n')[0].slice(0, 200)}`;
  }
});
row('context @aws-cdk/aws-lambda:useCdkManagedLogGroup (log groups)', (side) =>
  `${ofType(synth(side, { context: { '@aws-cdk/aws-lambda:useCdkManagedLogGroup': true } }), 'AWS::Logs::LogGroup').length} log groups`);
row('context @aws-cdk/aws-iam:minimizePolicies (statements in the policies)', (side) =>
  ofType(synth(side, { context: { '@aws-cdk/aws-iam:minimizePolicies': true } }), 'AWS::IAM::Policy')
    .map((p) => ((p.Properties?.PolicyDocument as { Statement: unknown[] }).Statement.length)).join('+'));
row('env-agnostic stack: framework functions\' Runtime, Mappings', (side) => {
  const t = synth(side, { env: false });
  const runtimes = [...new Set(ofType(t, 'AWS::Lambda::Function').map((f) => JSON.stringify(f.Properties?.Runtime)))];
  return `${runtimes.join(', ')}; Mappings: ${t.Mappings ? Object.keys(t.Mappings).join(',') : 'none'}`;
});

for (const [name, v] of Object.entries(rows)) {
  console.log(`${name}\n  current: ${v.current}\n  lean:    ${v.lean}`);
}
