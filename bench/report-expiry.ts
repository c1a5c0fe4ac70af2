import type { ExpiryFigures } from './phase-expiry.js';
import type { Target } from './results.js';
import { round } from './stats.js';

/** Section 8 of the report: "1,000 memberships end at once" (issue 12). */
export function renderExpiry(e: ExpiryFigures | undefined): string[] {
  if (!e) return [];
  return [
    '',
    `8. Membership ends: ${e.n.toLocaleString('en-US')} temporary memberships of one group end at once (Kantata latency ${e.kantata_latency_ms} ms, sweep every ${e.sweep_interval_ms} ms)`,
    `   due → "Access ended" posted: ${Math.round(e.wall_ms).toLocaleString('en-US')} ms; bound (DELETEs ${e.n} at KANTATA_CONCURRENCY): ${e.bound_ms.toLocaleString('en-US')} ms; ×bound ${e.ratio_vs_bound}`,
    `   DELETEs: ${e.deletes}; notices: ${e.notices}`,
  ];
}

/** The targets: ≤ 1.3× the bound (timing), exactly n DELETEs and one notice (counts). */
export function expiryTargets(e: ExpiryFigures | undefined): Target[] {
  if (!e) return [];
  return [
    {
      name: `membership ends: ${e.n} at once ×bound`,
      want: '≤ 1.3',
      got: `${round(e.ratio_vs_bound, 2)}`,
      met: e.ratio_vs_bound <= 1.3,
      kind: 'timing',
    },
    {
      name: `membership ends: DELETEs`,
      want: `${e.n}`,
      got: `${e.deletes}`,
      met: e.deletes === e.n,
      kind: 'count',
    },
    { name: 'membership ends: notices', want: '1', got: `${e.notices}`, met: e.notices === 1, kind: 'count' },
  ];
}
