/**
 * The main job without an AWS account, as a platform team runs it: deploy the platform stack
 * (domain, object types, integration), let data arrive (a generated sample data set, put record
 * by record as the integration delivers it), deploy the personalization stack (recommenders,
 * segments), then check what a user would check. Everything runs with the local deploy engine on
 * the embedded Customer Profiles emulator. Run with `npm run demo`.
 */
import { CustomerProfilesClient, GetProfileRecommendationsCommand, GetSegmentMembershipCommand, SearchProfilesCommand } from '@aws-sdk/client-customer-profiles';
import { App } from 'aws-cdk-lib';
import { addExampleStacks } from './app';
import { EXAMPLE_DOMAIN_NAME } from './customer-data-stack';
import { HIGH_VALUE_SEGMENT } from './personalization-stack';
import { generateSampleData, ingestSampleData, sampleCustomerId } from './sample-data';
import { EngineEvent, formatEvent, LocalDeployment, stacksFromAssembly } from '../local/src/deploy';

/** How many times faster than real time the emulator's clock runs. */
const FAST = 600;

export interface DemoOptions {
  /** Where the demo's lines go. @default console.log */
  readonly log?: (line: string) => void;
  /** @default 600 */
  readonly fast?: number;
}

/** What the demo found, for its test. */
export interface DemoResult {
  readonly success: boolean;
  readonly stacks: Array<{ readonly stackName: string; readonly status: string }>;
  readonly recommenders: Record<string, string | undefined>;
  readonly recommendedItems: string[];
  readonly membership?: string;
  readonly wallSeconds: number;
}

export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const fast = options.fast ?? FAST;
  const started = Date.now();
  const app = new App();
  const { platform, personalization } = addExampleStacks(app, { account: '123456789012', region: 'us-east-1' });

  log('Synthesizing the example app (examples/app.ts): the platform stack and the personalization stack...');
  const stacks = stacksFromAssembly(app.synth());
  const stack = (name: string) => stacks.filter((s) => s.stackName === name);
  log(`Deploying on the local Customer Profiles emulator. Its clock runs ${fast}x faster than real time:`);
  log('a data store that takes 5 minutes to be ready, or a recommender that trains for 30 minutes, takes seconds here.');

  // Resources of other types get placeholder attributes: one line per stack instead of one per resource.
  const notEmulated = new Set<string>();
  const onEvent = (e: EngineEvent) => {
    if (e.kind === 'event' && e.reason?.startsWith('not emulated')) notEmulated.add(`${e.stackName}/${e.logicalId}`);
    else log(formatEvent(e));
  };
  const summarizeNotEmulated = () => {
    if (notEmulated.size > 0) log(`  ${notEmulated.size} resources of other types (roles, functions, queues, keys) not emulated: given placeholder attributes`);
    notEmulated.clear();
  };

  const local = await LocalDeployment.start({ fast, onEvent });
  const simulatedStart = local.emulator.clock.now();
  const client = new CustomerProfilesClient({
    endpoint: local.emulator.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDDEMO', secretAccessKey: 'demo' },
  });
  const results: Array<{ stackName: string; status: string }> = [];
  try {
    log(`\n1/3 The platform stack ${platform.stackName}: domain with data store, object types, integration`);
    const first = await local.deploy(stack(platform.stackName));
    summarizeNotEmulated();
    results.push(...first.stacks.map((s) => ({ stackName: s.stackName, status: s.status })));
    if (!first.success) return await finish(false);

    const records = generateSampleData();
    log(`\n2/3 Data arriving: ${records.length} generated records put with PutProfileObject, as the integration delivers them`);
    const ingestStarted = Date.now();
    const ingested = await ingestSampleData(client, EXAMPLE_DOMAIN_NAME, records);
    const counts = Object.entries(ingested.byObjectType).map(([type, n]) => `${n} ${type}`).join(', ');
    log(`  ${counts} in ${((Date.now() - ingestStarted) / 1000).toFixed(1)} s`);

    log(`\n3/3 The personalization stack ${personalization.stackName}: recommenders, SQL and classic segments, storefront function`);
    const second = await local.deploy(stack(personalization.stackName));
    summarizeNotEmulated();
    results.push(...second.stacks.map((s) => ({ stackName: s.stackName, status: s.status })));
    return await finish(second.success);
  } finally {
    client.destroy();
    await local.stop();
  }

  async function finish(success: boolean): Promise<DemoResult> {
    log('\nWhat a user would check');
    for (const s of results) log(`  stack ${s.stackName}: ${s.status}`);
    const domain = local.emulator.state.domain(EXAMPLE_DOMAIN_NAME) as
      { DataStore?: { Readiness?: { ProgressPercentage?: number } }; Stats?: { ProfileCount?: number; ObjectCount?: number } } | undefined;
    log(`  domain ${EXAMPLE_DOMAIN_NAME}: data store ${domain?.DataStore?.Readiness?.ProgressPercentage ?? '?'}% ready, `
      + `${domain?.Stats?.ProfileCount ?? 0} profiles, ${domain?.Stats?.ObjectCount ?? 0} objects`);
    const recommenders: Record<string, string | undefined> = {};
    for (const name of ['for-you', 'similar-items', 'trending-now']) {
      const rec = local.emulator.state.recommender(EXAMPLE_DOMAIN_NAME, name) as { Status?: string; FailureReason?: string } | undefined;
      recommenders[name] = rec?.Status;
      log(`  recommender ${name}: ${rec?.Status ?? 'missing'}${rec?.FailureReason ? ` (${rec.FailureReason})` : ''}`);
    }
    let recommendedItems: string[] = [];
    let membership: string | undefined;
    if (success) {
      const customers = [1, 2, 3].map(sampleCustomerId);
      const found = await client.send(new SearchProfilesCommand({ DomainName: EXAMPLE_DOMAIN_NAME, KeyName: '_account', Values: customers }));
      const profiles = customers.map((c) => found.Items?.find((p) => p.AccountNumber === c));
      const profileId = profiles[0]?.ProfileId ?? '';
      const answer = await client.send(new GetProfileRecommendationsCommand({
        DomainName: EXAMPLE_DOMAIN_NAME, RecommenderName: 'for-you', ProfileId: profileId, MaxResults: 3,
      }));
      recommendedItems = (answer.Recommendations ?? []).map((r) => r.CatalogItem?.Id ?? '?');
      const items = (answer.Recommendations ?? []).map((r) => `${r.CatalogItem?.Id} ${r.CatalogItem?.Name ?? ''} (score ${r.Score})`).join(', ');
      log(`  GetProfileRecommendations for-you, customer ${customers[0]} (profile ${profileId}): ${items || 'no items'}`);
      // One request for three customers, as the storefront asks for a page of them.
      const segment = await client.send(new GetSegmentMembershipCommand({
        DomainName: EXAMPLE_DOMAIN_NAME, SegmentDefinitionName: HIGH_VALUE_SEGMENT, ProfileIds: profiles.map((p) => p?.ProfileId ?? ''),
      }));
      const answers = profiles.map((p, i) => {
        const answered = segment.Profiles?.find((x) => x.ProfileId === p?.ProfileId);
        return `${customers[i]} (lifetime_value ${p?.Attributes?.lifetime_value}) ${answered?.QueryResult ?? 'not found'}`;
      });
      membership = segment.Profiles?.find((x) => x.ProfileId === profileId)?.QueryResult;
      log(`  GetSegmentMembership 'High value customers' (lifetime_value > 1000): ${answers.join(', ')}`);
    }
    const puts = local.emulator.requests.filter((r) => r.operation === 'PutProfileObject').length;
    const writes = local.emulator.requests.filter((r) => !/^(Get|List|Search|PutProfileObject$)/.test(r.operation)).length;
    const wallSeconds = (Date.now() - started) / 1000;
    log(`  Customer Profiles API calls: ${local.emulator.requests.length} (${puts} PutProfileObject, ${writes} other writes)`);
    log(`  simulated time: ${((local.emulator.clock.now() - simulatedStart) / 60_000).toFixed(1)} min; wall time: ${wallSeconds.toFixed(1)} s`);
    return { success, stacks: results, recommenders, recommendedItems, membership, wallSeconds };
  }
}

if (require.main === module) {
  runDemo().then((r) => { process.exitCode = r.success ? 0 : 1; }, (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  });
}
