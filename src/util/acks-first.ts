/**
 * Acknowledgements before the work that follows them. Every Slack request must be acknowledged within 3 s
 * (SPEC §8: p99 under 100 ms with 50 commands in flight), and the answers through response_url may come
 * later; but Node runs callbacks in the order their I/O completes, so a request that arrived while the bot
 * was parsing Kantata pages, building blocks and posting answers for earlier commands waited behind all of
 * it. Work resumed after such an I/O (`await afterAcks()` where a Kantata or Slack answer has arrived) runs
 * instead in rounds after the event loop's poll phase, where new requests are read and acknowledged: each
 * round resumes waiting work one piece at a time (up to its next I/O) until `ROUND_BUDGET_MS` are used,
 * and what is left goes to the next round, after the next poll phase. So a request waits for at most one
 * round, and the work still gets a round per turn of the loop however many requests arrive (it is slowed
 * down under a burst, never stopped). With nothing else to do a round follows at once.
 *
 * Each round is a set of `setImmediate` callbacks queued together, one per piece of work: Node runs all the
 * immediates queued before its check phase in that phase, and drains the microtask queue after each one,
 * so each piece runs up to its next real wait before the next callback checks the budget. The timer
 * functions are the ones there were when this module loaded: tests that fake the global ones for their
 * clocks must not stop the bot's own I/O.
 */
const queueImmediate = globalThis.setImmediate;
const ROUND_BUDGET_MS = 2;
/** Pieces resumed per round at most (each round queues one immediate per piece it may resume). */
const ROUND_MAX = 64;

const waiting: (() => void)[] = [];
let roundQueued = false;

/** Resolves in the next round of work after the poll phase (see above). */
export function afterAcks(): Promise<void> {
  return new Promise<void>((resolve) => {
    waiting.push(resolve);
    if (!roundQueued) queueRound();
  });
}

function queueRound(): void {
  roundQueued = true;
  const round = { started: -1, left: Math.min(waiting.length, ROUND_MAX), stopped: false };
  for (let i = 0; i < round.left; i++) {
    queueImmediate(() => {
      const now = performance.now();
      if (round.started < 0) round.started = now;
      if (now - round.started >= ROUND_BUDGET_MS) round.stopped = true;
      if (!round.stopped) waiting.shift()?.();
      round.left -= 1;
      if (round.left > 0) return;
      // The last callback of the round: the rest goes to the next round, after the next poll phase.
      roundQueued = false;
      if (waiting.length > 0) queueRound();
    });
  }
}
