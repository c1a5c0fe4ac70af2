const FILLED = '▓';
const EMPTY = '░';
// Slack text is small; a runaway width must not build a megabyte string.
const MAX_WIDTH = 100;

/**
 * `progressBar(400, 1000)` → `▓▓▓▓░░░░░░`. Rounds down so the bar is only full when the work is done;
 * an empty job (total 0) counts as done. Out-of-range or non-finite input is clamped, never thrown.
 */
export function progressBar(done: number, total: number, width = 10): string {
  const cells = Number.isFinite(width) ? Math.min(MAX_WIDTH, Math.max(0, Math.floor(width))) : 10;
  const ratio = total === 0 ? 1 : total > 0 ? done / total : 0;
  const filled = Number.isFinite(ratio) ? Math.min(cells, Math.max(0, Math.floor(ratio * cells))) : 0;
  return FILLED.repeat(filled) + EMPTY.repeat(cells - filled);
}
