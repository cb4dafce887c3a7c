import { Duration, Token } from 'aws-cdk-lib';
import { aws_customerprofiles as refs } from 'aws-cdk-lib/interfaces';
import { Validator } from './private/validation';

/** The service model's limit for `SegmentSqlQuery`. */
const MAX_SQL_LENGTH = 50000;

/** The service model's pattern for calculated attribute names (`typeName`). */
const CALCULATED_ATTRIBUTE_NAME_PATTERN = /^[a-zA-Z_][a-zA-Z_0-9-]*$/;


/**
 * How a dimension compares a profile's value with the given values.
 *
 * Which types a dimension accepts depends on the attribute: text attributes take INCLUSIVE,
 * EXCLUSIVE, CONTAINS, BEGINS_WITH, ENDS_WITH; the birth date takes BEFORE, AFTER, BETWEEN,
 * NOT_BETWEEN, ON; the profile type takes INCLUSIVE, EXCLUSIVE; custom and calculated attributes
 * take all of them plus the numeric comparisons. A type a dimension does not accept fails at
 * synthesis. `DimensionType.of()` names a type the service added after this library.
 */
export class DimensionType {
  /** The value is one of the values. */
  public static readonly INCLUSIVE = new DimensionType('INCLUSIVE');
  /** The value is none of the values. */
  public static readonly EXCLUSIVE = new DimensionType('EXCLUSIVE');
  /** The value contains one of the values. */
  public static readonly CONTAINS = new DimensionType('CONTAINS');
  /** The value begins with one of the values. */
  public static readonly BEGINS_WITH = new DimensionType('BEGINS_WITH');
  /** The value ends with one of the values. */
  public static readonly ENDS_WITH = new DimensionType('ENDS_WITH');
  /** The date is before the value. */
  public static readonly BEFORE = new DimensionType('BEFORE');
  /** The date is after the value. */
  public static readonly AFTER = new DimensionType('AFTER');
  /** The value lies between the two values. */
  public static readonly BETWEEN = new DimensionType('BETWEEN');
  /** The value lies outside the two values. */
  public static readonly NOT_BETWEEN = new DimensionType('NOT_BETWEEN');
  /** The date is on the value. */
  public static readonly ON = new DimensionType('ON');
  /** The number is greater than the value. */
  public static readonly GREATER_THAN = new DimensionType('GREATER_THAN');
  /** The number is less than the value. */
  public static readonly LESS_THAN = new DimensionType('LESS_THAN');
  /** The number is greater than or equal to the value. */
  public static readonly GREATER_THAN_OR_EQUAL = new DimensionType('GREATER_THAN_OR_EQUAL');
  /** The number is less than or equal to the value. */
  public static readonly LESS_THAN_OR_EQUAL = new DimensionType('LESS_THAN_OR_EQUAL');
  /** The number equals the value. */
  public static readonly EQUAL = new DimensionType('EQUAL');

  /** A dimension type by its API name. */
  public static of(value: string): DimensionType {
    return new DimensionType(value);
  }

  /** @param value the API name of the dimension type */
  private constructor(public readonly value: string) {}
}

const STRING_TYPES = ['INCLUSIVE', 'EXCLUSIVE', 'CONTAINS', 'BEGINS_WITH', 'ENDS_WITH'];
const DATE_TYPES = ['BEFORE', 'AFTER', 'BETWEEN', 'NOT_BETWEEN', 'ON'];
const PROFILE_TYPE_TYPES = ['INCLUSIVE', 'EXCLUSIVE'];
const ATTRIBUTE_TYPES = [...STRING_TYPES, ...DATE_TYPES, 'GREATER_THAN', 'LESS_THAN', 'GREATER_THAN_OR_EQUAL', 'LESS_THAN_OR_EQUAL', 'EQUAL'];
/** Every type this library knows: a known type outside a dimension's family is refused; an unknown one (`of()`) is passed on. */
const KNOWN_TYPES = new Set(ATTRIBUTE_TYPES);
const RANGE_TYPES = ['BETWEEN', 'NOT_BETWEEN'];

/**
 * A text attribute of the standard profile, for `SegmentDimension.profileAttribute()`.
 */
export class ProfileAttribute {
  /** AccountNumber */
  public static readonly ACCOUNT_NUMBER = new ProfileAttribute('AccountNumber');
  /** AdditionalInformation (values up to 1000 characters) */
  public static readonly ADDITIONAL_INFORMATION = new ProfileAttribute('AdditionalInformation');
  /** FirstName */
  public static readonly FIRST_NAME = new ProfileAttribute('FirstName');
  /** LastName */
  public static readonly LAST_NAME = new ProfileAttribute('LastName');
  /** MiddleName */
  public static readonly MIDDLE_NAME = new ProfileAttribute('MiddleName');
  /** GenderString */
  public static readonly GENDER = new ProfileAttribute('GenderString');
  /** PartyTypeString */
  public static readonly PARTY_TYPE = new ProfileAttribute('PartyTypeString');
  /** PhoneNumber */
  public static readonly PHONE_NUMBER = new ProfileAttribute('PhoneNumber');
  /** BusinessName */
  public static readonly BUSINESS_NAME = new ProfileAttribute('BusinessName');
  /** BusinessPhoneNumber */
  public static readonly BUSINESS_PHONE_NUMBER = new ProfileAttribute('BusinessPhoneNumber');
  /** HomePhoneNumber */
  public static readonly HOME_PHONE_NUMBER = new ProfileAttribute('HomePhoneNumber');
  /** MobilePhoneNumber */
  public static readonly MOBILE_PHONE_NUMBER = new ProfileAttribute('MobilePhoneNumber');
  /** EmailAddress */
  public static readonly EMAIL_ADDRESS = new ProfileAttribute('EmailAddress');
  /** PersonalEmailAddress */
  public static readonly PERSONAL_EMAIL_ADDRESS = new ProfileAttribute('PersonalEmailAddress');
  /** BusinessEmailAddress */
  public static readonly BUSINESS_EMAIL_ADDRESS = new ProfileAttribute('BusinessEmailAddress');

  /** A text attribute by its API name (a member of `ProfileAttributes` shaped like `ProfileDimension`). */
  public static of(name: string): ProfileAttribute {
    return new ProfileAttribute(name);
  }

  /** @param name the API name of the attribute */
  private constructor(public readonly name: string) {}
}

/** Which address of a profile a dimension looks at. */
export class AddressAttribute {
  /** Address */
  public static readonly ADDRESS = new AddressAttribute('Address');
  /** ShippingAddress */
  public static readonly SHIPPING_ADDRESS = new AddressAttribute('ShippingAddress');
  /** MailingAddress */
  public static readonly MAILING_ADDRESS = new AddressAttribute('MailingAddress');
  /** BillingAddress */
  public static readonly BILLING_ADDRESS = new AddressAttribute('BillingAddress');

  /** An address attribute by its API name. */
  public static of(name: string): AddressAttribute {
    return new AddressAttribute(name);
  }

  /** @param name the API name of the address attribute */
  private constructor(public readonly name: string) {}
}

/** A part of an address. */
export class AddressField {
  /** City */
  public static readonly CITY = new AddressField('City');
  /** Country */
  public static readonly COUNTRY = new AddressField('Country');
  /** County */
  public static readonly COUNTY = new AddressField('County');
  /** PostalCode */
  public static readonly POSTAL_CODE = new AddressField('PostalCode');
  /** Province */
  public static readonly PROVINCE = new AddressField('Province');
  /** State */
  public static readonly STATE = new AddressField('State');

  /** An address field by its API name. */
  public static of(name: string): AddressField {
    return new AddressField(name);
  }

  /** @param name the API name of the address field */
  private constructor(public readonly name: string) {}
}

/** The kind of profile, for `SegmentDimension.profileType()`. */
export class ProfileType {
  /** A profile of a person. */
  public static readonly PROFILE = new ProfileType('PROFILE');
  /** A profile of an account (a business). */
  public static readonly ACCOUNT_PROFILE = new ProfileType('ACCOUNT_PROFILE');

  /** A profile type by its API name. */
  public static of(value: string): ProfileType {
    return new ProfileType(value);
  }

  /** @param value the API name of the profile type */
  private constructor(public readonly value: string) {}
}

/**
 * Overrides the time range of a calculated attribute for one dimension: objects from `start`
 * ago until `end` ago count.
 */
export interface DimensionRangeOverride {
  /** How long ago the range starts, in whole days (the service's default is 366 days). */
  readonly start: Duration;

  /**
   * How long ago the range ends, in whole days; at most `start`.
   * @default Duration.days(0) - now
   */
  readonly end?: Duration;
}

/** Options of a calculated-attribute dimension. */
export interface CalculatedAttributeDimensionOptions {
  /**
   * A time range that replaces the calculated attribute's own range for this dimension.
   * @default - the calculated attribute's own range
   */
  readonly rangeOverride?: DimensionRangeOverride;
}

type Json = Record<string, unknown>;

/** What a dimension is, for validation: its family decides the accepted types and value limits. */
interface DimensionSpec {
  readonly label: string;
  readonly family: 'string' | 'date' | 'profileType' | 'attribute';
  readonly type: DimensionType;
  readonly values: string[];
  readonly maxValueLength?: number;
  readonly name?: { readonly value: string; readonly pattern?: RegExp };
  readonly range?: DimensionRangeOverride;
  readonly render: (condition: Json) => Json;
}

/**
 * One condition of a segment group: a profile attribute, a custom attribute or a calculated
 * attribute compared with values.
 *
 * Values are customer data: they are never written into error messages.
 *
 * @example
 * SegmentDimension.profileAttribute(ProfileAttribute.EMAIL_ADDRESS, DimensionType.ENDS_WITH, ['@example.com']);
 * SegmentDimension.address(AddressAttribute.SHIPPING_ADDRESS, AddressField.COUNTRY, DimensionType.INCLUSIVE, ['DE', 'FR']);
 * SegmentDimension.calculatedAttribute('_total_spend', DimensionType.GREATER_THAN, ['1000'], {
 *   rangeOverride: { start: Duration.days(90) },
 * });
 */
export class SegmentDimension {
  /**
   * A text attribute of the standard profile (FirstName, EmailAddress, ...).
   * Accepts INCLUSIVE, EXCLUSIVE, CONTAINS, BEGINS_WITH, ENDS_WITH; 1-50 values of 1-255
   * characters (1-1000 for AdditionalInformation).
   */
  public static profileAttribute(attribute: ProfileAttribute, dimensionType: DimensionType, values: string[]): SegmentDimension {
    return new SegmentDimension({
      label: attribute.name,
      family: 'string',
      type: dimensionType,
      values,
      maxValueLength: attribute.name === 'AdditionalInformation' ? 1000 : 255,
      render: (condition) => ({ ProfileAttributes: { [attribute.name]: condition } }),
    });
  }

  /**
   * A part of one of the profile's addresses.
   * Accepts INCLUSIVE, EXCLUSIVE, CONTAINS, BEGINS_WITH, ENDS_WITH; 1-50 values of 1-255 characters.
   */
  public static address(address: AddressAttribute, field: AddressField, dimensionType: DimensionType, values: string[]): SegmentDimension {
    return new SegmentDimension({
      label: `${address.name}.${field.name}`,
      family: 'string',
      type: dimensionType,
      values,
      maxValueLength: 255,
      render: (condition) => ({ ProfileAttributes: { [address.name]: { [field.name]: condition } } }),
    });
  }

  /**
   * The profile's birth date.
   * Accepts BEFORE, AFTER, BETWEEN, NOT_BETWEEN (two values), ON; 1-50 date values.
   */
  public static birthDate(dimensionType: DimensionType, values: string[]): SegmentDimension {
    return new SegmentDimension({
      label: 'BirthDate',
      family: 'date',
      type: dimensionType,
      values,
      render: (condition) => ({ ProfileAttributes: { BirthDate: condition } }),
    });
  }

  /**
   * The kind of profile (person or account). Accepts INCLUSIVE and EXCLUSIVE.
   */
  public static profileType(dimensionType: DimensionType, profileType: ProfileType): SegmentDimension {
    return new SegmentDimension({
      label: 'ProfileType',
      family: 'profileType',
      type: dimensionType,
      values: [profileType.value],
      render: (condition) => ({ ProfileAttributes: { ProfileType: condition } }),
    });
  }

  /**
   * A custom attribute of the profile (`Attributes` map), by name (1-255 characters).
   * Accepts every dimension type; 1-50 values of 1-255 characters.
   */
  public static customAttribute(name: string, dimensionType: DimensionType, values: string[]): SegmentDimension {
    return new SegmentDimension({
      label: `Attributes['${name}']`,
      family: 'attribute',
      type: dimensionType,
      values,
      maxValueLength: 255,
      name: { value: name },
      render: (condition) => ({ ProfileAttributes: { Attributes: { [name]: condition } } }),
    });
  }

  /**
   * A calculated attribute of the domain, by name (a letter or `_`, then letters, digits, `_`
   * or `-`; 1-255 characters), optionally over another time range.
   * Accepts every dimension type; 1-50 values of 1-255 characters.
   */
  public static calculatedAttribute(
    name: string,
    dimensionType: DimensionType,
    values: string[],
    options: CalculatedAttributeDimensionOptions = {},
  ): SegmentDimension {
    return new SegmentDimension({
      label: `CalculatedAttributes['${name}']`,
      family: 'attribute',
      type: dimensionType,
      values,
      maxValueLength: 255,
      name: { value: name, pattern: CALCULATED_ATTRIBUTE_NAME_PATTERN },
      range: options.rangeOverride,
      render: (condition) => {
        const range = options.rangeOverride;
        return {
          CalculatedAttributes: {
            [name]: range
              ? { ...condition, ConditionOverrides: { Range: { Start: days(range.start), End: range.end ? days(range.end) : 0, Unit: 'DAYS' } } }
              : condition,
          },
        };
      },
    });
  }

  private constructor(private readonly spec: DimensionSpec) {}

  /**
   * Validates the dimension and renders it as the API's `Dimension` union member.
   * @internal
   */
  public _render(v: Validator, field: string): Json {
    const s = this.spec;
    const where = `${field} (${s.label})`;
    if (s.name) {
      v.stringLength(`${field} attribute name`, s.name.value, 1, 255);
      if (s.name.pattern) {
        v.pattern(`${field} attribute name`, s.name.value, s.name.pattern, 'a letter or _, then letters, digits, _ or -');
      }
    }
    const type = s.type.value;
    const accepted = { string: STRING_TYPES, date: DATE_TYPES, profileType: PROFILE_TYPE_TYPES, attribute: ATTRIBUTE_TYPES }[s.family];
    if (!Token.isUnresolved(type) && KNOWN_TYPES.has(type) && !accepted.includes(type)) {
      v.fail(where, `accepts the dimension types ${accepted.join(', ')}`, type);
    }
    if (!Token.isUnresolved(s.values)) {
      if (s.family === 'profileType') {
        const [value] = s.values;
        v.check(!Token.isUnresolved(value) && (typeof value !== 'string' || value.length === 0), where, 'needs a profile type');
      } else {
        v.count(`${where} values`, s.values, 1, 50);
      }
      if (RANGE_TYPES.includes(type)) {
        v.check(s.values.length !== 2, `${where} values`, `must be exactly 2 values (from and to) for ${type}, got ${s.values.length}`);
      }
      if (s.maxValueLength !== undefined) {
        s.values.forEach((value, i) => {
          if (value === undefined || Token.isUnresolved(value)) return;
          // Values are customer data: say the length, never the value.
          v.check(value.length < 1 || value.length > s.maxValueLength!, `${where} values[${i}]`,
            `must be 1-${s.maxValueLength} characters long, got ${value.length} characters`);
        });
      }
    }
    if (s.range) {
      const start = days(s.range.start);
      const end = s.range.end ? days(s.range.end) : 0;
      v.range(`${where} rangeOverride.start (days)`, start, 0, Number.MAX_SAFE_INTEGER, true);
      v.range(`${where} rangeOverride.end (days)`, end, 0, Number.MAX_SAFE_INTEGER, true);
      if (!Token.isUnresolved(start) && !Token.isUnresolved(end)) {
        v.check(end > start, `${where} rangeOverride`, `must end no earlier than it starts (end ${end} days ago is before start ${start} days ago)`);
      }
    }
    return s.render({ DimensionType: type, Values: s.values });
  }
}

function days(d: Duration): number {
  return d.toDays({ integral: false });
}

/**
 * How the profiles matching the parts of a segment are combined: all, any or none of them.
 */
export class SegmentInclude {
  /** Profiles that match all of the parts. */
  public static readonly ALL = new SegmentInclude('ALL');
  /** Profiles that match any of the parts. */
  public static readonly ANY = new SegmentInclude('ANY');
  /** Profiles that match none of the parts. */
  public static readonly NONE = new SegmentInclude('NONE');

  /** An include option by its API name. */
  public static of(value: string): SegmentInclude {
    return new SegmentInclude(value);
  }

  /** @param value the API name of the include option */
  private constructor(public readonly value: string) {}
}

/**
 * One group of a classic segment: its dimensions, and the segments it starts from.
 */
export interface SegmentGroup {
  /**
   * The conditions profiles are filtered on.
   * @default - no dimensions (then `sourceSegments` must be given)
   */
  readonly dimensions?: SegmentDimension[];

  /**
   * Segment definitions whose members are the starting set of this group (created in this app,
   * imported, or any segment definition reference such as a `CfnSegmentDefinition`). The group
   * waits for segment definitions created in this app.
   * @default - every profile of the domain
   */
  readonly sourceSegments?: refs.ISegmentDefinitionRef[];

  /**
   * How the source segments are combined.
   * @default SegmentInclude.ALL
   */
  readonly sourceSegmentsInclude?: SegmentInclude;

  /**
   * How the dimensions are combined.
   * @default SegmentInclude.ALL
   */
  readonly dimensionsInclude?: SegmentInclude;
}

/**
 * A classic segment: groups of dimensions and source segments.
 */
export interface SegmentGroupsOptions {
  /** The groups (at least one). */
  readonly groups: SegmentGroup[];

  /**
   * How the groups are combined.
   * @default SegmentInclude.ALL
   */
  readonly include?: SegmentInclude;
}

/** The rendered query, as the contract carries it. */
interface RenderedQuery {
  readonly sql?: string;
  readonly groups?: Json;
}

/**
 * The query of a segment definition: exactly one of an SQL query (an ENHANCED segment) or
 * segment groups (a CLASSIC segment).
 *
 * @example
 * SegmentQuery.sql("SELECT * FROM _profile WHERE _profile.Attributes.tier = 'gold'");
 * SegmentQuery.groups({
 *   groups: [{
 *     dimensions: [SegmentDimension.customAttribute('tier', DimensionType.INCLUSIVE, ['gold', 'platinum'])],
 *   }],
 * });
 */
export abstract class SegmentQuery {
  /**
   * An SQL query over the domain's profiles (1-50000 characters): the segment is ENHANCED.
   *
   * The query is customer data: it is never written into error messages or logs.
   */
  public static sql(query: string): SegmentQuery {
    return new SqlSegmentQuery(query);
  }

  /**
   * Segment groups of dimensions and source segments: the segment is CLASSIC.
   */
  public static groups(options: SegmentGroupsOptions): SegmentQuery {
    return new GroupsSegmentQuery(options);
  }

  /**
   * The segment type the query creates: `ENHANCED` (SQL) or `CLASSIC` (groups).
   */
  public abstract readonly segmentType: string;

  /**
   * Validates the query and renders it for the contract.
   * @internal
   */
  public abstract _render(v: Validator): RenderedQuery;

  /**
   * The segment definitions the query starts from.
   * @internal
   */
  public abstract _sourceSegments(): refs.ISegmentDefinitionRef[];
}

class SqlSegmentQuery extends SegmentQuery {
  public readonly segmentType = 'ENHANCED';

  constructor(private readonly query: string) {
    super();
  }

  public _render(v: Validator): RenderedQuery {
    const q = this.query;
    if (typeof q !== 'string') {
      v.fail('query', 'SegmentQuery.sql() needs the query as a string');
    } else if (!Token.isUnresolved(q)) {
      // The SQL is customer data: say its length, never its text.
      v.check(q.trim().length === 0 || q.length > MAX_SQL_LENGTH, 'query',
        `SQL must be 1-${MAX_SQL_LENGTH} characters long and not blank, got a query of ${q.length} characters`);
    }
    return { sql: q };
  }

  public _sourceSegments(): refs.ISegmentDefinitionRef[] {
    return [];
  }
}

class GroupsSegmentQuery extends SegmentQuery {
  public readonly segmentType = 'CLASSIC';

  constructor(private readonly options: SegmentGroupsOptions) {
    super();
  }

  public _render(v: Validator): RenderedQuery {
    const groups = this.options.groups ?? [];
    v.check(groups.length === 0, 'query', 'SegmentQuery.groups() needs at least one group');
    const rendered = groups.map((group, i) => {
      const field = `query.groups[${i}]`;
      const dimensions = group.dimensions ?? [];
      const sources = group.sourceSegments ?? [];
      v.check(dimensions.length === 0 && sources.length === 0, field, 'needs at least one dimension or source segment');
      return compact({
        Dimensions: dimensions.length > 0 ? dimensions.map((d, j) => d._render(v, `${field}.dimensions[${j}]`)) : undefined,
        SourceSegments: sources.length > 0
          ? sources.map((s) => ({ SegmentDefinitionName: s.segmentDefinitionRef.segmentDefinitionName }))
          : undefined,
        SourceType: group.sourceSegmentsInclude?.value,
        Type: group.dimensionsInclude?.value,
      });
    });
    return { groups: compact({ Groups: rendered, Include: this.options.include?.value }) };
  }

  public _sourceSegments(): refs.ISegmentDefinitionRef[] {
    return (this.options.groups ?? []).flatMap((g) => g.sourceSegments ?? []);
  }
}

function compact(o: Json): Json {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** How profiles are ordered in the segment. */
export class SortOrder {
  /** Ascending. */
  public static readonly ASC = new SortOrder('ASC');
  /** Descending. */
  public static readonly DESC = new SortOrder('DESC');

  /** A sort order by its API name. */
  public static of(value: string): SortOrder {
    return new SortOrder(value);
  }

  /** @param value the API name of the sort order */
  private constructor(public readonly value: string) {}
}

/** How a sort attribute's values compare. */
export class SortDataType {
  /** As text. */
  public static readonly STRING = new SortDataType('STRING');
  /** As numbers. */
  public static readonly NUMBER = new SortDataType('NUMBER');
  /** As dates. */
  public static readonly DATE = new SortDataType('DATE');

  /** A sort data type by its API name. */
  public static of(value: string): SortDataType {
    return new SortDataType(value);
  }

  /** @param value the API name of the data type */
  private constructor(public readonly value: string) {}
}

/** Where a sort attribute comes from. */
export class SortAttributeType {
  /** A profile attribute. */
  public static readonly PROFILE = new SortAttributeType('PROFILE');
  /** A calculated attribute. */
  public static readonly CALCULATED = new SortAttributeType('CALCULATED');

  /** A sort attribute type by its API name. */
  public static of(value: string): SortAttributeType {
    return new SortAttributeType(value);
  }

  /** @param value the API name of the sort attribute type */
  private constructor(public readonly value: string) {}
}

/** One attribute the profiles of a segment are sorted by. */
export interface SegmentSortAttribute {
  /** The attribute name (1-64 letters, digits, `_`, `.` or `-`). */
  readonly name: string;

  /** The sort order. */
  readonly order: SortOrder;

  /**
   * How values compare.
   * @default - the service's default for the attribute
   */
  readonly dataType?: SortDataType;

  /**
   * Whether the attribute is a profile attribute or a calculated attribute.
   * @default SortAttributeType.PROFILE
   */
  readonly attributeType?: SortAttributeType;
}
