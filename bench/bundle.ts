/**
 * Target 2 (handler cold start): the shipped bundle against a plain `esbuild --bundle --minify`
 * of a handler that imports the same client and the same commands, measured in the same run.
 * - size: bytes of each bundle;
 * - init: module initialisation (require + client construction) in a fresh Node process,
 *   median of interleaved runs.
 */
import { execFileSync } from 'child_process';
import { readdirSync, readFileSync, statSync } from 'fs';
import * as path from 'path';
import { buildSync } from 'esbuild';
import { interleave, machine, median, ROOT, RESULTS_DIR, writeResult } from './util';

const SHIPPED = path.join(ROOT, 'assets', 'handler', 'index.js');
const BASELINE = path.join(RESULTS_DIR, 'baseline-handler.js');

/** The SDK commands the real handler imports, read from its source so the baseline stays honest. */
function commandsUsedByHandler(): string[] {
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
    'export const createClient = () => new CustomerProfilesClient({});',
    'export const handler = async () => commands.length;',
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

/** Milliseconds to require the bundle and construct a client, in a fresh process. */
function initTime(file: string): number {
  const script = `
    const t = process.hrtime.bigint();
    const m = require(${JSON.stringify(file)});
    m.createClient();
    process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));`;
  const out = execFileSync(process.execPath, ['--no-warnings', '-e', script], {
    env: { ...process.env, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x' },
  });
  return Number(out.toString());
}

export async function benchBundle(rounds = 15) {
  const commands = commandsUsedByHandler();
  buildBaseline(commands);
  const shippedBytes = statSync(SHIPPED).size;
  const baselineBytes = statSync(BASELINE).size;
  const series = await interleave(rounds, 2, () => initTime(SHIPPED), () => initTime(BASELINE));
  const result = {
    machine: machine(),
    commands: commands.length,
    size: { shippedBytes, baselineBytes, ratio: shippedBytes / baselineBytes, target: 0.5 },
    init: { shippedMs: median(series.a), baselineMs: median(series.b), ratio: median(series.a) / median(series.b), target: 0.65, rounds },
  };
  writeResult('bundle', result);
  return result;
}

if (require.main === module) {
  void benchBundle().then((r) => {
    console.log(`bundle size: shipped ${(r.size.shippedBytes / 1024).toFixed(0)} KiB vs baseline ${(r.size.baselineBytes / 1024).toFixed(0)} KiB = ${r.size.ratio.toFixed(2)} (target <= ${r.size.target})`);
    console.log(`module init: shipped ${r.init.shippedMs.toFixed(1)} ms vs baseline ${r.init.baselineMs.toFixed(1)} ms = ${r.init.ratio.toFixed(2)} (target <= ${r.init.target})`);
  });
}
