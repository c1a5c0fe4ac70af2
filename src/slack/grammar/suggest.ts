import { SUBCOMMANDS, type Subcommand } from './usage.js';

// Sub-commands are short; comparing more of a long word only costs time and never changes the answer.
const MAX_COMPARED = 24;

/**
 * The sub-command closest to a word that was not understood, if one is close enough to be a likely typo
 * (`memebrs`, `hisotry`, `ad`) or the word is the start of one (`mem`). Otherwise undefined: suggesting
 * `add` for `xyzzy` would only confuse.
 */
export function closestSubcommand(word: string): Subcommand | undefined {
  const typed = word.toLowerCase().slice(0, MAX_COMPARED);
  if (typed.length >= 2) {
    const prefixed = SUBCOMMANDS.filter((name) => name.startsWith(typed));
    if (prefixed.length === 1) return prefixed[0];
  }
  let best: Subcommand | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const name of SUBCOMMANDS) {
    const distance = editDistance(typed, name);
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  const allowed = Math.max(1, Math.min(2, Math.floor(typed.length / 3)));
  return bestDistance <= allowed ? best : undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours cost 1. */
export function editDistance(a: string, b: string): number {
  // rows[i][j] = distance between a[0..i) and b[0..j); three rows suffice for the swap rule.
  let before: number[] = [];
  let previous: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current: number[] = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, (before[j - 2] ?? 0) + 1);
      current.push(d);
    }
    before = previous;
    previous = current;
  }
  return previous[b.length] ?? 0;
}
