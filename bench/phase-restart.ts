import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ACTION } from '../src/slack/ids.js';
import { type FakeSlack, startFakeSlack } from '../test/fakes/fake-slack/index.js';
import { buildDist, type SpawnedBot, spawnBot } from './compiled-bot.js';
import type { BenchOptions } from './options.js';
import { progress } from './phases.js';
import { buttonValue, createSlackDriver, type ResponseBody } from './slack-driver.js';
import { percentile, round } from './stats.js';
import type { BenchWorld } from './world.js';

/** The issue's keys (issue 10), plus the sizes they were measured at. */
export type RestartFigures = {
  users_list_calls_before_preview: number;
  preview_ms: number;
  warm_preview_ms: number;
  /** Each restart's first preview (`preview_ms` is their median). */
  preview_runs_ms: number[];
  /** The warm previews (`warm_preview_ms` is their median). */
  warm_runs_ms: number[];
  /** The bot's CPU time for each preview, medians: unlike wall time, hardly moved by the machine's load. */
  preview_bot_cpu_ms: number;
  warm_preview_bot_cpu_ms: number;
  /** users.list calls the first bot made to save the directory (26 for 5,000 people). */
  first_load_users_list_calls: number;
  first_load_ms: number;
  mentions: number;
  workspace: number;
  /** 429s the fake's tiers answered during the phase (every one waited out by the bot's pacer). */
  rate_limited: Record<string, number>;
};

/** Warm previews and restarts are each measured three times (medians): one preview varies by ±50% here. */
const SAMPLES = 3;

/**
 * "After a restart" (issue 10), with the fake's rate tiers on at Slack's own pace and Kantata at phase 2's
 * latency (25 ms): a bot lists the workspace once (saving the directory beside its store), previews
 * 1,000-mention adds (warm: one not counted, then three), stops; then three times a new process on the same
 * store previews another 1,000-mention add right after it is ready. Its own fake Slack, so the tiers cost
 * nothing to the other phases.
 */

export async function restartPhase(world: BenchWorld, options: BenchOptions): Promise<RestartFigures> {
  const workspace = options.bulk.workspace;
  const mentions = Math.min(options.quick ? 100 : 1000, workspace);
  const env = await world.botEnv();
  const slack = await startFakeSlack({ botToken: env.SLACK_BOT_TOKEN, rateLimits: true });
  // Phase 2's mention add at phase 2's Kantata latency: the same add, just right after a restart.
  world.kantata.setLatency(options.bulk.latencyMs);
  try {
    const people = slack.addUsers(workspace, { prefix: 'p', domain: 'bench.co', start: 1 });
    const admin = world.admins[0]!;
    const adminSlack = slack.addUser({
      name: 'restart-admin',
      realName: 'Restart Admin',
      email: admin.email,
    });
    const withSlack = { ...env, SLACK_API_URL: slack.apiUrl, LOG_LEVEL: 'error' };
    // The bot as users run it (`npm start`'s command): a restart is of the compiled bot, not of tsx.
    await buildDist();
    const snapshotFile = join(dirname(String(env.STORE_URL).replace(/^file:/, '')), 'slack-directory.jsonl');
    const text = (group: string, from: number) =>
      `add ${group} ${people
        .slice(from, from + mentions)
        .map((p) => `<@${p.id}>`)
        .join(' ')}`;

    progress(`after a restart: first start lists ${workspace.toLocaleString('en-US')} people at Tier 2`);
    const loadStarted = Date.now();
    const first = await spawnBot('compiled', withSlack);
    let firstLoadMs: number;
    let firstLoadCalls: number;
    const warm: Preview[] = [];
    try {
      await waitFor(() => existsSync(snapshotFile), 10 * 60_000, 'the saved directory');
      firstLoadMs = Date.now() - loadStarted;
      firstLoadCalls = slack.callsTo('users.list').length;
      const group = world.addGroup('restart-warm');
      // One preview first, not counted: a bot that has been running has compiled this path.
      await preview(slack, first, adminSlack.id, text(group.name, 0));
      for (let i = 0; i < SAMPLES; i += 1)
        warm.push(await preview(slack, first, adminSlack.id, text(group.name, sliceStart(i + 1))));
      progress(`after a restart: directory saved in ${firstLoadMs} ms; warm previews ${describe(warm)}`);
    } finally {
      await first.stop();
    }

    // Each restart is a new process on the same store; its first command is the one measured.
    const restarts: Preview[] = [];
    let listedBeforePreview = 0;
    for (let i = 0; i < SAMPLES; i += 1) {
      const listedBefore = slack.callsTo('users.list').length;
      const bot = await spawnBot('compiled', withSlack);
      try {
        const group = world.addGroup(`restart-cold-${i + 1}`);
        const measured = await preview(slack, bot, adminSlack.id, text(group.name, sliceStart(i)));
        restarts.push(measured);
        listedBeforePreview +=
          slack.calls.filter((c) => c.method === 'users.list' && c.at <= measured.at).length - listedBefore;
      } finally {
        await bot.stop();
      }
    }
    progress(`after a restart: first previews ${describe(restarts)}`);
    return {
      users_list_calls_before_preview: listedBeforePreview,
      preview_ms: median(restarts, 'ms'),
      warm_preview_ms: median(warm, 'ms'),
      preview_runs_ms: restarts.map((r) => r.ms),
      warm_runs_ms: warm.map((r) => r.ms),
      preview_bot_cpu_ms: median(restarts, 'cpuMs'),
      warm_preview_bot_cpu_ms: median(warm, 'cpuMs'),
      first_load_users_list_calls: firstLoadCalls,
      first_load_ms: round(firstLoadMs),
      mentions,
      workspace,
      rate_limited: slack.rateLimitedCounts(),
    };
  } finally {
    world.kantata.setLatency(0);
    await slack.close();
  }

  /** Where the i-th 1,000-person slice of the workspace starts (the previews name different people). */
  function sliceStart(i: number): number {
    return (i * mentions) % Math.max(1, workspace - mentions + 1);
  }
}

/** One preview: command sent → the preview with its Apply button arrived, and the bot's CPU time meanwhile. */
type Preview = { ms: number; cpuMs: number; at: number };

async function preview(slack: FakeSlack, bot: SpawnedBot, userId: string, command: string): Promise<Preview> {
  const driver = createSlackDriver(slack, bot.endpoint);
  const cpuBefore = bot.cpuMs();
  const sent = Date.now();
  const { responseUrl } = await driver.command(userId, command);
  const shown = await driver.waitForResponse(
    responseUrl,
    (b: ResponseBody) => Boolean(buttonValue(b, ACTION.changeApply)),
    {
      what: 'preview',
      timeoutMs: 5 * 60_000,
    },
  );
  const cpuMs = bot.cpuMs() - cpuBefore;
  return { ms: shown.at - sent, cpuMs: round(cpuMs), at: shown.at };
}

const median = (runs: readonly Preview[], key: 'ms' | 'cpuMs') =>
  round(
    percentile(
      runs.map((r) => r[key]),
      50,
    ),
  );
const describe = (runs: readonly Preview[]) =>
  runs.map((r) => `${r.ms} ms (bot CPU ${r.cpuMs} ms)`).join(', ');

async function waitFor(test: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`bench: ${what} did not appear within ${timeoutMs} ms`);
    await sleep(50);
  }
}
