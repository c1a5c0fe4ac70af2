import type { KantataGateway } from './ports.js';
import { compareNames, groupNameKey } from './text.js';
import type { Group } from './types.js';

/** A group with its comparison key computed once per refresh, so that type-ahead is a single cheap pass. */
export type CatalogEntry = { group: Group; key: string };

/** The account's groups, cached briefly (SPEC §5) so type-ahead answers well inside Slack's 3 seconds. */
export type GroupCatalog = {
  /** Every group, alphabetically. Fetched again when older than the TTL; concurrent callers share one fetch. */
  entries(): Promise<readonly CatalogEntry[]>;
  /** Groups whose name starts with, then contains, the query (normalised); alphabetical within each. */
  search(query: string, limit: number): Promise<Group[]>;
};

export function createGroupCatalog(deps: {
  kantata: KantataGateway;
  ttlMs: number;
  now: () => number;
}): GroupCatalog {
  let cached: { entries: CatalogEntry[]; fetchedAt: number } | null = null;
  let inFlight: Promise<CatalogEntry[]> | null = null;

  async function fetchEntries(): Promise<CatalogEntry[]> {
    const groups = await deps.kantata.listAllGroups();
    const entries = groups
      .map((group) => ({ group, key: groupNameKey(group.name) }))
      .sort((a, b) => compareNames(a.group.name, b.group.name));
    cached = { entries, fetchedAt: deps.now() };
    return entries;
  }

  async function entries(): Promise<readonly CatalogEntry[]> {
    if (cached && deps.now() - cached.fetchedAt < deps.ttlMs) return cached.entries;
    if (!inFlight) {
      const stale = cached;
      inFlight = fetchEntries()
        .catch((error: unknown) => {
          // A slightly old list beats a broken type-ahead while Kantata blips; with no list at all, fail.
          if (stale) return stale.entries;
          throw error;
        })
        .finally(() => {
          inFlight = null;
        });
    }
    return inFlight;
  }

  async function search(query: string, limit: number): Promise<Group[]> {
    const all = await entries();
    const key = groupNameKey(query);
    if (key.length === 0) return all.slice(0, limit).map((e) => e.group);
    const prefix: Group[] = [];
    const inner: Group[] = [];
    for (const entry of all) {
      if (entry.key.startsWith(key)) prefix.push(entry.group);
      else if (inner.length < limit && entry.key.includes(key)) inner.push(entry.group);
      if (prefix.length >= limit) break;
    }
    return [...prefix, ...inner].slice(0, limit);
  }

  return { entries, search };
}
