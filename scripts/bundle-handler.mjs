// Bundles the custom-resource handler (lambda/index.ts) into assets/handler/index.js.
// Run by the build (pre-compile) and before tests; the npm package ships the result,
// so a user's `cdk synth` never runs esbuild or Docker.
// `node scripts/bundle-handler.mjs [--metafile=<file>]` (the metafile says what each input contributes).
// The build checks its own result (`verifySchemas`); test/lambda/bundle.test.ts runs it and its checks.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInThisContext } from 'node:vm';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'assets', 'handler');
const outfile = join(outdir, 'index.js');

/**
 * Two parts of the SDK that this handler can never run, left out of the bundle (23 KiB of 275,
 * issue #18's size target): Customer Profiles has no event-stream operation, so the smithy
 * protocol's on-demand event-stream codec is replaced by a module that throws if it is ever asked
 * for; and the client's whole package.json, imported for its version (the user agent), by that
 * version alone.
 * (Applied by `sdkTrims` below, with the source transforms that follow.)
 * And one cost at run time: the SDK's ESM builds load Node built-ins on first use with
 * `await import("node:http")`, which in this CommonJS bundle starts Node's ESM loader at the first
 * request to an http endpoint (the emulator, the local deploy engine): 12 to 18 ms in a profile of
 * a cold start. Their CommonJS builds use `require("node:http")` there, and so does this bundle.
 */
const BUILTIN_DYNAMIC_IMPORT = /\bimport\((["'])(node:[a-z_/]+)\1\)/g;

/**
 * The client's schemas. `dist-es/schemas/schemas_0.js` declares the shape of every operation of
 * the service (about 1,100 declarations), and esbuild kept them all (50 KiB of the bundle, all of
 * it top-level code that V8 compiles and runs at every cold start) although the handler sends 20
 * of the ~100 operations. The cause is neither CommonJS nor a side-effects flag but the shape of
 * the module: traits are object literals with computed keys naming the module's string constants
 * (`{ [_h]: ["GET", "/domains/{DomainName}", 200] }` with `const _h = "http"`), and a computed key
 * may run code (a `toString`), so esbuild cannot prove such a declaration pure and keeps it, and
 * all it refers to. (esbuild also keeps `64 | 0`, the flags of list members, unless it minifies.)
 *
 * The transform writes each such key as the string its constant holds (`{ "http": [...] }`), and
 * folds the integer flags (`64 | 0` is 64): the same values, since the constants are `const`
 * string literals. Then every declaration is pure, and esbuild's own tree shaking keeps exactly
 * what the bundled code reaches: the schemas of the imported commands, transitively, and the error
 * schemas, which the module registers at its top level. The reachable set comes from the
 * references, not from a list kept here, and `verifySchemas` checks the result against the SDK's
 * own build. The transform refuses a module that is not shaped as it expects (no string constant,
 * no computed key, a computed key that is not one of the constants, any other computed key).
 */
export const SCHEMAS_MODULE = /[\\/]@aws-sdk[\\/]client-customer-profiles[\\/]dist-es[\\/]schemas[\\/]schemas_0\.js$/;
const STRING_CONSTANT = /^const (_[A-Za-z0-9_]+) = ("[^"\\\n]*");$/gm;
const COMPUTED_KEY = /([{,]\s*)\[([A-Za-z_$][\w$]*)\]:/g;
const INTEGER_FLAGS = /([[,]\s*)(\d+) \| (\d+)(?=\s*[\],])/g;

export function pureSchemas(source, file = 'schemas_0.js') {
  const constants = new Map();
  for (const m of source.matchAll(STRING_CONSTANT)) constants.set(m[1], m[2]);
  let keys = 0;
  const unknown = new Set();
  const out = source
    .replace(COMPUTED_KEY, (all, before, name) => {
      const literal = constants.get(name);
      if (literal === undefined) {
        unknown.add(name);
        return all;
      }
      keys++;
      return `${before}${literal}:`;
    })
    .replace(INTEGER_FLAGS, (all, before, a, b) => `${before}${Number(a) | Number(b)}`);
  const problems = [];
  if (constants.size === 0) problems.push('no string constants (const _x = "...")');
  if (keys === 0) problems.push('no computed key naming one of them');
  if (unknown.size > 0) problems.push(`computed keys that are not string constants: ${[...unknown].join(', ')}`);
  const left = /\[[^\]"'\n]*\]\s*:/.exec(out.replace(STRING_CONSTANT, ''));
  if (left) problems.push(`a computed key left: ${left[0]}`);
  if (problems.length > 0) {
    throw new Error(`${file} is not shaped as scripts/bundle-handler.mjs expects (${problems.join('; ')}): review its schema transform for this SDK version`);
  }
  return out;
}

/**
 * Node built-ins that the first invocation loaded without needing them (measured with
 * `process.moduleLoadList`; test/lambda/bundle.test.ts keeps them out). Each edit below is an
 * exact text replacement: the build fails if its text is not found exactly once, or if its module
 * was not bundled at all (a new SDK version: review the edit).
 * - Node's web streams (about 1 ms at the first response): `typeof ReadableStream` reads a lazy
 *   global that loads them, and the SDK asks it of every response body it collects and, on an
 *   error, of the request body. The bodies here are Node streams, strings or bytes, none of which
 *   is a web ReadableStream, so those are answered first; any other value is asked as before.
 * - `node:fs/promises` (about 1 ms at load): the shared config file loader reads ~/.aws/config and
 *   ~/.aws/credentials with its `readFile(path, "utf8")`; the callback `fs.readFile` reads the
 *   same bytes and fails the same way (the loader ignores a missing file either way), without the
 *   promises API's module and what it loads in turn.
 */
const SDK_EDITS = [
  {
    file: /[\\/]@smithy[\\/]core[\\/]dist-es[\\/]submodules[\\/]serde[\\/]util-stream[\\/]stream-type-check\.js$/,
    from: 'export const isReadableStream = (stream) => typeof ReadableStream === "function" &&',
    to: 'import { Readable as NodeReadable } from "node:stream";\n'
      + 'export const isReadableStream = (stream) => !(stream instanceof NodeReadable && stream.constructor?.name !== "ReadableStream") && typeof ReadableStream === "function" &&',
  },
  {
    file: /[\\/]@smithy[\\/]core[\\/]dist-es[\\/]submodules[\\/]retry[\\/]middleware-retry[\\/]isStreamingPayload[\\/]isStreamingPayload\.js$/,
    from: '(typeof ReadableStream !== "undefined" && request?.body instanceof ReadableStream)',
    to: '(typeof request?.body === "object" && request.body !== null && !(request.body instanceof Uint8Array) && typeof ReadableStream !== "undefined" && request.body instanceof ReadableStream)',
  },
  {
    file: /[\\/]@smithy[\\/]core[\\/]dist-es[\\/]submodules[\\/]config[\\/]shared-ini-file-loader[\\/]readFile\.js$/,
    from: 'import { readFile as fsReadFile } from "node:fs/promises";',
    to: 'import { readFile as readFileCallback } from "node:fs";\n'
      + 'const fsReadFile = (path, encoding) => new Promise((resolve, reject) => readFileCallback(path, encoding, (error, data) => (error ? reject(error) : resolve(data))));',
  },
];
/** Built-ins the bundle must not load any more (another importer would undo an edit above). */
const UNWANTED_BUILTINS = ['node:fs/promises', 'fs/promises'];

function editExactly(source, edit, file) {
  const at = source.indexOf(edit.from);
  if (at < 0 || source.indexOf(edit.from, at + 1) >= 0) {
    throw new Error(`${file}: expected exactly one \`${edit.from}\` (scripts/bundle-handler.mjs SDK_EDITS): review the edit for this SDK version`);
  }
  return source.slice(0, at) + edit.to + source.slice(at + edit.from.length);
}

const SDK_DIST_ES = /[\\/]node_modules[\\/]@(smithy|aws-sdk|aws)[\\/].*[\\/]dist-es[\\/].*\.js$/;

/**
 * The SDK as this bundle takes it: the source transforms above (the schema transform is
 * `schemas`, a parameter for the test's sabotage), the event-stream codec and the package.json.
 * `missing()` names what a build never applied: a module moved in a new SDK version, which
 * would silently undo a trim.
 */
export function sdkTrims({ schemas = pureSchemas } = {}) {
  const applied = new Set();
  const missing = () => ['schemas', ...SDK_EDITS.map((e) => e.from)].filter((k) => !applied.has(k));
  const plugin = {
    name: 'sdk-trims',
    setup(b) {
      b.onLoad({ filter: SDK_DIST_ES }, (args) => {
        const original = readFileSync(args.path, 'utf8');
        let source = original;
        if (SCHEMAS_MODULE.test(args.path)) {
          source = schemas(source, args.path);
          applied.add('schemas');
        }
        for (const edit of SDK_EDITS) {
          if (!edit.file.test(args.path)) continue;
          source = editExactly(source, edit, args.path);
          applied.add(edit.from);
        }
        source = source.replace(BUILTIN_DYNAMIC_IMPORT, 'Promise.resolve(require("$2"))');
        return source === original ? undefined : { contents: source, loader: 'js', resolveDir: dirname(args.path) };
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
  return { plugin, missing };
}

/** esbuild's options for the handler and for the probe of `verifySchemas`. */
function bundleOptions(plugins) {
  return {
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
    plugins,
    legalComments: 'none',
    logLevel: 'warning',
  };
}

/**
 * A schema graph as a string: lazy references (`() => Shape$`) followed, object keys sorted,
 * shapes met again (shared or recursive) written as a reference to their first occurrence.
 * Returns the string and the number of distinct shapes (arrays and objects) in it.
 */
export function canonicalSchema(schema) {
  const seen = new Map();
  const walk = (value) => {
    if (typeof value === 'function') {
      // Arrow functions are lazy references; anything else (a class) is named, never called.
      return value.prototype === undefined ? walk(value()) : { $function: value.name };
    }
    if (value === null || typeof value !== 'object') return value;
    if (seen.has(value)) return { $seen: seen.get(value) };
    seen.set(value, seen.size);
    if (Array.isArray(value)) return value.map(walk);
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, walk(value[k])]));
  };
  const text = JSON.stringify(walk(schema));
  return { text, shapes: seen.size };
}

/**
 * Proves the schema transform harmless for these commands: bundles a probe with the handler's
 * options and plugins that takes each command's operation schema and the registered error schemas
 * from the trimmed client, and compares each, shape by shape and followed to the leaves, with the
 * SDK's own CommonJS build (not transformed, not bundled). A schema the trimming had dropped, or a
 * key or flag it had changed, is a difference, and the build fails.
 */
export async function verifySchemas(commands, { trims = sdkTrims() } = {}) {
  if (commands.length === 0) throw new Error('verifySchemas: no command to check');
  const probe = [
    `import { errorTypeRegistries, ${commands.join(', ')} } from '@aws-sdk/client-customer-profiles';`,
    `export const operations = { ${commands.map((c) => `${c}: new ${c}({}).schema`).join(', ')} };`,
    'export const errors = errorTypeRegistries.flatMap((r) => [...r.schemas.values()]);',
  ].join('\n');
  const result = await build({
    ...bundleOptions([trims.plugin]),
    stdin: { contents: probe, resolveDir: root, loader: 'js', sourcefile: 'schema-probe.js' },
    write: false,
  });
  const requireHere = createRequire(join(root, 'package.json'));
  const module = { exports: {} };
  runInThisContext(`(function (exports, require, module) {${result.outputFiles[0].text}\n})`, { filename: 'schema-probe.js' })(module.exports, requireHere, module);
  const trimmed = module.exports;
  const sdk = requireHere('@aws-sdk/client-customer-profiles');

  const differences = [];
  let shapes = 0;
  for (const command of commands) {
    const ours = canonicalSchema(trimmed.operations[command]);
    const theirs = canonicalSchema(new sdk[command]({}).schema);
    if (theirs.shapes < 2) differences.push(`${command}: the SDK's own schema is not a graph (${theirs.text.slice(0, 80)})`);
    else if (ours.text !== theirs.text) differences.push(`${command}: ${firstDifference(ours.text, theirs.text)}`);
    shapes += ours.shapes;
  }
  const errorSet = (list) => list.map((e) => canonicalSchema(e).text).sort().join('\n');
  const sdkErrors = sdk.errorTypeRegistries.flatMap((r) => [...r.schemas.values()]);
  if (errorSet(trimmed.errors) !== errorSet(sdkErrors)) {
    differences.push(`error schemas: ${firstDifference(errorSet(trimmed.errors), errorSet(sdkErrors))}`);
  }
  if (differences.length > 0) {
    throw new Error(`the bundled client's schemas differ from the SDK's (scripts/bundle-handler.mjs):\n  ${differences.join('\n  ')}`);
  }
  return { commands: commands.length, shapes, errors: sdkErrors.length };
}

function firstDifference(a, b) {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `bundled …${a.slice(Math.max(0, i - 60), i + 60)}… where the SDK has …${b.slice(Math.max(0, i - 60), i + 60)}…`;
}

/** The Customer Profiles commands in a metafile's output: what the shipped bundle can send. */
function bundledCommands(metafile) {
  const names = new Set();
  for (const [input, { bytesInOutput }] of Object.entries(Object.values(metafile.outputs)[0].inputs)) {
    const m = /@aws-sdk[\\/]client-customer-profiles[\\/]dist-es[\\/]commands[\\/]([A-Za-z]+Command)\.js$/.exec(input);
    if (m && bytesInOutput > 0) names.add(m[1]);
  }
  return [...names].sort();
}

async function main() {
  mkdirSync(outdir, { recursive: true });
  const trims = sdkTrims();
  const result = await build({
    ...bundleOptions([trims.plugin]),
    entryPoints: [join(root, 'lambda', 'index.ts')],
    outfile,
    metafile: true,
  });
  const metafileArg = process.argv.find((a) => a.startsWith('--metafile='));
  if (metafileArg) writeFileSync(metafileArg.slice('--metafile='.length), JSON.stringify(result.metafile));

  if (trims.missing().length > 0) {
    throw new Error(`scripts/bundle-handler.mjs: not applied (the SDK's modules moved?): ${trims.missing().join('; ')}`);
  }
  const text = readFileSync(outfile, 'utf8');
  for (const name of UNWANTED_BUILTINS) {
    if (text.includes(`require("${name}")`)) {
      throw new Error(`assets/handler/index.js requires ${name} again: another SDK module imports it (see SDK_EDITS in scripts/bundle-handler.mjs)`);
    }
  }
  const checked = await verifySchemas(bundledCommands(result.metafile));
  const size = statSync(outfile).size;
  console.log(`handler bundle: assets/handler/index.js ${(size / 1024).toFixed(1)} KiB; `
    + `schemas of its ${checked.commands} commands (${checked.shapes} shapes) and ${checked.errors} errors equal the SDK's own`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
