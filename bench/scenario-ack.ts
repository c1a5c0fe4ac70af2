import { setTimeout as sleep } from 'node:timers/promises';
import type { SlackDriver } from './slack-driver.js';
import { percentile, runConcurrently } from './stats.js';
import type { BenchWorld } from './world.js';

export type AckResult = {
  requests: number;
  inFlight: number;
  latencyMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Acks that were not HTTP 200. */
  notOk: number;
  /** Commands that got their answer through response_url once Kantata was fast again. */
  answered: number;
  /** Warm-up commands sent first and not counted. */
  warmup: number;
};

const WARMUP = 20;
const ANSWER_TIMEOUT_MS = 60_000;

/**
 * SPEC §8 "every Slack request is acknowledged well inside 3 s; p99 under 100 ms at 50 concurrent
 * commands while Kantata is slow": `/groups members` and `/groups add` alternate, from ten administrators,
 * `inFlight` at a time, while Kantata answers after `latencyMs`. The time measured is from sending the
 * signed request to the bot's HTTP response (the ack). Afterwards Kantata is made fast and the bench
 * checks that every command got its answer (nothing was dropped to ack quickly).
 */
export async function measureAck(args: {
  world: BenchWorld;
  driver: SlackDriver;
  requests: number;
  inFlight: number;
  latencyMs: number;
  /** A group of 20 members. */
  group: { name: string };
  /** Only `/groups members` (creates no stored previews). */
  membersOnly?: boolean;
}): Promise<AckResult> {
  const { world, driver, group } = args;
  const commandFor = (i: number) =>
    i % 2 === 0 || args.membersOnly
      ? `members ${group.name}`
      : `add ${group.name} ${world.emails(3, 21 + (i % 50) * 3).join(' ')}`;
  const actor = (i: number) => world.admins[i % world.admins.length]!.slackId;

  // Warm-up at full speed: compiles the code paths and fills the caller caches, as in a running bot.
  const warm: string[] = [];
  await runConcurrently(WARMUP, 10, async (i) => {
    warm.push((await driver.command(actor(i), commandFor(i))).responseUrl);
  });
  await waitForAnswers(driver, warm, ANSWER_TIMEOUT_MS);

  world.kantata.setLatency(args.latencyMs);
  const times: number[] = [];
  const urls: string[] = [];
  let notOk = 0;
  await runConcurrently(args.requests, args.inFlight, async (i) => {
    const started = performance.now();
    const { ack, responseUrl } = await driver.command(actor(i), commandFor(i));
    times.push(performance.now() - started);
    urls.push(responseUrl);
    if (ack.status !== 200) notOk += 1;
  });
  world.kantata.setLatency(0);
  const answered = await waitForAnswers(driver, urls, ANSWER_TIMEOUT_MS);

  return {
    requests: args.requests,
    inFlight: args.inFlight,
    latencyMs: args.latencyMs,
    p50Ms: percentile(times, 50),
    p99Ms: percentile(times, 99),
    maxMs: Math.max(...times),
    notOk,
    answered,
    warmup: WARMUP,
  };
}

/** How many of these response_urls got at least one answer, waiting up to `timeoutMs` for all. */
async function waitForAnswers(
  driver: SlackDriver,
  urls: readonly string[],
  timeoutMs: number,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let answered = 0;
  for (;;) {
    answered = urls.filter((url) => driver.responsesTo(url).length > 0).length;
    if (answered === urls.length || Date.now() > deadline) return answered;
    await sleep(20);
  }
}
