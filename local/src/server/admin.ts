import { demoDataSet, loadSampleData, parseSampleDataSet, SampleDataOptions } from './sample-data';
import { ServerClock } from './server-clock';
import { AdminRoutes, Emulator } from '../emulator/emulator';
import { FaultError, FaultSpec } from '../emulator/faults';
import { isRecord } from '../emulator/model';
import { HttpResponseParts } from '../emulator/protocol';

/**
 * The admin API of the standalone server: plain JSON over HTTP under a prefix no Customer
 * Profiles route uses (the emulator refuses a prefix that could shadow one), so tests in any
 * language can move the clock, inject faults, load data, read the request log and reset.
 * Admin requests bypass faults, throttling and IAM, and are not in the request log.
 */
export const ADMIN_PREFIX = '/_emulator';

const FAULT_ERRORS: readonly FaultError[] = ['ThrottlingException', 'InternalServerException', 'AccessDeniedException', 'BadRequestException', 'ResourceNotFoundException'];

/** A refusal of the admin API: 400 (or `status`) with `{"message": ...}`. */
class AdminError extends Error {
  constructor(message: string, public readonly status = 400) {
    super(message);
  }
}

type Body = Record<string, unknown>;
type Route = (body: Body, url: URL) => unknown;

export interface AdminContext {
  readonly emulator: Emulator;
  readonly clock: ServerClock;
}

/** The routes, by `METHOD path` after the prefix (also what `GET /_emulator` lists). */
export function adminRoutes(ctx: () => AdminContext): Record<string, Route> {
  const emu = () => ctx().emulator;
  const clock = () => ctx().clock;
  const clockView = () => ({ now: new Date(clock().now()).toISOString(), epochMs: clock().now(), speed: clock().speed, frozen: clock().frozen });
  const routes: Record<string, Route> = {
    'GET ': () => ({
      endpoint: emu().endpoint,
      implementedOperations: emu().implementedOperations,
      iam: emu().iamEnabled,
      routes: Object.keys(routes).map(routeName),
    }),
    'GET /clock': () => clockView(),
    'POST /clock/advance': (b) => {
      const ms = b.ms !== undefined ? num(b, 'ms') : num(b, 'seconds') * 1000;
      clock().advance(ms);
      return clockView();
    },
    'POST /clock/set': (b) => {
      const time = b.time === undefined ? undefined : typeof b.time === 'number' ? b.time : Date.parse(String(b.time));
      if (time !== undefined && Number.isNaN(time)) throw new AdminError('"time" must be an ISO 8601 date or epoch milliseconds');
      if (b.frozen !== undefined && typeof b.frozen !== 'boolean') throw new AdminError('"frozen" must be true or false');
      clock().set(time, b.frozen as boolean | undefined);
      return clockView();
    },
    'POST /faults': (b) => {
      if (b.error !== undefined && !FAULT_ERRORS.includes(b.error as FaultError)) {
        throw new AdminError(`"error" must be one of ${FAULT_ERRORS.join(', ')}`);
      }
      emu().faults.add(b as FaultSpec);
      return { added: b };
    },
    'POST /faults/throttle': (b) => {
      emu().faults.throttle(b.requestsPerSecond === null || b.requestsPerSecond === undefined ? undefined : num(b, 'requestsPerSecond'));
      return { requestsPerSecond: b.requestsPerSecond ?? null };
    },
    'DELETE /faults': () => {
      emu().faults.clear();
      return { cleared: true };
    },
    'POST /recommenders/fail': (b) => {
      emu().failRecommender(str(b, 'domainName'), str(b, 'recommenderName'), str(b, 'reason'));
      return emu().state.recommender(str(b, 'domainName'), str(b, 'recommenderName'));
    },
    'POST /data-stores/fail': (b) => {
      emu().failDataStore(str(b, 'domainName'), str(b, 'message'));
      return { domainName: b.domainName };
    },
    'POST /segment-estimates/fail': (b) => {
      emu().failSegmentEstimates(str(b, 'domainName'), b.message === null ? undefined : str(b, 'message'));
      return { domainName: b.domainName, failing: b.message !== null };
    },
    'POST /sample-data': (b) => {
      const set = b.records !== undefined || b.objectTypes !== undefined
        ? parseSampleDataSet(b)
        : demoDataSet(str(b, 'domainName'), b as SampleDataOptions);
      return loadSampleData(emu(), set);
    },
    'POST /profiles': (b) => {
      if (!Array.isArray(b.profiles)) throw new AdminError('"profiles" must be an array of profiles (the Profile shape)');
      emu().seedProfiles(str(b, 'domainName'), b.profiles as Array<Record<string, unknown>>);
      return { profiles: b.profiles.length };
    },
    'POST /recommendations': (b) => {
      if (!Array.isArray(b.items)) throw new AdminError('"items" must be an array of {"catalogItemId", "score"}');
      emu().seedRecommendations(str(b, 'domainName'), str(b, 'recommenderName'), str(b, 'profileId'), b.items as never);
      return { items: b.items.length };
    },
    'GET /requests': () => ({ requests: emu().requests }),
    'DELETE /requests': () => {
      emu().resetRequests();
      return { cleared: true };
    },
    'GET /state': () => emu().snapshot(),
    'PUT /state': (b) => {
      emu().restore(b);
      return { domains: emu().state.domains() };
    },
    'POST /reset': () => {
      emu().reset();
      return { reset: true };
    },
  };
  return routes;
}

/** The emulator's admin hook for these routes. */
export function adminHook(ctx: () => AdminContext): AdminRoutes {
  const routes = adminRoutes(ctx);
  return {
    prefix: ADMIN_PREFIX,
    handle: async (method, url, raw) => {
      const key = `${method} ${url.pathname.slice(ADMIN_PREFIX.length).replace(/\/$/, '')}`;
      const route = routes[key];
      if (!route) {
        return json(404, { message: `No admin route ${method} ${url.pathname}; routes: ${Object.keys(routes).map(routeName).join(', ')}` });
      }
      try {
        return json(200, route(parseBody(raw), url) ?? {});
      } catch (e) {
        return json(e instanceof AdminError ? e.status : 400, { message: e instanceof Error ? e.message : String(e) });
      }
    },
  };
}

function routeName(key: string): string {
  const [method, path] = key.split(' ');
  return `${method} ${ADMIN_PREFIX}${path}`;
}

function parseBody(raw: Buffer): Body {
  if (raw.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new AdminError('the body is not valid JSON');
  }
  if (!isRecord(value)) throw new AdminError('the body must be a JSON object');
  return value;
}

function json(status: number, value: unknown): HttpResponseParts {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

function str(body: Body, key: string): string {
  const v = body[key];
  if (typeof v !== 'string' || v.length === 0) throw new AdminError(`"${key}" must be a non-empty string`);
  return v;
}

function num(body: Body, key: string): number {
  const v = body[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new AdminError(`"${key}" must be a number`);
  return v;
}
