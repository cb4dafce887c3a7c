import { randomUUID } from 'crypto';
import { requireDomain } from './domain';
import { requireDomainObjectType } from './domain-object-type';
import { badRequest, ServiceError } from './errors';
import { isRecord, ServiceModel } from './model';
import { paginate } from './pagination';
import { Output } from './protocol';
import { OperationRegistry } from './registry';
import { DomainRecord, Interaction, SeedRecord } from './state';
import { validateShape } from './validate';

/**
 * Data arriving in a domain: PutProfileObject, as an integration delivers objects of an object
 * type, and SearchProfiles to find the profiles they made.
 *
 * Assumptions (the API has no PutDomainObject, and the mapping language is not documented beyond
 * the field docs): PutProfileObject takes the name of a domain object type; each field's `Source`
 * `_source.<path>` is read from the object and stored under the field's name. Targets say what
 * the value is:
 * - `_profile.<member>`, `_profile.Attributes.<key>`, `_profile.<address>.<field>`: the profile the
 *   object belongs to. It is found by the first of AccountNumber, EmailAddress, PhoneNumber the
 *   object carries, and gets the object's profile values; none found, an inferred profile is
 *   created (the API doc of PutProfileObject describes inferred profiles).
 * - `_webAnalytics.EventType`, `_webAnalytics.Item.Id`, `_webAnalytics.EventValue`: an item
 *   interaction of that profile, which recommenders train on (`_webAnalytics` is the only dataset
 *   RecommenderSchemaFields accepts; EventType, Item.Id and EventValue are the columns
 *   IncludedColumns always includes).
 * - `_item.<CatalogItem member>`: the item catalog GetProfileRecommendations describes items with.
 */

interface PutInput {
  readonly DomainName: string;
  readonly ObjectTypeName: string;
  readonly Object: string;
}

interface SearchInput {
  readonly DomainName: string;
  readonly KeyName: string;
  readonly Values: string[];
  readonly AdditionalSearchKeys?: unknown[];
  readonly NextToken?: string;
  readonly MaxResults?: number;
}

interface FieldConfig {
  readonly Source: string;
  readonly Target: string;
  readonly ContentType?: string;
}

/** Profile members that identify the profile an object belongs to, in the order they are tried. */
const PROFILE_KEYS = ['AccountNumber', 'EmailAddress', 'PhoneNumber'] as const;
/** SearchProfiles' predefined keys the emulator answers, and the profile member each searches. */
const SEARCH_KEYS: Record<string, string> = { _profileId: 'ProfileId', _account: 'AccountNumber', _email: 'EmailAddress', _phone: 'PhoneNumber' };
const ADDRESSES = new Set(['Address', 'ShippingAddress', 'MailingAddress', 'BillingAddress']);
const PROFILE_SHAPE = 'com.amazonaws.customerprofiles#Profile';
const CATALOG_ITEM_SHAPE = 'com.amazonaws.customerprofiles#CatalogItem';

export function registerProfileObjectOperations(registry: OperationRegistry): void {
  registry.register<PutInput>('PutProfileObject', (input, ctx) => {
    const domain = requireDomain(ctx, input.DomainName);
    const objectType = requireDomainObjectType(domain, input.ObjectTypeName);
    const object = parseObject(input.Object);
    const fields = (objectType.config.Fields ?? {}) as Record<string, FieldConfig>;
    const values: SeedRecord = {};
    const profile: Record<string, unknown> = {};
    const web: Record<string, string> = {};
    for (const [name, field] of Object.entries(fields)) {
      const value = readSource(object, field.Source);
      if (value === undefined) continue;
      values[name] = field.ContentType === 'NUMBER' && Number.isFinite(Number(value)) ? Number(value) : typeof value === 'boolean' ? String(value) : value;
      mapTarget(field.Target, String(value), profile, web);
    }
    const profileId = Object.keys(profile).length > 0 ? upsertProfile(ctx.model, domain, profile) : undefined;
    const interaction = interactionOf(web);
    const key = ctx.store.nextId();
    const records = domain.objects.get(objectType.name) ?? [];
    records.push({ values, at: ctx.clock.now(), key, profileId, interaction: profileId ? interaction : undefined });
    domain.objects.set(objectType.name, records);
    return { ProfileObjectUniqueKey: key };
  });

  registry.register<SearchInput>('SearchProfiles', (input, ctx) => {
    const domain = requireDomain(ctx, input.DomainName);
    const member = SEARCH_KEYS[input.KeyName];
    if (!member || (input.AdditionalSearchKeys?.length ?? 0) > 0) {
      throw new ServiceError('NotImplementedException',
        `SearchProfiles: the local emulator searches only by one of ${Object.keys(SEARCH_KEYS).join(', ')} (no AdditionalSearchKeys), got ${input.KeyName}`);
    }
    const wanted = new Set(input.Values);
    const found = domain.profiles.filter((p) => typeof p[member] === 'string' && wanted.has(p[member] as string));
    const page = paginate(found, input.NextToken, input.MaxResults, 20);
    return { Items: page.items.map((p) => ({ ...p })), NextToken: page.nextToken };
  });
}

/** An interaction put in the domain: who, when, what. */
export interface StoredInteraction extends Interaction {
  readonly profileId: string;
  readonly at: number;
}

/** The domain's item interactions put until `until` (simulated ms), oldest first. */
export function interactionsUntil(domain: DomainRecord, until: number): StoredInteraction[] {
  const out: StoredInteraction[] = [];
  for (const records of domain.objects.values()) {
    for (const r of records) {
      if (r.interaction && r.profileId && r.at <= until) out.push({ ...r.interaction, profileId: r.profileId, at: r.at });
    }
  }
  return out.sort((a, b) => a.at - b.at);
}

/** The catalog entry of an item, from objects whose type maps `_item.Id` (the latest wins); just the Id otherwise. */
export function catalogItem(model: ServiceModel, domain: DomainRecord, itemId: string): Output {
  let item: Output = { Id: itemId };
  for (const type of domain.objectTypes.values()) {
    const fields = Object.entries((type.config.Fields ?? {}) as Record<string, FieldConfig>)
      .filter(([, f]) => f.Target.startsWith('_item.'))
      .map(([name, f]) => [name, f.Target.slice('_item.'.length)] as const);
    const idField = fields.find(([, member]) => member === 'Id')?.[0];
    if (!idField) continue;
    for (const r of domain.objects.get(type.name) ?? []) {
      if (String(r.values[idField]) !== itemId) continue;
      const candidate: Record<string, unknown> = { Id: itemId };
      for (const [name, member] of fields) {
        if (member !== 'Id' && r.values[name] !== undefined) candidate[member] = String(r.values[name]);
      }
      // A catalog field the CatalogItem shape does not have, or a value it does not allow, is left out.
      item = validateShape(model, CATALOG_ITEM_SHAPE, candidate).length === 0 ? candidate : { Id: itemId };
    }
  }
  return item;
}

function parseObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the input, which is customer data.
    throw badRequest('Object is not valid JSON');
  }
  if (!isRecord(value)) throw badRequest('Object must be a JSON object');
  return value;
}

/** `_source.a.b` read from the object; other expressions (templates) are not evaluated. */
function readSource(object: Record<string, unknown>, source: string): string | number | boolean | undefined {
  if (!source.startsWith('_source.')) return undefined;
  let value: unknown = object;
  for (const part of source.slice('_source.'.length).split('.')) value = isRecord(value) ? value[part] : undefined;
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : undefined;
}

function mapTarget(target: string, value: string, profile: Record<string, unknown>, web: Record<string, string>): void {
  const parts = target.split('.');
  if (parts[0] === '_webAnalytics') {
    web[parts.slice(1).join('.')] = value;
  } else if (parts[0] === '_profile' && parts.length === 2 && parts[1] !== 'ProfileId') {
    profile[parts[1]] = value;
  } else if (parts[0] === '_profile' && parts.length === 3 && (parts[1] === 'Attributes' || ADDRESSES.has(parts[1]))) {
    const nested = (profile[parts[1]] ?? {}) as Record<string, string>;
    nested[parts[2]] = value;
    profile[parts[1]] = nested;
  }
}

function interactionOf(web: Record<string, string>): Interaction | undefined {
  const eventType = web.EventType;
  const itemId = web['Item.Id'];
  if (!eventType || !itemId) return undefined;
  const eventValue = web.EventValue !== undefined && Number.isFinite(Number(web.EventValue)) ? Number(web.EventValue) : undefined;
  return { eventType, itemId, eventValue };
}

/** Finds the object's profile by its keys and merges the object's values into it, or creates an inferred one. */
function upsertProfile(model: ServiceModel, domain: DomainRecord, values: Record<string, unknown>): string {
  const key = PROFILE_KEYS.find((k) => typeof values[k] === 'string');
  const existing = key ? domain.profiles.find((p) => p[key] === values[key]) : undefined;
  const merged: Record<string, unknown> = { ...(existing ?? { ProfileId: randomUUID().replace(/-/g, '') }) };
  for (const [member, value] of Object.entries(values)) {
    merged[member] = isRecord(value) ? { ...(isRecord(merged[member]) ? merged[member] : {}), ...value } : value;
  }
  const violations = validateShape(model, PROFILE_SHAPE, merged);
  if (violations.length > 0) {
    throw badRequest(`The object's profile fields do not make a valid profile: ${violations.join('; ')}`);
  }
  if (existing) Object.assign(existing, merged);
  else domain.profiles.push(merged);
  return merged.ProfileId as string;
}
