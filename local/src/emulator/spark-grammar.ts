import { join } from 'node:path';

/**
 * The Spark SQL lexer and parser of dt-sql-parser (MIT), an ANTLR grammar adapted from Spark's own
 * SqlBaseParser.g4, with the antlr4ng runtime.
 *
 * Why a bundle: dt-sql-parser 4.x ships only ES modules written for bundlers (`import`/`export` in a
 * package without `"type": "module"`, extensionless relative imports), which neither Node's
 * `require` nor its ESM loader can load (ERR_UNSUPPORTED_DIR_IMPORT), and Jest refuses them too.
 * The build bundles the three modules needed here with esbuild, as a bundler would
 * (scripts/bundle-spark-grammar.mjs, run with the handler bundle before compiling and testing), into
 * one CommonJS file that the package ships. dt-sql-parser is therefore only a dev dependency, and the
 * package carries the Spark grammar alone (about 0.9 MB) instead of its 20 MB of dialects.
 */
const BUNDLE = join(__dirname, '..', '..', 'assets', 'spark-sql', 'index.js');

type ParserModule = typeof import('dt-sql-parser/dist/lib/spark/SparkSqlParser');
type LexerModule = typeof import('dt-sql-parser/dist/lib/spark/SparkSqlLexer');
export type Antlr = typeof import('antlr4ng', { with: { 'resolution-mode': 'import' } });

export interface SparkGrammar {
  readonly antlr: Antlr;
  readonly lexer: LexerModule;
  readonly parser: ParserModule;
}

let loaded: SparkGrammar | undefined;

/** The grammar, loaded on first use (about 0.1 s: the generated parser is large). */
export function sparkGrammar(): SparkGrammar {
  if (loaded) return loaded;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require(BUNDLE) as SparkGrammar;
  } catch (err) {
    throw new Error(`The emulator's Spark SQL grammar (${BUNDLE}) could not be loaded: run \`npx projen bundle:handler\` `
      + `(it builds the handler and the grammar bundles). ${err instanceof Error ? err.message : String(err)}`);
  }
  return loaded;
}
