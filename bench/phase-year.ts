import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { Store } from '../src/approvals/ports.js';
import { openFileStore } from '../src/store/lowdb/file-store.js';
import { openPostgresStore } from '../src/store/postgres/postgres-store.js';
import { startBotChild } from './bot-child.js';
import type { BenchOptions } from './options.js';
import { progress } from './phases.js';
import {
  type AckResult,
  type AckRun,
  ackRun,
  measureAck,
  summarizeRuns,
  timedCommands,
  warmUpAcks,
} from './scenario-ack.js';
import { runBulkAdd } from './scenario-bulk-add.js';
import { createSlackDriver } from './slack-driver.js';
import { round } from './stats.js';
import type { BenchWorld } from './world.js';
import { buildYear, measureCommit, sizeOnDisk } from './year-builder.js';

/** The keys (`year_history.file`, `year_history.postgres`), plus what the year was. */
export type YearFigures = {
  store_mb: number;
  commit_ms: number;
  loop_delay_max_ms: number;
  ack_p99_ms: number;
  start_ms: number;
  idle_rss_mb: number;
  changes: number;
  people: number;
  build_s: number;
  /** Each apply's ack p99 (`ack_p99_ms` is their median). */
  ack_p99_runs_ms: number[];
  /** Size of each apply the loop delay and acks were measured during, and the acks sent meanwhile (all runs). */
  apply_n: number;
  acks: number;
};

export type YearPhase = {
  file: YearFigures;
  postgres: YearFigures | { skipped: string };
  /** The same measurements on an empty store, just before: the machine's load is in both alike. */
  baseline: { file: YearFigures; postgres: YearFigures | { skipped: string } };
  /** Phase 1 (ack latency) with the bot on PostgreSQL. */
  ackPostgres: AckResult | { skipped: string };
};

type Location = { storeUrl: string; open(): Promise<Store>; size(): Promise<number>; drop(): Promise<void> };

const MB = 1e6;

/**
 * "A year of history" (issue 9): the same year of finished changes written into each store through its
 * own writer, then the real bot started on it: start to ready, idle RSS, the longest event-loop delay and
 * the ack p99 (50 commands in flight) during a 1,000-person apply. PostgreSQL needs BENCH_POSTGRES_URL or
 * TEST_POSTGRES_URL (a server where this user may CREATE DATABASE); without it that half is skipped.
 */
export async function yearPhase(
  world: BenchWorld,
  options: BenchOptions,
  ackGroup: { name: string },
): Promise<YearPhase> {
  const changes = options.quick ? 200 : 5000;
  const applyN = options.quick ? 100 : 1000;
  const fileEmpty = await runYear(world, options, ackGroup, fileLocation(), 0, applyN);
  const file = await runYear(world, options, ackGroup, fileLocation(), changes, applyN);
  const pgUrl = process.env.BENCH_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL;
  if (!pgUrl) {
    const skipped = 'no BENCH_POSTGRES_URL / TEST_POSTGRES_URL (see bench/README.md)';
    return {
      file,
      postgres: { skipped },
      baseline: { file: fileEmpty, postgres: { skipped } },
      ackPostgres: { skipped },
    };
  }
  const postgresEmpty = await runYear(world, options, ackGroup, await postgresLocation(pgUrl), 0, applyN);
  const postgres = await runYear(world, options, ackGroup, await postgresLocation(pgUrl), changes, applyN);
  const baseline = { file: fileEmpty, postgres: postgresEmpty };
  progress(`ack latency on PostgreSQL: ${options.ack.requests} commands, ${options.ack.inFlight} in flight`);
  const fresh = await postgresLocation(pgUrl);
  const bot = await startBotChild({ ...(await world.botEnv()), STORE_URL: fresh.storeUrl });
  try {
    const ackPostgres = await measureAck({
      world,
      driver: createSlackDriver(world.slack, bot.endpoint),
      ...options.ack,
      group: ackGroup,
    });
    return { file, postgres, baseline, ackPostgres };
  } finally {
    await bot.stop();
    await fresh.drop();
  }
}

async function runYear(
  world: BenchWorld,
  options: BenchOptions,
  ackGroup: { name: string },
  location: Location,
  changes: number,
  applyN: number,
): Promise<YearFigures> {
  const kind = location.storeUrl.startsWith('file:') ? 'file' : 'postgres';
  try {
    progress(`a year of history (${kind}): writing ${changes.toLocaleString('en-US')} finished changes`);
    // 0 changes: the baseline row, an empty store measured the same way.
    const built = performance.now();
    const store = await location.open();
    let people: number;
    let commitMs: number;
    try {
      ({ people } = await buildYear(store, changes));
      commitMs = await measureCommit(store);
    } finally {
      await store.close();
    }
    const buildS = (performance.now() - built) / 1000;
    const storeMb = (await location.size()) / MB;

    progress(`a year of history (${kind}): start, idle, ${applyN}-person apply with acks in flight`);
    const started = performance.now();
    const bot = await startBotChild({ ...(await world.botEnv()), STORE_URL: location.storeUrl });
    const startMs = performance.now() - started;
    try {
      await sleep(1_000);
      await bot.mark();
      await sleep(2_000);
      const idle = await bot.memory();
      const driver = createSlackDriver(world.slack, bot.endpoint);
      // After the idle figure and before the apply: phase 1's warm-up, since a bot that has run for a
      // year is warm (otherwise these acks measure V8 compiling the handlers in a fresh process).
      await warmUpAcks({ world, driver, group: ackGroup });
      // One apply after another, each with its acks (the figure is the median of the runs' p99).
      const runs: AckRun[] = [];
      let acksSent = 0;
      for (let run = 0; run < options.ack.runs; run++) {
        const group = world.addGroup(`year-${kind}-${run}-${Date.now()}`);
        const requestsAtStart = world.kantata.requests.length;
        const apply = runBulkAdd({
          world,
          bot,
          driver,
          n: applyN,
          by: 'email',
          latencyMs: options.bulk.latencyMs,
          concurrency: options.concurrency,
          group,
        });
        // The acks start with the apply's first POST (after the preview), so they fall inside the apply.
        await waitFor(() => world.kantata.requests.slice(requestsAtStart).some((r) => r.method === 'POST'));
        const acks = await timedAcks(options.quick ? 100 : 200, 50, driver, world, ackGroup);
        await apply;
        runs.push(ackRun(acks));
        acksSent += acks.length;
      }
      const during = await bot.memory();
      return {
        store_mb: round(storeMb),
        commit_ms: round(commitMs, 2),
        loop_delay_max_ms: round(during.loopDelayMaxMs),
        ack_p99_ms: round(summarizeRuns(runs).p99Ms),
        ack_p99_runs_ms: runs.map((r) => round(r.p99Ms)),
        start_ms: Math.round(startMs),
        idle_rss_mb: round(idle.rssMb),
        changes,
        people,
        build_s: round(buildS),
        apply_n: applyN,
        acks: acksSent,
      };
    } finally {
      await bot.stop();
    }
  } finally {
    await location.drop();
  }
}

/** `count` × `/groups members` from ten admins, `inFlight` at a time: the time to each ack. */
async function timedAcks(
  count: number,
  inFlight: number,
  driver: ReturnType<typeof createSlackDriver>,
  world: BenchWorld,
  group: { name: string },
): Promise<number[]> {
  const commands = Array.from({ length: count }, (_, i) => ({
    userId: world.admins[i % world.admins.length]!.slackId,
    text: `members ${group.name}`,
  }));
  return (await timedCommands(world, driver, commands, inFlight)).map((s) => s.ms);
}

async function waitFor(check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('bench: the apply did not start');
    await sleep(5);
  }
}

function fileLocation(): Location {
  const dir = mkdtempSync(join(tmpdir(), 'bench-year-'));
  const path = join(dir, 'store.json');
  return {
    storeUrl: `file:${path}`,
    open: () => openFileStore(path, { log: { warn: () => undefined } }),
    size: async () => sizeOnDisk(dir),
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function postgresLocation(adminUrl: string): Promise<Location> {
  const name = `bench_year_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Pool({ connectionString: adminUrl, max: 1 });
  admin.on('error', () => undefined);
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const storeUrl = url.toString();
  return {
    storeUrl,
    open: () => openPostgresStore(storeUrl, { log: { warn: () => undefined } }),
    async size() {
      const { rows } = await admin.query<{ size: string }>('SELECT pg_database_size($1) AS size', [name]);
      return Number(rows[0]?.size ?? 0);
    },
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}
