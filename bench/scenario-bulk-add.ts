import { setTimeout as sleep } from 'node:timers/promises';
import { ACTION } from '../src/slack/ids.js';
import type { BotChild } from './bot-child.js';
import { applyAddBound, type Bound, previewAddBound } from './bounds.js';
import { countKantata, countSlack, type KantataCounts } from './request-counts.js';
import { buttonValue, type ResponseBody, type SlackDriver } from './slack-driver.js';
import type { BenchWorld } from './world.js';

export type BulkAddRun = {
  n: number;
  by: 'email' | 'mention';
  latencyMs: number;
  /** Command sent → preview with the Apply button arrived. */
  previewMs: number;
  previewKantata: KantataCounts;
  previewBound: Bound;
  /** Apply clicked → final result arrived (SPEC §8's bulk add). */
  wallMs: number;
  applyKantata: KantataCounts;
  applyBound: Bound;
  /** Slack Web API calls from the command until the bot was quiet after the result (notification included). */
  slackCalls: Record<string, number>;
  /** Memberships the group has afterwards (must be n). */
  added: number;
  /** CPU time the bot used during the preview and during the apply (its own work, whatever the load). */
  previewCpuMs: number;
  applyCpuMs: number;
  peakRssMb: number;
  baselineRssMb: number;
  /** Size of the bot's store file when the run started. */
  storeMb: number;
};

/** A failure the bot reported instead of a preview or a result (e.g. a command it refused). */
export class BenchRefusal extends Error {}

const QUIET_MS = 300;

/**
 * One bulk add through Slack, as a person does it: `/groups add <group> <people>` → preview (through the
 * response_url) → Apply → the result replaces it. Kantata requests and Slack calls are taken from the
 * fakes' logs for each phase; the bot's peak RSS from its sampler.
 */
export async function runBulkAdd(args: {
  world: BenchWorld;
  bot: BotChild;
  driver: SlackDriver;
  n: number;
  by: 'email' | 'mention';
  latencyMs: number;
  concurrency: number;
  /** A group made before the bot started (groups exist long before people are added to them). */
  group: { id: string; name: string };
}): Promise<BulkAddRun> {
  const { world, bot, driver, n } = args;
  const admin = world.admins[0]!;
  const { group } = args;
  const people = args.by === 'email' ? world.emails(n) : world.slackIds(n).map((id) => `<@${id}>`);
  world.kantata.setLatency(args.latencyMs);
  const storeMb = world.storeMb();
  const memory0 = await bot.mark();

  const kantataAtStart = world.kantata.requests.length;
  const slackAtStart = world.slack.calls.length;
  const sent = Date.now();
  const { responseUrl, ack } = await driver.command(admin.slackId, `add ${group.name} ${people.join(' ')}`);
  if (ack.status !== 200) throw new BenchRefusal(`the bot answered the command with HTTP ${ack.status}`);
  // A first directory load answers "Looking up 1,000 people in Slack…" first; the preview follows it.
  const preview = await driver.waitForResponse(
    responseUrl,
    (b) => !/^Looking up /.test(String(b.text ?? '')),
    {
      what: 'preview',
    },
  );
  const body = preview.body as ResponseBody;
  const changeId = buttonValue(body, ACTION.changeApply);
  if (!changeId) throw new BenchRefusal(`no Apply button in the answer: ${String(body.text)}`);
  const previewMs = preview.at - sent;
  const previewKantata = countKantata(world.kantata.requests.slice(kantataAtStart));

  const atClick = await bot.memory();
  const kantataAtClick = world.kantata.requests.length;
  const before = driver.responsesTo(responseUrl).length;
  const clicked = Date.now();
  const click = await driver.click(
    admin.slackId,
    ACTION.changeApply,
    changeId,
    responseUrl,
    body.blocks ?? [],
  );
  if (click.status !== 200) throw new BenchRefusal(`the bot answered the click with HTTP ${click.status}`);
  const result = await driver.waitForResponse(responseUrl, (b) => !isInterim(b), {
    skip: before,
    what: 'result',
  });
  const wallMs = result.at - clicked;
  const resultBody = result.body as ResponseBody;
  if (!JSON.stringify(resultBody.blocks ?? []).includes(changeId)) {
    throw new BenchRefusal(`the apply did not end in a result: ${String(resultBody.text)}`);
  }
  const applyKantata = countKantata(world.kantata.requests.slice(kantataAtClick));
  const memory = await bot.memory();
  await waitUntilQuiet(world);

  return {
    n,
    by: args.by,
    latencyMs: args.latencyMs,
    previewMs,
    previewKantata,
    previewBound: previewAddBound(n, args.concurrency, args.latencyMs),
    wallMs,
    applyKantata,
    applyBound: applyAddBound(n, args.concurrency, args.latencyMs),
    previewCpuMs: atClick.cpuMs,
    applyCpuMs: memory.cpuMs - atClick.cpuMs,
    slackCalls: countSlack(world.slack.calls.slice(slackAtStart)),
    added: world.kantata.memberships(group.id).length,
    peakRssMb: memory.peakRssMb,
    baselineRssMb: memory0.baselineRssMb,
    storeMb,
  };
}

/** "Applying…" and "Adding 400 of 1,000" come before the result and replace each other. */
function isInterim(body: ResponseBody): boolean {
  const text = String(body.text ?? '');
  return text.startsWith('Applying…') || /^(Adding|Removing) [\d,]+ of [\d,]+/.test(text);
}

/** The notification is posted after the result; wait until the bot has made no Slack call for a while. */
export async function waitUntilQuiet(world: BenchWorld, maxWaitMs = 5_000): Promise<void> {
  const deadline = Date.now() + maxWaitMs;
  let count = world.slack.calls.length;
  let since = Date.now();
  while (Date.now() < deadline) {
    await sleep(25);
    if (world.slack.calls.length !== count) {
      count = world.slack.calls.length;
      since = Date.now();
    } else if (Date.now() - since >= QUIET_MS) return;
  }
}
