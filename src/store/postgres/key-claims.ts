import { afterAcks } from '../../util/acks-first.js';

/** Runs one claim statement for these keys (sorted, distinct) and returns the keys it claimed. */
export type ClaimStatement = (keys: string[], expiresAt: string[], now: string) => Promise<Set<string>>;

type Claim = { key: string; expiresAt: string; settle(claimed: boolean | Error): void };

/**
 * Processed-key claims sent to PostgreSQL together. Every Slack request claims its delivery key (and
 * notifications, announcements and cards claim theirs): one INSERT each was one round trip and one
 * statement for the server per request, and with 50 commands arriving at once those statements competed
 * with the bot for the same CPU. A claim made while no claim statement is in flight goes in the next round
 * after the event loop's poll phase (`afterAcks`), with every claim of the requests read in that phase (one
 * statement for all of them, where a claim at the end of the microtask queue went alone: each request is
 * read in a macrotask of its own); claims made while one is in flight wait for it and then go together as
 * the next one. The claim is not on the path of the acknowledgement: the work after it waits for it. Each
 * key gets the answer its own statement gave: inserted, or taken over once expired; a live key is refused.
 * The keys of a statement are sorted, so two replicas' statements lock common keys in the same order (no
 * deadlock between them); a key claimed twice in one batch goes to the first claim only, as two statements
 * one after the other would decide.
 */
export function createKeyClaims(statement: ClaimStatement, now: () => Date) {
  let pending: Claim[] = [];
  let busy = false;

  const flush = async (): Promise<void> => {
    const batch = pending;
    pending = [];
    busy = true;
    const first = new Map<string, Claim>();
    for (const claim of batch) if (!first.has(claim.key)) first.set(claim.key, claim);
    const keys = [...first.keys()].sort();
    try {
      const claimed = await statement(
        keys,
        keys.map((key) => first.get(key)!.expiresAt),
        now().toISOString(),
      );
      for (const claim of batch) claim.settle(first.get(claim.key) === claim && claimed.has(claim.key));
    } catch (error) {
      for (const claim of batch) claim.settle(error instanceof Error ? error : new Error(String(error)));
    } finally {
      busy = false;
      if (pending.length > 0) void flush();
    }
  };

  return {
    claim(key: string, ttlMs: number): Promise<boolean> {
      const expiresAt = new Date(now().getTime() + ttlMs).toISOString();
      return new Promise<boolean>((resolve, reject) => {
        pending.push({
          key,
          expiresAt,
          settle: (outcome) => (outcome instanceof Error ? reject(outcome) : resolve(outcome)),
        });
        if (!busy && pending.length === 1) void afterAcks().then(flush);
      });
    },
  };
}
