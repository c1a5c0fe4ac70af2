import { renderExpiry } from './report-expiry.js';
import { renderRestart } from './report-restart.js';
import { renderSync } from './report-sync.js';
import { table } from './report-table.js';
import { renderYear } from './report-year.js';
import type { BenchFigures, BulkAddFigures } from './results.js';

const int = (v: number | null) => (v === null ? 'n/a' : Math.round(v).toLocaleString('en-US'));
const times = (v: number | null) => (v === null ? 'n/a' : `${v}×`);

export type ReportContext = {
  details: { email: string; mention: string; mentionSlack: string; members: string };
  latency: { bulk: number; members: number };
  naiveMaxMeasured: number;
};

const BULK_HEADER = [
  'bulk add',
  'N',
  'preview ms',
  'apply ms',
  'bound ms',
  '×bound',
  'floor ms',
  '×floor',
  'bot CPU ms',
  'Kantata req',
  'POSTs',
  'Slack calls',
  'naive ms',
  '×naive',
  'peak RSS MB',
  'store MB',
];

function bulkRow(label: string, b: BulkAddFigures): string[] {
  return [
    label,
    int(b.n),
    int(b.preview_ms),
    int(b.wall_ms),
    int(b.bound_ms),
    times(b.ratio_vs_bound),
    int(b.floor_ms),
    times(b.ratio_vs_floor),
    int(b.bot_cpu_ms),
    `${b.kantata_requests}`,
    `${b.posts}`,
    `${b.slack_calls}`,
    `${int(b.naive_wall_ms)}${b.naive_estimated ? '*' : ''}`,
    times(b.ratio_vs_naive),
    `${b.peak_rss_mb}`,
    `${b.store_mb}`,
  ];
}

function ackRow(
  label: string,
  a: { p50: number; p99: number; max: number; notOk: number; answered: string },
) {
  return [label, `${a.p50}`, `${a.p99}`, `${a.max}`, `${a.notOk}`, a.answered];
}

/** "3 × 500": runs of commands (each figure is the median of the runs'). */
function runsOf(a: { runs: number; requests_per_run: number }): string {
  return a.runs > 1 ? `${a.runs} × ${a.requests_per_run}` : `${a.requests_per_run}`;
}

/** Each run's p99, printed under the table. */
function runsLine(label: string, a: { p99_runs_ms: number[] }): string {
  return `   ${label}: p99 of each run ${a.p99_runs_ms.join(', ')} ms (the table gives their median), after one run not counted`;
}

/** The whole human-readable report. */
export function renderReport(f: BenchFigures, ctx: ReportContext): string {
  const after = f.ack_after_changes;
  const out = [
    `Kantata Groups for Slack: benchmark${f.quick ? ' (--quick)' : ''}, KANTATA_CONCURRENCY=${f.kantata_concurrency}, ` +
      `${f.duration_s} s, load average ${f.load_average} at start`,
    '',
    `0. Start: spawn → /readyz 200, then idle RSS of the process tree (median of ${f.start.runs})`,
    table(
      ['start', 'start ms', 'idle RSS MB', 'processes'],
      [
        [
          'npm start (node dist/main.js)',
          int(f.start.start_ms),
          `${f.start.idle_rss_mb}`,
          `${f.start.processes}`,
        ],
        [
          'npm run dev (tsx src/main.ts)',
          int(f.start.dev.start_ms),
          `${f.start.dev.idle_rss_mb}`,
          `${f.start.dev.processes}`,
        ],
      ],
    ),
    '',
    `1. Ack latency: signed /groups commands, ${f.ack.in_flight} in flight, Kantata latency ${f.ack.kantata_latency_ms} ms`,
    table(
      ['time to HTTP response', 'p50 ms', 'p99 ms', 'max ms', 'not HTTP 200', 'answered later'],
      [
        ackRow(`${runsOf(f.ack)} members/add, fresh store`, {
          p50: f.ack_p50_ms,
          p99: f.ack_p99_ms,
          max: f.ack_max_ms,
          notOk: f.ack.not_ok,
          answered: `${f.ack.answered}/${f.ack.requests}`,
        }),
        ackRow(`${runsOf(after)} members, after 2 and 3 (${after.store_mb} MB store)`, {
          p50: after.p50_ms,
          p99: after.p99_ms,
          max: after.max_ms,
          notOk: after.not_ok,
          answered: `${after.answered}/${after.requests}`,
        }),
      ],
    ),
    ...(f.ack.runs > 1 ? [runsLine('fresh store', f.ack), runsLine('after 2 and 3', after)] : []),
    '',
    `2. Bulk add, Kantata latency ${ctx.latency.bulk} ms (apply ms: Apply click → result; bound: apply-time reads + POSTs)`,
    table(BULK_HEADER, [bulkRow('by email', f.bulk_add), bulkRow('by mention', f.bulk_add_mentions)]),
    `   by email, Kantata at apply: ${ctx.details.email}`,
    `   by mention, Kantata at apply: ${ctx.details.mention}`,
    `   by mention, Slack calls: ${ctx.details.mentionSlack}; plus ${f.bulk_add_mentions.slack_directory_calls} ` +
      `users.list when the bot started (directory of ${int(f.bulk_add_mentions.workspace)})`,
    '',
    `3. Members, Kantata latency ${ctx.latency.members} ms (wall: command → first page; bound: group lookup + pages)`,
    table(
      [
        'members',
        'size',
        'wall ms',
        'bound ms',
        '×bound',
        'floor ms',
        '×floor',
        'bot CPU ms',
        'Kantata req',
        'peak RSS MB',
        'store MB',
      ],
      [
        [
          '/groups members',
          int(f.members_5000.size),
          int(f.members_5000.wall_ms),
          int(f.members_5000.bound_ms),
          times(f.members_5000.ratio_vs_bound),
          int(f.members_5000.floor_ms),
          times(f.members_5000.ratio_vs_floor),
          int(f.members_5000.bot_cpu_ms),
          `${f.members_5000.requests}`,
          `${f.members_5000.peak_rss_mb}`,
          `${f.members_5000.store_mb}`,
        ],
      ],
    ),
    `   Kantata: ${ctx.details.members}`,
    '',
    `4. Memory: the bot's peak RSS during 2 and 3: ${f.peak_rss_mb} MB`,
    '',
    '5. Growth (bulk add by email)',
    table(
      [...BULK_HEADER, 'RSS KB/person'],
      f.bulk_add_scale.map((row) =>
        'wall_ms' in row
          ? [...bulkRow('by email', row), `${row.rss_growth_kb_per_person}`]
          : ['by email', int(row.n), 'refused'],
      ),
    ),
  ];
  for (const row of f.bulk_add_scale) {
    if (!('wall_ms' in row)) out.push(`   N=${int(row.n)} refused: ${row.refused}`);
  }
  if (f.bulk_add_scale.some((row) => 'naive_estimated' in row && row.naive_estimated)) {
    out.push(
      `   * naive extrapolated from the N=${int(ctx.naiveMaxMeasured)} run (it is one POST after another).`,
    );
  }
  out.push(...renderYear(f));
  out.push(...renderRestart(f.restart_mentions));
  out.push(...renderExpiry(f.expiry_1000));
  out.push(...renderSync(f.sync_5000));
  out.push(
    '',
    'Targets',
    table(
      ['target', 'wanted', 'measured', '', 'kind'],
      f.targets.map((t) => [t.name, t.want, t.got, t.met ? 'met' : 'MISSED', t.kind]),
    ),
  );
  return out.join('\n');
}
