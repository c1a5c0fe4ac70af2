/**
 * A time as Slack's `<!date>` token, which every reader sees in their own time zone, with a UTC fallback for
 * clients that cannot render it. Accepts an ISO string, a Date or epoch milliseconds; anything unparseable
 * yields `undefined` so callers can leave the time out rather than print "Invalid Date".
 */
export function slackDate(value: unknown): string | undefined {
  const ms = toEpochMs(value);
  if (ms === undefined) return undefined;
  const fallback = `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} at {time}|${fallback}>`;
}

function toEpochMs(value: unknown): number | undefined {
  let ms: number;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'number') ms = value;
  else if (typeof value === 'string' && value.trim() !== '') ms = Date.parse(value);
  else return undefined;
  // Date's own range (±8.64e15 ms); beyond it toISOString throws.
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? ms : undefined;
}
