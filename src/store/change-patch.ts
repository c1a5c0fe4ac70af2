import type { Change } from '../approvals/types.js';
import { AppError } from '../membership/errors.js';

export type ChangePatch = Partial<Omit<Change, 'id' | 'status'>>;

/**
 * Drops keys whose value is `undefined`: a JSON document cannot hold them, so both stores treat
 * `{ reason: undefined }` as "leave `reason` alone" and behave the same. Top-level merge only, like jsonb `||`.
 */
export function definedFields(patch: ChangePatch | undefined): ChangePatch {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch ?? {})) {
    if (value !== undefined && key !== 'id' && key !== 'status') out[key] = value;
  }
  return out as ChangePatch;
}

/** Oldest first; the id breaks ties so that both stores list in the same order. */
export function compareByCreatedAt(a: Change, b: Change): number {
  const byTime = Date.parse(a.createdAt) - Date.parse(b.createdAt);
  if (byTime !== 0 && !Number.isNaN(byTime)) return byTime;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** `--since` comes from a person; an unparsable date must say so rather than export nothing. */
export function parseSince(since: string | undefined): Date | undefined {
  if (since === undefined) return undefined;
  const at = new Date(since);
  if (Number.isNaN(at.getTime())) {
    throw new AppError('invalid_input', `"${since}" is not a date; use an ISO date such as 2026-01-31`, {
      since,
    });
  }
  return at;
}

/** A limit of undefined means "all"; anything else must be a positive integer. */
export function checkLimit(limit: number | undefined): number | undefined {
  if (limit === undefined) return undefined;
  if (!Number.isInteger(limit) || limit < 0) {
    throw new AppError('invalid_input', `limit must be a non-negative integer, got ${limit}`, { limit });
  }
  return limit;
}
