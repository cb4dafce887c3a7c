import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { OWNER_TAG_KEY } from './contract';

/**
 * A synth-time validation failure. The message names the construct path, the resource kind,
 * the field, the rule and the value received, one line per violated rule.
 */
export class CustomerProfilesValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValidationError';
  }
}

/**
 * The service model's `TagKey` pattern, without its `(?!aws:)` part (checked on its own). The
 * range `+-=` covers digits and `, - . / : ; <`; spaces and `@` are refused by the service.
 */
const TAG_KEY_PATTERN = /^[a-zA-Z+-=._:/]+$/;

/** Renders a value for an error message without flooding it (long strings are cut). */
function show(value: unknown): string {
  if (typeof value === 'string') {
    return value.length > 80 ? `a string of ${value.length} characters` : `'${value}' (${value.length} characters)`;
  }
  if (Array.isArray(value)) {
    return `${value.length} entries`;
  }
  return JSON.stringify(value);
}

/**
 * Collects rule violations for one construct and throws them together.
 *
 * Every check skips values that are unresolved tokens: they are only known at deploy time,
 * where the handler and the service validate them.
 *
 * @example
 * const v = new Validator(this, 'Recommender');
 * v.stringLength('description', props.description, 1, 1000);
 * v.throwIfInvalid();
 */
export class Validator {
  private readonly errors: string[] = [];

  constructor(private readonly scope: IConstruct, private readonly kind: string) {}

  /** Records a violation unconditionally. */
  public fail(field: string, rule: string, value?: unknown): void {
    const got = value === undefined ? '' : `, got ${show(value)}`;
    this.errors.push(`${field} ${rule}${got}`);
  }

  /**
   * A Duration in `unit` (fractions kept), or undefined when there is none or, with the violation
   * recorded, when it is a token given in another unit (aws-cdk-lib cannot convert a token).
   */
  public durationIn(field: string, duration: Duration | undefined, unit: 'seconds' | 'days'): number | undefined {
    if (duration === undefined) return undefined;
    try {
      return unit === 'days' ? duration.toDays({ integral: false }) : duration.toSeconds({ integral: false });
    } catch {
      this.fail(field, `is a token and must then be given in ${unit} (Duration.${unit}(...))`);
      return undefined;
    }
  }

  /** Length of a string in [min, max]. */
  public stringLength(field: string, value: string | undefined, min: number, max: number): void {
    if (value === undefined || Token.isUnresolved(value)) return;
    if (value.length < min || value.length > max) {
      this.fail(field, `must be ${min}-${max} characters long`, value);
    }
  }

  /** A string matching `pattern`; `description` says the rule in words. */
  public pattern(field: string, value: string | undefined, pattern: RegExp, description: string): void {
    if (value === undefined || Token.isUnresolved(value)) return;
    if (!pattern.test(value)) {
      this.fail(field, `must match ${pattern.source} (${description})`, value);
    }
  }

  /** A name: length and pattern together, as the service model defines them. */
  public name(field: string, value: string | undefined, min: number, max: number, pattern: RegExp, description: string): void {
    if (value === undefined || Token.isUnresolved(value)) return;
    if (value.length < min || value.length > max) {
      this.fail(field, `must be ${min}-${max} characters long`, value);
      return;
    }
    this.pattern(field, value, pattern, description);
  }

  /** A number in [min, max]; `integer` also requires a whole number. */
  public range(field: string, value: number | undefined, min: number, max: number, integer = false): void {
    if (value === undefined || Token.isUnresolved(value)) return;
    if (Number.isNaN(value) || value < min || value > max) {
      this.fail(field, `must be between ${min} and ${max}`, value);
    } else if (integer && !Number.isInteger(value)) {
      this.fail(field, 'must be a whole number', value);
    }
  }

  /** Number of entries of a list (or keys of a map) in [min, max]. */
  public count(field: string, value: readonly unknown[] | Record<string, unknown> | undefined, min: number, max: number): void {
    if (value === undefined || Token.isUnresolved(value)) return;
    const n = Array.isArray(value) ? value.length : Object.keys(value).length;
    if (n < min || n > max) {
      this.errors.push(`${field} must have ${min}-${max} entries, got ${n}`);
    }
  }

  /**
   * Tags as the service accepts them, less the one the handler adds: 1-49 entries (the service
   * allows 50, and the owner marker takes one), keys 1-128 of the model's pattern not starting
   * with 'aws:' and not the reserved owner key, values 0-256.
   */
  public tags(field: string, tags: Record<string, string> | undefined): void {
    if (tags === undefined || Token.isUnresolved(tags)) return;
    this.count(field, tags, 0, 49);
    for (const [key, value] of Object.entries(tags)) {
      if (Token.isUnresolved(key)) continue;
      if (key.length < 1 || key.length > 128) {
        this.fail(`${field} key`, 'must be 1-128 characters long', key);
      } else if (key.toLowerCase().startsWith('aws:')) {
        this.fail(`${field} key`, "must not start with 'aws:' (reserved for AWS)", key);
      } else if (key === OWNER_TAG_KEY) {
        this.fail(`${field} key`, 'is reserved for the owner marker the handler puts on every resource it creates', key);
      } else if (!TAG_KEY_PATTERN.test(key)) {
        this.fail(`${field} key`, `must match ${TAG_KEY_PATTERN.source} (letters, digits and + - = . _ : /; no spaces)`, key);
      }
      if (value !== undefined && !Token.isUnresolved(value) && value.length > 256) {
        this.fail(`${field}['${key}']`, 'must be at most 256 characters long', value);
      }
    }
  }

  /** Records `rule` for `field` when `condition` holds. */
  public check(condition: boolean, field: string, rule: string, value?: unknown): void {
    if (condition) this.fail(field, rule, value);
  }

  /** Whether any rule was violated. */
  public get hasErrors(): boolean {
    return this.errors.length > 0;
  }

  /** Throws one error listing every violation, prefixed with the construct path and kind. */
  public throwIfInvalid(): void {
    if (this.errors.length === 0) return;
    const where = `${this.kind} at '${this.scope.node.path}'`;
    if (this.errors.length === 1) {
      throw new CustomerProfilesValidationError(`${where}: ${this.errors[0]}`);
    }
    throw new CustomerProfilesValidationError(`${where} is invalid:\n${this.errors.map((e) => `  - ${e}`).join('\n')}`);
  }
}
