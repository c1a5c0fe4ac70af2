import type { RestartFigures } from './phase-restart.js';
import { table } from './report-table.js';
import type { Target } from './results.js';
import { round } from './stats.js';

const int = (n: number) => Math.round(n).toLocaleString('en-US');

/** Section 7 of the report: "after a restart" (issue 10). */
export function renderRestart(r: RestartFigures | undefined): string[] {
  if (!r) return [];
  return [
    '',
    `7. After a restart (the fake's rate tiers on): ${int(r.mentions)}-mention add, ${int(r.workspace)}-person workspace`,
    table(
      ['', 'users.list calls', 'preview ms', 'bot CPU ms'],
      [
        [
          'first start (lists and saves the directory)',
          `${r.first_load_users_list_calls}`,
          `${int(r.first_load_ms)} (load)`,
          '',
        ],
        [
          'warm (same process, directory loaded)',
          '',
          `${int(r.warm_preview_ms)}`,
          `${int(r.warm_preview_bot_cpu_ms)}`,
        ],
        [
          'right after a restart',
          `${r.users_list_calls_before_preview}`,
          `${int(r.preview_ms)}`,
          `${int(r.preview_bot_cpu_ms)}`,
        ],
      ],
    ),
    `   429s answered by the fake's tiers (waited out): ${JSON.stringify(r.rate_limited)}`,
  ];
}

/** The targets: no users.list call before the preview (count), preview ≤ 1.5× warm (timing). */
export function restartTargets(r: RestartFigures | undefined): Target[] {
  if (!r) return [];
  return [
    {
      name: 'after a restart: users.list calls before the preview',
      want: '0',
      got: `${r.users_list_calls_before_preview}`,
      met: r.users_list_calls_before_preview === 0,
      kind: 'count',
    },
    {
      name: 'after a restart: preview ×warm',
      want: '≤ 1.5',
      got: `${round(r.preview_ms / Math.max(1, r.warm_preview_ms), 2)}`,
      met: r.preview_ms <= 1.5 * r.warm_preview_ms,
      kind: 'timing',
    },
  ];
}
