#!/usr/bin/env node
// Compiles every ```ts block of the guides in docs/ with jsii-rosetta in strict mode, the way
// `jsii-rosetta extract --strict` checks the README and the doc comments of the assembly:
// same fixtures (rosetta/*.ts-fixture), same dependencies, same translators (Python, Java,
// C#, Go). A block that does not compile, or uses TypeScript the translators cannot express,
// fails the check. Blocks fenced as ```ts nofixture are complete programs; other blocks are
// placed in rosetta/default.ts-fixture (or the one named by `fixture=...`).
//
// Node-only blocks are skipped: those fenced as ```ts node-only, and those importing the local
// toolkit (`@cdk-customer-profiles/local`, a TypeScript package, not jsii) or a module of this
// package outside its jsii entry point (`@cdk-customer-profiles/constructs/lib/...`). Other languages
// cannot use that code, so rosetta cannot translate it; such blocks must be kept runnable by a jest
// test instead (local/test/deploy/docs-example.test.ts).
//
// Usage: node scripts/check-doc-examples.mjs [docs/a.md ...]   (default: every docs/*.md)
// Needs the compiled assembly (.jsii): run after `npx projen compile`.
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);

const { RosettaTranslator } = require('jsii-rosetta');
// Not part of the package's typed API, but stable across jsii-rosetta 5.x: the same loader
// `jsii-rosetta extract` uses, so that docs snippets get the README's fixtures and dependencies.
// The package's `exports` hide it, so it is required by file path.
const rosettaDir = path.dirname(require.resolve('jsii-rosetta/package.json'));
const { loadAssemblies, allTypeScriptSnippets } = require(path.join(rosettaDir, 'lib/jsii/assemblies.js'));

const files = process.argv.length > 2
  ? process.argv.slice(2)
  : fs.readdirSync('docs').filter((f) => f.endsWith('.md')).sort().map((f) => path.join('docs', f));

if (!fs.existsSync('.jsii')) {
  console.error('check-doc-examples: no .jsii assembly; run `npx projen compile` first');
  process.exit(2);
}
const [loaded] = loadAssemblies([root], false);

const NODE_ONLY_IMPORT = /from\s+['"]@cdk-customer-profiles\/(local['"/]|constructs\/lib\/)/;
const snippets = [];
const skipped = [];
const fileOf = new Map();
for (const file of files) {
  const markdown = fs.readFileSync(file, 'utf8');
  // The same assembly with this guide as its only documentation.
  const asm = { ...loaded, assembly: { ...loaded.assembly, readme: { markdown }, types: {}, submodules: {} } };
  for (const snippet of await allTypeScriptSnippets([asm], false)) {
    // Named after the guide, so that diagnostics say which file (rosetta names the snippet's
    // source `<moduleFqn>-README-L<line>.ts`).
    const location = { ...snippet.location, api: { api: 'moduleReadme', moduleFqn: path.basename(file, '.md') } };
    const strict = { ...snippet, location, strict: true };
    if (snippet.parameters?.['node-only'] !== undefined || NODE_ONLY_IMPORT.test(snippet.visibleSource)) {
      skipped.push(`${file}:${snippet.location.field?.line ?? '?'}`);
      continue;
    }
    snippets.push(strict);
    fileOf.set(strict, file);
  }
}

const counts = files.map((f) => `${f}: ${snippets.filter((s) => fileOf.get(s) === f).length}`);
console.log(`check-doc-examples: ${snippets.length} TypeScript blocks (${counts.join(', ')})`);
if (skipped.length > 0) {
  console.log(`check-doc-examples: skipped ${skipped.length} Node-only block(s), kept runnable by jest instead: ${skipped.join(', ')}`);
}
if (snippets.length === 0) process.exit(0);

const translator = new RosettaTranslator({ assemblies: [loaded.assembly], includeCompilerDiagnostics: true });
const result = await translator.translateAll(snippets, { addToTablet: false });

let errors = 0;
for (const d of result.diagnostics) {
  if (!d.isError) continue;
  errors++;
  console.error(d.formattedMessage);
}
if (errors > 0) {
  console.error(`check-doc-examples: ${errors} error(s); examples in docs/ must compile under jsii-rosetta strict`);
  process.exit(1);
}
console.log('check-doc-examples: all examples compile and translate');
