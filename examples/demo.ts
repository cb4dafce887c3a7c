/**
 * The main job without an AWS account: synthesizes the example customer-data stack and deploys
 * it with the local deploy engine on the embedded Customer Profiles emulator, printing stack
 * events, readiness progress and a summary. Run with `npm run demo`.
 */
import { App } from 'aws-cdk-lib';
import { CustomerDataStack } from './customer-data-stack';
import { formatEvent, LocalDeployment } from '../src/local/deploy';

/** How many times faster than real time the emulator's clock runs. */
const FAST = 600;

async function main(): Promise<number> {
  const started = Date.now();
  const app = new App();
  new CustomerDataStack(app, 'CustomerData', { env: { account: '123456789012', region: 'us-east-1' } });

  console.log('Synthesizing the example customer-data stack (examples/customer-data-stack.ts)...');
  const assembly = app.synth();
  console.log(`Deploying on the local Customer Profiles emulator. Its clock runs ${FAST}x faster than real time:`);
  console.log('a data store that takes 5 minutes to be ready, or a recommender that trains for 30 minutes, takes seconds here.\n');

  const local = await LocalDeployment.start({ fast: FAST, onEvent: (e) => console.log(formatEvent(e)) });
  const simulatedStart = local.emulator.clock.now();
  try {
    const result = await local.deploy(assembly);
    const simulatedMinutes = (local.emulator.clock.now() - simulatedStart) / 60_000;
    const wallSeconds = (Date.now() - started) / 1000;

    console.log('\nSummary');
    for (const stack of result.stacks) {
      console.log(`  stack ${stack.stackName}: ${stack.status}${stack.reason ? ` (${stack.reason})` : ''}`);
    }
    const domain = local.emulator.state.domain('retail-customers') as { DataStore?: { Readiness?: { ProgressPercentage?: number } } } | undefined;
    console.log(`  domain retail-customers: data store ${domain?.DataStore?.Readiness?.ProgressPercentage ?? '?'}% ready`);
    for (const name of ['for-you', 'similar-items', 'trending-now']) {
      const rec = local.emulator.state.recommender('retail-customers', name) as { Status?: string } | undefined;
      console.log(`  recommender ${name}: ${rec?.Status ?? 'missing'}`);
    }
    const writes = local.emulator.requests.filter((r) => !/^(Get|List)/.test(r.operation)).length;
    console.log(`  Customer Profiles API calls: ${local.emulator.requests.length} (${writes} writes)`);
    console.log(`  simulated time: ${simulatedMinutes.toFixed(1)} min; wall time: ${wallSeconds.toFixed(1)} s`);
    return result.success ? 0 : 1;
  } finally {
    await local.stop();
  }
}

main().then((code) => { process.exitCode = code; }, (err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
