import { setTimeout as sleep } from 'node:timers/promises';
import type { SlackDriver } from './slack-driver.js';
import { median, percentile, runConcurrently } from './stats.js';
import type { BenchWorld } from './world.js';

/** One run's figures: `requests` commands, `inFlight` at a time. */
export type AckRun = { p50Ms: number; p99Ms: number; maxMs: number };

export type AckResult = {
  /** Commands per run. */
  requests: number;
  inFlight: number;
  latencyMs: number;
  /** The median of the runs' p50 and p99; the longest ack of all runs. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  runs: AckRun[];
  /** Runs sent first and not counted (their acks are in `notOk` and `answered`, not in the figures). */
  uncountedRuns: number;
  /** Commands sent in all runs, the uncounted ones included. */
  sent: number;
  /** Acks that were not HTTP 200, in all runs (the uncounted one too). */
  notOk: number;
  /** Commands (of all runs) that got their answer through response_url once Kantata was fast again. */
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
  /** Runs of `requests` commands, one after the other on the same bot (see `summarizeRuns`). */
  runs: number;
}): Promise<AckResult> {
  const { world, driver, group } = args;
  const commandFor = (i: number) => ackCommand(world, group, i, args.membersOnly === true);
  const actor = (i: number) => world.admins[i % world.admins.length]!.slackId;

  await warmUpAcks({ world, driver, group, ...(args.membersOnly ? { membersOnly: true } : {}) });

  const runs: AckRun[] = [];
  let notOk = 0;
  let answered = 0;
  // With several runs, one more goes first and is not counted: the bench process's fakes are compiled by
  // V8 during their first burst, and that CPU is taken from the cores the bot runs on (bench/README.md,
  // phase 1, "Three runs").
  const uncounted = args.runs > 1 ? 1 : 0;
  for (let run = -uncounted; run < args.runs; run++) {
    world.kantata.setLatency(args.latencyMs);
    const sent = await timedCommands(
      world,
      driver,
      Array.from({ length: args.requests }, (_, i) => ({ userId: actor(i), text: commandFor(i) })),
      args.inFlight,
    );
    world.kantata.setLatency(0);
    // Every answer of this run before the next: each run starts with the bot as idle as the first.
    const answers = await waitForAnswers(
      driver,
      sent.map((s) => s.responseUrl),
      ANSWER_TIMEOUT_MS,
    );
    // Every run's commands must be answered, the uncounted one's too.
    notOk += sent.filter((s) => s.status !== 200).length;
    answered += answers;
    if (run >= 0) runs.push(ackRun(sent.map((s) => s.ms)));
  }

  return {
    requests: args.requests,
    inFlight: args.inFlight,
    latencyMs: args.latencyMs,
    ...summarizeRuns(runs),
    runs,
    uncountedRuns: uncounted,
    sent: args.requests * (args.runs + uncounted),
    notOk,
    answered,
    warmup: WARMUP,
  };
}

export function ackRun(times: readonly number[]): AckRun {
  return { p50Ms: percentile(times, 50), p99Ms: percentile(times, 99), maxMs: Math.max(...times) };
}

/**
 * The figures of several runs: the median of their p50 and of their p99, and the longest ack of all. One
 * run of a few hundred commands gives a p99 that moves by half with the machine (one bench run to the next,
 * load 0.2–0.8, 2 shared cores: 57–123 ms for the same code); the median of three is the figure, and each
 * run's is printed beside it.
 */
export function summarizeRuns(runs: readonly AckRun[]): AckRun {
  return {
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
    maxMs: Math.max(...runs.map((r) => r.maxMs)),
  };
}

/**
 * Sends these `/groups` commands from the load generator's own process, `inFlight` at a time (closed
 * loop: the next one goes when an ack comes back). Per command: its response_url, the ack's HTTP status
 * and the time from sending it to the ack. The bodies are signed here first, as Slack signs before sending.
 */
export async function timedCommands(
  world: BenchWorld,
  driver: SlackDriver,
  commands: readonly { userId: string; text: string }[],
  inFlight: number,
): Promise<{ responseUrl: string; status: number; ms: number }[]> {
  const prepared = commands.map((c) => driver.prepareCommand(c.userId, c.text));
  const results = await world.load.send(
    driver.endpoint,
    prepared.map((p) => p.request),
    inFlight,
  );
  return results.map((r, i) => ({ ...r, responseUrl: prepared[i]!.responseUrl }));
}

/** The i-th command of the ack scenarios: `members` and a 3-person `add` alternating (or members only). */
function ackCommand(world: BenchWorld, group: { name: string }, i: number, membersOnly: boolean): string {
  return i % 2 === 0 || membersOnly
    ? `members ${group.name}`
    : `add ${group.name} ${world.emails(3, 21 + (i % 50) * 3).join(' ')}`;
}

/**
 * The warm-up every ack measurement starts with: 20 commands at full speed (Kantata fast), 10 in flight,
 * until each has its answer. It compiles the code paths and fills the caller caches, as in a bot that
 * has been running; without it the first acks measure V8 compiling the handlers, not the bot.
 */
export async function warmUpAcks(args: {
  world: BenchWorld;
  driver: SlackDriver;
  group: { name: string };
  membersOnly?: boolean;
}): Promise<void> {
  const { world, driver, group } = args;
  world.kantata.setLatency(0);
  const warm: string[] = [];
  await runConcurrently(WARMUP, 10, async (i) => {
    const actor = world.admins[i % world.admins.length]!.slackId;
    warm.push(
      (await driver.command(actor, ackCommand(world, group, i, args.membersOnly === true))).responseUrl,
    );
  });
  await waitForAnswers(driver, warm, ANSWER_TIMEOUT_MS);
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
