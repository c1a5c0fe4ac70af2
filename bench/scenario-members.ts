import { ACTION } from '../src/slack/ids.js';
import type { BotChild } from './bot-child.js';
import { type Bound, membersBound } from './bounds.js';
import { countKantata, type KantataCounts } from './request-counts.js';
import { BenchRefusal } from './scenario-bulk-add.js';
import { buttonValue, type ResponseBody, type SlackDriver } from './slack-driver.js';
import type { BenchWorld } from './world.js';

export type MembersRun = {
  size: number;
  latencyMs: number;
  /** Command sent → first page of members arrived. */
  wallMs: number;
  kantata: KantataCounts;
  bound: Bound;
  /** CPU time the bot used, command to answer. */
  cpuMs: number;
  peakRssMb: number;
  baselineRssMb: number;
  storeMb: number;
};

/**
 * `/groups members <group>` on a group of `size` members: the bot must read every member (to sort by
 * name and count them) but keep only the page it shows (SPEC §8: memory flat).
 */
export async function runMembers(args: {
  world: BenchWorld;
  bot: BotChild;
  driver: SlackDriver;
  size: number;
  latencyMs: number;
  concurrency: number;
  /** A group of `size` members made before the bot started. */
  group: { id: string; name: string };
}): Promise<MembersRun> {
  const { world, bot, driver, size } = args;
  const { group } = args;
  world.kantata.setLatency(args.latencyMs);
  const storeMb = world.storeMb();
  const memory0 = await bot.mark();
  const kantataAtStart = world.kantata.requests.length;
  const sent = Date.now();
  const { responseUrl, ack } = await driver.command(world.admins[0]!.slackId, `members ${group.name}`);
  if (ack.status !== 200) throw new BenchRefusal(`the bot answered the command with HTTP ${ack.status}`);
  const answer = await driver.waitForResponse(responseUrl, () => true, { what: 'members page' });
  const body = answer.body as ResponseBody;
  if (size > 20 && buttonValue(body, ACTION.membersPage) === undefined) {
    throw new BenchRefusal(`the answer has no Next button: ${String(body.text)}`);
  }
  const wallMs = answer.at - sent;
  const memory = await bot.memory();
  return {
    size,
    latencyMs: args.latencyMs,
    wallMs,
    kantata: countKantata(world.kantata.requests.slice(kantataAtStart)),
    bound: membersBound(size, args.concurrency, args.latencyMs),
    cpuMs: memory.cpuMs,
    peakRssMb: memory.peakRssMb,
    baselineRssMb: memory0.baselineRssMb,
    storeMb,
  };
}
