import { errorResponse, type FakeResponse, type Paging } from './format.js';

/**
 * Query parameters each route accepts. Every name here is documented for that path and method in Kantata's
 * Swagger spec (checked by test/unit/kantata/fake-kantata-allowlist.test.ts); the fake implements only this
 * subset, so anything else, documented or not, is answered 400 naming the parameter. That catches a client
 * sending a filter Kantata does not have (e.g. `user_id` instead of `user_ids`), which the real API would
 * silently ignore, returning far more than asked.
 */
export const ALLOWED_QUERY_PARAMS = {
  'GET /users': [
    'on_my_account',
    'show_disabled',
    'include',
    'by_email_address',
    'by_email_addresses',
    'by_full_name',
    'only',
    'order',
    'page',
    'per_page',
  ],
  'GET /users/me': ['include'],
  'GET /workspace_groups': ['matching', 'only', 'order', 'page', 'per_page'],
  'GET /workspace_groups/{id}': [],
  'GET /user_group_memberships': ['group_ids', 'user_ids', 'include', 'only', 'order', 'page', 'per_page'],
  'POST /user_group_memberships': ['include'],
  'DELETE /user_group_memberships/{id}': [],
} as const satisfies Record<string, readonly string[]>;

export type RouteKey = keyof typeof ALLOWED_QUERY_PARAMS;

/** A request the fake refuses; the server answers with `response`. */
export class FakeRequestError extends Error {
  constructor(readonly response: FakeResponse) {
    super('fake-kantata refused the request');
  }
}

function refuse(message: string, status = 400, type = 'system'): never {
  throw new FakeRequestError(errorResponse(status, type, message));
}

export function checkAllowedParams(route: RouteKey, query: Record<string, string>): void {
  const allowed: readonly string[] = ALLOWED_QUERY_PARAMS[route];
  for (const name of Object.keys(query)) {
    if (!allowed.includes(name)) {
      refuse(
        `Unknown parameter '${name}' for ${route} (fake-kantata accepts: ${allowed.join(', ') || 'none'})`,
      );
    }
  }
}

/** `page` ≥ 1 (default 1), `per_page` 1..200 (default 20), as the spec says. */
export function readPaging(query: Record<string, string>): Paging {
  const page = readInt(query, 'page', 1);
  const perPage = readInt(query, 'per_page', 20);
  if (page < 1) refuse(`page must be at least 1, got ${page}`);
  if (perPage < 1 || perPage > 200) refuse(`per_page must be between 1 and 200, got ${perPage}`);
  return { page, perPage };
}

function readInt(query: Record<string, string>, name: string, fallback: number): number {
  const raw = query[name];
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) refuse(`${name} must be an integer, got '${raw}'`);
  return Number(raw);
}

export function readBool(query: Record<string, string>, name: string): boolean {
  const raw = query[name];
  if (raw === undefined) return false;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  return refuse(`${name} must be true or false, got '${raw}'`);
}

/** A comma-separated id list (`10,20`). An empty value is refused: Kantata would drop the filter. */
export function readIdList(query: Record<string, string>, name: string): string[] | undefined {
  const raw = query[name];
  if (raw === undefined) return undefined;
  const ids = raw.split(',').map((id) => id.trim());
  if (raw.trim() === '' || ids.some((id) => !/^\d+$/.test(id))) {
    refuse(`${name} must be a comma-separated list of ids, got '${raw}'`);
  }
  return ids;
}

export function readList(query: Record<string, string>, name: string, max: number): string[] | undefined {
  const raw = query[name];
  if (raw === undefined) return undefined;
  const values = raw
    .split(',')
    .map((value) => value.trim())
    .filter((value) => value !== '');
  if (values.length === 0) refuse(`${name} must not be empty`);
  if (values.length > max) refuse(`${name} accepts at most ${max} values, got ${values.length}`);
  return values;
}

/** `include=a,b`: each must be one this route implements; documented-but-unimplemented ones say so. */
export function readIncludes(
  query: Record<string, string>,
  implemented: readonly string[],
  documented: readonly string[],
): Set<string> {
  const raw = query.include;
  if (raw === undefined) return new Set();
  const names = raw.split(',').map((name) => name.trim());
  for (const name of names) {
    if (implemented.includes(name)) continue;
    if (documented.includes(name))
      refuse(`include '${name}' is documented but fake-kantata does not implement it`);
    refuse(`Unknown include '${name}' (valid: ${documented.join(', ')})`);
  }
  return new Set(names);
}

/** `order=field:direction` from the route's documented values (case-insensitive, like `name:ASC`). */
export function readOrder(query: Record<string, string>, valid: readonly string[], fallback: string): string {
  const raw = (query.order ?? fallback).toLowerCase();
  if (!valid.includes(raw)) refuse(`Invalid order '${query.order}' (valid: ${valid.join(', ')})`);
  return raw;
}
