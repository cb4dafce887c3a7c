import { Parser } from 'node-sql-parser';
import { badRequest } from './errors';
import { isRecord } from './model';

/**
 * Segment SQL: parsed with node-sql-parser (its default MySQL dialect accepts the
 * `SELECT * FROM _profile WHERE _profile.Attributes.tier = 'gold'` form segments use, with
 * three-part column names), and a WHERE clause evaluated against seeded profiles when it only
 * uses simple comparisons. Anything richer counts every profile: the estimate is only a sample.
 */

const parser = new Parser();

/** The parsed query; a BadRequestException carrying the parser's message (never the SQL) when it does not parse. */
export function parseSegmentSql(sql: string): SegmentQuery {
  let ast: unknown;
  try {
    ast = parser.astify(sql);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const location = locationOf(err);
    throw badRequest(`SegmentSqlQuery is not valid SQL${location}: ${message}`);
  }
  const statements = Array.isArray(ast) ? ast : [ast];
  if (statements.length !== 1 || !isRecord(statements[0]) || statements[0].type !== 'select') {
    throw badRequest('SegmentSqlQuery must be a single SELECT statement');
  }
  return new SegmentQuery(statements[0]);
}

function locationOf(err: unknown): string {
  if (!isRecord(err) || !isRecord(err.location) || !isRecord(err.location.start)) return '';
  const { line, column: col } = err.location.start;
  return typeof line === 'number' && typeof col === 'number' ? ` (line ${line}, column ${col})` : '';
}

class Unsupported extends Error {}

export class SegmentQuery {
  constructor(private readonly select: Record<string, unknown>) {}

  /** Whether the profile matches the WHERE clause; undefined when the clause is beyond this evaluator. */
  public matches(profile: Record<string, unknown>): boolean | undefined {
    const where = this.select.where;
    if (where === null || where === undefined) return true;
    try {
      return truthy(evaluate(where, profile));
    } catch (err) {
      if (err instanceof Unsupported) return undefined;
      throw err;
    }
  }

  /** Profiles the query selects; every profile when the WHERE clause cannot be evaluated. */
  public filter<T extends Record<string, unknown>>(profiles: T[]): T[] {
    const results = profiles.map((p) => this.matches(p));
    if (results.some((r) => r === undefined)) return profiles;
    return profiles.filter((_, i) => results[i]);
  }
}

function evaluate(node: unknown, profile: Record<string, unknown>): unknown {
  if (!isRecord(node)) throw new Unsupported();
  switch (node.type) {
    case 'column_ref':
      return column(node, profile);
    case 'single_quote_string':
    case 'double_quote_string':
    case 'string':
    case 'number':
    case 'bool':
    case 'boolean':
      return node.value;
    case 'null':
      return null;
    case 'expr_list':
      if (!Array.isArray(node.value)) throw new Unsupported();
      return node.value.map((v) => evaluate(v, profile));
    case 'unary_expr':
      if (String(node.operator).toUpperCase() === 'NOT') return !truthy(evaluate(node.expr, profile));
      throw new Unsupported();
    case 'binary_expr':
      return binary(String(node.operator).toUpperCase(), node.left, node.right, profile);
    default:
      throw new Unsupported();
  }
}

function binary(op: string, leftNode: unknown, rightNode: unknown, profile: Record<string, unknown>): unknown {
  if (op === 'AND') return truthy(evaluate(leftNode, profile)) && truthy(evaluate(rightNode, profile));
  if (op === 'OR') return truthy(evaluate(leftNode, profile)) || truthy(evaluate(rightNode, profile));
  const left = evaluate(leftNode, profile);
  const right = evaluate(rightNode, profile);
  switch (op) {
    case '=': return compare(left, right) === 0;
    case '!=':
    case '<>': return left !== undefined && left !== null && compare(left, right) !== 0;
    case '<': return compare(left, right) < 0;
    case '<=': return compare(left, right) <= 0;
    case '>': return compare(left, right) > 0;
    case '>=': return compare(left, right) >= 0;
    case 'IN': return Array.isArray(right) && right.some((r) => compare(left, r) === 0);
    case 'NOT IN': return Array.isArray(right) && !right.some((r) => compare(left, r) === 0);
    case 'LIKE': return like(left, right);
    case 'NOT LIKE': return !like(left, right);
    case 'IS': return right === null ? left === null || left === undefined : compare(left, right) === 0;
    case 'IS NOT': return right === null ? left !== null && left !== undefined : compare(left, right) !== 0;
    default: throw new Unsupported();
  }
}

/** `_profile.Attributes.tier`, `Attributes.tier` or `tier` (looked up among Attributes too). */
function column(node: Record<string, unknown>, profile: Record<string, unknown>): unknown {
  const parts = [node.db, node.table, node.column].filter((p): p is string => typeof p === 'string' && p !== '');
  if (parts.length !== [node.db, node.table, node.column].filter((p) => p !== null && p !== undefined).length) throw new Unsupported();
  if (parts[0]?.toLowerCase() === '_profile') parts.shift();
  let value: unknown = profile;
  for (const part of parts) value = isRecord(value) ? value[part] : undefined;
  if (value === undefined && parts.length === 1 && isRecord(profile.Attributes)) value = profile.Attributes[parts[0]];
  return value;
}

/** Numbers compare as numbers (seeded attributes are often numeric strings); NaN (false in every comparison) means incomparable. */
function compare(a: unknown, b: unknown): number {
  if (a === undefined || a === null || b === undefined || b === null) return NaN;
  const na = Number(a);
  const nb = Number(b);
  if (typeof a !== 'boolean' && typeof b !== 'boolean' && String(a).trim() !== '' && String(b).trim() !== '' && !Number.isNaN(na) && !Number.isNaN(nb)) {
    return na === nb ? 0 : na < nb ? -1 : 1;
  }
  const sa = String(a);
  const sb = String(b);
  return sa === sb ? 0 : sa < sb ? -1 : 1;
}

function like(value: unknown, pattern: unknown): boolean {
  if (value === undefined || value === null || typeof pattern !== 'string') return false;
  const re = new RegExp(`^${pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`, 's');
  return re.test(String(value));
}

function truthy(v: unknown): boolean {
  return v === true || (typeof v === 'number' && v !== 0);
}
