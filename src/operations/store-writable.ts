import { randomUUID } from 'node:crypto';
import type { Store } from '../approvals/ports.js';

/** A store that can prove it takes a write (the store issue's `probeWrite`), when it offers one. */
type WithWriteProbe = { probeWrite(): Promise<unknown> };

function hasWriteProbe(store: object): store is WithWriteProbe {
  return typeof (store as { probeWrite?: unknown }).probeWrite === 'function';
}

/**
 * Whether the store takes a write, for `/readyz` (a read alone says "true" while every write fails).
 * Prefers the store's own write probe; otherwise claims a throwaway handled-request key that expires at
 * once, the cheapest write today's stores offer: PostgreSQL inserts a row (pruned with the other expired
 * keys), the file store records it in memory and saves it with its next commit.
 */
export function storeWriteCheck(store: Store): () => Promise<boolean> {
  return async () => {
    try {
      if (hasWriteProbe(store)) return (await store.probeWrite()) !== false;
      if (!(await store.ping())) return false;
      return await store.claimKey(`readiness-probe:${randomUUID()}`, 1_000);
    } catch {
      return false;
    }
  };
}
