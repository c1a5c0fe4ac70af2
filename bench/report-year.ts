import type { YearFigures } from './phase-year.js';
import { table } from './report-table.js';
import type { BenchFigures, Target } from './results.js';

type YearOrSkipped = YearFigures | { skipped: string };

/** Section 6 of the report: the same year of history on each store. */
export function renderYear(f: BenchFigures): string[] {
  const year = f.year_history;
  if (!year) return [];
  const entries = [
    ...(Object.entries(f.year_history_baseline ?? {}) as [string, YearOrSkipped][]).map(
      ([store, y]): [string, YearOrSkipped] => [`${store}, empty`, y],
    ),
    ...(Object.entries(year) as [string, YearOrSkipped][]).map(([store, y]): [string, YearOrSkipped] => [
      `${store}, a year`,
      y,
    ]),
  ];
  const rows = entries.map(([store, y]) =>
    'skipped' in y
      ? [store, 'skipped']
      : [
          store,
          `${y.store_mb}`,
          `${y.commit_ms}`,
          `${y.loop_delay_max_ms}`,
          `${y.ack_p99_ms}`,
          `${y.start_ms}`,
          `${y.idle_rss_mb}`,
        ],
  );
  const sample = Object.values(year).find((y): y is YearFigures => !('skipped' in y));
  return [
    '',
    sample
      ? `6. A year of history: ${sample.changes.toLocaleString('en-US')} finished changes, ` +
        `${sample.people.toLocaleString('en-US')} person outcomes; loop delay and acks (50 in flight, ` +
        `${sample.acks / sample.ack_p99_runs_ms.length} sent) during a ${sample.apply_n.toLocaleString('en-US')}-person apply` +
        (sample.ack_p99_runs_ms.length > 1
          ? `, ${sample.ack_p99_runs_ms.length} times (ack p99: their median)`
          : '')
      : '6. A year of history',
    table(
      ['store', 'store MB', 'commit ms', 'loop delay max ms', 'ack p99 ms', 'start ms', 'idle RSS MB'],
      rows,
    ),
    ...entries
      .filter((e): e is [string, YearFigures] => !('skipped' in e[1]) && e[1].ack_p99_runs_ms.length > 1)
      .map(([store, y]) => `   ${store}: ack p99 of each apply ${y.ack_p99_runs_ms.join(', ')} ms`),
    `   ack p99 of phase 1 with the bot on PostgreSQL: ${f.ack_p99_ms_postgres ?? 'skipped'} ms` +
      (f.ack_postgres_runs_ms && f.ack_postgres_runs_ms.length > 1
        ? ` (median of ${f.ack_postgres_runs_ms.join(', ')})`
        : ''),
    ...entries
      .filter(([, y]) => 'skipped' in y)
      .slice(0, 1)
      .map(([, y]) => `   skipped: ${(y as { skipped: string }).skipped}`),
  ];
}

/** The targets for a store with a year behind it. */
export function yearTargets(f: Pick<BenchFigures, 'year_history' | 'ack_p99_ms_postgres'>): Target[] {
  const targets: Target[] = [];
  const timing = (name: string, want: string, got: string, met: boolean) =>
    targets.push({ name, want, got, met, kind: 'timing' });
  for (const [store, y] of Object.entries(f.year_history ?? {}) as [string, YearOrSkipped][]) {
    if ('skipped' in y) continue;
    timing(`year (${store}): ack p99`, '< 100 ms', `${y.ack_p99_ms} ms`, y.ack_p99_ms < 100);
    timing(`year (${store}): commit`, '≤ 10 ms', `${y.commit_ms} ms`, y.commit_ms <= 10);
    timing(`year (${store}): start`, '≤ 2 s', `${y.start_ms} ms`, y.start_ms <= 2_000);
    timing(`year (${store}): idle RSS`, '≤ 200 MB', `${y.idle_rss_mb} MB`, y.idle_rss_mb <= 200);
  }
  const pgAck = f.ack_p99_ms_postgres;
  if (typeof pgAck === 'number') timing('ack p99 on PostgreSQL', '< 100 ms', `${pgAck} ms`, pgAck < 100);
  return targets;
}
