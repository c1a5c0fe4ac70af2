import { setTimeout as sleep } from 'node:timers/promises';
import { openFileStore } from '../src/store/lowdb/file-store.js';
import { seedEnds } from '../test/fakes/seed-ends.js';
import { startBotChild } from './bot-child.js';
import type { BenchOptions } from './options.js';
import { progress } from './phases.js';
import { round } from './stats.js';
import type { BenchWorld } from './world.js';

/** The key (issue 12): `expiry_1000`. */
export type ExpiryFigures = {
  /** From the moment the ends fell due to the "Access ended" notice reaching Slack. */
  wall_ms: number;
  /** ⌈n / KANTATA_CONCURRENCY⌉ × Kantata latency: the DELETEs alone, sent C at a time (the bound). */
  bound_ms: number;
  ratio_vs_bound: number;
  deletes: number;
  n: number;
  /** How often the bot swept (the sweep interval is part of the wall time). */
  sweep_interval_ms: number;
  kantata_latency_ms: number;
  notices: number;
};

/** How long before the end the bot is started: it has to be up and idle when the ends fall due. */
const START_MARGIN_MS = 6_000;
const SWEEP_INTERVAL_MS = 100;

/**
 * "1,000 memberships end at once" (issue 12): n members of a group whose ends (recorded through the store's
 * own writer, as the bot records them when it applies an add --for) fall due together while the bot runs.
 * Measured from the end time to the moment the fake Slack receives the one "Access ended" notice.
 */
export async function expiryPhase(world: BenchWorld, options: BenchOptions): Promise<ExpiryFigures> {
  const n = options.quick ? 100 : 1000;
  const latencyMs = options.bulk.latencyMs;
  const concurrency = options.concurrency;
  const env = await world.botEnv();
  const group = world.addGroup(`expiry-${n}`, n);
  const ids = world.kantataIds(n);
  const emails = world.emails(n);
  const admin = world.admins[0]!;
  const endsAt = new Date(Date.now() + START_MARGIN_MS);
  const store = await openFileStore(String(env.STORE_URL).replace(/^file:/, ''), { log: { warn: () => {} } });
  try {
    await seedEnds(store, {
      changeId: `bench-expiry-${n}`,
      group,
      users: ids.map((id, i) => ({ id, name: emails[i]!, email: emails[i]! })),
      endsAt,
      addedAt: new Date(),
      addedBy: { slackUserId: admin.slackId, kantataUserId: admin.kantataId, name: 'Admin 1' },
    });
  } finally {
    await store.close();
  }
  progress(`membership ends: ${n} ends fall due at once (Kantata latency ${latencyMs} ms)`);
  world.kantata.setLatency(latencyMs);
  world.kantata.resetRequests();
  const callsBefore = world.slack.callsTo('chat.postMessage').length;
  const bot = await startBotChild({ ...env, BENCH_JOBS_INTERVAL_MS: String(SWEEP_INTERVAL_MS) });
  try {
    const notices = () =>
      world.slack
        .callsTo('chat.postMessage')
        .slice(callsBefore)
        .filter((c) => String(c.args.text ?? '').includes('Access ended'));
    const deadline = Date.now() + START_MARGIN_MS + 10 * 60_000;
    while (notices().length === 0) {
      if (Date.now() > deadline) throw new Error('bench: the ended memberships were never announced');
      await sleep(5);
    }
    const announcedAt = notices()[0]!.at;
    // Anything after the notice (a second sweep removing someone again) would show here.
    await sleep(500);
    const deletes = world.kantata.requests.filter((r) => r.method === 'DELETE').length;
    const boundMs = Math.ceil(n / concurrency) * latencyMs;
    const wallMs = announcedAt - endsAt.getTime();
    return {
      wall_ms: wallMs,
      bound_ms: boundMs,
      ratio_vs_bound: round(wallMs / boundMs, 2),
      deletes,
      n,
      sweep_interval_ms: SWEEP_INTERVAL_MS,
      kantata_latency_ms: latencyMs,
      notices: notices().length,
    };
  } finally {
    world.kantata.setLatency(0);
    await bot.stop();
  }
}
