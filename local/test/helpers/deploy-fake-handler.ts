import { CustomResourceHandler, CustomResourceRequest, IsCompleteRequest, IsCompleteResult, OnEventResult } from '../../src/deploy/provider-runtime';
import { CfnTemplate } from '../../src/deploy/template';

/**
 * A fake custom-resource handler for engine tests: it keeps "resources" in a map, names them from
 * the `Name` property (physical id = Name, so changing Name is a replacement), and can be told to
 * fail, to need several isComplete polls, to return extra Data, or to omit the physical id.
 */
export interface FakeCall {
  readonly kind: 'onEvent' | 'isComplete';
  readonly requestType: string;
  readonly logicalId: string;
  readonly physicalId?: string;
  readonly properties: Record<string, unknown>;
  readonly oldProperties?: Record<string, unknown>;
  readonly at: number;
}

export interface FakeBehaviour {
  /** onEvent throws for this logical id and request type ('Create' | 'Update' | 'Delete'). */
  failOnEvent?: { logicalId: string; requestType: string; message?: string };
  /** isComplete throws for this logical id. */
  failIsComplete?: { logicalId: string; message?: string };
  /** isComplete returns false this many times before true. */
  polls?: number;
  /** onEvent takes this long (ms), to observe parallelism. */
  latencyMs?: number;
  /** onEvent returns no PhysicalResourceId (framework defaults apply). */
  omitPhysicalId?: boolean;
  /** Extra Data returned by isComplete. */
  completeData?: Record<string, unknown>;
  /** isComplete never completes. */
  neverComplete?: boolean;
}

export class FakeHandler implements CustomResourceHandler {
  public readonly calls: FakeCall[] = [];
  /** physical id -> properties, what "exists". */
  public readonly live = new Map<string, Record<string, unknown>>();
  public behaviour: FakeBehaviour = {};
  private readonly pollCount = new Map<string, number>();
  private inFlight = 0;
  public maxInFlight = 0;

  public async onEvent(event: CustomResourceRequest): Promise<OnEventResult | undefined> {
    this.record('onEvent', event);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.behaviour.latencyMs) {
        await new Promise((r) => setTimeout(r, this.behaviour.latencyMs));
      }
      const fail = this.behaviour.failOnEvent;
      if (fail && fail.logicalId === event.LogicalResourceId && fail.requestType === event.RequestType) {
        throw new Error(fail.message ?? `${event.RequestType} of ${event.LogicalResourceId} failed`);
      }
      const name = String(event.ResourceProperties.Name ?? event.LogicalResourceId);
      switch (event.RequestType) {
        case 'Create':
          this.live.set(name, event.ResourceProperties);
          return this.behaviour.omitPhysicalId ? { Data: { Name: name } } : { PhysicalResourceId: name, Data: { Name: name, Arn: `arn:fake:${name}` } };
        case 'Update':
          this.live.set(name, event.ResourceProperties);
          return this.behaviour.omitPhysicalId ? {} : { PhysicalResourceId: name, Data: { Name: name, Arn: `arn:fake:${name}` } };
        case 'Delete':
          this.live.delete(event.PhysicalResourceId ?? '');
          return { PhysicalResourceId: event.PhysicalResourceId };
      }
      return undefined;
    } finally {
      this.inFlight -= 1;
    }
  }

  public async isComplete(event: IsCompleteRequest): Promise<IsCompleteResult> {
    this.record('isComplete', event);
    const fail = this.behaviour.failIsComplete;
    if (fail && fail.logicalId === event.LogicalResourceId && event.RequestType !== 'Delete') {
      throw new Error(fail.message ?? `${event.LogicalResourceId} became FAILED`);
    }
    if (this.behaviour.neverComplete) {
      return { IsComplete: false };
    }
    const key = `${event.RequestId}`;
    const count = (this.pollCount.get(key) ?? 0) + 1;
    this.pollCount.set(key, count);
    if (count <= (this.behaviour.polls ?? 0)) {
      return { IsComplete: false };
    }
    return { IsComplete: true, Data: this.behaviour.completeData ?? {} };
  }

  /** onEvent calls as `<RequestType> <LogicalId>` in order. */
  public get log(): string[] {
    return this.calls.filter((c) => c.kind === 'onEvent').map((c) => `${c.requestType} ${c.logicalId}`);
  }

  private record(kind: 'onEvent' | 'isComplete', event: CustomResourceRequest): void {
    this.calls.push({
      kind,
      requestType: event.RequestType,
      logicalId: event.LogicalResourceId,
      physicalId: event.PhysicalResourceId,
      properties: event.ResourceProperties,
      oldProperties: event.OldResourceProperties,
      at: Date.now(),
    });
  }
}

/** Our custom resource type used in hand-written templates. */
export const DOMAIN_TYPE = 'Custom::CustomerProfilesDomain';
export const OBJECT_TYPE = 'Custom::CustomerProfilesDomainObjectType';
export const RECOMMENDER_TYPE = 'Custom::CustomerProfilesRecommender';

/** A ServiceToken as CDK writes it: GetAtt of the framework's onEvent function. */
export const SERVICE_TOKEN = { 'Fn::GetAtt': ['ProviderframeworkonEvent', 'Arn'] };

/** A template with the provider's function (not emulated) and the given custom resources. */
export interface ResourceSpec {
  Type?: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

export function template(resources: Record<string, ResourceSpec>, extra: Partial<CfnTemplate> = {}): CfnTemplate {
  const out: Record<string, unknown> = {
    ProviderframeworkonEvent: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'nodejs22.x' } },
  };
  for (const [id, def] of Object.entries(resources)) {
    out[id] = {
      Type: def.Type ?? DOMAIN_TYPE,
      ...def,
      Properties: def.Type && !def.Type.startsWith('Custom::') ? def.Properties : { ServiceToken: SERVICE_TOKEN, ...def.Properties },
    };
  }
  return { Resources: out, ...extra } as CfnTemplate;
}
