import { setTimeout as sleep } from 'node:timers/promises';
import { ACTION } from '../src/slack/ids.js';
import { startBotChild } from './bot-child.js';
import { PER_POST, PER_REQUEST } from './bounds.js';
import type { BenchOptions } from './options.js';
import { progress } from './phases.js';
import { countKantata, countSlack } from './request-counts.js';
import { waitUntilQuiet } from './scenario-bulk-add.js';
import { buttonValue, createSlackDriver, type ResponseBody } from './slack-driver.js';
import { round } from './stats.js';
import type { BenchWorld } from './world.js';

/** The key (issue 13): `sync_5000`. */
export type SyncFigures = {
  /** Apply clicked → the per-person result arrived. */
  wall_ms: number;
  bound_ms: number;
  ratio_vs_bound: number;
  /** Slack Web API calls from the command until the bot was quiet (directory snapshot already loaded). */
  slack_calls: number;
  slack_calls_by_method: Record<string, number>;
  /** Kantata requests of the apply (reads, POSTs, DELETEs). */
  kantata_requests: number;
  reads: number;
  posts: number;
  deletes: number;
  /** Command sent → preview with Apply, and its Kantata requests. */
  preview_ms: number;
  preview_kantata_requests: number;
  /** CPU time the bot itself used in the preview and in the apply (its own work, whatever the load). */
  preview_bot_cpu_ms: number;
  apply_bot_cpu_ms: number;
  source: number;
  group: number;
  to_add: number;
  to_remove: number;
  members_after: number;
  kantata_latency_ms: number;
  bound_formula: string;
};

const DIRECTORY_SETTLE_MS = 3_000;

/**
 * The bound of the apply: who of the people to add is a member (⌈add/200⌉ GETs) and the membership ids of
 * those to remove (⌈remove/200⌉ GETs) can be read together; then ⌈add/100⌉ POSTs and one DELETE per removal,
 * all independent. bound = (⌈reads/C⌉ + ⌈(posts + deletes)/C⌉) × L.
 */
export function syncApplyBound(add: number, remove: number, concurrency: number, latencyMs: number) {
  const reads = Math.ceil(add / PER_REQUEST) + Math.ceil(remove / PER_REQUEST);
  const writes = Math.ceil(add / PER_POST) + remove;
  const rounds = Math.ceil(reads / concurrency) + Math.ceil(writes / concurrency);
  return {
    ms: rounds * latencyMs,
    formula: `(⌈${reads}/${concurrency}⌉ + ⌈${writes}/${concurrency}⌉) × ${latencyMs} ms`,
  };
}

/** The sizes (a tenth with `--quick`), and how many seeded people they need (p1 … p5200). */
export function syncSizes(options: Pick<BenchOptions, 'quick'>) {
  const scale = options.quick ? 10 : 1;
  const groupSize = 4000 / scale;
  const toRemove = 200 / scale;
  const toAdd = 1200 / scale;
  return { groupSize, toRemove, toAdd, people: groupSize + toAdd };
}

/**
 * "Sync a 5,000-person user group into a 4,000-member group, 1,200 to add and 200 to remove" (issue 13),
 * through Slack as an administrator does it: `/groups sync <group> from @user-group` → preview → Apply →
 * the result. `--quick` is a tenth of it.
 */
export async function syncPhase(world: BenchWorld, options: BenchOptions): Promise<SyncFigures> {
  const { groupSize, toRemove, toAdd } = syncSizes(options);
  const latencyMs = options.bulk.latencyMs;
  // Members p1 … p4000; the source is p201 … p5200: 200 leave, 3,800 stay, 1,200 join.
  const group = world.addGroup(`sync-${groupSize}`, groupSize);
  const sourceEmails = world.emails(groupSize - toRemove + toAdd, toRemove + 1);
  const domain = sourceEmails[0]?.split('@')[1] ?? 'bench.co';
  const known = new Map(
    world.slackIds(options.bulk.workspace).map((id) => [world.slack.user(id)?.email, id]),
  );
  const missing = sourceEmails.filter((email) => !known.has(email));
  const first = Number(/^p(\d+)@/.exec(missing[0] ?? '')?.[1] ?? 0);
  for (const u of missing.length > 0
    ? world.slack.addUsers(missing.length, { prefix: 'p', domain, start: first })
    : [])
    known.set(u.email, u.id);
  const sourceIds = sourceEmails.map((email) => known.get(email)!);
  world.slack.addUsergroup('S0BENCHSYNC', 'bench-sync', sourceIds);

  const env = await world.botEnv();
  const slackAtStart = world.slack.calls.length;
  // A sync changes 1,400 people: more than the default MAX_PEOPLE_PER_CHANGE of 1,000 (which bounds changes,
  // not the size of the source).
  const bot = await startBotChild({ ...env, MAX_PEOPLE_PER_CHANGE: String(2 * (toAdd + toRemove)) });
  try {
    const driver = createSlackDriver(world.slack, bot.endpoint);
    // The bot's first directory load (users.list, paced at Tier 2: about 3 s a page) must be complete, or
    // the preview would wait for it ("Looking up 5,000 people…"), which is not what this measures.
    const slackPeople = options.bulk.workspace + missing.length + world.admins.length + 2;
    await directoryLoaded(world, slackAtStart, Math.ceil(slackPeople / PER_REQUEST));
    await sleep(DIRECTORY_SETTLE_MS);
    progress(
      `sync: a ${sourceIds.length.toLocaleString('en-US')}-person user group into a ${groupSize.toLocaleString('en-US')}-member group (Kantata latency ${latencyMs} ms)`,
    );
    world.kantata.setLatency(latencyMs);
    const admin = world.admins[0]!;
    const cpuAtStart = (await bot.memory()).cpuMs;
    const kantataAtStart = world.kantata.requests.length;
    const slackAtCommand = world.slack.calls.length;
    const sent = Date.now();
    const { responseUrl } = await driver.command(
      admin.slackId,
      `sync ${group.name} from <!subteam^S0BENCHSYNC|@bench-sync>`,
    );
    const preview = await driver.waitForResponse(
      responseUrl,
      (b) => !/^Looking up /.test(String(b.text ?? '')),
      {
        what: 'sync preview',
      },
    );
    const body = preview.body as ResponseBody;
    const changeId = buttonValue(body, ACTION.changeApply);
    if (!changeId) throw new Error(`bench: no Apply button in the sync preview: ${String(body.text)}`);
    const previewKantata = world.kantata.requests.length - kantataAtStart;
    const cpuAtClick = (await bot.memory()).cpuMs;
    const kantataAtClick = world.kantata.requests.length;
    const before = driver.responsesTo(responseUrl).length;
    const clicked = Date.now();
    await driver.click(admin.slackId, ACTION.changeApply, changeId, responseUrl, body.blocks ?? []);
    const result = await driver.waitForResponse(
      responseUrl,
      (b) => /^Synced |^Could not sync /.test(String(b.text ?? '')),
      { skip: before, what: 'sync result' },
    );
    const wallMs = result.at - clicked;
    const apply = countKantata(world.kantata.requests.slice(kantataAtClick));
    const cpuAtResult = (await bot.memory()).cpuMs;
    // A notification of 1,400 names has a thread of several replies, each paced by the channel's limit.
    await waitUntilQuiet(world, 10_000);
    const slack = countSlack(world.slack.calls.slice(slackAtCommand));
    const bound = syncApplyBound(toAdd, toRemove, options.concurrency, latencyMs);
    return {
      wall_ms: wallMs,
      bound_ms: bound.ms,
      ratio_vs_bound: round(wallMs / bound.ms, 2),
      slack_calls: Object.values(slack).reduce((a, b) => a + b, 0),
      slack_calls_by_method: slack,
      kantata_requests: apply.total,
      reads: apply.membershipReads + apply.memberPages + apply.userLookups + apply.groups + apply.identity,
      posts: apply.posts,
      deletes: apply.deletes,
      preview_ms: preview.at - sent,
      preview_kantata_requests: previewKantata,
      preview_bot_cpu_ms: Math.round(cpuAtClick - cpuAtStart),
      apply_bot_cpu_ms: Math.round(cpuAtResult - cpuAtClick),
      source: sourceIds.length,
      group: groupSize,
      to_add: toAdd,
      to_remove: toRemove,
      members_after: world.kantata.memberships(group.id).length,
      kantata_latency_ms: latencyMs,
      bound_formula: bound.formula,
    };
  } finally {
    world.kantata.setLatency(0);
    await bot.stop();
  }
}

/** Waits until the bot has asked users.list for `pages` pages (its whole directory), at most 5 minutes. */
async function directoryLoaded(world: BenchWorld, from: number, pages: number): Promise<void> {
  const deadline = Date.now() + 5 * 60_000;
  const asked = () => world.slack.calls.slice(from).filter((c) => c.method === 'users.list').length;
  while (asked() < pages) {
    if (Date.now() > deadline)
      throw new Error(`bench: the bot listed ${asked()} of ${pages} directory pages`);
    await sleep(100);
  }
}
