// A fixed locale: the bot's messages are in English and must not change with the server's locale.
const COUNT_FORMAT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** `1000` → `1,000`. Non-finite numbers are shown as they are rather than as `NaN` pretending to be a count. */
export function formatCount(n: number): string {
  return Number.isFinite(n) ? COUNT_FORMAT.format(n) : String(n);
}
