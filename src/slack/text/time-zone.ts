/**
 * The end of a day in a person's own time zone (Slack's `tz`), with the runtime's Intl data: no library is
 * needed for one offset lookup. Unknown or absent zones are UTC. (Times shown to people are `<!date>` tokens,
 * which Slack renders in each reader's zone: see slack-date.ts.)
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(tz: string): Intl.DateTimeFormat {
  let formatter = formatters.get(tz);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, formatter);
  }
  return formatter;
}

function zoneOf(tz: string | undefined): string {
  if (!tz) return 'UTC';
  try {
    partsFormatter(tz);
    return tz;
  } catch {
    return 'UTC';
  }
}

function localParts(ms: number, tz: string) {
  const parts = Object.fromEntries(
    partsFormatter(tz)
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** Local time minus UTC at this instant, in milliseconds. */
function offsetAt(ms: number, tz: string): number {
  const p = localParts(ms, tz);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The instant `YYYY-MM-DD` 00:00 begins in `tz` (twice corrected, for a day that starts in a DST change). */
function startOfDay(date: string, tz: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d);
  let guess = wall - offsetAt(wall, tz);
  guess = wall - offsetAt(guess, tz);
  return guess;
}

/** The end of that day in that zone (`--until`): the last minute of it, 23:59 local time. */
export function endOfDayIn(date: string, tz: string | undefined): Date {
  const zone = zoneOf(tz);
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
  return new Date(startOfDay(next, zone) - 60_000);
}
