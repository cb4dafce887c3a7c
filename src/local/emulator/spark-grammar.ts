import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { compileFunction } from 'node:vm';

/**
 * The Spark SQL lexer and parser of dt-sql-parser (MIT), an ANTLR grammar adapted from Spark's own
 * SqlBaseParser.g4, loaded as CommonJS.
 *
 * Why a loader: dt-sql-parser 4.x ships only ES modules written for bundlers. Its `.js` files use
 * `import`/`export` in a package without `"type": "module"`, with extensionless relative imports
 * (`'../SQLParserBase'`), so neither Node's `require` nor its ESM loader can load them (Node answers
 * ERR_UNSUPPORTED_DIR_IMPORT), and Jest (CommonJS, ts-jest) refuses them too. We need only three
 * generated files (the lexer, the parser and their base class; not the package's index, which pulls
 * in code completion and antlr4-c3, itself ESM only), and each uses exactly two module forms:
 * `import * as antlr from "antlr4ng"` / `import { X } from '../Y'` and `export class`. Rewriting
 * those lines to `require` and `exports` and compiling the result works the same under Jest and in
 * the compiled lib/, without a build step. antlr4ng itself ships a CommonJS build and is required
 * from dt-sql-parser's own location, as its imports would be. Any other module syntax (a future
 * dt-sql-parser layout) fails loudly here rather than misparsing.
 */

type ParserModule = typeof import('dt-sql-parser/dist/lib/spark/SparkSqlParser');
type LexerModule = typeof import('dt-sql-parser/dist/lib/spark/SparkSqlLexer');
export type Antlr = typeof import('antlr4ng', { with: { 'resolution-mode': 'import' } });

export interface SparkGrammar {
  readonly antlr: Antlr;
  readonly lexer: LexerModule;
  readonly parser: ParserModule;
}

let loaded: SparkGrammar | undefined;

/** The grammar, compiled on first use (about 0.1 s: the generated parser is 1.4 MB of JavaScript). */
export function sparkGrammar(): SparkGrammar {
  if (loaded) return loaded;
  const libDir = join(dirname(require.resolve('dt-sql-parser/package.json')), 'dist', 'lib');
  const requireFromPackage = createRequire(join(libDir, 'index.js'));
  const antlr = requireFromPackage('antlr4ng') as Antlr;
  const modules = new Map<string, unknown>([['antlr4ng', antlr]]);
  modules.set('../SQLParserBase', loadModule(join(libDir, 'SQLParserBase.js'), modules));
  const lexer = loadModule(join(libDir, 'spark', 'SparkSqlLexer.js'), modules) as LexerModule;
  const parser = loadModule(join(libDir, 'spark', 'SparkSqlParser.js'), modules) as ParserModule;
  loaded = { antlr, lexer, parser };
  return loaded;
}

function loadModule(file: string, modules: ReadonlyMap<string, unknown>): Record<string, unknown> {
  const exported: string[] = [];
  const body = readFileSync(file, 'utf8')
    .replace(/^import \* as (\w+) from ["']([^"']+)["'];$/gm, (_, name: string, id: string) => `const ${name} = require(${JSON.stringify(id)});`)
    .replace(/^import \{ ([\w, ]+) \} from ["']([^"']+)["'];$/gm, (_, names: string, id: string) => `const { ${names} } = require(${JSON.stringify(id)});`)
    .replace(/^export class (\w+)/gm, (_, name: string) => {
      exported.push(name);
      return `class ${name}`;
    });
  if (/^\s*(import|export)\b/m.test(body)) {
    throw new Error(`${file} uses module syntax this loader does not rewrite; dt-sql-parser's layout changed (see src/local/emulator/spark-grammar.ts)`);
  }
  const exportsObject: Record<string, unknown> = {};
  const requireKnown = (id: string): unknown => {
    if (!modules.has(id)) throw new Error(`${file} imports ${id}, which src/local/emulator/spark-grammar.ts does not provide`);
    return modules.get(id);
  };
  const source = `${body}\n${exported.map((name) => `exports.${name} = ${name};`).join('\n')}`;
  compileFunction(source, ['exports', 'require'], { filename: file })(exportsObject, requireKnown);
  return exportsObject;
}
