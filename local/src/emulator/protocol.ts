import { badRequest } from './errors';
import { isRecord, MemberRef, Operation, ServiceModel, Shape } from './model';

/**
 * restJson1 (de)serialization driven by the model: which member comes from the path, the query,
 * a header or the JSON body, and under which JSON name (`smithy.api#jsonName`).
 */

export type Input = Record<string, unknown>;
export type Output = Record<string, unknown>;

export interface HttpRequestParts {
  readonly labels: Record<string, string>;
  readonly query: URLSearchParams;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

export function parseInput(model: ServiceModel, op: Operation, req: HttpRequestParts): Input {
  const shape = model.shape(op.inputShape);
  const members = shape.members ?? {};
  const input: Input = {};
  let json: Record<string, unknown> | undefined;
  const payloadMember = Object.entries(members).find(([, m]) => m.traits?.['smithy.api#httpPayload'] !== undefined);
  const bodyText = req.body.toString('utf-8');

  if (!payloadMember && Object.values(members).some(isBodyMember) && bodyText.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(bodyText);
    } catch {
      throw badRequest('Request body is not valid JSON');
    }
    if (!isRecord(parsed)) throw badRequest('Request body must be a JSON object');
    json = parsed;
  }

  for (const [name, ref] of Object.entries(members)) {
    const t = ref.traits ?? {};
    if (t['smithy.api#httpLabel'] !== undefined) {
      const raw = req.labels[name];
      if (raw !== undefined) input[name] = scalarFromString(model, ref.target, raw, name);
    } else if (typeof t['smithy.api#httpQuery'] === 'string') {
      const key = t['smithy.api#httpQuery'];
      const target = model.shape(ref.target);
      if (target.type === 'list') {
        const all = req.query.getAll(key);
        if (all.length > 0) input[name] = all.map((v) => scalarFromString(model, target.member!.target, v, name));
      } else {
        const v = req.query.get(key);
        if (v !== null) input[name] = scalarFromString(model, ref.target, v, name);
      }
    } else if (typeof t['smithy.api#httpHeader'] === 'string') {
      const v = req.headers[t['smithy.api#httpHeader'].toLowerCase()];
      if (v !== undefined) input[name] = scalarFromString(model, ref.target, Array.isArray(v) ? v.join(',') : v, name);
    } else if (t['smithy.api#httpPayload'] !== undefined) {
      if (bodyText.trim() === '') continue;
      const target = model.shape(ref.target);
      if (target.type === 'structure' || target.type === 'union' || target.type === 'document') {
        let parsed: unknown;
        try {
          parsed = JSON.parse(bodyText);
        } catch {
          throw badRequest('Request body is not valid JSON');
        }
        input[name] = fromWire(model, ref.target, parsed);
      } else {
        input[name] = bodyText;
      }
    } else if (json) {
      const wire = jsonName(name, ref);
      if (json[wire] !== undefined && json[wire] !== null) input[name] = fromWire(model, ref.target, json[wire]);
    }
  }
  return input;
}

function isBodyMember(ref: MemberRef): boolean {
  const t = ref.traits ?? {};
  return !['smithy.api#httpLabel', 'smithy.api#httpQuery', 'smithy.api#httpHeader', 'smithy.api#httpPayload',
    'smithy.api#httpQueryParams', 'smithy.api#httpPrefixHeaders', 'smithy.api#httpResponseCode'].some((k) => t[k] !== undefined);
}

function jsonName(name: string, ref: MemberRef): string {
  const j = ref.traits?.['smithy.api#jsonName'];
  return typeof j === 'string' ? j : name;
}

/** Converts a label, query or header string to the member's type; the validator reports what does not convert. */
function scalarFromString(model: ServiceModel, target: string, raw: string, member: string): unknown {
  const type = model.shape(target).type;
  switch (type) {
    case 'integer':
    case 'long':
    case 'short':
    case 'byte':
    case 'float':
    case 'double': {
      const n = Number(raw);
      if (raw.trim() === '' || Number.isNaN(n)) throw badRequest(`Value at '${member}' failed to satisfy constraint: Member must be a number`);
      return n;
    }
    case 'boolean':
      if (raw !== 'true' && raw !== 'false') throw badRequest(`Value at '${member}' failed to satisfy constraint: Member must be true or false`);
      return raw === 'true';
    case 'timestamp': {
      const d = /^\d+(\.\d+)?$/.test(raw) ? new Date(Number(raw) * 1000) : new Date(raw);
      if (Number.isNaN(d.getTime())) throw badRequest(`Value at '${member}' failed to satisfy constraint: Member must be a timestamp`);
      return d;
    }
    default:
      return raw;
  }
}

/** JSON body value -> input value: wire names to member names, epoch seconds to Date. */
function fromWire(model: ServiceModel, target: string, value: unknown): unknown {
  const shape = model.shape(target);
  switch (shape.type) {
    case 'structure':
    case 'union': {
      if (!isRecord(value)) return value;
      const out: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const wire = jsonName(name, ref);
        if (value[wire] !== undefined && value[wire] !== null) out[name] = fromWire(model, ref.target, value[wire]);
      }
      return out;
    }
    case 'list':
    case 'set':
      return Array.isArray(value) ? value.map((v) => fromWire(model, shape.member!.target, v)) : value;
    case 'map': {
      if (!isRecord(value)) return value;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = fromWire(model, shape.value!.target, v);
      return out;
    }
    case 'timestamp':
      if (typeof value === 'number') return new Date(value * 1000);
      if (typeof value === 'string') return new Date(value);
      return value;
    default:
      return value;
  }
}

export interface HttpResponseParts {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Output value -> HTTP response: status from the operation (or an httpResponseCode member), members the shape does not define are dropped. */
export function serializeOutput(model: ServiceModel, op: Operation, output: Output): HttpResponseParts {
  const shape = model.shape(op.outputShape);
  let status = op.code;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const body: Record<string, unknown> = {};
  let payload: unknown;
  let hasPayload = false;
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const v = output[name];
    const t = ref.traits ?? {};
    if (t['smithy.api#httpResponseCode'] !== undefined) {
      if (typeof v === 'number') status = v;
      continue;
    }
    if (v === undefined || v === null) continue;
    if (typeof t['smithy.api#httpHeader'] === 'string') {
      headers[t['smithy.api#httpHeader'].toLowerCase()] = v instanceof Date ? v.toUTCString() : String(v);
    } else if (t['smithy.api#httpPayload'] !== undefined) {
      hasPayload = true;
      payload = toWire(model, ref.target, v);
    } else {
      body[jsonName(name, ref)] = toWire(model, ref.target, v);
    }
  }
  return { status, headers, body: JSON.stringify(hasPayload ? payload : body) };
}

function toWire(model: ServiceModel, target: string, value: unknown): unknown {
  const shape: Shape = model.shape(target);
  switch (shape.type) {
    case 'structure':
    case 'union': {
      if (!isRecord(value)) return value;
      const out: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const v = value[name];
        if (v !== undefined && v !== null) out[jsonName(name, ref)] = toWire(model, ref.target, v);
      }
      return out;
    }
    case 'list':
    case 'set':
      return Array.isArray(value) ? value.map((v) => toWire(model, shape.member!.target, v)) : value;
    case 'map': {
      if (!isRecord(value)) return value;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = toWire(model, shape.value!.target, v);
      return out;
    }
    case 'timestamp':
      // restJson1 body timestamps are epoch seconds.
      if (value instanceof Date) return value.getTime() / 1000;
      return value;
    default:
      return value;
  }
}

/** An error response the SDK deserializes into the named exception class. */
export function errorResponse(name: string, status: number, message: string): HttpResponseParts {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': name },
    body: JSON.stringify({ Message: message }),
  };
}
