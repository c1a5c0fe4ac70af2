// A fixed locale: the bot's messages are in English and must not change with the server's locale. Built on
// first use: building an Intl formatter loads its locale data (10–17 ms measured), which a start need not
// wait for.
let countFormat: Intl.NumberFormat | undefined;

/** `1000` → `1,000`. Non-finite numbers are shown as they are rather than as `NaN` pretending to be a count. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  countFormat ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  return countFormat.format(n);
}
