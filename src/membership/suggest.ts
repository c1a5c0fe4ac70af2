import { editDistance } from '../util/edit-distance.js';
import { groupNameKey } from './text.js';

/** How far a name may be from what was typed and still be suggested, by the length of what was typed. */
function tolerance(length: number): number {
  if (length <= 3) return 1;
  if (length <= 6) return 2;
  return 3;
}

type Scored = { name: string; rank: number; distance: number };

/**
 * How close `key` (a normalised query) is to `candidate` (a normalised name): rank 0 prefix, 1 substring,
 * 2 a typo away (from the whole name, its start, or one of its words); null when not close at all.
 */
function score(key: string, candidate: string): { rank: number; distance: number } | null {
  if (candidate.startsWith(key)) return { rank: 0, distance: candidate.length - key.length };
  if (candidate.includes(key)) return { rank: 1, distance: candidate.length - key.length };
  const max = tolerance(key.length);
  const pieces = [candidate, candidate.slice(0, key.length), ...candidate.split(' ')];
  let best = max + 1;
  for (const piece of pieces) best = Math.min(best, editDistance(key, piece, max));
  return best <= max ? { rank: 2, distance: best } : null;
}

/**
 * Up to `limit` names closest to `query`, best first: names that start with it, then names that contain it,
 * then names a typo or two away; ties alphabetically. Case and extra whitespace are ignored.
 */
export function suggestNames(query: string, names: readonly string[], limit = 5): string[] {
  const key = groupNameKey(query);
  if (key.length === 0) return [];
  const scored: Scored[] = [];
  for (const name of names) {
    const s = score(key, groupNameKey(name));
    if (s) scored.push({ name, ...s });
  }
  scored.sort((a, b) => a.rank - b.rank || a.distance - b.distance || a.name.localeCompare(b.name));
  return scored.slice(0, limit).map((s) => s.name);
}
