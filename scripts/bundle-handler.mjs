// Bundles the custom-resource handler (lambda/index.ts) into assets/handler/index.js.
// Run by the build (pre-compile) and before tests; the npm package ships the result,
// so a user's `cdk synth` never runs esbuild or Docker.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'assets', 'handler');
mkdirSync(outdir, { recursive: true });

/**
 * Two parts of the SDK that this handler can never run, left out of the bundle (23 KiB of 275,
 * issue #18's size target): Customer Profiles has no event-stream operation, so the smithy
 * protocol's on-demand event-stream codec is replaced by a module that throws if it is ever asked
 * for; and the client's whole package.json, imported for its version (the user agent), by that
 * version alone.
 * And one cost at run time: the SDK's ESM builds load Node built-ins on first use with
 * `await import("node:http")`, which in this CommonJS bundle starts Node's ESM loader at the first
 * request to an http endpoint (the emulator, the local deploy engine): 12 to 18 ms in a profile of
 * a cold start. Their CommonJS builds use `require("node:http")` there, and so does this bundle.
 */
const BUILTIN_DYNAMIC_IMPORT = /\bimport\((["'])(node:[a-z_/]+)\1\)/g;
const sdkDeadWeight = {
  name: 'sdk-dead-weight',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]@(smithy|aws-sdk|aws)[\\/].*[\\/]dist-es[\\/].*\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!BUILTIN_DYNAMIC_IMPORT.test(source)) return undefined;
      BUILTIN_DYNAMIC_IMPORT.lastIndex = 0;
      return { contents: source.replace(BUILTIN_DYNAMIC_IMPORT, 'Promise.resolve(require("$2"))'), loader: 'js', resolveDir: dirname(args.path) };
    });
    b.onResolve({ filter: /^@smithy\/core\/event-streams$/ }, (args) => ({ path: args.path, namespace: 'no-event-streams' }));
    b.onLoad({ filter: /.*/, namespace: 'no-event-streams' }, () => ({
      contents: 'const unused = () => { throw new Error("event streams are not used by the Customer Profiles handler"); };\n'
        + 'export const EventStreamSerde = unused;\nexport const eventStreamSerdeProvider = unused;\n',
      loader: 'js',
    }));
    b.onLoad({ filter: /[\\/]@aws-sdk[\\/]client-customer-profiles[\\/]package\.json$/ }, (args) => ({
      contents: JSON.stringify({ version: JSON.parse(readFileSync(args.path, 'utf8')).version }),
      loader: 'json',
    }));
  },
};

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
  plugins: [sdkDeadWeight],
  legalComments: 'none',
  logLevel: 'warning',
});
const size = statSync(join(outdir, 'index.js')).size;
console.log(`handler bundle: assets/handler/index.js ${(size / 1024).toFixed(1)} KiB`);
