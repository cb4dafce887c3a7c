import * as fs from 'fs';
import * as path from 'path';

/**
 * The Customer Profiles service model (Smithy 2.0 JSON AST), loaded at run time.
 *
 * Routes, input constraints and output shapes all come from it, so the emulator follows the
 * real API instead of a hand-written copy of it.
 */

export const NAMESPACE = 'com.amazonaws.customerprofiles#';

/** `local/src/emulator` (ts-jest) and `local/lib/emulator` (compiled) are both two levels below the local package's root. */
export const MODEL_PATH = path.join(__dirname, '..', '..', 'models', 'customer-profiles-2020-08-15.json');

export type Traits = Record<string, unknown>;

export interface MemberRef {
  readonly target: string;
  readonly traits?: Traits;
}

export interface Shape {
  readonly type: string;
  readonly members?: Record<string, MemberRef>;
  readonly member?: MemberRef;
  readonly key?: MemberRef;
  readonly value?: MemberRef;
  readonly input?: MemberRef;
  readonly output?: MemberRef;
  readonly errors?: MemberRef[];
  readonly traits?: Traits;
}

interface HttpTrait {
  readonly method: string;
  readonly uri: string;
  readonly code?: number;
}

type PathSegment =
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'label'; readonly name: string; readonly greedy: boolean };

export interface Operation {
  readonly name: string;
  readonly method: string;
  readonly uri: string;
  /** HTTP status of a successful response. */
  readonly code: number;
  readonly inputShape: string;
  readonly outputShape: string;
  readonly segments: readonly PathSegment[];
  /** Query literals in the URI (`?x=y`), which the request must carry. */
  readonly queryLiterals: ReadonlyArray<readonly [string, string]>;
}

export interface RouteMatch {
  readonly operation: Operation;
  /** Decoded label values by label name. */
  readonly labels: Record<string, string>;
}

/** Prelude shapes the model refers to without defining them. */
const PRELUDE: Record<string, Shape> = {
  'smithy.api#String': { type: 'string' },
  'smithy.api#Boolean': { type: 'boolean' },
  'smithy.api#PrimitiveBoolean': { type: 'boolean' },
  'smithy.api#Integer': { type: 'integer' },
  'smithy.api#PrimitiveInteger': { type: 'integer' },
  'smithy.api#Long': { type: 'long' },
  'smithy.api#PrimitiveLong': { type: 'long' },
  'smithy.api#Float': { type: 'float' },
  'smithy.api#Double': { type: 'double' },
  'smithy.api#Timestamp': { type: 'timestamp' },
  'smithy.api#Blob': { type: 'blob' },
  'smithy.api#Document': { type: 'document' },
  'smithy.api#Unit': { type: 'structure', members: {} },
};

export class ServiceModel {
  /** Loads the model shipped in `models/` (cached: every emulator in a process shares it). */
  public static load(): ServiceModel {
    if (!ServiceModel.cached) {
      const json: unknown = JSON.parse(fs.readFileSync(MODEL_PATH, 'utf-8'));
      ServiceModel.cached = new ServiceModel(json);
    }
    return ServiceModel.cached;
  }

  private static cached: ServiceModel | undefined;

  public readonly operations = new Map<string, Operation>();
  private readonly shapes: Record<string, Shape>;
  private readonly routes: Operation[];

  constructor(json: unknown) {
    if (!isRecord(json) || !isRecord(json.shapes)) {
      throw new Error('Not a Smithy JSON AST: no "shapes"');
    }
    this.shapes = json.shapes as Record<string, Shape>;
    for (const [id, shape] of Object.entries(this.shapes)) {
      if (shape.type !== 'operation') continue;
      const http = shape.traits?.['smithy.api#http'] as HttpTrait | undefined;
      if (!http) continue;
      const name = id.slice(id.indexOf('#') + 1);
      const [pathPart, queryPart] = http.uri.split('?', 2);
      const segments: PathSegment[] = pathPart.split('/').filter((s) => s !== '').map((s) => {
        const m = /^\{([^}+]+)(\+?)\}$/.exec(s);
        return m ? { kind: 'label', name: m[1], greedy: m[2] === '+' } : { kind: 'literal', value: s };
      });
      const queryLiterals: Array<[string, string]> = [];
      for (const [k, v] of new URLSearchParams(queryPart ?? '')) queryLiterals.push([k, v]);
      this.operations.set(name, {
        name,
        method: http.method.toUpperCase(),
        uri: http.uri,
        code: http.code ?? 200,
        inputShape: shape.input?.target ?? 'smithy.api#Unit',
        outputShape: shape.output?.target ?? 'smithy.api#Unit',
        segments,
        queryLiterals,
      });
    }
    // Most specific first: a literal segment beats a label at the same position, and query literals
    // beat none, so `/recommenders/{R}/start` never falls into a label route by accident.
    this.routes = [...this.operations.values()].sort(compareSpecificity);
  }

  public shape(id: string): Shape {
    const shape = this.shapes[id] ?? PRELUDE[id];
    if (!shape) throw new Error(`Shape ${id} is not in the model`);
    return shape;
  }

  public operation(name: string): Operation {
    const op = this.operations.get(name);
    if (!op) throw new Error(`Operation ${name} is not in the model`);
    return op;
  }

  /** Values of an enum shape (or of the enum a member targets). */
  public enumValues(id: string): string[] {
    const shape = this.shape(id);
    if (shape.type !== 'enum') return [];
    return Object.entries(shape.members ?? {}).map(([name, m]) => {
      const v = m.traits?.['smithy.api#enumValue'];
      return typeof v === 'string' ? v : name;
    });
  }

  /** Finds the operation for a request; the raw path is split before decoding so encoded '/' stays in its label. */
  public match(method: string, rawPath: string, query: URLSearchParams): RouteMatch | undefined {
    const parts = rawPath.split('/').filter((s) => s !== '');
    for (const op of this.routes) {
      if (op.method !== method.toUpperCase()) continue;
      if (!op.queryLiterals.every(([k, v]) => query.getAll(k).includes(v))) continue;
      const labels = matchSegments(op.segments, parts);
      if (labels) return { operation: op, labels };
    }
    return undefined;
  }
}

function matchSegments(segments: readonly PathSegment[], parts: string[]): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  let i = 0;
  for (let s = 0; s < segments.length; s++) {
    const seg = segments[s];
    if (seg.kind === 'label' && seg.greedy) {
      // A greedy label takes everything up to the literal segments that follow it.
      const rest = segments.length - s - 1;
      const take = parts.length - i - rest;
      if (take < 1) return undefined;
      labels[seg.name] = parts.slice(i, i + take).map(safeDecode).join('/');
      i += take;
      continue;
    }
    if (i >= parts.length) return undefined;
    const decoded = safeDecode(parts[i]);
    if (seg.kind === 'literal') {
      if (decoded !== seg.value) return undefined;
    } else {
      if (decoded === '') return undefined;
      labels[seg.name] = decoded;
    }
    i++;
  }
  return i === parts.length ? labels : undefined;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function compareSpecificity(a: Operation, b: Operation): number {
  const n = Math.max(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) {
    const ra = rank(a.segments[i]);
    const rb = rank(b.segments[i]);
    if (ra !== rb) return ra - rb;
  }
  return b.queryLiterals.length - a.queryLiterals.length;
}

function rank(seg: PathSegment | undefined): number {
  if (!seg) return 3;
  if (seg.kind === 'literal') return 0;
  return seg.greedy ? 2 : 1;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
