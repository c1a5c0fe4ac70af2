import { mentionSlackCallBudget } from './bounds.js';
import type { ExpiryFigures } from './phase-expiry.js';
import type { RestartFigures } from './phase-restart.js';
import type { SyncFigures } from './phase-sync.js';
import type { YearFigures } from './phase-year.js';
import { expiryTargets } from './report-expiry.js';
import { restartTargets } from './report-restart.js';
import { syncTargets } from './report-sync.js';
import { yearTargets } from './report-year.js';
import type { AckResult } from './scenario-ack.js';
import type { BulkAddRun } from './scenario-bulk-add.js';
import type { MembersRun } from './scenario-members.js';
import type { StartPhase, StartRun } from './scenario-start.js';
import { percentile, round } from './stats.js';

/** The naive baseline for one N: measured, or extrapolated from a measured run (see README). */
export type NaiveRun = { n: number; wallMs: number; estimated: boolean };

/** One bulk add in the output's shape (the keys the issue asks for, plus the preview and memory). */
export type BulkAddFigures = {
  n: number;
  wall_ms: number;
  kantata_requests: number;
  posts: number;
  slack_calls: number;
  naive_wall_ms: number | null;
  naive_estimated: boolean;
  ratio_vs_naive: number | null;
  bound_ms: number;
  ratio_vs_bound: number;
  /** The same Kantata requests from a bare client against the same fake (see floor.ts); null if not measured. */
  floor_ms: number | null;
  ratio_vs_floor: number | null;
  preview_ms: number;
  /** CPU time the bot used (its own work: parsing, store, Slack), apply and preview. */
  bot_cpu_ms: number;
  preview_bot_cpu_ms: number;
  preview_kantata_requests: number;
  preview_bound_ms: number;
  preview_ratio_vs_bound: number;
  added: number;
  peak_rss_mb: number;
  rss_growth_kb_per_person: number;
  /** Size of the bot's store file when the run started (the file store rewrites it whole on each write). */
  store_mb: number;
  /** Why this size could not be measured (the bot refused it), instead of the figures. */
  refused?: string;
};

/** Start and idle memory of the bot as users run it (`npm start`), and of the tsx start it replaced. */
export type StartFigures = {
  /** Medians over `runs`. */
  start_ms: number;
  idle_rss_mb: number;
  processes: number;
  runs: number;
  dev: { start_ms: number; idle_rss_mb: number; processes: number };
};

export type BenchFigures = {
  /** Spawn of `npm start`'s command → first `/readyz` 200, median. */
  start_ms: number;
  /** RSS of the started bot's process tree once idle, median. */
  idle_rss_mb: number;
  start: StartFigures;
  ack_p50_ms: number;
  ack_p99_ms: number;
  ack_max_ms: number;
  ack: AckDetails;
  /** The same measurement (members only) at the end, with the store the changes left behind. */
  ack_after_changes: AckDetails & { p50_ms: number; p99_ms: number; max_ms: number; store_mb: number };
  bulk_add: BulkAddFigures;
  bulk_add_mentions: BulkAddFigures & { slack_directory_calls: number; workspace: number };
  bulk_add_scale: (BulkAddFigures | { n: number; refused: string })[];
  members_5000: {
    size: number;
    wall_ms: number;
    requests: number;
    bound_ms: number;
    ratio_vs_bound: number;
    floor_ms: number;
    ratio_vs_floor: number;
    bot_cpu_ms: number;
    peak_rss_mb: number;
    store_mb: number;
  };
  peak_rss_mb: number;
  /** Issue 9: the same year of finished changes in each store (see phase-year.ts). */
  year_history?: { file: YearFigures; postgres: YearFigures | { skipped: string } };
  /** The same on empty stores, measured just before (same machine load). */
  year_history_baseline?: { file: YearFigures; postgres: YearFigures | { skipped: string } };
  /** Issue 10: a 1,000-mention add right after a restart, the fake's rate tiers on (see phase-restart.ts). */
  restart_mentions?: RestartFigures;
  /** Issue 12: 1,000 temporary memberships end at once (see phase-expiry.ts). */
  expiry_1000?: ExpiryFigures;
  /** Issue 13: a 5,000-person user group synced into a 4,000-member group (see phase-sync.ts). */
  sync_5000?: SyncFigures;
  /** Phase 1 with the bot on PostgreSQL; null when no PostgreSQL was given. */
  ack_p99_ms_postgres?: number | null;
  /** Each run's p99 of phase 1 on PostgreSQL (`ack_p99_ms_postgres` is their median). */
  ack_postgres_runs_ms?: number[] | null;
  /** 1-minute load average when the bench started: other work on the machine makes figures noisy. */
  load_average: number;
  targets: Target[];
  quick: boolean;
  kantata_concurrency: number;
  duration_s: number;
};

export type AckDetails = {
  /** Each run's p99 (the figure is their median) and p50. */
  p99_runs_ms: number[];
  p50_runs_ms: number[];
  runs: number;
  /** Runs sent before these and not counted (see `measureAck`). */
  uncounted_runs: number;
  requests_per_run: number;
  /** Commands sent in all runs, the uncounted ones included (`answered` counts the same). */
  requests: number;
  in_flight: number;
  kantata_latency_ms: number;
  not_ok: number;
  answered: number;
};

/** `timing` targets depend on the machine; `count` targets (requests, answers, people added) do not. */
export type Target = { name: string; want: string; got: string; met: boolean; kind: 'timing' | 'count' };

export function bulkFigures(run: BulkAddRun, naive: NaiveRun | undefined, floorMs?: number): BulkAddFigures {
  const slackCalls = Object.values(run.slackCalls).reduce((a, b) => a + b, 0);
  return {
    n: run.n,
    wall_ms: run.wallMs,
    kantata_requests: run.applyKantata.total,
    posts: run.applyKantata.posts,
    slack_calls: slackCalls,
    naive_wall_ms: naive ? round(naive.wallMs, 0) : null,
    naive_estimated: naive?.estimated ?? false,
    ratio_vs_naive: naive ? round(naive.wallMs / run.wallMs, 1) : null,
    bound_ms: run.applyBound.ms,
    ratio_vs_bound: round(run.wallMs / run.applyBound.ms, 2),
    floor_ms: floorMs === undefined ? null : round(floorMs, 0),
    ratio_vs_floor: floorMs === undefined ? null : round(run.wallMs / floorMs, 2),
    preview_ms: run.previewMs,
    bot_cpu_ms: round(run.applyCpuMs, 0),
    preview_bot_cpu_ms: round(run.previewCpuMs, 0),
    preview_kantata_requests: run.previewKantata.total,
    preview_bound_ms: run.previewBound.ms,
    preview_ratio_vs_bound: round(run.previewMs / run.previewBound.ms, 2),
    added: run.added,
    peak_rss_mb: round(run.peakRssMb),
    rss_growth_kb_per_person: round(((run.peakRssMb - run.baselineRssMb) * 1024) / run.n, 2),
    store_mb: round(run.storeMb, 2),
  };
}

export function membersFigures(run: MembersRun, floorMs: number): BenchFigures['members_5000'] {
  return {
    size: run.size,
    wall_ms: run.wallMs,
    requests: run.kantata.total,
    bound_ms: run.bound.ms,
    ratio_vs_bound: round(run.wallMs / run.bound.ms, 2),
    floor_ms: round(floorMs, 0),
    ratio_vs_floor: round(run.wallMs / floorMs, 2),
    bot_cpu_ms: round(run.cpuMs, 0),
    peak_rss_mb: round(run.peakRssMb),
    store_mb: round(run.storeMb, 2),
  };
}

export function ackFigures(
  ack: AckResult,
): Pick<BenchFigures, 'ack_p50_ms' | 'ack_p99_ms' | 'ack_max_ms' | 'ack'> {
  return {
    ack_p50_ms: round(ack.p50Ms),
    ack_p99_ms: round(ack.p99Ms),
    ack_max_ms: round(ack.maxMs),
    ack: ackDetails(ack),
  };
}

export function ackAfterFigures(ack: AckResult & { storeMb: number }): BenchFigures['ack_after_changes'] {
  return {
    p50_ms: round(ack.p50Ms),
    p99_ms: round(ack.p99Ms),
    max_ms: round(ack.maxMs),
    ...ackDetails(ack),
    store_mb: round(ack.storeMb, 2),
  };
}

function ackDetails(ack: AckResult): AckDetails {
  return {
    p99_runs_ms: ack.runs.map((r) => round(r.p99Ms)),
    p50_runs_ms: ack.runs.map((r) => round(r.p50Ms)),
    runs: ack.runs.length,
    uncounted_runs: ack.uncountedRuns,
    requests_per_run: ack.requests,
    requests: ack.sent,
    in_flight: ack.inFlight,
    kantata_latency_ms: ack.latencyMs,
    not_ok: ack.notOk,
    answered: ack.answered,
  };
}

/** SPEC §8 and the targets, each with what was measured. */
export function checkTargets(f: Omit<BenchFigures, 'targets' | 'duration_s'>): Target[] {
  const targets: Target[] = [];
  const timing = (name: string, want: string, got: string, met: boolean) =>
    targets.push({ name, want, got, met, kind: 'timing' });
  const count = (name: string, want: string, got: string, met: boolean) =>
    targets.push({ name, want, got, met, kind: 'count' });
  timing('start (spawn → /readyz 200)', '≤ 500 ms', `${f.start_ms} ms`, f.start_ms <= 500);
  timing('idle RSS', '≤ 120 MB', `${f.idle_rss_mb} MB`, f.idle_rss_mb <= 120);
  count('npm start: processes', '1', `${f.start.processes}`, f.start.processes === 1);
  timing('ack p99', '< 100 ms', `${f.ack_p99_ms} ms`, f.ack_p99_ms < 100);
  count(
    'acks all answered',
    `${f.ack.requests}/${f.ack.requests}`,
    `${f.ack.answered}/${f.ack.requests}`,
    f.ack.answered === f.ack.requests && f.ack.not_ok === 0,
  );
  const after = f.ack_after_changes;
  timing(`ack p99, ${after.store_mb} MB store`, '< 100 ms', `${after.p99_ms} ms`, after.p99_ms < 100);
  for (const [label, b] of [
    ['bulk add by email', f.bulk_add],
    ['bulk add by mention', f.bulk_add_mentions],
  ] as const) {
    timing(`${label}: ×bound`, '≤ 1.5', `${b.ratio_vs_bound}`, b.ratio_vs_bound <= 1.5);
    count(
      `${label}: POSTs`,
      `≤ ⌈${b.n}/100⌉ = ${Math.ceil(b.n / 100)}`,
      `${b.posts}`,
      b.posts <= Math.ceil(b.n / 100),
    );
    count(`${label}: everyone added`, `${b.n}`, `${b.added}`, b.added === b.n);
  }
  if (f.bulk_add.n >= 1000) {
    const r = f.bulk_add.ratio_vs_naive;
    timing('bulk add by email: ×naive', '≥ 20', `${r ?? 'n/a'}`, r !== null && r >= 20);
  }
  const m = f.bulk_add_mentions;
  const budget = mentionSlackCallBudget(m.workspace);
  const calls = m.slack_calls + m.slack_directory_calls;
  count('mentions: Slack calls', `≤ ⌈${m.workspace}/200⌉ + 10 = ${budget}`, `${calls}`, calls <= budget);
  timing(
    'members: ×bound',
    '≤ 1.5',
    `${f.members_5000.ratio_vs_bound}`,
    f.members_5000.ratio_vs_bound <= 1.5,
  );
  for (const row of f.bulk_add_scale) {
    if ('refused' in row && row.refused !== undefined)
      count(`growth N=${row.n}`, 'measured', 'refused', false);
    if ('ratio_vs_bound' in row && row.n === 10_000)
      timing('bulk add N=10,000: ×bound', '≤ 1.3', `${row.ratio_vs_bound}`, row.ratio_vs_bound <= 1.3);
  }
  targets.push(...yearTargets(f));
  targets.push(...expiryTargets(f.expiry_1000));
  targets.push(...syncTargets(f.sync_5000));
  targets.push(...restartTargets(f.restart_mentions));
  return targets;
}

/** Medians of the start runs (see scenario-start.ts). */
export function startFigures(phase: StartPhase): StartFigures {
  const summary = (runs: StartRun[]) => ({
    start_ms: round(
      percentile(
        runs.map((r) => r.startMs),
        50,
      ),
    ),
    idle_rss_mb: round(
      percentile(
        runs.map((r) => r.idleRssMb),
        50,
      ),
    ),
    processes: Math.max(...runs.map((r) => r.processes)),
  });
  return { ...summary(phase.compiled), runs: phase.compiled.length, dev: summary(phase.dev) };
}
