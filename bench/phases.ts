import { setTimeout as sleep } from 'node:timers/promises';
import { type BotChild, startBotChild } from './bot-child.js';
import { naiveAdd } from './naive-add.js';
import type { BenchOptions } from './options.js';
import type { NaiveRun } from './results.js';
import { type AckResult, measureAck } from './scenario-ack.js';
import { BenchRefusal, type BulkAddRun, runBulkAdd } from './scenario-bulk-add.js';
import { type MembersRun, runMembers } from './scenario-members.js';
import { createSlackDriver } from './slack-driver.js';
import type { BenchWorld } from './world.js';

/** Above this N the naive baseline is extrapolated: 10,000 sequential POSTs at 25 ms would take 4+ minutes. */
export const NAIVE_MAX_MEASURED = 1000;

export function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

/** 1. Ack latency on a bot of its own: the Kantata backlog it leaves must not slow what follows. */
export async function ackPhase(
  world: BenchWorld,
  options: BenchOptions,
  group: { name: string },
): Promise<AckResult> {
  const bot = await startBotChild(await world.botEnv());
  try {
    progress(`ack latency: ${options.ack.requests} commands, ${options.ack.inFlight} in flight`);
    return await measureAck({
      world,
      driver: createSlackDriver(world.slack, bot.endpoint),
      ...options.ack,
      group,
    });
  } finally {
    await bot.stop();
  }
}

export type ChangePhase = {
  byEmail: BulkAddRun;
  byMention: BulkAddRun;
  /** Per growth size: the run, or why the bot refused it. */
  scale: Map<number, BulkAddRun | string>;
  members: MembersRun;
  /** The ack measurement repeated at the end, with the store as the changes above left it. */
  ackAfter: AckResult & { storeMb: number };
  /** users.list calls the bot made to load its Slack directory when it started. */
  directoryCalls: number;
  membersGroup: { id: string; name: string };
};

/**
 * 2, 3 and 5 on a fresh bot with a fresh store, then the ack measurement again. The groups exist
 * before the bot starts, as they would: a group is made long before people are added to it.
 */
export async function changePhase(
  world: BenchWorld,
  options: BenchOptions,
  ackGroup: { name: string },
): Promise<ChangePhase> {
  const { bulk, members, concurrency } = options;
  const groups = {
    warmup: world.addGroup('warm-up'),
    email: world.addGroup(`bulk-email-${bulk.n}`),
    mention: world.addGroup(`bulk-mention-${bulk.n}`),
    scale: new Map(bulk.scale.map((n) => [n, world.addGroup(`scale-${n}`)])),
    members: world.addGroup(`members-${members.size}`, members.size),
  };
  const slackAtStart = world.slack.calls.length;
  const bot: BotChild = await startBotChild(await world.botEnv());
  try {
    const driver = createSlackDriver(world.slack, bot.endpoint);
    const directoryCalls = await directoryLoadCalls(world, slackAtStart);
    const common = { world, bot, driver, latencyMs: bulk.latencyMs, concurrency };
    progress('warm-up: one add of 10 people');
    await runBulkAdd({ ...common, n: 10, by: 'email', group: groups.warmup });
    progress(`bulk add of ${bulk.n.toLocaleString('en-US')} by email`);
    const byEmail = await runBulkAdd({ ...common, n: bulk.n, by: 'email', group: groups.email });
    progress(`bulk add of ${bulk.n.toLocaleString('en-US')} by mention`);
    const byMention = await runBulkAdd({ ...common, n: bulk.n, by: 'mention', group: groups.mention });
    const scale = new Map<number, BulkAddRun | string>();
    for (const [n, group] of groups.scale) {
      if (n === bulk.n) {
        scale.set(n, byEmail);
        continue;
      }
      progress(`growth: bulk add of ${n.toLocaleString('en-US')} by email`);
      scale.set(n, await runBulkAdd({ ...common, n, by: 'email', group }).catch(refusal));
    }
    progress(`members of a ${members.size.toLocaleString('en-US')}-member group`);
    const membersRun = await runMembers({ ...common, ...members, group: groups.members });
    const storeMb = world.storeMb();
    progress(`ack latency again, with a ${storeMb.toFixed(1)} MB store`);
    const ackAfter = await measureAck({ world, driver, ...options.ack, group: ackGroup, membersOnly: true });
    return {
      byEmail,
      byMention,
      scale,
      members: membersRun,
      ackAfter: { ...ackAfter, storeMb },
      directoryCalls,
      membersGroup: groups.members,
    };
  } finally {
    await bot.stop();
  }
}

function refusal(error: unknown): string {
  if (error instanceof BenchRefusal) return error.message;
  throw error;
}

/**
 * The bot loads a snapshot of the Slack directory (users.list) when it starts. Waits until that is
 * done and returns how many calls it took.
 */
async function directoryLoadCalls(world: BenchWorld, from: number): Promise<number> {
  const count = () => world.slack.calls.slice(from).filter((c) => c.method === 'users.list').length;
  let seen = -1;
  for (let quietRounds = 0; quietRounds < 5; ) {
    await sleep(100);
    const now = count();
    quietRounds = now === seen && now > 0 ? quietRounds + 1 : 0;
    seen = now;
  }
  return seen;
}

/**
 * 2 and 5's baseline for each distinct N, against the same fake Kantata at the same latency, with no
 * bot running. Sizes above NAIVE_MAX_MEASURED are extrapolated from the largest measured one.
 */
export async function naivePhase(
  world: BenchWorld,
  sizes: number[],
  latencyMs: number,
): Promise<Map<number, NaiveRun>> {
  const runs = new Map<number, NaiveRun>();
  world.kantata.setLatency(latencyMs);
  const distinct = [...new Set(sizes)].sort((a, b) => a - b);
  for (const n of distinct.filter((size) => size <= NAIVE_MAX_MEASURED)) {
    progress(`naive baseline: ${n.toLocaleString('en-US')} POSTs one after another`);
    const group = world.addGroup(`naive-${n}`);
    const run = await naiveAdd({
      baseUrl: world.kantata.url,
      token: world.kantata.token,
      groupId: group.id,
      userIds: world.kantataIds(n),
    });
    if (run.failed > 0) throw new Error(`naive baseline: ${run.failed} of ${n} POSTs failed`);
    runs.set(n, { n, wallMs: run.wallMs, estimated: false });
  }
  const largest = [...runs.values()].at(-1);
  for (const n of distinct.filter((size) => size > NAIVE_MAX_MEASURED)) {
    if (largest) runs.set(n, { n, wallMs: (largest.wallMs / largest.n) * n, estimated: true });
  }
  return runs;
}
