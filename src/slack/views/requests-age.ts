import { pluralize } from '../text/pluralize.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A duration in the largest unit that fits, rounded down: "less than a minute", "5 minutes", "3 hours",
 * "6 days". Negative or non-finite input counts as none.
 */
export function formatAge(ms: number): string {
  const span = Number.isFinite(ms) ? Math.max(0, ms) : 0;
  if (span < MINUTE) return 'less than a minute';
  for (const [size, unit] of [
    [DAY, 'day'],
    [HOUR, 'hour'],
    [MINUTE, 'minute'],
  ] as const) {
    if (span >= size) {
      const n = Math.floor(span / size);
      return `${n} ${pluralize(n, unit, `${unit}s`)}`;
    }
  }
  return 'less than a minute';
}
