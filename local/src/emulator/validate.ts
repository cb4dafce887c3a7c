import { isRecord, NAMESPACE, ServiceModel, Traits } from './model';

/**
 * Checks an input value against the model's constraints (required, type, length, pattern, range,
 * enum, union), the way the service does before any operation runs. Messages follow the
 * service's "Value ... at '...' failed to satisfy constraint: ..." wording; values of sensitive
 * members (SQL, descriptions) are never echoed.
 */

/**
 * Model errata: patterns the service cannot be applying literally. `TagArn` says
 * `^arn:[a-z0-9]{1,10}:profile$`, which no resource ARN matches (REFERENCE §5).
 */
const PATTERN_OVERRIDES: Record<string, string> = {
  [`${NAMESPACE}TagArn`]: '^arn:[a-z0-9]{1,10}:profile:',
};

const MAX_ECHO = 64;

interface LengthTrait { readonly min?: number; readonly max?: number }
interface RangeTrait { readonly min?: number; readonly max?: number }

export function validateInput(model: ServiceModel, shapeId: string, input: Record<string, unknown>): string[] {
  return validateShape(model, shapeId, input);
}

/** Checks any structure value (an input, or an output the emulator is about to send) against its shape. */
export function validateShape(model: ServiceModel, shapeId: string, value: Record<string, unknown>): string[] {
  const v = new Validator(model);
  v.structure(shapeId, value, '', false);
  return v.errors;
}

/** Formats violations as one message, like the service's "N validation errors detected: ..." */
export function validationMessage(errors: string[]): string {
  const n = errors.length;
  return `${n} validation error${n === 1 ? '' : 's'} detected: ${errors.join('; ')}`;
}

class Validator {
  public readonly errors: string[] = [];
  private readonly regexps = new Map<string, RegExp>();

  constructor(private readonly model: ServiceModel) {}

  public structure(shapeId: string, value: Record<string, unknown>, prefix: string, sensitive: boolean): void {
    const shape = this.model.shape(shapeId);
    const members = Object.entries(shape.members ?? {});
    if (shape.type === 'union') {
      const set = members.filter(([name]) => value[name] !== undefined && value[name] !== null);
      if (set.length !== 1) {
        this.errors.push(`Value at '${prefix || shapeName(shapeId)}' failed to satisfy constraint: Member must have exactly one member set`);
      }
    }
    for (const [name, ref] of members) {
      const path = prefix ? `${prefix}.${name}` : name;
      const v = value[name];
      if (v === undefined || v === null) {
        if (ref.traits?.['smithy.api#required'] !== undefined) {
          this.errors.push(`Value null at '${path}' failed to satisfy constraint: Member must not be null`);
        }
        continue;
      }
      this.value(ref.target, ref.traits ?? {}, v, path, sensitive);
    }
  }

  private value(target: string, memberTraits: Traits, v: unknown, path: string, parentSensitive: boolean): void {
    const shape = this.model.shape(target);
    const traits: Traits = { ...(shape.traits ?? {}), ...memberTraits };
    const sensitive = parentSensitive || traits['smithy.api#sensitive'] !== undefined;
    const at = (): string => {
      if (sensitive || (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean')) return `Value at '${path}'`;
      const s = String(v);
      return `Value '${s.length > MAX_ECHO ? `${s.slice(0, MAX_ECHO)}...` : s}' at '${path}'`;
    };
    const fail = (rule: string): void => {
      this.errors.push(`${at()} failed to satisfy constraint: Member must ${rule}`);
    };

    switch (shape.type) {
      case 'string':
      case 'enum': {
        if (typeof v !== 'string') return fail('be a string');
        this.length(traits, [...v].length, fail);
        const pattern = PATTERN_OVERRIDES[target] ?? traits['smithy.api#pattern'];
        if (typeof pattern === 'string' && !this.regexp(pattern).test(v)) {
          fail(`satisfy regular expression pattern: ${pattern}`);
        }
        if (shape.type === 'enum') {
          const values = this.model.enumValues(target);
          if (!values.includes(v)) fail(`satisfy enum value set: [${values.join(', ')}]`);
        }
        return;
      }
      case 'integer':
      case 'long':
      case 'short':
      case 'byte':
        if (typeof v !== 'number' || !Number.isInteger(v)) return fail('be an integer');
        return this.range(traits, v, fail);
      case 'float':
      case 'double':
        if (typeof v !== 'number' || !Number.isFinite(v)) return fail('be a number');
        return this.range(traits, v, fail);
      case 'intEnum':
        if (typeof v !== 'number' || !Number.isInteger(v)) return fail('be an integer');
        return;
      case 'boolean':
        if (typeof v !== 'boolean') fail('be a boolean');
        return;
      case 'timestamp':
        if (!(v instanceof Date) || Number.isNaN(v.getTime())) fail('be a timestamp');
        return;
      case 'blob':
        if (typeof v !== 'string') return fail('be a blob');
        return this.length(traits, Buffer.byteLength(v), fail);
      case 'list':
      case 'set':
        if (!Array.isArray(v)) return fail('be a list');
        this.length(traits, v.length, fail);
        v.forEach((item, i) => {
          if (item === null || item === undefined) {
            this.errors.push(`Value null at '${path}[${i}]' failed to satisfy constraint: Member must not be null`);
          } else {
            this.value(shape.member!.target, shape.member!.traits ?? {}, item, `${path}[${i}]`, sensitive);
          }
        });
        return;
      case 'map':
        if (!isRecord(v)) return fail('be a map');
        this.length(traits, Object.keys(v).length, fail);
        for (const [k, item] of Object.entries(v)) {
          this.value(shape.key!.target, shape.key!.traits ?? {}, k, `${path}.key(${sensitive ? '*' : k})`, sensitive);
          if (item === null || item === undefined) {
            this.errors.push(`Value null at '${path}.${k}' failed to satisfy constraint: Member must not be null`);
          } else {
            this.value(shape.value!.target, shape.value!.traits ?? {}, item, `${path}.${sensitive ? '*' : k}`, sensitive);
          }
        }
        return;
      case 'structure':
      case 'union':
        if (!isRecord(v)) return fail('be an object');
        return this.structure(target, v, path, sensitive);
      default:
        return; // document: anything goes
    }
  }

  private length(traits: Traits, n: number, fail: (rule: string) => void): void {
    const len = traits['smithy.api#length'] as LengthTrait | undefined;
    if (!len) return;
    if (len.min !== undefined && n < len.min) fail(`have length greater than or equal to ${len.min}`);
    if (len.max !== undefined && n > len.max) fail(`have length less than or equal to ${len.max}`);
  }

  private range(traits: Traits, n: number, fail: (rule: string) => void): void {
    const range = traits['smithy.api#range'] as RangeTrait | undefined;
    if (!range) return;
    if (range.min !== undefined && n < Number(range.min)) fail(`have value greater than or equal to ${range.min}`);
    if (range.max !== undefined && n > Number(range.max)) fail(`have value less than or equal to ${range.max}`);
  }

  private regexp(pattern: string): RegExp {
    let re = this.regexps.get(pattern);
    if (!re) {
      try {
        re = new RegExp(pattern, 'u');
      } catch {
        // Some model patterns use escapes that unicode mode rejects; Smithy patterns are plain ECMA-262.
        re = new RegExp(pattern);
      }
      this.regexps.set(pattern, re);
    }
    return re;
  }
}

function shapeName(id: string): string {
  return id.slice(id.indexOf('#') + 1);
}
