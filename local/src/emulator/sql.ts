import type { ANTLRErrorListener, ParserRuleContext, Token } from 'antlr4ng' with { 'resolution-mode': 'import' };
import type {
  BooleanExpressionContext, ConstantContext, IdentifierContext, PredicateContext, PrimaryExpressionContext,
  ProgramContext, QueryContext, StringLitContext, ValueExpressionContext,
} from 'dt-sql-parser/dist/lib/spark/SparkSqlParser';
import { badRequest } from './errors';
import { isRecord } from './model';
import { SparkGrammar, sparkGrammar } from './spark-grammar';

/**
 * Segment SQL. The service runs it on Spark SQL over the data store ("SQL (Beta) segments", Amazon
 * Connect admin guide), so it is parsed with a Spark grammar (dt-sql-parser's, adapted from Spark's
 * SqlBaseParser.g4): Spark forms such as `Attributes['tier']`, `INTERVAL 30 DAYS` and
 * `date_sub(current_date(), 30)` parse; MySQL forms such as `LIMIT 10, 20` and `#` comments do not.
 * It must be exactly one query (SELECT, WITH ... SELECT, or another Spark query form). Table and
 * column names are not checked: no public reference of them exists.
 *
 * Estimates and memberships evaluate the WHERE clause of a query that is one SELECT from one table
 * (no WITH, join, set operation, GROUP BY, HAVING or LIMIT) against seeded profiles, with SQL's
 * three-valued logic: comparisons (= == != <> < <= > >= <=>), AND / OR / NOT, [NOT] IN (list), [NOT] BETWEEN,
 * [NOT] LIKE / ILIKE (without ESCAPE), IS [NOT] NULL / TRUE / FALSE / UNKNOWN, over string, number,
 * boolean and NULL literals and columns written `_profile.Attributes.x`, `Attributes.x`, `x` (also
 * looked up among Attributes), `Attributes['x']` or `_profile.Attributes['x']`. Anything else
 * (functions, arithmetic, intervals, subqueries, RLIKE, ...) counts every profile: the
 * estimate is only a sample.
 */

/** The parsed query; a BadRequestException naming the position and a reason (never any text of the SQL) when it is refused. */
export function parseSegmentSql(sql: string): SegmentQuery {
  const grammar = sparkGrammar();
  const program = parse(grammar, sql);
  const statements = program.singleStatement();
  if (statements.length !== 1) {
    throw badRequest(`SegmentSqlQuery must be a single SELECT statement (one Spark SQL query); found ${statements.length} statements`);
  }
  const statement = statements[0].statement();
  if (!(statement instanceof grammar.parser.StatementDefaultContext)) {
    throw badRequest(`SegmentSqlQuery must be a single SELECT statement (one Spark SQL query); found a ${ruleName(statement)} statement`);
  }
  return new SegmentQuery(grammar, statement.query());
}

class SqlSyntaxError extends Error {
  constructor(readonly line: number, readonly column: number, readonly reason: string) {
    super(reason);
  }
}

/**
 * Spark's own two-stage parse: the fast SLL prediction first, and only if it fails the full LL
 * prediction, whose first error is the one reported (SLL can fail on valid input).
 */
function parse(grammar: SparkGrammar, sql: string): ProgramContext {
  const { antlr } = grammar;
  const attempt = (mode: number, strategy: InstanceType<Antlr['DefaultErrorStrategy']>): ProgramContext => {
    const lexer = new grammar.lexer.SparkSqlLexer(antlr.CharStreams.fromString(sql));
    const parser = new grammar.parser.SparkSqlParser(new antlr.CommonTokenStream(lexer));
    const listener = firstErrorThrower(parser);
    lexer.removeErrorListeners();
    lexer.addErrorListener(listener);
    parser.removeErrorListeners();
    parser.addErrorListener(listener);
    parser.interpreter.predictionMode = mode;
    parser.errorHandler = strategy;
    const program = parser.program();
    if (lexer.has_unclosed_bracketed_comment) {
      const last = parser.tokenStream.get(Math.max(0, parser.tokenStream.size - 1));
      throw new SqlSyntaxError(last.line, last.column + 1, 'Found an unclosed /* comment');
    }
    return program;
  };
  try {
    return attempt(antlr.PredictionMode.SLL, new antlr.BailErrorStrategy());
  } catch (err) {
    if (!(err instanceof antlr.ParseCancellationException) && !(err instanceof SqlSyntaxError)) throw err;
  }
  try {
    return attempt(antlr.PredictionMode.LL, new antlr.DefaultErrorStrategy());
  } catch (err) {
    if (err instanceof SqlSyntaxError) {
      throw badRequest(`SegmentSqlQuery is not valid SQL (line ${err.line}, column ${err.column}): ${err.reason}. Segment SQL is Spark SQL.`);
    }
    throw err;
  }
}

type Antlr = SparkGrammar['antlr'];

/**
 * ANTLR's messages quote the query ("no viable alternative at input 'Attributes.email = ...'"),
 * and the SQL is customer data: the reason is rebuilt from token types and the grammar's
 * vocabulary only. Keywords are not named either: a non-reserved keyword may be a column name.
 */
function firstErrorThrower(parser: InstanceType<SparkGrammar['parser']['SparkSqlParser']>): ANTLRErrorListener {
  const vocabulary = parser.vocabulary;
  const operators: Record<string, string> = { EQ: "'='", LTE: "'<='", GTE: "'>='" }; // tokens with two spellings
  const display = (type: number): string => operators[vocabulary.getSymbolicName(type) ?? ''] ?? vocabulary.getDisplayName(type);
  const describe = (token: Token | null): string => {
    const symbolic = token ? vocabulary.getSymbolicName(token.type) ?? '' : 'UNRECOGNIZED';
    if (token?.type === -1) return 'end of input';
    if (symbolic.startsWith('KW_') || symbolic.endsWith('IDENTIFIER')) return 'a name or keyword';
    if (symbolic === 'UNRECOGNIZED') return 'a character Spark SQL does not recognize (or an unterminated string)';
    if (symbolic.includes('STRING')) return 'a string';
    if (/_(LITERAL|VALUE)$/.test(symbolic)) return 'a number';
    return display(token!.type); // punctuation and operators: fixed text of the grammar
  };
  const expected = (recognizer: unknown): string => {
    if (recognizer !== parser) return 'Expected a token';
    const set = parser.getExpectedTokens().toArray();
    if (set.length === 0 || set.length > 8) return `Expected one of ${set.length} tokens`;
    return `Expected ${set.map(display).join(', ')}`;
  };
  return {
    syntaxError: (recognizer, offendingSymbol, line, charPositionInLine) => {
      const token = offendingSymbol && typeof offendingSymbol === 'object' && 'type' in offendingSymbol ? offendingSymbol as Token : null;
      throw new SqlSyntaxError(line, charPositionInLine + 1, `${expected(recognizer)}, found ${describe(token)}`);
    },
    reportAmbiguity: () => undefined,
    reportAttemptingFullContext: () => undefined,
    reportContextSensitivity: () => undefined,
  };
}

/** `createTable` for a CreateTableContext: a grammar rule name, which holds nothing of the query. */
function ruleName(ctx: ParserRuleContext): string {
  const name = ctx.constructor.name.replace(/Context$/, '');
  return name.charAt(0).toLowerCase() + name.slice(1);
}

class Unsupported extends Error {}

/** A SQL value: NULL (and a missing attribute) is null; a WHERE clause keeps a row only when it is true. */
type Value = string | number | boolean | null | Record<string, unknown>;

export class SegmentQuery {
  private readonly where: BooleanExpressionContext | null | undefined;

  constructor(private readonly grammar: SparkGrammar, query: QueryContext) {
    this.where = simpleWhere(grammar, query);
  }

  /** Whether the profile matches the WHERE clause; undefined when the query is beyond this evaluator. */
  public matches(profile: Record<string, unknown>): boolean | undefined {
    if (this.where === undefined) return undefined;
    if (this.where === null) return true;
    try {
      const result = new Evaluator(this.grammar, profile).boolean(this.where);
      return result === true;
    } catch (err) {
      if (err instanceof Unsupported) return undefined;
      throw err;
    }
  }

  /** Profiles the query selects; every profile when the query cannot be evaluated. */
  public filter<T extends Record<string, unknown>>(profiles: T[]): T[] {
    const results = profiles.map((p) => this.matches(p));
    if (results.some((r) => r === undefined)) return profiles;
    return profiles.filter((_, i) => results[i]);
  }
}

/** The WHERE clause (null: none) of a query that is one plain SELECT; undefined for anything else. */
function simpleWhere(grammar: SparkGrammar, query: QueryContext): BooleanExpressionContext | null | undefined {
  if (!(query instanceof grammar.parser.QueryStatementContext) || query.ctes()) return undefined;
  const organization = query.queryOrganization();
  if (organization.limitClause() || organization._offset) return undefined;
  const spec = query.queryTerm().queryPrimary()?.querySpecification();
  if (!spec || !spec.selectClause() || spec.aggregationClause() || spec.havingClause() || spec.lateralView().length > 0) return undefined;
  const relations = spec.fromClause()?.relation() ?? [];
  if (relations.length !== 1 || !relations[0].tableName()) return undefined; // joins, subqueries, several tables
  return spec.whereClause()?.booleanExpression() ?? null;
}

class Evaluator {
  constructor(private readonly grammar: SparkGrammar, private readonly profile: Record<string, unknown>) {}

  public boolean(ctx: BooleanExpressionContext): boolean | null {
    if (ctx.KW_NOT() || ctx.NOT()) return not(this.boolean(ctx.booleanExpression(0)!));
    if (ctx.KW_AND()) return and(this.boolean(ctx._left!), this.boolean(ctx._right!));
    if (ctx.KW_OR()) return not(and(not(this.boolean(ctx._left!)), not(this.boolean(ctx._right!))));
    const valueCtx = ctx.valueExpression();
    if (!valueCtx) throw new Unsupported(); // EXISTS (subquery)
    const value = this.value(valueCtx);
    const predicate = ctx.predicate();
    if (!predicate) return asBoolean(value);
    return predicate.KW_NOT() && !predicate.KW_IS() ? not(this.predicate(value, predicate)) : this.predicate(value, predicate);
  }

  /** The predicate without its leading NOT (IS NOT is handled here: it never yields NULL). */
  private predicate(value: Value, ctx: PredicateContext): boolean | null {
    if (ctx.KW_BETWEEN()) {
      return and(comparison('>=', value, this.value(ctx._lower!)), comparison('<=', value, this.value(ctx._upper!)));
    }
    if (ctx.KW_IN() && !ctx.query()) {
      const items = ctx.expression().map((e) => this.value(e.booleanExpression()));
      if (value === null) return null;
      if (items.some((item) => comparison('=', value, item) === true)) return true;
      return items.some((item) => item === null) ? null : false;
    }
    if ((ctx.KW_LIKE() || ctx.KW_ILIKE()) && !ctx._quantifier && !ctx.KW_ESCAPE()) {
      const pattern = this.value(ctx._pattern!);
      if (value === null || pattern === null) return null;
      if (typeof pattern !== 'string' || isRecord(value)) throw new Unsupported();
      return like(String(value), pattern, ctx.KW_ILIKE() !== null);
    }
    if (ctx.KW_IS() && !ctx.KW_DISTINCT()) {
      const is = ctx.KW_NULL() ? value === null
        : ctx.KW_UNKNOWN() ? asBoolean(value) === null
          : asBoolean(value) === (ctx.KW_TRUE() !== null);
      return ctx.KW_NOT() ? !is : is;
    }
    throw new Unsupported();
  }

  private value(ctx: ValueExpressionContext | BooleanExpressionContext): Value {
    if (ctx instanceof this.grammar.parser.BooleanExpressionContext) {
      // A parenthesized or listed expression: a plain value unless it is a condition.
      const inner = ctx.valueExpression();
      return inner && !ctx.predicate() && ctx.getChildCount() === 1 ? this.value(inner) : this.boolean(ctx);
    }
    const comparisonOperator = ctx.comparisonOperator();
    if (comparisonOperator) return comparison(comparisonOperator.getText(), this.value(ctx._left!), this.value(ctx._right!));
    const primary = ctx.primaryExpression();
    if (primary && ctx.getChildCount() === 1) return this.primary(primary);
    throw new Unsupported(); // arithmetic, unary and bitwise operators
  }

  private primary(ctx: PrimaryExpressionContext): Value {
    const constant = ctx.constant();
    if (constant) return literal(constant);
    const path = ctx.columnNamePath();
    if (path) return this.column(path.multipartIdentifier().errorCapturingIdentifier().map(identifierText));
    if (ctx._value && ctx._index) return field(this.primary(ctx._value), this.value(ctx._index));
    if (ctx._base && ctx._fieldName) return field(this.primary(ctx._base), identifierText(ctx._fieldName));
    const inner = ctx.expression();
    if (inner.length === 1 && ctx.getChildCount() === 3 && ctx.LEFT_PAREN().length === 1) return this.value(inner[0].booleanExpression());
    throw new Unsupported(); // functions, CASE, CAST, subqueries, ...
  }

  /** `_profile.Attributes.tier`, `Attributes.tier` or `tier` (looked up among Attributes too). */
  private column(parts: string[]): Value {
    if (parts.length > 1 && parts[0].toLowerCase() === '_profile') parts.shift();
    let value: unknown = this.profile;
    for (const part of parts) value = isRecord(value) ? value[part] : undefined;
    if (value === undefined && parts.length === 1 && isRecord(this.profile.Attributes)) value = this.profile.Attributes[parts[0]];
    return toValue(value);
  }
}

function toValue(v: unknown): Value {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || isRecord(v)) return v;
  throw new Unsupported(); // arrays
}

function field(base: Value, key: Value): Value {
  if (base === null || key === null) return null;
  if (!isRecord(base) || typeof key !== 'string') throw new Unsupported();
  return toValue(base[key]);
}

function identifierText(ctx: { identifier(): IdentifierContext; errorCapturingIdentifierExtra(): ParserRuleContext } | IdentifierContext): string {
  if ('errorCapturingIdentifierExtra' in ctx) {
    if (ctx.errorCapturingIdentifierExtra().getChildCount() > 0) throw new Unsupported(); // `a-b`
    return identifierText(ctx.identifier());
  }
  const text = ctx.getText();
  if (text.startsWith('`')) return text.slice(1, -1).replace(/``/g, '`');
  if (text.startsWith('"')) throw new Unsupported(); // a string or an identifier, by Spark's settings
  return text;
}

function literal(ctx: ConstantContext): Value {
  if (ctx.KW_NULL()) return null;
  const bool = ctx.booleanValue();
  if (bool) return bool.KW_TRUE() !== null;
  const num = ctx.number();
  if (num) {
    const n = Number(num.getText().replace(/(BD|[LSYDF])$/i, ''));
    if (Number.isNaN(n)) throw new Unsupported();
    return n;
  }
  const strings = ctx.stringLit();
  if (strings.length > 0) return strings.map(stringText).join('');
  throw new Unsupported(); // intervals, typed literals (DATE '...'), parameters
}

/** Spark's string literal: raw (R'...') or with backslash escapes; `\%` and `\_` keep their backslash for LIKE. */
function stringText(ctx: StringLitContext): string {
  const text = ctx.getText();
  if (/^r/i.test(text)) return text.slice(2, -1);
  const escapes: Record<string, string> = { '0': '\0', 'b': '\b', 'n': '\n', 'r': '\r', 't': '\t', 'Z': '\x1a', '%': '\\%', '_': '\\_' };
  return text.slice(1, -1).replace(/\\(u[0-9a-fA-F]{4}|.)/gs, (_, c: string) =>
    c.length === 5 ? String.fromCharCode(parseInt(c.slice(1), 16)) : escapes[c] ?? c);
}

function asBoolean(v: Value): boolean | null {
  if (v === null || typeof v === 'boolean') return v;
  throw new Unsupported(); // Spark would cast; not evaluated here
}

function not(v: boolean | null): boolean | null {
  return v === null ? null : !v;
}

function and(a: boolean | null, b: boolean | null): boolean | null {
  if (a === false || b === false) return false;
  return a === null || b === null ? null : true;
}

function comparison(op: string, left: Value, right: Value): boolean | null {
  if (op === '<=>') return left === null || right === null ? left === right : compare(left, right) === 0;
  if (left === null || right === null) return null;
  const c = compare(left, right);
  switch (op) {
    case '=':
    case '==': return c === 0;
    case '!=':
    case '<>': return c !== 0;
    case '<': return c < 0;
    case '<=': return c <= 0;
    case '>': return c > 0;
    case '>=': return c >= 0;
    default: throw new Unsupported();
  }
}

/** Numbers compare as numbers (seeded attributes are numeric strings); other values as strings. */
function compare(a: Value, b: Value): number {
  if (isRecord(a) || isRecord(b)) throw new Unsupported();
  const na = Number(a);
  const nb = Number(b);
  if (typeof a !== 'boolean' && typeof b !== 'boolean' && String(a).trim() !== '' && String(b).trim() !== '' && !Number.isNaN(na) && !Number.isNaN(nb)) {
    return na === nb ? 0 : na < nb ? -1 : 1;
  }
  const sa = String(a);
  const sb = String(b);
  return sa === sb ? 0 : sa < sb ? -1 : 1;
}

/** LIKE with Spark's default escape character, the backslash. */
function like(value: string, pattern: string, ignoreCase: boolean): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) re += escapeRegExp(pattern[++i]);
    else if (c === '%') re += '.*';
    else if (c === '_') re += '.';
    else re += escapeRegExp(c);
  }
  return new RegExp(`^${re}$`, ignoreCase ? 'is' : 's').test(value);
}

function escapeRegExp(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
