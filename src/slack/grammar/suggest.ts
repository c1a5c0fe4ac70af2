import { editDistance } from '../../util/edit-distance.js';
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
