/**
 * `npm run bench [-- --quick] [-- --json]`: SPEC §8 measured against the fake Kantata (with latency) and
 * the fake Slack Web API, with the real bot in its own process. See bench/README.md.
 */
import { loadavg } from 'node:os';
import { measureFloors } from './floor.js';
import { type BenchOptions, parseBenchArgs, USAGE } from './options.js';
import { expiryPhase } from './phase-expiry.js';
import { restartPhase } from './phase-restart.js';
import { syncPhase, syncSizes } from './phase-sync.js';
import { yearPhase } from './phase-year.js';
import { ackPhase, changePhase, naivePhase, progress } from './phases.js';
import { renderReport } from './report.js';
import { expiryTargets, renderExpiry } from './report-expiry.js';
import { renderRestart, restartTargets } from './report-restart.js';
import { renderSync, syncTargets } from './report-sync.js';
import { renderYear, yearTargets } from './report-year.js';
import { describeKantata, describeSlack } from './request-counts.js';
import {
  ackAfterFigures,
  ackFigures,
  type BenchFigures,
  bulkFigures,
  checkTargets,
  membersFigures,
  startFigures,
  type Target,
} from './results.js';
import type { BulkAddRun } from './scenario-bulk-add.js';
import { startPhase } from './scenario-start.js';
import { round } from './stats.js';
import { startWorld } from './world.js';

const ADMINS = 10;

async function main(): Promise<void> {
  let options: BenchOptions;
  try {
    options = parseBenchArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const started = performance.now();
  const load = loadavg()[0] ?? 0;
  const { bulk, members, concurrency } = options;
  const people = Math.max(bulk.n, members.size, bulk.workspace, ...bulk.scale, syncSizes(options).people);
  progress(`seeding fake Kantata (${people.toLocaleString('en-US')} users) and fake Slack`);
  const world = await startWorld({ people, workspace: bulk.workspace, admins: ADMINS, concurrency });
  try {
    if (options.yearOnly) {
      await yearOnly(world, options, load);
      return;
    }
    if (options.expiryOnly) {
      await expiryOnly(world, options, load);
      return;
    }
    if (options.syncOnly) {
      await syncOnly(world, options, load);
      return;
    }
    if (options.restartOnly) {
      await restartOnly(world, options, load);
      return;
    }
    // First, while the machine is quiet: the start as users run it, and the tsx start it replaced.
    const runs = options.quick ? 1 : 3;
    progress(`start: npm start's command and the tsx start, ${runs} time(s) each, to /readyz 200`);
    const start = startFigures(await startPhase(world, { runs, idleMs: options.quick ? 1_000 : 3_000 }));
    progress(
      `start: npm start ${start.start_ms} ms, ${start.idle_rss_mb} MB idle, ${start.processes} process(es); ` +
        `tsx ${start.dev.start_ms} ms, ${start.dev.idle_rss_mb} MB, ${start.dev.processes}`,
    );
    const ackGroup = world.addGroup('ack-team', 20);
    const ack = await ackPhase(world, options, ackGroup);
    const changes = await changePhase(world, options, ackGroup);
    const naive = await naivePhase(world, [bulk.n, ...bulk.scale], bulk.latencyMs);
    const year = await yearPhase(world, options, ackGroup);
    const restart = await restartPhase(world, options);
    const expiry = await expiryPhase(world, options);
    const sync = await syncPhase(world, options);
    progress('floors: the same requests from a bare client');
    const floors = await measureFloors({
      world,
      n: bulk.n,
      membersGroup: changes.membersGroup,
      membersSize: members.size,
      concurrency,
      latencyMs: bulk.latencyMs,
    });

    const scaleRuns = [...changes.scale.values()].filter((r): r is BulkAddRun => typeof r === 'object');
    const peaks = [changes.byEmail, changes.byMention, changes.members, ...scaleRuns].map((r) => r.peakRssMb);
    const partial = {
      start_ms: start.start_ms,
      idle_rss_mb: start.idle_rss_mb,
      start,
      ...ackFigures(ack),
      ack_after_changes: ackAfterFigures(changes.ackAfter),
      bulk_add: bulkFigures(changes.byEmail, naive.get(bulk.n), floors.applyAddMs),
      bulk_add_mentions: {
        ...bulkFigures(changes.byMention, naive.get(bulk.n), floors.applyAddMs),
        slack_directory_calls: changes.directoryCalls,
        workspace: bulk.workspace,
      },
      bulk_add_scale: bulk.scale.map((n) => {
        const run = changes.scale.get(n);
        if (typeof run !== 'object') return { n, refused: run ?? 'not run' };
        return bulkFigures(run, naive.get(n), n === bulk.n ? floors.applyAddMs : undefined);
      }),
      members_5000: membersFigures(changes.members, floors.membersMs),
      peak_rss_mb: round(Math.max(...peaks)),
      year_history: { file: year.file, postgres: year.postgres },
      year_history_baseline: year.baseline,
      restart_mentions: restart,
      expiry_1000: expiry,
      sync_5000: sync,
      ack_p99_ms_postgres: 'skipped' in year.ackPostgres ? null : round(year.ackPostgres.p99Ms),
      ack_postgres_runs_ms:
        'skipped' in year.ackPostgres ? null : year.ackPostgres.runs.map((r) => round(r.p99Ms)),
      load_average: round(load, 2),
      quick: options.quick,
      kantata_concurrency: concurrency,
    };
    const figures: BenchFigures = {
      ...partial,
      targets: checkTargets(partial),
      duration_s: round((performance.now() - started) / 1000),
    };
    const report = renderReport(figures, {
      details: {
        email: describeKantata(changes.byEmail.applyKantata),
        mention: describeKantata(changes.byMention.applyKantata),
        mentionSlack: describeSlack(changes.byMention.slackCalls),
        members: describeKantata(changes.members.kantata),
      },
      latency: { bulk: bulk.latencyMs, members: members.latencyMs },
      naiveMaxMeasured: Math.max(...[...naive.values()].filter((r) => !r.estimated).map((r) => r.n)),
    });
    process.stdout.write(`${report}\n`);
    if (options.json) process.stdout.write(`${JSON.stringify(figures)}\n`);
    // Timing depends on the machine, so only a missed count (a request too many, someone not added, a
    // command dropped or refused) fails the run: CI can run --quick as a smoke test without flaking.
    if (figures.targets.some((t) => t.kind === 'count' && !t.met)) process.exitCode = 1;
  } finally {
    await world.close();
  }
}

/** `--year`: phase 6 alone, printed as its section of the report (and its keys with --json). */
async function yearOnly(world: Awaited<ReturnType<typeof startWorld>>, options: BenchOptions, load: number) {
  const year = await yearPhase(world, options, world.addGroup('ack-team', 20));
  const figures = {
    year_history: { file: year.file, postgres: year.postgres },
    year_history_baseline: year.baseline,
    ack_p99_ms_postgres: 'skipped' in year.ackPostgres ? null : round(year.ackPostgres.p99Ms),
    ack_postgres_runs_ms:
      'skipped' in year.ackPostgres ? null : year.ackPostgres.runs.map((r) => round(r.p99Ms)),
    load_average: round(load, 2),
    quick: options.quick,
  };
  const targets = yearTargets(figures);
  process.stdout.write(
    `${[`load average ${figures.load_average} at start`, ...renderYear(figures as BenchFigures)].join('\n')}\n`,
  );
  for (const t of targets)
    process.stdout.write(`   ${t.name}: ${t.got} (${t.want}) ${t.met ? 'met' : 'MISSED'}\n`);
  if (options.json) process.stdout.write(`${JSON.stringify({ ...figures, targets })}\n`);
}

type World = Awaited<ReturnType<typeof startWorld>>;

/**
 * `--expiry`, `--sync`, `--restart`: one phase alone, printed as its section of the report (and its key
 * with --json); exit status 1 when one of its count targets is missed, as in the full run.
 */
function onePhase<F>(
  load: number,
  key: string,
  figures: F,
  render: (f: F) => string[],
  targetsOf: (f: F) => Target[],
  json: boolean,
) {
  const targets = targetsOf(figures);
  process.stdout.write(`${[`load average ${round(load, 2)} at start`, ...render(figures)].join('\n')}\n`);
  for (const t of targets)
    process.stdout.write(`   ${t.name}: ${t.got} (${t.want}) ${t.met ? 'met' : 'MISSED'}\n`);
  if (json)
    process.stdout.write(`${JSON.stringify({ [key]: figures, load_average: round(load, 2), targets })}\n`);
  if (targets.some((t) => t.kind === 'count' && !t.met)) process.exitCode = 1;
}

async function expiryOnly(world: World, options: BenchOptions, load: number) {
  const figures = await expiryPhase(world, options);
  onePhase(load, 'expiry_1000', figures, renderExpiry, expiryTargets, options.json);
}

async function syncOnly(world: World, options: BenchOptions, load: number) {
  const figures = await syncPhase(world, options);
  onePhase(load, 'sync_5000', figures, renderSync, syncTargets, options.json);
}

async function restartOnly(world: World, options: BenchOptions, load: number) {
  const figures = await restartPhase(world, options);
  onePhase(load, 'restart_mentions', figures, renderRestart, restartTargets, options.json);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
