const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/**
 * Parses durations written as people write them in a `.env`: `15m`, `36h`, `7d`, `1h30m`, `90s`.
 * Returns milliseconds, or null when the text is not a positive duration. A bare number is refused on
 * purpose: "7" could mean days or seconds, and guessing wrong would expire requests early.
 */
export function parseDuration(text: string): number | null {
  const trimmed = text.trim().toLowerCase();
  if (!/^(\d+\s*[smhdw]\s*)+$/.test(trimmed)) return null;
  let total = 0;
  for (const match of trimmed.matchAll(/(\d+)\s*([smhdw])/g)) {
    total += Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  }
  return total > 0 && Number.isSafeInteger(total) ? total : null;
}

/** `604800000` → `7d`, for messages that say how long something lasts. */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [
    ['d', UNIT_MS.d],
    ['h', UNIT_MS.h],
    ['m', UNIT_MS.m],
  ] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${Math.round(ms / 1000)}s`;
}
