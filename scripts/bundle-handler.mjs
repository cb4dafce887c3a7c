// Bundles the custom-resource handler (lambda/index.ts) into assets/handler/index.js.
// Run by the build (pre-compile) and before tests; the npm package ships the result,
// so a user's `cdk synth` never runs esbuild or Docker.
import { build } from 'esbuild';
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'assets', 'handler');
mkdirSync(outdir, { recursive: true });

await build({
  entryPoints: [join(root, 'lambda', 'index.ts')],
  outfile: join(outdir, 'index.js'),
  bundle: true,
  minify: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  // Prefer the ESM builds of the AWS SDK packages: they tree-shake far better.
  mainFields: ['module', 'main'],
  // The Customer Profiles client is bundled (pinned); the runtime's SDK may not know the new operations.
  external: [],
  // Lambda passes the role's credentials in environment variables: the full Node.js provider chain
  // (SSO, INI, IMDS, STS clients) is dead weight there. See lambda/shims/credential-provider-env-only.ts.
  alias: {
    '@aws-sdk/credential-provider-node': join(root, 'lambda', 'shims', 'credential-provider-env-only.ts'),
  },
  legalComments: 'none',
  logLevel: 'warning',
});
const size = statSync(join(outdir, 'index.js')).size;
console.log(`handler bundle: assets/handler/index.js ${(size / 1024).toFixed(1)} KiB`);
