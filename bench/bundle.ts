/**
 * Target 5 (handler cold start): the shipped bundle against a plain `esbuild --bundle --minify`
 * of a handler that imports the same client and the same commands, measured in the same run.
 * - size: bytes of each bundle;
 * - init: in a fresh Node process, `require` of the bundle and its first real invocation: the
 *   Delete of a domain that does not exist, against the local emulator (one GetDomain answered
 *   404). The baseline's handler makes the same call with a client built the same way, so both
 *   pay module evaluation, client construction, signing and the first request alike. Interleaved,
 *   median.
 */
import { execFile } from 'child_process';
import { readdirSync, readFileSync, statSync } from 'fs';
import * as path from 'path';
import { promisify } from 'util';
import { buildSync } from 'esbuild';
import { interleave, machine, median, ROOT, RESULTS_DIR, writeResult } from './util';
import { Emulator } from '../local/src/emulator';
import { CONFIG_PROPERTY, ENDPOINT_ENV, ResourceTypes } from '../src/private/contract';

const SHIPPED = path.join(ROOT, 'assets', 'handler', 'index.js');
const BASELINE = path.join(RESULTS_DIR, 'baseline-handler.js');

export const BUNDLE_TARGETS = { size: 0.45, init: 0.5 } as const;

/** The SDK commands the real handler imports, read from its source so the baseline stays honest. */
export function commandsUsedByHandler(): string[] {
  const names = new Set<string>();
  const dir = path.join(ROOT, 'lambda');
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.ts')) continue;
    for (const m of readFileSync(path.join(dir, f), 'utf8').matchAll(/\b([A-Z][A-Za-z]+Command)\b/g)) names.add(m[1]);
  }
  return [...names].sort();
}

function buildBaseline(commands: string[]) {
  const contents = [
    `import { CustomerProfilesClient, ${commands.join(', ')} } from '@aws-sdk/client-customer-profiles';`,
    `const commands = [${commands.join(', ')}];`,
    // The same client options as lambda/client.ts, and the same call as the shipped handler's Delete of a missing domain.
    'export const handler = async (event) => {',
    `  const client = new CustomerProfilesClient({ region: process.env.AWS_REGION, endpoint: process.env.${ENDPOINT_ENV}, retryMode: 'adaptive', maxAttempts: 8 });`,
    '  try {',
    '    await client.send(new GetDomainCommand({ DomainName: event.PhysicalResourceId }));',
    '  } catch (e) {',
    "    if (e.name !== 'ResourceNotFoundException') throw e;",
    '  }',
    '  return { PhysicalResourceId: event.PhysicalResourceId, commands: commands.length };',
    '};',
  ].join('\n');
  buildSync({
    stdin: { contents, resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    minify: true,
    platform: 'node',
    outfile: BASELINE,
    logLevel: 'error',
  });
}

/** The Delete of a domain that does not exist, as the Provider framework hands it to the handler. */
function deleteOfMissingDomain(round: number) {
  const name = `bench-missing-${round}`;
  return {
    RequestType: 'Delete',
    ResourceType: ResourceTypes.DOMAIN,
    RequestId: `00000000-0000-4000-8000-${String(round).padStart(12, '0')}`,
    StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/Bench/0c9f7e60-0000-0000-0000-000000000000',
    LogicalResourceId: 'Customers',
    ResponseURL: 'https://cloudformation-custom-resource-response.invalid/',
    ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:provider-framework-onEvent',
    PhysicalResourceId: name,
    ResourceProperties: { ServiceToken: 'x', [CONFIG_PROPERTY]: JSON.stringify({ DomainName: name, DefaultExpirationDays: 365 }) },
  };
}

/**
 * Milliseconds from `require` of the bundle to the end of its first invocation, in a fresh process
 * (started asynchronously: the emulator answering it runs in this process).
 */
async function initTime(file: string, endpoint: string, round: number): Promise<number> {
  // stdout is set up before the clock starts, as the Lambda runtime has set up its own before it loads a handler
  // (the shipped handler logs a line per invocation; creating Node's stdout stream would be charged to it alone).
  const script = `
    process.stdout;
    const t = process.hrtime.bigint();
    const m = require(${JSON.stringify(file)});
    m.handler(JSON.parse(process.env.BENCH_EVENT)).then(() => {
      process.stdout.write('\\nBENCH_MS ' + String(Number(process.hrtime.bigint() - t) / 1e6) + '\\n');
    });`;
  const { stdout: out } = await promisify(execFile)(process.execPath, ['--no-warnings', '-e', script], {
    env: {
      ...process.env,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'x',
      AWS_SECRET_ACCESS_KEY: 'x',
      [ENDPOINT_ENV]: endpoint,
      BENCH_EVENT: JSON.stringify(deleteOfMissingDomain(round)),
    },
  });
  const m = /BENCH_MS ([0-9.]+)/.exec(out);
  if (!m) throw new Error(`no timing from ${path.basename(file)}: ${out.slice(-500)}`);
  return Number(m[1]);
}

export async function benchBundle(rounds = 15) {
  const commands = commandsUsedByHandler();
  buildBaseline(commands);
  const shippedBytes = statSync(SHIPPED).size;
  const baselineBytes = statSync(BASELINE).size;
  const emu = await Emulator.start({});
  let round = 0;
  try {
    const series = await interleave(rounds, 2,
      () => initTime(SHIPPED, emu.endpoint, round++),
      () => initTime(BASELINE, emu.endpoint, round++));
    const result = {
      machine: machine(),
      commands: commands.length,
      size: { shippedBytes, baselineBytes, ratio: shippedBytes / baselineBytes, target: BUNDLE_TARGETS.size },
      init: {
        shippedMs: median(series.a),
        baselineMs: median(series.b),
        // The median of the per-round ratios (the two ran back to back), as for the synth targets.
        ratio: median(series.a.map((a, i) => a / series.b[i])),
        target: BUNDLE_TARGETS.init,
        rounds,
        series: { shippedMs: series.a, baselineMs: series.b },
      },
    };
    writeResult('bundle', result);
    return result;
  } finally {
    await emu.stop();
  }
}

if (require.main === module) {
  void benchBundle(Number(process.argv[2] ?? 15)).then((r) => {
    console.log(`bundle size: shipped ${(r.size.shippedBytes / 1024).toFixed(0)} KiB vs baseline ${(r.size.baselineBytes / 1024).toFixed(0)} KiB = ${r.size.ratio.toFixed(2)} (target <= ${r.size.target})`);
    console.log(`init (require + first invocation): shipped ${r.init.shippedMs.toFixed(1)} ms vs baseline ${r.init.baselineMs.toFixed(1)} ms = ${r.init.ratio.toFixed(2)} (target <= ${r.init.target})`);
  });
}
