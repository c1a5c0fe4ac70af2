import type { SyncFigures } from './phase-sync.js';
import { describeSlack } from './request-counts.js';
import type { Target } from './results.js';
import { round } from './stats.js';

/** Section 9 of the report: "Sync a 5,000-person user group into a 4,000-member group" (issue 13). */
export function renderSync(s: SyncFigures | undefined): string[] {
  if (!s) return [];
  const n = (x: number) => x.toLocaleString('en-US');
  return [
    '',
    `9. Sync: a ${n(s.source)}-person user group into a ${n(s.group)}-member group, ${n(s.to_add)} to add and ${n(s.to_remove)} to remove (Kantata latency ${s.kantata_latency_ms} ms)`,
    `   Apply → result: ${n(Math.round(s.wall_ms))} ms; bound ${s.bound_formula} = ${n(s.bound_ms)} ms; ×bound ${s.ratio_vs_bound}`,
    `   Kantata (apply): ${s.kantata_requests} requests: ${s.reads} reads, ${s.posts} POSTs, ${s.deletes} DELETEs; preview ${n(Math.round(s.preview_ms))} ms, ${s.preview_kantata_requests} requests; bot CPU: preview ${n(s.preview_bot_cpu_ms)} ms, apply ${n(s.apply_bot_cpu_ms)} ms`,
    `   Slack: ${s.slack_calls} calls (${describeSlack(s.slack_calls_by_method)}); members afterwards: ${n(s.members_after)}`,
  ];
}

/** The targets: POSTs = ⌈add/100⌉ and DELETEs = remove (counts), ≤ 1.3× the bound (timing). */
export function syncTargets(s: SyncFigures | undefined): Target[] {
  if (!s) return [];
  const posts = Math.ceil(s.to_add / 100);
  const after = s.group - s.to_remove + s.to_add;
  return [
    {
      name: 'sync: ×bound',
      want: '≤ 1.3',
      got: `${round(s.ratio_vs_bound, 2)}`,
      met: s.ratio_vs_bound <= 1.3,
      kind: 'timing',
    },
    { name: 'sync: POSTs', want: `${posts}`, got: `${s.posts}`, met: s.posts === posts, kind: 'count' },
    {
      name: 'sync: DELETEs',
      want: `${s.to_remove}`,
      got: `${s.deletes}`,
      met: s.deletes === s.to_remove,
      kind: 'count',
    },
    {
      name: 'sync: members afterwards',
      want: `${after}`,
      got: `${s.members_after}`,
      met: s.members_after === after,
      kind: 'count',
    },
  ];
}
