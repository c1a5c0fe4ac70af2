import { setTimeout as sleep } from 'node:timers/promises';
import { processTree, rssKb } from '../test/fakes/proc.js';
import { buildDist, type StartMode, spawnBot } from './compiled-bot.js';
import type { BenchWorld } from './world.js';

export type StartRun = {
  /** Spawn → first `/readyz` 200. */
  startMs: number;
  /** RSS of the bot's whole process tree once idle. */
  idleRssMb: number;
  /** Processes in that tree (the bot and whatever it spawned). */
  processes: number;
};

/**
 * Starts the real entry point the way users run it, in a working directory of its own (no `.env`), polls
 * `/readyz` every 5 ms until it says 200, lets the bot sit idle for `idleMs`, reads the RSS of its process
 * tree from /proc, then stops it with SIGTERM. Kantata answers without added latency here: this measures
 * the bot, not the network.
 */
export async function measureStart(
  world: BenchWorld,
  mode: StartMode,
  opts: { idleMs: number },
): Promise<StartRun> {
  world.kantata.setLatency(0);
  const bot = await spawnBot(mode, { ...(await world.botEnv()), LOG_LEVEL: 'error' });
  try {
    await sleep(opts.idleMs);
    const tree = processTree(bot.child.pid!);
    const idleRssMb = tree.reduce((sum, pid) => sum + rssKb(pid), 0) / 1024;
    return { startMs: bot.readyMs, idleRssMb, processes: tree.length };
  } finally {
    await bot.stop();
  }
}

export type StartPhase = { compiled: StartRun[]; dev: StartRun[] };

/** `runs` starts of each kind, alternating so that the machine's load falls on both alike. */
export async function startPhase(
  world: BenchWorld,
  opts: { runs: number; idleMs: number },
): Promise<StartPhase> {
  await buildDist();
  const result: StartPhase = { compiled: [], dev: [] };
  for (let i = 0; i < opts.runs; i++) {
    result.compiled.push(await measureStart(world, 'compiled', opts));
    result.dev.push(await measureStart(world, 'dev', opts));
  }
  return result;
}
