import { notFound } from './errors';
import { OperationRegistry } from './registry';
import { Context } from './state';

/** Tags: TagResource, UntagResource, ListTagsForResource on any resource the emulator holds. */

const ARN = /^arn:[^:]+:profile:([^:]*):([^:]*):domains\/([^/]+)(?:\/([^/]+)\/([^/]+))?$/;

export function registerTagOperations(registry: OperationRegistry): void {
  registry.register<{ resourceArn: string; tags: Record<string, string> }>('TagResource', (input, ctx) => {
    const arn = requireResource(ctx, input.resourceArn);
    ctx.store.tags.set(arn, { ...(ctx.store.tags.get(arn) ?? {}), ...input.tags });
    return {};
  });

  registry.register<{ resourceArn: string; tagKeys: string[] }>('UntagResource', (input, ctx) => {
    const arn = requireResource(ctx, input.resourceArn);
    const tags = { ...(ctx.store.tags.get(arn) ?? {}) };
    for (const key of input.tagKeys) delete tags[key];
    if (Object.keys(tags).length > 0) ctx.store.tags.set(arn, tags);
    else ctx.store.tags.delete(arn);
    return {};
  });

  registry.register<{ resourceArn: string }>('ListTagsForResource', (input, ctx) => {
    const arn = requireResource(ctx, input.resourceArn);
    return { tags: ctx.store.tags.get(arn) ?? {} };
  });
}

/** The ARN when it names a resource that exists (with this emulator's region and account); otherwise ResourceNotFoundException. */
function requireResource(ctx: Context, arn: string): string {
  const m = ARN.exec(arn);
  const missing = notFound(`Resource ${arn} was not found`);
  if (!m) throw missing;
  const [, region, account, domainName, kind, name] = m;
  if (region !== ctx.store.region || account !== ctx.store.accountId) throw missing;
  const domain = ctx.store.domains.get(domainName);
  if (!domain) throw missing;
  if (kind === undefined) return arn;
  const found =
    kind === 'recommenders' ? domain.recommenders.has(name)
      : kind === 'segment-definitions' ? domain.segments.has(name)
        : kind === 'domain-object-types' ? domain.objectTypes.has(name)
          : false;
  if (!found) throw missing;
  return arn;
}
