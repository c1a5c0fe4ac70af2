/**
 * Lower bounds on wall time: the Kantata requests SPEC §5 requires, sent `concurrency` at a time, each
 * costing `latencyMs`; a step that needs the answers of the previous one starts a new round. Local work
 * (parsing, the store, Slack) is taken as free, so the ratio to the bound is the whole overhead.
 */

/** Kantata's page size and id-list limit (SPEC §5). */
export const PER_REQUEST = 200;
/** Kantata's bulk-create limit (SPEC §5). */
export const PER_POST = 100;

export type Bound = { requests: number; rounds: number; ms: number; formula: string };

const rounds = (requests: number, concurrency: number) => Math.ceil(requests / concurrency);

/**
 * Applying an add of `n` people who are not yet members (from the Apply click): read who of them is a
 * member (⌈n/200⌉ GETs), then ⌈n/100⌉ POSTs.
 * bound = (⌈reads/C⌉ + ⌈posts/C⌉) × L
 */
export function applyAddBound(n: number, concurrency: number, latencyMs: number): Bound {
  const reads = Math.ceil(n / PER_REQUEST);
  const posts = Math.ceil(n / PER_POST);
  const r = rounds(reads, concurrency) + rounds(posts, concurrency);
  return {
    requests: reads + posts,
    rounds: r,
    ms: r * latencyMs,
    formula: `(⌈${reads}/${concurrency}⌉ + ⌈${posts}/${concurrency}⌉) × ${latencyMs} ms`,
  };
}

/**
 * The preview of an add of `n` people named by email or mention: find the group by name (1 GET) and
 * the people (⌈n/200⌉ GETs by email), which do not depend on each other, then read who of them is a
 * member (⌈n/200⌉ GETs).  bound = (⌈(1 + lookups)/C⌉ + ⌈reads/C⌉) × L
 */
export function previewAddBound(n: number, concurrency: number, latencyMs: number): Bound {
  const lookups = Math.ceil(n / PER_REQUEST);
  const reads = Math.ceil(n / PER_REQUEST);
  const r = rounds(1 + lookups, concurrency) + rounds(reads, concurrency);
  return {
    requests: 1 + lookups + reads,
    rounds: r,
    ms: r * latencyMs,
    formula: `(⌈(1 + ${lookups})/${concurrency}⌉ + ⌈${reads}/${concurrency}⌉) × ${latencyMs} ms`,
  };
}

/**
 * Listing a group of `size` members by name: find the group (1 GET), read page 1 (it tells the page
 * count), then the other ⌈size/200⌉ − 1 pages concurrently.  bound = (2 + ⌈(pages − 1)/C⌉) × L
 */
export function membersBound(size: number, concurrency: number, latencyMs: number): Bound {
  const pages = Math.max(1, Math.ceil(size / PER_REQUEST));
  const r = 2 + rounds(pages - 1, concurrency);
  return {
    requests: 1 + pages,
    rounds: r,
    ms: r * latencyMs,
    formula: `(2 + ⌈${pages - 1}/${concurrency}⌉) × ${latencyMs} ms`,
  };
}

/** Slack calls allowed for a change naming people by mention in a workspace of `workspace` people. */
export function mentionSlackCallBudget(workspace: number): number {
  return Math.ceil(workspace / PER_REQUEST) + 10;
}
