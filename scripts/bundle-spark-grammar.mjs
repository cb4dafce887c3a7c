// Bundles dt-sql-parser's Spark SQL lexer and parser, with the antlr4ng runtime, into one CommonJS
// file, local/assets/spark-sql/index.js, which the emulator loads (local/src/emulator/spark-grammar.ts).
//
// Why a bundle: dt-sql-parser 4.x ships ES modules written for bundlers (`import`/`export` without
// `"type": "module"`, extensionless relative imports), which neither Node's require nor its ESM
// loader can load, and neither can Jest. esbuild resolves them as a bundler does. Bundling also
// keeps only the Spark grammar (the package's 20 MB hold a dozen dialects and code completion), so
// dt-sql-parser is a dev dependency and the package ships about 2 MB of it.
import { build } from 'esbuild';
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'local', 'assets', 'spark-sql');
mkdirSync(outdir, { recursive: true });

await build({
  stdin: {
    contents: [
      "export * as antlr from 'antlr4ng';",
      "export * as lexer from 'dt-sql-parser/dist/lib/spark/SparkSqlLexer';",
      "export * as parser from 'dt-sql-parser/dist/lib/spark/SparkSqlParser';",
    ].join('\n'),
    resolveDir: root,
    loader: 'js',
  },
  outfile: join(outdir, 'index.js'),
  bundle: true,
  minify: true,
  // sql.ts names a refused statement by its parse-tree class (`createTable`, `dmlStatement`): keep class names.
  keepNames: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  legalComments: 'eof',
  logLevel: 'warning',
});
const size = statSync(join(outdir, 'index.js')).size;
console.log(`Spark SQL grammar bundle: local/assets/spark-sql/index.js ${(size / 1024).toFixed(1)} KiB`);
